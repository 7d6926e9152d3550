"""Document: plain pages as values (proof sheets, packing slips) → PDF bytes, drawn by render.py's primitives.

A document page is what a review or order module describes: positioned items, card sides placed at a scale,
Latin labels and rules. Drawing them is this package's business alone; no other package touches the canvas.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.colors import CMYKColor

from nodkort.impose.marks import Stroke
from nodkort.layout.primitives import Item
from nodkort.layout.side import LaidSide
from nodkort.layout.watermark import Watermark
from nodkort.pdf.render import draw_item, draw_side, new_canvas, set_metadata


@dataclass(frozen=True)
class PlacedSide:
    """A card side drawn with its lower-left trim corner at (x, y), scaled by `scale`, without bleed."""

    side: LaidSide
    x: float
    y: float
    scale: float
    watermark: Watermark | None = None


@dataclass(frozen=True)
class Page:
    """A page of positioned items, then card sides over them."""

    width: float
    height: float
    items: tuple[Item, ...] = ()
    sides: tuple[PlacedSide, ...] = ()


def render_pages(pages: Sequence[Page], font: str, title: str) -> bytes:
    """Each page at its own size; `font` is a bundled face, the canvas's initial font."""
    out = io.BytesIO()
    canvas = new_canvas(out, pages[0].width, pages[0].height, font)
    set_metadata(canvas, title, discreet=False)
    for page in pages:
        canvas.setPageSize((page.width, page.height))
        for item in page.items:
            draw_item(canvas, item)
        for placed in page.sides:
            canvas.saveState()
            canvas.translate(placed.x, placed.y)
            canvas.scale(placed.scale, placed.scale)
            draw_side(canvas, placed.side, 0.0, placed.watermark)
            canvas.restoreState()
        canvas.showPage()
    canvas.save()
    return out.getvalue()


@dataclass(frozen=True)
class Label:
    """A line of Latin text in a bundled face, placed as is: for slips, not cards (no shaping needed)."""

    text: str
    x: float
    y: float
    size: float
    font: str  # the face's PDF font name


def render_labels(
    pages: Sequence[tuple[Sequence[Label], Sequence[Stroke]]],
    width: float,
    height: float,
    font: str,
    title: str,
) -> bytes:
    """A plain document: text lines and black rules, one tuple per page."""
    out = io.BytesIO()
    canvas = new_canvas(out, width, height, font)
    set_metadata(canvas, title, False)
    for labels, strokes in pages:
        canvas.setFillColor(CMYKColor(0, 0, 0, 1))
        canvas.setStrokeColor(CMYKColor(0, 0, 0, 1))
        canvas.setLineWidth(0.5)
        for stroke in strokes:
            canvas.line(stroke.x0, stroke.y0, stroke.x1, stroke.y1)
        for label in labels:
            canvas.setFont(label.font, label.size)
            canvas.drawString(label.x, label.y, label.text)
        canvas.showPage()
    canvas.save()
    return out.getvalue()
