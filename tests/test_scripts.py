"""Every script on the printed page: reading order, shaping against an independent shaper, numbers in RTL
text, mirrored RTL cards, the glyph gate, and real drafts of both cards in every language.

Methods from tech.md §1 and §8: characters' positions read back from the PDF with pdfium and sorted by x
against python-bidi's display order; pixels of our line against Pillow with libraqm (HarfBuzz + FriBiDi)
drawing the same code points with the same font at the same size.
"""

from __future__ import annotations

import io
import re
import tomllib
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import uharfbuzz as hb
from bidi import get_display
from PIL import Image, ImageChops, ImageDraw, ImageFont, ImageOps, ImageStat, features
from reportlab.pdfgen.canvas import Canvas

from conftest import Run, decode_qr, normalise, page_chars, page_text, render_pdf, tofu, write_catalog
from nodkort.layout.primitives import QrCode, TextLine
from nodkort.layout.side import LaidCard
from nodkort.model import BLACK, MM, Job, Language
from nodkort.pdf.render import draw_text
from nodkort.pipeline import lay_out
from nodkort.project import DataDir, Project
from nodkort.text.paragraph import Span, protect_numbers, shape

SCRIPTS = Path(__file__).parent / "data" / "scripts"
SAMPLES = {
    code: table
    for path in sorted(SCRIPTS.glob("*.toml"))
    for code, table in tomllib.loads(path.read_text(encoding="utf-8")).items()
}
RTL = ["ar", "fa", "prs", "ckb", "ps", "ur", "yi"]
NUMBERS = ["+46 8 405 50 05", "020-50 50 50", "114 14", "112"]
PX = 100.0  # glyph size for pixel comparisons: at 100 px anti-aliasing noise is about 0.02 (tech.md §1)
ARABIC_FILLER = ["هذا", "نص", "تجريبي", "للاختبار"]


def line_pdf(project: Project, code: str | Language, text: str, size: float = PX) -> bytes:
    """One line through the real engine and the real glyph drawing, on a page just large enough."""
    lang = project.language(code) if isinstance(code, str) else code
    para = shape([Span(text)], lang, project.fonts)
    line = para.line(0, len(para.text))
    out = io.BytesIO()
    face = project.fonts.face(lang.fonts[0])
    canvas = Canvas(out, pagesize=(line.width * size + 2 * size, 3 * size), invariant=1, initialFontName=face.name)
    draw_text(canvas, TextLine(line.glyphs, size, size, size, BLACK))
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def page_image(pdf: bytes, page: int = 0, scale: float = 1.0) -> Image.Image:
    doc = pdfium.PdfDocument(pdf)
    try:
        return doc[page].render(scale=scale).to_pil().convert("L")
    finally:
        doc.close()


def reference_image(text: str, font: Path, rtl: bool, code: str, scale: float = 1.0) -> Image.Image:
    """Pillow + raqm at PX × scale: the size our engine draws a family at (fonts.toml's size factor)."""
    face = ImageFont.truetype(str(font), size=round(PX * scale), layout_engine=ImageFont.Layout.RAQM)
    direction = "rtl" if rtl else "ltr"
    # Noto Sans is set without optional Latin ligatures by the engine; the reference does the same.
    feats = ["-liga", "-clig"] if font.name.startswith("NotoSans-") else None
    left, top, right, bottom = ImageDraw.Draw(Image.new("L", (1, 1))).textbbox(
        (0, 0), text, font=face, direction=direction, language=code, features=feats
    )
    # The canvas follows the ink's box: Nastaliq's ink reaches far below where Naskh's stops.
    image = Image.new("L", (int(right - left + 2 * PX), int(bottom - top + 2 * PX)), 255)
    ImageDraw.Draw(image).text(
        (PX - left, PX - top), text, font=face, fill=0, direction=direction, language=code, features=feats
    )
    return image


