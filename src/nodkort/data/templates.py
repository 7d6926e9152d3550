"""Templates: cards/*.toml → Card values (millimetres converted to points), every problem in a file at once.

The format is specified in docs/templates.md. Boxes are given in millimetres from the top-left corner of
the trimmed side, which is how a designer measures a card; here they become points from the bottom left,
which is how PDF draws. Each field is read by fields.py.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from nodkort.data.columns import columns, spacing
from nodkort.data.fields import RefCheck, SideScope, color, parse_field
from nodkort.data.ranges import TEMPLATE_RANGES, check_ranges
from nodkort.data.tomlread import Reader, load_toml
from nodkort.errors import Location, Problem, TemplateError, raise_all
from nodkort.model import BLACK, Card, Cmyk, Field, Format, QrField, Side, Style, mm

# The ranges of a style's size and a format's floor (no card text is larger than 200 pt: a bigger size is a
# typo, and fitting shrinks from it a quarter point at a time).
_SIZE = TEMPLATE_RANGES["styles.*.size"]
_FLOOR = TEMPLATE_RANGES["formats.*.floor"]
# A placeholder in a string: "{emergency}" becomes a phone number when the card is laid out.
PLACEHOLDER = re.compile(r"\{([A-Za-z0-9_.]+)\}")
# The kinds of QR code, by the scheme of a target ("tel:", "url:", "vcard"), each with its sentence in [card].
QR_KINDS = ("tel", "url", "vcard")
HEAD_KEYS = {
    "id",
    "version",
    "title",
    "discreet_title",
    "default_format",
    "needs_municipality",
    "forbidden_outside",
    "forbidden_translated",
    "source",
    *(f"qr_{kind}" for kind in QR_KINDS),
}


def context(card: str, fmt: str, side: str, field: str) -> str:
    """The msgctxt of a field's string: where it sits on which card (also the name of the field in messages)."""
    return f"{card}/{fmt}/{side}/{field}"


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
    r = Reader(path, lines)
    r.unknown_keys(data, {"card", "colors", "styles", "formats"}, "", "")
    check_ranges(r, data, TEMPLATE_RANGES)  # every number against its range; below, shapes and names
    head = _head(r, data)
    card_id = r.get(head, "id", str, "card", needle="[card]") or path.stem
    colors = _colors(r, data)
    styles = _styles(r, data, colors)
    formats = _formats(r, data, card_id, styles, colors, known_ref or _any_ref, pictograms)
    default = r.get(head, "default_format", str, "card", next(iter(formats), ""))
    if formats and default not in formats:
        r.problem(
            "card.default_format", f"default_format '{default}' is not a format of this card", "", "default_format"
        )
    title = r.get(head, "title", str, "card", needle="[card]") or ""
    discreet = r.get(head, "discreet_title", str, "card", needle="[card]") or ""
    forbidden = head.get("forbidden_outside", [])
    if not isinstance(forbidden, list) or not all(isinstance(w, str) and w for w in forbidden):
        r.problem("card.forbidden_outside", "forbidden_outside is a list of words", "", "forbidden_outside")
        forbidden = []
    qr_alt = {kind: r.get(head, f"qr_{kind}", str, "card", "", needle=f"qr_{kind} =") for kind in QR_KINDS}
    _check_qr_alt(r, qr_alt, formats)
    translated = head.get("forbidden_translated", {})
    if not isinstance(translated, dict) or not all(
        isinstance(ws, list) and all(isinstance(w, str) and w for w in ws) for ws in translated.values()
    ):
        r.problem(
            "card.forbidden_translated",
            "forbidden_translated maps a language code to a list of words",
            'write [card.forbidden_translated] with lines such as fi = ["ulkomail", "ulkoministeri"]',
            "forbidden_translated",
        )
        translated = {}
    version = r.get(head, "version", str, "card", needle="[card]")
    needs_municipality = bool(r.get(head, "needs_municipality", bool, "card", False))
    raise_all(r.problems, TemplateError)
    return Card(
        id=card_id,
        path=str(path),
        title=title,
        title_context=f"{card_id}/title",
        discreet_title=discreet,
        discreet_title_context=f"{card_id}/discreet_title",
        version=str(version),
        formats=formats,
        default_format=default,
        needs_municipality=needs_municipality,
        forbidden_outside=tuple(str(w) for w in forbidden),
        styles=styles,
        qr_alt={kind: text for kind, text in qr_alt.items() if text},
        forbidden_translated={str(code): tuple(ws) for code, ws in translated.items()},
    )


