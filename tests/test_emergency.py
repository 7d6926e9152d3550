"""The emergency card end to end: what a user checks on the printed PDF."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import (
    Run,
    decode_qr,
    normalise,
    page_count,
    page_size_mm,
    page_text,
    render_pdf,
)
from nodkort.layout.gates import forbidden_words
from nodkort.layout.primitives import QrCode
from nodkort.model import Job
from nodkort.pipeline import render
from nodkort.project import Project

ID1 = (85.60, 53.98)
Case = tuple[str, str, str]
Pdfs = dict[Case, bytes]
FORMATS = {"wallet": ID1, "folded": (254.8, 53.98)}
CASES = [(fmt, lang, variant) for fmt in FORMATS for lang in ("sv", "en") for variant in ("plain", "discreet")]
NUMBERS = {
    "ud_jouren": "+46 8 405 50 05",
    "police_abroad": "+46 77 114 14 00",
    "kvinnofridslinjen": "020-50 50 50",
    "terrafem": "020-52 10 10",
    "bris": "116 111",
}


@pytest.fixture(scope="module")
def pdfs(project: Project) -> Pdfs:
    # English is a draft until a reviewer signs its changed strings: it renders only with --draft.
    return {
        case: render_pdf(
            project, card="emergency", lang=case[1], format=case[0], variant=case[2], draft=case[1] != "sv"
        )
        for case in CASES
    }


@pytest.mark.parametrize("case", CASES, ids=["-".join(c) for c in CASES])
def test_page_is_exactly_the_card_size(pdfs: Pdfs, case: Case) -> None:
    pdf = pdfs[case]
    assert page_count(pdf) == 2
    for page in range(2):
        w, h = page_size_mm(pdf, page)
        assert w == pytest.approx(FORMATS[case[0]][0], abs=0.01)
        assert h == pytest.approx(FORMATS[case[0]][1], abs=0.01)


@pytest.mark.parametrize("case", CASES, ids=["-".join(c) for c in CASES])
def test_every_helpline_number_is_printed(pdfs: Pdfs, case: Case) -> None:
    text = normalise(page_text(pdfs[case]))
    for number in NUMBERS.values():
        assert number in text
    assert "112" in text


def test_front_asks_the_question_and_says_it_is_a_crime(pdfs: Pdfs) -> None:
    front = normalise(page_text(pdfs[("wallet", "sv", "plain")], 0))
    assert "Riskerar du att giftas bort eller föras utomlands mot din vilja?" in front
    assert "Eller är du orolig för någon du känner?" in front
    assert "Det är brott, även utomlands." in front
    assert "Akut fara? Ring 112" in front
    english = normalise(page_text(pdfs[("wallet", "en", "plain")], 0))
    assert "Are you at risk of being married off or taken abroad against your will?" in english
    assert "Immediate danger? Call 112" in english


def test_folded_card_carries_the_full_advice(pdfs: Pdfs) -> None:
    inside = normalise(page_text(pdfs[("folded", "sv", "plain")], 1))
    for phrase in (
        "Före resan",
        "Om du ändå reser",
        "extra SIM-kort",
        "kopia av passet",
        "Bestäm ett datum",
        "metallsked",
        "Är du redan utomlands?",
    ):
        assert phrase in inside
    outside = normalise(page_text(pdfs[("folded", "sv", "plain")], 0))
    assert "Orolig för någon?" in outside
    assert "020-52 10 10" in outside  # Terrafem: support in many languages
    assert "020-57 70 70" not in outside  # Rätt att välja: a pilot no source confirms still runs


@pytest.mark.parametrize("case", CASES, ids=["-".join(c) for c in CASES])
def test_qr_code_decodes_to_its_payload(pdfs: Pdfs, project: Project, case: Case) -> None:
    pdf = pdfs[case]
    fmt, lang, variant = case
    if lang == "sv":
        codes = decode_qr(pdf, 0) + decode_qr(pdf, 1)
    else:
        # A draft's watermark crosses the code, so a camera may not read it: check what the layout encodes.
        laid, _ = render(project, Job("emergency", lang, fmt, variant, draft=True))
        codes = [item.payload for side in laid.sides for item in side.items if isinstance(item, QrCode)]
    assert len(codes) == 1
    if fmt == "folded" and variant == "plain":
        payload = codes[0]
        assert payload.startswith("BEGIN:VCARD")
        # only the numbers regeringen.se says work from abroad; no 020 number
        assert re.findall(r"TEL;TYPE=VOICE:(\S+)", payload) == ["+4684055005", "+46771141400"]
    else:
        assert codes == ["tel:+4684055005"]
    # the number the code dials is printed beside it
    assert NUMBERS["ud_jouren"] in normalise(page_text(pdf))


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_discreet_variant_reveals_nothing_outside(pdfs: Pdfs, project: Project, fmt: str, lang: str) -> None:
    import pypdfium2 as pdfium

    pdf = pdfs[(fmt, lang, "discreet")]
    card = project.card("emergency")
    outside_pages = [0, 1] if fmt == "wallet" else [0]
    text = " ".join(page_text(pdf, p) for p in outside_pages)
    assert not forbidden_words(card.forbidden_outside, text)
    doc = pdfium.PdfDocument(pdf)
    meta = " ".join(str(v) for v in doc.get_metadata_dict().values())
    doc.close()
    assert not forbidden_words((*card.forbidden_outside, "nödkort", "nodkort", "emergency"), meta)
    assert ("Viktiga nummer" if lang == "sv" else "Important numbers") in page_text(pdf, 0)


def test_discreet_default_file_name_is_neutral(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("render", "emergency", "--lang", "sv", "--discreet")
    assert result.exit_code == 0, result.output
    (name,) = [p.name for p in tmp_path.iterdir()]
    assert name == "kort-sv-wallet.pdf"


def test_version_stamp_on_the_back(pdfs: Pdfs, project: Project) -> None:
    version = project.card("emergency").version
    assert re.fullmatch(r"\d{4}\.\d{2}", version)
    assert f"v{version} sv" in normalise(page_text(pdfs[("wallet", "sv", "plain")], 1))


def test_two_renders_are_byte_identical(project: Project) -> None:
    first = render_pdf(project, card="emergency", lang="en", format="folded", draft=True)
    second = render_pdf(project, card="emergency", lang="en", format="folded", draft=True)
    assert first == second


def test_bleed_and_crop_marks_set_the_print_boxes(project: Project, tmp_path: Path) -> None:
    pdf = render_pdf(project, card="emergency", lang="sv", bleed_mm=3.0, crop_marks=True)
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    page = doc[0]
    trim = page.get_trimbox()
    bleed = page.get_bleedbox()
    media = page.get_mediabox()
    doc.close()
    mm = 72 / 25.4
    assert (trim[2] - trim[0]) / mm == pytest.approx(ID1[0], abs=0.01)
    assert (trim[3] - trim[1]) / mm == pytest.approx(ID1[1], abs=0.01)
    assert (trim[0] - bleed[0]) / mm == pytest.approx(3.0, abs=0.01)
    assert (bleed[2] - trim[2]) / mm == pytest.approx(3.0, abs=0.01)
    # room for crop marks outside the bleed
    assert bleed[0] - media[0] > 5 * mm


def test_plain_render_without_bleed_is_trimmed_exactly(project: Project) -> None:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(render_pdf(project, card="emergency", lang="sv"))
    page = doc[0]
    assert page.get_trimbox() == pytest.approx(page.get_mediabox())
    assert page.get_bleedbox() == pytest.approx(page.get_mediabox())
    doc.close()


def test_fonts_are_embedded_subsets_and_nothing_else(pdfs: Pdfs, tmp_path: Path) -> None:
    pdf = pdfs[("folded", "sv", "plain")]
    assert b"Helvetica" not in pdf
    base_fonts = set(re.findall(rb"/BaseFont /([A-Z]{6}\+[\w-]+)", pdf))
    assert base_fonts, "no fonts found"
    assert pdf.count(b"/FontFile2") >= len(base_fonts)
    if shutil.which("pdffonts"):
        path = tmp_path / "card.pdf"
        path.write_bytes(pdf)
        rows = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
        for row in rows.splitlines()[2:]:
            cols = row.split()
            assert cols[-5:-2] == ["yes", "yes", "yes"], row  # emb, sub, uni


def test_colours_are_cmyk_only(pdfs: Pdfs) -> None:
    import base64
    import zlib

    pdf = pdfs[("wallet", "sv", "plain")]
    content = b""
    for match in re.finditer(rb"/Length (\d+)[^>]*>>\s*stream\r?\n", pdf):
        raw = pdf[match.end() : match.end() + int(match.group(1))]
        if raw.rstrip().endswith(b"~>"):  # ASCII85 around Flate, as reportlab writes page content
            raw = base64.a85decode(raw.rstrip()[:-2])
        data = zlib.decompress(raw) if raw[:1] == b"x" else raw
        if b" Tf" in data and b"begincmap" not in data:  # page content, not fonts
            content += data
    assert re.search(rb"\s(rg|RG)\s", content) is None
    assert re.search(rb"\s(k|K)\s", content) is not None


def test_preview_shows_both_sides(run: Run, tmp_path: Path) -> None:
    from PIL import Image

    out = tmp_path / "p.png"
    result = run("preview", "emergency", "--lang", "sv", "--dpi", "100", "-o", str(out))
    assert result.exit_code == 0, result.output
    image = Image.open(out)
    card_w = round(ID1[0] / 25.4 * 100)
    assert image.width >= 2 * card_w
    # both halves carry ink (the two sides), not one side and grey
    left = image.crop((0, 0, image.width // 2, image.height)).convert("L")
    right = image.crop((image.width // 2, 0, image.width, image.height)).convert("L")
    assert left.getextrema()[0] < 80 and right.getextrema()[0] < 80


def test_render_cli_writes_the_file(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "nodkort-sv.pdf"
    result = run("render", "emergency", "--lang", "sv", "-o", str(out))
    assert result.exit_code == 0, result.output
    pdf = out.read_bytes()
    assert pdf.startswith(b"%PDF-")
    assert result.output == f"Wrote {out} (emergency, wallet, sv, {len(pdf):,} bytes)\n"


def test_list_names_cards_formats_languages_and_data_folder(run: Run) -> None:
    result = run("list")
    assert result.exit_code == 0
    assert "emergency" in result.output and "wallet" in result.output and "folded" in result.output
    # English has changed strings no reviewer has signed yet: it is listed as a draft, not as reviewed.
    assert re.search(r"\ben\b.*draft", result.output)
    assert "Data folder:" in result.output
