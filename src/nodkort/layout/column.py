"""Column: a column of a side, its blocks and the Context → the blocks stacked with designed gaps, in points.

Each block is laid out on its own at the column's top and measured by its ink; then all are stacked with at
least the format's gap between them. Text grows up to the column's `grow` while the blocks still fit, then
shrinks in quarter points (every style by the same step) down to the legibility floor; there, a contacts
table's rows close up towards its `min_row_gap`. A QR code takes only the height the others leave (down to
0.5 mm modules). If the blocks still do not fit, a FitError names the column, its blocks and how much is
missing. The space left over goes where the column's `spare` says: evenly into every gap, into the gap above
the blocks that stand at its foot, or below the last block.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial

from nodkort.errors import FitError, Location, Problem
from nodkort.layout.blocks import Block, extent, kind_of, place_field, shifted
from nodkort.layout.contacts_field import GAP_STEP
from nodkort.layout.context import Context
from nodkort.layout.fit import STEP
from nodkort.layout.primitives import Item
from nodkort.layout.qr import PREFERRED_MODULE
from nodkort.layout.qr_field import qr_field
from nodkort.model import MM, Box, Column, ContactsField, Field, QrField, Side, Style, TextField

GROW_STEP = 0.025  # how finely text grows towards the column's `grow`
TALL = 8  # a block is measured in a box this many columns tall: only its width may make it shrink on its own

Sizer = Callable[[Style], float]


@dataclass(frozen=True)
class _Measured:
    field: Field
    foot: bool
    items: list[Item]
    strings: list[str]
    box: Box  # ink extent where it was laid out


def _measured(field: Field, foot: bool, items: list[Item], strings: list[str]) -> _Measured | None:
    """A block and its ink extent, or None when it printed nothing."""
    ink = extent(items)
    return None if ink is None else _Measured(field, foot, items, strings, ink)


def resized(field: Field, size: Sizer, tighten: int = 0) -> Field:
    """The field with its text styles at the sizes `size` gives, and a contacts table's rows `tighten` steps
    closer (never closer than its `min_row_gap`); the stamp and the issuer keep their own: they are marks of
    the card, not its message."""
    match field:
        case ContactsField():
            gap = field.style.paragraph_gap
            if tighten and field.min_row_gap is not None:
                gap = max(field.min_row_gap, round(gap - tighten * GAP_STEP, 4))
            style = replace(field.style, size=size(field.style), paragraph_gap=gap)
            return replace(field, style=style, design_size=field.design_size or field.style.size)
        case TextField():
            return replace(field, style=replace(field.style, size=size(field.style)))
        case QrField() if field.caption_style is not None:
            return replace(field, caption_style=replace(field.caption_style, size=size(field.caption_style)))
    return field


def sizers(column: Column, floor: float, fields: list[Field]) -> list[tuple[Sizer, int]]:
    """Every setting the column tries, largest first: grown in steps of GROW_STEP, then shrunk a step at a time,
    then, at the floor, the contacts tables' rows closing up a step at a time towards their `min_row_gap` (rows
    kept apart read better than larger type; closer rows are better than a column that does not print)."""
    out: list[tuple[Sizer, int]] = []
    for n in range(round((column.grow - 1) / GROW_STEP), 0, -1):
        out.append((partial(_grown, factor=1 + n * GROW_STEP), 0))
    styles = _styles(fields)
    deepest = max((s.size - min(floor, s.size) for s in styles), default=0.0)
    steps = math.ceil(deepest / STEP - 1e-9)
    for k in range(steps + 1):
        out.append((partial(_shrunk, steps=k, floor=floor), 0))
    closing = max(
        (
            math.ceil((f.style.paragraph_gap - f.min_row_gap) / GAP_STEP - 1e-9)
            for f in fields
            if isinstance(f, ContactsField) and f.min_row_gap is not None
        ),
        default=0,
    )
    for t in range(1, closing + 1):
        out.append((partial(_shrunk, steps=steps, floor=floor), t))
    return out


def _grown(style: Style, factor: float) -> float:
    return round(style.size * factor * 4) / 4  # in quarter points, as fitting shrinks


def _shrunk(style: Style, steps: int, floor: float) -> float:
    return max(min(floor, style.size), round(style.size - steps * STEP, 4))


def _styles(fields: list[Field]) -> list[Style]:
    out = []
    for field in fields:
        match field:
            case TextField() | ContactsField():
                out.append(field.style)
            case QrField() if field.caption_style is not None:
                out.append(field.caption_style)
    return out


def layout_column(
    column: Column, fields: list[tuple[Field, bool]], ctx: Context, side: Side
) -> dict[str, tuple[list[Item], list[str], Block]]:
    """Each block of the column that prints something → its items, its strings and its Block, by field id."""
    col = column.box.mirrored(ctx.fmt.width) if ctx.rtl else column.box
    gap = ctx.fmt.gap

    def measure(setting: tuple[Sizer, int]) -> list[_Measured]:
        size, tighten = setting
        found: dict[str, _Measured | None] = {}
        codes = [(field, foot) for field, foot in fields if kind_of(field) == "qr"]
        for field, foot in fields:
            if kind_of(field) == "qr":
                continue
            box = field.box.mirrored(ctx.fmt.width) if ctx.rtl else field.box
            if kind_of(field) != "rect":
                box = Box(col.x, col.top - TALL * col.h, col.w, TALL * col.h)
            found[field.id] = _measured(field, foot, *place_field(resized(field, size, tighten), box, ctx, side))
        # A code takes the room the other blocks leave (never more than its column, nor larger than its
        # module): it is as large as it can be, and shrinks towards the preferred module before text does.
        others = [m for m in found.values() if m is not None]
        left = col.h - sum(m.box.h for m in others) - gap * (len(others) + len(codes) - 1)
        room = max(left / max(len(codes), 1), 0.0)
        for field, foot in codes:
            box = Box(col.x, col.top - room, col.w, room)
            code = resized(field, size)
            assert isinstance(code, QrField)
            items, strings = qr_field(code, box, ctx, side, PREFERRED_MODULE)
            found[field.id] = _measured(field, foot, items, strings)
        return [m for field, _ in fields if (m := found.get(field.id)) is not None]

    def need(blocks: list[_Measured]) -> float:
        return sum(b.box.h for b in blocks) + gap * max(len(blocks) - 1, 0)

    settings = sizers(column, ctx.fmt.floor, [f for f, _ in fields])
    tried: dict[int, list[_Measured]] = {}

    def fits(index: int) -> bool:
        tried[index] = measure(settings[index])
        return need(tried[index]) <= col.h + 1e-6

    # Larger text never needs less height, so the first setting that fits is found by halving.
    low, high = 0, len(settings) - 1
    if not fits(low):
        if not fits(high):
            raise _overflow(column, ctx, side, tried[high], need(tried[high]))
        while high - low > 1:
            middle = (low + high) // 2
            if fits(middle):
                high = middle
            else:
                low = middle
        low = high
    return _stack(column, col, gap, tried[low])


def _stack(
    column: Column, col: Box, gap: float, blocks: list[_Measured]
) -> dict[str, tuple[list[Item], list[str], Block]]:
    head = [b for b in blocks if not b.foot]
    foot = [b for b in blocks if b.foot]
    spare = col.h - sum(b.box.h for b in blocks) - gap * max(len(blocks) - 1, 0)
    gaps = [gap] * max(len(blocks) - 1, 0)
    if column.spare == "spread" and gaps:
        gaps = [g + spare / len(gaps) for g in gaps]
    elif column.spare == "foot" and head and foot:
        gaps[len(head) - 1] += spare
    elif not head and foot:
        gaps = [gap] * (len(foot) - 1)
    placed: dict[str, tuple[list[Item], list[str], Block]] = {}
    top = col.top if head or column.spare != "foot" else col.y + sum(b.box.h for b in foot) + sum(gaps)
    for index, block in enumerate(head + foot):
        dy = top - block.box.top
        box = replace(block.box, y=block.box.y + dy)
        placed[block.field.id] = (
            shifted(block.items, dy),
            block.strings,
            Block(block.field.id, kind_of(block.field), box, column.id),
        )
        if index < len(gaps):
            top = box.y - gaps[index]
    return placed


def _overflow(column: Column, ctx: Context, side: Side, blocks: list[_Measured], height: float) -> FitError:
    """One problem for each block of a column that does not fit: any of them may be the one to shorten, and
    each names its own template line and catalog entry (its field path is the string's msgctxt)."""
    over = height - column.box.h
    names = ", ".join(b.field.id for b in blocks)
    what = (
        f"the blocks of column '{column.id}' ({names}) need {height / MM:.1f} mm of height at the "
        f"{ctx.fmt.floor:g} pt floor with {ctx.fmt.gap / MM:g} mm gaps; the column has {column.box.h / MM:.1f} mm "
        f"(overflow {over / MM:.1f} mm, {100 * over / column.box.h:.0f} %)"
    )
    fix = "shorten the texts, or give the column a larger box in the template"
    return FitError(
        [
            Problem(
                Location(
                    ctx.card.path,
                    b.field.line or None,
                    f"{ctx.card.id}/{ctx.fmt.name}/{side.name}/{b.field.id}",
                    ctx.language.code,
                ),
                f"{what}; this block takes {b.box.h / MM:.1f} mm",
                fix,
            )
            for b in blocks
            if kind_of(b.field) in ("text", "contacts", "qr")
        ]
        or [Problem(Location(ctx.card.path, column.line or None, column.id, ctx.language.code), what, fix)]
    )
