"""Work: the library calls the page makes, run in a pool of worker processes → plain values or the problems.

Each task is the call a command makes (`render`, `preview`, `sheet`, `contacts`, `lang status`, `proof`, `lang
review`, `batch`), returning bytes or plain values; a NodkortError comes back as `Failed` with its problems, so
the page shows the same words as the command line. One process per core keeps a slow order from freezing the
page; when every slot is taken the caller gets `Busy` at once (503, try again), never a hang.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
import time
import zipfile
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from nodkort.data.freshness import warnings as freshness_warnings
from nodkort.errors import ReviewError, UsageError
from nodkort.model import Job
from nodkort.pipeline import contact_ages, render
from nodkort.project import DataDir, Project
from nodkort.web.pool import Pool

T = TypeVar("T")


_data: DataDir | None = None
_project: tuple[str, Project] | None = None


def _init(root: str, why: str) -> None:
    global _data
    _data = DataDir(Path(root), why)
    threading.Thread(target=_follow, args=(os.getppid(),), name="nodkort-parent", daemon=True).start()


def _follow(parent: int) -> None:
    """End this worker when the server is gone: a server killed without closing its pool (SIGKILL, a crash)
    left its workers waiting for tasks forever, each holding its fonts and catalogs in memory."""
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(0)


def data_stamp(data: DataDir) -> str:
    """What the data folder holds on disk now, in a few bytes: the name, size, inode and change times of every
    file and folder under cards/, locales/ and the fonts folder. Any edit changes it (a file rewritten in place
    changes its ctime, which no tool sets back; one replaced by a rename changes its inode), so a card made
    before the edit is never taken for one made after it. Asked for on every card request: a few milliseconds."""
    found: list[tuple[str, int, int, int, int]] = []
    for folder in (data.cards, data.locales, data.fonts):
        _stat_tree(str(folder), found)
    found.sort()
    return hashlib.sha256(repr(found).encode()).hexdigest()[:16]


def _stat_tree(folder: str, found: list[tuple[str, int, int, int, int]]) -> None:
    try:
        entries = list(os.scandir(folder))
    except OSError:  # removed while we looked: the next look sees it gone
        return
    for entry in entries:
        try:
            st = entry.stat()
        except OSError:
            continue
        found.append((entry.path, st.st_size, st.st_ino, st.st_mtime_ns, st.st_ctime_ns))
        if entry.is_dir(follow_symlinks=False):
            _stat_tree(entry.path, found)


def project() -> Project:
    """The data folder, loaded once per worker and again whenever anything in it changed on disk (a template,
    a contact, a catalog, a review record, a font): a worker never renders from what the folder held before."""
    global _project
    assert _data is not None, "the worker was started without a data folder"
    stamp = data_stamp(_data)
    if _project is None or _project[0] != stamp:
        _project = (stamp, Project(_data))
    return _project[1]


# --- tasks (module-level functions: they are pickled by name into the workers) ----------------------------


@dataclass(frozen=True)
class CardResult:
    pdf: bytes
    name: str  # output.py's neutral name, as `nodkort render` chooses it
    draft_reason: str  # why this is a watermarked draft: the message render gives without --draft
    warnings: tuple[str, ...]
    preview: bytes  # both sides side by side (PNG), when asked for


def card(job: Job, preview_dpi: int) -> CardResult:
    """`nodkort render` (with --draft when the language is not reviewed, saying why), and `preview`."""
    from nodkort.pdf.preview import side_by_side

    proj = project()
    reason = ""
    try:
        laid, pdf = render(proj, job)
    except ReviewError as exc:
        if job.draft:
            raise
        reason, job = exc.message, replace(job, draft=True)
        laid, pdf = render(proj, job)
    warnings = tuple(str(p) for p in freshness_warnings(contact_ages(proj, job), job.allow_stale))
    png = side_by_side(pdf, preview_dpi) if preview_dpi else b""
    return CardResult(pdf, job.default_name(laid.format.name), reason, warnings, png)


def sheets(job: Job, count: int, paper: str) -> tuple[bytes, str]:
    """`nodkort sheet` (with --draft when the language is not reviewed): the imposed print PDF and its name."""
    from nodkort.orders.sheet import sheet_file

    with tempfile.TemporaryDirectory(prefix="nodkort-web-") as folder:
        target = Path(folder) / "sheets.pdf"
        try:
            result = sheet_file(project(), job, count, paper, "long", False, target)
        except ReviewError:
            if job.draft:
                raise
            # as the card: a language not yet reviewed prints as watermarked drafts (`nodkort sheet --draft`)
            job = replace(job, draft=True)
            result = sheet_file(project(), job, count, paper, "long", False, target)
        return result.path.read_bytes(), _sheet_name(job, result.laid.format.name, result.laid.municipality, count)


def _sheet_name(job: Job, fmt: str, place: str, count: int) -> str:
    from nodkort.data.regions import slug
    from nodkort.output import file_stem

    discreet = job.variant == "discreet"
    return f"{file_stem(job.card, job.lang, fmt, place=slug(place), discreet=discreet)}-{count}.pdf"


def contacts() -> list[tuple[str, ...]]:
    from nodkort.review import listing

    return listing.contact_rows(project(), date.today())


def status() -> Any:
    """`nodkort lang status`: the report of every gate for every language."""
    from nodkort.review.check import run_checks

    return run_checks(project())


def proof(code: str) -> tuple[bytes, str]:
    from nodkort.review.proof import proof_sheet

    proj = project()
    pdf, _ = proof_sheet(proj, proj.language(code))
    return pdf, f"proof-{code}.pdf"


def review_plan(code: str, reviewer: str, contexts: tuple[str, ...], same: tuple[str, ...]) -> Any:
    """What `nodkort lang review` lists before it asks: the plan and the lines it prints."""
    from nodkort.i18n.review import load_comments, parse_reviewer
    from nodkort.review.signing import describe, plan_review
    from nodkort.web.where import field_of

    proj = project()
    plan = plan_review(proj, proj.language(code), parse_reviewer(reviewer), contexts, same)
    when = datetime.now().astimezone().replace(second=0, microsecond=0)
    placed = {m.context for m in proj.messages if field_of(proj, m.context)}
    return plan, list(describe(plan, when, proj.data.root)), load_comments(proj.data.locales, code), placed


def review_comment(code: str, reviewer: str, comments: tuple[tuple[str, str], ...]) -> tuple[str, int]:
    """Comments to the translator, each on the translation as it is now: stored beside the review record, and
    never a review (nothing is signed)."""
    from nodkort.i18n.review import append_comment, parse_reviewer

    proj = project()
    lang = proj.language(code)
    who = parse_reviewer(reviewer)
    if lang.source:
        raise UsageError(f"{lang.english} ({lang.code}) is the source language: there is nothing to review")
    known = {m.context: m for m in proj.messages}
    unknown = sorted({c for c, _ in comments} - set(known))
    if unknown:
        raise UsageError(f"no such string: {', '.join(unknown)}")
    tr = proj.translations(lang, draft=True)
    when = datetime.now().astimezone().replace(second=0, microsecond=0)
    path = proj.data.root
    for context, text in comments:
        status = tr.status(context, known[context].msgid)
        text_now = status.text if status.state != "missing" else ""
        path = append_comment(proj.data.locales, code, lang.english, who, when, context, text_now, text)
    return str(path.relative_to(proj.data.root)), len(comments)


def review_sign(code: str, reviewer: str, contexts: tuple[str, ...], same: tuple[str, ...]) -> tuple[str, int]:
    """`nodkort lang review CODE --reviewer … --context … --yes`: the same plan, then the same record."""
    from nodkort.i18n.review import parse_reviewer
    from nodkort.review.signing import plan_review, sign

    proj = project()
    plan = plan_review(proj, proj.language(code), parse_reviewer(reviewer), contexts, same)
    when = datetime.now().astimezone().replace(second=0, microsecond=0)
    path = sign(proj, plan, when)
    return str(path.relative_to(proj.data.root)), len(plan.signable)


def where(code: str, context: str) -> bytes:
    """The side a string sits on, its box outlined (PNG); b"" when it has none."""
    from nodkort.web.where import highlighted

    proj = project()
    proj.language(code)  # an unknown language is refused as everywhere
    return highlighted(proj, code, context)


def order_plan(order_file: str, draft: bool) -> list[tuple[str, str, str, str, str, int, int, bool]]:
    """Check an order file as `nodkort batch` does before writing: one row per order line, or the problems."""
    from nodkort.orders.plan import Cards, Options, plan_batch

    proj = project()
    cards = Cards(proj, draft)
    batch = plan_batch(proj, Path(order_file), Options(draft=draft), cards)
    rows = []
    for order in batch.orders:
        for line in order.lines:
            _, sheets_n, printed = batch.sheets[line.row]
            marked = cards.get(cards.key(line, order.municipality))[1] is not None
            lang = proj.language(line.lang)
            rows.append(
                (
                    order.id,
                    order.school,
                    f"{lang.name} ({lang.code})",
                    line.card,
                    line.format,
                    printed,
                    sheets_n,
                    marked,
                )
            )
    return rows


def order_run(order_file: str, folder: str, draft: bool) -> str:
    """`nodkort batch ORDERS -o OUT [--draft]`, then every file of OUT in one ZIP; progress goes to a file."""
    from nodkort.orders.plan import Options
    from nodkort.orders.run import run_batch

    out = Path(folder) / "out"
    progress_file = Path(folder) / "progress"

    def progress(done: int, total: int, path: str) -> None:
        progress_file.write_text(f"{done} {total}", encoding="ascii")

    run_batch(project(), Path(order_file), out, Options(draft=draft), progress=progress)
    target = Path(folder) / "result.zip"
    zip_folder(out, target)
    return str(target)


def zip_folder(folder: Path, target: Path) -> None:
    """Every file under `folder`, sorted, with a fixed date: the same folder gives the same ZIP bytes."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(path.relative_to(folder).as_posix(), (1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())


