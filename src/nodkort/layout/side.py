"""Side: one side of a card template and its Context → a LaidSide of positioned primitives, in points.

Pure: nothing is drawn here. Text is fitted into its box, shrinking in quarter points down to the format's
legibility floor (fit.py); if it still does not fit, a FitError names card, format, side, field, language and
how much is missing. Right-to-left languages mirror the whole side: boxes, alignment, bullets and QR position.
Each field kind has its own module (text_field, contacts_field, qr_field, pictogram); this one walks a side's
fields, collects what they place, and reports every field that does not fit at once.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from nodkort.errors import FitError, Problem
from nodkort.layout.contacts_field import contacts_field
from nodkort.layout.context import Context, field_location
from nodkort.layout.pictogram import place_pictogram
from nodkort.layout.primitives import Fill, Item
from nodkort.layout.qr_field import qr_field
from nodkort.layout.text_field import paragraphs, place_paragraphs, text_field
from nodkort.model import (
    DEFAULT_FAMILY,
    Card,
    Cmyk,
    ContactsField,
    Format,
    Language,
    PictogramField,
    QrField,
    RectField,
    Show,
    Side,
    StampField,
    TextField,
    Variant,
)


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
    items: list[Item] = []
    texts: list[str] = []
    misfits: list[Problem] = []  # every field that does not fit, so a translator sees them all at once
    for field in side.fields:
        if not shown(field.show, ctx):
            continue
        box = field.box.mirrored(ctx.fmt.width) if ctx.rtl else field.box
        try:
            match field:
                case TextField():
                    new, strings = text_field(field, box, ctx, side)
                case ContactsField():
                    new, strings = contacts_field(field, box, ctx, side)
                case QrField():
                    new, strings = qr_field(field, box, ctx, side)
                case StampField():
                    # The stamp is ASCII (version, language and municipality codes): set it in the Latin face
                    # with Latin line metrics, or the tall ones of an Arabic font overflow its small box.
                    latin = replace(ctx, language=replace(ctx.language, fonts=(DEFAULT_FAMILY,)))
                    paras = paragraphs(
                        ctx.stamp, latin, False, field_location(ctx, side, field), field.style.weight == "bold"
                    )
                    # The stamp is for the print shop and for us: a tagged PDF marks it as an artifact (role None).
                    placed = place_paragraphs(paras, box, field.style, latin, side, field, None)
                    new, strings = list(placed), [ctx.stamp]
                case RectField():
                    new, strings = [Fill(box, field.color)], []
                case PictogramField():
                    new, strings = place_pictogram(field, box, ctx.pictograms), []
        except FitError as exc:
            misfits += exc.problems
            continue
        items += new
        texts += strings
    if misfits:
        raise FitError(misfits)
    # Folded panels read right to left: the whole side is mirrored, so the folds are too.
    folds = tuple(sorted(ctx.fmt.width - f for f in side.folds)) if ctx.rtl else side.folds
    return LaidSide(
        side.name, ctx.fmt.width, ctx.fmt.height, tuple(items), side.background, side.outside, tuple(texts), folds
    )
