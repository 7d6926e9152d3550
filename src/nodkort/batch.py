"""Batch: an order file → an output folder of print PDFs, packing slips and a manifest; resumable and exact.

The steps: read and check the whole order file (orders.py); lay out every distinct card once and plan every
sheet, so that any problem (unreviewed language, missing glyph, paper too small) is reported for all rows
before anything is written; write each order's files atomically; record every file's SHA-256 in
manifest.json after each order. The manifest exists from the start of a run, so a run killed at any moment
can be completed with --resume, which skips the files whose checksums match. Output depends only on the
order file, the options and the data: a resumed run and an uninterrupted one give the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from . import __version__
from .errors import NodkortError, OrderError, OutputError, PaperError, Problem, UsageError
from .fonts import glyph_problems
from .freshness import warnings as freshness_warnings
from .imposition import Flip, Imposition, Run, impose, paper, plan, write_pdf
from .layout import LaidCard
from .model import MM, Variant
from .orders import CardInfo, Known, Line, Order, read_orders, rows_text
from .pipeline import Job, Project, atomic_output, contact_ages, draft_mark, lay_out, write_atomic
from .regions import slug
from .render import Watermark
from .slip import Slip, SlipRow, render_slip

MANIFEST = "manifest.json"
SLIP = "packing-slip.pdf"
COMBINED = "kort.pdf"  # neutral: an order's combined file may hold discreet cards
FURNITURE_FONTS = ("sans",)  # slug lines and packing slips: Latin text only

Progress = Callable[[int, int, str], None]  # done, total, file just finished
WHY = {  # what differs when a folder holds another run, for the message that refuses it
    "nodkort": "another nodkort version made it",
    "order_file": "it was made from another order file (or the file has changed)",
    "options": "it was made with other options (--combine, --paper, --bleed, --flip, --fill-sheet, --draft)",
    "data": "the cards' data (templates, contacts, regions or catalogs) has changed since",
}


@dataclass(frozen=True)
class Options:
    combine: bool = False
    bleed_mm: float = 0.0
    flip: Flip = "long"
    fill: bool = False
    draft: bool = False
    paper: str = "A4"  # for rows that name no paper

    def identity(self) -> dict[str, object]:
        return {
            "bleed_mm": self.bleed_mm,
            "combine": self.combine,
            "draft": self.draft,
            "fill_sheet": self.fill,
            "flip": self.flip,
            "paper": self.paper,
        }


# --- data the cards are made from -------------------------------------------------------------------------


def data_fingerprint(project: Project, langs: Iterable[str]) -> str:
    """A short digest of the templates, contacts, regions and the catalogs of `langs`: what the cards print.

    Two runs with the same fingerprint print the same cards; a change to any other language's catalog does
    not count, so a translator's work elsewhere does not stop an interrupted run from being resumed.
    """
    from .i18n import po_path

    digest = hashlib.sha256()
    root = project.data.root
    files = [*sorted(project.data.cards.rglob("*.toml")), project.data.locales / "languages.toml"]
    files += sorted(p for p in {po_path(project.data.locales, code) for code in langs} if p.is_file())
    for path in files:
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:10]


def known(project: Project, default_paper: str) -> Known:
    """What order rows may name: card ids, languages (code, English, own or Swedish name), places, papers."""
    from babel import Locale

    swedish = Locale.parse("sv").languages
    names: dict[str, str] = {}
    for code, lang in project.languages.items():
        for name in (code, lang.english, lang.name, swedish.get(code, ""), swedish.get(lang.babel, "")):
            if name:
                names.setdefault(name.casefold(), code)

    def language(text: str) -> str:
        code = names.get(text.strip().casefold())
        if code is None:
            raise UsageError(f"unknown language '{text}'")
        return code

    def municipality(text: str) -> str:
        return project.municipality(text)[1].name

    def paper_name(text: str) -> str:
        return paper(text).name

    cards = {}
    for card_id in project.card_ids:
        card = project.card(card_id)
        cards[card_id] = CardInfo(tuple(card.formats), card.default_format, card.needs_municipality)
    return Known(cards, language, municipality, paper_name, paper_name(default_paper))


@dataclass(frozen=True)
class CardKey:
    card: str
    lang: str
    format: str
    variant: Variant
    municipality: str | None  # only for cards that print local numbers


class Cards:
    """Each distinct card laid out once per run, with its draft watermark if it needs one."""

    def __init__(self, project: Project, draft: bool) -> None:
        self.project = project
        self.draft = draft
        self._laid: dict[CardKey, tuple[LaidCard, Watermark | None]] = {}

    def key(self, line: Line, municipality: str) -> CardKey:
        needs = self.project.card(line.card).needs_municipality
        return CardKey(
            line.card,
            line.lang,
            line.format,
            "discreet" if line.discreet else "plain",
            municipality if needs else None,
        )

    def get(self, key: CardKey) -> tuple[LaidCard, Watermark | None]:
        if key not in self._laid:
            job = Job(key.card, key.lang, key.format, key.variant, key.municipality, self.draft)
            laid = lay_out(self.project, job)
            self._laid[key] = (laid, draft_mark(self.project, job, laid))
        return self._laid[key]


# --- one sheet file, for `nodkort sheet` ------------------------------------------------------------------


@dataclass(frozen=True)
class SheetResult:
    laid: LaidCard
    imposition: Imposition
    pages: int
    path: Path


def sheet_file(
    project: Project, job: Job, count: int, paper_name: str, flip: Flip, fill: bool, output: Path | None
) -> SheetResult:
    """Impose `count` copies of one card and stream the sheets to `output` (atomically)."""
    if count < 1:
        raise UsageError(f"--count {count}: print at least one card")
    sheet = paper(paper_name)
    laid = lay_out(project, job)
    mark = draft_mark(project, job, laid)
    fp = data_fingerprint(project, [job.lang])
    discreet = job.variant == "discreet"
    stem = f"kort-{job.lang}" if discreet else f"{laid.card.id}-{job.lang}-{laid.format.name}"
    if laid.municipality and not discreet:
        stem += f"-{slug(laid.municipality)}"
    place = f" · {laid.municipality}" if laid.municipality else ""
    text = (
        f"{stem} v{laid.card.version}" if discreet else f"{laid.card.id} v{laid.card.version} · {job.lang}"
    ) + f"{place} · data {fp}"
    _furniture_gate(project, [("slug line", text)])
    run = Run("r0", laid.sides, mark, count, text, f"{laid.card.id}/{laid.format.name}")
    imposition = impose([(run, sheet)], job.bleed_mm * MM, flip, fill, _font(project))
    path = output or Path(f"{stem}-{count}.pdf")
    with atomic_output(path) as out:
        pages = write_pdf(imposition, out, laid.title, discreet)
    return SheetResult(laid, imposition, pages, path)


def _font(project: Project) -> str:
    return project.fonts.face(FURNITURE_FONTS[0], "regular").name


def _bold(project: Project) -> str:
    return project.fonts.face(FURNITURE_FONTS[0], "bold").name


def _furniture_gate(project: Project, texts: list[tuple[str, str]]) -> None:
    """Slug lines and slips are drawn without the text engine: refuse any character the face lacks."""
    problems = glyph_problems(project.fonts, texts, FURNITURE_FONTS, "sv")
    if problems:
        raise OrderError(problems)


# --- planning a batch -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedFile:
    path: str  # relative to the output folder: "<order id>/<name>.pdf"
    order: Order
    kind: Literal["print", "slip"]
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class Plan:
    orders: tuple[Order, ...]
    files: tuple[PlannedFile, ...]
    sheets: dict[int, tuple[int, int, int]]  # row → (cards per sheet, sheets, cards printed)
    cards: tuple[CardKey, ...]  # every distinct card, laid out once


def plan_batch(project: Project, order_path: Path, options: Options, cards: Cards) -> Plan:
    """Read and check everything before a single byte is written; every problem is reported at once."""
    orders = read_orders(order_path, known(project, options.paper))
    problems: list[Problem] = []
    sheets: dict[int, tuple[int, int, int]] = {}
    uses: dict[CardKey, list[int]] = {}
    for order in orders:
        for line in order.lines:
            uses.setdefault(cards.key(line, order.municipality), []).append(line.row)
    for key, rows in uses.items():
        try:
            cards.get(key)
        except NodkortError as exc:
            label = f"{key.card}/{key.format} in {key.lang}" + (
                f" for {key.municipality}" if key.municipality else ""
            )
            problems += [Problem(f"{order_path}:{rows_text(rows)}", f"{label}: {p}") for p in exc.problems]
    grids: dict[tuple[str, str, str], tuple[int, list[Problem]]] = {}
    for order in orders:
        for line in order.lines:
            fmt = project.card(line.card).formats[line.format]
            spec = (line.card, line.format, line.paper)
            if spec not in grids:
                try:
                    grid = plan(
                        paper(line.paper),
                        fmt.width,
                        fmt.height,
                        options.bleed_mm * MM,
                        f"{line.card}/{line.format}",
                    )
                    grids[spec] = (grid.per_sheet, [])
                except PaperError as exc:
                    grids[spec] = (0, list(exc.problems))
            per, paper_problems = grids[spec]
            problems += [
                Problem(f"{order_path}:row {line.row} [paper]", p.what, p.fix) for p in paper_problems
            ]
            if per:
                count = math.ceil(line.quantity / per)
                sheets[line.row] = (per, count, count * per if options.fill else line.quantity)
    texts = [(f"{order_path}:{rows_text(o.rows)} [school]", f"{o.school} {o.municipality}") for o in orders]
    problems += glyph_problems(project.fonts, texts, FURNITURE_FONTS, "sv")
    if problems:
        raise OrderError(problems)
    files = []
    for order in orders:
        files += _order_files(project, order, options.combine)
    return Plan(tuple(orders), tuple(files), sheets, tuple(uses))


def _order_files(project: Project, order: Order, combine: bool) -> list[PlannedFile]:
    if combine:
        prints = [PlannedFile(f"{order.id}/{COMBINED}", order, "print", order.lines)]
    else:
        prints = []
        names: set[str] = set()
        discreet = 0
        for line in order.lines:
            if line.discreet:
                discreet += 1
                name = f"kort-{line.lang}-{discreet}"  # nothing of the card's subject in the name
            else:
                name = f"{line.card}-{line.lang}-{line.format}"
                if project.card(line.card).needs_municipality:
                    name += f"-{slug(order.municipality)}"
                if name + ".pdf" in names:
                    name += f"-{slug(line.paper)}"
            names.add(name + ".pdf")
            prints.append(PlannedFile(f"{order.id}/{name}.pdf", order, "print", (line,)))
    return [*prints, PlannedFile(f"{order.id}/{SLIP}", order, "slip", order.lines)]


# --- writing ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FileResult:
    path: str
    sha256: str
    bytes: int
    cards: int
    sheets: int
    written: bool  # False when --resume found it complete


@dataclass(frozen=True)
class Summary:
    orders: tuple[tuple[Order, tuple[FileResult, ...]], ...]
    data: str
    warnings: tuple[Problem, ...] = ()  # numbers due to be verified again: they print, with a warning

    @property
    def written(self) -> int:
        return sum(f.written for _, files in self.orders for f in files)

    @property
    def skipped(self) -> int:
        return sum(not f.written for _, files in self.orders for f in files)


def run_batch(
    project: Project,
    order_path: Path,
    out: Path,
    options: Options,
    *,
    resume: bool = False,
    force: bool = False,
    progress: Progress | None = None,
    pause: float = 0.0,
) -> Summary:
    """Check the order file, then write every order's files; see the module docstring for the guarantees."""
    cards = Cards(project, options.draft)
    batch = plan_batch(project, order_path, options, cards)
    fp = data_fingerprint(project, {line.lang for o in batch.orders for line in o.lines})
    identity: dict[str, object] = {
        "nodkort": __version__,
        "order_file": {"name": order_path.name, "sha256": _sha(order_path.read_bytes())},
        "options": options.identity(),
        "data": fp,
    }
    previous = _check_folder(out, identity, resume, force)
    out.mkdir(parents=True, exist_ok=True)
    for stale in [*out.glob(".*.part"), *out.glob("*/.*.part")]:
        stale.unlink()  # the temporary file of a run that was killed mid-write
    _write_manifest(out, identity, [], complete=False)
    done: list[tuple[Order, tuple[FileResult, ...]]] = []
    total = len(batch.files)
    count = 0
    for order in batch.orders:
        (out / order.id).mkdir(exist_ok=True)
        results = []
        for planned in (f for f in batch.files if f.order is order):
            target = out / planned.path
            old = previous.get(planned.path)
            cards_n, sheets_n = _counts(planned, batch)
            if old is not None and target.is_file() and _sha(target.read_bytes()) == old["sha256"]:
                results.append(
                    FileResult(
                        planned.path, str(old["sha256"]), int(str(old["bytes"])), cards_n, sheets_n, False
                    )
                )
            else:
                data = _render_file(project, planned, batch, cards, options, fp)
                write_atomic(target, data, sync=False)  # --resume checks every checksum: no fsync needed
                results.append(FileResult(planned.path, _sha(data), len(data), cards_n, sheets_n, True))
                if pause:
                    time.sleep(pause)  # lets tests interrupt a run between two files
            count += 1
            if progress is not None:
                progress(count, total, planned.path)
        done.append((order, tuple(results)))
        _write_manifest(out, identity, done, complete=False)
    os.sync()  # every file on disk before the manifest says the run is complete
    _write_manifest(out, identity, done, complete=True)
    return Summary(tuple(done), fp, _ageing(project, batch))


