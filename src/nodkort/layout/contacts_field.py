"""Contacts field: a contacts field and its box → a table of positioned lines, one row per printed contact.

A row is the contact's name on the first line with its number at the end side; under them, on a second line
in the field's `detail_style` (smaller and grey), what the service is for and its hours; then what to ask for,
when a stand-in number needs it. The numbers form a column of tabular figures aligned on their last digit.
Only contacts with a verified number (or a verified fallback) are printed; the table shrinks like text does,
through the same loop (fit.py), its second lines in proportion, never under the format's floor.

Right-to-left cards keep the column on the end side, which is the left: numbers are left-to-right runs on
every card, so within the column they are right-aligned, and still line up on their last digit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import partial

from nodkort.data.directory import Resolved
from nodkort.errors import FitError, Location
from nodkort.layout.context import Context, field_location, fit_error
from nodkort.layout.fit import Misfit, Short, drawn_floor, shrink_to_fit, too_tall
from nodkort.layout.primitives import SOURCE_LANG, Fill, Item, Path, Tag, TextLine, logical
from nodkort.model import MM, Box, Cmyk, ContactsField, Side, Style
from nodkort.text.paragraph import Shaped, Span, parse_markup, shape
from nodkort.text.shaping import STRIP, clearance, ink, ink_profile, merged

COLUMN_GAP = 0.8  # em of the size: the least white between a name and its number
GAP_STEP = 0.05  # em: how finely the row gap tightens when a table does not fit with the designed one

FULL_WIDTH = frozenset({"Hans", "Hant", "Jpan"})  # scripts (ISO 15924) whose text sets full-width brackets
NAME, NUMBER, DETAIL = 0, 1, 2  # the cells of a row, in reading order: every row has all three (structure.py)


@dataclass(frozen=True)
class _Part:
    """Part of a second line as the catalog has it, and its language when it is not the card's."""

    text: str
    lang: str


@dataclass(frozen=True)
class _Row:
    name: Shaped
    name_lang: str  # "sv" for a Swedish name left as it is on another language's card
    number: Shaped  # tabular figures
    detail: Shaped | None  # purpose and hours
    spans: tuple[tuple[int, int, str], ...]  # where in `detail` each of its parts lies, and its language
    notes: tuple[Shaped, ...]  # what to ask for, in the field's main style


@dataclass(frozen=True)
class _Set:
    """A line to set: a range of a paragraph, its size and colour, and the line height it takes."""

    shaped: Shaped
    start: int
    end: int
    size: float
    color: Cmyk
    leading: float  # points from the baseline above
    tags: tuple[Tag, ...]


def _lang(text: str, msgid: str, ctx: Context) -> str:
    """SOURCE_LANG for a string left as its Swedish msgid on another language's card."""
    return SOURCE_LANG if text == msgid and ctx.language.code != SOURCE_LANG else ""


def _row(resolved: Resolved, field: ContactsField, ctx: Context, where: Location) -> tuple[_Row, str]:
    """A contact's row, shaped, and what it prints (for the discreet gate and tests)."""
    c = resolved.contact
    if ctx.variant == "discreet" and c.discreet_name:
        msgid, name = c.discreet_name, ctx.tr(f"contacts/{c.id}/discreet_name", c.discreet_name, True)
    else:
        msgid, name = resolved.label, ctx.tr(resolved.label_context, resolved.label, True)
    parts: list[_Part] = []
    if field.purpose and c.purpose and ctx.variant == "plain":
        purpose = ctx.tr(f"contacts/{c.id}/purpose", c.purpose, False)
        parts.append(_Part(purpose, _lang(purpose, c.purpose, ctx)))
    if field.hours and c.hours:
        hours = ctx.tr(f"contacts/{c.id}/hours", c.hours, True)
        # Alone, the hours need no brackets; after the purpose, brackets keep them whole (text/breaks.py): the
        # full-width ones in Chinese and Japanese text, as its names' own brackets are, with no space before them.
        opening, closing = ("（", "）") if ctx.language.script in FULL_WIDTH else (" (", ")")
        parts.append(_Part(f"{opening}{hours}{closing}" if parts else hours, ""))
    notes = [ctx.tr(resolved.ask_for_context, resolved.ask_for, True)] if resolved.ask_for else []
    detail = "".join(p.text for p in parts)
    shaped = shape([Span(detail)], ctx.language, ctx.book, where) if detail else None
    row = _Row(
        shape(parse_markup(name), ctx.language, ctx.book, where),
        _lang(name, msgid, ctx),
        shape([Span(c.display, True)], ctx.language, ctx.book, where, tabular=True),
        shaped,
        _spans(shaped.text, parts) if shaped else (),
        tuple(shape(parse_markup(note), ctx.language, ctx.book, where) for note in notes),
    )
    printed = "\n".join([f"{name} {c.display}", *([detail] if detail else []), *notes])
    return row, printed


