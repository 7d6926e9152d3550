"""Proof pages: the page, the running head and the text setter that the proof sheet's pages are built with.

Text is set with the project's own engine (shaping, bidi, line breaking), never with a PDF library's, so that
a proof shows a script exactly as the card does.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from nodkort.errors import GlyphError, Location
from nodkort.layout.primitives import Item, TextLine
from nodkort.model import BLACK, DEFAULT_FAMILY, MM, Box, Cmyk, Language
from nodkort.pdf.document import Page, PlacedSide
from nodkort.text.fonts import FontBook
from nodkort.text.paragraph import Shaped, Span, shape

_QUOTED_CHAR = re.compile(r" \('.*?'\)")
PORTRAIT = (210 * MM, 297 * MM)
LANDSCAPE = (297 * MM, 210 * MM)
MARGIN = 14 * MM
GAP = 3 * MM
GREY = Cmyk(0, 0, 0, 0.55)
RULE = Cmyk(0, 0, 0, 0.2)
ORANGE, ORANGE_TINT = Cmyk(0, 0.55, 1, 0.05), Cmyk(0, 0.12, 0.3, 0)
STATE_INK: dict[str, Cmyk] = {
    "reviewed": Cmyk(0.85, 0.1, 1, 0.25),
    "unreviewed": ORANGE,
    "changed": ORANGE,
    "fuzzy": ORANGE,
    "missing": Cmyk(0, 1, 1, 0.15),
    "source": GREY,
    "error": Cmyk(0, 1, 1, 0.15),
}
STATE_TINT: dict[str, Cmyk] = {
    "reviewed": Cmyk(0.12, 0, 0.15, 0),
    "unreviewed": ORANGE_TINT,
    "changed": ORANGE_TINT,
    "fuzzy": ORANGE_TINT,
    "missing": Cmyk(0, 0.18, 0.12, 0),
    "source": Cmyk(0, 0, 0, 0.05),
    "error": Cmyk(0, 0.18, 0.12, 0),
}


@dataclass
class ProofPage:
    """A page being filled in; `value()` is the page pdf/document.py draws."""

    width: float
    height: float
    items: list[Item] = field(default_factory=list)
    sides: list[PlacedSide] = field(default_factory=list)

    def value(self) -> Page:
        return Page(self.width, self.height, tuple(self.items), tuple(self.sides))


class Setter:
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


def heading(page: ProofPage, setter: Setter, text: str) -> float:
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
