"""Layout: a card template, its strings and contacts → positioned primitives per side, in points.

Pure: nothing is drawn here. Text is fitted into its box, shrinking in quarter points down to the format's
legibility floor; if it still does not fit, a FitError names card, format, side, field, language and how
much is missing. Right-to-left languages mirror the whole side: boxes, alignment, bullets and QR position.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from .errors import FitError, Problem, QrError, TemplateError
from .extract import PLACEHOLDER
from .fonts import FontBook
from .model import (
    MM,
    Box,
    Card,
    Cmyk,
    ContactsField,
    Field,
    Format,
    Language,
    PictogramField,
    QrField,
    RectField,
    Side,
    StampField,
    Style,
    TextField,
    Variant,
)
from .qr import QUIET_ZONE, Matrix, matrix, tel, vcard
from .regions import Directory, Resolved
from .text import Glyph, Shaped, Span, ink, parse_markup, shape

STEP = 0.25  # points: how finely text shrinks towards the floor
BULLET = "•"
LATIN = "sans"  # the font family of Latin text (fonts/fonts.toml)


@dataclass(frozen=True)
class TextLine:
    glyphs: tuple[Glyph, ...]
    x: float  # left end of the line (points)
    y: float  # baseline
    size: float
    color: Cmyk


@dataclass(frozen=True)
class Fill:
    box: Box
    color: Cmyk


@dataclass(frozen=True)
class QrCode:
    x: float  # lower left corner of the symbol, quiet zone excluded
    y: float
    module: float
    matrix: Matrix
    payload: str
    field: str


@dataclass(frozen=True)
class Shape:
    """A pictogram: filled polygons and circles in points."""

    polygons: tuple[tuple[tuple[float, float], ...], ...]
    circles: tuple[tuple[float, float, float], ...]
    color: Cmyk


Item = TextLine | Fill | QrCode | Shape


@dataclass(frozen=True)
class LaidSide:
    name: str
    width: float
    height: float
    items: tuple[Item, ...]
    background: Cmyk | None
    outside: bool
    texts: tuple[str, ...]  # every string printed on the side, for the discreet gate and tests
    folds: tuple[float, ...] = ()


@dataclass(frozen=True)
class LaidCard:
    card: Card
    format: Format
    language: Language
    variant: Variant
    sides: tuple[LaidSide, ...]
    title: str
    municipality: str = ""


Translate = Callable[[str, str, bool], str]


@dataclass
class Context:
    """Everything a side needs to be laid out."""

    card: Card
    fmt: Format
    language: Language
    variant: Variant
    book: FontBook
    tr: Translate
    directory: Directory
    pictograms: dict[str, tuple[list[list[tuple[float, float]]], list[tuple[float, float, float]]]]
    stamp: str

    @property
    def rtl(self) -> bool:
        return self.language.direction == "rtl"


def load_pictograms(path: Path) -> dict[str, tuple[list[list[tuple[float, float]]], list[tuple[float, float, float]]]]:
    """cards/pictograms.toml: each pictogram is polygons and circles on a 100 × 100 grid, y downwards."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise TemplateError(Problem(str(path), f"cannot read pictograms ({exc})")) from None
    out: dict[str, tuple[list[list[tuple[float, float]]], list[tuple[float, float, float]]]] = {}
    for name, table in data.items():
        polys = [[(float(x), float(y)) for x, y in poly] for poly in table.get("polygons", [])]
        circles = [(float(c[0]), float(c[1]), float(c[2])) for c in table.get("circles", [])]
        out[name] = (polys, circles)
    return out


def fill_placeholders(text: str, ctx: Context, where: str) -> str:
    def number(match: object) -> str:
        ref = match.group(1)  # type: ignore[attr-defined]
        if ref == "municipality" and ctx.directory.municipality is not None:
            return ctx.directory.municipality.name  # a place name, not a number: cards say where they apply
        resolved = ctx.directory.resolve(ref)
        if resolved is None:
            raise FitError(Problem(where, f"placeholder {{{ref}}} has no verified number to print",
                                   "verify the contact, or rewrite the sentence without it"))
        return str(resolved.contact.display)

    return PLACEHOLDER.sub(number, text)