def _check_qr_alt(r: Reader, qr_alt: Mapping[str, str], formats: Mapping[str, Format]) -> None:
    """A card with a QR code says, for each kind of code it can hold, what the code does (its /Alt)."""
    kinds = {
        t.partition(":")[0]
        for fmt in formats.values()
        for side in fmt.sides
        for f in side.fields
        if isinstance(f, QrField)
        for t in f.targets
    }
    for kind in sorted(kinds & set(QR_KINDS)):
        if not qr_alt.get(kind):
            example = {"tel": "QR-kod: ringer {name}, {number}", "url": "QR-kod: öppnar {name}: {address}"}.get(
                kind, "QR-kod: sparar de här numren som kontakten {name}: {numbers}"
            )
            r.problem(
                f"card.qr_{kind}",
                f"a QR code of this card can hold a {kind} target, but [card] does not say what such a code does",
                f'add qr_{kind} = "{example}" to [card] (a screen reader reads it for the code)',
                "[card]",
            )


def _head(r: Reader, data: Mapping[str, Any]) -> Mapping[str, Any]:
    """The [card] table; without it nothing else can be named, so its absence is reported at once."""
    head = data.get("card")
    if not isinstance(head, dict):
        r.problem("card", "missing the [card] table", 'start the file with [card] and id = "..."')
        raise_all(r.problems, TemplateError)
        raise AssertionError("unreachable")
    r.unknown_keys(head, HEAD_KEYS, "card", "[card]")
    return head


def _colors(r: Reader, data: Mapping[str, Any]) -> dict[str, Cmyk]:
    colors: dict[str, Cmyk] = {}
    raw_colors = data.get("colors") or {}
    if not isinstance(raw_colors, dict):
        r.problem("colors", "[colors] is a table of named colours", "write it as [colors] with name = [C, M, Y, K]")
        raw_colors = {}
    for name, value in raw_colors.items():
        cmyk = color(r, value, {}, f"colors.{name}", f"{name} =")
        if cmyk:
            colors[name] = cmyk
    return colors


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
        r.unknown_keys(table, {"size", "weight", "leading", "color", "align", "paragraph_gap"}, key, f"[styles.{name}]")
        size = r.get(table, "size", float, key, needle=f"[styles.{name}]")
        weight = r.get(table, "weight", str, key, "regular")
        align = r.get(table, "align", str, key, "start")
        if weight not in ("regular", "bold"):
            r.problem(key, f"weight must be 'regular' or 'bold', not '{weight}'", "", f"[styles.{name}]")
        if align not in ("start", "center", "end"):
            r.problem(key, f"align must be 'start', 'center' or 'end', not '{align}'", "", f"[styles.{name}]")
        fill = color(r, table.get("color", [0, 0, 0, 100]), colors, key, f"[styles.{name}]") or BLACK
        if size is None or not _SIZE.holds(size, (0, 0)):
            continue  # out of range: reported by check_ranges
        styles[name] = Style(
            name=name,
            size=size,
            weight=weight,
            leading=r.get(table, "leading", float, key, 1.22),
            color=fill,
            align=align,
            paragraph_gap=r.get(table, "paragraph_gap", float, key, 0.35),
        )
    return styles


def _formats(
    r: Reader,
    data: Mapping[str, Any],
    card_id: str,
    styles: Mapping[str, Style],
    colors: Mapping[str, Cmyk],
    known_ref: RefCheck,
    pictograms: set[str] | None,
) -> dict[str, Format]:
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
        r.unknown_keys(ftable, {"size", "floor", "sides", "gap", "max_gap", "safe"}, fkey, fneedle)
        gap, max_gap, safe = spacing(r, ftable, fkey, fneedle)
        size = r.numbers(ftable, "size", 2, fkey, fneedle)
        floor = r.get(ftable, "floor", float, fkey, needle=fneedle)
        if floor is not None and not _FLOOR.holds(floor, (0, 0)):
            floor = None  # out of range: reported by check_ranges
        if size is None or floor is None:
            continue
        scope = SideScope((size[0], size[1]), styles, colors, lambda fid: fid, known_ref, pictograms)
        sides = _sides(r, ftable, card_id, fname, scope)
        if not sides:
            r.problem(fkey, "a format needs at least one side", "add [[formats.NAME.sides]]", fneedle)
        r.problems.extend(_under_floor(r.path, fkey, sides, floor))
        formats[fname] = Format(fname, mm(size[0]), mm(size[1]), floor, tuple(sides), gap, max_gap, safe)
    return formats


