"""Type tuned per script: the size and leading factors of fonts/fonts.toml as the PDF draws them, the legibility
floor applied to the drawn size, Urdu in Nastaliq, Chinese in a real bold face with the Simplified Chinese
punctuation forms and one bracket width.

Sizes are read back from the PDF with pdfium, fonts with poppler's pdffonts, and Chinese punctuation is checked
twice: against the font's own `locl` substitution for Simplified Chinese, and by where the glyph's ink sits.
"""

from __future__ import annotations

import ctypes
import re
import subprocess
import tomllib
import zlib
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from fontTools.ttLib import TTFont

from conftest import Run, page_text, render_pdf
from geometry import glyph_boxes, ink_meets
from helpers import lay_text
from nodkort.errors import FitError
from nodkort.layout.primitives import TextLine
from nodkort.layout.watermark import watermark
from nodkort.model import MM, Box, Job, Style, TextField
from nodkort.pipeline import lay_out
from nodkort.project import Project
from nodkort.text.paragraph import Span, shape
from nodkort.text.shaping import clearance, hb_language

ROOT = Path(__file__).resolve().parents[1]
FAMILIES = tomllib.loads((ROOT / "fonts" / "fonts.toml").read_text(encoding="utf-8"))["families"]
# The languages whose first family is set larger than Latin, and that family.
FACTORED = {"ar": "arabic", "ckb": "arabic", "ps": "arabic", "ti": "ethiopic", "am": "ethiopic", "th": "thai"}


def _objects(pdf: bytes) -> list[tuple[str, float]]:
    """(base font name without its subset tag, font size) of every text object on every page."""
    out = []
    doc = pdfium.PdfDocument(pdf)
    try:
        for page in doc:
            for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT]):
                name = ctypes.create_string_buffer(256)
                pdfium_c.FPDFFont_GetBaseFontName(pdfium_c.FPDFTextObj_GetFont(obj.raw), name, 256)
                out.append((name.value.decode().split("+")[-1], round(obj.get_font_size(), 2)))
    finally:
        doc.close()
    return out


@pytest.mark.parametrize("family", ["arabic", "ethiopic", "thai"])
def test_arabic_ethiopic_and_thai_are_set_10_to_15_percent_larger_with_more_leading(family: str) -> None:
    size, leading = FAMILIES[family]["size"], FAMILIES[family]["leading"]
    assert 1.10 <= size <= 1.15
    assert leading >= size  # lines move apart at least as much as the letters grow: more room for marks


@pytest.mark.parametrize("code", FACTORED)
def test_the_factored_size_is_what_the_page_draws(project: Project, code: str) -> None:
    family = FACTORED[code]
    factor = FAMILIES[family]["size"]
    card = lay_out(project, Job("emergency", code, "wallet", draft=True))
    lines = [item for side in card.sides for item in side.items if isinstance(item, TextLine)]
    lines += watermark(project.language("sv"), card, project.fonts).lines  # a draft: the watermark is drawn too
    # What layout set (nominal sizes of lines in the family), times fonts.toml's factor ...
    expected = {round(line.size * factor, 2) for line in lines if any(g.face.family == family for g in line.glyphs)}
    # ... is what the PDF says, read back by pdfium, for the family's embedded faces.
    names = {project.fonts.face(family, weight).ttf.face.name.decode() for weight in ("regular", "bold")}
    pdf = render_pdf(project, card="emergency", lang=code, draft=True)
    drawn = {size for name, size in _objects(pdf) if name in names}
    # the PDF writes a size with its own rounding: equal within a hundredth of a point, both ways
    assert all(any(abs(d - e) <= 0.011 for e in expected) for d in drawn), (drawn, expected)
    assert all(any(abs(d - e) <= 0.011 for d in drawn) for e in expected), (drawn, expected)
    assert len(drawn) >= 3


