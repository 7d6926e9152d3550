"""Batch: an order file → an output folder of print PDFs, packing slips and a manifest; resumable and exact.

The steps: plan the run (batchplan.py: read and check the whole order file, lay out every distinct card once
and plan every sheet, so that any problem is reported for all rows before anything is written); write each
order's files atomically; record every file's SHA-256 in manifest.json (manifest.py) after each order. The
manifest exists from the start of a run, so a run killed at any moment can be completed with --resume, which
skips the files whose checksums match. Output depends only on the order file, the options and the data: a
resumed run and an uninterrupted one give the same bytes.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from nodkort import __version__
from nodkort.data.freshness import warnings as freshness_warnings
from nodkort.errors import Problem
from nodkort.impose.imposition import Run, impose
from nodkort.impose.paper import paper
from nodkort.model import Job
from nodkort.orders.furniture import data_fingerprint, furniture_bold, furniture_font, guard_output, press_notes
from nodkort.orders.manifest import FileResult, check_folder, checksum, make_folder, prepare_folder, write_manifest
from nodkort.orders.parse import Order
from nodkort.orders.plan import Cards, Options, Plan, PlannedFile, plan_batch
from nodkort.orders.slip import Slip, SlipRow, render_slip
from nodkort.output import slug_text, write_atomic
from nodkort.pdf.sheets import write_pdf
from nodkort.pipeline import contact_ages
from nodkort.project import Project

Progress = Callable[[int, int, str], None]  # done, total, file just finished


@dataclass(frozen=True)
class Summary:
    orders: tuple[tuple[Order, tuple[FileResult, ...]], ...]
    data: str
    warnings: tuple[Problem, ...] = ()  # numbers due to be verified again: they print, with a warning
    notes: tuple[str, ...] = ()  # what the order file held besides orders: a title, a totals row

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
) -> Summary:
    """Check the order file, then write every order's files; see the module docstring for the guarantees."""
    guard_output(project, out, [order_path], folder=True)
    cards = Cards(project, options.draft)
    batch = plan_batch(project, order_path, options, cards)
    prepare_folder(out, [o.id for o in batch.orders])
    fp = data_fingerprint(project, {line.lang for o in batch.orders for line in o.lines})
    identity: dict[str, object] = {
        "nodkort": __version__,
        "order_file": {"name": order_path.name, "sha256": checksum(order_path.read_bytes())},
        "options": options.identity(),
        "data": fp,
    }
    previous = check_folder(out, identity, resume, force)
    make_folder(out)
    for stale in [*out.glob(".*.part"), *out.glob("*/.*.part")]:
        stale.unlink()  # the temporary file of a run that was killed mid-write
    write_manifest(out, identity, [], complete=False)
    done: list[tuple[Order, tuple[FileResult, ...]]] = []
    total = len(batch.files)
    count = 0
    for order in batch.orders:
        make_folder(out / order.id)
        results = []
        for planned in (f for f in batch.files if f.order is order):
            target = out / planned.path
            old = previous.get(planned.path)
            cards_n, sheets_n = _counts(planned, batch)
            if old is not None and target.is_file() and checksum(target.read_bytes()) == old["sha256"]:
                results.append(
                    FileResult(planned.path, str(old["sha256"]), int(str(old["bytes"])), cards_n, sheets_n, False)
                )
            else:
                data = _render_file(project, planned, batch, cards, options, fp)
                write_atomic(target, data, sync=False)  # --resume checks every checksum: no fsync needed
                results.append(FileResult(planned.path, checksum(data), len(data), cards_n, sheets_n, True))
            count += 1
            if progress is not None:
                progress(count, total, planned.path)
        done.append((order, tuple(results)))
        write_manifest(out, identity, done, complete=False)
    os.sync()  # every file on disk before the manifest says the run is complete
    write_manifest(out, identity, done, complete=True)
    return Summary(tuple(done), fp, _ageing(project, batch), batch.notes)


def _ageing(project: Project, batch: Plan) -> tuple[Problem, ...]:
    """Contacts verified more than 12 months ago on any card of the run, each named once."""
    found: dict[str, Problem] = {}
    for key in batch.cards:
        job = Job(key.card, key.lang, key.format, key.variant, key.municipality)
        for problem in freshness_warnings(contact_ages(project, job)):
            found.setdefault(str(problem), problem)
    return tuple(found.values())


