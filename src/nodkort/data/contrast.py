"""Contrast: a card template → every text colour checked against what lies under its box (WCAG 2.x, ≥ 4.5:1).

Checked from the template alone, before anything is laid out, so a designer learns of a pale heading when
the card is loaded, whatever the language. Under a text lies the side's background (white paper when it
has none), every rectangle and text background drawn before it that overlaps its box, and its own
background; the text is checked against each of them that shows, because a line may sit anywhere in its box.

Colours are converted with the naive device formula (Cmyk.rgb). For printed process inks it gives lighter
dark colours and darker light ones than a press profile would, so it understates the contrast of dark
text on paper and of light text on a dark fill: a template that passes here passes on press.
"""

from __future__ import annotations

from dataclasses import dataclass

from nodkort.errors import Location, Problem, TemplateError, raise_all
from nodkort.model import (
    WHITE,
    Box,
    Card,
    Cmyk,
    ContactsField,
    Field,
    Format,
    IssuerField,
    QrField,
    RectField,
    Side,
    StampField,
    Style,
    TextField,
)

MIN_RATIO = 4.5  # WCAG 2.x success criterion 1.4.3, level AA, for body text


def _linear(channel: float) -> float:
    """sRGB channel (0–1) → linear light, as WCAG 2.x defines relative luminance."""
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def luminance(color: Cmyk) -> float:
    r, g, b = color.rgb()
    return 0.2126 * _linear(r) + 0.7152 * _linear(g) + 0.0722 * _linear(b)


def ratio(a: Cmyk, b: Cmyk) -> float:
    """WCAG 2.x contrast ratio, from 1 (none) to 21 (black on white)."""
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def describe(color: Cmyk) -> str:
    """A colour as a designer writes it in a template: C M Y K in per cent."""
    return "[" + ", ".join(f"{round(v * 100):g}" for v in (color.c, color.m, color.y, color.k)) + "]"


@dataclass(frozen=True)
class _Layer:
    box: Box | None  # None: the whole side
    color: Cmyk
    what: str


def _text_styles(field: Field) -> list[Style]:
    match field:
        case ContactsField():
            return [field.style] + ([field.detail_style] if field.detail_style else [])
        case TextField() | StampField() | IssuerField():
            return [field.style]
        case QrField():
            return [field.caption_style] if field.caption_style else []
        case _:
            return []


def _fill(field: Field) -> Cmyk | None:
    match field:
        case RectField():
            return field.color
        case TextField() | ContactsField():
            return field.background
        case _:
            return None


def _together(a: Field, b: Field) -> bool:
    """Whether two fields can be printed on the same card (a plain-only and a discreet-only one cannot)."""
    return {a.show, b.show} != {"plain", "discreet"}


def _overlap(a: Box, b: Box) -> bool:
    return a.x < b.right and b.x < a.right and a.y < b.top and b.y < a.top


def _covers(outer: Box, inner: Box) -> bool:
    eps = 1e-6
    return (
        outer.x <= inner.x + eps
        and outer.y <= inner.y + eps
        and outer.right >= inner.right - eps
        and outer.top >= inner.top - eps
    )


def under(side: Side, index: int) -> list[_Layer]:
    """What shows beneath field `index` of a side, top layer first, down to the first that covers its box."""
    field = side.fields[index]
    layers = [_Layer(None, side.background or WHITE, "the side's background" if side.background else "paper")]
    # Blocks of a column are stacked apart, never on each other: a rect in a column lies under nothing.
    stacked = {fid for column in side.columns for fid, _ in column.blocks}
    for other in side.fields[:index]:
        color = _fill(other)
        if other.id in stacked:
            continue
        if color is not None and _together(field, other) and _overlap(other.box, field.box):
            layers.append(_Layer(other.box, color, f"field '{other.id}'"))
    own = _fill(field)
    if own is not None:
        layers.append(_Layer(field.box, own, "its own background"))
    shown: list[_Layer] = []
    for layer in reversed(layers):
        shown.append(layer)
        if layer.box is None or _covers(layer.box, field.box):
            break
    return shown


def _field_problems(card: Card, fmt: Format, side: Side, index: int) -> list[Problem]:
    field = side.fields[index]
    found = []
    for style in _text_styles(field):
        for layer in under(side, index):
            value = ratio(style.color, layer.color)
            if value >= MIN_RATIO:
                continue
            found.append(
                Problem(
                    Location(card.path, field.line or None, f"formats.{fmt.name}.sides.{side.name}.{field.id}"),
                    f"text colour {describe(style.color)} (style '{style.name}') on {describe(layer.color)} "
                    f"({layer.what}) has a contrast of {value:.2f}:1, under the {MIN_RATIO}:1 minimum",
                    "darken the text or lighten what lies under it (WCAG 2.x, criterion 1.4.3)",
                )
            )
    return found


def problems(card: Card) -> list[Problem]:
    """Every text whose colour has a contrast under MIN_RATIO with something beneath it."""
    return [
        problem
        for fmt in card.formats.values()
        for side in fmt.sides
        for index in range(len(side.fields))
        for problem in _field_problems(card, fmt, side, index)
    ]


def check(card: Card) -> None:
    """Raise TemplateError naming every text that is too pale for what lies under it."""
    raise_all(problems(card), TemplateError)