def ink(image: Image.Image) -> Image.Image:
    """Cropped to the ink and stretched to full contrast (pdfium prints CMYK black as dark grey)."""
    image = ImageOps.autocontrast(image)
    box = ImageChops.invert(image).point(lambda v: 255 if v > 55 else 0).getbbox()
    assert box is not None, "nothing was drawn"
    return image.crop(box)


def difference(ours: Image.Image, reference: Image.Image) -> float:
    """Mean absolute difference of the two inked areas, 0..1; 1.0 when their sizes disagree."""
    a, b = ink(ours), ink(reference)
    if abs(a.width - b.width) > max(3, 0.02 * b.width) or abs(a.height - b.height) > 3:
        return 1.0
    return float(ImageStat.Stat(ImageChops.difference(a.resize(b.size), b)).mean[0]) / 255


def visual_order(pdf: bytes, page: int = 0) -> str:
    """The characters of a one-line page sorted by their x position, presentation forms folded (NFKC)."""
    out = []
    for _, _, char in sorted(page_chars(pdf, page), key=lambda c: c[0]):
        folded = unicodedata.normalize("NFKC", char)
        rtl = any(unicodedata.bidirectional(c) in ("R", "AL") for c in folded)
        out.append(folded[::-1] if rtl else folded)  # a ligature reads right to left within itself
    return "".join(out)


def comparable(text: str) -> str:
    """Drop what display order cannot decide (spaces, marks, controls); brackets are one symbol, since
    get_display mirrors them while the PDF keeps the logical character."""
    text = re.sub(r"[()\[\]{}]", "|", text)
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c) not in ("Mn", "Cf"))


# --- lines: order, numbers, shaping -------------------------------------------------------------------------

RTL_LINES = [(code, text) for code in RTL for text in [SAMPLES[code]["line"], *SAMPLES[code]["numbers"]]]


@pytest.mark.parametrize(("code", "text"), RTL_LINES, ids=[f"{c}-{i}" for i, (c, _) in enumerate(RTL_LINES)])
def test_rtl_text_reads_in_bidi_display_order_on_the_page(project: Project, code: str, text: str) -> None:
    pdf = line_pdf(project, code, text, size=12)
    assert tofu(pdf) == []
    chars = [c for _, _, c in page_chars(pdf)]
    # Every glyph reads back as the text it shows, none as a private-use code.
    assert not [c for c in chars if unicodedata.category(c) == "Co"]
    expected = get_display(protect_numbers(unicodedata.normalize("NFC", text), True), base_dir="R")
    assert comparable(visual_order(pdf)) == comparable(expected)


@pytest.mark.parametrize("code", RTL)
def test_phone_numbers_survive_intact_and_left_to_right_in_rtl_text(project: Project, code: str) -> None:
    found = set()
    for text in SAMPLES[code]["numbers"]:
        drawn = visual_order(line_pdf(project, code, text, size=12)).replace("\u00a0", " ")
        for number in NUMBERS:
            if number in text:
                assert number in drawn, (number, drawn)
                found.add(number)
    assert found == set(NUMBERS)


SHAPING = ["ar", "fa", "prs", "ckb", "ps", "ur", "yi", "ti", "am", "th", "zh", "sv", "rom", "se", "ru", "sr", "uk"]


@pytest.mark.skipif(not features.check("raqm"), reason="Pillow has no libraqm here (Debian: libfribidi0)")
@pytest.mark.parametrize("code", SHAPING)
def test_shaping_matches_an_independent_shaper(project: Project, code: str) -> None:
    sample = SAMPLES[code]
    lang = project.language(code)
    rtl = lang.direction == "rtl"
    ours = page_image(line_pdf(project, code, sample["line"]))
    text = protect_numbers(unicodedata.normalize("NFC", sample["line"]), rtl)
    scale = project.fonts.face(sample["family"]).scale
    reference = reference_image(text, project.fonts.files[(sample["family"], "regular")], rtl, code, scale)
    assert difference(ours, reference) < 0.05


