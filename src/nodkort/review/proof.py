"""Proof: a language's catalog and cards → a PDF for its reviewer: the strings, then the cards as they print.

For each string: where it sits (msgctxt and catalog line), the Swedish source, the translation and its state
(reviewed, fuzzy, missing). Then every card side in that language, laid out and drawn by the same code that
prints cards, watermarked while anything on it is unreviewed. Words are set with the project's own text
engine, so Arabic, Ethiopic or Thai read correctly here exactly when they do on the card.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from nodkort.data.regions import has_verified_number
from nodkort.errors import GlyphError, Location, NodkortError
from nodkort.i18n.extract import Message
from nodkort.i18n.translations import Translations
from nodkort.layout.primitives import Fill, Item, TextLine
from nodkort.layout.side import LaidSide
from nodkort.layout.watermark import Watermark
from nodkort.model import BLACK, DEFAULT_FAMILY, MM, Box, Card, Cmyk, Job, Language, Variant
from nodkort.pdf.document import Page, PlacedSide, render_pages
from nodkort.pipeline import draft_mark, lay_out
from nodkort.project import Project
from nodkort.text.fonts import FontBook
from nodkort.text.paragraph import Shaped, Span, shape

_QUOTED_CHAR = re.compile(r" \('.*?'\)")
PORTRAIT = (210 * MM, 297 * MM)
LANDSCAPE = (297 * MM, 210 * MM)
MARGIN = 14 * MM
GAP = 3 * MM
GREY = Cmyk(0, 0, 0, 0.55)
RULE = Cmyk(0, 0, 0, 0.2)
STATE_INK: dict[str, Cmyk] = {
    "reviewed": Cmyk(0.85, 0.1, 1, 0.25),
    "fuzzy": Cmyk(0, 0.55, 1, 0.05),
    "missing": Cmyk(0, 1, 1, 0.15),
    "source": GREY,
    "error": Cmyk(0, 1, 1, 0.15),
}
STATE_TINT: dict[str, Cmyk] = {
    "reviewed": Cmyk(0.12, 0, 0.15, 0),
    "fuzzy": Cmyk(0, 0.12, 0.3, 0),
    "missing": Cmyk(0, 0.18, 0.12, 0),
    "source": Cmyk(0, 0, 0, 0.05),
    "error": Cmyk(0, 0.18, 0.12, 0),
}
# Columns of the string table, in mm: context, Swedish source, translation, state.
COLUMNS_MM = (40.0, 58.0, 62.0, 22.0)
MEANING = {
    "reviewed": "a reviewer has checked it; it prints on final cards",
    "fuzzy": "drafted or changed, not yet reviewed; prints only on watermarked drafts",
    "missing": "not translated yet",
}


@dataclass
class _Page:
    """A page being filled in; `value()` is the page pdf/document.py draws."""

    width: float
    height: float
    items: list[Item] = field(default_factory=list)
    sides: list[PlacedSide] = field(default_factory=list)

    def value(self) -> Page:
        return Page(self.width, self.height, tuple(self.items), tuple(self.sides))


class _Setter:
    """Sets paragraphs into a column with the project's text engine and records the lines placed.

    `latin` sets the sheet's own words (left to right, Swedish and English) with the fonts of the language
    under review behind the Latin one, so that its name and any quoted character can be shown too.
    """

    def __init__(self, book: FontBook, sv: Language, lang: Language) -> None:
        self.book = book
        self.latin = dataclasses.replace(sv, fonts=tuple(dict.fromkeys((DEFAULT_FAMILY, *sv.fonts, *lang.fonts))))

    def lines(
        self, text: str, lang: Language, width: float, size: float, bold: bool = False
    ) -> list[tuple[Shaped, int, int]]:
        out: list[tuple[Shaped, int, int]] = []
        for part in text.split("\n"):
            if not part.strip():
                continue
            shaped = shape([Span(part, bold)], lang, self.book, Location(key="proof sheet"))
            wrapped = shaped.wrap(width / size) or _hard_wrap(shaped, width / size)
            out += [(shaped, a, b) for a, b in wrapped]
        return out

    def place(
        self,
        items: list[Item],
        text: str,
        lang: Language,
        box: Box,
        size: float,
        color: Cmyk = BLACK,
        bold: bool = False,
    ) -> float:
        """Set `text` from the top of `box`; returns the height used. Right-to-left text aligns right."""
        try:
            lines = self.lines(text, lang, box.w, size, bold)
        except GlyphError as exc:
            # The glyph gate names the character; here the reviewer sees why the cell cannot show the text.
            lang, color, size = self.latin, STATE_INK["error"], min(size, 7.0)
            why = _QUOTED_CHAR.sub("", exc.problems[0].what)  # the code point, not the character no font has
            lines = self.lines(f"Cannot be shown: {why}", lang, box.w, size)
        ascent = self.book.face(lang.fonts[0], "bold" if bold else "regular").ascent
        baseline = box.top - size * ascent
        step = size * 1.25
        for shaped, a, b in lines:
            line = shaped.line(a, b)
            x = box.right - line.width * size if lang.direction == "rtl" else box.x
            items.append(TextLine(line.glyphs, x, baseline, size, color))
            baseline -= step
        return len(lines) * step if lines else 0.0


def _hard_wrap(shaped: Shaped, width: float) -> list[tuple[int, int]]:
    """Break inside a word wider than the column (a long msgctxt): a proof must not clip anything."""
    out: list[tuple[int, int]] = []
    start = 0
    for end in range(1, len(shaped.text) + 1):
        if end - start > 1 and shaped.width(start, end) > width:
            out.append((start, end - 1))
            start = end - 1
    out.append((start, len(shaped.text)))
    return out


def proof_sheet(
    project: Project, lang: Language, cards: Sequence[str] | None = None, municipality: str | None = None
) -> tuple[bytes, int]:
    """The proof PDF for `lang` and its number of pages. A catalog with errors is refused, as by render."""
    tr = project.translations(lang, draft=True)
    chosen = [project.card(cid) for cid in (cards or project.card_ids)]
    if municipality:
        project.municipality(municipality)  # a misspelt name is refused (exit 2), not printed on a card page
    setter = _Setter(project.fonts, project.language("sv"), lang)
    messages = project.cards_messages(chosen)
    pages = _string_pages(project, tr, messages, chosen, setter)
    for card in chosen:
        pages += _card_pages(project, lang, card, municipality, setter)
    for number, page in enumerate(pages, start=1):
        setter.place(
            page.items,
            f"page {number} of {len(pages)}",
            setter.latin,
            Box(page.width - MARGIN - 30 * MM, MARGIN / 2 - 1 * MM, 30 * MM, 4 * MM),
            7,
            GREY,
        )
    return _draw(pages, f"Proof: {lang.english} ({lang.code})", project), len(pages)


def _heading(page: _Page, setter: _Setter, text: str) -> float:
    """The running head of every page; returns the y below it."""
    top = page.height - MARGIN
    setter.place(
        page.items,
        f"nodkort proof sheet · {text}",
        setter.latin,
        Box(MARGIN, top - 5 * MM, page.width - 2 * MARGIN, 5 * MM),
        7.5,
        GREY,
    )
    return top - 7 * MM


def _string_pages(
    project: Project, tr: Translations, messages: Sequence[Message], cards: Sequence[Card], setter: _Setter
) -> list[_Page]:
    lang = tr.language
    counts = tr.state(messages)
    title = (
        f"{lang.name} – {lang.english} ({lang.code})" if lang.name != lang.english else f"{lang.english} ({lang.code})"
    )
    pages: list[_Page] = []

    def new_page() -> tuple[_Page, float]:
        page = _Page(*PORTRAIT)
        pages.append(page)
        y = _heading(page, setter, title)
        x = MARGIN
        labels = ("Context (msgctxt)", "Swedish source", f"Translation ({lang.code})", "State")
        for label, width in zip(labels, COLUMNS_MM, strict=True):
            box = Box(x, y - 5 * MM, width * MM - GAP, 5 * MM)
            setter.place(page.items, label, setter.latin, box, 8, bold=True)
            x += width * MM
        page.items.append(Fill(Box(MARGIN, y - 6 * MM, page.width - 2 * MARGIN, 0.6), BLACK))
        return page, y - 8 * MM

    page, y = new_page()
    width = page.width - 2 * MARGIN
    state = tr.review_state(messages)
    intro = (
        f"{title}: {state}. Of {len(messages)} strings on the {', '.join(c.id for c in cards)} card(s): "
        f"{counts['reviewed']} reviewed, {counts['fuzzy']} fuzzy, {counts['missing']} missing."
    )
    if lang.source:
        intro = f"{title} is the source language: these are the texts every translation is made from."
    used = setter.place(page.items, intro, setter.latin, Box(MARGIN, y - 20 * MM, width, 20 * MM), 9, bold=True)
    legend = "  ".join(f"{k}: {v}." for k, v in MEANING.items())
    used += setter.place(
        page.items,
        legend + f" Catalog: {tr.path.name if tr.path else '–'}; "
        "the line number beside each context finds the string in Poedit or a text editor.",
        setter.latin,
        Box(MARGIN, y - used - 30 * MM, width, 30 * MM),
        7.5,
        GREY,
    )
    y -= used + 4 * MM
    for message in messages:
        row = _row(tr, message, setter, y)
        if y - row.height < MARGIN and y < page.height - 40 * MM:
            page, y = new_page()
            row = _row(tr, message, setter, y)
        page.items += row.items
        y -= row.height
    return pages


@dataclass
class _Row:
    items: list[Item]
    height: float


def _row(tr: Translations, message: Message, setter: _Setter, top: float) -> _Row:
    """One string: context, Swedish, translation, state; a thin rule below."""
    text, state = tr.lookup(message.context, message.msgid)
    items: list[Item] = []
    x = MARGIN
    boxes = []
    for width in COLUMNS_MM:
        boxes.append(Box(x, top - 200 * MM, width * MM - GAP, 200 * MM))
        x += width * MM
    line = tr.line(message.context)
    where = message.context + (f"\nline {line}" if line else "")
    heights = [
        setter.place(items, where, setter.latin, boxes[0], 6.5, GREY),
        setter.place(items, message.msgid, setter.latin, boxes[1], 8),
    ]
    if state == "missing":
        heights.append(setter.place(items, "(not translated)", setter.latin, boxes[2], 7.5, STATE_INK["missing"]))
    elif state == "source":
        heights.append(0.0)
    else:
        heights.append(setter.place(items, text, tr.language, boxes[2], 8))
    label = {"fuzzy": "fuzzy – review"}.get(state, state)
    state_box = Box(boxes[3].x + 1 * MM, boxes[3].y, boxes[3].w - 1 * MM, boxes[3].h)
    heights.append(setter.place(items, label, setter.latin, state_box, 7, STATE_INK[state], bold=True))
    height = max(heights) + 2.5 * MM
    tint = Fill(Box(boxes[3].x, top - height + 1 * MM, boxes[3].w, height - 1 * MM), STATE_TINT[state])
    rule = Fill(Box(MARGIN, top - height + 0.5 * MM, sum(COLUMNS_MM) * MM - GAP, 0.3), RULE)
    return _Row([tint, rule, *items], height)


def _municipality(project: Project, card: Card, wanted: str | None) -> str | None:
    if not card.needs_municipality:
        return None
    if wanted:
        return wanted
    try:
        regions = project.regions
    except NodkortError:
        return None  # lay_out reports it on the card's page
    for data in regions.values():
        for m in data.region.municipalities:
            if has_verified_number(m):
                return m.name
    return None


def _variants(card: Card) -> list[Variant]:
    discreet = any(f.show == "discreet" for fmt in card.formats.values() for s in fmt.sides for f in s.fields)
    return ["plain", "discreet"] if discreet else ["plain"]


def _card_pages(project: Project, lang: Language, card: Card, municipality: str | None, setter: _Setter) -> list[_Page]:
    """A landscape page per format and variant with every side at full size (scaled down only to fit)."""
    place = _municipality(project, card, municipality)
    pages: list[_Page] = []
    for fmt in card.formats.values():
        for variant in _variants(card):
            page = _Page(*LANDSCAPE)
            pages.append(page)
            label = " · ".join(p for p in (f"{card.id} card", fmt.name, variant, place or "") if p)
            y = _heading(page, setter, f"{lang.english} ({lang.code}) · {label}") - 2 * MM
            job = Job(card.id, lang.code, fmt.name, variant, place, draft=True)
            try:
                laid = lay_out(project, job)
            except NodkortError as exc:
                # The proof still shows what is wrong; `nodkort check` lists the same problems.
                reason = exc.message.replace(f"{project.data.root}/", "")
                text = f"This card cannot be laid out in {lang.english}:\n{reason}"
                setter.place(
                    page.items,
                    text,
                    setter.latin,
                    Box(MARGIN, MARGIN, page.width - 2 * MARGIN, y - MARGIN),
                    9,
                    STATE_INK["error"],
                )
                continue
            mark = draft_mark(project, job, laid)
            _place_sides(page, laid.sides, mark, y, setter)
    return pages


def _place_sides(page: _Page, sides: Sequence[LaidSide], mark: Watermark | None, top: float, setter: _Setter) -> None:
    """Sides stacked, or side by side when that shows them larger; each labelled, with a hairline trim."""
    room_w, room_h = page.width - 2 * MARGIN, top - MARGIN
    label_h = 6 * MM
    w, h = max(s.width for s in sides), max(s.height for s in sides)
    n = len(sides)
    stacked = min(1.0, room_w / w, (room_h - n * label_h - (n - 1) * GAP) / (n * h))
    beside = min(1.0, (room_w - (n - 1) * GAP) / (n * w), (room_h - label_h) / h)
    scale = max(stacked, beside)
    x, y = MARGIN, top
    for side in sides:
        what = "outside: seen without opening" if side.outside else "inside"
        setter.place(
            page.items,
            f"{side.name} ({what}), {side.width / MM:.1f} × {side.height / MM:.1f} mm"
            + (f", shown at {scale:.0%}" if scale < 0.999 else ""),
            setter.latin,
            Box(x, y - label_h, side.width * scale, label_h),
            7,
            GREY,
        )
        sy = y - label_h - side.height * scale
        sw, sh = side.width * scale, side.height * scale
        hairline = 0.4
        page.items += [
            Fill(Box(x - hairline, sy - hairline, sw + 2 * hairline, hairline), GREY),
            Fill(Box(x - hairline, sy + sh, sw + 2 * hairline, hairline), GREY),
            Fill(Box(x - hairline, sy, hairline, sh), GREY),
            Fill(Box(x + sw, sy, hairline, sh), GREY),
        ]
        page.sides.append(PlacedSide(side, x, sy, scale, mark))
        if scale == beside and beside > stacked:
            x += sw + GAP
        else:
            y = sy - GAP


def _draw(pages: Sequence[_Page], title: str, project: Project) -> bytes:
    font = project.fonts.face(DEFAULT_FAMILY, "regular").name
    return render_pages([page.value() for page in pages], font, title)