def contacts_field(field: ContactsField, box: Box, ctx: Context, side: Side) -> tuple[list[Item], list[str]]:
    """A table of contacts: name and number on a row's first line, purpose and hours under them."""
    rows: list[_Row] = []
    texts: list[str] = []
    where = field_location(ctx, side, field)
    for ref in field.contacts:
        resolved = ctx.directory.resolve(ref)
        if resolved is None:
            continue  # unverified and without a verified fallback: never printed
        row, printed = _row(resolved, field, ctx, where)
        rows.append(row)
        texts.append(printed)
    if not rows:
        raise fit_error(ctx, side, field, "no contact of this field has a verified number")
    items: list[Item] = [Fill(box, field.background)] if field.background else []
    texts_set = (s for row in rows for s in (row.name, row.number, *([row.detail] if row.detail else []), *row.notes))
    floor, scale = drawn_floor(ctx.fmt.floor, texts_set)

    def explain(misfit: Misfit) -> FitError:
        need = misfit.height
        if need is None:
            return fit_error(ctx, side, field, "a contact name and its number do not fit side by side at the floor")
        return fit_error(
            ctx,
            side,
            field,
            f"contacts need {need / MM:.1f} mm of height at the {round(misfit.floor * scale, 2):g} pt floor; the box "
            f"has {box.h / MM:.1f} mm (overflow {(need - box.h) / MM:.1f} mm)",
        )

    return items + _fit(rows, box, field, ctx, floor, explain), texts


def _fit(
    rows: Sequence[_Row],
    box: Box,
    field: ContactsField,
    ctx: Context,
    floor: float,
    explain: Callable[[Misfit], FitError],
) -> list[TextLine]:
    """The rows at the largest size that fits with the designed row gap; when none does down to the floor, the
    gap tightens in steps towards the field's `min_row_gap` before the table is refused: rows kept apart read
    better than larger type, and a tighter gap is better than a table that does not print."""
    gaps = [field.style.paragraph_gap]
    least = gaps[0] if field.min_row_gap is None else field.min_row_gap
    while gaps[-1] - GAP_STEP >= least - 1e-9:
        gaps.append(round(gaps[-1] - GAP_STEP, 4))
    for gap in gaps:
        try:
            attempt = partial(_place_rows, rows, box, field, gap=gap, ctx=ctx, floor=floor)
            return shrink_to_fit(attempt, field.style.size, floor, explain)
        except FitError:
            if gap == gaps[-1]:
                raise
    raise AssertionError("unreachable: the last gap re-raises")


def detail_size(size: float, style: Style, detail: Style, floor: float) -> float:
    """The second line's size when the first is at `size`: the detail style's share of it, never above `size`,
    never under the floor (a detail style set under the floor, which templates refuse, stays at its own size)."""
    return min(size, max(round(detail.size * size / style.size, 2), min(floor, detail.size)))


