"""Imposition: laid-out cards and their counts → sheet plans: forms to draw once, pages that place them.

A plan is plain data: the distinct card sides, mark sets and slug-line pieces, each drawn once as a form by
pdf/render.py, and pages that only place forms, written one at a time by pdf/sheets.py. The slug line (card,
language, municipality, data version, sheet k of n) is set from pieces measured with the face's own advances.

Duplex: every front page is followed by its back, as seen after the sheet is turned over about its long edge
(the default) or its short edge (see grid.py for where the backs land).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from nodkort.impose.grid import SLUG_SIZE, Flip, Grid, plan
from nodkort.impose.marks import MarkSet, sheet_marks
from nodkort.impose.paper import Paper
from nodkort.layout.side import LaidSide
from nodkort.layout.watermark import Watermark
from nodkort.text.fonts import Face

COUNTER = "0123456789/"
Angle = Literal[0, 90, 180]


@dataclass(frozen=True)
class FormSide:
    """A card side drawn once as a PDF Form XObject, placed wherever it repeats."""

    name: str
    side: LaidSide
    bleed: float
    watermark: Watermark | None = None


@dataclass(frozen=True)
class LabelForm:
    """A piece of a slug line: plain Latin text in a bundled face (print furniture, no shaping needed)."""

    name: str
    text: str
    size: float
    font: str  # the face's PDF font name


@dataclass(frozen=True)
class Placement:
    form: str
    x: float  # where the form's origin lands on the page, in points
    y: float
    angle: Angle = 0


@dataclass(frozen=True)
class SheetPage:
    width: float
    height: float
    placements: tuple[Placement, ...]


@dataclass(frozen=True)
class Run:
    """One distinct card (card × language × municipality × variant × format) and how many to print."""

    key: str  # names its forms; unique within one file, letters, digits and dashes
    sides: tuple[LaidSide, ...]
    watermark: Watermark | None
    count: int
    slug: str  # what the slug line says before "sheet k/n": card, language, municipality, data version
    what: str  # the card and format, for messages


@dataclass(frozen=True)
class RunPlan:
    run: Run
    grid: Grid
    count: int  # cards printed: the ordered count, or full sheets with fill
    sheets: int


@dataclass(frozen=True)
class Imposition:
    plans: tuple[RunPlan, ...]
    bleed: float
    flip: Flip
    font: Face  # a bundled face for the slug lines

    @property
    def sheets(self) -> int:
        return sum(p.sheets for p in self.plans)

    def forms(self) -> list[FormSide]:
        return [
            FormSide(f"{p.run.key}-s{j}", side, self.bleed, p.run.watermark)
            for p in self.plans
            for j, side in enumerate(p.run.sides)
        ]

    def mark_sets(self) -> list[MarkSet]:
        out = []
        for p in self.plans:
            crop = p.grid.crop_marks()
            for j, side in enumerate(p.run.sides):
                rotated = j % 2 == 1 and not p.grid.turns_about_vertical(self.flip)
                marks = sheet_marks(crop, p.grid.fold_marks(side.folds, rotated))
                out.append(MarkSet(f"{p.run.key}-m{j}", p.grid.width, p.grid.height, marks))
        return out

    def labels(self) -> list[LabelForm]:
        name = self.font.name
        out = [LabelForm(f"{p.run.key}-slug", f"{p.run.slug} · sheet ", SLUG_SIZE, name) for p in self.plans]
        out += [LabelForm(f"c{i}", char, SLUG_SIZE, name) for i, char in enumerate(COUNTER)]
        out += [LabelForm(f"side{j}", side, SLUG_SIZE, name) for j, side in enumerate(_SIDE_NAMES)]
        return out

    def pages(self) -> Iterator[SheetPage]:
        """Front and back pages of every sheet in order; made one at a time, never all held at once."""
        char_w = {char: self.font.string_width(char, SLUG_SIZE) for char in COUNTER}
        for p in self.plans:
            grid, run = p.grid, p.run
            head_w = self.font.string_width(f"{run.slug} · sheet ", SLUG_SIZE)
            faces = [self._face(p, j) for j in range(len(run.sides))]
            x0, y0, angle = grid.slug_origin()
            ux, uy = (1.0, 0.0) if angle == 0 else (0.0, 1.0)
            for sheet in range(p.sheets):
                on_sheet = min(grid.per_sheet, p.count - sheet * grid.per_sheet)
                counter = f"{sheet + 1}/{p.sheets}"
                slug = [Placement(f"{run.key}-slug", x0, y0, angle)]
                pos = head_w
                for char in counter:
                    slug.append(Placement(f"c{COUNTER.index(char)}", x0 + ux * pos, y0 + uy * pos, angle))
                    pos += char_w[char]
                for j, face in enumerate(faces):
                    name = _SIDE_NAMES[j] if j < len(_SIDE_NAMES) else ""
                    side_label = [Placement(f"side{j}", x0 + ux * pos, y0 + uy * pos, angle)] if name else []
                    cards = face if on_sheet == grid.per_sheet else face[:on_sheet]
                    yield SheetPage(
                        grid.width,
                        grid.height,
                        (Placement(f"{run.key}-m{j}", 0, 0), *cards, *slug, *side_label),
                    )

    def _face(self, p: RunPlan, j: int) -> tuple[Placement, ...]:
        """Placements of side `j` of every slot: even sides as the front, odd sides where the back lands."""
        out = []
        for index in range(p.grid.per_sheet):
            if j % 2 == 0:
                box, rotated = p.grid.slot(index), False
            else:
                box, rotated = p.grid.back(index, self.flip)
            if rotated:
                out.append(Placement(f"{p.run.key}-s{j}", box.right, box.top, 180))
            else:
                out.append(Placement(f"{p.run.key}-s{j}", box.x, box.y))
        return tuple(out)


_SIDE_NAMES = (" front", " back")


def impose(runs: Sequence[tuple[Run, Paper]], bleed: float, flip: Flip, fill: bool, font: Face) -> Imposition:
    """Each run starts a new sheet of its paper; its last sheet holds only what was ordered unless `fill`."""
    plans = []
    for run, sheet in runs:
        first = run.sides[0]
        grid = plan(sheet, first.width, first.height, bleed, run.what)
        sheets = math.ceil(run.count / grid.per_sheet)
        plans.append(RunPlan(run, grid, sheets * grid.per_sheet if fill else run.count, sheets))
    return Imposition(tuple(plans), bleed, flip, font)
