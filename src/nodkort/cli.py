"""CLI: command-line options → pipeline calls; NodkortError → `Error: …` and its exit code.

The only module that imports click. Exit codes: 0 done, 1 bad data (the message names file, place and fix),
2 bad usage. An unexpected exception prints a short note and where to report it; --debug shows the traceback.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable, Iterable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from nodkort import __version__
from nodkort.data.freshness import warnings as freshness_warnings
from nodkort.errors import NodkortError, UsageError
from nodkort.model import Job
from nodkort.output import write_atomic
from nodkort.pipeline import contact_ages, render
from nodkort.project import DataDir, Project

F = TypeVar("F", bound=Callable[..., Any])
# No address is printed: nodkort is installed from more than one place, and a guessed one would mislead.
REPORT = ("Please report it on the issue tracker of the nodkort you installed, with the command you ran and "
          "what `nodkort --debug ...` prints (nodkort reads no personal data, so that holds none).")


class State:
    def __init__(self, data: Path | None, debug: bool) -> None:
        self.data_arg = data
        self.debug = debug

    def project(self) -> Project:
        return Project(DataDir.locate(self.data_arg))


def handle_errors(func: F) -> F:
    """Turn library errors into exit codes; hide tracebacks of real bugs unless --debug."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        debug = bool(ctx.find_root().params.get("debug"))
        try:
            return func(*args, **kwargs)
        except NodkortError as exc:
            if debug:
                traceback.print_exc()
            click.echo(f"Error: {exc.message}", err=True)
            sys.exit(exc.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit, BrokenPipeError):
            raise  # click's own exits, and output piped into `head` and closed: main() ends quietly
        except Exception as exc:  # a bug: say so briefly, never a bare traceback for a user
            if debug:
                traceback.print_exc()
            click.echo(f"Internal error: {type(exc).__name__}: {exc}", err=True)
            click.echo(f"This is a bug in nodkort {__version__}, not a problem with your data. {REPORT}",
                       err=True)
            sys.exit(3)

    return wrapper  # type: ignore[return-value]


def _echo(lines: Iterable[str]) -> None:
    for line in lines:
        click.echo(line)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--data", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Data folder holding cards/ and locales/ (default: the current folder if it has them, "
                   "else the copy installed with nodkort).")
@click.option("--debug", is_flag=True, help="Show tracebacks of unexpected errors.")
@click.version_option(__version__, prog_name="nodkort")
@click.pass_context
def cli(ctx: click.Context, data: Path | None, debug: bool) -> None:
    """Print-ready emergency and action cards from templates, translations and verified contacts."""
    ctx.obj = State(data, debug)


@cli.command("list")
@click.argument("what", required=False, type=click.Choice(["cards", "languages", "municipalities"]))
@click.pass_obj
@handle_errors
def list_cmd(state: State, what: str | None) -> None:
    """List cards and their formats, languages with their review state, or municipalities."""
    from nodkort.review import listing

    project = state.project()
    if what in (None, "cards"):
        _echo(listing.cards(project))
    if what in (None, "languages"):
        _echo(listing.languages(project))
    if what == "municipalities":
        _echo(listing.municipalities(project))


