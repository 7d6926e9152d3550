"""Unsafe text: a string → the invisible direction controls and the numbers it holds, for the gates that refuse them.

One invisible character can change what a number says: a right-to-left override (U+202E) before "112" makes a
card read "211". So explicit embeddings, overrides and isolates are refused wherever text is data (catalogs,
contact data); the plain marks LRM, RLM and ALM stay allowed in translations, where writers of right-to-left
languages need them, but not in contact data, which is never right-to-left.

Numbers reach a card only through placeholders filled from verified contact data: a translation may hold no
number its Swedish source does not hold. Numbers are compared by value in any script's digits, so "18", "١٨"
and "۱۸" are one number; digits grouped by spaces or hyphens ("0771-14 14 00") are one number. The source
phrases that stand for a number a translation may write as digits ("dygnet runt" is "24/7" in many languages)
are data: `number_phrases` in the source language's entry of locales/languages.toml.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence

# Embeddings and overrides (LRE, RLE, PDF, LRO, RLO) and isolates (LRI, RLI, FSI, PDI).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Marks: LRM, RLM, ALM. Allowed in translations, never in contact data.
BIDI_MARKS = frozenset("\u200e\u200f\u061c")

# A run of decimal digits (\d matches the digits of every script), grouped by spaces, no-break spaces or hyphens.
_NUMBER = re.compile(r"\d+(?:[ \u00a0\u202f\-\u2011]\d+)*")


def controls_in(text: str, marks: bool = False) -> list[tuple[int, str]]:
    """The (offset, name) of every bidi control in `text`; with `marks`, of LRM, RLM and ALM too."""
    refused = BIDI_CONTROLS | BIDI_MARKS if marks else BIDI_CONTROLS
    return [(i, f"U+{ord(ch):04X} {unicodedata.name(ch, '')}") for i, ch in enumerate(text) if ch in refused]


def numbers_in(text: str) -> list[str]:
    """Every number in `text` as ASCII digits without leading zeros ("0771-14 14 00" → "771141400")."""
    found = []
    for match in _NUMBER.finditer(text):
        digits = "".join(str(unicodedata.decimal(ch)) for ch in match.group() if ch.isdecimal())
        found.append(digits.lstrip("0") or "0")
    return found


def _runs(text: str) -> set[str]:
    """Each unbroken run of digits, by value."""
    return {str(int("".join(str(unicodedata.decimal(ch)) for ch in run))) for run in re.findall(r"\d+", text)}


def added_numbers(source: str, translation: str, phrases: Mapping[str, Sequence[str]] | None = None) -> list[str]:
    """The numbers of `translation` that `source` does not hold, as written in the translation.

    A group is allowed when the source holds it whole, or holds each of its parts: "18 112" may stand where the
    source says "under 18 … 112", but "0771-14 14 00" may not stand where the source holds only "14".
    """
    whole, parts = set(numbers_in(source)), _runs(source)
    for phrase, numbers in (phrases or {}).items():
        if phrase.casefold() in source.casefold():  # `phrases` maps a source phrase to the numbers it stands for
            whole |= {n.lstrip("0") or "0" for n in numbers}
            parts |= {n.lstrip("0") or "0" for n in numbers}
    added = []
    for match in _NUMBER.finditer(translation):
        group = match.group()
        if numbers_in(group)[0] in whole or _runs(group) <= parts:
            continue
        added.append(group)
    return added
