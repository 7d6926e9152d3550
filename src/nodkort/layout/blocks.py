"""Blocks: one field of a side and the box it is laid out in → its positioned primitives and its ink extent.

Every field kind is placed through `place_field`, whether it has a box of its own or stacks in a column
(column.py); `extent` measures what a block printed, and `shifted` moves it, so that a column can measure its
blocks first and stack them after. The Block records are what geometry tests and the dead-band check read.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from nodkort.layout.contacts_field import contacts_field
from nodkort.layout.context import Context, field_location
from nodkort.layout.issuer_field import issuer_field
from nodkort.layout.pictogram import place_pictogram
from nodkort.layout.primitives import Fill, Item, QrCode, Shape, TextLine
from nodkort.layout.qr_field import qr_field
from nodkort.layout.text_field import paragraphs, place_paragraphs, text_field
from nodkort.model import (
    DEFAULT_FAMILY,
    Box,
    ContactsField,
    Field,
    IssuerField,
    PictogramField,
    QrField,
    RectField,
    Side,
    StampField,
    TextField,
)
from nodkort.text.shaping import ink


@dataclass(frozen=True)
class Block:
    """What one field printed: its ink extent in points, and the column it stacks in ("" for a box of its own)."""

    field: str
    kind: str  # "text", "contacts", "qr", "stamp", "issuer", "rect" or "pictogram"
    box: Box
    column: str = ""

    @property
    def prints_text(self) -> bool:
        """Whether the block carries something to read (rects and pictograms are decoration and tiles)."""
        return self.kind not in ("rect", "pictogram")


def kind_of(field: Field) -> str:
    match field:
        case TextField():
            return "text"
        case ContactsField():
            return "contacts"
        case QrField():
            return "qr"
        case StampField():
            return "stamp"
        case IssuerField():
            return "issuer"
        case RectField():
            return "rect"
        case PictogramField():
            return "pictogram"


def place_field(field: Field, box: Box, ctx: Context, side: Side) -> tuple[list[Item], list[str]]:
    """The primitives one field places in `box`, and the strings it prints; a FitError when it does not fit."""
    match field:
        case TextField():
            return text_field(field, box, ctx, side)
        case ContactsField():
            return contacts_field(field, box, ctx, side)
        case QrField():
            return qr_field(field, box, ctx, side)
        case StampField():
            # The stamp is ASCII (version, language and municipality codes): set it in the Latin face
            # with Latin line metrics, or the tall ones of an Arabic font overflow its small box.
            latin = replace(ctx, language=replace(ctx.language, fonts=(DEFAULT_FAMILY,)))
            paras = paragraphs(ctx.stamp, latin, False, field_location(ctx, side, field), field.style.weight == "bold")
            # The stamp is for the print shop and for us: a tagged PDF marks it as an artifact (role None).
            return list(place_paragraphs(paras, box, field.style, latin, side, field, None)), [ctx.stamp]
        case IssuerField():
            return issuer_field(field, box, ctx, side)
        case RectField():
            return [Fill(box, field.color)], []
        case PictogramField():
            return place_pictogram(field, box, ctx.pictograms), []


def extent(items: list[Item]) -> Box | None:
    """The smallest box holding the ink of every item (a line's glyph ink, a fill, a code, a shape)."""
    xs: list[float] = []
    ys: list[float] = []
    for item in items:
        match item:
            case TextLine():
                if not item.glyphs:
                    continue
                top, bottom = ink(item.glyphs)
                xs += [item.x + min(g.x + g.dx for g in item.glyphs) * item.size]
                xs += [item.x + max(g.x + g.advance for g in item.glyphs) * item.size]
                ys += [item.y + top * item.size, item.y - bottom * item.size]
            case Fill():
                xs += [item.box.x, item.box.right]
                ys += [item.box.y, item.box.top]
            case QrCode():
                side = len(item.matrix) * item.module
                xs += [item.x, item.x + side]
                ys += [item.y, item.y + side]
            case Shape():
                points = [p for poly in item.polygons for p in poly]
                xs += [x for x, _ in points] + [x + s * r for x, _, r in item.circles for s in (-1, 1)]
                ys += [y for _, y in points] + [y + s * r for _, y, r in item.circles for s in (-1, 1)]
    if not xs:
        return None
    return Box(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))


def shifted(items: list[Item], dy: float) -> list[Item]:
    """The items moved up by `dy` points (down when negative)."""
    moved: list[Item] = []
    for item in items:
        match item:
            case TextLine() | QrCode():
                moved.append(replace(item, y=item.y + dy))
            case Fill():
                moved.append(replace(item, box=replace(item.box, y=item.box.y + dy)))
            case Shape():
                polygons = tuple(tuple((x, y + dy) for x, y in poly) for poly in item.polygons)
                circles = tuple((x, y + dy, r) for x, y, r in item.circles)
                moved.append(Shape(polygons, circles, item.color))
    return moved
