"""Pictograms: cards/pictograms.toml → drawings on a 100 × 100 grid (layout/pictogram.py places them in a box)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from nodkort.data.ranges import PICTOGRAM_RANGES, check_ranges
from nodkort.data.tomlread import Reader, load_toml
from nodkort.errors import TemplateError, raise_all

# Each pictogram: its polygons (lists of points) and circles (x, y, radius), y downwards.
Pictograms = dict[str, tuple[list[list[tuple[float, float]]], list[tuple[float, float, float]]]]


def load_pictograms(path: Path) -> Pictograms:
    """cards/pictograms.toml: each pictogram is polygons and circles on a 100 × 100 grid, y downwards."""
    data, lines = load_toml(path, TemplateError)
    r = Reader(path, lines)
    check_ranges(r, data, PICTOGRAM_RANGES, named=False)
    out: Pictograms = {}
    for name, table in data.items():
        if not isinstance(table, dict):
            r.key_problem(
                name,
                "a pictogram is a table",
                "",
                name,
                f"write it as [{name}] with polygons = [[[x, y], ...]] and circles = [[x, y, r]]",
            )
            continue
        r.unknown_keys(table, {"polygons", "circles"}, name, f"[{name}]")
        polygons = _points(r, table, name, "polygons")
        circles = _circles(r, table, name)
        if polygons is not None and circles is not None:
            out[name] = (polygons, circles)
    raise_all(r.problems, TemplateError)
    return out


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _points(r: Reader, table: Mapping[str, Any], name: str, key: str) -> list[list[tuple[float, float]]] | None:
    """The polygons: lists of [x, y] points."""
    value = table.get(key, [])
    if not isinstance(value, list) or not all(
        isinstance(poly, list) and all(isinstance(p, list) and len(p) == 2 and all(map(_number, p)) for p in poly)
        for poly in value
    ):
        r.key_problem(
            f"{name}.{key}",
            "polygons must be lists of [x, y] points",
            f"[{name}]",
            key,
            "write polygons = [[[x, y], [x, y], ...], ...] with numbers on the 100 × 100 grid",
        )
        return None
    return [[(float(x), float(y)) for x, y in poly] for poly in value]


def _circles(r: Reader, table: Mapping[str, Any], name: str) -> list[tuple[float, float, float]] | None:
    """The circles: [x, y, radius] each."""
    value = table.get("circles", [])
    if not isinstance(value, list) or not all(
        isinstance(c, list) and len(c) == 3 and all(map(_number, c)) for c in value
    ):
        r.key_problem(
            f"{name}.circles",
            "circles must be [x, y, radius] triples",
            f"[{name}]",
            "circles",
            "write circles = [[x, y, r], ...] with numbers on the 100 × 100 grid",
        )
        return None
    return [(float(c[0]), float(c[1]), float(c[2])) for c in value]
