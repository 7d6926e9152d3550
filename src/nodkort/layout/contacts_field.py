"""Contacts field: a contacts field and its box → label lines at the start side, bold numbers at the end side.

Only contacts with a verified number (or a verified fallback) are printed; the table shrinks like text does,
through the same loop (fit.py).
"""

from __future__ import annotations

from collections.abc import Sequence

from nodkort.data.directory import Resolved
from nodkort.errors import FitError
from nodkort.layout.context import Context, field_location, fit_error
from nodkort.layout.fit import Misfit, Short, block_height, shrink_to_fit, too_tall
from nodkort.layout.primitives import Fill, Item, TextLine
from nodkort.model import MM, Box, ContactsField, Side, Style
from nodkort.text.paragraph import Shaped, Span, parse_markup, shape
from nodkort.text.shaping import ink


def _contact_label(resolved: Resolved, field: ContactsField, ctx: Context) -> str:
    c = resolved.contact
    if ctx.variant == "discreet" and c.discreet_name:
        label = ctx.tr(f"contacts/{c.id}/discreet_name", c.discreet_name, True)
    else:
        label = ctx.tr(resolved.label_context, resolved.label, True)
    if field.purpose and c.purpose and ctx.variant == "plain":
        label += " – " + ctx.tr(f"contacts/{c.id}/purpose", c.purpose, False)
    if field.hours and c.hours:
        label += " (" + ctx.tr(f"contacts/{c.id}/hours", c.hours, True) + ")"
    if resolved.ask_for:
        label += "\n" + ctx.tr(resolved.ask_for_context, resolved.ask_for, True)
    return label


def contacts_field(field: ContactsField, box: Box, ctx: Context, side: Side) -> tuple[list[Item], list[str]]:
    """A table of contacts: the label wraps at the start side, the number sits bold at the end side."""
    rows: list[tuple[list[Shaped], Shaped]] = []
    texts: list[str] = []
    for ref in field.contacts:
        resolved = ctx.directory.resolve(ref)
        if resolved is None:
            continue  # unverified and without a verified fallback: never printed
        label = _contact_label(resolved, field, ctx)
        where = field_location(ctx, side, field)
        labels = [shape(parse_markup(p), ctx.language, ctx.book, where) for p in label.split("\n")]
        number = shape([Span(resolved.contact.display, True)], ctx.language, ctx.book, where)
        rows.append((labels, number))
        texts.append(f"{label} {resolved.contact.display}")
    if not rows:
        raise fit_error(ctx, side, field, "no contact of this field has a verified number")
    items: list[Item] = [Fill(box, field.background)] if field.background else []
    style = field.style

    def explain(misfit: Misfit) -> FitError:
        need = misfit.height
        if need is None:
            return fit_error(ctx, side, field, "a contact name and its number do not fit side by side at the floor")
        return fit_error(
            ctx,
            side,
            field,
            f"contacts need {need / MM:.1f} mm of height at the {misfit.floor:g} pt floor; the box "
            f"has {box.h / MM:.1f} mm (overflow {(need - box.h) / MM:.1f} mm)",
        )

    placed = shrink_to_fit(lambda size: _place_rows(rows, box, style, size, ctx), style.size, ctx.fmt.floor, explain)
    return items + placed, texts


def _place_rows(
    rows: Sequence[tuple[list[Shaped], Shaped]], box: Box, style: Style, size: float, ctx: Context
) -> list[TextLine] | Short:
    """The rows placed at `size`, or how they fall short."""
    line_height = size * style.leading
    gap = size * style.paragraph_gap
    number_width = max(n.width(0, len(n.text)) for _, n in rows) * size
    label_width = box.w - number_width - size * 0.8
    if label_width <= 0:
        return Short()
    laid: list[tuple[list[list[tuple[int, int]]], list[Shaped], Shaped]] = []
    count = 0
    for labels, number in rows:
        wrapped = []
        for label in labels:
            w = label.wrap(label_width / size)
            if w is None:
                return Short()
            wrapped.append(w)
            count += len(w)
        laid.append((wrapped, labels, number))
    first_wrapped, first_labels, first_number = laid[0]
    last_wrapped, last_labels, _ = laid[-1]
    ascent = max(
        ink(first_number.line(0, len(first_number.text)).glyphs)[0],
        ink(first_labels[0].line(*first_wrapped[0][0]).glyphs)[0],
    )
    descent = ink(last_labels[-1].line(*last_wrapped[-1][-1]).glyphs)[1]
    height = block_height(style, size, ascent, descent, count, len(rows))
    if too_tall(height, box.h):
        return Short(height)
    out: list[TextLine] = []
    baseline = box.top - size * ascent
    for wrapped, labels, number in laid:
        num = number.line(0, len(number.text))
        nx = box.x if ctx.rtl else box.right - num.width * size
        out.append(TextLine(num.glyphs, nx, baseline, size, style.color))
        for label, lines in zip(labels, wrapped, strict=True):
            for a, b in lines:
                line = label.line(a, b)
                x = box.right - line.width * size if ctx.rtl else box.x
                out.append(TextLine(line.glyphs, x, baseline, size, style.color))
                baseline -= line_height
        baseline -= gap
    return out
