"""Blocks and columns: space follows the content, blocks never touch, the stamp stands apart, the issuer is named."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from conftest import Run, page_text, render_pdf
from geometry import column_blocks, largest_band, outside_safe, too_close
from nodkort.errors import FitError
from nodkort.layout.primitives import QrCode, Shape, TextLine
from nodkort.layout.side import LaidCard
from nodkort.model import MM, Box, Cmyk, Job
from nodkort.pipeline import lay_out
from nodkort.project import DataDir, Project

# Every card in every language it can be drafted in: the action card for a municipality with every draft.
LOCAL = {"action": "Västerås", "emergency": None}
ISSUER = "Länsstyrelsen Västmanland"


def _front_area(laid: LaidCard) -> Box:
    """The emergency card's front: the column its question and 112 stack in, from safe edge to safe edge."""
    fmt = laid.format
    column = next(c for side in fmt.sides for c in side.columns if c.id in ("main", "front"))
    box = column.box.mirrored(fmt.width) if laid.language.direction == "rtl" else column.box
    return Box(box.x, fmt.safe, box.w, fmt.height - 2 * fmt.safe)


def _cards(project: Project) -> list[tuple[str, str, str]]:
    return [
        (card, fmt, lang) for card in LOCAL for fmt in project.card(card).formats for lang in sorted(project.languages)
    ]


def test_every_card_language_and_format_keeps_blocks_apart_inside_the_safe_area(project: Project) -> None:
    problems = []
    fronts = 0
    for card, fmt, lang in _cards(project):
        laid = lay_out(project, Job(card, lang, fmt, draft=lang != "sv", municipality=LOCAL[card]))
        for side in laid.sides:
            for a, b, distance in too_close(side, laid.format.gap):
                problems.append(f"{card}/{fmt}/{side.name}/{lang}: {a} and {b} {distance} mm apart")
            for text in outside_safe(side, laid.format.safe):
                problems.append(f"{card}/{fmt}/{side.name}/{lang}: {text!r} outside the safe area")
        if card == "emergency":
            fronts += 1
            band = largest_band(laid.sides[0], _front_area(laid))
            if band > laid.format.max_gap + 0.05 * MM:
                problems.append(f"{card}/{fmt}/{lang}: an empty band of {band / MM:.1f} mm on the front")
    assert fronts == 3 * len(project.languages)
    assert problems == []


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("fmt", ["wallet", "folded", "large"])
def test_the_discreet_front_has_no_dead_band_either(project: Project, fmt: str, lang: str) -> None:
    laid = lay_out(project, Job("emergency", lang, fmt, variant="discreet", draft=lang != "sv"))
    assert largest_band(laid.sides[0], _front_area(laid)) <= laid.format.max_gap + 0.05 * MM
    for side in laid.sides:
        assert too_close(side, laid.format.gap) == []


def test_the_wallet_front_stacks_question_law_112_and_issuer_with_even_gaps(project: Project) -> None:
    laid = lay_out(project, Job("emergency", "sv", "wallet"))
    blocks = column_blocks(laid.sides[0], "main")
    assert [b.field for b in blocks] == ["question", "law", "emergency", "issuer"]
    gaps = [upper.box.y - lower.box.top for upper, lower in itertools.pairwise(blocks)]
    assert min(gaps) >= laid.format.gap - 1e-6
    assert max(gaps) - min(gaps) < 0.01  # spare = "spread": every gap the same
    # the column is filled: the last block ends at the column's foot, the first starts at its top
    column = laid.format.sides[0].columns[0].box
    assert blocks[0].box.top == pytest.approx(column.top, abs=0.01)
    assert blocks[-1].box.y == pytest.approx(column.y, abs=0.01)
    # text grew to fill it: the question is set larger than its style's 8.5 pt
    question = [i for i in laid.sides[0].items if isinstance(i, TextLine) and i.tags and i.tags[0].field == "question"]
    assert question[0].size > 8.5


