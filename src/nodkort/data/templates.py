"""Templates: cards/*.toml → Card values (millimetres converted to points), every problem in a file at once.

The format is specified in docs/templates.md. Boxes are given in millimetres from the top-left corner of
the trimmed side, which is how a designer measures a card; here they become points from the bottom left,
which is how PDF draws.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypedDict, cast

from nodkort.data.tomlread import Reader, load_toml
from nodkort.errors import Problem, TemplateError, raise_all
from nodkort.model import (
    BLACK,
    Box,
    Card,
    Cmyk,
    ContactsField,
    Field,
    Format,
    PictogramField,
    QrField,
    RectField,
    Show,
    Side,
    StampField,
    Style,
    TextField,
    mm,
)

FIELD_KINDS = ("text", "contacts", "qr", "stamp", "rect", "pictogram")
SHOWS = ("always", "plain", "discreet")
QR_SCHEMES = ("tel", "url", "vcard")
# The smallest module a phone camera reads reliably at arm's length (GS1: X-dimension 0.396–0.990 mm).
MIN_QR_MODULE_MM = 0.4
# No card text is larger: a bigger size is a typo, and fitting shrinks from it a quarter point at a time.
MAX_SIZE_PT = 200.0

_COMMON = {"id", "kind", "box", "show"}
_FIELD_KEYS: dict[str, set[str]] = {
    "text": _COMMON | {"style", "text", "source", "critical", "bullets", "background", "comment"},
    "contacts": _COMMON | {"style", "contacts", "hours", "purpose", "background"},
    "qr": _COMMON | {"targets", "contacts", "module_mm", "caption_style", "name", "source"},
    "stamp": _COMMON | {"style"},
    "rect": _COMMON | {"color"},
    "pictogram": _COMMON | {"name", "color"},
}

RefCheck = Callable[[str], bool]
# A placeholder in a string: "{emergency}" becomes a phone number when the card is laid out.
PLACEHOLDER = re.compile(r"\{([A-Za-z0-9_.]+)\}")


class _Common(TypedDict):
    id: str
    box: Box
    show: Show
    line: int


def context(card: str, fmt: str, side: str, field: str) -> str:
    """The msgctxt of a string: where it sits on which card."""
    return f"{card}/{fmt}/{side}/{field}"


def _color(r: Reader, value: Any, colors: Mapping[str, Cmyk], key: str, needle: str) -> Cmyk | None:
    if isinstance(value, str):
        if value in colors:
            return colors[value]
        # Inside [colors] itself no name is defined yet: the only fix is a CMYK value.
        fix = f"define it under [colors] or use one of: {', '.join(colors)}" if colors else \
            "write it as [C, M, Y, K] in per cent (0–100)"
        r.problem(key, f"unknown colour '{value}'", fix, needle)
        return None
    if (
        isinstance(value, list)
        and len(value) == 4
        and all(isinstance(v, int | float) and not isinstance(v, bool) and 0 <= v <= 100 for v in value)
    ):
        c, m, y, k = (float(v) / 100 for v in value)
        return Cmyk(c, m, y, k)
    r.problem(key, "a colour is a name from [colors] or [C, M, Y, K] in per cent (0–100)", "", needle)
    return None


def _styles(r: Reader, data: Mapping[str, Any], colors: Mapping[str, Cmyk]) -> dict[str, Style]:
    styles: dict[str, Style] = {}
    raw = data.get("styles") or {}
    if not isinstance(raw, dict):
        r.problem("styles", "styles are tables", "write each one as [styles.NAME]")
        raw = {}
    for name, table in raw.items():
        key = f"styles.{name}"
        if not isinstance(table, dict):
            r.problem(key, "a style is a table", "", f"[styles.{name}]")
            continue
        r.unknown_keys(table, {"size", "weight", "leading", "color", "align", "paragraph_gap"}, key,
                       f"[styles.{name}]")
        size = r.get(table, "size", float, key, needle=f"[styles.{name}]")
        weight = r.get(table, "weight", str, key, "regular")
        align = r.get(table, "align", str, key, "start")
        if weight not in ("regular", "bold"):
            r.problem(key, f"weight must be 'regular' or 'bold', not '{weight}'", "", f"[styles.{name}]")
        if align not in ("start", "center", "end"):
            r.problem(key, f"align must be 'start', 'center' or 'end', not '{align}'", "", f"[styles.{name}]")
        color = _color(r, table.get("color", [0, 0, 0, 100]), colors, key, f"[styles.{name}]") or BLACK
        if size is None or not 0 < size <= MAX_SIZE_PT:
            if size is not None:
                r.problem(key, f"size must be above 0 and at most {MAX_SIZE_PT:g} pt, not {size:g}", "",
                          f"[styles.{name}]")
            continue
        styles[name] = Style(
            name=name,
            size=size,
            weight=weight,
            leading=r.get(table, "leading", float, key, 1.22),
            color=color,
            align=align,
            paragraph_gap=r.get(table, "paragraph_gap", float, key, 0.35),
        )
    return styles


def _field(
    r: Reader,
    table: Mapping[str, Any],
    key: str,
    side_size: tuple[float, float],
    styles: Mapping[str, Style],
    colors: Mapping[str, Cmyk],
    ctx: Callable[[str], str],
    known_ref: RefCheck,
    pictograms: set[str] | None,
) -> Field | None:
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
    nums = r.numbers(table, "box", 4, key, needle)
    if nums is None:
        return None
    x, y, w, h = nums
    width_mm, height_mm = side_size
    if w <= 0 or h <= 0 or x < 0 or y < 0 or x + w > width_mm + 1e-6 or y + h > height_mm + 1e-6:
        r.problem(
            key,
            f"box [{x:g}, {y:g}, {w:g}, {h:g}] mm lies outside the side ({width_mm:g} × {height_mm:g} mm)",
            "boxes are [x, y, width, height] in mm from the top-left corner of the trimmed side",
            needle,
        )
        return None
    box = Box(mm(x), mm(height_mm - y - h), mm(w), mm(h))
    common = _Common(id=fid, box=box, show=cast(Show, show), line=line)

    def style(name_key: str = "style", required: bool = True) -> Style | None:
        name = table.get(name_key)
        if name is None and not required:
            return None
        if name is None:
            r.problem(key, f"missing key '{name_key}'", f"add '{name_key} = \"NAME\"' with one of: {', '.join(styles)}",
                      needle)
            return None
        if not isinstance(name, str) or name not in styles:
            r.problem(key, f"unknown style {name!r}", f"define [styles.{name}] or use: {', '.join(styles)}", needle)
            return None
        return styles[name]

    def background() -> Cmyk | None:
        return _color(r, table["background"], colors, key, needle) if "background" in table else None

    match kind:
        case "text":
            text = r.get(table, "text", str, key, needle=needle)
            source = table.get("source")
            if isinstance(source, list) and all(isinstance(s, str) for s in source):
                source = " ; ".join(source)
            if not isinstance(source, str) or not source.strip():
                r.problem(key, "every text needs the 'source' it rests on", "add 'source = \"https://...\"'", needle)
            st = style()
            if text is None or st is None:
                return None
            return TextField(
                **common, style=st, msgid=text.strip(), context=ctx(fid), source=str(source or ""),
                critical=bool(r.get(table, "critical", bool, key, False)),
                bullets=bool(r.get(table, "bullets", bool, key, False)),
                background=background(), comment=str(r.get(table, "comment", str, key, "")),
            )
        case "contacts":
            refs = r.get(table, "contacts", list, key, needle=needle) or []
            for ref in refs:
                if not isinstance(ref, str) or not known_ref(ref):
                    r.problem(key, f"unknown contact id {ref!r}", "use an id from cards/contacts/ or a "
                              "'municipality.<role>' / 'county.<role>' reference", needle)
            st = style()
            if st is None:
                return None
            return ContactsField(
                **common, style=st, contacts=tuple(str(c) for c in refs),
                hours=bool(r.get(table, "hours", bool, key, True)),
                purpose=bool(r.get(table, "purpose", bool, key, False)), background=background(),
            )
        case "qr":
            targets = r.get(table, "targets", list, key, needle=needle) or []
            contacts = r.get(table, "contacts", list, key, [])
            for target in targets:
                scheme, _, ref = str(target).partition(":")
                if scheme not in QR_SCHEMES:
                    r.problem(key, f"QR target {target!r} must start with one of {', '.join(QR_SCHEMES)}", "",
                              needle)
                elif scheme == "vcard":
                    if not contacts:
                        r.problem(key, "a vcard target needs 'contacts = [...]'", "", needle)
                elif not known_ref(ref):
                    r.problem(key, f"unknown contact id {ref!r} in QR target", "", needle)
            for ref in contacts:
                if not isinstance(ref, str) or not known_ref(ref):
                    r.problem(key, f"unknown contact id {ref!r}", "", needle)
            module = r.get(table, "module_mm", float, key, 0.5)
            if module is not None and module < MIN_QR_MODULE_MM:
                r.problem(key, f"module_mm {module:g} is below the {MIN_QR_MODULE_MM} mm minimum", "", needle)
            if not targets:
                return None
            return QrField(
                **common, targets=tuple(map(str, targets)),
                contacts=tuple(map(str, contacts)), module=mm(module or 0.5),
                caption_style=style("caption_style", required=False),
                vcard_name=str(r.get(table, "name", str, key, "")),
            )
        case "stamp":
            st = style()
            return StampField(**common, style=st) if st else None
        case "rect":
            color = _color(r, table.get("color"), colors, key, needle)
            return RectField(**common, color=color) if color else None
        case "pictogram":
            name = r.get(table, "name", str, key, needle=needle)
            if name is not None and pictograms is not None and name not in pictograms:
                r.problem(key, f"unknown pictogram {name!r}", f"use one of: {', '.join(sorted(pictograms))}",
                          needle)
                return None
            color = _color(r, table.get("color", [0, 0, 0, 100]), colors, key, needle)
            return PictogramField(**common, pictogram=str(name), color=color or BLACK)
    return None


def _contexts(card: str, fmt: str, side: str) -> Callable[[str], str]:
    return lambda field: context(card, fmt, side, field)


def _any_ref(ref: str) -> bool:
    return True


def load_card(path: Path, known_ref: RefCheck, pictograms: set[str]) -> Card:
    """Read one card template; raise TemplateError listing every problem in it."""
    data, lines = load_toml(path, TemplateError)
    return card_from_toml(data, lines, path, known_ref, pictograms)


def card_from_toml(
    data: Mapping[str, Any],
    lines: list[str],
    path: Path,
    known_ref: RefCheck | None = None,
    pictograms: set[str] | None = None,
) -> Card:
    """A parsed template → a Card; without `known_ref` or `pictograms`, references to them are not checked.

    Extracting the strings needs the validated card, not its contacts: a template is read there on its own.
    """
    if known_ref is None:
        known_ref = _any_ref
    r = Reader(path, lines)
    r.unknown_keys(data, {"card", "colors", "styles", "formats"}, "", "")
    head = data.get("card")
    if not isinstance(head, dict):
        r.problem("card", "missing the [card] table", "start the file with [card] and id = \"...\"")
        raise_all(r.problems, TemplateError)
        raise AssertionError("unreachable")
    r.unknown_keys(head, {"id", "version", "title", "discreet_title", "default_format", "needs_municipality",
                          "forbidden_outside", "source"}, "card", "[card]")
    card_id = r.get(head, "id", str, "card", needle="[card]") or path.stem
    colors: dict[str, Cmyk] = {}
    raw_colors = data.get("colors") or {}
    if not isinstance(raw_colors, dict):
        r.problem("colors", "[colors] is a table of named colours",
                  "write it as [colors] with name = [C, M, Y, K]")
        raw_colors = {}
    for name, value in raw_colors.items():
        color = _color(r, value, {}, f"colors.{name}", f"{name} =")
        if color:
            colors[name] = color
    styles = _styles(r, data, colors)
    formats: dict[str, Format] = {}
    raw_formats = data.get("formats")
    if not isinstance(raw_formats, dict) or not raw_formats:
        r.problem("formats", "a card needs at least one format", "add [formats.wallet] with size and sides")
        raw_formats = {}
    for fname, ftable in raw_formats.items():
        fkey = f"formats.{fname}"
        fneedle = f"[formats.{fname}]"
        if not isinstance(ftable, dict):
            r.problem(fkey, "a format is a table", "", fneedle)
            continue
        r.unknown_keys(ftable, {"size", "floor", "sides"}, fkey, fneedle)
        size = r.numbers(ftable, "size", 2, fkey, fneedle)
        floor = r.get(ftable, "floor", float, fkey, needle=fneedle)
        if floor is not None and not 0 < floor <= MAX_SIZE_PT:
            r.problem(fkey, f"floor must be above 0 and at most {MAX_SIZE_PT:g} pt, not {floor:g}", "",
                      fneedle)
            floor = None
        if size is None or floor is None:
            continue
        sides: list[Side] = []
        raw_sides = ftable.get("sides") or []
        if not isinstance(raw_sides, list) or not all(isinstance(t, dict) for t in raw_sides):
            r.problem(fkey, "sides are tables", "write each one as [[formats.NAME.sides]]", fneedle)
            raw_sides = []
        side_lines = [n for n, t in enumerate(lines, start=1) if t.strip().startswith(f"[[formats.{fname}.sides]]")]
        for index, stable in enumerate(raw_sides):
            r.start = side_lines[index] if index < len(side_lines) else 1
            sname = stable.get("name", f"side{index + 1}")
            skey = f"{fkey}.sides.{sname}"
            r.unknown_keys(stable, {"name", "outside", "background", "fields", "folds"}, skey, f'name = "{sname}"')
            folds = stable.get("folds", [])
            if not isinstance(folds, list) or not all(
                isinstance(f, int | float) and 0 < f < size[0] for f in folds
            ):
                r.problem(skey, "folds must be x positions in mm inside the side", "", f'name = "{sname}"')
                folds = []
            fields: list[Field] = []
            seen: set[str] = set()
            raw_fields = stable.get("fields") or []
            if not isinstance(raw_fields, list):
                r.problem(skey, "fields are tables", "write each one as [[formats.NAME.sides.fields]]")
                raw_fields = []
            for ftab in raw_fields:
                field = _field(
                    r, ftab, skey, (size[0], size[1]), styles, colors,
                    _contexts(card_id, fname, sname), known_ref, pictograms,
                )
                if field is None:
                    continue
                if field.id in seen:
                    r.problem(f"{skey}.{field.id}", f"field id '{field.id}' is used twice on this side", "",
                              f'id = "{field.id}"')
                seen.add(field.id)
                fields.append(field)
            bg = _color(r, stable["background"], colors, skey, f'name = "{sname}"') if "background" in stable \
                else None
            # Only an explicit `outside = false` exempts a side from the discreet gate.
            outside = r.get(stable, "outside", bool, skey, True) is not False
            sides.append(Side(sname, tuple(fields), outside=outside, background=bg,
                              folds=tuple(mm(float(f)) for f in folds)))
        r.start = 1
        if not sides:
            r.problem(fkey, "a format needs at least one side", "add [[formats.NAME.sides]]", fneedle)
        for side in sides:
            for field in side.fields:
                style = getattr(field, "style", None)
                if style is not None and style.size < floor:
                    where = f"{path}:{field.line}" if field.line else str(path)
                    r.problems.append(Problem(
                        f"{where} [{fkey}.sides.{side.name}.{field.id}]",
                        f"style '{style.name}' is {style.size:g} pt, under this format's {floor:g} pt floor",
                        "use a style at or above the floor"))
        formats[fname] = Format(fname, mm(size[0]), mm(size[1]), floor, tuple(sides))
    default = r.get(head, "default_format", str, "card", next(iter(formats), ""))
    if formats and default not in formats:
        r.problem("card.default_format", f"default_format '{default}' is not a format of this card", "",
                  "default_format")
    title = r.get(head, "title", str, "card", needle="[card]") or ""
    discreet = r.get(head, "discreet_title", str, "card", needle="[card]") or ""
    forbidden = head.get("forbidden_outside", [])
    if not isinstance(forbidden, list) or not all(isinstance(w, str) and w for w in forbidden):
        r.problem("card.forbidden_outside", "forbidden_outside is a list of words", "", "forbidden_outside")
        forbidden = []
    version = r.get(head, "version", str, "card", needle="[card]")
    needs_municipality = bool(r.get(head, "needs_municipality", bool, "card", False))
    raise_all(r.problems, TemplateError)
    return Card(
        id=card_id, path=str(path), title=title, title_context=f"{card_id}/title", discreet_title=discreet,
        discreet_title_context=f"{card_id}/discreet_title",
        version=str(version), formats=formats,
        default_format=default, needs_municipality=needs_municipality,
        forbidden_outside=tuple(str(w) for w in forbidden), styles=styles,
    )
