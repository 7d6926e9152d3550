"""Reference sheet: the whole data folder → one PDF with every card × format × variant × language, small and
labelled, drafts watermarked, and beside each card whatever keeps it from printing (`nodkort proof --all`).

A person looks at the whole set in minutes: one group of pages per card, format and variant, every language in
it side by side. Nothing stops the sheet: a card that does not fit, a catalog that cannot be read, a missing
municipality, are written in red beside the card (and listed again at the end), and the caller learns how many
cards have a problem. Each card is laid out by the same code as the per-language proof (proof_cards.lay_out).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field

from nodkort.errors import NodkortError
from nodkort.i18n.translations import Translations
from nodkort.layout.primitives import Fill, Item, TextLine
from nodkort.layout.side import LaidSide
from nodkort.layout.watermark import Watermark
from nodkort.model import DEFAULT_FAMILY, MM, Box, Card, Format, Language, Variant
from nodkort.pdf.document import PlacedSide, render_pages
from nodkort.project import Project
from nodkort.review.proof_cards import default_place, glyphless_strings, lay_out, variants
from nodkort.review.proof_page import GAP, GREY, LANDSCAPE, MARGIN, STATE_INK, ProofPage, Setter, heading

MAX_SCALE = 0.5  # a card at half size still shows every line; the PDF zooms further
LABEL = 4 * MM
ERROR_SIZE = 5.5
SHOWN_ERRORS = 3  # per card beside it; all of them on the list at the end


@dataclass
class Cell:
    """One card format and variant in one language, as far as it could be laid out."""

    label: str
    sides: tuple[LaidSide, ...] = ()
    mark: Watermark | None = None
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Group:
    """The cards of one card, format and variant, in every language."""

    card: Card
    fmt: Format
    variant: Variant
    cells: tuple[Cell, ...]
    place: str = ""  # the municipality whose local numbers the card shows

    @property
    def title(self) -> str:
        return " · ".join(p for p in (f"{self.card.id} card", self.fmt.name, self.variant, self.place) if p)


@dataclass(frozen=True)
class Sheet:
    pdf: bytes
    pages: int
    cards: int  # cells laid out
    failed: int  # cells with a problem


def reference_sheet(project: Project, municipality: str | None = None) -> Sheet:
    """Every card × format × variant × language on pages; problems beside the cards, never raised.

    A misspelt `municipality` is the one exception: it is a usage error (exit 2), as for the per-language proof.
    """
    if municipality:
        project.municipality(municipality)
    languages = list(project.languages.values())
    sv = project.language("sv")
    every_font = tuple(dict.fromkeys(f for lang in languages for f in lang.fonts))
    setter = Setter(project.fonts, sv, dataclasses.replace(sv, fonts=every_font))
    translations = {lang.code: _translations(project, lang) for lang in languages}
    groups = [
        Group(
            card,
            fmt,
            variant,
            tuple(_cell(project, card, fmt, variant, tr, municipality) for tr in translations.values()),
            _place_name(project, card, municipality),
        )
        for card in _cards(project)
        for fmt in card.formats.values()
        for variant in variants(card)
    ]
    pages: list[ProofPage] = [ProofPage(*LANDSCAPE)]
    starts: list[int] = []
    for group in groups:
        starts.append(len(pages) + 1)
        pages += _group_pages(group, setter)
    failed = [(g, c) for g in groups for c in g.cells if c.errors]
    problems_page = len(pages) + 1
    pages += _problem_pages(failed, setter)
    _front(pages[0], project, groups, starts, len(failed), problems_page, setter)
    for number, page in enumerate(pages, start=1):
        box = Box(page.width - MARGIN - 40 * MM, MARGIN / 2 - 1 * MM, 40 * MM, 4 * MM)
        setter.place(page.items, f"page {number} of {len(pages)}", setter.latin, box, 7, GREY)
    font = project.fonts.face(DEFAULT_FAMILY, "regular").name
    pdf = render_pages([page.value() for page in pages], font, "nodkort reference sheet")
    return Sheet(pdf, len(pages), sum(len(g.cells) for g in groups), len(failed))


def _cards(project: Project) -> list[Card]:
    return [project.card(card_id) for card_id in project.card_ids]


def _place_name(project: Project, card: Card, municipality: str | None) -> str:
    try:
        place = default_place(project, card, municipality)
    except NodkortError:
        return ""  # each of the card's cells says why
    return place[1].name if place else ""


def _translations(project: Project, lang: Language) -> Translations | tuple[Language, list[str]]:
    """A language's strings for drafts, or why its catalog cannot be read (shown beside each of its cards)."""
    try:
        return project.translations(lang, draft=True)
    except NodkortError as exc:
        return lang, [str(p).replace(f"{project.data.root}/", "") for p in exc.problems]


