"""QR field: a QR field and its box → the payload of its first verified target, the symbol and its caption."""

from __future__ import annotations

from nodkort.data.templates import PLACEHOLDER
from nodkort.errors import Location, Problem, QrError
from nodkort.layout.context import Context, field_location
from nodkort.layout.fit import block_height
from nodkort.layout.primitives import Fill, Item, QrCode
from nodkort.layout.qr import LEAST_MODULE, QUIET_ZONE, matrix, tel, vcard
from nodkort.layout.text_field import needed_height, paragraphs, place_paragraphs
from nodkort.model import MM, Box, Cmyk, QrField, Side, Style


def qr_payload(field: QrField, ctx: Context) -> tuple[str, str, str]:
    """The first target with verified data: (payload, the text printed beside the code, its alternative text).

    The alternative text (a tagged PDF's /Alt) says what the code does and holds, in the card's sentence for
    the kind of code (`qr_tel`, `qr_url`, `qr_vcard` in [card], translated like the card's text), with the
    names the card itself prints (neutral ones where the card is discreet).
    """
    for target in field.targets:
        scheme, _, ref = target.partition(":")
        if scheme == "vcard":
            entries = []
            for cref in field.contacts:
                resolved = ctx.directory.resolve(cref)
                if resolved is not None and resolved.contact.number:
                    # A vCard is saved to the phone, where anyone who picks it up reads it: every entry is
                    # saved under its neutral name when it has one, and always in the card's language.
                    c = resolved.contact
                    label = (
                        ctx.tr(f"contacts/{c.id}/discreet_name", c.discreet_name, True)
                        if c.discreet_name
                        else ctx.tr(resolved.label_context, resolved.label, True)
                    )
                    entries.append((label, c))
            if entries:
                name = ctx.tr(ctx.card.discreet_title_context, ctx.card.discreet_title, True)
                # every number the vCard holds is printed under the code, for readers without a camera
                held = "; ".join(f"{label} {c.display}" for label, c in entries)
                alt = _alt(ctx, "vcard", name=name, numbers=held)
                return vcard(name, entries), "\n".join(c.display for _, c in entries), alt
            continue
        # A code dials or opens what its target names: a fallback is a target of its own, listed explicitly.
        resolved = ctx.directory.resolve(ref, follow_fallback=False)
        if resolved is None:
            continue
        contact = resolved.contact
        if scheme == "tel" and contact.number:
            neutral = ctx.variant == "discreet" and contact.discreet_name
            name = (
                ctx.tr(f"contacts/{contact.id}/discreet_name", contact.discreet_name, True)
                if neutral
                else ctx.tr(resolved.label_context, resolved.label, True)
            )
            return tel(contact), contact.display, _alt(ctx, "tel", name=name, number=contact.display)
        if scheme == "url" and contact.url:
            shown = contact.url.removeprefix("https://").removesuffix("/")
            name = ctx.tr(resolved.label_context, resolved.label, True)
            return contact.url, shown, _alt(ctx, "url", name=name, address=contact.url)
    raise QrError(
        Problem(
            Location(ctx.card.path, key=field.id),
            "no QR target has verified data",
            "verify one of the contacts the QR code points to",
        )
    )


def _alt(ctx: Context, kind: str, **values: str) -> str:
    """The card's sentence for a code of `kind`, in the card's language, its placeholders filled."""
    msgid = ctx.card.qr_alt[kind]  # templates.py requires the sentence of every kind a code can hold
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), ctx.tr(ctx.card.qr_context(kind), msgid, True))


def qr_field(field: QrField, box: Box, ctx: Context, side: Side, least: float = 0.0) -> tuple[list[Item], list[str]]:
    """The code as large as `box` allows up to the field's module, and its caption under it. For want of height
    its modules shrink no further than `least` (nor than the field's own module): a code in a column is given
    the height its column leaves, and when that is too little it keeps `least` and the column measures it too
    tall to fit. A box too narrow for 0.4 mm modules is refused."""
    payload, caption, alt = qr_payload(field, ctx)
    code = matrix(payload)
    n = len(code)
    caption_h = 0.0
    cstyle = field.caption_style
    if cstyle is not None:
        # The caption's own lines, measured by their ink as they will be placed: Nastaliq's tall words get the
        # room they take, and no more than that (its font metrics claim 2.5 em for every line).
        cparas = paragraphs(caption, ctx, False, field_location(ctx, side, field), cstyle.weight == "bold")
        needed = needed_height(cparas, box.w, cstyle, cstyle.size)
        if needed is None:
            primary = ctx.book.face(ctx.language.fonts[0], cstyle.weight)
            needed = block_height(cstyle, cstyle.size, primary.ascent, primary.descent, 1, 1)
        caption_h = needed + 0.5 * MM
    wide = box.w / (n + 2 * QUIET_ZONE)  # the module that fills the box's width: never wider than that
    tall = (box.h - caption_h) / (n + 2 * QUIET_ZONE)
    module = min(field.module, wide)
    if tall < module - 1e-9:
        module = max(tall, min(least, module))
    if module < LEAST_MODULE - 1e-9:
        raise QrError(
            Problem(
                Location(ctx.card.path, key=f"{ctx.card.id}/{ctx.fmt.name}/{side.name}/{field.id}"),
                f"a {n}×{n} QR code needs {(n + 8) * 0.4 + caption_h / MM:.1f} mm at 0.4 mm modules with its "
                f"caption; the box has {box.h / MM:.1f} × {box.w / MM:.1f} mm",
                "shorten the payload (tel: or a short URL) or enlarge the box",
            )
        )
    size = (n + 2 * QUIET_ZONE) * module
    x = box.x + (box.w - size) / 2
    y = box.top - size
    items: list[Item] = [Fill(Box(x, y, size, size), Cmyk(0, 0, 0, 0))]
    items.append(QrCode(x + QUIET_ZONE * module, y + QUIET_ZONE * module, module, code, payload, field.id, alt))
    caption_items: list[Item] = []
    if cstyle is not None:
        # The number or address the code holds, printed right under it: a reader without a camera can dial.
        paras = paragraphs(caption, ctx, False, field_location(ctx, side, field), cstyle.weight == "bold")
        cap_box = Box(box.x, y - caption_h, box.w, caption_h)  # below the quiet zone, never inside it
        centered = Style(cstyle.name, cstyle.size, cstyle.weight, cstyle.leading, cstyle.color, "center")
        caption_items = list(place_paragraphs(paras, cap_box, centered, ctx, side, field))
    return items + caption_items, [caption]
