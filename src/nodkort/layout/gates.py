"""Gates: a card about to be laid out or just laid out → refused with a named error, or let through.

The review gate (unreviewed strings print only as drafts), the glyph gate (no character the fonts lack) and the
discreet gate (no outside of a discreet card names its subject).
"""

from __future__ import annotations

from collections.abc import Sequence

from nodkort.errors import GlyphError, Location, Problem, ReviewError, TemplateError
from nodkort.i18n.extract import Message
from nodkort.i18n.translations import Translations
from nodkort.layout.side import LaidSide
from nodkort.model import Card, Language
from nodkort.text.fonts import FontBook, glyph_problems


def check_discreet(card: Card, sides: Sequence[LaidSide], language: Language) -> None:
    """The discreet gate: no outside of the card may name its subject."""
    problems = []
    for side in sides:
        if not side.outside:
            continue
        text = " ".join(side.texts).casefold()
        for word in card.forbidden_outside:
            if word.casefold() in text:
                problems.append(Problem(Location(card.path, key=f"{card.id}, {side.name} side", scope=language.code),
                                        f"the discreet variant shows '{word}' on the outside",
                                        "mark the field show = \"plain\" or give it a neutral discreet text"))
    if problems:
        raise TemplateError(problems)


def review_gate(card: Card, tr: Translations, messages: Sequence[Message]) -> None:
    """Unreviewed languages render only as drafts: say how many strings and where to review them."""
    if tr.draft or tr.language.source:
        return
    counts = tr.state(messages)
    unreviewed = counts["fuzzy"] + counts["missing"]
    if unreviewed:
        raise ReviewError(Problem(
            Location(str(tr.path)),
            f"{tr.language.english} ({tr.language.code}) is not reviewed: {unreviewed} strings of the {card.id} "
            f"card are unreviewed ({counts['fuzzy']} fuzzy, {counts['missing']} missing)",
            "a qualified reviewer checks them in Poedit or Weblate and clears 'fuzzy' (docs/translating.md); "
            "until then render with --draft for a watermarked draft",
        ))


def string_location(tr: Translations, message: Message) -> Location:
    """Where a string the card prints is written: its catalog entry, or the template when it has none."""
    line = tr.line(message.context)
    if tr.path is not None and line:
        return Location(str(tr.path), line, message.context)
    return Location(message.path, message.line or None, message.context)


def glyph_gate(fonts: FontBook, tr: Translations, messages: Sequence[Message]) -> None:
    """Every character of every string the card prints has a glyph in the language's fonts."""
    texts = []
    for message in messages:
        text, _ = tr.lookup(message.context, message.msgid)
        texts.append((string_location(tr, message), text))
    problems = glyph_problems(fonts, texts, tr.language.fonts, tr.language.code)
    if problems:
        raise GlyphError(problems)
