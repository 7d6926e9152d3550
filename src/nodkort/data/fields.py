"""Fields: one [[formats.NAME.sides.fields]] table of a template → a Field value in points, or its problems.

Part of reading a template (templates.py): the steps common to every field (id, kind, box, show) come
first, then the kind's own keys, each kind in a function of its own.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypedDict, cast

from nodkort.data.tomlread import Reader
from nodkort.model import (
    BLACK,
    Box,
    Cmyk,
    Column,
    ContactsField,
    Field,
    IssuerField,
    PictogramField,
    QrField,
    RectField,
    Show,
    StampField,
    Style,
    TextField,
    mm,
)

FIELD_KINDS = ("text", "contacts", "qr", "stamp", "issuer", "rect", "pictogram")
# What may stack in a column: blocks whose height follows from their content (a rect from its `size`).
COLUMN_KINDS = ("text", "contacts", "qr", "stamp", "issuer", "rect")
# The issuer names the county board: a discreet card must not, so it prints on plain cards only.
ISSUER_SHOWS = ("plain", "local")
SHOWS = ("always", "plain", "discreet", "local")
QR_SCHEMES = ("tel", "url", "vcard")

_COMMON = {"id", "kind", "box", "show", "column", "foot"}
_FIELD_KEYS: dict[str, set[str]] = {
    "text": _COMMON | {"style", "text", "source", "critical", "bullets", "background", "comment"},
    "contacts": _COMMON | {"style", "detail_style", "min_row_gap", "contacts", "hours", "purpose", "background"},
    "qr": _COMMON | {"targets", "contacts", "module_mm", "caption_style", "name", "source"},
    "stamp": _COMMON | {"style"},
    "issuer": _COMMON | {"style", "logo_mm"},
    "rect": _COMMON | {"color", "size"},
    "pictogram": _COMMON | {"name", "color"},
}

RefCheck = Callable[[str], bool]


class _Common(TypedDict):
    id: str
    box: Box
    show: Show
    line: int


@dataclass(frozen=True)
class SideScope:
    """What the fields of one side are read against: its size in mm, the card's styles, colours and references."""

    size: tuple[float, float]
    styles: Mapping[str, Style]
    colors: Mapping[str, Cmyk]
    context: Callable[[str], str]  # field id → msgctxt
    known_ref: RefCheck
    pictograms: set[str] | None  # None: pictogram names are not checked
    columns: Mapping[str, Column] = dataclasses.field(default_factory=dict)


def color(r: Reader, value: Any, colors: Mapping[str, Cmyk], key: str, needle: str) -> Cmyk | None:
    if isinstance(value, str):
        if value in colors:
            return colors[value]
        # Inside [colors] itself no name is defined yet: the only fix is a CMYK value.
        fix = (
            f"define it under [colors] or use one of: {', '.join(colors)}"
            if colors
            else "write it as [C, M, Y, K] in per cent (0–100)"
        )
        r.problem(key, f"unknown colour '{value}'", fix, needle)
        return None
    if isinstance(value, list) and len(value) == 4 and all(isinstance(v, int | float) for v in value):
        if any(isinstance(v, bool) for v in value):
            r.problem(key, "a colour is a name from [colors] or [C, M, Y, K] in per cent (0–100)", "", needle)
            return None
        if not all(0 <= v <= 100 for v in value):
            return None  # a component out of range: reported by check_ranges at its line
        c, m, y, k = (float(v) / 100 for v in value)
        return Cmyk(c, m, y, k)
    r.problem(key, "a colour is a name from [colors] or [C, M, Y, K] in per cent (0–100)", "", needle)
    return None


@dataclass(frozen=True)
class _Table:
    """One field's table while it is read: where problems go and how they are named."""

    r: Reader
    table: Mapping[str, Any]
    key: str
    needle: str
    scope: SideScope
    common: _Common

    def problem(self, what: str, fix: str = "") -> None:
        self.r.problem(self.key, what, fix, self.needle)

    def get(self, name: str, kind: type | tuple[type, ...], default: Any = ...) -> Any:
        if default is ...:
            return self.r.get(self.table, name, kind, self.key, needle=self.needle)
        return self.r.get(self.table, name, kind, self.key, default)

    def style(self, name_key: str = "style", required: bool = True) -> Style | None:
        styles = self.scope.styles
        name = self.table.get(name_key)
        if name is None and not required:
            return None
        if name is None:
            self.problem(f"missing key '{name_key}'", f"add '{name_key} = \"NAME\"' with one of: {', '.join(styles)}")
            return None
        if not isinstance(name, str) or name not in styles:
            self.problem(f"unknown style {name!r}", f"define [styles.{name}] or use: {', '.join(styles)}")
            return None
        return styles[name]

    def background(self) -> Cmyk | None:
        if "background" not in self.table:
            return None
        return color(self.r, self.table["background"], self.scope.colors, self.key, self.needle)

    def color(self, value: Any) -> Cmyk | None:
        return color(self.r, value, self.scope.colors, self.key, self.needle)


