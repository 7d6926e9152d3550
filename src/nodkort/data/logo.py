"""Logo: an SVG file in a small subset → a Logo of filled polygons and circles, or the problems with it.

The issuer's logo is drawn as vectors in CMYK like everything else on a card, so only what maps onto filled
shapes is read: `rect`, `circle`, `polygon` and `path` with straight segments (M, L, H, V, Z and their
relative forms), filled with `#rgb` or `#rrggbb` (or black, SVG's default), inside `svg` and `g`. Curves,
strokes, gradients, text, images and transforms are refused with what to do instead: a logo that is drawn
differently from what its designer saw would be worse than none. No library beyond the standard one is needed.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from nodkort.data.tomlread import Reader
from nodkort.errors import DataError, Location, Problem
from nodkort.model import Cmyk, Logo, LogoShape

SVG = "{http://www.w3.org/2000/svg}"
_CONTAINERS = {"svg", "g", "title", "desc", "metadata"}
_REFUSED_ATTRIBUTES = {"transform", "stroke", "clip-path", "mask", "filter", "style"}
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_PATH_TOKEN = re.compile(r"[MmLlHhVvZz]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_HEX = re.compile(r"#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})")


def region_logo(r: Reader, head: Any, path: Path) -> Logo | None:
    """The issuer's logo (an SVG file beside the region file), with the licence under which it is printed."""
    if not isinstance(head, dict) or "logo" not in head:
        return None
    name = r.get(head, "logo", str, "region", needle="logo =")
    licence = r.get(head, "logo_licence", str, "region", "", needle="logo =") or ""
    if not licence.strip():
        r.problem(
            "region.logo",
            "a logo needs 'logo_licence': who owns it and under what terms it may be printed",
            'add logo_licence = "…" (the owner\'s permission or the licence, with where it is stated)',
            "logo =",
        )
        return None
    if not name:
        return None
    file = path.parent / name
    if not file.is_file():
        r.problem("region.logo", f"the logo file {name!r} does not exist", f"put it at {file}", "logo =")
        return None
    try:
        return load_logo(file, licence.strip(), "region.logo")
    except DataError as exc:
        for problem in exc.problems:
            r.problem("region.logo", f"{name}: {problem.what}", problem.fix, "logo =")
        return None


class _Refused(Exception):
    """What is wrong with one element, said in words a designer can act on."""


def load_logo(path: Path, licence: str, key: str) -> Logo:
    """Read the logo at `path`; a DataError names the file, the element and what the subset allows."""
    where = Location(str(path), None, key)
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as exc:
        raise DataError(
            Problem(where, f"the logo cannot be read: {exc}", "give an SVG file next to the region file")
        ) from None
    try:
        return _logo(root, str(path), licence)
    except _Refused as exc:
        raise DataError(
            Problem(
                where,
                f"the logo uses {exc}",
                "save it as plain filled shapes (rect, circle, polygon, path with straight lines) with fill "
                "colours, without transforms or strokes (docs/regions.md)",
            )
        ) from None


def _logo(root: ET.Element, path: str, licence: str) -> Logo:
    if _tag(root) != "svg":
        raise _Refused(f"<{_tag(root)}> as its root element, not <svg>")
    box = _numbers(root.get("viewBox", ""))
    if len(box) != 4 or box[2] <= 0 or box[3] <= 0:
        raise _Refused("no viewBox = 'x y width height' with a positive size")
    x0, y0, width, height = box
    shapes = []
    # A shape without a fill of its own takes its group's, as SVG inherits it (black at the root).
    stack = [(root, root.get("fill", "#000000"))]
    while stack:
        element, inherited = stack.pop()
        tag = _tag(element)
        refused = _REFUSED_ATTRIBUTES & set(element.attrib)
        if refused:
            raise _Refused(f"the attribute {sorted(refused)[0]!r} on <{tag}>")
        value = element.get("fill", inherited)
        if tag in _CONTAINERS:
            stack += [(child, value) for child in reversed(element)]
            continue
        fill = _fill(value, tag)
        if fill is None:
            continue  # fill="none": nothing to draw
        polygons, circles = _shape(element, tag)
        moved = tuple(tuple((x - x0, y - y0) for x, y in polygon) for polygon in polygons)
        shapes.append(LogoShape(moved, tuple((x - x0, y - y0, r) for x, y, r in circles), fill))
    if not shapes:
        raise _Refused("no filled shape")
    return Logo(width, height, tuple(shapes), path, licence)