@pytest.mark.skipif(not features.check("raqm"), reason="Pillow has no libraqm here (Debian: libfribidi0)")
def test_urdu_is_set_in_nastaliq_and_matches_an_independent_shaper(project: Project) -> None:
    """Noto Nastaliq Urdu raises whole letters (a cascade: dy without dx); each is drawn where HarfBuzz puts it."""
    assert project.language("ur").fonts[0] == "nastaliq"
    text = SAMPLES["ur"]["line"]
    ours = page_image(line_pdf(project, "ur", text))
    reference = reference_image(
        protect_numbers(unicodedata.normalize("NFC", text), True),
        project.fonts.files[("nastaliq", "regular")],
        True,
        "ur",
    )
    assert difference(ours, reference) < 0.05
    # ... and it is not the Naskh face: the same line in Noto Sans Arabic scores far above the bar.
    naskh = reference_image(text, project.fonts.files[("arabic", "regular")], True, "ur")
    assert difference(ours, naskh) > 0.1


def test_a_size_factor_is_measured_and_drawn_alike(project: Project) -> None:
    """fonts.toml sets Ethiopic 12 % larger than Latin: fitting measures it so, and the PDF draws it so."""
    assert (project.fonts.face("ethiopic").scale, project.fonts.face("sans").scale) == (1.12, 1.0)
    text = SAMPLES["ti"]["line"]
    para = shape([Span(text)], project.language("ti"), project.fonts)
    face = project.fonts.face("ethiopic")
    buf = hb.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    hb.shape(face.hb_font, buf, {"kern": True})
    natural = sum(p.x_advance for p in buf.glyph_positions) / face.upem
    assert para.line(0, len(para.text)).width == pytest.approx(1.12 * natural)
    page = pdfium.PdfDocument(line_pdf(project, "ti", text, size=10))[0]
    assert {round(obj.get_font_size(), 2) for obj in page.get_objects() if obj.type == 1} == {11.2}


def test_nastaliq_is_bundled_in_both_weights_and_covers_urdu(project: Project) -> None:
    urdu = "ٹڈڑںھہۂۃیےۓ۔"
    for weight in ("regular", "bold"):
        face = project.fonts.face("nastaliq", weight)
        assert face.path.name == f"NotoNastaliqUrdu-{weight.title()}.ttf"
        assert not face.synthetic_bold
        assert [c for c in urdu if not face.has(c)] == []
    assert "Noto Nastaliq Urdu" in (project.fonts.folder / "OFL.txt").read_text(encoding="utf-8")


@pytest.mark.skipif(not features.check("raqm"), reason="Pillow has no libraqm here (Debian: libfribidi0)")
def test_the_pixel_measure_catches_unshaped_arabic(project: Project) -> None:
    """The control: Arabic drawn the way reportlab alone draws it (tech.md §1) scores far above the bar."""
    text = SAMPLES["ar"]["line"]
    face = project.fonts.face("arabic")
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(40 * PX, 3 * PX), initialFontName=face.name)
    canvas.setFont(face.name, PX)
    canvas.drawString(PX, PX, text)
    canvas.showPage()
    canvas.save()
    reference = reference_image(text, project.fonts.files[("arabic", "regular")], True, "ar")
    assert difference(page_image(out.getvalue()), reference) > 0.1


# --- the glyph gate on a real card --------------------------------------------------------------------------


def test_a_string_no_font_can_draw_is_refused_before_layout(data_copy: Path, run: Run) -> None:
    path = write_catalog(data_copy, "ar", ARABIC_FILLER)
    text = path.read_text(encoding="utf-8")
    context = "emergency/wallet/back/heading"
    entry = re.search(rf'msgctxt "{context}"\nmsgid "[^"]*"\nmsgstr "([^"]*)"', text)
    assert entry is not None
    path.write_text(text.replace(entry.group(0), entry.group(0)[:-1] + ' \U0001f600"'), encoding="utf-8")
    result = run("render", "emergency", "--lang", "ar", "--draft", "-o", str(data_copy / "out.pdf"), data=data_copy)
    assert result.exit_code == 1
    message = " ".join(result.output.split())
    # The catalog line that holds the string, its msgctxt and the language.
    assert re.search(rf"locales/ar/LC_MESSAGES/nodkort\.po:\d+ \[{context}\] \(ar\): no glyph", message)
    assert "U+1F600 GRINNING FACE" in message and "fonts arabic, sans" in message
    assert not (data_copy / "out.pdf").exists()