def test_the_stamp_stands_at_the_foot_in_grey_clear_of_every_block(project: Project) -> None:
    for fmt in ("wallet", "folded", "large"):
        laid = lay_out(project, Job("emergency", "sv", fmt))
        side = next(s for s in laid.sides if any(b.kind == "stamp" for b in s.blocks))
        stamp = next(b for b in side.blocks if b.kind == "stamp")
        assert stamp.box.y < laid.format.safe + 1.5 * MM, fmt  # at the foot of its side
        others = [b for b in side.blocks if b.prints_text and b is not stamp]
        nearest = min(
            max(o.box.y - stamp.box.top, stamp.box.y - o.box.top, o.box.x - stamp.box.right, stamp.box.x - o.box.right)
            for o in others
        )
        assert nearest >= laid.format.gap - 1e-6, fmt
        lines = [i for i in side.items if isinstance(i, TextLine) and not i.tags and i.y < stamp.box.top]
        assert {line.color for line in lines} == {Cmyk(0, 0, 0, 0.58)}


def test_plain_cards_name_their_issuer_and_discreet_cards_do_not(project: Project) -> None:
    for fmt in ("wallet", "folded", "large"):
        plain = page_text(render_pdf(project, card="emergency", lang="sv", format=fmt), 0)
        assert ISSUER in plain
        discreet = page_text(render_pdf(project, card="emergency", lang="sv", format=fmt, variant="discreet"))
        assert "Länsstyrelsen" not in discreet and "Västmanland" not in discreet
    for fmt in ("folded", "large"):  # the action card: on its cover, under 112
        cover = page_text(render_pdf(project, card="action", lang="sv", format=fmt, municipality="Sala"), 0)
        assert cover.rstrip().endswith(ISSUER)


def test_the_issuer_stands_on_the_start_side_in_every_direction(project: Project) -> None:
    for lang, start_left in (("sv", True), ("ar", False)):
        laid = lay_out(project, Job("emergency", lang, "wallet", draft=lang != "sv"))
        issuer = next(b for b in laid.sides[0].blocks if b.field == "issuer")
        column = laid.format.sides[0].columns[0].box
        column = column if start_left else column.mirrored(laid.format.width)
        if start_left:
            assert issuer.box.x == pytest.approx(column.x, abs=0.5)
        else:
            assert issuer.box.right == pytest.approx(column.right, abs=0.5)


SVG = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 20 10">
  <title>Testlogo</title>
  <rect x="0" y="0" width="10" height="10" fill="#006d77"/>
  <g fill="#f00"><circle cx="15" cy="5" r="4"/></g>
  <path d="M 12 0 L 20 0 L 20 2 Z" fill="none"/>
  <path d="m 11 9 h 9 v 1 h -9 z"/>