def _sides(r: Reader, ftable: Mapping[str, Any], card_id: str, fname: str, scope: SideScope) -> list[Side]:
    fkey = f"formats.{fname}"
    raw_sides = ftable.get("sides") or []
    if not isinstance(raw_sides, list) or not all(isinstance(t, dict) for t in raw_sides):
        r.problem(fkey, "sides are tables", "write each one as [[formats.NAME.sides]]", f"[formats.{fname}]")
        raw_sides = []
    side_lines = [n for n, t in enumerate(r.lines, start=1) if t.strip().startswith(f"[[formats.{fname}.sides]]")]
    sides: list[Side] = []
    for index, stable in enumerate(raw_sides):
        # A field id recurs on every side: each side's fields are searched for from its own header on.
        r.start = side_lines[index] if index < len(side_lines) else 1
        sname = stable.get("name", f"side{index + 1}")
        side_scope = SideScope(
            scope.size, scope.styles, scope.colors, _contexts(card_id, fname, sname), scope.known_ref, scope.pictograms
        )
        sides.append(_side(r, stable, f"{fkey}.sides.{sname}", sname, side_scope))
    r.start = 1
    return sides


def _side(r: Reader, stable: Mapping[str, Any], skey: str, sname: str, scope: SideScope) -> Side:
    needle = f'name = "{sname}"'
    r.unknown_keys(stable, {"name", "outside", "background", "fields", "folds", "columns"}, skey, needle)
    cols = columns(r, stable, skey, scope.size)
    scope = dataclasses.replace(scope, columns=cols)
    stacked: dict[str, list[tuple[str, bool]]] = {cid: [] for cid in cols}
    folds = stable.get("folds", [])
    if not isinstance(folds, list) or not all(isinstance(f, int | float) and not isinstance(f, bool) for f in folds):
        r.problem(skey, "folds must be x positions in mm inside the side", "", needle)
        folds = []
    folds = [f for f in folds if 0 < f <= scope.size[0]]  # one outside the side is reported by check_ranges
    fields: list[Field] = []
    seen: set[str] = set()
    raw_fields = stable.get("fields") or []
    if not isinstance(raw_fields, list):
        r.problem(skey, "fields are tables", "write each one as [[formats.NAME.sides.fields]]")
        raw_fields = []
    for ftab in raw_fields:
        field = parse_field(r, ftab, skey, scope)
        if field is None:
            continue
        if field.id in seen:
            r.problem(
                f"{skey}.{field.id}", f"field id '{field.id}' is used twice on this side", "", f'id = "{field.id}"'
            )
        seen.add(field.id)
        fields.append(field)
        if ftab.get("column") in stacked:
            stacked[ftab["column"]].append((field.id, r.get(ftab, "foot", bool, f"{skey}.{field.id}", False) is True))
    bg = color(r, stable["background"], scope.colors, skey, needle) if "background" in stable else None
    # Only an explicit `outside = false` exempts a side from the discreet gate.
    outside = r.get(stable, "outside", bool, skey, True) is not False
    for c in cols.values():
        if c.id in seen:
            # Problems and the catalogs find a field by its `id = "…"` line: a column must not share it.
            r.problem(
                f"{skey}.columns.{c.id}",
                f"column id '{c.id}' is also a field id on this side",
                "rename the column",
                "columns",
            )
        if c.spare == "foot" and not any(foot for _, foot in stacked[c.id]):
            r.problem(
                f"{skey}.columns.{c.id}",
                'spare = "foot" needs a block with foot = true',
                'mark the block that stands at the foot with foot = true, or use spare = "spread"',
                f'id = "{c.id}"',
            )
    laid = tuple(dataclasses.replace(c, blocks=tuple(stacked[c.id])) for c in cols.values())
    return Side(
        sname, tuple(fields), outside=outside, background=bg, folds=tuple(mm(float(f)) for f in folds), columns=laid
    )


def _under_floor(path: str, fkey: str, sides: list[Side], floor: float) -> list[Problem]:
    """Text styles under the format's legibility floor: each at the line of its field."""
    problems: list[Problem] = []
    for side in sides:
        for field in side.fields:
            styles = [getattr(field, "style", None), getattr(field, "detail_style", None)]
            for style in (s for s in styles if s is not None and s.size < floor):
                problems.append(
                    Problem(
                        Location(path, field.line or None, f"{fkey}.sides.{side.name}.{field.id}"),
                        f"style '{style.name}' is {style.size:g} pt, under this format's {floor:g} pt floor",
                        "use a style at or above the floor",
                    )
                )
    return problems


def _contexts(card: str, fmt: str, side: str) -> Callable[[str], str]:
    return lambda field: context(card, fmt, side, field)
