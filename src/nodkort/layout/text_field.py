"""Text fitting: a text field's paragraphs and its box → text lines, shrunk in quarter points down to the floor.

A paragraph is shaped once (text.py) and only rescaled while it shrinks; the height it needs is measured from
the glyphs' ink, so that a FitError says exactly how much is missing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from nodkort.layout.context import Context, fill_placeholders, fit_error
from nodkort.layout.primitives import Fill, Item, TextLine
from nodkort.model import MM, Box, Field, Side, Style, TextField
from nodkort.text.paragraph import Shaped, Span, parse_markup, shape
from nodkort.text.shaping import ink

STEP = 0.25  # points: how finely text shrinks towards the floor
BULLET = "•"


@dataclass(frozen=True)
class Para:
    shaped: Shaped
    bullet: Shaped | None
    align_end: bool  # right-to-left: lines start at the right edge, the bullet sits there


def place_paragraphs(
    paras: Sequence[Para], box: Box, style: Style, ctx: Context, side: Side, field: Field
) -> list[TextLine]:
    """Shrink from the style's size to the floor until every paragraph fits the box; then place lines."""
    size = style.size
    floor = min(ctx.fmt.floor, style.size)
    last_need = 0.0
    while True:
        placed = _try_place(paras, box, style, size, ctx)
        if isinstance(placed, list):
            return placed
        last_need = placed
        if size - STEP < floor - 1e-9:
            break
        size = round(size - STEP, 4)
    if last_need < 0:
        widest = max(p.shaped.longest_word() for p in paras) * size
        raise fit_error(ctx, side, field, f"a word is {widest / MM:.1f} mm wide at the {floor:g} pt floor; "
                        f"the box is {box.w / MM:.1f} mm wide (overflow {(widest - box.w) / MM:.1f} mm)")
    raise fit_error(ctx, side, field,
                    f"text needs {last_need / MM:.1f} mm of height at the {floor:g} pt floor; the box has "
                    f"{box.h / MM:.1f} mm (overflow {(last_need - box.h) / MM:.1f} mm, "
                    f"{100 * (last_need - box.h) / box.h:.0f} %)")


def block_height(style: Style, size: float, ascent: float, descent: float, lines: int, blocks: int) -> float:
    """Height of `lines` lines in `blocks` paragraphs: the first line's ink top to the last line's ink bottom."""
    return size * (ascent + descent + (lines - 1) * style.leading + (blocks - 1) * style.paragraph_gap)


def _try_place(
    paras: Sequence[Para], box: Box, style: Style, size: float, ctx: Context
) -> list[TextLine] | float:
    """Lines placed at `size`, or the height needed (negative when a word is wider than the box)."""
    line_height = size * style.leading
    gap = size * style.paragraph_gap
    layouts: list[tuple[Para, list[tuple[int, int]], float]] = []
    for para in paras:
        indent = (para.bullet.width(0, len(para.bullet.text)) * size + size * 0.4) if para.bullet else 0.0
        wrapped = para.shaped.wrap((box.w - indent) / size)
        if wrapped is None:
            return -1.0
        layouts.append((para, wrapped, indent))
    count = sum(len(w) for _, w, _ in layouts)
    first, last = layouts[0], layouts[-1]
    ascent = ink(first[0].shaped.line(*first[1][0]).glyphs)[0]
    descent = ink(last[0].shaped.line(*last[1][-1]).glyphs)[1]
    height = block_height(style, size, ascent, descent, count, len(paras))
    if height > box.h + 1e-6:
        return height
    lines: list[TextLine] = []
    baseline = box.top - size * ascent
    for para, wrapped, indent in layouts:
        for index, (a, b) in enumerate(wrapped):
            line = para.shaped.line(a, b)
            width = line.width * size
            # "start" and "end" follow the writing direction: start is the right edge in RTL text.
            end = para.align_end != (style.align == "end")
            if style.align == "center":
                x = box.x + (box.w - width) / 2
            elif end:  # the bullet's indent is on the start side only
                x = box.right - (indent if para.align_end else 0.0) - width
            else:
                x = box.x + (0.0 if para.align_end else indent)
            lines.append(TextLine(line.glyphs, x, baseline, size, style.color))
            if index == 0 and para.bullet is not None:
                bullet = para.bullet.line(0, len(para.bullet.text))
                bx = box.right - bullet.width * size if para.align_end else box.x
                lines.append(TextLine(bullet.glyphs, bx, baseline, size, style.color))
            baseline -= line_height
        baseline -= gap
    return lines


def paragraphs(text: str, ctx: Context, bullets: bool, where: str, bold: bool = False) -> list[Para]:
    out = []
    bullet = shape([Span(BULLET, bold)], ctx.language, ctx.book, where) if bullets else None
    for part in text.split("\n"):
        part = part.strip()
        if not part:
            continue
        spans = [Span(s.text, s.bold or bold) for s in parse_markup(part)]
        out.append(Para(shape(spans, ctx.language, ctx.book, where), bullet, ctx.rtl))
    return out


def text_field(field: TextField, box: Box, ctx: Context, side: Side) -> tuple[list[Item], list[str]]:
    where = f"{field.context}"
    text = ctx.tr(field.context, field.msgid, field.critical)
    text = fill_placeholders(text, ctx, f"{ctx.card.path} [{field.context}]")
    items: list[Item] = []
    if field.background:
        items.append(Fill(box, field.background))
    paras = paragraphs(text, ctx, field.bullets, where, field.style.weight == "bold")
    items += place_paragraphs(paras, box, field.style, ctx, side, field)
    return items, [text.replace("**", "")]
