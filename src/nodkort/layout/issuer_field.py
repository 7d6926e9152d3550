"""Issuer field: an issuer field, its box and the issuing county board → its logo and name, on the start side.

The name is the board's own (a proper name, in Swedish on every card, as the region file writes it) and is
set in the Latin face; the logo, when the region names one, is drawn as vector shapes at the field's logo
height, and the name sits beside it, centred on it. A card made without a known issuer prints nothing here.
"""

from __future__ import annotations

from dataclasses import replace

from nodkort.layout.context import Context, field_location
from nodkort.layout.primitives import SOURCE_LANG, Item, Shape
from nodkort.layout.text_field import paragraphs, place_paragraphs
from nodkort.model import DEFAULT_FAMILY, Box, IssuerField, Logo, Side
from nodkort.text.shaping import ink

LOGO_SPACE = 0.6  # em of the name's size between the logo and the name


def issuer_field(field: IssuerField, box: Box, ctx: Context, side: Side) -> tuple[list[Item], list[str]]:
    region = ctx.issuer
    if region is None or not region.issuer:
        return [], []
    logo = region.logo
    items: list[Item] = []
    logo_w = logo_h = 0.0
    if logo is not None:
        logo_h = min(field.logo_height, box.h)
        logo_w = logo_h * logo.width / logo.height
        x = box.right - logo_w if ctx.rtl else box.x
        items += draw_logo(logo, Box(x, box.top - logo_h, logo_w, logo_h))
    space = logo_w + (LOGO_SPACE * field.style.size if logo is not None else 0.0)
    name_box = Box(box.x if ctx.rtl else box.x + space, box.y, box.w - space, box.h)
    latin = replace(ctx, language=replace(ctx.language, fonts=(DEFAULT_FAMILY,)))
    where = field_location(ctx, side, field)
    lang = SOURCE_LANG if ctx.language.code != SOURCE_LANG else ""
    paras = paragraphs(region.issuer, latin, False, where, field.style.weight == "bold", lang)
    lines = place_paragraphs(paras, name_box, field.style, latin, side, field)
    if logo is not None and lines:
        # centred on the logo: the name's ink middle at the logo's middle
        tops = [line.y + ink(line.glyphs)[0] * line.size for line in lines]
        bottoms = [line.y - ink(line.glyphs)[1] * line.size for line in lines]
        dy = (box.top - logo_h / 2) - (max(tops) + min(bottoms)) / 2
        lines = [replace(line, y=line.y + dy) for line in lines] if dy < 0 else lines
    return [*items, *lines], [region.issuer]


def draw_logo(logo: Logo, box: Box) -> list[Item]:
    """The logo's shapes scaled into `box` (its proportions kept); its y runs downwards, the page's upwards."""
    ox, oy, scale = box.x, box.top, box.h / logo.height
    return [
        Shape(
            tuple(tuple((ox + x * scale, oy - y * scale) for x, y in polygon) for polygon in shape.polygons),
            tuple((ox + x * scale, oy - y * scale, r * scale) for x, y, r in shape.circles),
            shape.color,
        )
        for shape in logo.shapes
    ]
