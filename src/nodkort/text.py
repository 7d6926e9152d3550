"""Text: a paragraph of styled spans → shaped glyph runs and line breaks; a line → glyphs in visual order.

One engine for every script (tech.md §1): reportlab's own right-to-left path is silently ignored without
rlbidi, and arabic-reshaper lacks forms that Pashto and Sorani need. So: python-bidi resolves embedding
levels, every grapheme takes the first font of the language's chain that has all of it, HarfBuzz shapes each
run of one level and one font, lines break at Unicode line-break opportunities (a dictionary for Thai), and
each line's runs are reordered for display (UAX #9 L2). Shaping is done once in font units; fitting at another
size only rescales, so shrinking text to fit costs no reshaping.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

import uharfbuzz as hb
from bidi import algorithm as uba
from icu4py.breakers import CharacterBreaker, LineBreaker

from .errors import GlyphError, Problem
from .fonts import IGNORABLE_CATEGORIES, Face, FontBook, describe_char
from .model import Language, Weight

LRI, RLI, FSI, PDI = "\u2066", "\u2067", "\u2068", "\u2069"
NBSP = "\u00a0"
WJ = "\u2060"
# A phone number or digit group: "114 14", "+46 8 405 50 05", "020-50 50 50" (a lone "112" needs no help).
_NUMBER = re.compile(r"\+?\d+(?:[ \u00a0\-]\d+)+|\+\d+")
_RANGE = re.compile(r"(\d)\u2013(\d)")
# How the text around an isolate sees it (UAX #9 X6a, N1): one neutral character; its content is hidden
# from that pass by a boundary-neutral character, which rule X9 removes.
_OUTSIDE, _HIDDEN = "\ufffc", "\u2060"
_SPACES = frozenset(" \u00a0\u202f")

GlyphData = tuple[int, int, float, float, float, str]  # gid, cluster, advance, dx, dy (em), char to write


@dataclass(frozen=True)
class Span:
    text: str
    bold: bool = False


@dataclass(frozen=True)
class Glyph:
    """A glyph in font units: x is its pen position from the start of the line.

    `char` is what the PDF's text layer says the glyph shows; for glyphs without a character of their own
    (contextual forms, ligatures) it is a private code that the PDF maps back to the text (fonts.py).
    """

    face: Face
    gid: int
    x: float
    dx: float
    dy: float
    advance: float
    cluster: int
    char: str


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
                glyphs.append(Glyph(face, gid, x, dx, dy, adv, cluster, char))
                x += adv
        return Line(tuple(glyphs), x, start, end)


# --- bidi levels ------------------------------------------------------------------------------------------


def _uba(text: str, base: int) -> tuple[list[int | None], list[int | None]]:
    """python-bidi's rules X1–I2 on text without isolates: (resolved, explicit) levels; None where X9 removes."""
    storage = uba.get_empty_storage()
    storage["base_level"] = base
    storage["base_dir"] = "R" if base % 2 else "L"
    uba.get_embedding_levels(text, storage, upper_is_rtl=False, debug=False)
    for index, char in enumerate(storage["chars"]):
        char["idx"] = index
    uba.explicit_embed_and_overrides(storage)
    explicit: list[int | None] = [None] * len(text)
    for char in storage["chars"]:
        explicit[char["idx"]] = char["level"]
    uba.resolve_weak_types(storage)
    uba.resolve_neutral_types(storage, False)
    uba.resolve_implicit_levels(storage, False)
    resolved: list[int | None] = [None] * len(text)
    for char in storage["chars"]:
        resolved[char["idx"]] = char["level"]
    return resolved, explicit


def _isolates(text: str) -> list[tuple[int, int]]:
    """Outermost isolates: (index of the initiator, index of its PDI or len(text) if unterminated)."""
    found: list[tuple[int, int]] = []
    depth = start = 0
    for index, char in enumerate(text):
        if char in (LRI, RLI, FSI):
            if depth == 0:
                start = index
            depth += 1
        elif char == PDI and depth:
            depth -= 1
            if depth == 0:
                found.append((start, index))
    if depth:
        found.append((start, len(text)))
    return found


def _first_strong_rtl(text: str) -> bool:
    """Rules P2–P3 for an FSI: the first strong character outside nested isolates decides."""
    depth = 0
    for char in text:
        if char in (LRI, RLI, FSI):
            depth += 1
        elif char == PDI:
            depth = max(0, depth - 1)
        elif depth == 0 and (kind := unicodedata.bidirectional(char)) in ("L", "R", "AL"):
            return kind != "L"
    return False


