"""Imposed sheets: grids, marks, duplex backs and the slug line, as geometry and as the printed PDF."""

from __future__ import annotations

import re
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from conftest import ROOT, Run, decode_qr, page_count, page_size_mm, page_text, render_pdf
from helpers import WALLET, Box4, card_boxes
from nodkort.errors import PaperError, UsageError
from nodkort.impose.grid import SLUG_SIZE, Grid, plan
from nodkort.impose.imposition import Run as CardRun
from nodkort.impose.imposition import impose
from nodkort.impose.marks import PageSetup
from nodkort.impose.paper import Paper, paper
from nodkort.layout.side import LaidSide
from nodkort.model import MM
from nodkort.project import Project

FOLDED = (254.8 * MM, 53.98 * MM)
TOLERANCE = 0.1 * MM


def overlaps(a: Box4, b: Box4) -> bool:
    """Open rectangles intersect (touching edges, as butted cards do, is not an overlap)."""
    eps = 1e-6
    return a[0] < b[2] - eps and b[0] < a[2] - eps and a[1] < b[3] - eps and b[1] < a[3] - eps


def bleed_box(grid: Grid, index: int) -> Box4:
    s = grid.slot(index)
    b = grid.bleed
    return (s.x - b, s.y - b, s.right + b, s.top + b)


# --- papers and grids ---------------------------------------------------------------------------------


def test_paper_names_and_sizes() -> None:
    assert (round(paper("a4").width / MM), round(paper("A4").height / MM)) == (210, 297)
    assert (round(paper("SRA3").width / MM), round(paper("sra3").height / MM)) == (320, 450)
    custom = paper("330 × 488 mm")
    assert (round(custom.width / MM), round(custom.height / MM)) == (330, 488)
    assert round(paper("330x487,5").height / MM, 1) == 487.5
    # The names print shops use besides A4 and SRA3: A5, A3 and US Letter (8.5 × 11 in).
    sizes = {name: (round(paper(name).width / MM, 1), round(paper(name).height / MM, 1)) for name in ("a5", "A3")}
    assert sizes == {"a5": (148.0, 210.0), "A3": (297.0, 420.0)}
    assert (paper("letter").name, round(paper("Letter").width / MM, 1), round(paper("LETTER").height / MM, 1)) == (
        "Letter",
        215.9,
        279.4,
    )
    for bad in ("B5", "legal", "0x100", "100x"):
        with pytest.raises(UsageError, match=r"unknown paper .* use A4, A5, A3, SRA3, Letter or WIDTHxHEIGHT"):
            paper(bad)


@pytest.mark.parametrize(
    ("name", "card", "bleed_mm", "expected"),
    [
        ("A4", WALLET, 0, (595.28, 841.89, 2, 5)),  # butted 10-up, as tech.md §5 counts
        ("A4", WALLET, 3, (841.89, 595.28, 3, 3)),  # with gutters landscape holds 9, portrait 8
        ("SRA3", WALLET, 0, (1275.59, 907.09, 5, 5)),
        ("SRA3", WALLET, 3, (907.09, 1275.59, 3, 7)),
        ("A4", FOLDED, 0, (841.89, 595.28, 1, 3)),  # the folded card only fits across a landscape sheet
        ("A3", FOLDED, 3, (841.89, 1190.55, 1, 6)),
    ],
)
def test_the_orientation_that_holds_most_cards(
    name: str, card: tuple[float, float], bleed_mm: float, expected: tuple[float, float, int, int]
) -> None:
    grid = plan(paper(name), *card, bleed_mm * MM, "test")
    assert (round(grid.width, 2), round(grid.height, 2), grid.cols, grid.rows) == expected


def test_a_paper_too_small_for_one_card_names_the_size_it_needs() -> None:
    with pytest.raises(PaperError) as caught:
        plan(paper("90x60"), *WALLET, 0, "emergency/wallet")
    message = caught.value.message
    assert "the emergency/wallet card (85.60 × 53.98 mm, bleed 0 mm) does not fit on 90 × 60 mm" in message
    assert "use paper of at least 104 × 76 mm" in message


