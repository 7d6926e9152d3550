"""Context: a card in one format, language and variant → what each of its fields is laid out against.

Also what every field kind needs from it: placeholders filled with verified numbers, the location of a field
(card, format, side, field and language), and a FitError that names it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from nodkort.data.directory import Directory
from nodkort.data.pictograms import Pictograms
from nodkort.data.templates import PLACEHOLDER
from nodkort.errors import FitError, Location, Problem
from nodkort.model import Card, Field, Format, Language, Region, Side, Variant
from nodkort.text.fonts import FontBook

Translate = Callable[[str, str, bool], str]


@dataclass
class Context:
    """Everything a side needs to be laid out."""

    card: Card
    fmt: Format
    language: Language
    variant: Variant
    book: FontBook
    tr: Translate
    directory: Directory
    pictograms: Pictograms
    stamp: str
    issuer: Region | None = None  # the region whose county board issues the card, if known

    @property
    def rtl(self) -> bool:
        return self.language.direction == "rtl"


def field_location(ctx: Context, side: Side, field: Field) -> Location:
    """A field as it is laid out: its line in the template, its path card/format/side/field, the language."""
    return Location(
        ctx.card.path, field.line or None, f"{ctx.card.id}/{ctx.fmt.name}/{side.name}/{field.id}", ctx.language.code
    )


def fill_placeholders(text: str, ctx: Context, where: Location) -> str:
    def number(match: object) -> str:
        ref = match.group(1)  # type: ignore[attr-defined]
        if ref == "municipality" and ctx.directory.municipality is not None:
            return ctx.directory.municipality.name  # a place name, not a number: cards say where they apply
        if ref == "issuer" and ctx.directory.region is not None and ctx.directory.region.region.issuer:
            return ctx.directory.region.region.issuer  # the county board that issues the card, from the region data
        resolved = ctx.directory.resolve(ref)
        if resolved is None:
            raise FitError(
                Problem(
                    where,
                    f"placeholder {{{ref}}} has no verified number to print",
                    "verify the contact, or rewrite the sentence without it",
                )
            )
        return str(resolved.contact.display)

    return PLACEHOLDER.sub(number, text)


def fit_error(ctx: Context, side: Side, field: Field, what: str) -> FitError:
    return FitError(
        Problem(
            field_location(ctx, side, field),
            what,
            "shorten the text, or give the field a larger box in the template",
        )
    )
