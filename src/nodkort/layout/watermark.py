"""Watermark: a laid-out draft card → the diagonal "DRAFT – translation not reviewed" lines its sides carry."""

from __future__ import annotations

import math
from dataclasses import dataclass

from nodkort.errors import Location
from nodkort.layout.primitives import Tag, TextLine, logical
from nodkort.layout.side import LaidCard
from nodkort.model import Cmyk, Language
from nodkort.text.fonts import FontBook
from nodkort.text.paragraph import Span, shape

DRAFT_SV = "UTKAST – översättningen är inte granskad"
DRAFT_EN = "DRAFT – translation not reviewed"  # for a language whose own notice is not yet written
DRAFT_COLOR = Cmyk(0.0, 0.85, 0.6, 0.0)
DRAFT_MAX_SIZE = 16.0  # points


@dataclass(frozen=True)
class Watermark:
    lines: tuple[TextLine, ...]  # positioned around (0, 0)
    angle: float
    color: Cmyk


def watermark(source: Language, laid: LaidCard, fonts: FontBook) -> Watermark:
    """ "DRAFT – translation not reviewed" in Swedish and in the language itself, diagonally across a side.

    The lines are centred on (0, 0); render.py turns them by the side's diagonal and draws them on every side.
    """
    notices = [(source.draft_notice or DRAFT_SV, source)]
    if not laid.language.source:
        notices.append((laid.language.draft_notice or DRAFT_EN, laid.language))
    shaped = [shape([Span(text, True)], lang, fonts, Location(key="draft watermark")) for text, lang in notices]
    width, height = laid.format.width, laid.format.height
    widest = max(s.width(0, len(s.text)) for s in shaped)
    # As large as fits: along 85 % of the diagonal, and all lines within the card's height.
    size = min(DRAFT_MAX_SIZE, 0.85 * math.hypot(width, height) / max(widest, 1e-6), height / (len(shaped) * 1.6))
    step = size * 1.25
    y = len(shaped) * step / 2 - size
    lines: list[TextLine] = []
    for paragraph, (_, lang) in zip(shaped, notices, strict=True):
        line = paragraph.line(0, len(paragraph.text))
        # what the notice says, for a tagged PDF's copied text (the watermark itself is an artifact there)
        said = (Tag("", (), logical(paragraph.text), 0, len(paragraph.text), lang.code),)
        lines.append(TextLine(line.glyphs, -line.width * size / 2, y, size, DRAFT_COLOR, said))
        y -= step
    return Watermark(tuple(lines), math.degrees(math.atan2(height, width)), DRAFT_COLOR)