# --- geometry, for any paper, card and bleed ------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(
    paper_w=st.floats(60, 700),
    paper_h=st.floats(60, 700),
    card_w=st.floats(20, 300),
    card_h=st.floats(20, 200),
    bleed=st.sampled_from([0.0, 1.0, 2.0, 3.0, 5.0]),
)
def test_slots_marks_and_slug_never_collide(
    paper_w: float, paper_h: float, card_w: float, card_h: float, bleed: float
) -> None:
    sheet = Paper("test", paper_w * MM, paper_h * MM)
    try:
        grid = plan(sheet, card_w * MM, card_h * MM, bleed * MM, "test")
    except PaperError:
        assume(False)
        return
    boxes = [bleed_box(grid, i) for i in range(grid.per_sheet)]
    # Slots never overlap, bleed included, and stay on the sheet with room for the marks.
    room = PageSetup(grid.bleed, True).margin() - grid.bleed - 1e-6
    for i, a in enumerate(boxes):
        assert a[0] >= room and a[1] >= room and a[2] <= grid.width - room and a[3] <= grid.height - room
        for b in boxes[i + 1 :]:
            assert not overlaps(a, b)
    # Every crop mark is on the sheet and outside every card's bleed, neighbours included.
    for m in grid.crop_marks():
        line = (min(m.x0, m.x1), min(m.y0, m.y1), max(m.x0, m.x1), max(m.y0, m.y1))
        assert line[0] >= 0 and line[2] <= grid.width and line[1] >= 0 and line[3] <= grid.height
        for box in boxes:
            assert not overlaps((line[0] - 0.01, line[1] - 0.01, line[2] + 0.01, line[3] + 0.01), box)
    # The slug line sits outside the trim of every card and on the sheet.
    x, y, angle = grid.slug_origin()
    slug = (
        (x, y - 0.3 * SLUG_SIZE, x + 10, y + SLUG_SIZE)
        if angle == 0
        else (x - SLUG_SIZE, y, x + 0.3 * SLUG_SIZE, y + 10)
    )
    assert slug[0] >= 0 and slug[1] >= 0
    for box in boxes:
        assert not overlaps(slug, box)


@settings(max_examples=100, deadline=None)
@given(
    paper_w=st.floats(100, 700),
    paper_h=st.floats(100, 700),
    card_w=st.floats(30, 260),
    card_h=st.floats(30, 160),
    bleed=st.sampled_from([0.0, 3.0]),
    flip=st.sampled_from(["long", "short"]),
)
def test_every_back_lands_behind_its_front(
    paper_w: float, paper_h: float, card_w: float, card_h: float, bleed: float, flip: str
) -> None:
    """Turn the sheet over (about its long or short edge): each point of a front must have behind it the
    point of the same card's back that the card itself has behind it when turned like a page: (w - u, v)."""
    try:
        grid = plan(Paper("test", paper_w * MM, paper_h * MM), card_w * MM, card_h * MM, bleed * MM, "test")
    except PaperError:
        assume(False)
        return
    w, h = grid.card_w, grid.card_h
    long_edge_vertical = grid.height >= grid.width
    vertical = long_edge_vertical if flip == "long" else not long_edge_vertical
    backs = []
    for index in range(grid.per_sheet):
        front = grid.slot(index)
        back, rotated = grid.back(index, flip)  # type: ignore[arg-type]
        backs.append((back.x, back.y, back.right, back.top))
        for u, v in ((0.0, 0.0), (w, 0.0), (w / 3, h), (w / 2, h / 4)):
            px, py = front.x + u, front.y + v
            qx, qy = (grid.width - px, py) if vertical else (px, grid.height - py)  # the same spot, from behind
            # Where that spot falls in the back side's own drawing (undo the placement of its form).
            bu, bv = (back.right - qx, back.top - qy) if rotated else (qx - back.x, qy - back.y)
            assert abs(bu - (w - u)) < TOLERANCE and abs(bv - v) < TOLERANCE
    for i, a in enumerate(backs):
        for b in backs[i + 1 :]:
            assert not overlaps(a, b)


def test_the_last_sheet_carries_only_what_was_ordered_unless_filled(project: Project) -> None:
    from nodkort.model import Job
    from nodkort.pipeline import lay_out

    laid = lay_out(project, Job("emergency", "sv"))
    run = CardRun("r0", laid.sides, None, 13, "test", "emergency/wallet")
    font = project.fonts.face("sans")
    exact = impose([(run, paper("A4"))], 0, "long", False, font)
    pages = list(exact.pages())
    side = re.compile(r"r0-s\d+$")
    assert [sum(1 for p in page.placements if side.match(p.form)) for page in pages] == [10, 10, 3, 3]
    filled = impose([(run, paper("A4"))], 0, "long", True, font)
    assert [sum(1 for p in page.placements if side.match(p.form)) for page in filled.pages()] == [10] * 4
    assert filled.plans[0].count == 20


