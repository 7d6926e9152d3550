"""The contacts table as laid out, on every card × language × format: one right edge for the numbers, a grey and
smaller second line at or above the floor, no break inside brackets or opening hours, nothing outside the box."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from itertools import accumulate, pairwise

import pytest

from nodkort.errors import FitError, NodkortError
from nodkort.layout.contacts_field import DETAIL, NAME, NUMBER, contacts_field, detail_size
from nodkort.layout.context import Context
from nodkort.layout.primitives import TextLine
from nodkort.layout.side import LaidSide, layout_side
from nodkort.model import MM, ContactsField, Side, Style, Variant
from nodkort.pipeline import card_context
from nodkort.project import Project
from nodkort.text import shaping
from nodkort.text.breaks import bracket_spans
from nodkort.text.paragraph import Span, shape
from nodkort.text.shaping import ink

EDGE = 0.05  # points: how far the numbers of one table may end apart
HOURS = re.compile(r"^\d{1,2}(?:[.:]\d{2})?\s?[–-]\s?\d{1,2}")
JOBS: list[tuple[str, str, Variant]] = [("action", "plain", "plain"), ("emergency", "plain", "plain")]
JOBS.append(("emergency", "discreet", "discreet"))


@dataclass
class Table:
    """One contacts field as laid out: its template field, box, and lines by row and cell."""

    where: str
    field: ContactsField
    rtl: bool
    box: tuple[float, float, float, float]
    cells: dict[int, dict[int, list[TextLine]]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(list)))


def tables(project: Project, card: str, lang: str, fmt: str, laid: list[LaidSide]) -> list[Table]:
    spec = project.card(card).formats[fmt]
    rtl = project.language(lang).direction == "rtl"
    found: list[Table] = []
    for template, side in zip(spec.sides, laid, strict=True):
        by_id: dict[str, Table] = {}
        for contacts in (f for f in template.fields if isinstance(f, ContactsField)):
            box = contacts.box.mirrored(spec.width) if rtl else contacts.box
            where = f"{card}/{fmt}/{side.name}/{contacts.id}"
            by_id[contacts.id] = Table(where, contacts, rtl, (box.x, box.y, box.right, box.top))
        for item in side.items:
            if isinstance(item, TextLine) and item.tags and item.tags[0].path[:1] == (("Table", 0),):
                tag = item.tags[0]
                by_id[tag.field].cells[tag.path[1][1]][tag.path[2][1]].append(item)
        found += [t for t in by_id.values() if t.cells]
    return found


_LAID: dict[tuple[str, str, str, str], list[LaidSide] | None] = {}


def laid_out(project: Project, card: str, lang: str, fmt: str, variant: Variant) -> list[LaidSide] | None:
    """The sides of a card as `nodkort check` lays them out: a string still missing in a draft stands in Swedish,
    so that every language's tables are measured; None when some side does not fit (check reports it)."""
    key = (card, lang, fmt, variant)
    if key not in _LAID:
        template = project.card(card)
        language = project.language(lang)
        tr = project.translations(language, draft=True)

        def translate(context: str, msgid: str, critical: bool) -> str:
            text, state = tr.lookup(context, msgid)
            return msgid if state == "missing" else text

        place = project.municipality("Sala") if variant == "plain" else None
        spec = template.formats[fmt]
        ctx = card_context(project, template, spec, language, variant, translate, place, False)
        try:
            _LAID[key] = [layout_side(side, ctx) for side in spec.sides]
        except NodkortError:
            _LAID[key] = None
    return _LAID[key]


def every_table(project: Project) -> list[tuple[str, Table, float]]:
    """(language, table, floor) of every contacts table that prints."""
    out = []
    for card, _, variant in JOBS:
        for fmt, spec in project.card(card).formats.items():
            for lang in project.languages:
                laid = laid_out(project, card, lang, fmt, variant)
                if laid is not None:
                    out += [(lang, table, spec.floor) for table in tables(project, card, lang, fmt, laid)]
    return out


def right(line: TextLine) -> float:
    last = line.glyphs[-1]
    return line.x + (last.x + last.advance) * line.size


def test_most_cards_print_their_contacts_tables(project: Project) -> None:
    found = every_table(project)
    langs = {lang for lang, _, _ in found}
    assert {"sv", "en", "ar", "fa", "th", "zh", "ti", "ru"} <= langs
    assert len(found) > 400


def test_numbers_of_a_table_share_one_right_edge(project: Project) -> None:
    bad = {}
    for lang, table, _ in every_table(project):
        edges = [right(line) for row in table.cells.values() for line in row[NUMBER]]
        assert len(edges) == len(table.cells)  # one number per row
        if max(edges) - min(edges) > EDGE:
            bad[(lang, table.where)] = edges
        x0, _, x1, _ = table.box
        expected = x0 + max(right(line) - line.x for row in table.cells.values() for line in row[NUMBER])
        # left-to-right: the box's end; right-to-left: the column at the left, as wide as its widest number
        if abs(max(edges) - (expected if table.rtl else x1)) > EDGE:
            bad[(lang, table.where)] = edges
    assert bad == {}