def _fit_error(ctx: Context, side: Side, field: Field, what: str) -> FitError:
    return FitError(Problem(
        f"{ctx.card.path} [{ctx.card.id}/{ctx.fmt.name}/{side.name}/{field.id}] ({ctx.language.code})",
        what,
        "shorten the text, or give the field a larger box in the template",
    ))


@dataclass(frozen=True)
class _Para:
    shaped: Shaped
    bullet: Shaped | None
    align_end: bool  # right-to-left: lines start at the right edge, the bullet sits there


def _place_paragraphs(
    paras: Sequence[_Para], box: Box, style: Style, ctx: Context, side: Side, field: Field
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
        raise _fit_error(ctx, side, field, f"a word is {widest / MM:.1f} mm wide at the {floor:g} pt floor; "
                         f"the box is {box.w / MM:.1f} mm wide (overflow {(widest - box.w) / MM:.1f} mm)")
    raise _fit_error(ctx, side, field,
                     f"text needs {last_need / MM:.1f} mm of height at the {floor:g} pt floor; the box has "
                     f"{box.h / MM:.1f} mm (overflow {(last_need - box.h) / MM:.1f} mm, "
                     f"{100 * (last_need - box.h) / box.h:.0f} %)")


def _try_place(
    paras: Sequence[_Para], box: Box, style: Style, size: float, ctx: Context
) -> list[TextLine] | float:
    """Lines placed at `size`, or the height needed (negative when a word is wider than the box)."""
    line_height = size * style.leading
    gap = size * style.paragraph_gap
    layouts: list[tuple[_Para, list[tuple[int, int]], float]] = []
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
    height = size * (ascent + descent) + (count - 1) * line_height + (len(paras) - 1) * gap
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


def _paragraphs(text: str, ctx: Context, bullets: bool, where: str, bold: bool = False) -> list[_Para]:
    out = []
    bullet = shape([Span(BULLET, bold)], ctx.language, ctx.book, where) if bullets else None
    for part in text.split("\n"):
        part = part.strip()
        if not part:
            continue
        spans = [Span(s.text, s.bold or bold) for s in parse_markup(part)]
        out.append(_Para(shape(spans, ctx.language, ctx.book, where), bullet, ctx.rtl))
    return out


def _text_field(field: TextField, box: Box, ctx: Context, side: Side) -> tuple[list[Item], list[str]]:
    where = f"{field.context}"
    text = ctx.tr(field.context, field.msgid, field.critical)
    text = fill_placeholders(text, ctx, f"{ctx.card.path} [{field.context}]")
    items: list[Item] = []
    if field.background:
        items.append(Fill(box, field.background))
    paras = _paragraphs(text, ctx, field.bullets, where, field.style.weight == "bold")
    items += _place_paragraphs(paras, box, field.style, ctx, side, field)
    return items, [text.replace("**", "")]


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


def _contacts_field(field: ContactsField, box: Box, ctx: Context, side: Side) -> tuple[list[Item], list[str]]:
    """A table of contacts: the label wraps at the start side, the number sits bold at the end side."""
    rows: list[tuple[list[Shaped], Shaped]] = []
    texts: list[str] = []
    for ref in field.contacts:
        resolved = ctx.directory.resolve(ref)
        if resolved is None:
            continue  # unverified and without a verified fallback: never printed
        label = _contact_label(resolved, field, ctx)
        where = f"{ctx.card.id}/{ctx.fmt.name}/{side.name}/{field.id}"
        labels = [shape(parse_markup(p), ctx.language, ctx.book, where) for p in label.split("\n")]
        number = shape([Span(resolved.contact.display, True)], ctx.language, ctx.book, where)
        rows.append((labels, number))
        texts.append(f"{label} {resolved.contact.display}")
    if not rows:
        raise _fit_error(ctx, side, field, "no contact of this field has a verified number")
    items: list[Item] = [Fill(box, field.background)] if field.background else []
    style = field.style
    size = style.size
    floor = min(ctx.fmt.floor, style.size)
    while True:
        placed = _place_rows(rows, box, style, size, ctx)
        if isinstance(placed, list):
            return items + placed, texts
        if size - STEP < floor - 1e-9:
            need = placed
            what = (f"contacts need {need / MM:.1f} mm of height at the {floor:g} pt floor; the box has "
                    f"{box.h / MM:.1f} mm (overflow {(need - box.h) / MM:.1f} mm)") if need > 0 else \
                "a contact name and its number do not fit side by side at the floor"
            raise _fit_error(ctx, side, field, what)
        size = round(size - STEP, 4)


def _place_rows(
    rows: Sequence[tuple[list[Shaped], Shaped]], box: Box, style: Style, size: float, ctx: Context
) -> list[TextLine] | float:
    line_height = size * style.leading
    gap = size * style.paragraph_gap
    number_width = max(n.width(0, len(n.text)) for _, n in rows) * size
    label_width = box.w - number_width - size * 0.8
    if label_width <= 0:
        return -1.0
    laid: list[tuple[list[list[tuple[int, int]]], list[Shaped], Shaped]] = []
    count = 0
    for labels, number in rows:
        wrapped = []
        for label in labels:
            w = label.wrap(label_width / size)
            if w is None:
                return -1.0
            wrapped.append(w)
            count += len(w)
        laid.append((wrapped, labels, number))
    first_wrapped, first_labels, first_number = laid[0]
    last_wrapped, last_labels, _ = laid[-1]
    ascent = max(ink(first_number.line(0, len(first_number.text)).glyphs)[0],
                 ink(first_labels[0].line(*first_wrapped[0][0]).glyphs)[0])
    descent = ink(last_labels[-1].line(*last_wrapped[-1][-1]).glyphs)[1]
    height = size * (ascent + descent) + (count - 1) * line_height + (len(rows) - 1) * gap
    if height > box.h + 1e-6:
        return height
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


def qr_payload(field: QrField, ctx: Context) -> tuple[str, str]:
    """The first target with verified data: (payload, the text printed beside the code)."""
    for target in field.targets:
        scheme, _, ref = target.partition(":")
        if scheme == "vcard":
            entries = []
            for cref in field.contacts:
                resolved = ctx.directory.resolve(cref)
                if resolved is not None and resolved.contact.number:
                    # Services keep their Swedish names in the phone book: they are proper names, and
                    # translated labels would make the code too dense for its box in many languages.
                    entries.append((resolved.label, resolved.contact))
            if entries:
                name = field.vcard_name or ctx.card.discreet_title
                # every number the vCard holds is printed under the code, for readers without a camera
                return vcard(name, entries), "\n".join(c.display for _, c in entries)
            continue
        # A code dials or opens what its target names: a fallback is a target of its own, listed explicitly.
        resolved = ctx.directory.resolve(ref, follow_fallback=False)
        if resolved is None:
            continue
        contact = resolved.contact
        if scheme == "tel" and contact.number:
            return tel(contact), contact.display
        if scheme == "url" and contact.url:
            return contact.url, contact.url.removeprefix("https://").removesuffix("/")
    raise QrError(Problem(f"{ctx.card.path} [{field.id}]", "no QR target has verified data",
                          "verify one of the contacts the QR code points to"))


def _qr_field(field: QrField, box: Box, ctx: Context, side: Side) -> tuple[list[Item], list[str]]:
    payload, caption = qr_payload(field, ctx)
    code = matrix(payload)
    n = len(code)
    caption_h = 0.0
    cstyle = field.caption_style
    if cstyle is not None:
        primary = ctx.book.face(ctx.language.fonts[0], cstyle.weight)
        # A caption may wrap (a web address is long): count its lines at the width of the box.
        cparas = _paragraphs(caption, ctx, False, f"{field.id} caption", cstyle.weight == "bold")
        lines = sum(len(p.shaped.wrap(box.w / cstyle.size) or [(0, 0)]) for p in cparas)
        caption_h = cstyle.size * (primary.ascent + primary.descent + (lines - 1) * cstyle.leading
                                   + (len(cparas) - 1) * cstyle.paragraph_gap) + 0.5 * MM
    room = min(box.w, box.h - caption_h)
    module = field.module
    if (n + 2 * QUIET_ZONE) * module > room + 1e-6:
        module = room / (n + 2 * QUIET_ZONE)
        if module < 0.4 * MM - 1e-9:
            raise QrError(Problem(
                f"{ctx.card.path} [{ctx.card.id}/{ctx.fmt.name}/{side.name}/{field.id}]",
                f"a {n}×{n} QR code needs {(n + 8) * 0.4 + caption_h / MM:.1f} mm at 0.4 mm modules with its "
                f"caption; the box has {box.h / MM:.1f} × {box.w / MM:.1f} mm",
                "shorten the payload (tel: or a short URL) or enlarge the box",
            ))
    size = (n + 2 * QUIET_ZONE) * module
    x = box.x + (box.w - size) / 2
    y = box.top - size
    items: list[Item] = [Fill(Box(x, y, size, size), Cmyk(0, 0, 0, 0))]
    items.append(QrCode(x + QUIET_ZONE * module, y + QUIET_ZONE * module, module, code, payload, field.id))
    caption_items: list[Item] = []
    if cstyle is not None:
        # The number or address the code holds, printed right under it: a reader without a camera can dial.
        paras = _paragraphs(caption, ctx, False, f"{field.id} caption", cstyle.weight == "bold")
        cap_box = Box(box.x, y - caption_h, box.w, caption_h)  # below the quiet zone, never inside it
        centered = Style(cstyle.name, cstyle.size, cstyle.weight, cstyle.leading, cstyle.color, "center")
        caption_items = list(_place_paragraphs(paras, cap_box, centered, ctx, side, field))
    return items + caption_items, [caption]


def _pictogram(field: PictogramField, box: Box, ctx: Context) -> list[Item]:
    polys, circles = ctx.pictograms[field.pictogram]
    scale = min(box.w, box.h) / 100
    ox = box.x + (box.w - 100 * scale) / 2
    oy = box.top - (box.h - 100 * scale) / 2

    def pt(x: float, y: float) -> tuple[float, float]:
        return ox + x * scale, oy - y * scale

    return [Shape(
        tuple(tuple(pt(x, y) for x, y in poly) for poly in polys),
        tuple((*pt(cx, cy), r * scale) for cx, cy, r in circles),
        field.color,
    )]


def layout_side(side: Side, ctx: Context) -> LaidSide:
    items: list[Item] = []
    texts: list[str] = []
    misfits: list[Problem] = []  # every field that does not fit, so a translator sees them all at once
    for field in side.fields:
        if field.show not in ("always", ctx.variant):
            continue
        box = field.box.mirrored(ctx.fmt.width) if ctx.rtl else field.box
        try:
            match field:
                case TextField():
                    new, strings = _text_field(field, box, ctx, side)
                case ContactsField():
                    new, strings = _contacts_field(field, box, ctx, side)
                case QrField():
                    new, strings = _qr_field(field, box, ctx, side)
                case StampField():
                    # The stamp is ASCII (version, language and municipality codes): set it in the Latin face
                    # with Latin line metrics, or the tall ones of an Arabic font overflow its small box.
                    latin = replace(ctx, language=replace(ctx.language, fonts=(LATIN,)))
                    paras = _paragraphs(ctx.stamp, latin, False, field.id, field.style.weight == "bold")
                    new, strings = list(_place_paragraphs(paras, box, field.style, latin, side, field)), [ctx.stamp]
                case RectField():
                    new, strings = [Fill(box, field.color)], []
                case PictogramField():
                    new, strings = _pictogram(field, box, ctx), []
        except FitError as exc:
            misfits += exc.problems
            continue
        items += new
        texts += strings
    if misfits:
        raise FitError(misfits)
    # Folded panels read right to left: the whole side is mirrored, so the folds are too.
    folds = tuple(sorted(ctx.fmt.width - f for f in side.folds)) if ctx.rtl else side.folds
    return LaidSide(side.name, ctx.fmt.width, ctx.fmt.height, tuple(items), side.background, side.outside,
                    tuple(texts), folds)


def check_discreet(card: Card, sides: Sequence[LaidSide], language: Language) -> None:
    """The discreet gate: no outside of the card may name its subject."""
    problems = []
    for side in sides:
        if not side.outside:
            continue
        text = " ".join(side.texts).casefold()
        for word in card.forbidden_outside:
            if word.casefold() in text:
                problems.append(Problem(f"{card.path} [{card.id}, {side.name} side, {language.code}]",
                                        f"the discreet variant shows '{word}' on the outside",
                                        "mark the field show = \"plain\" or give it a neutral discreet text"))
    if problems:
        raise TemplateError(problems)