# --- the printed sheet --------------------------------------------------------------------------------


def mark_lines(pdf: bytes, page: int) -> list[Box4]:
    """Bounds of every stroke of the marks form: the first form on a page, placed at the page's origin."""
    doc = pdfium.PdfDocument(pdf)
    try:
        lines: list[Box4] = []
        top_level = -1
        for obj in doc[page].get_objects(max_depth=2):
            if obj.level == 0:
                top_level += 1
            elif top_level == 0 and obj.type == pdfium_c.FPDF_PAGEOBJ_PATH:
                left, bottom, right, top = obj.get_bounds()
                lines.append((left, bottom, right, top))
        return lines
    finally:
        doc.close()


@pytest.fixture(scope="module")
def sheet13(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """13 wallet cards on A4: a full sheet of ten and a last sheet of three."""
    from click.testing import CliRunner

    from nodkort.cli import cli

    out = tmp_path_factory.mktemp("sheet") / "sv-13.pdf"
    result = CliRunner().invoke(
        cli,
        ["--data", str(ROOT), "sheet", "emergency", "--lang", "sv", "--count", "13", "-o", str(out)],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert "13 cards, 10-up (2×5) on A4, 2 sheets, 4 pages" in result.output
    return out.read_bytes()


def test_sheet_pages_size_and_counts(sheet13: bytes) -> None:
    assert page_count(sheet13) == 4
    assert [round(v) for v in page_size_mm(sheet13, 0)] == [210, 297]
    assert [len(card_boxes(sheet13, p, WALLET)) for p in range(4)] == [10, 10, 3, 3]


def test_sheet_backs_align_with_fronts_within_a_tenth_of_a_millimetre(sheet13: bytes) -> None:
    width = page_size_mm(sheet13, 0)[0] * MM
    for front_page in (0, 2):
        fronts = card_boxes(sheet13, front_page, WALLET)
        backs = [box for box, _ in card_boxes(sheet13, front_page + 1, WALLET)]
        assert len(fronts) == len(backs)
        for (x0, y0, x1, y1), rotated in fronts:
            assert not rotated
            mirrored = (width - x1, y0, width - x0, y1)  # A4 portrait turned about its long edge
            assert any(all(abs(a - b) < TOLERANCE for a, b in zip(mirrored, back, strict=True)) for back in backs)


def test_every_qr_on_a_sheet_decodes(project: Project, sheet13: bytes) -> None:
    single = render_pdf(project, card="emergency", lang="sv")
    expected = decode_qr(single, 1)
    assert expected, "the wallet card's back carries a QR code"
    found = decode_qr(sheet13, 1, dpi=200)
    assert len(found) == 10 * len(expected)
    assert set(found) == set(expected)
    assert len(decode_qr(sheet13, 3, dpi=200)) == 3 * len(expected)


def test_slug_line_names_card_language_data_and_sheet(sheet13: bytes) -> None:
    first, last_back = page_text(sheet13, 0), page_text(sheet13, 3)
    assert re.search(
        r"emergency v\d{4}\.\d+ · sv · data [0-9a-f]{10} · duplex: flip on long edge · sheet 1/2 front", first
    )
    assert "sheet 2/2 back" in last_back
    # Outside the trim: every slug character lies below the block of cards.
    doc = pdfium.PdfDocument(sheet13)
    try:
        text = doc[0].get_textpage()
        slug_at = page_text(sheet13, 0).index("emergency v")
        bottom_of_cards = min(box[1] for box, _ in card_boxes(sheet13, 0, WALLET))
        for i in range(slug_at, slug_at + 20):
            assert text.get_charbox(i)[3] < bottom_of_cards
        text.close()
    finally:
        doc.close()


def test_crop_marks_stay_outside_every_bleed(tmp_path: Path, run: Run) -> None:
    out = tmp_path / "bleed.pdf"
    result = run("sheet", "emergency", "--count", "9", "--bleed", "3", "-o", str(out))
    assert result.exit_code == 0, result.output
    pdf = out.read_bytes()
    bleed = 3 * MM
    cards = [(x0 - bleed, y0 - bleed, x1 + bleed, y1 + bleed) for (x0, y0, x1, y1), _ in card_boxes(pdf, 0, WALLET)]
    marks = mark_lines(pdf, 0)
    assert len(cards) == 9 and len(marks) >= 4 * 6
    for mark in marks:
        for card in cards:
            assert not overlaps(mark, card)


def test_two_runs_give_the_same_bytes(tmp_path: Path, run: Run) -> None:
    outputs = []
    for name in ("a.pdf", "b.pdf"):
        result = run("sheet", "emergency", "--count", "25", "--paper", "SRA3", "-o", str(tmp_path / name))
        assert result.exit_code == 0, result.output
        outputs.append((tmp_path / name).read_bytes())
    assert outputs[0] == outputs[1]


def test_folded_card_imposes_with_fold_marks(tmp_path: Path, run: Run) -> None:
    out = tmp_path / "folded.pdf"
    result = run("sheet", "emergency", "--format", "folded", "--count", "7", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "3-up (1×3) on A4, 3 sheets" in result.output
    pdf = out.read_bytes()
    assert [round(v) for v in page_size_mm(pdf, 0)] == [297, 210]
    assert [len(card_boxes(pdf, p, FOLDED)) for p in range(6)] == [3, 3, 3, 3, 1, 1]
    # Two folds, each marked above and below the block, besides the crop marks.
    strokes = mark_lines(pdf, 0)
    crop = len(plan(paper("A4"), *FOLDED, 0, "t").crop_marks())
    assert len(strokes) == crop + 2 * 2


def test_discreet_sheet_says_nothing_of_its_subject(tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("sheet", "emergency", "--discreet", "--count", "4")
    assert result.exit_code == 0, result.output
    pdf = (tmp_path / "kort-sv-4.pdf").read_bytes()
    doc = pdfium.PdfDocument(pdf)
    meta = " ".join(doc.get_metadata_dict().values()).lower()
    doc.close()
    slug = page_text(pdf, 0)[page_text(pdf, 0).index("kort-sv") :]
    for word in ("emergency", "nödkort", "gift", "tvång", "forced"):
        assert word not in meta
        assert word not in slug.lower()


def test_unreviewed_language_needs_draft_and_is_watermarked(tmp_path: Path, run: Run, data_copy: Path) -> None:
    po = data_copy / "locales" / "en" / "LC_MESSAGES" / "nodkort.po"
    text = po.read_text(encoding="utf-8")
    head, body = text.split("\n\n", 1)
    po.write_text(head + "\n\n" + re.sub(r"(?m)^msgctxt ", "#, fuzzy\nmsgctxt ", body), encoding="utf-8")
    refused = run("sheet", "emergency", "--lang", "en", "--count", "3", "-o", str(tmp_path / "x.pdf"), data=data_copy)
    assert refused.exit_code == 1
    assert "English (en) is not reviewed" in refused.output
    assert not (tmp_path / "x.pdf").exists()
    draft = run(
        "sheet",
        "emergency",
        "--lang",
        "en",
        "--draft",
        "--count",
        "3",
        "-o",
        str(tmp_path / "d.pdf"),
        data=data_copy,
    )
    assert draft.exit_code == 0, draft.output
    assert "UTKAST" in page_text((tmp_path / "d.pdf").read_bytes(), 0)


def test_paper_too_small_is_bad_usage_exits_2_and_writes_nothing(tmp_path: Path, run: Run) -> None:
    result = run("sheet", "emergency", "--count", "3", "--paper", "90x60", "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code == 2
    assert result.output == (
        "Error: [--paper 90x60]: the emergency/wallet card (85.60 × 53.98 mm, bleed 0 mm) does not fit on 90 × 60 mm "
        "with room for its crop marks and slug line — use paper of at least 104 × 76 mm (A4, A3 or SRA3, or "
        "--paper WIDTHxHEIGHT)\n"
    )
    assert not list(tmp_path.iterdir())


def test_sides_are_laid_out_once(project: Project) -> None:
    """Time and size grow with sheets, not drawing: one form per distinct side, whatever the count."""
    from nodkort.model import Job
    from nodkort.pipeline import lay_out

    laid = lay_out(project, Job("emergency", "sv"))
    sides: tuple[LaidSide, ...] = laid.sides
    face = project.fonts.face("sans")
    big = impose([(CardRun("r0", sides, None, 5000, "t", "e"), paper("A4"))], 0, "long", False, face)
    assert len(big.forms()) == len(sides)
    assert big.sheets == 500
