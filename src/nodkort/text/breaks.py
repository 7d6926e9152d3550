"""Breaks: text → line-break opportunities (UAX #14) and grapheme cluster boundaries (UAX #29), by ICU.

ICU's line breaker follows UAX #14 with its tailorings (CJK punctuation, no break inside numbers) and
breaks Thai, which has no spaces, between words of its dictionary. It is a thousand times faster than
segmenting in Python, which matters because `nodkort check` lays every string out many times.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from icu4py.breakers import CharacterBreaker, LineBreaker

from nodkort.model import BreakRules

NO_RULES = BreakRules()

# Opening hours: "07–21", "16.30–00", "9:00 - 17:00". A time range never breaks inside, and never away from
# the word before it: "mån–tors 16.30–00", "alla dagar 07–21", "fre 09–12".
_TIME = r"\d{1,2}(?:[.:]\d{2})?"
_HOURS = re.compile(rf"(?<!\d){_TIME}\u2060?\s?[\u2013-]\u2060?\s?{_TIME}(?!\d)")
# A range of words without spaces ("mån–tors", "Mon–Fri") stays whole.
_WORD_RANGE = re.compile(r"\w\u2013\u2060?(?=\w)")
_OPEN, _CLOSE = "(（[［", ")）]］"
_GAPS = " \u00a0\u202f"


def line_breaks(text: str, thai: bool, rules: BreakRules = NO_RULES) -> tuple[tuple[int, ...], ...]:
    """Line-break opportunities in tiers, the most tasteful first; each tier allows more than the one before.

    The last tier is Unicode's (UAX #14 as ICU implements it; inside Thai, only between dictionary words). The
    one before drops the breaks that typography forbids (inside opening hours, after a one-letter preposition,
    kinsoku, inside a kept phrase); the first also keeps parentheses whole. A paragraph wraps with the first
    tier whose words fit the width, so taste never turns into an overflow.
    """
    return _tiers(text, "th" if thai else "und", rules)


@lru_cache(maxsize=8192)
def _tiers(text: str, locale: str, rules: BreakRules) -> tuple[tuple[int, ...], ...]:
    unicode = _breaks_of(text, locale)
    forbidden = _forbidden(text, rules)
    hard = tuple(b for b in unicode if b not in forbidden or b == len(text))
    inside = _inside_brackets(text)
    strict = tuple(b for b in hard if b not in inside or b == len(text))
    return strict, hard, unicode


def _forbidden(text: str, rules: BreakRules) -> set[int]:
    out: set[int] = set()
    for match in _HOURS.finditer(text):
        out.update(range(match.start() + 1, match.end()))
        # Glued to the word before: the break would fall after the gap in front of the hours.
        gap = match.start()
        while gap > 0 and text[gap - 1] in _GAPS:
            gap -= 1
        if gap < match.start() and gap > 0 and text[gap - 1].isalpha():
            out.update(range(gap + 1, match.start() + 1))
    for match in _WORD_RANGE.finditer(text):
        out.update(range(match.start() + 1, match.end() + 1))
    folded = text.casefold()
    for phrase in rules.keep_whole:
        start = folded.find(phrase.casefold())
        while start >= 0:
            out.update(range(start + 1, start + len(phrase)))
            start = folded.find(phrase.casefold(), start + 1)
    if rules.keep_with_next:
        for match in re.finditer(r"\w+", text):
            if match.group(0).casefold() in rules.keep_with_next and (
                match.start() == 0 or not text[match.start() - 1].isalnum()
            ):
                end = match.end()
                while end < len(text) and text[end] in _GAPS:
                    end += 1
                out.update(range(match.end() + 1, end + 1))
    if rules.no_line_start or rules.no_line_end:
        last = ""  # the last character before `index` that is not a gap
        for index in range(1, len(text)):
            if text[index - 1] not in _GAPS:
                last = text[index - 1]
            if text[index] in rules.no_line_start or (last and last in rules.no_line_end):
                out.add(index)
    return out


def _inside_brackets(text: str) -> set[int]:
    """Positions strictly inside a pair of parentheses or brackets."""
    return {pos for start, end in bracket_spans(text) for pos in range(start + 1, end)}


@lru_cache(maxsize=8192)
def bracket_spans(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of every pair of parentheses or brackets, the brackets included."""
    out: list[tuple[int, int]] = []
    stack: list[int] = []
    for index, char in enumerate(text):
        if char in _OPEN:
            stack.append(index)
        elif char in _CLOSE and stack:
            out.append((stack.pop(), index + 1))
    return tuple(sorted(out))


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