def levels(text: str, base: int) -> list[int]:
    """The resolved bidi level of every character at paragraph level `base`, isolates included.

    python-bidi asserts on isolates (tech.md §1), so each outermost isolate is resolved in two passes: the text
    around it sees one neutral character (X6a, N1), and its content is a paragraph of its own at the level the
    initiator opens (X5a–X5c). Characters that rule X9 removes take their neighbour's level, so that they never
    split a run.
    """
    spans = _isolates(text)
    masked = list(text)
    for a, b in spans:
        masked[a] = _OUTSIDE
        masked[a + 1:b + 1] = _HIDDEN * (min(b + 1, len(text)) - a - 1)
    resolved, explicit = _uba("".join(masked), base)
    for a, b in spans:
        opened = explicit[a]
        outer = base if opened is None else opened
        rtl = text[a] == RLI or (text[a] == FSI and _first_strong_rtl(text[a + 1:b]))
        inner = outer + 1 if (outer % 2 == 0) == rtl else outer + 2
        resolved[a + 1:b] = levels(text[a + 1:b], inner)
        if b < len(text):
            resolved[b] = resolved[a]
    out: list[int] = []
    for level in resolved:
        out.append(level if level is not None else (out[-1] if out else base))
    return out


# --- fonts, breaks, shaping -------------------------------------------------------------------------------


def _breaks(text: str, thai: bool) -> list[int]:
    """Line-break opportunities (UAX #14, as ICU implements it); inside Thai, only between dictionary words."""
    return list(_breaks_of(text, "th" if thai else "und"))


# ICU's line breaker follows UAX #14 with its tailorings (CJK punctuation, no break inside numbers) and
# breaks Thai, which has no spaces, between words of its dictionary. It is a thousand times faster than
# segmenting in Python, which matters because `nodkort check` lays every string out many times.
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
    found.add(len(text))
    return tuple(sorted(found))


@lru_cache(maxsize=8192)
def _graphemes(text: str) -> tuple[int, ...]:
    """Grapheme cluster boundaries (UAX #29): a letter and its marks always take one font together."""
    return (0, *_code_points(text, (end for _, end in CharacterBreaker(text, "und").segments())))


def _ignorable(char: str) -> bool:
    return unicodedata.category(char) in IGNORABLE_CATEGORIES


def _faces(
    text: str, weights: Sequence[Weight], lang: Language, book: FontBook, where: str
) -> list[Face]:
    """A face per character: each grapheme (a base with its marks) takes the first face that has all of it.

    Spaces and format characters stay in the face before them, so they do not split a run; a mark that no face
    of its base has falls back on its own rather than printing tofu.
    """
    faces: list[Face | None] = [None] * len(text)
    problems: list[Problem] = []
    bounds = _graphemes(text)
    previous: Face | None = None
    for a, b in pairwise(bounds):
        cluster = [c for c in text[a:b] if not _ignorable(c)]
        weight = weights[a]
        if not cluster or (all(c in _SPACES for c in cluster) and previous is not None
                           and all(previous.has(c) for c in cluster)):
            faces[a:b] = [previous] * (b - a)
            continue
        chain = book.chain(lang.fonts, weight)
        face = next((f for f in chain if all(f.has(c) for c in cluster)), None)
        for index in range(a, b):
            char = text[index]
            if face is not None or _ignorable(char):
                faces[index] = face or previous
                continue
            own = next((f for f in chain if f.has(char)), None)
            if own is None:
                problems.append(Problem(
                    f"{lang.code} {where}".strip(),
                    f"no glyph for {describe_char(char)} in fonts {', '.join(lang.fonts)}",
                    "add a font family covering it to the language in locales/languages.toml",
                ))
            faces[index] = own
        previous = faces[b - 1] or previous
    if problems:
        raise GlyphError(problems)
    first = next((f for f in faces if f is not None), None) or book.face(lang.fonts[0], "regular")
    out: list[Face] = []
    for face in faces:
        out.append(face or (out[-1] if out else first))
    return out


# Shaped paragraphs by (spans, language, font book). A Shaped is never changed once made, so layouts share
# it: `nodkort check` lays the same strings out for every format, variant and municipality. A failure is not
# kept, so each caller's error names its own place.
_SHAPED: dict[tuple[tuple[Span, ...], Language, FontBook], Shaped] = {}
_SHAPED_MAX = 8192


def shape(spans: Sequence[Span], lang: Language, book: FontBook, where: str = "") -> Shaped:
    """Shape a paragraph of spans for `lang`; raise GlyphError naming any character no font has."""
    key = (tuple(spans), lang, book)
    shaped = _SHAPED.get(key)
    if shaped is None:
        if len(_SHAPED) >= _SHAPED_MAX:
            _SHAPED.clear()
        shaped = _SHAPED[key] = _shape(spans, lang, book, where)
    return shaped


