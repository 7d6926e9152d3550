"""Side: one side of a card template and its Context → a LaidSide of positioned primitives, in points.

Pure: nothing is drawn here. Text is fitted into its box, shrinking in quarter points down to the format's
legibility floor (fit.py); if it still does not fit, a FitError names card, format, side, field, language and
how much is missing. Right-to-left languages mirror the whole side: boxes, alignment, bullets and QR position.
Each field kind has its own module (text_field, contacts_field, qr_field, pictogram); this one walks a side's
fields, collects what they place, and reports every field that does not fit at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from nodkort.errors import FitError, Problem
from nodkort.layout.blocks import Block, extent, kind_of, place_field
from nodkort.layout.column import layout_column
from nodkort.layout.context import Context
from nodkort.layout.primitives import Item
from nodkort.model import Card, Cmyk, Format, Language, Show, Side, Variant


@dataclass(frozen=True)
class LaidSide:
    name: str
    width: float
    height: float
    items: tuple[Item, ...]
    background: Cmyk | None
    outside: bool
    texts: tuple[str, ...]  # every string printed on the side, for the discreet gate and tests
    folds: tuple[float, ...] = ()
    blocks: tuple[Block, ...] = ()  # what each field printed and where its ink lies, for geometry checks


@dataclass(frozen=True)
class LaidCard:
    card: Card
    format: Format
    language: Language
    variant: Variant
    sides: tuple[LaidSide, ...]
    title: str
    municipality: str = ""


def shown(show: Show, ctx: Context) -> bool:
    """Whether a field prints on this card: its variant, and for "local" a municipality to be local to."""
    if show == "local":
        return ctx.variant == "plain" and ctx.directory.municipality is not None
    return show in ("always", ctx.variant)


def layout_side(side: Side, ctx: Context) -> LaidSide:
    placed: dict[str, tuple[list[Item], list[str], Block]] = {}
    misfits: list[Problem] = []  # every field that does not fit, so a translator sees them all at once
    stacked = {fid for column in side.columns for fid, _ in column.blocks}
    by_id = {field.id: field for field in side.fields}
    for field in side.fields:
        if not shown(field.show, ctx) or field.id in stacked:
            continue
        box = field.box.mirrored(ctx.fmt.width) if ctx.rtl else field.box
        try:
            new, strings = place_field(field, box, ctx, side)
        except FitError as exc:
            misfits += exc.problems
            continue
        placed[field.id] = (new, strings, Block(field.id, kind_of(field), extent(new) or box))
    for column in side.columns:
        blocks = [(by_id[fid], foot) for fid, foot in column.blocks if shown(by_id[fid].show, ctx)]
        try:
            placed.update(layout_column(column, blocks, ctx, side))
        except FitError as exc:
            misfits += exc.problems
    if misfits:
        raise FitError(misfits)
    # In the template's order: what is drawn later lies on top, and a tagged PDF reads in this order.
    order = [placed[field.id] for field in side.fields if field.id in placed]
    # Folded panels read right to left: the whole side is mirrored, so the folds are too.
    folds = tuple(sorted(ctx.fmt.width - f for f in side.folds)) if ctx.rtl else side.folds
    return LaidSide(
        side.name,
        ctx.fmt.width,
        ctx.fmt.height,
        tuple(item for items, _, _ in order for item in items),
        side.background,
        side.outside,
        tuple(text for _, strings, _ in order for text in strings),
        folds,
        tuple(block for _, _, block in order),
    )