def _detail_style(table: Table) -> Style:
    return table.field.detail_style or table.field.style


def test_the_second_line_is_grey_smaller_and_never_under_the_floor(project: Project) -> None:
    bad = []
    seen = 0
    for lang, table, floor in every_table(project):
        detail = _detail_style(table)
        # the floor holds for the drawn size: a script set larger (fonts.toml) may shrink further in nominal size
        scale = min(
            g.face.scale for row in table.cells.values() for lines in row.values() for t in lines for g in t.glyphs
        )
        floor = floor / scale
        for row in table.cells.values():
            size = row[NAME][0].size
            grey = [line for line in row[DETAIL] if line.color == detail.color]
            notes = [line for line in row[DETAIL] if line.color != detail.color]
            seen += len(grey)
            for line in grey:
                if (
                    line.size < floor - 1e-9
                    or line.size > size
                    or line.size != detail_size(size, table.field.style, detail, floor)
                ):
                    bad.append((lang, table.where, line.size, size))
                # smaller whenever the first line is above the floor and the detail style is the smaller one
                if size > floor and detail.size < table.field.style.size and line.size >= size:
                    bad.append((lang, table.where, line.size, size))
            # what to ask for is an instruction: in the first line's style, after the grey line
            if any(n.color != table.field.style.color or n.size != size for n in notes):
                bad.append((lang, table.where, "notes"))
    assert seen > 1000 and bad == []


def test_the_templates_second_lines_are_grey_and_smaller(project: Project) -> None:
    for card in ("action", "emergency"):
        for fmt in project.card(card).formats.values():
            for side in fmt.sides:
                for contacts in (f for f in side.fields if isinstance(f, ContactsField)):
                    detail = contacts.detail_style
                    assert detail is not None and detail.color != contacts.style.color, contacts.id
                    c = detail.color
                    assert c.c == c.m == c.y == 0 and 0 < c.k < 1  # grey
                    assert fmt.floor <= detail.size <= contacts.style.size


def _texts(lines: list[TextLine]) -> list[str]:
    return ["".join(tag.text for tag in line.tags) for line in lines]


def _broken_brackets(project: Project, lang: str, lines: list[TextLine]) -> list[str]:
    """Brackets a line break falls inside although they would fit on a line of the cell (the widest one)."""
    if len(lines) < 2:
        return []
    texts = _texts(lines)
    text = "".join(texts)
    cuts = list(accumulate(len(t) for t in texts))[:-1]
    measure = max((right(line) - line.x) / line.size for line in lines)
    language = project.language(lang)
    out = []
    for a, b in bracket_spans(text):
        if any(a < cut < b for cut in cuts):
            group = shape([Span(text[a:b])], language, project.fonts)
            if group.width(0, len(group.text)) <= measure + 1e-6:
                out.append(text[a:b])
    return out


def test_no_break_inside_brackets_hours_or_kept_phrases(project: Project) -> None:
    bad = []
    for lang, table, _ in every_table(project):
        kept = project.language(lang).breaks.keep_whole
        grey = _detail_style(table).color
        for row in table.cells.values():
            for lines in (row[NAME], [line for line in row[DETAIL] if line.color == grey]):
                texts = _texts(lines)
                bad += [(lang, table.where, group) for group in _broken_brackets(project, lang, lines)]
                for upper, lower in pairwise(texts):
                    if HOURS.match(lower.lstrip()) and upper.rstrip()[-1:].isalpha():
                        bad.append((lang, table.where, upper, lower))  # a day range and its hours apart
                    if re.search(r"\d[–-]$", upper.rstrip()) or lower.lstrip()[:1] in "–-":
                        bad.append((lang, table.where, upper, lower))  # inside a range of hours
                    joined = f"{upper.rstrip()} {lower.lstrip()}".casefold()
                    for phrase in kept:
                        at = joined.find(phrase.casefold())
                        if 0 <= at < len(upper.rstrip()) < at + len(phrase):
                            bad.append((lang, table.where, upper, lower))
    assert bad == []


def test_the_bracket_check_can_fail(project: Project) -> None:
    laid = laid_out(project, "emergency", "sv", "wallet", "plain")
    assert laid is not None
    (table,) = tables(project, "emergency", "sv", "wallet", laid)
    lines = table.cells[2][DETAIL]  # "för kvinnor som utsätts för våld, och närstående" / "(dygnet runt)"
    assert _broken_brackets(project, "sv", lines) == []
    broken = [replace(lines[0], tags=(replace(lines[0].tags[0], text=_texts(lines)[0] + "(dygnet "),))]
    broken.append(replace(lines[1], tags=(replace(lines[1].tags[0], text="runt)"),)))
    assert _broken_brackets(project, "sv", broken) == ["(dygnet runt)"]


def test_nothing_leaves_the_fields_box(project: Project) -> None:
    bad = []
    for lang, table, _ in every_table(project):
        x0, y0, x1, y1 = table.box
        for row in table.cells.values():
            for line in (line for cell in row.values() for line in cell):
                top, bottom = ink(line.glyphs)
                box = (line.x, line.y - bottom * line.size, right(line), line.y + top * line.size)
                if box[0] < x0 - 1e-6 or box[1] < y0 - 1e-6 or box[2] > x1 + 1e-6 or box[3] > y1 + 1e-6:
                    bad.append((lang, table.where, _texts([line])[0]))
    assert bad == []


