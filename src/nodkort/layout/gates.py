"""Gates: a card about to be laid out or just laid out → refused with a named error, or let through.

The review gate (strings no recorded review signs print only as drafts), the glyph gate (no character the fonts
lack) and the discreet gate (no side or panel of a discreet card names its subject).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from nodkort.errors import GlyphError, Location, Problem, ReviewError, TemplateError
from nodkort.i18n.extract import Message
from nodkort.i18n.translations import Translations
from nodkort.layout.primitives import QrCode
from nodkort.layout.side import LaidSide
from nodkort.model import Card, Language
from nodkort.text.fonts import FontBook, glyph_problems


def forbidden_words(words: Sequence[str], text: str) -> list[str]:
    """The words of `words` that `text` contains, compared without case.

    A word matches anywhere, inside a longer word too, so that Swedish compounds ("hedersvåld",
    "tvångsäktenskapet") are caught by their parts. A word written in capitals only is an abbreviation
    ("UD") and matches only as a whole word: as a fragment it would refuse "could" or "ljud".
    """
    folded = text.casefold()
    hits = []
    for word in words:
        if word.isupper():
            found = re.search(rf"(?<!\w){re.escape(word.casefold())}(?!\w)", folded) is not None
        else:
            found = word.casefold() in folded
        if found:
            hits.append(word)
    return hits


def check_discreet(card: Card, sides: Sequence[LaidSide], language: Language) -> None:
    """The discreet gate: no side and no panel of the card may name its subject, inside or outside.

    A discreet card is opened by whoever finds it, so its inside is checked like its outside, and so are
    what its QR codes hold.
    """
    problems = []
    for side in sides:
        where = "outside" if side.outside else "inside"
        # What a QR code holds is read too: a vCard's names are saved to the phone of whoever scans it; and so
        # is what a screen reader says of it (its alternative text in a tagged PDF).
        payloads = [text for item in side.items if isinstance(item, QrCode) for text in (item.payload, item.alt)]
        for word in forbidden_words(card.forbidden(language.code), " ".join((*side.texts, *payloads))):
            problems.append(
                Problem(
                    Location(card.path, key=card.id, scope=f"{side.name} side, {language.code}"),
                    f"the discreet variant shows '{word}' on the {where}",
                    'mark the field show = "plain" or give it a neutral discreet text',
                )
            )
    if problems:
        raise TemplateError(problems)


def review_gate(card: Card, tr: Translations, messages: Sequence[Message]) -> None:
    """Unreviewed languages render only as drafts: say how many strings, why, and how they get reviewed."""
    if tr.draft or tr.language.source:
        return
    counts = tr.state(messages)
    unreviewed = len(messages) - counts["reviewed"]
    if unreviewed:
        raise ReviewError(
            Problem(
                Location(str(tr.path)),
                f"{tr.language.english} ({tr.language.code}) is not reviewed: {unreviewed} strings of the {card.id} "
                f"card are unreviewed ({counts['fuzzy']} fuzzy, {counts['missing']} missing, "
                f"{counts['unreviewed']} without a valid review, {counts['changed']} changed since review; "
                f"{tr.review_summary()})",
                f"a qualified reviewer who did not translate it signs it: nodkort lang review {tr.language.code} "
                '--reviewer "Name, role" (docs/translating.md); until then render with --draft for a watermarked draft',
            )
        )


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