# --- mirrored right-to-left cards ---------------------------------------------------------------------------


@pytest.fixture
def arabic(data_copy: Path) -> Project:
    write_catalog(data_copy, "ar", ARABIC_FILLER)
    return Project(DataDir.locate(data_copy))


def line_box(line: TextLine) -> tuple[float, float]:
    """Left and right edge of a placed line, in points."""
    right = max(g.x + g.advance for g in line.glyphs)
    return line.x, line.x + right * line.size


def lines_in(card: LaidCard, side: int, box_mm: tuple[float, float, float, float]) -> list[TextLine]:
    """The text lines whose baseline lies in a template box ([x, y, w, h] mm from the top left), mirrored."""
    x, y, w, h = (v * MM for v in box_mm)
    width, height = card.format.width, card.format.height
    left, right = width - x - w, width - x
    return [
        item
        for item in card.sides[side].items
        if isinstance(item, TextLine)
        and left - 0.01 <= line_box(item)[0]
        and line_box(item)[1] <= right + 0.01
        and height - y - h <= item.y <= height - y
    ]


def test_rtl_card_mirrors_text_boxes_bullets_contacts_and_qr(arabic: Project) -> None:
    card = lay_out(arabic, Job("emergency", "ar", "wallet", draft=True))
    right_edge = (85.60 - 4) * MM  # boxes start 4 mm from the left edge in the template
    question = lines_in(card, 0, (4, 5.5, 77.6, 12))  # the top of the front's column
    assert len(question) >= 2
    for line in question:
        assert line_box(line)[1] == pytest.approx(right_edge, abs=0.01)  # aligned right, ragged left
    # The contacts table: names and second lines against the right edge, numbers in a column at the left
    # (column [4, 3, 55.5, 49]).
    table = lines_in(card, 1, (4, 8, 55.5, 44))
    numbers = [
        line for line in table if re.fullmatch(r"[-+\d ]+", "".join(g.char for g in line.glyphs).replace("\u00a0", " "))
    ]
    labels = [line for line in table if line not in numbers]
    assert len(numbers) >= 4 and labels
    box_left, box_right = (85.60 - 4 - 55.5) * MM, (85.60 - 4) * MM
    # numbers are left-to-right runs: right-aligned in their column, the widest against the box's left edge
    assert min(line.x for line in numbers) == pytest.approx(box_left, abs=0.01)
    assert max(line_box(n)[1] for n in numbers) - min(line_box(n)[1] for n in numbers) < 0.05
    assert all(line_box(line)[1] == pytest.approx(box_right, abs=0.01) for line in labels)
    # The QR code moves to the left: its column [62, 3, 21.6, 49] mm mirrors to x 2–23.6 mm.
    qr = next(item for item in card.sides[1].items if isinstance(item, QrCode))
    assert qr.x >= 2 * MM and qr.x + len(qr.matrix) * qr.module <= 23.6 * MM


def qr_centre(pdf: bytes, page: int) -> float:
    """Where an independent decoder (zxing-cpp) finds the QR code: its centre, as a fraction of page width."""
    import zxingcpp

    image = page_image(pdf, page, scale=300 / 72)
    found = [r for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode]
    assert len(found) == 1
    corners = found[0].position
    xs = [corners.top_left.x, corners.top_right.x, corners.bottom_left.x, corners.bottom_right.x]
    return sum(xs) / 4 / image.width