def _place_rows(
    rows: Sequence[_Row], box: Box, field: ContactsField, size: float, gap: float, ctx: Context, floor: float
) -> list[TextLine] | Short:
    """The rows placed at `size`, top to bottom from the box's top edge, or how they fall short; `floor` is the
    nominal floor (the format's floor over the script's size factor, fonts.toml)."""
    style = field.style
    column = max(row.number.width(0, len(row.number.text)) for row in rows) * size
    name_width = box.w - column - size * COLUMN_GAP
    if name_width <= 0:
        return Short()
    out: list[TextLine] = []
    high, low = -1e9, 1e9  # the ink's extent so far, from the first baseline (points)
    baseline = 0.0
    strip = STRIP * size
    above: dict[int, tuple[float, float]] | None = None  # the ink of the lines on the baseline above, strip by strip
    for index, row in enumerate(rows):
        sets = _row_lines(row, index, field, size, floor, name_width, box.w)
        if sets is None:
            return Short()
        for count, put in enumerate(sets):
            line = put.shaped.line(put.start, put.end)
            x = box.w - line.width * put.size if ctx.rtl else 0.0
            profile = ink_profile(line.glyphs, x, put.size, strip)
            top, bottom = ink(line.glyphs)
            tops, bottoms = [top * put.size], [bottom * put.size]
            number = row.number.line(0, len(row.number.text))
            right = column if ctx.rtl else box.w  # numbers end on their last digit
            if count == 0:
                profile = merged(profile, ink_profile(number.glyphs, right - number.width * size, size, strip))
                digits = ink(number.glyphs)
                tops.append(digits[0] * size)
                bottoms.append(digits[1] * size)
            if above is not None:
                step = put.leading + (size * gap if count == 0 else 0.0)
                # Never closer than ink to ink where the two lines meet: marks above and below do not reach
                # into the line before, and Nastaliq's sloping names interlock as in a text field.
                baseline -= max(step, clearance(above, profile))
            above = profile
            out.append(TextLine(line.glyphs, box.x + x, baseline, put.size, put.color, put.tags))
            if count == 0:
                tag = Tag(field.id, _cell(index, NUMBER), logical(row.number.text), 0, len(row.number.text))
                out.append(
                    TextLine(number.glyphs, box.x + right - number.width * size, baseline, size, style.color, (tag,))
                )
            high = max(high, baseline + max(tops))
            low = min(low, baseline - max(bottoms))
    if too_tall(high - low, box.h):
        return Short(high - low)
    return [replace(t, y=t.y + box.top - high) for t in out]


def _row_lines(
    row: _Row, index: int, field: ContactsField, size: float, floor: float, name_width: float, full: float
) -> list[_Set] | None:
    """A row's lines at `size`: the name in its column, then the second line and the notes across the box;
    None when a word is wider than its measure."""
    style = field.style
    detail = field.detail_style or style
    designed = replace(style, size=field.design_size) if field.design_size and field.detail_style else style
    small = detail_size(size, designed, detail, floor)
    out: list[_Set] = []
    for a, b in row.name.wrap(name_width / size) or []:
        name = Tag(field.id, _cell(index, NAME), logical(row.name.text[a:b]), a, b, row.name_lang)
        # No fonts.toml leading factor here: rows are set ink to ink (_place_rows), which already gives marks and
        # Nastaliq's tall words their room; the factor on top would only spread the table.
        out.append(_Set(row.name, a, b, size, style.color, size * style.leading, (name,)))
    if not out:
        return None
    paragraphs: list[tuple[Shaped, float, Style, Sequence[tuple[int, int, str]]]] = []
    if row.detail is not None:
        paragraphs.append((row.detail, small, detail, row.spans))
    paragraphs += [(note, size, style, ((0, len(note.text), ""),)) for note in row.notes]
    for shaped, at, look, spans in paragraphs:
        lines = shaped.wrap(full / at)
        if lines is None:
            return None
        for a, b in lines:
            tags = tuple(
                Tag(field.id, _cell(index, DETAIL), logical(shaped.text[s:e]), s, e, lang)
                for s, e, lang in ((max(a, s), min(b, e), lang) for s, e, lang in spans)
                if e > s and logical(shaped.text[s:e])
            )
            out.append(_Set(shaped, a, b, at, look.color, at * look.leading, tags))
    return out


def _cell(row: int, cell: int) -> Path:
    return (("Table", 0), ("TR", row), ("TD", cell))


def _spans(shaped: str, parts: Sequence[_Part]) -> tuple[tuple[int, int, str], ...]:
    """Where each part lies in the shaped text of a second line, and its language.

    Shaping inserted joiners and isolates (text/paragraph.py keeps numbers whole), so the catalog's offsets are
    counted over the characters the catalog wrote.
    """
    kept = [i for i, c in enumerate(shaped) if logical(c)] + [len(shaped)]
    out: list[tuple[int, int, str]] = []
    written = 0
    for part in parts:
        start = kept[min(written, len(kept) - 1)]
        written += len(logical(part.text))
        out.append((start, kept[min(written, len(kept) - 1)], part.lang))
    if out:  # the last part runs to the end, whatever shaping appended
        out[-1] = (out[-1][0], len(shaped), out[-1][2])
    return tuple(out)
