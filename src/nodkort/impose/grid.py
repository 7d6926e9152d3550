"""Grid: a card size, its bleed and a paper → the n-up slots of a sheet, its cuts, and where backs land.

Geometry is plain data in points, origin at the sheet's lower left. Without bleed the cards are butted and share
their cuts; with bleed each card keeps its own (a gutter of twice the bleed). Crop and fold marks sit outside
the block of cards, so they start outside every bleed and never reach into a card; the slug line sits beyond
the marks.

Duplex: turned about a vertical axis (a portrait sheet's long edge) the backs mirror the columns; about a
horizontal one they mirror the rows and are rotated 180°, so that a card still reads the right way up when it
is turned like a page. Either way every back lands exactly behind its front.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from nodkort.errors import Location, PaperError, Problem
from nodkort.impose.marks import Dashed, PageSetup, Stroke, sheet_crop_marks, sheet_fold_marks
from nodkort.impose.paper import Paper
from nodkort.model import MM, Box

SLUG_SIZE = 5.0  # points
SLUG_GAP = 0.5 * MM  # between the marks' room and the slug line
SLUG_BAND = 4 * MM  # room the slug line needs beyond the marks
Flip = Literal["long", "short"]
SlugSide = Literal["bottom", "left"]
_SLUG_SIDES: tuple[SlugSide, ...] = ("bottom", "left")


@dataclass(frozen=True)
class Grid:
    """Cards in `cols` × `rows` slots, the block centred on a sheet of `width` × `height` points."""

    width: float
    height: float
    card_w: float
    card_h: float
    bleed: float
    cols: int
    rows: int
    slug: SlugSide

    @property
    def per_sheet(self) -> int:
        return self.cols * self.rows

    @property
    def gutter(self) -> float:
        return 2 * self.bleed

    @property
    def block(self) -> Box:
        """The trimmed extent of all slots."""
        w = self.cols * self.card_w + (self.cols - 1) * self.gutter
        h = self.rows * self.card_h + (self.rows - 1) * self.gutter
        return Box((self.width - w) / 2, (self.height - h) / 2, w, h)

    def slot(self, index: int) -> Box:
        """The trim box of slot `index`, in reading order: top row first, left to right."""
        row, col = divmod(index, self.cols)
        block = self.block
        x = block.x + col * (self.card_w + self.gutter)
        y = block.top - self.card_h - row * (self.card_h + self.gutter)
        return Box(x, y, self.card_w, self.card_h)

    def turns_about_vertical(self, flip: Flip) -> bool:
        """Whether turning the sheet over mirrors its columns (else its rows)."""
        return (flip == "long") == (self.height >= self.width)

    def back(self, index: int, flip: Flip) -> tuple[Box, bool]:
        """Where the back of slot `index` goes on the back page, and whether it is rotated 180°."""
        front = self.slot(index)
        if self.turns_about_vertical(flip):
            return Box(self.width - front.right, front.y, front.w, front.h), False
        return Box(front.x, self.height - front.top, front.w, front.h), True

    def cuts(self) -> tuple[list[float], list[float]]:
        """x of every vertical cut and y of every horizontal one; butted cards share theirs."""
        b = self.block
        xs = {round(b.x + c * (self.card_w + self.gutter) + e, 6) for c in range(self.cols) for e in (0, self.card_w)}
        ys = {round(b.y + r * (self.card_h + self.gutter) + e, 6) for r in range(self.rows) for e in (0, self.card_h)}
        return sorted(xs), sorted(ys)

    def crop_marks(self) -> tuple[Stroke, ...]:
        """A mark on every cut, at all four edges of the block, from outside the bleed outwards."""
        xs, ys = self.cuts()
        return sheet_crop_marks(self.block, xs, ys, self.bleed)

    def fold_marks(self, folds: Sequence[float], rotated: bool) -> tuple[Dashed, ...]:
        """Dashed marks above and below the block on every fold line (folds: x from a card's left edge)."""
        b = self.block
        xs = []
        for col in range(self.cols):
            left = b.x + col * (self.card_w + self.gutter)
            xs += [left + (self.card_w - fold if rotated else fold) for fold in folds]
        return sheet_fold_marks(b, xs, self.bleed)

    def slug_origin(self) -> tuple[float, float, Literal[0, 90]]:
        """Where the slug line starts, beyond the marks: under the block, or left of it reading upwards."""
        b, room = self.block, PageSetup(self.bleed, True).margin()
        if self.slug == "bottom":
            return b.x, b.y - room - SLUG_GAP - SLUG_SIZE, 0
        return b.x - room - SLUG_GAP - 0.3 * SLUG_SIZE, b.y, 90


def _fit(space: float, size: float, gutter: float) -> int:
    return max(0, math.floor((space + gutter) / (size + gutter) + 1e-9))


def plan(sheet: Paper, card_w: float, card_h: float, bleed: float, what: str) -> Grid:
    """The grid with the most cards: both orientations of the paper, the slug line under or beside the block.

    Every side keeps room for the marks (PageSetup.margin: outside the bleed, 5 mm long, 1 mm spare); one
    side also keeps room for the slug line. Ties go to the paper as given, then to the slug line underneath.
    """
    room = PageSetup(bleed, True).margin()
    best: Grid | None = None
    for w, h in ((sheet.width, sheet.height), (sheet.height, sheet.width)):
        for slug in _SLUG_SIDES:
            extra_x, extra_y = (0.0, SLUG_BAND) if slug == "bottom" else (SLUG_BAND, 0.0)
            cols = _fit(w - 2 * (room + extra_x), card_w, 2 * bleed)
            rows = _fit(h - 2 * (room + extra_y), card_h, 2 * bleed)
            if cols * rows and (best is None or cols * rows > best.per_sheet):
                best = Grid(w, h, card_w, card_h, bleed, cols, rows, slug)
    if best is None:
        need_w = (card_w + 2 * room) / MM
        need_h = (card_h + 2 * room + SLUG_BAND) / MM
        raise PaperError(
            Problem(
                Location(key=f"paper {sheet.name}"),  # the --paper choice: no file holds it
                f"the {what} card ({card_w / MM:.2f} × {card_h / MM:.2f} mm, bleed {bleed / MM:g} mm) "
                f"does not fit on {sheet.width / MM:g} × {sheet.height / MM:g} mm with room for its crop "
                "marks and slug line",
                f"use paper of at least {need_w:.0f} × {need_h:.0f} mm (A4, A3 or SRA3, or --paper WIDTHxHEIGHT)",
            )
        )
    return best