@pytest.mark.parametrize("code", [*FACTORED, "ur"])
def test_every_glyph_is_drawn_at_or_above_the_floor(project: Project, code: str) -> None:
    """The floor holds for the drawn size: a factor lets nominal sizes go under it, never the drawn ones."""
    below_nominal = False
    for card_id, extra in (("emergency", {}), ("action", {"municipality": "Västerås"})):
        for fmt in project.card(card_id).formats.values():
            card = lay_out(project, Job(card_id, code, fmt.name, draft=True, **extra))  # type: ignore[arg-type]
            for side in card.sides:
                for item in side.items:
                    if not isinstance(item, TextLine):
                        continue
                    drawn = min(item.size * g.face.scale for g in item.glyphs)
                    assert drawn >= fmt.floor - 1e-6, (card_id, fmt.name, item.size)
                    below_nominal |= item.size < fmt.floor - 1e-6
    # The factor is used: Sorani's fullest fields shrink to a nominal size under the floor, drawn at the floor.
    if code == "ckb":
        assert below_nominal


ARABIC = "إذا كنت في خطر فاتصل بالشرطة على الفور. يمكنك أيضاً الاتصال بالخدمات الاجتماعية في أي وقت من اليوم."


def _lay_ar(project: Project, box: Box, floor: float) -> list[TextLine]:
    field = TextField("body", box, "always", 0, Style("body", 9.0), ARABIC, "test/body", ARABIC)
    return lay_text(project, field, box, floor, "ar")


def test_a_factored_field_shrinks_to_the_floor_as_drawn_and_only_then_fails(project: Project) -> None:
    factor = FAMILIES["arabic"]["size"]
    # Too much for the box at 9 pt, and just enough at the floor: the last attempt is the floor itself. (A 6.4 pt
    # floor: with line breaking's taste a 6.5 pt paragraph here needs as much height as the 6.6 pt step above.)
    lines = _lay_ar(project, Box(0, 0, 30 * MM, 11.14 * MM), 6.4)
    assert {round(line.size * factor, 4) for line in lines} == {6.4}  # nominal 6.4 ÷ 1.1, off the quarter points
    assert {round(line.size * factor, 4) for line in _lay_ar(project, Box(0, 0, 30 * MM, 11.3 * MM), 6.4)} == {6.6}
    with pytest.raises(FitError) as exc:
        _lay_ar(project, Box(0, 0, 30 * MM, 8 * MM), 6.4)
    (problem,) = exc.value.problems
    assert re.fullmatch(r"text needs \d+\.\d mm of height at the 6\.4 pt floor; the box has 8\.0 mm .*", problem.what)


def test_urdu_text_is_set_in_the_nastaliq_face(project: Project) -> None:
    card = lay_out(project, Job("emergency", "ur", "wallet", draft=True))
    urdu = [
        g
        for side in card.sides
        for item in side.items
        if isinstance(item, TextLine)
        for g in item.glyphs
        if re.search("[\u0600-\u06ff\ue000-\uf8ff]", g.char)  # letters, and their contextual forms (private codes)
    ]
    assert len(urdu) > 100
    assert {g.face.family for g in urdu} == {"nastaliq"}
    pdf = render_pdf(project, card="emergency", lang="ur", draft=True)
    assert {"NotoNastaliqUrdu-Regular", "NotoNastaliqUrdu-Bold"} <= {name for name, _ in _objects(pdf)}


