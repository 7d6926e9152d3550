"""Text: a paragraph of styled spans → shaped glyphs and line breaks; lines → glyphs in visual order.

One engine for every script (see tech.md §1): reportlab's own right-to-left path is silently ignored without
rlbidi, and arabic-reshaper lacks forms that Pashto and Sorani need. So: python-bidi resolves embedding
levels, every character gets the first font of the language's chain that has it, HarfBuzz shapes each run
of one level and one font, lines are broken at Unicode line-break opportunities (a dictionary for Thai), and
each line's runs are reordered for display. Shaping is done once in font units; fitting at another size
only rescales, so shrinking text to fit costs no reshaping.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import uharfbuzz as hb
from bidi import algorithm as uba
from uniseg.linebreak import line_break_boundaries

from .errors import GlyphError, Problem
from .fonts import IGNORABLE_CATEGORIES, Face, FontBook, describe_char
from .model import Language, Weight

LRE, RLE, PDF = "\u202a", "\u202b", "\u202c"
NBSP = "\u00a0"
# python-bidi's algorithm asserts on isolates (tech.md §1): map them to the equivalent embeddings.
_ISOLATES = str.maketrans({"\u2066": LRE, "\u2067": RLE, "\u2068": LRE, "\u2069": PDF})
# A phone number or digit group: "112", "114 14", "+46 8 405 50 05", "020-50 50 50".
_NUMBER = re.compile(r"\+?\d+(?:[ \u00a0\-]\d+)+|\+\d+")
_RANGE = re.compile(r"(\d)\u2013(\d)")
_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u200e\u200f")
_THAI = re.compile(r"[\u0e00-\u0e7f]+")


@dataclass(frozen=True)
class Span:
    text: str
    bold: bool = False


@dataclass(frozen=True)
class Glyph:
    """A glyph in font units: x is its pen position from the start of the line."""

    face: Face
    gid: int
    x: float
    dx: float
    dy: float
    advance: float
    cluster: int


@dataclass(frozen=True)
class Line:
    glyphs: tuple[Glyph, ...]
    width: float  # in em (multiply by the size)
    start: int
    end: int


@dataclass
class _Run:
    start: int
    end: int
    level: int
    face: Face
    glyphs: list[tuple[int, int, float, float, float]]  # gid, cluster, advance, dx, dy (em)


def protect_numbers(text: str, rtl: bool) -> str:
    """Keep phone numbers whole: digit groups joined by no-break spaces, and left-to-right in RTL text.

    Without this "020 00 00 00" in Arabic text is displayed as "00 00 00 020" (UBA rule N1) and a line may
    break inside a number.
    """

    def fix(match: re.Match[str]) -> str:
        number = match.group(0).replace(" ", NBSP)
        return f"{LRE}{number}{PDF}" if rtl else number

    # A range of hours such as "07–21" must not break after its dash.
    return _RANGE.sub("\\1\u2060\u2013\u2060\\2", _NUMBER.sub(fix, text))


def parse_markup(text: str) -> list[Span]:
    """`**bold**` markup → spans. Translators keep the asterisks; the checker verifies they pair up."""
    parts = text.split("**")
    return [Span(part, bold=index % 2 == 1) for index, part in enumerate(parts) if part]


@dataclass
class Shaped:
    """A shaped paragraph: logical text, per-character advances, runs and break opportunities."""

    text: str
    rtl: bool
    runs: list[_Run]
    advance: list[float]  # em per logical character (0 for removed controls and marks)
    breaks: list[int]  # logical positions where a line may end
    spaces: frozenset[int]

    def width(self, start: int, end: int) -> float:
        while end > start and end - 1 in self.spaces:
            end -= 1
        return sum(self.advance[start:end])

    def wrap(self, max_width: float) -> list[tuple[int, int]] | None:
        """Greedy line breaking within `max_width` em; None when a single word is wider than that."""
        lines: list[tuple[int, int]] = []
        start = 0
        last_ok = None
        for pos in self.breaks:
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
        widths = [self.width(a, b) for a, b in zip([0, *self.breaks], self.breaks, strict=False)]
        return max(widths, default=0.0)

    def line(self, start: int, end: int) -> Line:
        """Glyphs of logical range [start, end) in visual order (UBA rule L2), trailing spaces dropped."""
        while end > start and end - 1 in self.spaces:
            end -= 1
        pieces: list[tuple[int, list[tuple[Face, tuple[int, int, float, float, float]]]]] = []
        for run in self.runs:
            if run.end <= start or run.start >= end:
                continue
            chosen = [(run.face, g) for g in run.glyphs if start <= g[1] < end]
            if chosen:
                pieces.append((run.level, chosen))
        if pieces:
            top = max(level for level, _ in pieces)
            lowest_odd = min((lv for lv, _ in pieces), default=0)
            lowest_odd += 1 - lowest_odd % 2
            for level in range(top, lowest_odd - 1, -1):
                index = 0
                while index < len(pieces):
                    if pieces[index][0] >= level:
                        stop = index
                        while stop < len(pieces) and pieces[stop][0] >= level:
                            stop += 1
                        pieces[index:stop] = pieces[index:stop][::-1]
                        index = stop
                    else:
                        index += 1
        glyphs: list[Glyph] = []
        x = 0.0
        for _, chosen in pieces:
            for face, (gid, cluster, adv, dx, dy) in chosen:
                glyphs.append(Glyph(face, gid, x, dx, dy, adv, cluster))
                x += adv
        return Line(tuple(glyphs), x, start, end)


def _levels(text: str, rtl: bool) -> list[int | None]:
    """Resolved embedding level of every character; None for those removed by rule X9."""
    storage = uba.get_empty_storage()
    storage["base_level"] = 1 if rtl else 0
    storage["base_dir"] = "R" if rtl else "L"
    uba.get_embedding_levels(text, storage, upper_is_rtl=False, debug=False)
    for index, char in enumerate(storage["chars"]):
        char["idx"] = index
    uba.explicit_embed_and_overrides(storage)
    uba.resolve_weak_types(storage)
    uba.resolve_neutral_types(storage, False)
    uba.resolve_implicit_levels(storage, False)
    levels: list[int | None] = [None] * len(text)
    for char in storage["chars"]:
        levels[char["idx"]] = char["level"]
    return levels


def _breaks(text: str, thai: bool) -> list[int]:
    """Line-break opportunities (UAX #14); inside Thai, only between dictionary words."""
    found = set(line_break_boundaries(text))
    if thai:
        for match in _THAI.finditer(text):
            a, b = match.span()
            found -= set(range(a + 1, b))
            found |= set(_thai_words(match.group(0), a))
    found.discard(0)
    found.add(len(text))
    return sorted(found)


def _thai_words(chunk: str, offset: int) -> list[int]:
    from pythainlp.tokenize import word_tokenize  # imported late: it loads a dictionary

    cuts: list[int] = []
    pos = offset
    for word in word_tokenize(chunk, engine="newmm", keep_whitespace=True):
        pos += len(word)
        cuts.append(pos)
    return cuts


def _is_follower(char: str) -> bool:
    """Characters that must stay in the font of the character before them (marks, joiners, spaces)."""
    cat = unicodedata.category(char)
    return cat in ("Mn", "Me", "Mc") or cat in IGNORABLE_CATEGORIES or char in " \u00a0\u202f"


def shape(spans: Sequence[Span], lang: Language, book: FontBook, where: str = "") -> Shaped:
    """Shape a paragraph of spans for `lang`; raise GlyphError naming any character no font has."""
    rtl = lang.direction == "rtl"
    texts = [protect_numbers(unicodedata.normalize("NFC", s.text.translate(_ISOLATES)), rtl) for s in spans]
    text = "".join(texts)
    weights: list[Weight] = []
    for span, part in zip(spans, texts, strict=True):
        weights += ["bold" if span.bold else "regular"] * len(part)
    levels = _levels(text, rtl)
    faces: list[Face | None] = []
    problems: list[Problem] = []
    for index, char in enumerate(text):
        previous = faces[-1] if faces else None
        if char in _BIDI_CONTROLS or levels[index] is None:
            faces.append(previous)
            continue
        if _is_follower(char) and previous is not None and (previous.has(char) or unicodedata.category(char) == "Cf"):
            faces.append(previous)
            continue
        face = book.face_for(char, lang.fonts, weights[index])
        if face is None:
            if unicodedata.category(char) in IGNORABLE_CATEGORIES:
                faces.append(previous)
                continue
            problems.append(Problem(
                f"{lang.code} {where}".strip(),
                f"no glyph for {describe_char(char)} in fonts {', '.join(lang.fonts)}",
                "add a font family covering it to the language in locales/languages.toml",
            ))
        faces.append(face)
    if problems:
        raise GlyphError(problems)
    first = next((f for f in faces if f is not None), None) or book.face(lang.fonts[0], "regular")
    faces = [f or first for f in faces]
    # Controls and marks take the level of their neighbour so they do not split runs.
    filled: list[int] = []
    for index, level in enumerate(levels):
        filled.append(level if level is not None else (filled[-1] if filled else (1 if rtl else 0)))
        del index
    runs: list[_Run] = []
    start = 0
    for index in range(1, len(text) + 1):
        if index == len(text) or filled[index] != filled[start] or faces[index] is not faces[start]:
            runs.append(_shape_run(text, start, index, filled[start], faces[start], lang))  # type: ignore[arg-type]
            start = index
    advance = [0.0] * len(text)
    for run in runs:
        for gid, cluster, adv, _, _ in run.glyphs:
            if gid == 0:
                raise GlyphError(Problem(
                    f"{lang.code} {where}".strip(),
                    f"shaping produced no glyph for {describe_char(text[cluster])} in {run.face.path.name}",
                    "add a font covering it to the language's chain",
                ))
            advance[cluster] += adv
    spaces = frozenset(i for i, c in enumerate(text) if c == " " or (c in _BIDI_CONTROLS and advance[i] == 0))
    return Shaped(text, rtl, runs, advance, _breaks(text, lang.line_break == "thai"), spaces)


@lru_cache(maxsize=4096)
def _shape_cached(
    face: Face, text: str, start: int, end: int, rtl: bool, lang: str
) -> tuple[tuple[int, int, float, float, float], ...]:
    buf = hb.Buffer()
    buf.add_codepoints([ord(c) for c in text], start, end - start)
    buf.guess_segment_properties()
    buf.direction = "rtl" if rtl else "ltr"
    buf.language = lang
    buf.flags = hb.BufferFlags.REMOVE_DEFAULT_IGNORABLES
    # Latin and Cyrillic ligatures (ff, fi) have no cmap entry: reportlab would map them to private-use
    # code points and the PDF's text would no longer read or search as written. Scripts that need
    # ligatures to be legible keep them (Arabic lam-alef is required and always on).
    latin = face.family == "sans"
    hb.shape(face.hb_font, buf, {"kern": True, "liga": not latin, "clig": not latin})
    scale = 1.0 / face.upem
    return tuple(
        (info.codepoint, info.cluster, pos.x_advance * scale, pos.x_offset * scale, pos.y_offset * scale)
        for info, pos in zip(buf.glyph_infos, buf.glyph_positions, strict=True)
    )


def _shape_run(text: str, start: int, end: int, level: int, face: Face, lang: Language) -> _Run:
    glyphs = _shape_cached(face, text, start, end, level % 2 == 1, _hb_language(lang.code))
    return _Run(start, end, level, face, list(glyphs))


def _hb_language(code: str) -> str:
    # HarfBuzz takes BCP 47 tags; Dari is written like Persian (its 'locl' forms are Persian ones).
    return {"prs": "fa-AF", "fit": "fi", "rom": "rom"}.get(code, code)

