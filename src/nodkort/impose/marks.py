"""Marks: trim boxes and fold lines → crop and fold marks as strokes, for one card's page and for a sheet.

The one place that decides where marks go, how long they are, their ink and their dash; pdf/render.py only
draws the strokes. Marks start outside the bleed, so that no cut, however far off, leaves a mark on a card.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from nodkort.model import MM, Box, Cmyk

REGISTRATION = Cmyk(1, 1, 1, 1)  # crop marks print on every plate
FOLD_TICK_INK = Cmyk(0, 0, 0, 0.5)  # without crop marks the fold ticks sit on the card: grey, not on every plate
MARK_LENGTH = 5 * MM
MARK_WIDTH = 0.25  # points
FOLD_TICK = 2 * MM  # a fold tick's length inside the trim edge, when there are no crop marks
DASH = (1.5, 1.5)  # on, off, in points: a fold mark reads as a fold, not as a cut


@dataclass(frozen=True)
class Stroke:
    """A straight line from (x0, y0) to (x1, y1), in points."""

    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class Dashed:
    """Strokes drawn with one dash pattern, set before the first and cleared after the last.

    A card's fold marks share one pattern and a sheet's each set their own: the printed result is the same
    (a dash pattern restarts on every line), the PDF bytes are not, and they must not change.
    """

    strokes: tuple[Stroke, ...]
    pattern: tuple[float, float] = DASH


Mark = Stroke | Dashed


@dataclass(frozen=True)
class Marks:
    """Marks in one ink and line width."""

    color: Cmyk
    marks: tuple[Mark, ...]
    width: float = MARK_WIDTH


@dataclass(frozen=True)
class MarkSet:
    """Crop and fold marks of one grid, drawn once and placed on every sheet that uses the grid."""

    name: str
    width: float
    height: float
    marks: Marks


@dataclass(frozen=True)
class PageSetup:
    """The page around a single card: its bleed and whether it carries crop marks."""

    bleed: float = 0.0  # points
    crop_marks: bool = False

    def offset(self) -> float:
        """Distance from the trim edge to where marks start: always outside the bleed."""
        return max(self.bleed + 1 * MM, 3 * MM)

    def margin(self) -> float:
        """Space around the trim box on the page."""
        if self.crop_marks:
            return self.offset() + MARK_LENGTH + 1 * MM
        return self.bleed


def card_marks(trim: Box, folds: Sequence[float], setup: PageSetup) -> tuple[Marks, ...]:
    """A single card's marks: crop marks at the corners of `trim`, then its folds (x from the left edge)."""
    x, y, w, h = trim.x, trim.y, trim.w, trim.h
    out: list[Marks] = []
    o, length = setup.offset(), MARK_LENGTH
    if setup.crop_marks:
        strokes: list[Mark] = []
        for cx, sx in ((x, -1), (x + w, 1)):
            for cy, sy in ((y, -1), (y + h, 1)):
                strokes.append(Stroke(cx + sx * o, cy, cx + sx * (o + length), cy))
                strokes.append(Stroke(cx, cy + sy * o, cx, cy + sy * (o + length)))
        out.append(Marks(REGISTRATION, tuple(strokes)))
    if folds:
        # With crop marks the fold marks sit beside them, outside the bleed; without, short ticks at the trim
        # edges show the fold on the trimmed card.
        ticks: list[Stroke] = []
        for fx in folds:
            if setup.crop_marks:
                ticks.append(Stroke(x + fx, y - o, x + fx, y - o - MARK_LENGTH))
                ticks.append(Stroke(x + fx, y + h + o, x + fx, y + h + o + MARK_LENGTH))
            else:
                ticks.append(Stroke(x + fx, y, x + fx, y + FOLD_TICK))
                ticks.append(Stroke(x + fx, y + h, x + fx, y + h - FOLD_TICK))
        ink = REGISTRATION if setup.crop_marks else FOLD_TICK_INK
        out.append(Marks(ink, (Dashed(tuple(ticks)),)))
    return tuple(out)


def sheet_crop_marks(block: Box, xs: Sequence[float], ys: Sequence[float], bleed: float) -> tuple[Stroke, ...]:
    """A mark on every cut (x of the vertical ones, y of the horizontal), at all four edges of the block."""
    b, o, n = block, PageSetup(bleed, True).offset(), MARK_LENGTH
    strokes = [Stroke(x, b.y - o - n, x, b.y - o) for x in xs]
    strokes += [Stroke(x, b.top + o, x, b.top + o + n) for x in xs]
    strokes += [Stroke(b.x - o - n, y, b.x - o, y) for y in ys]
    strokes += [Stroke(b.right + o, y, b.right + o + n, y) for y in ys]
    return tuple(strokes)


def sheet_fold_marks(block: Box, xs: Sequence[float], bleed: float) -> tuple[Dashed, ...]:
    """Dashed marks below and above the block at every fold line `xs`."""
    b, o, n = block, PageSetup(bleed, True).offset(), MARK_LENGTH
    out: list[Dashed] = []
    for x in xs:
        out.append(Dashed((Stroke(x, b.y - o - n, x, b.y - o),)))
        out.append(Dashed((Stroke(x, b.top + o, x, b.top + o + n),)))
    return tuple(out)


def sheet_marks(crop: Sequence[Stroke], folds: Sequence[Dashed]) -> Marks:
    """A sheet's marks, all in registration ink: the crop marks, then the fold marks."""
    return Marks(REGISTRATION, (*crop, *folds))