def _pdffonts(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "card.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout


def _content_streams(pdf: bytes) -> bytes:
    """Every Flate stream of the PDF, inflated: the pages' drawing operators."""
    out = []
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            out.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(out)


def test_chinese_bold_is_a_real_bold_face_and_nothing_is_stroked(project: Project, tmp_path: Path) -> None:
    assert project.fonts.face("cjk", "bold").path.name == "NotoSansCJKsc-Bold.ttf"
    assert not project.fonts.face("cjk", "bold").synthetic_bold
    pdf = render_pdf(project, card="emergency", lang="zh", draft=True)
    fonts = _pdffonts(pdf, tmp_path)
    # The title is bold: the bold face is embedded (subset) next to the regular one.
    assert re.search(r"\+NotoSansCJKsc-Bold +TrueType +\S+ +yes +yes +yes", fonts), fonts
    assert re.search(r"\+NotoSansCJKsc-Regular +TrueType +\S+ +yes +yes +yes", fonts), fonts
    # Text render mode 2 (fill, then stroke) is how a missing bold was faked: no text is drawn that way.
    assert not re.search(rb"\b2 Tr\b", _content_streams(pdf))


# Simplified Chinese sets these low and left in the em (comma, full stop, enumeration comma) or at the left
# (colon, semicolon, ! and ?), where Traditional Chinese centres them.
LOW_LEFT = "，。、"
LEFT = "：；！？"


def _zhs_locl(font: TTFont) -> dict[str, str]:
    """The font's own `locl` substitutions for the Simplified Chinese language system (ZHS), glyph name → name."""
    gsub = font["GSUB"].table
    lookups: set[int] = set()
    for record in gsub.ScriptList.ScriptRecord:
        for lang in record.Script.LangSysRecord:
            if lang.LangSysTag == "ZHS ":
                for index in lang.LangSys.FeatureIndex:
                    feature = gsub.FeatureList.FeatureRecord[index]
                    if feature.FeatureTag == "locl":
                        lookups.update(feature.Feature.LookupListIndex)
    mapping: dict[str, str] = {}
    for index in lookups:
        for sub in gsub.LookupList.Lookup[index].SubTable:
            mapping.update(getattr(sub, "mapping", {}) or getattr(getattr(sub, "ExtSubTable", None), "mapping", {}))
    return mapping


def test_chinese_punctuation_takes_the_simplified_forms(project: Project) -> None:
    assert hb_language("zh") == "zh-Hans"  # HarfBuzz's language: OpenType's ZHS language system
    lang = project.language("zh")
    face = project.fonts.face("cjk")
    font = TTFont(face.path)
    cmap, order, locl = font.getBestCmap(), font.getGlyphOrder(), _zhs_locl(font)
    para = shape([Span(LOW_LEFT + LEFT)], lang, project.fonts)
    glyphs = para.line(0, len(para.text)).glyphs
    assert [g.face.family for g in glyphs] == ["cjk"] * 7
    for char, glyph in zip(LOW_LEFT + LEFT, glyphs, strict=True):
        name = cmap[ord(char)]
        # The glyph shaped with zh-Hans is the one the font's ZHS `locl` gives (its default where it has none).
        assert order[glyph.gid] == locl.get(name, name), char
        # ... and it is the Simplified form: its ink lies in the left part of the em, low for , 。 、
        extents = face.hb_font.get_glyph_extents(glyph.gid)
        centre_x = (extents.x_bearing + extents.width / 2) / face.upem
        top = extents.y_bearing / face.upem
        assert centre_x < 0.35, (char, centre_x)
        if char in LOW_LEFT:
            assert top < 0.3, (char, top)


def test_one_bracket_width_throughout_chinese(project: Project) -> None:
    from babel.messages.pofile import read_po

    with (ROOT / "locales" / "zh" / "LC_MESSAGES" / "nodkort.po").open("rb") as file:
        catalog = read_po(file)
    half = [m.context for m in catalog if m.id and re.search(r"[()]", m.string if isinstance(m.string, str) else "")]
    assert half == []
    # On the cards too: the contacts table's " (dygnet runt)" comes out full width in Chinese.
    for card_id, fmt, extra in (
        ("emergency", "wallet", {}),
        ("emergency", "folded", {"municipality": "Västerås"}),
        ("action", "large", {"municipality": "Västerås"}),
    ):
        text = page_text(render_pdf(project, card=card_id, lang="zh", format=fmt, draft=True, **extra))
        assert "（" in text and "）" in text
        assert not re.search(r"[()]", text), card_id


def test_a_space_outside_a_full_width_bracket_takes_no_room(project: Project) -> None:
    lang = project.language("zh")
    spaced = shape([Span("警察 (全天候)")], lang, project.fonts)
    tight = shape([Span("警察（全天候）")], lang, project.fonts)
    assert spaced.text == "警察 （全天候）"  # one character for each: offsets into the catalog's text hold
    assert spaced.width(0, len(spaced.text)) == pytest.approx(tight.width(0, len(tight.text)))


def test_a_full_width_bracket_that_begins_a_line_drops_its_blank_half(project: Project) -> None:
    """Chinese typesetting sets a line-start opening bracket with its ink at the line's edge, not half an em in."""
    lang = project.language("zh")
    shaped = shape([Span("警察（全天候）")], lang, project.fonts)
    bracket = shaped.advance[2]
    assert bracket > 0.8  # full width inside a line
    line = shaped.line(2, len(shaped.text))  # the line begins with the bracket
    first = line.glyphs[0]
    assert first.advance == pytest.approx(bracket / 2) and first.x + first.dx == pytest.approx(-bracket / 2)
    assert line.width == pytest.approx(shaped.width(2, len(shaped.text)))
    assert shaped.width(2, len(shaped.text)) == pytest.approx(sum(shaped.advance[2:]) - bracket / 2)
    assert shaped.line(0, len(shaped.text)).glyphs[2].dx == 0  # inside a line it keeps its full width


def test_a_hanzi_outside_the_subset_is_a_named_error_not_tofu(data_copy: Path, run: Run) -> None:
    """The CJK subset holds GB2312 and the zh catalogs' characters: a translator's rarer one is refused by name."""
    rare = "\u9f98"  # 龘: not in GB2312, nor in any zh catalog, so not in the bundled subset
    assert ord(rare) not in TTFont(ROOT / "fonts" / "NotoSansCJKsc-Regular.ttf").getBestCmap()
    path = data_copy / "locales" / "zh" / "LC_MESSAGES" / "nodkort.po"
    text = path.read_text(encoding="utf-8")
    entry = re.search(r'msgctxt "emergency/wallet/back/heading"\nmsgid "[^"]*"\nmsgstr "([^"]*)"', text)
    assert entry is not None
    path.write_text(text.replace(entry.group(0), entry.group(0)[:-1] + rare + '"'), encoding="utf-8")
    result = run("render", "emergency", "--lang", "zh", "--draft", "-o", str(data_copy / "out.pdf"), data=data_copy)
    assert result.exit_code == 1
    message = " ".join(result.output.split())
    assert re.search(r"nodkort\.po:\d+ \[emergency/wallet/back/heading\] \(zh\): no glyph for U\+9F98", message)
    assert not (data_copy / "out.pdf").exists()


@pytest.mark.parametrize("code", ["ar", "ckb", "ur", "th", "ti"])
def test_marks_never_touch_the_line_above_in_a_text_field_or_a_table(project: Project, code: str) -> None:
    """The tanween of غالباً once touched the مـ above it: now no glyph's ink reaches the ink of a glyph of the
    line above that stands over it (lines interlock where their ink leaves room, as Nastaliq is set)."""
    checked = 0
    for card_id, extra in (("emergency", {}), ("action", {"municipality": "Västerås"})):
        for fmt in project.card(card_id).formats.values():
            card = lay_out(project, Job(card_id, code, fmt.name, draft=True, **extra))  # type: ignore[arg-type]
            for side in card.sides:
                above: dict[str, tuple[float, list[tuple[float, float, float, float]]]] = {}
                for item in side.items:
                    if not isinstance(item, TextLine) or not item.tags:
                        continue  # text fields and contacts tables (a row's name and number share a baseline)
                    field = item.tags[0].field
                    boxes = glyph_boxes(item)
                    if field in above and item.y < above[field][0] - 1e-6:
                        checked += ink_meets(above[field][1], boxes)
                    elif field in above:  # a bullet and its line share a baseline: both are the line above
                        boxes = boxes + above[field][1]
                    above[field] = (item.y, boxes)
    assert checked > 20


def test_lines_interlock_where_their_ink_leaves_room_and_clear_it_where_it_meets() -> None:
    # Strips of 0.25 em: a descender at strip 2 of the line above, a tall letter at strip 9 of the line below.
    above = {0: (0.7, 0.2), 1: (0.7, 0.2), 2: (0.7, 1.1), 9: (0.7, 0.2)}
    below = {5: (0.6, 0.2), 6: (0.6, 0.2), 9: (1.4, 0.2)}
    assert clearance(above, below) == pytest.approx(1.6)  # the tall letter under an ordinary one: 0.2 + 1.4
    below[3] = (0.9, 0.2)  # a letter beside the descender (the strip next to it counts as touching)
    assert clearance(above, below) == pytest.approx(2.0)
    assert clearance(above, {20: (2.0, 0.0)}) == 0.0  # nothing stands over it: the leading alone decides
