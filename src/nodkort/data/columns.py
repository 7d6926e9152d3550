"""Columns: a side's `columns` and the spacing keys of a format → Column values and spacing in points.

Part of reading a template (templates.py). A column is where blocks without a box of their own are stacked;
the format says the least gap between blocks, the largest designed gap and the safe margin, each checked
against a range when the card is loaded, with the line of the key and what to write instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from nodkort.data.tomlread import Reader
from nodkort.model import Box, Column, Spare, mm

SPARES = ("spread", "foot", "end")
COLUMN_KEYS = {"id", "box", "spare", "grow"}
# (default, lowest, highest) in mm, or as a factor for grow.
SPACING: dict[str, tuple[float, float, float]] = {
    "gap": (1.5, 0.5, 20.0),
    "max_gap": (6.0, 1.0, 60.0),
    "safe": (2.0, 0.0, 10.0),
}
GROW = (1.0, 1.0, 3.0)


def ranged(
    r: Reader, table: Mapping[str, Any], name: str, key: str, section: str, limits: tuple[float, float, float]
) -> float:
    """A number between its limits (inclusive), or its default with a problem at the key's line."""
    default, low, high = limits
    value = r.get(table, name, float, key, default, needle=section)
    if value is None:
        return default
    if not low <= value <= high:
        return default  # out of its range: data/ranges.py names it at its line, once
    return float(value)


def spacing(r: Reader, ftable: Mapping[str, Any], fkey: str, section: str) -> tuple[float, float, float]:
    """A format's least gap, largest gap and safe margin, in points."""
    gap, max_gap, safe = (ranged(r, ftable, name, fkey, section, SPACING[name]) for name in ("gap", "max_gap", "safe"))
    if max_gap < gap:
        r.key_problem(
            f"{fkey}.max_gap",
            f"max_gap ({max_gap:g} mm) is smaller than gap ({gap:g} mm)",
            section,
            "max_gap",
            "the largest gap must be at least the least one",
        )
    return mm(gap), mm(max(max_gap, gap)), mm(safe)


def columns(r: Reader, stable: Mapping[str, Any], skey: str, size: tuple[float, float]) -> dict[str, Column]:
    """The side's columns by id, with their boxes in points (blocks are added as the fields are read)."""
    raw = stable.get("columns", [])
    found: dict[str, Column] = {}
    if not isinstance(raw, list) or not all(isinstance(c, dict) for c in raw):
        r.problem(skey, "columns are a list of tables", 'write columns = [{ id = "main", box = [x, y, w, h] }]')
        return found
    for table in raw:
        cid = table.get("id")
        if not isinstance(cid, str) or not cid:
            r.problem(skey, "a column needs an 'id'", 'add id = "main"', "columns")
            continue
        needle = f'id = "{cid}"'
        key = f"{skey}.columns.{cid}"
        r.unknown_keys(table, COLUMN_KEYS, key, needle)
        nums = r.numbers(table, "box", 4, key, needle)
        spare = table.get("spare", "spread")
        if spare not in SPARES:
            r.problem(key, f"spare must be one of {', '.join(SPARES)}, not {spare!r}", "", needle)
            spare = "spread"
        grow = ranged(r, table, "grow", key, needle, GROW)
        if nums is None:
            continue
        x, y, w, h = nums
        # a number out of its own range is named by data/ranges.py at its line: the box is reported once
        alone = 0 <= x <= size[0] and 0 <= y <= size[1] and 0 < w <= size[0] and 0 < h <= size[1]
        if not alone:
            x, y, w, h = 0.0, 0.0, size[0], size[1]
        elif x + w > size[0] + 1e-6 or y + h > size[1] + 1e-6:
            r.problem(
                key,
                f"column box [{x:g}, {y:g}, {w:g}, {h:g}] mm lies outside the side ({size[0]:g} × {size[1]:g} mm)",
                "boxes are [x, y, width, height] in mm from the top-left corner of the trimmed side",
                needle,
            )
            x, y, w, h = 0.0, 0.0, size[0], size[1]  # the loading fails: its fields need not report it again
        if cid in found:
            r.problem(key, f"column id '{cid}' is used twice on this side", "", needle)
        box = Box(mm(x), mm(size[1] - y - h), mm(w), mm(h))
        found[cid] = Column(cid, box, (), cast(Spare, spare), grow, r.line_of(needle) or 0)
    return found