</svg>
"""


def _with_logo(
    data_copy: Path, svg: str, licence: str = 'logo_licence = "Made for this test: no rights reserved."\n'
) -> Path:
    (data_copy / "cards" / "regions" / "logo.svg").write_text(svg, encoding="utf-8")
    region = data_copy / "cards" / "regions" / "vastmanland.toml"
    text = region.read_text(encoding="utf-8")
    region.write_text(
        text.replace('issuer = "Länsstyrelsen Västmanland"\n', f'issuer = "{ISSUER}"\nlogo = "logo.svg"\n{licence}'),
        encoding="utf-8",
    )
    return region


def test_a_logo_in_the_region_data_is_drawn_beside_the_issuer_as_vectors(data_copy: Path) -> None:
    _with_logo(data_copy, SVG)
    project = Project(DataDir.locate(data_copy))
    for lang, left in (("sv", True), ("ar", False)):
        laid = lay_out(project, Job("emergency", lang, "wallet", draft=lang != "sv"))
        shapes = [i for i in laid.sides[0].items if isinstance(i, Shape)]
        # the rect, the circle and the straight-line path; the path with fill="none" draws nothing
        assert len(shapes) == 3
        # #006d77 by the plain device formula: k = 1 - max(r, g, b), each ink (1 - channel - k) / (1 - k)
        teal = shapes[0].color
        assert (teal.c, round(teal.m, 3), teal.y, round(teal.k, 3)) == (1.0, 0.084, 0.0, 0.533)
        assert shapes[1].color == Cmyk(0, 1, 1, 0)  # the circle takes its group's fill (red)
        assert shapes[2].color == Cmyk(0, 0, 0, 1)  # no fill anywhere: black, as SVG draws it
        xs = [x for shape in shapes for poly in shape.polygons for x, _ in poly]
        height = max(y for s in shapes for p in s.polygons for _, y in p) - min(
            y for s in shapes for p in s.polygons for _, y in p
        )
        assert height == pytest.approx(5 * MM, abs=0.01)  # logo_mm = 5 on the wallet front
        name = next(b for b in laid.sides[0].blocks if b.field == "issuer")
        if left:
            assert min(xs) == pytest.approx(4 * MM, abs=0.01)
        else:
            assert max(xs) == pytest.approx((85.6 - 4) * MM, abs=0.01)
        assert name.box.h >= 5 * MM - 0.01  # the block holds the logo and the name beside it
    discreet = lay_out(project, Job("emergency", "sv", "wallet", variant="discreet"))
    assert not [i for side in discreet.sides for i in side.items if isinstance(i, Shape)]


def test_a_logo_outside_the_subset_is_refused_naming_the_file_and_what_to_do(run: Run, data_copy: Path) -> None:
    region = _with_logo(data_copy, SVG.replace('d="m 11 9 h 9 v 1 h -9 z"', 'd="M 12 0 C 20 0 20 2 12 2 Z"'))
    result = run("render", "emergency", data=data_copy)
    assert result.exit_code == 1
    line = region.read_text(encoding="utf-8").splitlines().index('logo = "logo.svg"') + 1
    assert result.stderr.startswith(
        f"Error: {region}:{line} [region.logo]: logo.svg: the logo uses a curve in a <path> (convert curves to "
        "straight segments) — save it as plain filled shapes"
    )


def test_a_column_that_cannot_fit_at_the_floor_names_its_blocks_and_the_overflow(data_copy: Path) -> None:
    template = data_copy / "cards" / "emergency.toml"
    text = template.read_text(encoding="utf-8")
    template.write_text(
        text.replace('{ id = "main", box = [4, 5.5, 77.6, 46]', '{ id = "main", box = [4, 5.5, 77.6, 20]'),
        encoding="utf-8",
    )
    project = Project(DataDir.locate(data_copy))
    with pytest.raises(FitError) as caught:
        lay_out(project, Job("emergency", "sv", "wallet"))
    lines = text.splitlines()
    start = lines.index("[formats.wallet]")
    message = str(caught.value)
    assert message.startswith("3 problems:")  # the three texts of the column: any may be the one to shorten
    for field in ("question", "law", "emergency"):
        line = lines.index(f'id = "{field}"', start) + 1
        assert f"{template}:{line} [emergency/wallet/front/{field}] (sv): the blocks of column 'main' " in message
    assert "(question, law, emergency, issuer) need " in message
    assert "at the 6.5 pt floor with 2.5 mm gaps; the column has 20.0 mm (overflow " in message


@pytest.mark.parametrize("spare", ["spread", "foot", "end"])
def test_spare_space_goes_where_the_column_says(data_copy: Path, spare: str) -> None:
    template = data_copy / "cards" / "emergency.toml"
    text = template.read_text(encoding="utf-8")
    old = '{ id = "main", box = [4, 5.5, 77.6, 46], spare = "spread", grow = 2 }'
    template.write_text(text.replace(old, f'{{ id = "main", box = [4, 5.5, 77.6, 46], spare = "{spare}" }}'), "utf-8")
    laid = lay_out(Project(DataDir.locate(data_copy)), Job("emergency", "sv", "wallet"))
    question, law, emergency, issuer = column_blocks(laid.sides[0], "main")
    column, gap = laid.format.sides[0].columns[0].box, laid.format.gap
    gaps = [question.box.y - law.box.top, law.box.y - emergency.box.top, emergency.box.y - issuer.box.top]
    assert question.box.top == pytest.approx(column.top, abs=0.01)
    if spare == "end":  # together at the top, the space below the last block
        assert gaps == pytest.approx([gap] * 3, abs=0.01)
        assert issuer.box.y - column.y > 5 * MM
    elif spare == "foot":  # 112 and the issuer (foot = true) at the foot, the space above them
        assert (gaps[0], gaps[2]) == pytest.approx((gap, gap), abs=0.01)
        assert gaps[1] > 5 * MM
        assert issuer.box.y == pytest.approx(column.y, abs=0.01)
    else:
        assert gaps == pytest.approx([gaps[0]] * 3, abs=0.01) and gaps[0] > gap
        assert issuer.box.y == pytest.approx(column.y, abs=0.01)


def test_a_code_in_a_column_takes_the_room_its_blocks_leave_before_any_text_shrinks(data_copy: Path) -> None:
    template = data_copy / "cards" / "action.toml"
    text = template.read_text(encoding="utf-8")
    project = Project(DataDir.locate(data_copy))
    job = Job("action", "sv", "folded", municipality="Västerås")
    wide = lay_out(project, job)
    old = '{ id = "back", box = [76, 4, 66, 97], spare = "foot" }'
    template.write_text(text.replace(old, '{ id = "back", box = [76, 4, 66, 70], spare = "foot" }'), "utf-8")
    short = lay_out(Project(DataDir.locate(data_copy)), job)

    def code(laid: LaidCard) -> QrCode:
        return next(i for i in laid.sides[0].items if isinstance(i, QrCode) and i.field == "qr")

    def sizes(laid: LaidCard) -> list[float]:
        return [i.size for i in laid.sides[0].items if isinstance(i, TextLine)]

    assert code(wide).module == pytest.approx(1.2 * MM)  # the template's module where there is room for it
    assert 0.5 * MM <= code(short).module < 0.9 * MM  # smaller, and never under the preferred 0.5 mm
    assert code(short).matrix == code(wide).matrix
    assert sizes(short) == sizes(wide)  # every text keeps its size: the code gave way
    blocks = column_blocks(short.sides[0], "back")
    column = next(c for c in short.format.sides[0].columns if c.id == "back").box
    assert blocks[-1].box.y >= column.y - 0.01 and blocks[0].box.top <= column.top + 0.01
    assert all(a.box.y - b.box.top >= 2 * MM - 0.01 for a, b in itertools.pairwise(blocks))


def test_a_table_in_a_column_closes_its_rows_up_at_the_floor_before_the_column_overflows(data_copy: Path) -> None:
    template = data_copy / "cards" / "emergency.toml"
    text = template.read_text(encoding="utf-8")
    old = '{ id = "cover", box = [86.6, 2, 46.8, 49.98]'
    job = Job("emergency", "sv", "folded", variant="discreet")

    def rows(height: float) -> tuple[set[float], list[float]]:
        template.write_text(text.replace(old, f'{{ id = "cover", box = [86.6, 2, 46.8, {height}]'), "utf-8")
        side = lay_out(Project(DataDir.locate(data_copy)), job).sides[0]
        lines = [i for i in side.items if isinstance(i, TextLine) and i.tags and i.tags[0].field == "numbers"]
        names = [i for i in lines if i.tags[0].path[-1] == ("TD", 0)]  # the name lines of every row
        firsts = [a for a, b in itertools.pairwise(names) if a.tags[0].path != b.tags[0].path] + names[-1:]  # last
        return {i.size for i in lines}, [round((a.y - b.y) / MM, 2) for a, b in itertools.pairwise(firsts)]

    sizes, designed = rows(44)  # at the floor with the rows as far apart as the style says
    assert sizes == {6.5}
    sizes, closer = rows(42)  # 2 mm less: the rows close up towards min_row_gap, the type stays at the floor
    assert sizes == {6.5}
    assert len(closer) == len(designed) == 6
    assert all(c < d for c, d in zip(closer, designed, strict=True))
    with pytest.raises(FitError, match="column 'cover'"):
        rows(38)  # closer than min_row_gap they never come: the column overflows, named
