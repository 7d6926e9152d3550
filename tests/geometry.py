"""Geometry of laid-out sides, for the block tests: ink extents, distances between blocks, empty bands."""

from __future__ import annotations

from nodkort.layout.blocks import Block, extent
from nodkort.layout.primitives import QrCode, TextLine
from nodkort.layout.side import LaidSide
from nodkort.model import MM, Box

EPS = 0.05 * MM  # rounding of glyph extents, never a visible distance


def separation(a: Box, b: Box) -> float:
    """How far apart two boxes are: the larger of their horizontal and vertical distances (0 when they meet)."""
    horizontal = max(b.x - a.right, a.x - b.right, 0.0)
    vertical = max(b.y - a.top, a.y - b.top, 0.0)
    return max(horizontal, vertical)


def too_close(side: LaidSide, gap: float) -> list[tuple[str, str, float]]:
    """Pairs of blocks that carry text and stand closer than `gap`, with their distance in mm."""
    blocks = [b for b in side.blocks if b.prints_text]
    out = []
    for i, a in enumerate(blocks):
        for b in blocks[i + 1 :]:
            distance = separation(a.box, b.box)
            if distance < gap - EPS:
                out.append((a.field, b.field, round(distance / MM, 2)))
    return out


def outside_safe(side: LaidSide, safe: float) -> list[str]:
    """Text and codes whose ink comes nearer the trim than the safe margin."""
    out = []
    for item in side.items:
        if not isinstance(item, TextLine | QrCode):
            continue
        ink = extent([item])
        if ink is None:
            continue
        if (
            ink.x < safe - EPS
            or ink.y < safe - EPS
            or ink.right > side.width - safe + EPS
            or ink.top > side.height - safe + EPS
        ):
            text = "".join(g.char for g in item.glyphs) if isinstance(item, TextLine) else "QR"
            out.append(text)
    return out


def largest_band(side: LaidSide, area: Box) -> float:
    """The tallest horizontal band of `area` that nothing printed crosses (paper showing from edge to edge)."""
    spans = []
    for item in side.items:
        ink = extent([item])
        if ink is None:
            continue
        middle = ink.x + ink.w / 2
        if area.x <= middle <= area.right:
            spans.append((max(ink.y, area.y), min(ink.top, area.top)))
    spans.sort(key=lambda s: -s[1])
    largest, cursor = 0.0, area.top
    for bottom, top in spans:
        if top < cursor:
            largest = max(largest, cursor - top)
        cursor = min(cursor, bottom)
    return max(largest, cursor - area.y)


def column_blocks(side: LaidSide, column: str) -> list[Block]:
    return [b for b in side.blocks if b.column == column]


def glyph_boxes(line: TextLine) -> list[tuple[float, float, float, float]]:
    """Each glyph's ink on the page as (left, right, bottom, top) in points, read from the font by HarfBuzz."""
    out = []
    for g in line.glyphs:
        e = g.face.hb_font.get_glyph_extents(g.gid)
        if e is None or (e.width == 0 and e.height == 0):
            continue
        k = g.face.scale / g.face.upem * line.size
        x = line.x + (g.x + g.dx) * line.size
        left, right = sorted((x + e.x_bearing * k, x + (e.x_bearing + e.width) * k))
        top = line.y + g.dy * line.size + e.y_bearing * k
        out.append((left, right, top + e.height * k, top))
    return out


def ink_meets(upper: list[tuple[float, float, float, float]], lower: list[tuple[float, float, float, float]]) -> int:
    """How many glyph pairs stand one over the other; raises AssertionError when the lower one's ink reaches
    the upper one's."""
    pairs = 0
    for left, right, _, top in lower:
        for a_left, a_right, a_bottom, _ in upper:
            if left < a_right and a_left < right:
                assert top <= a_bottom + 1e-6, (top, a_bottom)
                pairs += 1
    return pairs
