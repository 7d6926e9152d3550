"""Standard PDFs: PDF/X-4 for print shops, read back with pikepdf and poppler, key by key.

No validator (veraPDF is Java and in none of the package registries this project uses) runs here: each test
checks one thing the standard requires, by reading the written file back.
"""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest

from conftest import Run
from nodkort.model import Job
from nodkort.pdf.standards import ICC, OUTPUT_CONDITION
from nodkort.pipeline import render
from nodkort.project import Project


def _x(project: Project, **job: object) -> bytes:
    return render(project, Job(**job), "x")[1]  # type: ignore[arg-type]


def _check_x(pdf: bytes, title: str) -> pikepdf.Pdf:
    doc = pikepdf.open(io.BytesIO(pdf))
    assert doc.pdf_version == "1.6"
    assert str(doc.docinfo.GTS_PDFXVersion) == "PDF/X-4"
    assert doc.docinfo.Trapped == pikepdf.Name("/False")
    assert str(doc.docinfo.Title) == title
    assert "/Creator" not in doc.docinfo and "/Producer" not in doc.docinfo  # nothing names the tool
    (intent,) = doc.Root.OutputIntents
    assert str(intent.S) == "/GTS_PDFX"
    assert str(intent.OutputConditionIdentifier) == OUTPUT_CONDITION == "FOGRA39"
    assert str(intent.RegistryName) == "http://www.color.org"
    profile = intent.DestOutputProfile
    assert profile.N == 4 and profile.read_bytes() == ICC.read_bytes()
    assert profile.read_bytes()[16:24] == b"CMYKLab "  # a CMYK output profile
    xmp = bytes(doc.Root.Metadata.read_bytes()).decode()
    assert "<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>" in xmp
    assert "<pdf:Trapped>False</pdf:Trapped>" in xmp
    assert f'<rdf:li xml:lang="x-default">{title}</rdf:li>' in xmp
    assert "<xmpMM:RenditionClass>default</xmpMM:RenditionClass>" in xmp
    for page in doc.pages:
        assert "/TrimBox" in page.obj
    fonts = [f for f in doc.objects if isinstance(f, pikepdf.Dictionary) and f.get("/Type") == pikepdf.Name.Font]
    tags = [str(f.BaseFont)[1:7] for f in fonts]
    assert fonts and "AAAAAA" not in tags
    assert len(set(tags)) == len(tags), tags
    for font in fonts:
        assert str(font.FontDescriptor.FontName) == str(font.BaseFont)
    return doc


def test_card_is_pdf_x4(project: Project) -> None:
    pdf = _x(project, card="emergency", lang="sv", bleed_mm=3.0, crop_marks=True)
    doc = _check_x(pdf, "Nödkort")
    assert len(doc.pages) == 2
    # the trim box is the card, inside the bleed box, on every page
    for page in doc.pages:
        trim, bleed = [float(v) for v in page.obj.TrimBox], [float(v) for v in page.obj.BleedBox]
        assert trim[2] - trim[0] == pytest.approx(85.6 / 25.4 * 72, abs=0.01)
        assert bleed[0] < trim[0] and bleed[2] > trim[2]


def test_x_is_reproducible_and_none_is_untouched(project: Project) -> None:
    job = Job("emergency", "ar", draft=True)
    assert render(project, job, "x")[1] == render(project, job, "x")[1]
    plain = render(project, job)[1]
    assert render(project, job, "none")[1] == plain
    assert b"OutputIntents" not in plain and b"AAAAAA+" in plain


def test_draft_watermark_keeps_its_transparency_under_x4(project: Project) -> None:
    """X-4, not X-1a: the draft watermark's 45 % opacity is allowed and kept."""
    doc = pikepdf.open(io.BytesIO(_x(project, card="emergency", lang="ar", draft=True)))
    alphas = [float(g.ca) for p in doc.pages for g in p.Resources.get("/ExtGState", {}).values() if "/ca" in g]
    assert 0.45 in alphas and len(doc.pages) == 2


def test_two_subsets_of_one_face_get_two_tags(project: Project) -> None:
    """The folded card's many glyphs: each embedded subset is its own font object with its own tag."""
    doc = _check_x(_x(project, card="emergency", lang="sv", format="folded"), "Nödkort")
    names = [str(f.BaseFont) for f in doc.objects if isinstance(f, pikepdf.Dictionary) and "/BaseFont" in f]
    assert all(re.fullmatch(r"/[A-Z]{6}\+[A-Za-z-]+", n) for n in names), names


def test_sheet_is_pdf_x4(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "sheet.pdf"
    result = run(
        "sheet", "emergency", "--lang", "ar", "--draft", "--count", "30", "--pdf-standard", "x", "-o", str(out)
    )
    assert result.exit_code == 0, result.output
    pdf = out.read_bytes()
    doc = _check_x(pdf, "بطاقة الطوارئ")  # the neutral title: no word of the subject
    assert len(doc.pages) == 6  # 3 sheets, fronts and backs: the forms are still placed on every page
    assert all(len(p.Resources.XObject) > 2 for p in doc.pages)
    again = tmp_path / "again.pdf"
    run("sheet", "emergency", "--lang", "ar", "--draft", "--count", "30", "--pdf-standard", "x", "-o", str(again))
    assert hashlib.sha256(again.read_bytes()).digest() == hashlib.sha256(pdf).digest()


def test_discreet_sheet_metadata_stays_neutral(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "d.pdf"
    args = ("sheet", "emergency", "--lang", "sv", "--discreet", "--count", "10", "--pdf-standard", "x", "-o", str(out))
    assert run(*args).exit_code == 0
    doc = pikepdf.open(out)
    xmp = bytes(doc.Root.Metadata.read_bytes()).decode()
    assert str(doc.docinfo.Title) == "Viktiga nummer" and "Viktiga nummer" in xmp
    for word in ("Nödkort", "tvång", "äktenskap", "bortför"):
        assert word not in xmp and word not in str(doc.docinfo)


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils (pdfinfo) is not installed")
def test_poppler_reads_the_x4_subtype(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "x.pdf"
    path.write_bytes(_x(project, card="emergency", lang="sv"))
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"PDF subtype:\s+PDF/X-4", info), info
    assert re.search(r"PDF version:\s+1\.6", info)


def test_batch_defaults_to_x_and_can_opt_out(run: Run, tmp_path: Path) -> None:
    orders = tmp_path / "orders.csv"
    orders.write_text("Ordernummer;Skola;Kommun;Kort;Språk;Antal\nO1;Skolan;Sala;emergency;sv;10\n", encoding="utf-8")
    assert run("batch", str(orders), "-o", str(tmp_path / "x"), "--quiet").exit_code == 0
    assert run("batch", str(orders), "-o", str(tmp_path / "n"), "--quiet", "--pdf-standard", "none").exit_code == 0
    (x_pdf,) = [p for p in (tmp_path / "x").rglob("*.pdf") if "slip" not in p.name]
    (n_pdf,) = [p for p in (tmp_path / "n").rglob("*.pdf") if "slip" not in p.name]
    assert pikepdf.open(x_pdf).docinfo.GTS_PDFXVersion == "PDF/X-4"
    assert "/GTS_PDFXVersion" not in pikepdf.open(n_pdf).docinfo


def test_bad_standard_is_a_usage_error(run: Run) -> None:
    result = run("sheet", "emergency", "--count", "10", "--pdf-standard", "ua")
    assert result.exit_code == 2
    assert "Invalid value for '--pdf-standard': 'ua' is not one of 'none', 'x'." in result.output