def _counts(planned: PlannedFile, batch: Plan) -> tuple[int, int]:
    if planned.kind == "slip":
        return 0, 0
    return (
        sum(batch.sheets[line.row][2] for line in planned.lines),
        sum(batch.sheets[line.row][1] for line in planned.lines),
    )


def _render_file(project: Project, planned: PlannedFile, batch: Plan, cards: Cards, options: Options, fp: str) -> bytes:
    if planned.kind == "slip":
        return _slip(project, planned, batch, cards, fp)
    order = planned.order
    runs = []
    for i, line in enumerate(planned.lines):
        laid, mark = cards.get(cards.key(line, order.municipality))
        text = slug_text(
            line.card,
            laid.card.version,
            line.lang,
            Path(planned.path).stem,
            fp,
            discreet=line.discreet,
            order=order.id,
            place=order.municipality,
        )
        text = press_notes(text, draft=mark is not None, flip=options.flip, sides=len(laid.sides))
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
    imposition = impose(runs, options.bleed, options.flip, options.fill, furniture_font(project))
    buffer = io.BytesIO()
    langs = {line.lang for line in planned.lines}
    lang = langs.pop() if len(langs) == 1 else "mul"  # BCP 47 "mul": a combined file in several languages
    write_pdf(imposition, buffer, title, discreet, options.pdf_standard, lang)
    return buffer.getvalue()


# --- packing slip -----------------------------------------------------------------------------------------


def _slip(project: Project, planned: PlannedFile, batch: Plan, cards: Cards, fp: str) -> bytes:
    """What the box holds: order, school, municipality, each file's cards, sheets and pages, and the data version."""
    order = planned.order
    where: dict[int, tuple[str, str]] = {}  # row → its file, and its pages when the file holds several rows
    for f in batch.files:
        if f.order is not order or f.kind != "print":
            continue
        page = 1
        for line in f.lines:
            pages = batch.sheets[line.row][1] * len(cards.get(cards.key(line, order.municipality))[0].sides)
            span = f"{page}–{page + pages - 1}" if pages > 1 else str(page)
            where[line.row] = (f.path.split("/", 1)[1], span)
            page += pages
    rows = []
    for line in order.lines:
        _, sheets, printed = batch.sheets[line.row]
        lang = project.language(line.lang)
        draft = cards.get(cards.key(line, order.municipality))[1] is not None
        rows.append(
            SlipRow(
                *where[line.row],
                line.card,
                f"{lang.english} ({lang.code})",
                line.format,
                "discreet" if line.discreet else "plain",
                printed,
                sheets,
                line.paper,
                draft,
            )
        )
    versions = sorted({f"{line.card} v{project.card(line.card).version}" for line in order.lines})
    data = f"{', '.join(versions)} · data {fp} · nodkort {__version__}"
    slip = Slip(order.id, order.school, order.municipality, data, tuple(rows))
    return render_slip(slip, furniture_font(project), furniture_bold(project))


def plural(count: int, word: str, words: str = "") -> str:
    return f"{count:,} {word if count == 1 else words or word + 's'}"


def summary_table(summary: Summary, output: Path) -> Iterator[str]:
    """The table `nodkort batch` prints: a row per order (files, cards, sheets), the total, where it all went."""
    yield f"{'order':<14} {'school':<28} {'municipality':<14} {'files':>5} {'cards':>8} {'sheets':>7}"
    cards = sheets = 0
    for order, files in summary.orders:
        n_cards = sum(f.cards for f in files)
        n_sheets = sum(f.sheets for f in files)
        cards, sheets = cards + n_cards, sheets + n_sheets
        yield (
            f"{order.id[:14]:<14} {order.school[:28]:<28} {order.municipality[:14]:<14} {len(files):>5} "
            f"{n_cards:>8,} {n_sheets:>7,}"
        )
    files_n = summary.written + summary.skipped
    orders_n = plural(len(summary.orders), "order")
    yield f"{'total':<14} {orders_n:<43} {files_n:>5} {cards:>8,} {sheets:>7,}"
    kept = f", {summary.skipped} kept from the earlier run" if summary.skipped else ""
    yield f"Wrote {plural(summary.written, 'file')} in {output}{kept}; checksums in {output / 'manifest.json'}"
