"""Sheet file: one card and a count → a PDF of press sheets, imposed n-up with a slug line (`nodkort sheet`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from nodkort.data.regions import slug
from nodkort.errors import Location, PaperError, Problem, UsageError
from nodkort.impose.grid import Flip
from nodkort.impose.imposition import Imposition, Run, impose
from nodkort.impose.paper import paper
from nodkort.layout.side import LaidCard
from nodkort.model import Job
from nodkort.orders.furniture import data_fingerprint, furniture_font, furniture_gate, guard_output, press_notes
from nodkort.orders.parse import MAX_CARDS
from nodkort.output import atomic_output, file_stem, slug_text
from nodkort.pdf.sheets import write_pdf
from nodkort.pdf.standards import Standard
from nodkort.pipeline import draft_mark, lay_out
from nodkort.project import Project


@dataclass(frozen=True)
class SheetResult:
    laid: LaidCard
    imposition: Imposition
    pages: int
    path: Path


def sheet_file(
    project: Project,
    job: Job,
    count: int,
    paper_name: str,
    flip: Flip,
    fill: bool,
    output: Path | None,
    standard: Standard = "none",
) -> SheetResult:
    """Impose `count` copies of one card and stream the sheets to `output` (atomically)."""
    if count < 1:
        raise UsageError(f"--count {count}: print at least one card")
    if count > MAX_CARDS:
        raise UsageError(f"--count {count:,}: one run prints at most {MAX_CARDS:,} cards".replace(",", " "))
    sheet = paper(paper_name)
    laid = lay_out(project, job)
    mark = draft_mark(project, job, laid)
    fp = data_fingerprint(project, [job.lang])
    discreet = job.variant == "discreet"
    stem = file_stem(laid.card.id, job.lang, laid.format.name, place=slug(laid.municipality), discreet=discreet)
    path = output or Path(f"{stem}-{count}.pdf")
    guard_output(project, path)
    text = slug_text(laid.card.id, laid.card.version, job.lang, stem, fp, discreet=discreet, place=laid.municipality)
    text = press_notes(text, draft=mark is not None, flip=flip, sides=len(laid.sides))
    furniture_gate(project, [(Location(key="slug line"), text)])
    run = Run("r0", laid.sides, mark, count, text, f"{laid.card.id}/{laid.format.name}")
    try:
        imposition = impose([(run, sheet)], job.bleed, flip, fill, furniture_font(project))
    except PaperError as exc:  # the paper is the user's choice: bad usage, not bad data
        where = Location(key=f"--paper {paper_name}")
        raise UsageError([Problem(where, p.what, p.fix) for p in exc.problems]) from None
    with atomic_output(path) as out:
        pages = write_pdf(imposition, out, laid.title, discreet, standard, job.lang)
    return SheetResult(laid, imposition, pages, path)


def describe(result: SheetResult, job: Job, paper_name: str) -> str:
    """The line `nodkort sheet` prints about the file it wrote."""
    plan = result.imposition.plans[0]
    grid = plan.grid
    size = result.path.stat().st_size
    return (
        f"Wrote {result.path} ({result.laid.card.id}, {result.laid.format.name}, {job.lang}"
        f"{', discreet' if job.variant == 'discreet' else ''}{', DRAFT' if job.draft else ''}: "
        f"{plan.count:,} cards, {grid.per_sheet}-up ({grid.cols}×{grid.rows}) on {paper_name}, "
        f"{plan.sheets:,} sheet{'s' if plan.sheets != 1 else ''}, {result.pages:,} pages, {size:,} bytes)"
    )
