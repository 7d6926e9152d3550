"""CLI: the card commands — list, render, preview, contacts."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from nodkort.cli.base import (
    PRINT_STANDARD_HELP,
    State,
    cli,
    echo_lines,
    handled,
    job_options,
    warn_ageing,
)

if TYPE_CHECKING:
    from nodkort.model import Job
    from nodkort.pdf.standards import Standard


@cli.command("list")
@click.argument("what", required=False, type=click.Choice(["cards", "languages", "municipalities"]))
@handled
def list_cmd(state: State, what: str | None) -> None:
    """List cards and their formats, languages with their review state, or municipalities."""
    from nodkort.review import listing

    project = state.project()
    if what in (None, "cards"):
        echo_lines(listing.cards(project))
    if what in (None, "languages"):
        echo_lines(listing.languages(project))
    if what == "municipalities":
        echo_lines(listing.municipalities(project))


@cli.command("render")
@job_options
@click.option("--bleed", type=click.FloatRange(0, 10), default=0.0, help="Bleed in mm (backgrounds extend).")
@click.option("--crop-marks", is_flag=True, help="Draw crop marks outside the bleed.")
@click.option(
    "--pdf-standard",
    type=click.Choice(["none", "x", "ua"]),
    default="none",
    show_default=True,
    help=f"{PRINT_STANDARD_HELP}; ua: tagged PDF/UA-1, for publishing on the web (screen readers, copied text).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Output PDF (default: a name from card, language and format).",
)
@handled
def render_cmd(state: State, job: Job, pdf_standard: Standard, output: Path | None) -> None:
    """Render one card to a print-ready PDF."""
    from nodkort.orders.furniture import guard_output
    from nodkort.output import write_atomic
    from nodkort.pipeline import render

    project = state.project()
    if output is not None:
        # Never into cards/, locales/ or fonts/. folder=True: only those are refused here; an old file at the
        # path, whatever it holds, is replaced whole (write_atomic), as before.
        guard_output(project, output, folder=True)
    warn_ageing(project, job)
    laid, pdf = render(project, job, pdf_standard)
    path = output or Path(job.default_name(laid.format.name))
    write_atomic(path, pdf)
    click.echo(
        f"Wrote {path} ({laid.card.id}, {laid.format.name}, {laid.language.code}"
        f"{', discreet' if job.variant == 'discreet' else ''}{', DRAFT' if job.draft else ''}, "
        f"{len(pdf):,} bytes)"
    )


@cli.command("preview")
@job_options
@click.option("--dpi", type=click.IntRange(50, 1200), default=300, show_default=True, help="Resolution of the preview.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Output PNG (default: a name from card, language and format).",
)
@handled
def preview_cmd(state: State, job: Job, dpi: int, output: Path | None) -> None:
    """Render a card and show all its sides side by side as a PNG."""
    from nodkort.orders.furniture import guard_output
    from nodkort.output import write_atomic
    from nodkort.pdf.preview import side_by_side
    from nodkort.pipeline import render

    project = state.project()
    if output is not None:
        guard_output(project, output, folder=True)
    warn_ageing(project, job)
    laid, pdf = render(project, job)
    path = output or Path(job.default_name(laid.format.name)).with_suffix(".png")
    write_atomic(path, side_by_side(pdf, dpi))
    click.echo(f"Wrote {path}")


@cli.command("contacts")
@click.option(
    "--format",
    "output",
    type=click.Choice(["table", "csv"]),
    default="table",
    show_default=True,
    help="A table to read, or CSV for a spreadsheet.",
)
@handled
def contacts_cmd(state: State, output: str) -> None:
    """Every contact (national, county, municipal) with its source, verified date, age and status.

    Status: fresh; ageing (verified 12 months ago or more: re-verify it); stale (24 months or more: refused
    unless --allow-stale); unverified (never printed). Re-verify the list once a year.
    """
    from datetime import date

    from nodkort.review import listing

    rows = listing.contact_rows(state.project(), date.today())
    if output == "csv":
        click.echo(listing.contacts_csv(rows), nl=False)
        return
    echo_lines(listing.contacts_table(rows))
