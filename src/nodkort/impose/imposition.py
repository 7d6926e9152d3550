"""Imposition: laid-out cards and their counts → press sheets: n-up slots, marks, duplex backs, slug lines.

Geometry is plain data in points, origin at the sheet's lower left; render.py draws each distinct side once
as a form and pdfsheets.py writes pages that only place forms. Without bleed the cards are butted and share
their cuts; with bleed each card keeps its own (a gutter of twice the bleed). Crop and fold marks sit outside
the block of cards, so they start outside every bleed and never reach into a card; the slug line (card,
language, municipality, data version, sheet k of n) sits beyond the marks.

Duplex: every front page is followed by its back, as seen after the sheet is turned over about its long edge
(the default) or its short edge. Turned about a vertical axis (a portrait sheet's long edge) the backs mirror
the columns; about a horizontal one they mirror the rows and are rotated 180°, so that a card still reads the
right way up when it is turned like a page. Either way every back lands exactly behind its front.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import BinaryIO, Literal

from nodkort.errors import PaperError, Problem, UsageError
from nodkort.layout.side import LaidSide
from nodkort.layout.watermark import Watermark
from nodkort.model import MM, Box
from nodkort.pdf.render import (
    MARK_LENGTH,
    FormSide,
    LabelForm,
    MarkSet,
    PageSetup,
    Stroke,
    label_width,
    render_forms,
)
from nodkort.pdf.sheets import Placement, SheetPage, write_sheets

PAPERS_MM = {"A4": (210.0, 297.0), "A3": (297.0, 420.0), "SRA3": (320.0, 450.0)}
SLUG_SIZE = 5.0  # points
SLUG_GAP = 0.5 * MM  # between the marks' room and the slug line
SLUG_BAND = 4 * MM  # room the slug line needs beyond the marks
COUNTER = "0123456789/"
Flip = Literal["long", "short"]
SlugSide = Literal["bottom", "left"]
_SLUG_SIDES: tuple[SlugSide, ...] = ("bottom", "left")


@dataclass(frozen=True)
class Paper:
    name: str
    width: float  # points
    height: float


def paper(text: str) -> Paper:
    """A4, A3, SRA3 (any case), or WIDTHxHEIGHT in millimetres such as 330x488."""
    key = text.strip().upper()
    if key in PAPERS_MM:
        w, h = PAPERS_MM[key]
        return Paper(key, w * MM, h * MM)
    match = re.fullmatch(r"(\d+(?:[.,]\d+)?)\s*[X×*]\s*(\d+(?:[.,]\d+)?)\s*(?:MM)?", key)
    if match:
        w, h = (float(g.replace(",", ".")) for g in match.groups())
        if 0 < w <= 2000 and 0 < h <= 2000:
            return Paper(f"{match.group(1)}x{match.group(2)} mm", w * MM, h * MM)
    raise UsageError(
        Problem("", f"unknown paper '{text}'", "use A4, A3, SRA3 or WIDTHxHEIGHT in mm (for example 330x488)")
    )


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
        xs = {
            round(b.x + c * (self.card_w + self.gutter) + e, 6)
            for c in range(self.cols)
            for e in (0, self.card_w)
        }
        ys = {
            round(b.y + r * (self.card_h + self.gutter) + e, 6)
            for r in range(self.rows)
            for e in (0, self.card_h)
        }
        return sorted(xs), sorted(ys)

    def crop_marks(self) -> tuple[Stroke, ...]:
        """A mark on every cut, at all four edges of the block, from outside the bleed outwards."""
        b, o, n = self.block, PageSetup(self.bleed, True).offset(), MARK_LENGTH
        xs, ys = self.cuts()
        strokes = [Stroke(x, b.y - o - n, x, b.y - o) for x in xs]
        strokes += [Stroke(x, b.top + o, x, b.top + o + n) for x in xs]
        strokes += [Stroke(b.x - o - n, y, b.x - o, y) for y in ys]
        strokes += [Stroke(b.right + o, y, b.right + o + n, y) for y in ys]
        return tuple(strokes)

    def fold_marks(self, folds: Sequence[float], rotated: bool) -> tuple[Stroke, ...]:
        """Dashed marks above and below the block on every fold line (folds: x from a card's left edge)."""
        b, o, n = self.block, PageSetup(self.bleed, True).offset(), MARK_LENGTH
        strokes = []
        for col in range(self.cols):
            left = b.x + col * (self.card_w + self.gutter)
            for fold in folds:
                x = left + (self.card_w - fold if rotated else fold)
                strokes.append(Stroke(x, b.y - o - n, x, b.y - o, dashed=True))
                strokes.append(Stroke(x, b.top + o, x, b.top + o + n, dashed=True))
        return tuple(strokes)

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
                f"paper {sheet.name}",
                f"the {what} card ({card_w / MM:.2f} × {card_h / MM:.2f} mm, bleed {bleed / MM:g} mm) "
                f"does not fit on {sheet.width / MM:g} × {sheet.height / MM:g} mm with room for its crop "
                "marks and slug line",
                f"use paper of at least {need_w:.0f} × {need_h:.0f} mm (A4, A3 or SRA3, or "
                "--paper WIDTHxHEIGHT)",
            )
        )
    return best


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
    font: str  # a bundled face for the slug lines

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
                strokes = crop + p.grid.fold_marks(side.folds, rotated)
                out.append(MarkSet(f"{p.run.key}-m{j}", p.grid.width, p.grid.height, strokes))
        return out

    def labels(self) -> list[LabelForm]:
        out = [
            LabelForm(f"{p.run.key}-slug", f"{p.run.slug} · sheet ", SLUG_SIZE, self.font) for p in self.plans
        ]
        out += [LabelForm(f"c{i}", char, SLUG_SIZE, self.font) for i, char in enumerate(COUNTER)]
        out += [LabelForm(f"side{j}", name, SLUG_SIZE, self.font) for j, name in enumerate(_SIDE_NAMES)]
        return out

    def pages(self) -> Iterator[SheetPage]:
        """Front and back pages of every sheet in order; made one at a time, never all held at once."""
        char_w = {char: label_width(char, self.font, SLUG_SIZE) for char in COUNTER}
        for p in self.plans:
            grid, run = p.grid, p.run
            head_w = label_width(f"{run.slug} · sheet ", self.font, SLUG_SIZE)
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


def impose(runs: Sequence[tuple[Run, Paper]], bleed: float, flip: Flip, fill: bool, font: str) -> Imposition:
    """Each run starts a new sheet of its paper; its last sheet holds only what was ordered unless `fill`."""
    plans = []
    for run, sheet in runs:
        first = run.sides[0]
        grid = plan(sheet, first.width, first.height, bleed, run.what)
        sheets = math.ceil(run.count / grid.per_sheet)
        plans.append(RunPlan(run, grid, sheets * grid.per_sheet if fill else run.count, sheets))
    return Imposition(tuple(plans), bleed, flip, font)


def write_pdf(imposition: Imposition, out: BinaryIO, title: str, discreet: bool) -> int:
    """Draw the forms once, then stream the pages to `out`; returns the number of pages."""
    forms_pdf, numbers = render_forms(
        imposition.forms(), imposition.mark_sets(), imposition.labels(), imposition.font, title, discreet
    )
    return write_sheets(forms_pdf, numbers, imposition.pages(), out)