def _job_options(func: F) -> F:
    options = [
        click.argument("card"),
        click.option("--lang", "lang", default="sv", show_default=True, help="Language code (nodkort list)."),
        click.option("--format", "fmt", default=None, help="Card format (default: the card's own default)."),
        click.option("--discreet", is_flag=True, help="Neutral outside, file name and metadata."),
        click.option("--municipality", default=None, help="Municipality whose local numbers to print."),
        click.option("--draft", is_flag=True, help="Allow an unreviewed translation, watermarked as a draft."),
        click.option("--allow-stale", is_flag=True, help="Print contacts verified more than 24 months "
                     "ago; the card's version stamp then says 'stale'."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _warn_ageing(project: Project, job: Job) -> None:
    """Numbers verified more than 12 months ago still print, with a warning to re-verify them."""
    for problem in freshness_warnings(contact_ages(project, job), job.allow_stale):
        click.echo(f"Warning: {problem}", err=True)


@cli.command("render")
@_job_options
@click.option("--bleed", type=click.FloatRange(0, 10), default=0.0, help="Bleed in mm (backgrounds extend).")
@click.option("--crop-marks", is_flag=True, help="Draw crop marks outside the bleed.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Output PDF (default: a name from card, language and format).")
@click.pass_obj
@handle_errors
def render_cmd(state: State, card: str, lang: str, fmt: str | None, discreet: bool, municipality: str | None,
               draft: bool, allow_stale: bool, bleed: float, crop_marks: bool, output: Path | None) -> None:
    """Render one card to a print-ready PDF."""
    project = state.project()
    job = Job(card, lang, fmt, "discreet" if discreet else "plain", municipality, draft, bleed, crop_marks,
              allow_stale=allow_stale)
    _warn_ageing(project, job)
    laid, pdf = render(project, job)
    path = output or Path(job.default_name(laid.format.name))
    write_atomic(path, pdf)
    click.echo(f"Wrote {path} ({laid.card.id}, {laid.format.name}, {laid.language.code}"
               f"{', discreet' if discreet else ''}{', DRAFT' if draft else ''}, {len(pdf):,} bytes)")


@cli.command("preview")
@_job_options
@click.option("--dpi", type=click.IntRange(50, 1200), default=300, show_default=True,
              help="Resolution of the preview.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Output PNG (default: a name from card, language and format).")
@click.pass_obj
@handle_errors
def preview_cmd(state: State, card: str, lang: str, fmt: str | None, discreet: bool, municipality: str | None,
                draft: bool, allow_stale: bool, dpi: int, output: Path | None) -> None:
    """Render a card and show all its sides side by side as a PNG."""
    from nodkort.pdf.preview import side_by_side

    project = state.project()
    job = Job(card, lang, fmt, "discreet" if discreet else "plain", municipality, draft,
              allow_stale=allow_stale)
    _warn_ageing(project, job)
    laid, pdf = render(project, job)
    path = output or Path(job.default_name(laid.format.name)).with_suffix(".png")
    write_atomic(path, side_by_side(pdf, dpi))
    click.echo(f"Wrote {path}")


@cli.command("contacts")
@click.option("--format", "output", type=click.Choice(["table", "csv"]), default="table", show_default=True,
              help="A table to read, or CSV for a spreadsheet.")
@click.pass_obj
@handle_errors
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
    _echo(listing.contacts_table(rows))


@cli.group("lang")
def lang_group() -> None:
    """Languages and their catalogs: list, status, add, update (docs/translating.md)."""


@lang_group.command("list")
@click.pass_obj
@handle_errors
def lang_list(state: State) -> None:
    """Code, name, script, direction, review state and coverage of every language."""
    from nodkort.review import listing

    _echo(listing.language_coverage(state.project()))


@lang_group.command("status")
@click.option("--lang", "langs", multiple=True, metavar="CODE", help="Only this language (repeatable).")
@click.option("--format", "output", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="A table to read, or JSON for tools.")
@click.pass_obj
@handle_errors
def lang_status(state: State, langs: tuple[str, ...], output: str) -> None:
    """Per language: translated, fuzzy and missing strings, fields that overflow, glyph problems, state.

    Exits 1 when a catalog cannot be used (syntax, header, duplicates, placeholders), listing each problem.
    """
    from nodkort.review.check import run_checks
    from nodkort.review.findings import as_json, status_table

    report = run_checks(state.project(), langs=langs or None)
    click.echo(as_json(report) if output == "json" else status_table(report.languages))
    broken = [f for f in report.findings if f.gate in ("catalog", "placeholder")]
    for finding in broken:
        click.echo(f"Error: {finding}", err=True)
    sys.exit(1 if broken else 0)


@lang_group.command("update")
@click.pass_obj
@handle_errors
def lang_update(state: State) -> None:
    """Re-extract strings from cards/ into locales/nodkort.pot and merge them into every catalog.

    Every catalog is checked first: if one is broken, nothing is written.
    """
    from nodkort.i18n.catalogs import update_all

    project = state.project()
    version = max(project.card(c).version for c in project.card_ids)
    pot, changed = update_all(list(project.languages.values()), project.messages, project.data.root,
                              project.data.locales, version)
    click.echo(f"Wrote {pot} ({len(project.messages)} strings)")
    for code, did in changed.items():
        click.echo(f"  {code}: {'updated' if did else 'up to date'}")


@lang_group.command("add")
@click.argument("code")
@click.pass_obj
@handle_errors
def lang_add(state: State, code: str) -> None:
    """Create the catalog of a language: every string present and empty.

    A language not yet in locales/languages.toml is added to it from Unicode CLDR (name, script, direction,
    fonts for its script). An existing catalog or an unknown code exits 2 and changes nothing.
    """
    from nodkort.i18n.catalogs import add_language, check_new_code, register_language

    project = state.project()
    known = project.languages.get(code)
    if known is not None and known.source:
        raise UsageError(f"'{code}' is the source language: it has no catalog")
    check_new_code(code, project.data.locales)
    version = max(project.card(c).version for c in project.card_ids)
    if known is None:
        known = register_language(project.data.locales, code, project.fonts.families)
        click.echo(f"Added [{code}] {known.english} ({known.script}, {known.direction}) to "
                   f"{project.data.locales / 'languages.toml'}: check its names and add its draft_notice")
    path = add_language(known, project.messages, project.data.root, project.data.locales, version)
    click.echo(f"Wrote {path} ({len(project.messages)} strings to translate)")


@cli.command("check")
@click.option("--lang", "langs", multiple=True, metavar="CODE", help="Only this language (repeatable).")
@click.option("--card", "cards", multiple=True, metavar="CARD", help="Only this card (repeatable).")
@click.option("--scan", is_flag=True,
              help="Also render each card and read its QR codes back at 150 dpi (needs nodkort[verify]).")
@click.option("--format", "output", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="A table to read, or JSON for tools.")
@click.pass_obj
@handle_errors
def check_cmd(state: State, langs: tuple[str, ...], cards: tuple[str, ...], scan: bool, output: str) -> None:
    """Run every gate on every card × language × format × variant × municipality; exit 1 if any fails.

    Gates: catalog syntax, missing and fuzzy strings, placeholders, glyphs, text that does not fit at the
    legibility floor, QR targets, the discreet gate, contact data and its age. Nothing is written.
    """
    from nodkort.review.check import run_checks
    from nodkort.review.findings import as_json, as_text

    report = run_checks(state.project(), langs=langs or None, cards=cards or None, scan=scan)
    click.echo(as_json(report) if output == "json" else as_text(report, every=bool(langs)))
    sys.exit(0 if report.ok else 1)


@cli.command("proof")
@click.option("--lang", required=True, metavar="CODE", help="Language code (nodkort lang list).")
@click.option("--card", "cards", multiple=True, metavar="CARD", help="Only this card (repeatable).")
@click.option("--municipality", default=None, help="Municipality for cards with local numbers (default: "
              "the first one with a verified number).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Output PDF (default: proof-CODE.pdf).")
@click.pass_obj
@handle_errors
def proof_cmd(state: State, lang: str, cards: tuple[str, ...], municipality: str | None,
              output: Path | None) -> None:
    """A proof sheet for a reviewer: every string with its context, the Swedish source, the translation and
    its state, then the card sides in that language (watermarked while unreviewed)."""
    from nodkort.review.proof import proof_sheet

    project = state.project()
    pdf, pages = proof_sheet(project, project.language(lang), list(cards) or None, municipality)
    path = output or Path(f"proof-{lang}.pdf")
    write_atomic(path, pdf)
    click.echo(f"Wrote {path} ({pages} pages)")


@cli.command("sheet")
@_job_options
@click.option("--count", type=int, required=True, help="How many cards to print.")
@click.option("--paper", default="A4", show_default=True, help="A4, A3, SRA3 or WIDTHxHEIGHT in mm.")
@click.option("--bleed", type=click.FloatRange(0, 10), default=0.0,
              help="Bleed in mm; with bleed each card gets its own cuts.")
@click.option("--flip", type=click.Choice(["long", "short"]), default="long", show_default=True,
              help="The edge the sheet is turned over for the backs.")
@click.option("--fill-sheet", is_flag=True, help="Round the count up to fill the last sheet.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Output PDF (default: a name from card, language, format and count).")
@click.pass_obj
@handle_errors
def sheet_cmd(state: State, card: str, lang: str, fmt: str | None, discreet: bool, municipality: str | None,
              draft: bool, allow_stale: bool, count: int, paper: str, bleed: float, flip: str,
              fill_sheet: bool, output: Path | None) -> None:
    """Impose COUNT cards n-up on press sheets, duplex, with crop marks and a slug line."""
    from nodkort.orders.sheet import sheet_file

    project = state.project()
    job = Job(card, lang, fmt, "discreet" if discreet else "plain", municipality, draft, bleed,
              allow_stale=allow_stale)
    _warn_ageing(project, job)
    result = sheet_file(project, job, count, paper, "long" if flip == "long" else "short", fill_sheet, output)
    plan = result.imposition.plans[0]
    grid = plan.grid
    size = result.path.stat().st_size
    click.echo(f"Wrote {result.path} ({result.laid.card.id}, {result.laid.format.name}, {lang}"
               f"{', discreet' if discreet else ''}{', DRAFT' if draft else ''}: {plan.count:,} cards, "
               f"{grid.per_sheet}-up ({grid.cols}×{grid.rows}) on {paper}, "
               f"{plan.sheets:,} sheet{'s' if plan.sheets != 1 else ''}, "
               f"{result.pages:,} pages, {size:,} bytes)")


@cli.command("batch")
@click.argument("orders", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Output folder: one subfolder per order, and manifest.json.")
@click.option("--combine", is_flag=True, help="One print PDF per order instead of one per card and language.")
@click.option("--paper", default="A4", show_default=True, help="Paper for rows that name none.")
@click.option("--bleed", type=click.FloatRange(0, 10), default=0.0, help="Bleed in mm.")
@click.option("--flip", type=click.Choice(["long", "short"]), default="long", show_default=True,
              help="The edge the sheets are turned over for the backs.")
@click.option("--fill-sheet", is_flag=True, help="Round every count up to fill its last sheet.")
@click.option("--draft", is_flag=True, help="Allow unreviewed translations, watermarked as drafts.")
@click.option("--resume", is_flag=True, help="Complete an interrupted run: keep files whose checksums match.")
@click.option("--force", is_flag=True, help="Write into a folder that holds something else.")
@click.option("--quiet", is_flag=True, help="No progress bar and no summary table.")
@click.pass_obj
@handle_errors
def batch_cmd(state: State, orders: Path, output: Path, combine: bool, paper: str, bleed: float, flip: str,
              fill_sheet: bool, draft: bool, resume: bool, force: bool, quiet: bool) -> None:
    """Print files, packing slips and a manifest for every order in ORDERS (CSV or XLSX)."""
    from nodkort.orders.plan import Options
    from nodkort.orders.run import run_batch

    project = state.project()
    options = Options(combine, bleed, "long" if flip == "long" else "short", fill_sheet, draft, paper)
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
        summary = run_batch(project, orders, output, options, resume=resume, force=force, progress=progress)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    for problem in summary.warnings:
        click.echo(f"Warning: {problem}", err=True)
    if quiet:
        return
    click.echo(f"{'order':<14} {'school':<28} {'municipality':<14} {'files':>5} {'cards':>8} {'sheets':>7}")
    cards = sheets = 0
    for order, files in summary.orders:
        n_cards = sum(f.cards for f in files)
        n_sheets = sum(f.sheets for f in files)
        cards, sheets = cards + n_cards, sheets + n_sheets
        click.echo(f"{order.id[:14]:<14} {order.school[:28]:<28} {order.municipality[:14]:<14} {len(files):>5} "
                   f"{n_cards:>8,} {n_sheets:>7,}")
    files_n = summary.written + summary.skipped
    orders_n = f"{len(summary.orders)} orders"
    click.echo(f"{'total':<14} {orders_n:<43} {files_n:>5} {cards:>8,} {sheets:>7,}")
    kept = f", {summary.skipped} kept from the earlier run" if summary.skipped else ""
    click.echo(f"Wrote {summary.written} files in {output}{kept}; checksums in {output / 'manifest.json'}")


def main() -> None:
    try:
        cli(prog_name="nodkort")
    except BrokenPipeError:  # output piped into `head` and closed: not an error worth a message
        sys.stderr.close()
        sys.exit(0)
