"""Breaks: text → line-break opportunities (UAX #14) and grapheme cluster boundaries (UAX #29), by ICU.

ICU's line breaker follows UAX #14 with its tailorings (CJK punctuation, no break inside numbers) and
breaks Thai, which has no spaces, between words of its dictionary. It is a thousand times faster than
segmenting in Python, which matters because `nodkort check` lays every string out many times.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from icu4py.breakers import CharacterBreaker, LineBreaker


def line_breaks(text: str, thai: bool) -> list[int]:
    """Line-break opportunities (UAX #14, as ICU implements it); inside Thai, only between dictionary words."""
    return list(_breaks_of(text, "th" if thai else "und"))


def _code_points(text: str, offsets: Iterable[int]) -> list[int]:
    """ICU counts in UTF-16 code units: map its offsets to Python's code point indexes."""
    if all(ord(c) <= 0xFFFF for c in text):
        return list(offsets)
    index: dict[int, int] = {}
    unit = 0
    for position, char in enumerate(text):
        index[unit] = position
        unit += 2 if ord(char) > 0xFFFF else 1
    index[unit] = len(text)
    return [index[o] for o in offsets]


@lru_cache(maxsize=8192)
def _breaks_of(text: str, locale: str) -> tuple[int, ...]:
    found = set(_code_points(text, (end for _, end in LineBreaker(text, locale).segments())))
    found.discard(0)
    found -= _short_prefixes(text)
    found.add(len(text))
    return tuple(sorted(found))


# A hyphenated name with a short first part, such as "UD-jouren" or "SIM-kort", must not break after its
# hyphen: "UD-" alone at a line's end reads as a different word, and readers look such names up as a whole.
SHORT_PREFIX = 3


def _short_prefixes(text: str) -> set[int]:
    """Break opportunities right after a hyphen that ends a word part of at most SHORT_PREFIX letters."""
    out: set[int] = set()
    for index, char in enumerate(text):
        if char not in "-\u2010":
            continue
        start = index
        while start > 0 and text[start - 1].isalnum():
            start -= 1
        if 0 < index - start <= SHORT_PREFIX:
            out.add(index + 1)
    return out


@lru_cache(maxsize=8192)
def graphemes(text: str) -> tuple[int, ...]:
    """Grapheme cluster boundaries (UAX #29): a letter and its marks always take one font together."""
    return (0, *_code_points(text, (end for _, end in CharacterBreaker(text, "und").segments())))
