"""Ranges: every number a card template, the pictograms file or the fonts table may hold → the values it may
take, as tables, and the check that walks a parsed file against them (each value out of range a problem at its
own line).

A number out of range is not a typo the layout can survive: `leading = 0` sets every line on the one before, a
negative `paragraph_gap` pulls the following paragraphs up over the earlier ones until they fall out of the box.
The table is the schema: templates.py and pictograms.py read shapes and names, this module says how large.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from nodkort.data.tomlread import Reader
from nodkort.errors import Location, Problem

Dimension = Literal["width", "height"]
Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Range:
    """The values one number may take: from `low` to `high` (a side's width or height, for a position)."""

    low: float
    high: float | Dimension
    unit: str
    fix: str
    above: bool = False  # `low` itself is refused: a size or width of 0 is nothing at all
    label: str = ""  # how the value is named in the message (a box's "width"), else its key

    def bound(self, side: tuple[float, float]) -> float:
        match self.high:
            case "width":
                return side[0]
            case "height":
                return side[1]
            case number:
                return number

    def holds(self, value: float, side: tuple[float, float]) -> bool:
        low_ok = value > self.low if self.above else value >= self.low
        return low_ok and value <= self.bound(side) + 1e-6

    def describe(self, side: tuple[float, float]) -> str:
        unit = f" {self.unit}" if self.unit else ""
        if self.above:
            return f"above {self.low:g} and at most {self.bound(side):g}{unit}"
        return f"from {self.low:g} to {self.bound(side):g}{unit}"


_COLOUR = Range(0, 100, "%", "write a colour as [C, M, Y, K], each 0 to 100 per cent of ink")
# A card side: ID-1 is 85.6 × 53.98 mm; nothing nodkort prints is smaller than 20 mm or larger than A3.
_SIDE = Range(20, 420, "mm", "write the trimmed side's [width, height] in mm, e.g. [85.60, 53.98] for ID-1")
_BOX = "a box is [x, y, width, height] in mm from the top-left corner of the trimmed side, and lies on it"
_GRID = Range(0, 100, "", "pictograms are drawn on a 100 × 100 grid: coordinates from 0 to 100")

# Where each number sits (a TOML path: * any name, [] any item, [n] the n-th item) → its range.
TEMPLATE_RANGES: dict[str, Range] = {
    "colors.*[]": _COLOUR,
    "styles.*.size": Range(0, 200, "pt", "no card text is larger than 200 pt: write the size in pt", above=True),
    "styles.*.leading": Range(
        0.9,
        3.0,
        "× the size",
        "leading is line height as a multiple of the size: 1.2 for body text; under 0.9 lines and marks overprint",
    ),
    "styles.*.paragraph_gap": Range(
        0,
        3.0,
        "× the size",
        "paragraph_gap is extra space between paragraphs as a multiple of the size: 0 for none, 0.35 for body text",
    ),
    "styles.*.color[]": _COLOUR,
    "formats.*.size[0]": _SIDE,
    "formats.*.size[1]": _SIDE,
    "formats.*.floor": Range(
        5, 200, "pt", "the legibility floor is the smallest size text may shrink to: 6.5 pt for a wallet card"
    ),
    "formats.*.sides[].background[]": _COLOUR,
    "formats.*.sides[].folds[]": Range(
        0, "width", "mm", "folds are x positions in mm inside the side", above=True, label="fold"
    ),
    "formats.*.sides[].fields[].box[0]": Range(0, "width", "mm", _BOX, label="box x"),
    "formats.*.sides[].fields[].box[1]": Range(0, "height", "mm", _BOX, label="box y"),
    "formats.*.sides[].fields[].box[2]": Range(0, "width", "mm", _BOX, above=True, label="box width"),
    "formats.*.sides[].fields[].box[3]": Range(0, "height", "mm", _BOX, above=True, label="box height"),
    "formats.*.sides[].fields[].module_mm": Range(
        0.4,
        5.0,
        "mm",
        "a phone reads modules from 0.4 mm (GS1's smallest X-dimension is 0.396 mm); 0.5 mm suits a wallet card",
    ),
    "formats.*.sides[].fields[].min_row_gap": Range(
        0,
        3.0,
        "× the size",
        "min_row_gap is the least extra space between contact rows as a multiple of the size (0 for none); the "
        "rows close up towards it only when the table would not fit",
    ),
    "formats.*.sides[].fields[].color[]": _COLOUR,
    "formats.*.sides[].fields[].background[]": _COLOUR,
}

PICTOGRAM_RANGES: dict[str, Range] = {
    "*.polygons[][][]": _GRID,
    "*.circles[][0]": _GRID,
    "*.circles[][1]": _GRID,
    "*.circles[][2]": Range(0, 50, "", "a circle's radius is above 0 and fits the 100 × 100 grid", above=True),
}

# fonts/fonts.toml: a size factor scales a family against Latin at the same nominal size (Arabic, Ethiopic and
# Thai letters are smaller on their em than Latin ones). Below 1 text could fall under the legibility floor;
# above 1.3 it would no longer be a correction.
FONT_RANGES: dict[str, Range] = {
    "families.*.size": Range(
        1.0,
        1.3,
        "",
        "write size = 1.12 for text 12 % larger than Latin at one nominal size, or leave it out (below 1.0 text "
        "would be drawn under the legibility floor)",
        label="size factor",
    ),
    # It multiplies a style's leading on lines set in the family (room for marks, Nastaliq's tall words): below 1
    # lines would crowd marks; above 2 it would be a different style, not a correction.
    "families.*.leading": Range(
        1.0,
        2.0,
        "",
        "write leading = 1.2 for lines 20 % further apart than the style says, or leave it out",
        label="leading factor",
    ),
}

_NAMED = {"colors", "styles", "formats", "families"}  # the tables whose keys are names the author chose
_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\[\]]+?)\s*\]\]?\s*(#.*)?$")


def check_ranges(r: Reader, data: Mapping[str, Any], ranges: Mapping[str, Range], named: bool = True) -> None:
    """Record a problem in `r` for every number of `data` outside its range in `ranges`.

    `named`: the top-level tables are the template's (colors, styles, formats: their keys are names); else every
    top-level key is a name (the pictograms file).
    """
    headers = _headers(r.lines)
    for path, value in _numbers(data, ()):
        found = range_of(ranges, _pattern(path, named))
        if found is None:
            continue  # not a number here: the reader reports the type
        side = _side_size(data, path)
        if found.holds(value, side):
            continue
        label = found.label or _key_name(path)
        r.problems.append(
            Problem(
                Location(r.path, _line(r.lines, headers, path), _display_key(data, path)),
                f"{label} = {value:g} is out of range: it must be {found.describe(side)}",
                found.fix,
            )
        )


def range_of(ranges: Mapping[str, Range], pattern: str) -> Range | None:
    """The range of a number at `pattern` (its last index exact, as in box[2]), else of any item there."""
    return ranges.get(pattern) or ranges.get(re.sub(r"\[\d+\]$", "[]", pattern))


def number_patterns(data: Mapping[str, Any], named: bool = True) -> list[tuple[str, Path_]]:
    """Every number in a parsed file: its pattern in the schema's terms and its path."""
    return [(_pattern(path, named), path) for path, _ in _numbers(data, ())]


def _numbers(value: Any, path: Path_) -> list[tuple[Path_, float]]:
    if isinstance(value, bool):
        return []
    if isinstance(value, int | float):
        return [(path, float(value))] if math.isfinite(value) else []  # nan and inf: the reader names them
    if isinstance(value, Mapping):
        return [item for key, sub in value.items() for item in _numbers(sub, (*path, str(key)))]
    if isinstance(value, list):
        return [item for index, sub in enumerate(value) for item in _numbers(sub, (*path, index))]
    return []


def _pattern(path: Path_, named: bool) -> str:
    text = ""
    for position, segment in enumerate(path):
        if isinstance(segment, int):
            text += f"[{segment}]" if position == len(path) - 1 else "[]"
        elif (position == 0 and not named) or (position == 1 and path[0] in _NAMED):
            text += ("." if text else "") + "*"
        else:
            text += ("." if text else "") + segment
    return text


def _key_name(path: Path_) -> str:
    names = [s for s in path if isinstance(s, str)]
    index = "".join(f"[{s}]" for s in path[len(path) - _trailing_ints(path) :])
    return names[-1] + index


def _trailing_ints(path: Path_) -> int:
    count = 0
    for segment in reversed(path):
        if not isinstance(segment, int):
            break
        count += 1
    return count


def _display_key(data: Mapping[str, Any], path: Path_) -> str:
    """The key as messages name it: a side by its name and a field by its id, not by their positions."""
    parts: list[str] = []
    node: Any = data
    for segment in path[: len(path) - _trailing_ints(path)]:
        node = node[segment]
        if isinstance(segment, str):
            if segment != "fields":
                parts.append(segment)
        elif isinstance(node, Mapping):
            name = node.get("id") or node.get("name")
            parts.append(str(name) if isinstance(name, str) else str(segment))
    return ".".join(parts)


def _side_size(data: Mapping[str, Any], path: Path_) -> tuple[float, float]:
    """The trimmed side's size in mm of a number inside a format (math.inf when unknown: no position is refused
    for lack of it)."""
    if len(path) < 2 or path[0] != "formats":
        return (math.inf, math.inf)
    fmt = data["formats"][path[1]]
    size = fmt.get("size") if isinstance(fmt, Mapping) else None
    if isinstance(size, list) and len(size) == 2 and all(isinstance(v, int | float) for v in size):
        return (float(size[0]), float(size[1]))
    return (math.inf, math.inf)


def _headers(lines: Sequence[str]) -> list[tuple[int, str, bool]]:
    """Every table header: (line, dotted name, is an array of tables)."""
    found = []
    for number, text in enumerate(lines, start=1):
        match = _HEADER.match(text)
        if match:
            name = ".".join(part.strip().strip('"') for part in match.group(2).split("."))
            found.append((number, name, match.group(1) == "[["))
    return found


def _line(lines: Sequence[str], headers: list[tuple[int, str, bool]], path: Path_) -> int | None:
    """The line of the key that holds the number at `path` (TOML keeps no positions: the headers lead to it)."""
    low, high = 1, len(lines) + 1  # the lines of the table being searched
    name = ""
    key_at = 0  # where in `path` the keys of the innermost found table begin
    for position, segment in enumerate(path):
        if isinstance(segment, str):
            name = f"{name}.{segment}" if name else segment
            starts = [n for n, h, arr in headers if h == name and not arr and low <= n < high]
            if starts:
                low, high = starts[0], _end(headers, name, starts[0], high)
                key_at = position + 1
        elif position > 0 and isinstance(path[position - 1], str):
            starts = [n for n, h, arr in headers if h == name and arr and low <= n < high]
            if segment < len(starts):
                nxt = starts[segment + 1] if segment + 1 < len(starts) else _end(headers, name, starts[segment], high)
                low, high = starts[segment], nxt
                key_at = position + 1
    key = next((s for s in path[key_at:] if isinstance(s, str)), None)
    direct = next((n for n, _, _ in headers if low < n < high), high)
    if key is not None:
        for number in range(low, direct):
            if re.match(rf"\s*\"?{re.escape(key)}\"?\s*=", lines[number - 1]):
                return number
    return low if low > 1 or headers else None


def _end(headers: list[tuple[int, str, bool]], name: str, start: int, high: int) -> int:
    """The first header after `start` that is not inside table `name`: where that table and its sub-tables end."""
    return next(
        (n for n, h, _ in headers if start < n < high and h != name and not h.startswith(name + ".")),
        high,
    )
