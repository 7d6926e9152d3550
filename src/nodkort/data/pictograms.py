"""Pictograms: cards/pictograms.toml → drawings on a 100 × 100 grid (layout/pictogram.py places them in a box)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from nodkort.errors import Problem, TemplateError

# Each pictogram: its polygons (lists of points) and circles (x, y, radius), y downwards.
Pictograms = dict[str, tuple[list[list[tuple[float, float]]], list[tuple[float, float, float]]]]


def load_pictograms(path: Path) -> Pictograms:
    """cards/pictograms.toml: each pictogram is polygons and circles on a 100 × 100 grid, y downwards."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise TemplateError(Problem(str(path), f"cannot read pictograms ({exc})")) from None
    out: Pictograms = {}
    for name, table in data.items():
        polys = [[(float(x), float(y)) for x, y in poly] for poly in table.get("polygons", [])]
        circles = [(float(c[0]), float(c[1]), float(c[2])) for c in table.get("circles", [])]
        out[name] = (polys, circles)
    return out