def test_rtl_qr_code_prints_on_the_other_side_and_still_scans(arabic: Project, project: Project) -> None:
    pdf = render_pdf(arabic, card="emergency", lang="ar", format="wallet", draft=True)
    assert decode_qr(pdf, 1) == ["tel:+4684055005"]
    assert qr_centre(pdf, 1) < 1 / 3
    assert qr_centre(render_pdf(project, card="emergency", lang="sv", format="wallet"), 1) > 2 / 3


def test_rtl_folded_card_reads_right_to_left_and_mirrors_its_folds(arabic: Project, project: Project) -> None:
    # The plain card: the discreet one's inside gives no advice, so it has no bullets to mirror.
    job = Job("emergency", "ar", "folded", draft=True)
    card = lay_out(arabic, job)
    sv = lay_out(project, Job("emergency", "sv", "folded"))
    width = card.format.width
    for ours, theirs in zip(card.sides, sv.sides, strict=True):
        assert ours.folds == tuple(sorted(width - f for f in theirs.folds))
    # Inside, the first panel ("before the journey", left in Swedish) is the rightmost one in Arabic.
    heading = lines_in(card, 1, (4, 3, 77.6, 6))
    assert heading and all(line.x > width - 85.6 * MM for line in heading)
    # Bullets of the inside panels sit at the right edge of their box, before the text in reading order.
    bullets = [line for line in lines_in(card, 1, (4, 10, 77.6, 41)) if [g.char for g in line.glyphs] == ["•"]]
    assert len(bullets) >= 3
    assert all(line_box(line)[1] == pytest.approx(width - 4 * MM, abs=0.01) for line in bullets)


# --- real drafts of both cards in every language ------------------------------------------------------------


def catalog_exists(code: str) -> bool:
    return (Path(__file__).resolve().parents[1] / "locales" / code / "LC_MESSAGES" / "nodkort.po").is_file()


LANGUAGES = list(
    tomllib.loads((Path(__file__).resolve().parents[1] / "locales" / "languages.toml").read_text(encoding="utf-8"))
)
MUNICIPALITY = "Köping"


@pytest.fixture(scope="module")
def drafts(project: Project) -> Callable[[str, str], bytes]:
    cache: dict[tuple[str, str], bytes] = {}

    def get(card: str, code: str) -> bytes:
        if (card, code) not in cache:
            extra = {"municipality": MUNICIPALITY} if card == "action" else {}
            cache[(card, code)] = render_pdf(project, card=card, lang=code, draft=True, **extra)
        return cache[(card, code)]

    return get


@pytest.mark.parametrize("card", ["emergency", "action"])
@pytest.mark.parametrize("code", LANGUAGES)
def test_draft_renders_without_tofu_and_with_every_number(
    drafts: Callable[[str, str], bytes], card: str, code: str
) -> None:
    assert code == "sv" or catalog_exists(code), f"locales/{code}/LC_MESSAGES/nodkort.po is missing"
    pdf = drafts(card, code)
    assert tofu(pdf) == []
    chars = "".join(c for _, _, c in page_chars(pdf, 0)) + "".join(c for _, _, c in page_chars(pdf, 1))
    assert not [c for c in chars if unicodedata.category(c) == "Co"]
    text = normalise(page_text(pdf))
    assert "112" in text


@pytest.mark.parametrize("code", RTL)
def test_real_rtl_draft_keeps_its_numbers_whole(drafts: Callable[[str, str], bytes], code: str) -> None:
    assert catalog_exists(code), f"locales/{code}/LC_MESSAGES/nodkort.po is missing"
    pdf = drafts("emergency", code)
    rows: dict[float, list[tuple[float, str]]] = {}
    for x, y, char in page_chars(pdf, 1, upright=True):  # the watermark's letters cross the rows
        rows.setdefault(round(y, 1), []).append((x, char))
    drawn = {"".join(c for _, c in sorted(row)).replace("\u00a0", " ") for row in rows.values()}
    for number in ("+46 8 405 50 05", "020-50 50 50", "116 111"):
        assert any(number in line for line in drawn), (number, drawn)