def _ageing(project: Project, batch: Plan) -> tuple[Problem, ...]:
    """Contacts verified more than 12 months ago on any card of the run, each named once."""
    found: dict[str, Problem] = {}
    for key in batch.cards:
        job = Job(key.card, key.lang, key.format, key.variant, key.municipality)
        for problem in freshness_warnings(contact_ages(project, job)):
            found.setdefault(str(problem), problem)
    return tuple(found.values())


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _counts(planned: PlannedFile, batch: Plan) -> tuple[int, int]:
    if planned.kind == "slip":
        return 0, 0
    return (
        sum(batch.sheets[line.row][2] for line in planned.lines),
        sum(batch.sheets[line.row][1] for line in planned.lines),
    )


def _check_folder(
    out: Path, identity: dict[str, object], resume: bool, force: bool
) -> dict[str, dict[str, object]]:
    """The files of a previous run of the same order (path → manifest entry) that --resume may keep."""
    if out.exists() and not out.is_dir():
        raise OutputError(Problem(str(out), "exists and is not a folder", "choose a folder for the output"))
    if not out.exists() or not any(out.iterdir()):
        return {}
    manifest = out / MANIFEST
    try:
        old = json.loads(manifest.read_text(encoding="utf-8")) if manifest.is_file() else None
    except (OSError, ValueError):
        old = None
    same = isinstance(old, dict) and all(old.get(k) == v for k, v in identity.items())
    if same and isinstance(old, dict):
        if not resume:
            return {}  # the same order again: every file is made anew (and comes out the same)
        return {str(f["path"]): f for o in old.get("orders", []) for f in o.get("files", [])}
    if force:
        return {}
    if isinstance(old, dict):
        differs = [WHY[k] for k in identity if old.get(k) != identity[k]]
        raise OutputError(
            Problem(
                str(out),
                f"holds an earlier run that differs: {'; '.join(differs)}",
                "choose an empty folder, or add --force to write into this one anyway",
            )
        )
    raise OutputError(
        Problem(
            str(out),
            "is not empty and holds no earlier run of this order (no manifest.json)",
            "choose an empty folder, or add --force to write into this one anyway",
        )
    )


