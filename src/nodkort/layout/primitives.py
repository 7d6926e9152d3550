"""Primitives: text lines, fills, QR codes and pictogram shapes in points, as layout hands them → render."""

from __future__ import annotations

from dataclasses import dataclass

from nodkort.layout.qr import Matrix
from nodkort.model import Box, Cmyk
from nodkort.text.shaping import Glyph


@dataclass(frozen=True)
class TextLine:
    glyphs: tuple[Glyph, ...]
    x: float  # left end of the line (points)
    y: float  # baseline
    size: float
    color: Cmyk


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


@dataclass(frozen=True)
class Shape:
    """A pictogram: filled polygons and circles in points."""

    polygons: tuple[tuple[tuple[float, float], ...], ...]
    circles: tuple[tuple[float, float, float], ...]
    color: Cmyk


Item = TextLine | Fill | QrCode | Shape