def parse_field(r: Reader, table: Any, key: str, scope: SideScope) -> Field | None:
    """One field table → its Field; None (with the problems recorded in `r`) when it cannot be read."""
    if not isinstance(table, dict):
        r.problem(key, "a field is a table", "write it as [[formats.NAME.sides.fields]]")
        return None
    fid = table.get("id")
    if not isinstance(fid, str) or not fid:
        r.problem(key, "a field needs an 'id'", "add 'id = \"name\"'")
        return None
    needle = f'id = "{fid}"'
    key = f"{key}.{fid}"
    kind = table.get("kind")
    if kind not in FIELD_KINDS:
        r.problem(key, f"unknown field kind {kind!r}", f"use one of: {', '.join(FIELD_KINDS)}", needle)
        return None
    r.unknown_keys(table, _FIELD_KEYS[kind], key, needle)
    line = r.line_of(needle) or 0
    show = table.get("show", "always")
    if show not in SHOWS:
        r.problem(key, f"show must be one of {', '.join(SHOWS)}, not {show!r}", "", needle)
        show = "always"
    box = _column_box(r, table, key, needle, scope) if "column" in table else _box(r, table, key, needle, scope.size)
    if box is None:
        return None
    for name in ("foot", "size"):
        if name in table and "column" not in table:
            r.problem(key, f"'{name}' is for a block in a column", f'add column = "<id>" or remove {name}', needle)
    if kind == "issuer" and show not in ISSUER_SHOWS:
        r.problem(
            key, "the issuer prints on plain cards only: a discreet card names no issuer", 'show = "plain"', needle
        )
    t = _Table(r, table, key, needle, scope, _Common(id=fid, box=box, show=cast(Show, show), line=line))
    match kind:
        case "text":
            return _text(t)
        case "contacts":
            return _contacts(t)
        case "qr":
            return _qr(t)
        case "stamp":
            return _stamp(t)
        case "issuer":
            return _issuer(t)
        case "rect":
            return _rect(t)
        case _:
            return _pictogram(t)


def _box(r: Reader, table: Mapping[str, Any], key: str, needle: str, side_size: tuple[float, float]) -> Box | None:
    """The box in mm from the top-left corner of the trimmed side → points from the bottom left."""
    nums = r.numbers(table, "box", 4, key, needle)
    if nums is None:
        return None
    x, y, w, h = nums
    width_mm, height_mm = side_size
    if not (0 <= x <= width_mm and 0 <= y <= height_mm and 0 < w <= width_mm and 0 < h <= height_mm):
        return None  # a number out of range: reported by check_ranges at its line
    if x + w > width_mm + 1e-6 or y + h > height_mm + 1e-6:
        r.problem(
            key,
            f"box [{x:g}, {y:g}, {w:g}, {h:g}] mm lies outside the side ({width_mm:g} × {height_mm:g} mm)",
            "boxes are [x, y, width, height] in mm from the top-left corner of the trimmed side",
            needle,
        )
        return None
    return Box(mm(x), mm(height_mm - y - h), mm(w), mm(h))


def _column_box(r: Reader, table: Mapping[str, Any], key: str, needle: str, scope: SideScope) -> Box | None:
    """A block in a column: the column's box, where layout stacks it (a rect: its `size` at the column's top)."""
    name = table.get("column")
    kind = table.get("kind")
    if "box" in table:
        r.problem(key, "a field sits in a column or in a box, not both", "remove 'box' or 'column'", needle)
        return None
    if kind not in COLUMN_KINDS:
        r.problem(key, f"a {kind} field cannot stack in a column", "give it a box = [x, y, w, h]", needle)
        return None
    if not isinstance(name, str) or name not in scope.columns:
        known = ", ".join(scope.columns) or "none"
        r.problem(key, f"unknown column {name!r}", f"use a column of this side ({known})", needle)
        return None
    col = scope.columns[name].box
    if kind != "rect":
        return col
    size = r.numbers(table, "size", 2, key, needle)
    if size is None:
        return None
    w, h = mm(size[0]), mm(size[1])
    if not 0 < w <= col.w + 1e-6 or not 0 < h <= col.h + 1e-6:
        r.problem(key, f"size [{size[0]:g}, {size[1]:g}] mm does not fit its column", "", needle)
        return None
    return Box(col.x, col.top - h, w, h)