# --- the pool ---------------------------------------------------------------------------------------------


def pool(data: DataDir, workers: int | None = None) -> Pool:
    """The worker processes that run the tasks above on `data`."""
    return Pool(data, _init, workers)


@dataclass(frozen=True)
class Info:
    """What the forms offer and the footer shows; read once, and again after a review changes a state."""

    root: str
    why: str
    data: str  # the data fingerprint print files carry in their slug line
    # id, version, formats, default format, needs a place, the card's own (Swedish) name
    cards: tuple[tuple[str, str, tuple[str, ...], str, bool, str], ...]
    languages: tuple[tuple[str, str, str, str, str], ...]  # code, own name, Swedish name, direction, review state
    municipalities: tuple[str, ...]  # those with a verified number: the others cannot be printed
    papers: tuple[str, ...]


def info() -> Info:
    from nodkort.data.regions import has_verified_number
    from nodkort.i18n.translations import names_in
    from nodkort.impose.paper import PAPERS_MM
    from nodkort.orders.furniture import data_fingerprint

    proj = project()
    swedish = names_in("sv", proj.languages)
    cards_ = []
    for card_id in proj.card_ids:
        c = proj.card(card_id)
        cards_.append((card_id, c.version, tuple(c.formats), c.default_format, c.needs_municipality, c.title))
    langs = tuple(
        (
            code,
            lang.name,
            (swedish[code] or (lang.english,))[0],
            lang.direction,
            proj.translations(lang).review_state(proj.messages),
        )
        for code, lang in proj.languages.items()
    )
    places = tuple(m.name for r in proj.regions.values() for m in r.region.municipalities if has_verified_number(m))
    fp = data_fingerprint(proj, list(proj.languages))
    return Info(str(proj.data.root), proj.data.why, fp, tuple(cards_), langs, places, tuple(PAPERS_MM))