def _cell(
    project: Project,
    card: Card,
    fmt: Format,
    variant: Variant,
    tr: Translations | tuple[Language, list[str]],
    municipality: str | None,
) -> Cell:
    if isinstance(tr, tuple):
        lang, errors = tr
        return Cell(_label(lang, "catalog unreadable"), errors=list(errors))
    lang = tr.language
    try:
        place = default_place(project, card, municipality)
        messages = project.card_messages(card, place[0].region.id if place else None)
        state = tr.review_state(messages)
        glyphless = glyphless_strings(project, tr, project.card_messages(card))
        laid, errors, mark = lay_out(project, tr, card, fmt, variant, place, glyphless, state, {})
    except NodkortError as exc:
        return Cell(_label(lang, "not laid out"), errors=[str(p) for p in exc.problems])
    what = "source" if lang.source else ("reviewed" if mark is None else "draft")
    return Cell(_label(lang, what), laid.sides, mark, errors)


def _label(lang: Language, what: str) -> str:
    return f"{lang.code} · {lang.english} · {what}"


def _arrangement(fmt: Format, room: tuple[float, float]) -> tuple[bool, int, float]:
    """(sides beside each other, cells per row, scale): the arrangement that shows the most card per page."""
    n, w, h = len(fmt.sides), fmt.width, fmt.height
    best = (True, 1, 0.0, -1.0)
    for beside in (True, False):
        cell_w = n * w + (n - 1) * GAP if beside else w
        cell_h = h if beside else n * h + (n - 1) * GAP
        for columns in range(1, 6):
            scale = min(MAX_SCALE, (room[0] / columns - GAP) / cell_w, (room[1] - LABEL) / cell_h)
            rows = int(room[1] // (cell_h * scale + LABEL + GAP)) or 1
            covered = columns * rows * scale * scale
            if covered > best[3]:
                best = (beside, columns, scale, covered)
    return best[0], best[1], best[2]


def _group_pages(group: Group, setter: Setter) -> list[ProofPage]:
    """The group's cells in rows under its heading; a new page when a row does not fit."""
    first = ProofPage(*LANDSCAPE)
    top = heading(first, setter, group.title) - 2 * MM
    room = (first.width - 2 * MARGIN, top - MARGIN)
    beside, columns, scale = _arrangement(group.fmt, room)
    width = room[0] / columns
    pages, page, y = [first], first, top
    for start in range(0, len(group.cells), columns):
        row = [_cell_items(c, beside, scale, width - GAP, setter) for c in group.cells[start : start + columns]]
        height = max(r.height for r in row)
        if y - height < MARGIN and y < top:
            page = ProofPage(*LANDSCAPE)
            pages.append(page)
            y = heading(page, setter, f"{group.title} (continued)") - 2 * MM
        for column, laid in enumerate(row):
            laid.place(page, MARGIN + column * width, y)
        y -= height + GAP
    return pages


@dataclass
class _Laid:
    """A cell set at the origin (its top-left corner at 0, 0, y upwards): moved onto a page by `place`."""

    items: list[Item]
    sides: list[PlacedSide]
    height: float

    def place(self, page: ProofPage, x: float, y: float) -> None:
        for item in self.items:
            page.items.append(_moved(item, x, y))
        page.sides += [dataclasses.replace(s, x=s.x + x, y=s.y + y) for s in self.sides]


def _moved(item: Item, dx: float, dy: float) -> Item:
    """Only labels, frames and error text are set here; the cards themselves are placed as sides."""
    if isinstance(item, Fill):
        return dataclasses.replace(item, box=dataclasses.replace(item.box, x=item.box.x + dx, y=item.box.y + dy))
    assert isinstance(item, TextLine)
    return dataclasses.replace(item, x=item.x + dx, y=item.y + dy)


def _cell_items(cell: Cell, beside: bool, scale: float, width: float, setter: Setter) -> _Laid:
    items: list[Item] = []
    ink = STATE_INK["error"] if cell.errors else GREY
    used = setter.place(items, cell.label, setter.latin, Box(0, -LABEL, width, LABEL), 6.5, ink, bold=True)
    y = -max(used, LABEL)
    placed: list[PlacedSide] = []
    x = 0.0
    bottom = y
    for side in cell.sides:
        sw, sh = side.width * scale, side.height * scale
        sy = y - sh
        items += _frame(x, sy, sw, sh)
        placed.append(PlacedSide(side, x, sy, scale, cell.mark))
        bottom = min(bottom, sy)
        if beside:
            x += sw + GAP
        else:
            y = sy - GAP
    if cell.errors:
        shown = cell.errors[:SHOWN_ERRORS]
        more = len(cell.errors) - len(shown)
        text = "\n".join(shown) + (f"\n… and {more} more: see the list of problems at the end" if more else "")
        box = Box(0, bottom - 1 * MM - 400 * MM, width, 400 * MM)
        bottom -= 1 * MM + setter.place(items, text, setter.latin, box, ERROR_SIZE, STATE_INK["error"])
    return _Laid(items, placed, -bottom)


def _frame(x: float, y: float, w: float, h: float) -> list[Item]:
    """A hairline around the trimmed side."""
    line = 0.3
    return [
        Fill(Box(x - line, y - line, w + 2 * line, line), GREY),
        Fill(Box(x - line, y + h, w + 2 * line, line), GREY),
        Fill(Box(x - line, y, line, h), GREY),
        Fill(Box(x + w, y, line, h), GREY),
    ]


def _front(
    page: ProofPage,
    project: Project,
    groups: Sequence[Group],
    starts: Sequence[int],
    failed: int,
    problems_page: int,
    setter: Setter,
) -> None:
    y = heading(page, setter, "every card, format and language") - 4 * MM
    cells = sum(len(g.cells) for g in groups)
    width = page.width - 2 * MARGIN
    intro = (
        f"Data folder: {project.data.root} ({project.data.why}). {len(project.languages)} languages, "
        f"{len(project.card_ids)} cards, {len(groups)} card formats and variants: {cells} cards laid out. "
        "Drafts (no review recorded) carry the draft watermark; a reviewed language prints without it. "
        + (
            f"{failed} cards have a problem: written in red beside each card, and listed from page {problems_page}."
            if failed
            else "No card has a problem."
        )
    )
    y -= setter.place(page.items, intro, setter.latin, Box(MARGIN, y - 30 * MM, width, 30 * MM), 10) + 4 * MM
    for group, start in zip(groups, starts, strict=True):
        bad = sum(1 for c in group.cells if c.errors)
        line = f"{group.title}: page {start}" + (f" — {bad} with a problem" if bad else "")
        ink = STATE_INK["error"] if bad else STATE_INK["source"]
        y -= setter.place(page.items, line, setter.latin, Box(MARGIN, y - 6 * MM, width, 6 * MM), 9, ink)


def _problem_pages(failed: Sequence[tuple[Group, Cell]], setter: Setter) -> list[ProofPage]:
    """Every problem of every card, under the card's group and label."""
    if not failed:
        return []
    page = ProofPage(*LANDSCAPE)
    pages = [page]
    top = heading(page, setter, "problems")
    y = top
    width = page.width - 2 * MARGIN
    for group, cell in failed:
        text = f"{group.title} · {cell.label}\n" + "\n".join(f"  {e}" for e in cell.errors)
        probe: list[Item] = []
        height = setter.place(probe, text, setter.latin, Box(MARGIN, 0, width, 1000 * MM), 7, STATE_INK["error"])
        if y - height < MARGIN and y < top:
            page = ProofPage(*LANDSCAPE)
            pages.append(page)
            y = heading(page, setter, "problems (continued)")
        y -= setter.place(page.items, text, setter.latin, Box(MARGIN, y - height, width, height), 7, STATE_INK["error"])
        y -= 2 * MM
    return pages
