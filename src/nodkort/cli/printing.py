"""CLI: print runs — sheet (one card, a count) and batch (a school's order file)."""

from __future__ import annotations

import math
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from nodkort.cli.base import (
    FLIP,
    State,
    cli,
    echo_lines,
    handled,
    job_options,
    print_standard,
    warn_ageing,
)

if TYPE_CHECKING:
    from nodkort.impose.grid import Flip
    from nodkort.model import Job
    from nodkort.pdf.standards import Standard

PAPER_HELP = "A4, A5, A3, SRA3, Letter or WIDTHxHEIGHT in mm."
MAX_COUNT = 1_000_000  # the most cards one run prints (orders/parse.py MAX_CARDS)


class Bleed(click.ParamType[float]):
    """Millimetres of bleed, 0 to 10: a finite number (click's FloatRange lets nan through)."""

    name = "mm"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        try:
            number = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number of millimetres", param, ctx)
        if not math.isfinite(number) or not 0 <= number <= 10:
            self.fail(f"{value} is not between 0 and 10 mm", param, ctx)
        return number


@contextmanager
def hang_up_cleanly() -> Iterator[None]:
    """A hang-up or a kill request (SIGHUP, SIGTERM) ends the run as an exception would, so that a file being
    written is removed rather than left behind half-written as a hidden temporary file."""

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    names = [n for n in ("SIGHUP", "SIGTERM") if hasattr(signal, n)]
    previous = {n: signal.signal(getattr(signal, n), stop) for n in names}
    try:
        yield
    finally:
        for n, handler in previous.items():
            signal.signal(getattr(signal, n), handler)


@cli.command("sheet")
@job_options
@click.option("--count", type=click.IntRange(1, MAX_COUNT), required=True, help="How many cards to print.")
@click.option("--paper", default="A4", show_default=True, help=PAPER_HELP)
@click.option(
    "--bleed", type=Bleed(), default=0.0, help="Bleed in mm, 0 to 10; with bleed each card gets its own cuts."
)
@FLIP
@click.option("--fill-sheet", is_flag=True, help="Round the count up to fill the last sheet.")
@print_standard("none")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Output PDF (default: a name from card, language, format and count).",
)
@handled
def sheet_cmd(
    state: State,
    job: Job,
    count: int,
    paper: str,
    flip: str,
    fill_sheet: bool,
    pdf_standard: Standard,
    output: Path | None,
) -> None:
    """Impose COUNT cards n-up on press sheets, duplex, with crop marks and a slug line."""
    from nodkort.orders.sheet import describe, sheet_file

    project = state.project()
    warn_ageing(project, job)
    flip_edge: Flip = "long" if flip == "long" else "short"
    with hang_up_cleanly():
        result = sheet_file(project, job, count, paper, flip_edge, fill_sheet, output, pdf_standard)
    click.echo(describe(result, job, paper))


@cli.command("batch")
@click.argument("orders", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Output folder: one subfolder per order, and manifest.json.",
)
@click.option(
    "--combine", is_flag=True, help="Per order, one print PDF per paper size instead of one per card and language."
)
@click.option("--paper", default="A4", show_default=True, help="Paper for rows that name none: " + PAPER_HELP)
@click.option("--bleed", type=Bleed(), default=0.0, help="Bleed in mm, 0 to 10.")
@FLIP
@click.option("--fill-sheet", is_flag=True, help="Round every count up to fill its last sheet.")
@print_standard("x")
@click.option("--draft", is_flag=True, help="Allow unreviewed translations, watermarked as drafts.")
@click.option("--resume", is_flag=True, help="Complete an interrupted run: keep files whose checksums match.")
@click.option("--force", is_flag=True, help="Write into a folder that holds something else.")
@click.option("--quiet", is_flag=True, help="No progress bar and no summary table.")
@handled
def batch_cmd(
    state: State,
    orders: Path,
    output: Path,
    combine: bool,
    paper: str,
    bleed: float,
    flip: str,
    fill_sheet: bool,
    pdf_standard: Standard,
    draft: bool,
    resume: bool,
    force: bool,
    quiet: bool,
) -> None:
    """Print files, packing slips and a manifest for every order in ORDERS (CSV or XLSX)."""
    from nodkort.orders.plan import Options
    from nodkort.orders.run import run_batch, summary_table

    project = state.project()
    options = Options(combine, bleed, "long" if flip == "long" else "short", fill_sheet, draft, paper, pdf_standard)
    bar: Any = None

    def progress(done: int, total: int, path: str) -> None:
        nonlocal bar
        if quiet:
            return
        if bar is None:
            bar = click.progressbar(length=total, label="Writing", file=sys.stderr)
            bar.__enter__()
        bar.update(1)

    try:
        with hang_up_cleanly():
            summary = run_batch(project, orders, output, options, resume=resume, force=force, progress=progress)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    for note in summary.notes:
        click.echo(f"Note: {orders.name}: {note}", err=True)
    for problem in summary.warnings:
        click.echo(f"Warning: {problem}", err=True)
    if quiet:
        return
    echo_lines(summary_table(summary, output))
