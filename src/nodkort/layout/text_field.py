"""Text field: a text field's translated text and its box → text lines at the largest size that fits.

Also places any paragraphs in a box (QR captions and the stamp use it). A paragraph is shaped once (text/) and
only rescaled while fit.py shrinks it; the height it needs is measured from the glyphs' ink, so that a FitError
says exactly how much is missing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

from nodkort.errors import FitError, Location
from nodkort.layout.context import Context, field_location, fill_placeholders, fit_error
from nodkort.layout.fit import Misfit, Short, drawn_floor, shrink_to_fit, too_tall
from nodkort.layout.primitives import SOURCE_LANG, Fill, Item, Path, Role, Tag, TextLine, logical
from nodkort.model import MM, Box, Field, Side, Style, TextField
from nodkort.text.paragraph import Shaped, Span, parse_markup, shape
from nodkort.text.shaping import STRIP, clearance, ink, ink_profile

BULLET = "•"
CLEARANCE = 0.03  # em of white between the ink of one line and the next, at the least


@dataclass(frozen=True)
class Para:
    shaped: Shaped
    bullet: Shaped | None
    align_end: bool  # right-to-left: lines start at the right edge, the bullet sits there
    lang: str = ""  # BCP 47, when the text is not in the card's language (a Swedish string left untranslated)


def place_paragraphs(
    paras: Sequence[Para], box: Box, style: Style, ctx: Context, side: Side, field: Field, role: Role | None = "P"
) -> list[TextLine]:
    """Every paragraph placed in the box at the largest size from the style's down to the floor that fits.

    Each paragraph is a `role` element of the reading structure (a bulleted one a list item); `None`: none.
    """

    floor, scale = drawn_floor(ctx.fmt.floor, (p.shaped for p in paras))

    def explain(misfit: Misfit) -> FitError:
        floor, need = round(misfit.floor * scale, 2), misfit.height
        if need is None:
            widest = max(p.shaped.longest_word() for p in paras) * misfit.size
            return fit_error(
                ctx,
                side,
                field,
                f"a word is {widest / MM:.1f} mm wide at the {floor:g} pt floor; "
                f"the box is {box.w / MM:.1f} mm wide (overflow {(widest - box.w) / MM:.1f} mm)",
            )
        return fit_error(
            ctx,
            side,
            field,
            f"text needs {need / MM:.1f} mm of height at the {floor:g} pt floor; the box has "
            f"{box.h / MM:.1f} mm (overflow {(need - box.h) / MM:.1f} mm, "
            f"{100 * (need - box.h) / box.h:.0f} %)",
        )

    place = partial(_try_place, paras, box, style, field=field.id, role=role)
    return shrink_to_fit(place, style.size, floor, explain)


def needed_height(paras: Sequence[Para], width: float, style: Style, size: float) -> float | None:
    """The height `paras` need at `size` in a box `width` wide, measured as place_paragraphs measures (the
    lines' ink, the script's leading); None when a word is wider than the box."""
    short = _try_place(paras, Box(0.0, 0.0, width, 0.0), style, size, field="", role=None)
    return short.height if isinstance(short, Short) else 0.0


def _try_place(
    paras: Sequence[Para], box: Box, style: Style, size: float, *, field: str, role: Role | None
) -> list[TextLine] | Short:
    """Lines placed at `size`, or how they fall short."""
    gap = size * style.paragraph_gap
    layouts: list[tuple[Para, list[tuple[int, int]], float]] = []
    for para in paras:
        indent = (para.bullet.width(0, len(para.bullet.text)) * size + size * 0.4) if para.bullet else 0.0
        wrapped = para.shaped.wrap((box.w - indent) / size)
        if wrapped is None:
            return Short()
        layouts.append((para, wrapped, indent))
    # Each line's ink, strip by strip across the box: a line whose marks reach higher (the tanween of غالباً)
    # or lower than the leading allows is moved down until its ink clears the ink of the line above by
    # CLEARANCE where the two meet; Nastaliq's sloping words interlock, as they do when set by hand.
    xs = [
        [_line_x(box.w, p.shaped.line(a, b).width * size, indent, p, style) for a, b in w] for p, w, indent in layouts
    ]
    inks = [[ink(p.shaped.line(a, b).glyphs) for a, b in w] for p, w, _ in layouts]
    profiles = [
        [ink_profile(p.shaped.line(a, b).glyphs, x, size, STRIP * size) for (a, b), x in zip(w, line_xs, strict=True)]
        for (p, w, _), line_xs in zip(layouts, xs, strict=True)
    ]
    steps: list[list[float]] = []
    above: dict[int, tuple[float, float]] | None = None
    for index, para_profiles in enumerate(profiles):
        para_steps: list[float] = []
        # fonts.toml's leading factor of the paragraph's script: room for its marks, steady from line to line
        line_height = size * style.leading * layouts[index][0].shaped.leading
        for profile in para_profiles:
            step = line_height + (gap if index and not para_steps else 0.0)
            if above is not None:
                step = max(step, clearance(above, profile) + CLEARANCE * size)
            para_steps.append(step if above is not None else 0.0)
            above = profile
        steps.append(para_steps)
    ascent, descent = inks[0][0][0], inks[-1][-1][1]
    height = size * (ascent + descent) + sum(sum(s) for s in steps)
    if too_tall(height, box.h):
        return Short(height)
    lines: list[TextLine] = []
    baseline = box.top - size * ascent
    for number, ((para, wrapped, _indent), para_steps, line_xs) in enumerate(zip(layouts, steps, xs, strict=True)):
        item: Path = (("L", 0), ("LI", number)) if para.bullet else ()
        for index, ((a, b), step, x) in enumerate(zip(wrapped, para_steps, line_xs, strict=True)):
            baseline -= step
            line = para.shaped.line(a, b)
            path: Path = (*item, ("LBody", 0)) if item else ((role or "P", number),)
            # a line's text runs to the next line's start, spaces included: its lines together say the paragraph
            tags = (Tag(field, path, logical(para.shaped.text[a:b]), a, b, para.lang),) if role else ()
            lines.append(TextLine(line.glyphs, box.x + x, baseline, size, style.color, tags))
            if index == 0 and para.bullet is not None:
                bullet = para.bullet.line(0, len(para.bullet.text))
                bx = box.right - bullet.width * size if para.align_end else box.x
                label = (Tag(field, (*item, ("Lbl", 0)), para.bullet.text, 0, len(para.bullet.text)),) if role else ()
                lines.append(TextLine(bullet.glyphs, bx, baseline, size, style.color, label))
    return lines


def _line_x(width: float, line: float, indent: float, para: Para, style: Style) -> float:
    """Where a line `line` points wide starts, from the left edge of a box `width` wide."""
    # "start" and "end" follow the writing direction: start is the right edge in RTL text.
    if style.align == "center":
        return (width - line) / 2
    if para.align_end != (style.align == "end"):  # the bullet's indent is on the start side only
        return width - (indent if para.align_end else 0.0) - line
    return 0.0 if para.align_end else indent


def paragraphs(
    text: str, ctx: Context, bullets: bool, where: Location, bold: bool = False, lang: str = ""
) -> list[Para]:
    out = []
    bullet = shape([Span(BULLET, bold)], ctx.language, ctx.book, where) if bullets else None
    for part in text.split("\n"):
        part = part.strip()
        if not part:
            continue
        spans = [Span(s.text, s.bold or bold) for s in parse_markup(part)]
        out.append(Para(shape(spans, ctx.language, ctx.book, where), bullet, ctx.rtl, lang))
    return out


def text_field(field: TextField, box: Box, ctx: Context, side: Side) -> tuple[list[Item], list[str]]:
    where = field_location(ctx, side, field)
    text = ctx.tr(field.context, field.msgid, field.critical)
    text = fill_placeholders(text, ctx, Location(ctx.card.path, key=field.context))
    items: list[Item] = []
    if field.background:
        items.append(Fill(box, field.background))
    # A string left as its msgid on another language's card is Swedish, and a screen reader should say so.
    lang = SOURCE_LANG if text == field.msgid and ctx.language.code != SOURCE_LANG and text.strip() else ""
    paras = paragraphs(text, ctx, field.bullets, where, field.style.weight == "bold", lang)
    items += place_paragraphs(paras, box, field.style, ctx, side, field, heading_or_paragraph(field.style))
    return items, [text.replace("**", "")]


def heading_or_paragraph(style: Style) -> Role:
    """A text in a title or heading style is a heading to a screen reader; every other text a paragraph."""
    name = style.name.lower()
    return "H1" if ("title" in name and "subtitle" not in name) or "heading" in name else "P"