def _text(t: _Table) -> Field | None:
    text = t.get("text", str)
    source = t.table.get("source")
    if isinstance(source, list) and all(isinstance(s, str) for s in source):
        source = " ; ".join(source)
    if not isinstance(source, str) or not source.strip():
        t.problem("every text needs the 'source' it rests on", "add 'source = \"https://...\"'")
    st = t.style()
    if text is None or st is None:
        return None
    return TextField(
        **t.common,
        style=st,
        msgid=text.strip(),
        context=t.scope.context(t.common["id"]),
        source=str(source or ""),
        critical=bool(t.get("critical", bool, False)),
        bullets=bool(t.get("bullets", bool, False)),
        background=t.background(),
        comment=str(t.get("comment", str, "")),
    )


def _contacts(t: _Table) -> Field | None:
    refs = t.get("contacts", list) or []
    for ref in refs:
        if not isinstance(ref, str) or not t.scope.known_ref(ref):
            t.problem(
                f"unknown contact id {ref!r}",
                "use an id from cards/contacts/ or a 'municipality.<role>' / 'county.<role>' reference",
            )
    st = t.style()
    if st is None:
        return None
    return ContactsField(
        **t.common,
        style=st,
        contacts=tuple(str(c) for c in refs),
        hours=bool(t.get("hours", bool, True)),
        purpose=bool(t.get("purpose", bool, False)),
        background=t.background(),
        detail_style=t.style("detail_style", required=False),
        min_row_gap=_min_row_gap(t, st),
    )


def _min_row_gap(t: _Table, style: Style) -> float | None:
    gap = t.get("min_row_gap", float, None)
    if gap is not None and (gap < 0 or style.paragraph_gap < 0):
        return None  # out of its range (data/ranges.py names it at its line): one problem, not two
    if gap is not None and gap > style.paragraph_gap:
        t.problem(
            f"min_row_gap {gap:g} must lie between 0 and the style's paragraph_gap ({style.paragraph_gap:g})",
            "the row gap starts at the style's paragraph_gap and may only tighten from there",
        )
        return None
    return None if gap is None else float(gap)


def _qr(t: _Table) -> Field | None:
    targets = t.get("targets", list) or []
    contacts = t.get("contacts", list, [])
    for target in targets:
        scheme, _, ref = str(target).partition(":")
        if scheme not in QR_SCHEMES:
            t.problem(f"QR target {target!r} must start with one of {', '.join(QR_SCHEMES)}")
        elif scheme == "vcard":
            if not contacts:
                t.problem("a vcard target needs 'contacts = [...]'")
        elif not t.scope.known_ref(ref):
            t.problem(f"unknown contact id {ref!r} in QR target")
    for ref in contacts:
        if not isinstance(ref, str) or not t.scope.known_ref(ref):
            t.problem(f"unknown contact id {ref!r}")
    module = t.get("module_mm", float, 0.5)  # its range (from 0.4 mm, the smallest a phone reads): ranges.py
    if not targets:
        return None
    return QrField(
        **t.common,
        targets=tuple(map(str, targets)),
        contacts=tuple(map(str, contacts)),
        module=mm(module or 0.5),
        caption_style=t.style("caption_style", required=False),
        vcard_name=str(t.get("name", str, "")),
    )


def _stamp(t: _Table) -> Field | None:
    st = t.style()
    return StampField(**t.common, style=st) if st else None


def _issuer(t: _Table) -> Field | None:
    st = t.style()
    logo = t.get("logo_mm", float, 6.0)
    if logo is not None and not 2 <= logo <= 40:
        t.problem(f"logo_mm must lie between 2 and 40, not {logo:g}", "write the logo's height in mm")
        logo = 6.0
    return IssuerField(**t.common, style=st, logo_height=mm(logo or 6.0)) if st else None


def _rect(t: _Table) -> Field | None:
    fill = t.color(t.table.get("color"))
    return RectField(**t.common, color=fill) if fill else None


def _pictogram(t: _Table) -> Field | None:
    name = t.get("name", str)
    pictograms = t.scope.pictograms
    if name is not None and pictograms is not None and name not in pictograms:
        t.problem(f"unknown pictogram {name!r}", f"use one of: {', '.join(sorted(pictograms))}")
        return None
    fill = t.color(t.table.get("color", [0, 0, 0, 100]))
    return PictogramField(**t.common, pictogram=str(name), color=fill or BLACK)
