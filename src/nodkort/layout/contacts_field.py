"""Contacts field: a contacts field and its box → label lines at the start side, bold numbers at the end side.

Only contacts with a verified number (or a verified fallback) are printed; the table shrinks like text does,
through the same loop (fit.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from nodkort.data.directory import Resolved
from nodkort.errors import FitError
from nodkort.layout.context import Context, field_location, fit_error
from nodkort.layout.fit import Misfit, Short, block_height, drawn_floor, shrink_to_fit, too_tall
from nodkort.layout.primitives import SOURCE_LANG, Fill, Item, Tag, TextLine, logical
from nodkort.model import MM, Box, ContactsField, Side, Style
from nodkort.text.paragraph import Shaped, Span, parse_markup, shape
from nodkort.text.shaping import ink


@dataclass(frozen=True)
class _Label:
    """A contact's label, and where its name and its hours are in it (for a tagged PDF's table cells)."""

    text: str
    name: str  # the name the label starts with
    hours: str  # the " (hours)" the first line ends with, or ""
    name_lang: str  # "sv" for a Swedish name left as it is on another language's card


def _contact_label(resolved: Resolved, field: ContactsField, ctx: Context) -> _Label:
    c = resolved.contact
    if ctx.variant == "discreet" and c.discreet_name:
        msgid = c.discreet_name
        label = ctx.tr(f"contacts/{c.id}/discreet_name", c.discreet_name, True)
    else:
        msgid = resolved.label
        label = ctx.tr(resolved.label_context, resolved.label, True)
    name = label
    swedish = label == msgid and ctx.language.code != SOURCE_LANG
    if field.purpose and c.purpose and ctx.variant == "plain":
        label += " – " + ctx.tr(f"contacts/{c.id}/purpose", c.purpose, False)
    hours = ""
    if field.hours and c.hours:
        hours = " (" + ctx.tr(f"contacts/{c.id}/hours", c.hours, True) + ")"
        label += hours
    if resolved.ask_for:
        label += "\n" + ctx.tr(resolved.ask_for_context, resolved.ask_for, True)
    return _Label(label, name, hours, SOURCE_LANG if swedish else "")


def contacts_field(field: ContactsField, box: Box, ctx: Context, side: Side) -> tuple[list[Item], list[str]]:
    """A table of contacts: the label wraps at the start side, the number sits bold at the end side."""
    rows: list[tuple[list[Shaped], Shaped, _Label]] = []
    texts: list[str] = []
    for ref in field.contacts:
        resolved = ctx.directory.resolve(ref)
        if resolved is None:
            continue  # unverified and without a verified fallback: never printed
        label = _contact_label(resolved, field, ctx)
        where = field_location(ctx, side, field)
        labels = [shape(parse_markup(p), ctx.language, ctx.book, where) for p in label.text.split("\n")]
        number = shape([Span(resolved.contact.display, True)], ctx.language, ctx.book, where)
        rows.append((labels, number, label))
        texts.append(f"{label.text} {resolved.contact.display}")
    if not rows:
        raise fit_error(ctx, side, field, "no contact of this field has a verified number")
    items: list[Item] = [Fill(box, field.background)] if field.background else []
    style = field.style

    floor, scale = drawn_floor(ctx.fmt.floor, (s for labels, number, _ in rows for s in (*labels, number)))

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

    placed = shrink_to_fit(lambda size: _place_rows(rows, box, style, size, ctx, field.id), style.size, floor, explain)
    return items + placed, texts


def _place_rows(
    rows: Sequence[tuple[list[Shaped], Shaped, _Label]], box: Box, style: Style, size: float, ctx: Context, field: str
) -> list[TextLine] | Short:
    """The rows placed at `size`, or how they fall short."""
    # fonts.toml's leading factor of the labels' script: room for its marks
    leading = max(label.leading for labels, _, _ in rows for label in labels)
    line_height = size * style.leading * leading
    gap = size * style.paragraph_gap
    number_width = max(n.width(0, len(n.text)) for _, n, _ in rows) * size
    label_width = box.w - number_width - size * 0.8
    if label_width <= 0:
        return Short()
    laid: list[tuple[list[list[tuple[int, int]]], list[Shaped], Shaped, _Label]] = []
    count = 0
    for labels, number, about in rows:
        wrapped = []
        for label in labels:
            w = label.wrap(label_width / size)
            if w is None:
                return Short()
            wrapped.append(w)
            count += len(w)
        laid.append((wrapped, labels, number, about))
    first_wrapped, first_labels, first_number, _ = laid[0]
    last_wrapped, last_labels, _, _ = laid[-1]
    ascent = max(
        ink(first_number.line(0, len(first_number.text)).glyphs)[0],
        ink(first_labels[0].line(*first_wrapped[0][0]).glyphs)[0],
    )
    descent = ink(last_labels[-1].line(*last_wrapped[-1][-1]).glyphs)[1]
    height = block_height(style, size, ascent, descent, count, len(rows), leading)
    if too_tall(height, box.h):
        return Short(height)
    out: list[TextLine] = []
    baseline = box.top - size * ascent
    for row, (wrapped, labels, number, about) in enumerate(laid):
        num = number.line(0, len(number.text))
        nx = box.x if ctx.rtl else box.right - num.width * size
        # A row of the contacts table: name (cell 0), number (cell 1), hours (cell 2), as a screen reader reads it.
        cell = (Tag(field, (("Table", 0), ("TR", row), ("TD", 1)), logical(number.text), 0, len(number.text)),)
        out.append(TextLine(num.glyphs, nx, baseline, size, style.color, cell))
        for index, (label, lines) in enumerate(zip(labels, wrapped, strict=True)):
            cuts = _cuts(label.text, about) if index == 0 else []
            for a, b in lines:
                line = label.line(a, b)
                x = box.right - line.width * size if ctx.rtl else box.x
                tags = _cells(field, row, label.text, a, b, cuts, about.name_lang)
                out.append(TextLine(line.glyphs, x, baseline, size, style.color, tags))
                baseline -= line_height
        baseline -= gap
    return out


def _cuts(shaped: str, about: _Label) -> list[int]:
    """Where, in a label's first shaped line of text, its name ends and its hours begin.

    Shaping inserted joiners and isolates (text/paragraph.py keeps numbers whole), so the catalog's offsets
    are counted over the characters the catalog wrote.
    """
    kept = [i for i, c in enumerate(shaped) if logical(c)] + [len(shaped)]
    written = len(kept) - 1

    def at(n: int) -> int:
        return kept[max(0, min(n, written))]

    name = len(logical(about.name.replace("**", "")))
    hours = written - len(logical(about.hours)) if about.hours else written
    return [at(name), at(hours)]


def _cells(field: str, row: int, text: str, a: int, b: int, cuts: Sequence[int], name_lang: str) -> tuple[Tag, ...]:
    """The parts of a label line [a, b): the name (in its own language), the rest of cell 0, the hours."""
    name_end, hours = cuts if cuts else (a, b)
    parts = [(a, min(b, name_end), 0, name_lang), (max(a, name_end), min(b, hours), 0, ""), (max(a, hours), b, 2, "")]
    if not cuts:
        parts = [(a, b, 0, "")]
    return tuple(
        Tag(field, (("Table", 0), ("TR", row), ("TD", td)), logical(text[s:e]), s, e, lang)
        for s, e, td, lang in parts
        if e > s and logical(text[s:e])
    )