def test_a_second_line_names_purpose_and_hours_under_the_name(project: Project) -> None:
    laid = laid_out(project, "emergency", "sv", "wallet", "plain")
    assert laid is not None
    (table,) = tables(project, "emergency", "sv", "wallet", laid)
    rows = [(_texts(r[NAME]), _texts(r[NUMBER]), _texts(r[DETAIL])) for _, r in sorted(table.cells.items())]
    assert rows[0] == (["UD-jouren"], ["+46 8 405 50 05"], ["hjälp när du är utomlands (dygnet runt)"])
    assert rows[1] == (["Polisen, från utlandet"], ["+46 77 114 14 00"], ["dygnet runt"])
    assert rows[-1] == (["BRIS"], ["116 111"], ["för dig under 18 (dygnet runt)"])
    name, detail = table.cells[0][NAME][0], table.cells[0][DETAIL][0]
    assert name.y > detail.y and name.x == detail.x


# --- tabular figures ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["sv", "ar", "ur", "th", "am", "zh"])
def test_numbers_are_set_with_tabular_figures(project: Project, lang: str) -> None:
    para = shape([Span("+46 8 405 50 05 116 111", True)], project.language(lang), project.fonts, tabular=True)
    line = para.line(0, len(para.text))
    digits = {g.advance for g in line.glyphs if g.char.isdigit()}
    assert len(digits) == 1, lang


def test_a_face_without_tnum_centres_each_digit_in_its_widest(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    face = project.fonts.face("sans", "bold")
    assert shaping.figure_width(face) is None  # the bundled faces' digits are tabular already
    natural = shaping.shape_run(face, "1 10", 0, 4, False, "sv")
    shaping.shape_run.cache_clear()
    monkeypatch.setattr(shaping, "figure_width", lambda _: 0.7)
    padded = shaping.shape_run(face, "1 10", 0, 4, False, "sv", True)
    shaping.shape_run.cache_clear()
    assert [g[2] for g in padded] == [0.7, natural[1][2], 0.7, 0.7]
    assert padded[0][3] == pytest.approx(natural[0][3] + (0.7 - natural[0][2]) / 2)


# --- fitting ------------------------------------------------------------------------------------------------


def test_a_table_tightens_its_rows_at_the_floor_then_fails_naming_the_overflow(project: Project) -> None:
    card = project.card("emergency")
    spec = card.formats["wallet"]
    side = spec.sides[1]
    numbers = next(f for f in side.fields if isinstance(f, ContactsField))
    lang = project.language("sv")
    tr = project.translations(lang)
    ctx = card_context(project, card, spec, lang, "plain", tr.text, None, False)

    floor_style = replace(numbers.style, size=spec.floor)
    tall = replace(numbers, style=floor_style, box=replace(numbers.box, h=numbers.box.h * 3))
    designed = height_of(tall, ctx, side, floor_style.paragraph_gap)
    tightest = height_of(tall, ctx, side, numbers.min_row_gap or 0)
    assert tightest < designed - 2
    # a box the designed gap overflows even at the floor: the rows close up instead of failing
    squeezed = replace(numbers, box=replace(numbers.box, h=designed - 1))
    items, _ = contacts_field(squeezed, squeezed.box, ctx, side)
    lines = [item for item in items if isinstance(item, TextLine)]
    assert min(t.y - ink(t.glyphs)[1] * t.size for t in lines) >= squeezed.box.y - 1e-6
    # a box even the tightest gap overflows: a FitError naming the field and the missing height
    tiny = replace(numbers, box=replace(numbers.box, h=tightest - 2))
    with pytest.raises(FitError) as caught:
        contacts_field(tiny, tiny.box, ctx, side)
    message = str(caught.value)
    assert "[emergency/wallet/back/numbers] (sv): contacts need" in message
    assert f"mm of height at the {spec.floor:g} pt floor; the box has {(tightest - 2) / MM:.1f} mm" in message


def height_of(field: ContactsField, ctx: Context, side: Side, gap: float) -> float:
    """The ink height of a field's table laid out in its box at its style's size with row gap `gap`."""
    items, _ = contacts_field(replace(field, style=replace(field.style, paragraph_gap=gap)), field.box, ctx, side)
    lines = [item for item in items if isinstance(item, TextLine)]
    return max(t.y + ink(t.glyphs)[0] * t.size for t in lines) - min(t.y - ink(t.glyphs)[1] * t.size for t in lines)


def test_chinese_sets_the_hours_in_full_width_brackets(project: Project) -> None:
    laid = laid_out(project, "emergency", "zh", "wallet", "plain")
    assert laid is not None
    (table,) = tables(project, "emergency", "zh", "wallet", laid)
    details = ["".join(_texts(row[DETAIL])) for _, row in sorted(table.cells.items())]
    assert details[-1].endswith("（全天候）") and " (" not in "".join(details)
