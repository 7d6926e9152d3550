"""Shaping: a run of one face and one bidi level → HarfBuzz glyphs in font units; glyphs → their ink.

Everything is in em of the nominal size (font units over units per em, times the face's size factor from
fonts.toml), so that fitting at another size only rescales, and a larger script is measured as it is drawn.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import uharfbuzz as hb

from nodkort.model import DEFAULT_FAMILY
from nodkort.text.fonts import Face
from nodkort.text.itemize import ignorable

GlyphData = tuple[int, int, float, float, float, str]  # gid, cluster, advance, dx, dy (em), char to write


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


DIGITS = frozenset("0123456789")


@lru_cache(maxsize=4096)
def shape_run(
    face: Face, text: str, start: int, end: int, rtl: bool, lang: str, tabular: bool = False
) -> tuple[GlyphData, ...]:
    """Glyphs of text[start:end] in one face and direction, in visual order as HarfBuzz returns them.

    `tabular`: digits take one width (OpenType `tnum`), so that numbers set one under another line up digit by
    digit; a face without `tnum` whose digits differ in width gets each digit centred in its widest one.
    """
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
    latin = face.family == DEFAULT_FAMILY
    features = {"kern": True, "liga": not latin, "clig": not latin}
    if tabular:
        features["tnum"] = True
    hb.shape(face.hb_font, buf, features)
    infos, positions = buf.glyph_infos, buf.glyph_positions
    clusters = sorted({info.cluster for info in infos})
    following = dict(zip(clusters, [*clusters[1:], end], strict=False))  # empty: a run of controls only
    scale = face.scale / face.upem
    # The widest glyph of a cluster (the letter, not its dots or marks) carries the cluster's text in the PDF;
    # the others carry none, so that copied text reads each character once.
    carrier: dict[int, tuple[float, int]] = {}
    for index, (info, pos) in enumerate(zip(infos, positions, strict=True)):
        if info.cluster not in carrier or pos.x_advance > carrier[info.cluster][0]:
            carrier[info.cluster] = (pos.x_advance, index)
    figure = figure_width(face) if tabular else None
    out: list[GlyphData] = []
    for index, (info, pos) in enumerate(zip(infos, positions, strict=True)):
        cluster = info.cluster
        shown = text[cluster : following[cluster]] if carrier[cluster][1] == index else ""
        shown = "".join(c for c in shown if not ignorable(c))
        advance, offset = pos.x_advance * scale, pos.x_offset * scale
        if figure is not None and shown in DIGITS:
            offset += (figure - advance) / 2  # the fallback for a face without tnum: centred in the widest digit
            advance = figure
        out.append(
            (info.codepoint, cluster, advance, offset, pos.y_offset * scale, face.char_for(info.codepoint, shown))
        )
    return tuple(out)


@lru_cache(maxsize=64)
def figure_width(face: Face) -> float | None:
    """None when `face` sets its digits at one width with `tnum` on (as every bundled face does); otherwise
    the widest digit's advance in em, which tabular numbers then pad every digit to."""
    buf = hb.Buffer()
    buf.add_str("0123456789")
    buf.guess_segment_properties()
    hb.shape(face.hb_font, buf, {"tnum": True})
    advances = {pos.x_advance for info, pos in zip(buf.glyph_infos, buf.glyph_positions, strict=True) if info.codepoint}
    if len(advances) <= 1:
        return None
    return float(max(advances)) * face.scale / face.upem


def hb_language(code: str) -> str:
    # HarfBuzz takes BCP 47 tags; Dari is written like Persian (its 'locl' forms are Persian ones). Chinese is
    # Simplified: zh-Hans selects the OpenType language system ZHS, whose 'locl' gives the Simplified
    # punctuation (comma and full stop low and left in the em) where a font's default is another region's form.
    return {"prs": "fa-AF", "fit": "fi", "rom": "rom", "zh": "zh-Hans"}.get(code, code)


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


STRIP = 0.25  # em of the text's size: how finely a line's ink is profiled across its box


def ink_profile(glyphs: Sequence[Glyph], x: float, size: float, strip: float) -> dict[int, tuple[float, float]]:
    """How far a line's ink reaches above and below its baseline in each strip `strip` points wide across its box,
    in points; the line is set at `size` and starts `x` points from the box's left edge."""
    out: dict[int, tuple[float, float]] = {}
    for glyph in glyphs:
        box = _box(glyph.face, glyph.gid)
        if box is None:
            continue
        x_bearing, width, y_bearing, height = box
        start = x + (glyph.x + glyph.dx) * size
        left, right = sorted((start + x_bearing * size, start + (x_bearing + width) * size))
        top, bottom = (y_bearing + glyph.dy) * size, -(y_bearing + height + glyph.dy) * size
        for n in range(math.floor(left / strip), math.floor(right / strip) + 1):
            high, low = out.get(n, (top, bottom))
            out[n] = (max(high, top), max(low, bottom))
    return out


def merged(a: dict[int, tuple[float, float]], b: dict[int, tuple[float, float]]) -> dict[int, tuple[float, float]]:
    """The ink of two profiles on one baseline."""
    out = dict(a)
    for n, (top, bottom) in b.items():
        high, low = out.get(n, (top, bottom))
        out[n] = (max(high, top), max(low, bottom))
    return out


def clearance(above: dict[int, tuple[float, float]], below: dict[int, tuple[float, float]]) -> float:
    """The least distance between two baselines (in the profiles' unit) at which no ink of the line below
    reaches the ink of the line above in its own strip or the strips beside it (interlocking lines, as
    Nastaliq sets them)."""
    need = 0.0
    for strip, (top, _) in below.items():
        for near in (strip - 1, strip, strip + 1):
            if near in above:
                need = max(need, above[near][1] + top)
    return need


@lru_cache(maxsize=65536)
def _box(face: Face, gid: int) -> tuple[float, float, float, float] | None:
    extents = face.hb_font.get_glyph_extents(gid)
    if extents is None or (extents.width == 0 and extents.height == 0):
        return None
    k = face.scale / face.upem
    return extents.x_bearing * k, extents.width * k, extents.y_bearing * k, extents.height * k


@lru_cache(maxsize=65536)
def _extents(face: Face, gid: int) -> tuple[float, float] | None:
    extents = face.hb_font.get_glyph_extents(gid)
    if extents is None:
        return None
    return extents.y_bearing * face.scale / face.upem, extents.height * face.scale / face.upem