def _tag(element: ET.Element) -> str:
    return element.tag.removeprefix(SVG)


def _numbers(text: str) -> list[float]:
    return [float(n) for n in _NUMBER.findall(text)]


def _fill(value: str, tag: str) -> Cmyk | None:
    """A fill colour as CMYK by the plain device formula (contrast.py uses its inverse); None for "none"."""
    if value == "none":
        return None
    match = _HEX.fullmatch(value.strip())
    if match is None:
        raise _Refused(f"the fill {value!r} on <{tag}> (only #rgb, #rrggbb or none)")
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    r, g, b = (int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4))
    k = 1 - max(r, g, b)
    if k >= 1:
        return Cmyk(0, 0, 0, 1)
    return Cmyk((1 - r - k) / (1 - k), (1 - g - k) / (1 - k), (1 - b - k) / (1 - k), k)


Polygons = list[tuple[tuple[float, float], ...]]


def _shape(element: ET.Element, tag: str) -> tuple[Polygons, list[tuple[float, float, float]]]:
    def num(name: str) -> float:
        value = _numbers(element.get(name, "0"))
        return value[0] if value else 0.0

    match tag:
        case "rect":
            x, y, w, h = num("x"), num("y"), num("width"), num("height")
            return [((x, y), (x + w, y), (x + w, y + h), (x, y + h))], []
        case "circle":
            return [], [(num("cx"), num("cy"), num("r"))]
        case "polygon":
            values = _numbers(element.get("points", ""))
            if len(values) < 6 or len(values) % 2:
                raise _Refused("a <polygon> without at least three points")
            return [tuple(zip(values[::2], values[1::2], strict=True))], []
        case "path":
            return _path(element.get("d", "")), []
    raise _Refused(f"<{tag}>")


def _path(d: str) -> Polygons:
    """Straight-line path data → closed polygons (a fill closes every subpath, as SVG does)."""
    if re.search(r"[AaCcQqSsTt]", d):
        raise _Refused("a curve in a <path> (convert curves to straight segments)")
    tokens = _PATH_TOKEN.findall(d)
    polygons: Polygons = []
    points: list[tuple[float, float]] = []
    x = y = 0.0
    command = ""
    i = 0

    def close() -> None:
        if len(points) >= 3:
            polygons.append(tuple(points))
        points.clear()

    while i < len(tokens):
        if tokens[i].isalpha():
            command = tokens[i]
            i += 1
            if command in "Mm":
                close()  # a moveto starts a new subpath
            if command in "Zz":
                start = points[0] if points else (x, y)
                close()
                x, y = start
                continue
        if not command:
            raise _Refused("a <path> that does not start with M")
        relative = command.islower()
        match command.upper():
            case "M" | "L":
                dx, dy = float(tokens[i]), float(tokens[i + 1])
                i += 2
                x, y = (x + dx, y + dy) if relative else (dx, dy)
                # after the first pair, further pairs of a moveto are lines (SVG 1.1 §8.3.2)
                command = ("l" if relative else "L") if command.upper() == "M" else command
            case "H":
                x = x + float(tokens[i]) if relative else float(tokens[i])
                i += 1
            case "V":
                y = y + float(tokens[i]) if relative else float(tokens[i])
                i += 1
        points.append((x, y))
    close()
    return polygons