def _write_manifest(
    out: Path,
    identity: dict[str, object],
    done: Iterable[tuple[Order, tuple[FileResult, ...]]],
    complete: bool,
) -> None:
    """Everything that makes the run, and every file with its SHA-256; no timestamps, so runs compare."""
    orders = [
        {
            "id": order.id,
            "school": order.school,
            "municipality": order.municipality,
            "files": [
                {"path": f.path, "sha256": f.sha256, "bytes": f.bytes, "cards": f.cards, "sheets": f.sheets}
                for f in files
            ],
        }
        for order, files in done
    ]
    manifest = {**identity, "complete": complete, "orders": orders}
    data = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode()
    write_atomic(out / MANIFEST, data, sync=complete)


def _render_file(
    project: Project, planned: PlannedFile, batch: Plan, cards: Cards, options: Options, fp: str
) -> bytes:
    if planned.kind == "slip":
        return _slip(project, planned, batch, fp)
    order = planned.order
    runs = []
    for i, line in enumerate(planned.lines):
        laid, mark = cards.get(cards.key(line, order.municipality))
        what = (
            f"{Path(planned.path).stem} v{laid.card.version}"
            if line.discreet
            else f"{line.card} v{laid.card.version} · {line.lang}"
        )
        text = f"{order.id} · {what} · {order.municipality} · data {fp}"
        runs.append(
            (
                Run(f"r{i}", laid.sides, mark, line.quantity, text, f"{line.card}/{line.format}"),
                paper(line.paper),
            )
        )
    discreet = any(line.discreet for line in planned.lines)
    if len(planned.lines) == 1:
        title = cards.get(cards.key(planned.lines[0], order.municipality))[0].title
    else:
        title = f"Order {order.id}"  # a combined file: nothing of any card's subject
    imposition = impose(runs, options.bleed_mm * MM, options.flip, options.fill, _font(project))
    buffer = io.BytesIO()
    write_pdf(imposition, buffer, title, discreet)
    return buffer.getvalue()


# --- packing slip -----------------------------------------------------------------------------------------


def _slip(project: Project, planned: PlannedFile, batch: Plan, fp: str) -> bytes:
    """What the box holds: order, school, municipality, each file's cards and sheets, and the data version."""
    order = planned.order
    files = {line.row: f.path.split("/", 1)[1] for f in batch.files
             if f.order is order and f.kind == "print" for line in f.lines}
    rows = []
    for line in order.lines:
        _, sheets, printed = batch.sheets[line.row]
        lang = project.language(line.lang)
        rows.append(SlipRow(files[line.row], line.card, f"{lang.english} ({lang.code})", line.format,
                            "discreet" if line.discreet else "plain", printed, sheets, line.paper))
    versions = sorted({f"{line.card} v{project.card(line.card).version}" for line in order.lines})
    data = f"{', '.join(versions)} · data {fp} · nodkort {__version__}"
    slip = Slip(order.id, order.school, order.municipality, data, tuple(rows))
    return render_slip(slip, _font(project), _bold(project))
