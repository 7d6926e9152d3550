"""Text: a paragraph of styled spans → shaped glyph runs and line breaks; a line → glyphs in visual order.

One engine for every script (tech.md §1): reportlab's own right-to-left path is silently ignored without
rlbidi, and arabic-reshaper lacks forms that Pashto and Sorani need. So: python-bidi resolves embedding
levels (bidi.py), every grapheme takes the first font of the language's chain that has all of it (itemize.py),
HarfBuzz shapes each run of one level and one font (shaping.py), lines break at Unicode line-break
opportunities, a dictionary for Thai (breaks.py), and each line's runs are reordered for display (UAX #9 L2,
here). Shaping is done once in font units; fitting at another size only rescales, so shrinking text to fit
costs no reshaping.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace

from nodkort.errors import GlyphError, Location, Problem
from nodkort.model import Language, Weight
from nodkort.text.bidi import LRI, PDI, levels
from nodkort.text.breaks import bracket_spans, line_breaks
from nodkort.text.fonts import Face, FontBook, describe_char
from nodkort.text.itemize import ignorable, itemize
from nodkort.text.shaping import Glyph, GlyphData, hb_language, shape_run

NBSP = "\u00a0"
WJ = "\u2060"
# A phone number or digit group: "114 14", "+46 8 405 50 05", "020-50 50 50" (a lone "112" needs no help).
_NUMBER = re.compile(r"\+?\d+(?:[ \u00a0\-]\d+)+|\+\d+")
_RANGE = re.compile(r"(\d)\u2013(\d)")


# The tier of line breaks (text/breaks.py) that wrapping starts from: 0, the most tasteful, unless the fit loop
# found that taste makes a field overflow at its floor and tries again with looser breaks (layout/fit.py).
_TASTE: ContextVar[int] = ContextVar("taste", default=0)
TASTES = 3


@contextmanager
def break_taste(taste: int) -> Iterator[None]:
    """Within the block, paragraphs wrap with breaks from tier `taste` on (0 is the most tasteful)."""
    token = _TASTE.set(taste)
    try:
        yield
    finally:
        _TASTE.reset(token)


@dataclass(frozen=True)
class Span:
    text: str
    bold: bool = False


@dataclass(frozen=True)
class Line:
    glyphs: tuple[Glyph, ...]
    width: float  # in em (multiply by the size)
    start: int
    end: int


@dataclass(frozen=True)
class _Run:
    start: int
    end: int
    level: int
    face: Face
    glyphs: tuple[GlyphData, ...]  # in visual order within the run, as HarfBuzz returns them


def protect_numbers(text: str, rtl: bool) -> str:
    """Keep phone numbers whole: digit groups joined by no-break spaces, and isolated left-to-right in RTL text.

    Without this "020 00 00 00" in Arabic text is displayed as "00 00 00 020" (UBA rule N1) and a line may
    break inside a number. An isolate (not an embedding) lets brackets around the number pair up normally.
    """

    def fix(match: re.Match[str]) -> str:
        number = match.group(0).replace(" ", NBSP)
        return f"{LRI}{number}{PDI}" if rtl else number

    # A range of hours such as "07–21" must not break after its dash.
    return _RANGE.sub(f"\\1{WJ}\u2013{WJ}\\2", _NUMBER.sub(fix, text))


# Chinese sets brackets full width, whatever the catalog or the contacts table wrote: one bracket width throughout.
FULLWIDTH_SCRIPTS = frozenset({"Hans", "Hant"})
_FULLWIDTH = str.maketrans({"(": "\uff08", ")": "\uff09"})


def fullwidth_brackets(text: str) -> str:
    """ASCII parentheses → full-width ones, character for character (offsets into the text stay true)."""
    return text.translate(_FULLWIDTH)


def _squeezed(text: str) -> frozenset[int]:
    """Spaces outside a full-width bracket: its glyph already carries half an em of space on that side."""
    return frozenset(
        i
        for i, c in enumerate(text)
        if c == " " and (text[i + 1 : i + 2] == "\uff08" or (i > 0 and text[i - 1] == "\uff09"))
    )


def parse_markup(text: str) -> list[Span]:
    """`**bold**` markup → spans. Translators keep the asterisks; the checker verifies they pair up."""
    parts = text.split("**")
    return [Span(part, bold=index % 2 == 1) for index, part in enumerate(parts) if part]


@dataclass
class Shaped:
    """A shaped paragraph: logical text, per-character advances, runs and break opportunities.

    Never changed once made, so its wrapped lines and its lines in visual order are computed once each: the fit
    loop asks for the same widths and lines at every size it tries, and `check` for every format, variant and
    municipality that prints the paragraph.
    """

    text: str
    rtl: bool
    runs: list[_Run]
    advance: list[float]  # em per logical character (0 for removed controls and marks)
    tiers: tuple[tuple[int, ...], ...]  # where a line may end: the most tasteful tier first (breaks.py)
    spaces: frozenset[int]
    # Full-width opening brackets (Chinese, `no_line_end`): at the start of a line the blank half before the ink
    # is dropped, as Chinese typesetting does, so that the line does not look indented.
    openers: frozenset[int] = frozenset()
    _wrapped: dict[tuple[float, int], list[tuple[int, int]] | None] = field(
        default_factory=dict, repr=False, compare=False
    )
    _lines: dict[tuple[int, int], Line] = field(default_factory=dict, repr=False, compare=False)

    def width(self, start: int, end: int) -> float:
        while end > start and end - 1 in self.spaces:
            end -= 1
        return sum(self.advance[start:end]) - (self.advance[start] / 2 if start in self.openers else 0.0)

    @property
    def scale(self) -> float:
        """The smallest size factor of the faces that draw glyphs here: the floor holds for every glyph at it."""
        return min((run.face.scale for run in self.runs if run.glyphs), default=1.0)

    @property
    def leading(self) -> float:
        """The largest leading factor of the faces that draw glyphs here: lines give room to the tallest marks."""
        return max((run.face.leading for run in self.runs if run.glyphs), default=1.0)

    @property
    def breaks(self) -> list[int]:
        """Every position where Unicode lets a line end (the loosest tier)."""
        return list(self.tiers[-1])

    def wrap(self, max_width: float, taste: int | None = None) -> list[tuple[int, int]] | None:
        """Lines within `max_width` em; None when a single word is wider than that even at the loosest tier.

        Breaks come from the first tier, from `taste` on (by default the one in force), whose words all fit
        the width; each line takes as many words as fit, and a last line of a single word takes the word
        before it along when that fits.
        """
        taste = _TASTE.get() if taste is None else taste
        key = (max_width, taste)
        if key not in self._wrapped:
            found = None
            for tier in self._candidates(max_width, taste):
                found = self._wrap(max_width, tier)
                if found is not None:
                    found = self._no_runt(found, max_width, tier)
                    break
            self._wrapped[key] = found
        found = self._wrapped[key]
        return None if found is None else list(found)

    def _candidates(self, max_width: float, taste: int) -> list[Sequence[int]]:
        """The tiers from `taste` on; after the first, one that keeps whole every parenthesis that fits a line."""
        tiers: list[Sequence[int]] = list(self.tiers[taste:])
        if taste == 0:
            wide = [(a, b) for a, b in bracket_spans(self.text) if self.width(a, b) > max_width + 1e-9]
            inside = {pos for a, b in bracket_spans(self.text) if (a, b) not in wide for pos in range(a + 1, b)}
            tiers.insert(1, [pos for pos in self.tiers[1] if pos not in inside or pos == len(self.text)])
        return tiers

    def _no_runt(self, lines: list[tuple[int, int]], max_width: float, tier: Sequence[int]) -> list[tuple[int, int]]:
        """Move the last break back by one word when the last line holds one word (one character in Chinese)."""
        if not self.runt(lines):
            return lines
        (a, b), (_, d) = lines[-2], lines[-1]
        earlier = [pos for pos in tier if a < pos < b]
        if not earlier or self.width(earlier[-1], d) > max_width + 1e-9:
            return lines
        return [*lines[:-2], (a, earlier[-1]), (earlier[-1], d)]

    def runt(self, lines: Sequence[tuple[int, int]]) -> bool:
        """Whether the last of `lines` (of two or more) holds one word: no break of the loosest tier inside it."""
        if len(lines) < 2:
            return False
        c, d = lines[-1]
        return not any(c < pos < d for pos in self.tiers[-1])

    def _wrap(self, max_width: float, breaks: Sequence[int]) -> list[tuple[int, int]] | None:
        lines: list[tuple[int, int]] = []
        start = 0
        last_ok = None
        for pos in breaks:
            if self.width(start, pos) <= max_width + 1e-9:
                last_ok = pos
                continue
            if last_ok is None or last_ok == start:
                return None
            lines.append((start, last_ok))
            start = last_ok
            if self.width(start, pos) > max_width + 1e-9:
                return None
            last_ok = pos
        if start < len(self.text):
            lines.append((start, len(self.text)))
        return lines

    def longest_word(self) -> float:
        breaks = self.tiers[-1]
        widths = [self.width(a, b) for a, b in zip([0, *breaks], breaks, strict=False)]
        return max(widths, default=0.0)

    def line(self, start: int, end: int) -> Line:
        """Glyphs of logical range [start, end) in visual order (UBA rule L2), trailing spaces dropped."""
        key = (start, end)
        if key not in self._lines:
            self._lines[key] = self._line(start, end)
        return self._lines[key]

    def _line(self, start: int, end: int) -> Line:
        while end > start and end - 1 in self.spaces:
            end -= 1
        pieces: list[tuple[int, Face, list[GlyphData]]] = []
        for run in self.runs:
            if run.end <= start or run.start >= end:
                continue
            chosen = [g for g in run.glyphs if start <= g[1] < end]
            if chosen:
                pieces.append((run.level, run.face, chosen))
        if pieces:
            # L2: from the highest level down to the lowest odd one, reverse every sequence at that level or
            # above. Runs are the units: HarfBuzz already returned each run's glyphs in visual order.
            top = max(level for level, _, _ in pieces)
            lowest_odd = min(level for level, _, _ in pieces)
            lowest_odd += 1 - lowest_odd % 2
            for level in range(top, lowest_odd - 1, -1):
                index = 0
                while index < len(pieces):
                    if pieces[index][0] < level:
                        index += 1
                        continue
                    stop = index
                    while stop < len(pieces) and pieces[stop][0] >= level:
                        stop += 1
                    pieces[index:stop] = pieces[index:stop][::-1]
                    index = stop
        glyphs: list[Glyph] = []
        x = 0.0
        for _, face, chosen in pieces:
            for gid, cluster, adv, dx, dy, char in chosen:
                if cluster == start and start in self.openers:  # half its width, its ink at the line's start
                    adv /= 2
                    dx -= adv
                glyphs.append(Glyph(face, gid, x, dx, dy, adv, cluster, char))
                x += adv
        return Line(tuple(glyphs), x, start, end)


# Shaped paragraphs by (spans, language, font book). A Shaped is never changed once made, so layouts share
# it: `nodkort check` lays the same strings out for every format, variant and municipality. A failure is not
# kept, so each caller's error names its own place.
_SHAPED: dict[tuple[tuple[Span, ...], Language, FontBook, bool], Shaped] = {}
_SHAPED_MAX = 8192


def forget_shaped() -> None:
    """Drop the shaped paragraphs kept so far (`check` does between languages: none is shared across them)."""
    _SHAPED.clear()


_NOWHERE = Location()  # a paragraph that belongs to no file: its errors name only the language


def shape(
    spans: Sequence[Span], lang: Language, book: FontBook, where: Location = _NOWHERE, tabular: bool = False
) -> Shaped:
    """Shape a paragraph of spans for `lang`; raise GlyphError naming any character no font has.

    `tabular`: digits of one width (shaping.py), for numbers that line up in a column.
    """
    key = (tuple(spans), lang, book, tabular)
    shaped = _SHAPED.get(key)
    if shaped is None:
        if len(_SHAPED) >= _SHAPED_MAX:
            _SHAPED.clear()
        shaped = _SHAPED[key] = _shape(spans, lang, book, where, tabular)
    return shaped


def _shape(spans: Sequence[Span], lang: Language, book: FontBook, where: Location, tabular: bool) -> Shaped:
    rtl = lang.direction == "rtl"
    # NFC first: fonts map precomposed letters, and a base with its mark must reach HarfBuzz as one cluster.
    texts = [protect_numbers(unicodedata.normalize("NFC", s.text), rtl) for s in spans]
    if lang.script in FULLWIDTH_SCRIPTS:
        texts = [fullwidth_brackets(t) for t in texts]
    text = "".join(texts)
    squeezed = _squeezed(text) if lang.script in FULLWIDTH_SCRIPTS else frozenset()
    weights: list[Weight] = []
    for span, part in zip(spans, texts, strict=True):
        weights += ["bold" if span.bold else "regular"] * len(part)
    faces = itemize(text, weights, lang, book, where)
    level = levels(text, 1 if rtl else 0)
    runs: list[_Run] = []
    start = 0
    for index in range(1, len(text) + 1):
        if index == len(text) or level[index] != level[start] or faces[index] is not faces[start]:
            glyphs = shape_run(faces[start], text, start, index, level[start] % 2 == 1, hb_language(lang.code), tabular)
            if squeezed:  # kept as characters, so that offsets hold, but without an advance
                glyphs = tuple((g[0], g[1], 0.0, g[3], g[4], g[5]) if g[1] in squeezed else g for g in glyphs)
            runs.append(_Run(start, index, level[start], faces[start], glyphs))
            start = index
    advance = [0.0] * len(text)
    for run in runs:
        for gid, cluster, adv, _, _, _ in run.glyphs:
            if gid == 0:
                raise GlyphError(
                    Problem(
                        replace(where, scope=lang.code),
                        f"shaping produced no glyph (.notdef) for {describe_char(text[cluster])} "
                        f"in {run.face.path.name}",
                        f"add a font covering it to the language's chain ({', '.join(lang.fonts)})",
                    )
                )
            advance[cluster] += adv
    spaces = frozenset(i for i, c in enumerate(text) if c == " " or (ignorable(c) and advance[i] == 0))
    tiers = line_breaks(text, lang.line_break == "thai", lang.breaks)
    # The opening brackets that never end a line (the language's kinsoku, languages.toml) are the ones whose
    # blank half is dropped at a line's start.
    full_width = lang.script in FULLWIDTH_SCRIPTS
    openers = frozenset(i for i, c in enumerate(text) if full_width and c in lang.breaks.no_line_end)
    return Shaped(text, rtl, runs, advance, tiers, spaces, openers)
