"""Pictogram field: a drawing on its 100 × 100 grid and the field's box → a Shape in points, centred and square."""

from __future__ import annotations

from nodkort.data.pictograms import Pictograms
from nodkort.layout.primitives import Item, Shape
from nodkort.model import Box, PictogramField


def place_pictogram(field: PictogramField, box: Box, pictograms: Pictograms) -> list[Item]:
    polys, circles = pictograms[field.pictogram]
    scale = min(box.w, box.h) / 100
    ox = box.x + (box.w - 100 * scale) / 2
    oy = box.top - (box.h - 100 * scale) / 2

    def pt(x: float, y: float) -> tuple[float, float]:
        return ox + x * scale, oy - y * scale  # the grid's y runs downwards, the page's upwards

    return [
        Shape(
            tuple(tuple(pt(x, y) for x, y in poly) for poly in polys),
            tuple((*pt(cx, cy), r * scale) for cx, cy, r in circles),
            field.color,
        )
    ]