def _shape(spans: Sequence[Span], lang: Language, book: FontBook, where: str) -> Shaped:
    rtl = lang.direction == "rtl"
    # NFC first: fonts map precomposed letters, and a base with its mark must reach HarfBuzz as one cluster.
    texts = [protect_numbers(unicodedata.normalize("NFC", s.text), rtl) for s in spans]
    text = "".join(texts)
    weights: list[Weight] = []
    for span, part in zip(spans, texts, strict=True):
        weights += ["bold" if span.bold else "regular"] * len(part)
    faces = _faces(text, weights, lang, book, where)
    level = levels(text, 1 if rtl else 0)
    runs: list[_Run] = []
    start = 0
    for index in range(1, len(text) + 1):
        if index == len(text) or level[index] != level[start] or faces[index] is not faces[start]:
            glyphs = _shape_cached(faces[start], text, start, index, level[start] % 2 == 1,
                                   _hb_language(lang.code))
            runs.append(_Run(start, index, level[start], faces[start], glyphs))
            start = index
    advance = [0.0] * len(text)
    for run in runs:
        for gid, cluster, adv, _, _, _ in run.glyphs:
            if gid == 0:
                raise GlyphError(Problem(
                    f"{lang.code} {where}".strip(),
                    f"shaping produced no glyph (.notdef) for {describe_char(text[cluster])} in {run.face.path.name}",
                    f"add a font covering it to the language's chain ({', '.join(lang.fonts)})",
                ))
            advance[cluster] += adv
    spaces = frozenset(i for i, c in enumerate(text) if c == " " or (_ignorable(c) and advance[i] == 0))
    return Shaped(text, rtl, runs, advance, _breaks(text, lang.line_break == "thai"), spaces)


@lru_cache(maxsize=4096)
def _shape_cached(face: Face, text: str, start: int, end: int, rtl: bool, lang: str) -> tuple[GlyphData, ...]:
    buf = hb.Buffer()
    # The whole paragraph goes in as context, so that letters join across a change of font or level.
    buf.add_codepoints([ord(c) for c in text], start, end - start)
    buf.guess_segment_properties()
    buf.direction = "rtl" if rtl else "ltr"
    buf.language = lang
    buf.flags = hb.BufferFlags.REMOVE_DEFAULT_IGNORABLES
    # Marks keep clusters of their own: advances and the text layer then follow characters, not graphemes.
    buf.cluster_level = hb.BufferClusterLevel.MONOTONE_CHARACTERS
    # Latin and Cyrillic ligatures (ff, fi) are optional: without them the PDF's text reads and searches
    # letter by letter. Scripts that need ligatures to be legible keep them (Arabic lam-alef is required).
    latin = face.family == "sans"
    hb.shape(face.hb_font, buf, {"kern": True, "liga": not latin, "clig": not latin})
    infos, positions = buf.glyph_infos, buf.glyph_positions
    clusters = sorted({info.cluster for info in infos})
    following = dict(zip(clusters, [*clusters[1:], end], strict=False))  # empty: a run of controls only
    scale = 1.0 / face.upem
    # The widest glyph of a cluster (the letter, not its dots or marks) carries the cluster's text in the PDF;
    # the others carry none, so that copied text reads each character once.
    carrier: dict[int, tuple[float, int]] = {}
    for index, (info, pos) in enumerate(zip(infos, positions, strict=True)):
        if info.cluster not in carrier or pos.x_advance > carrier[info.cluster][0]:
            carrier[info.cluster] = (pos.x_advance, index)
    out: list[GlyphData] = []
    for index, (info, pos) in enumerate(zip(infos, positions, strict=True)):
        cluster = info.cluster
        shown = text[cluster:following[cluster]] if carrier[cluster][1] == index else ""
        shown = "".join(c for c in shown if not _ignorable(c))
        out.append((info.codepoint, cluster, pos.x_advance * scale, pos.x_offset * scale, pos.y_offset * scale,
                    face.char_for(info.codepoint, shown)))
    return tuple(out)


def _hb_language(code: str) -> str:
    # HarfBuzz takes BCP 47 tags; Dari is written like Persian (its 'locl' forms are Persian ones).
    return {"prs": "fa-AF", "fit": "fi", "rom": "rom"}.get(code, code)


# Lines that hold no capitals or descenders still get the room of "Hg": boxes keep a steady look.
MIN_ASCENT = 0.72
MIN_DESCENT = 0.24


def ink(glyphs: Sequence[Glyph]) -> tuple[float, float]:
    """How far a line's ink reaches above and below its baseline, in em, as HarfBuzz measures the glyphs.

    Fitting uses this rather than the fonts' line metrics, which for Arabic (2.1 em) would refuse text that
    fits with room to spare, and which no font guarantees for stacked marks either.
    """
    top, bottom = MIN_ASCENT, MIN_DESCENT
    for glyph in glyphs:
        extents = _extents(glyph.face, glyph.gid)
        if extents is None:
            continue
        y_bearing, height = extents
        top = max(top, y_bearing + glyph.dy)
        bottom = max(bottom, -(y_bearing + height + glyph.dy))
    return top, bottom


@lru_cache(maxsize=65536)
def _extents(face: Face, gid: int) -> tuple[float, float] | None:
    extents = face.hb_font.get_glyph_extents(gid)
    if extents is None:
        return None
    return extents.y_bearing / face.upem, extents.height / face.upem
