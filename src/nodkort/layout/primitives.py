"""Primitives: text lines, fills, QR codes and pictogram shapes in points, as layout hands them → render.

A line also says where its text sits in the card's reading structure (`Tag`), for a tagged PDF (PDF/UA);
drawing ignores it. Fills, shapes and untagged lines are decoration: a tagged PDF marks them as artifacts.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Literal

from nodkort.layout.qr import Matrix
from nodkort.model import Box, Cmyk
from nodkort.text.shaping import Glyph

SOURCE_LANG = "sv"  # every msgid is Swedish: a string left as its msgid on another card is Swedish text

# PDF standard structure types, as ISO 32000-1 §14.8.4 names them: the closed set a card's text takes.
Role = Literal["H1", "P", "L", "LI", "Lbl", "LBody", "Table", "TR", "TD"]
Path = tuple[tuple[Role, int], ...]


@dataclass(frozen=True)
class Tag:
    """Part of a line's text in the reading structure: the glyphs of clusters [start, end) of the line.

    `path` runs from the field's element down (`(("L", 0), ("LI", 2), ("LBody", 0))`); parts with the same
    field and path belong to one structure element. `text` is what the part says, as the catalog has it,
    in logical order; `lang` is its language (BCP 47) when it is not the card's.
    """

    field: str
    path: Path
    text: str
    start: int
    end: int
    lang: str = ""


@dataclass(frozen=True)
class TextLine:
    glyphs: tuple[Glyph, ...]
    x: float  # left end of the line (points)
    y: float  # baseline
    size: float
    color: Cmyk
    tags: tuple[Tag, ...] = ()  # none: decoration (the version stamp, the draft watermark)


@dataclass(frozen=True)
class Fill:
    box: Box
    color: Cmyk


@dataclass(frozen=True)
class QrCode:
    x: float  # lower left corner of the symbol, quiet zone excluded
    y: float
    module: float
    matrix: Matrix
    payload: str
    field: str
    alt: str = ""  # what the code does and holds, in the card's language and names (a figure's /Alt)


@dataclass(frozen=True)
class Shape:
    """A pictogram: filled polygons and circles in points."""

    polygons: tuple[tuple[tuple[float, float], ...], ...]
    circles: tuple[tuple[float, float, float], ...]
    color: Cmyk


Item = TextLine | Fill | QrCode | Shape

_DROPPED = frozenset("\u2060\u2066\u2067\u2068\u2069\u200e\u200f\u00ad")  # joiners, isolates, marks, soft hyphen


def logical(text: str) -> str:
    """Shaped text as the catalog wrote it: without the joiners and isolates shaping added (text/paragraph.py
    keeps numbers whole with them) and with ordinary spaces for the no-break ones it put inside numbers."""
    return "".join(" " if c == "\u00a0" else c for c in unicodedata.normalize("NFC", text) if c not in _DROPPED)
