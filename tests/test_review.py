"""The review gate and the draft watermark: an unreviewed translation never prints as final.

Each test writes its own catalog into a copy of the data folder (fixture `data_copy`), so the gate is tested
on known review states whatever state the real catalogs are in.
"""

from __future__ import annotations

import ctypes
import math
import unicodedata
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from bidi import get_display

from conftest import Run, normalise, page_count, page_text, review, tofu, write_catalog
from helpers import set_msgstr
from nodkort.layout.watermark import DRAFT_SV
from nodkort.project import DataDir, Project

ARABIC = ["هذا", "نص", "تجريبي", "للاختبار"]
SOMALI = ["Tani", "waa", "tijaabo"]
AR_NOTICE = "مسودة – الترجمة غير مراجعة"
CRITICAL = "emergency/wallet/front/emergency"  # "Akut fara? Ring {emergency}", critical in the template


def watermark_lines(pdf: bytes, page: int) -> list[str]:
    """The diagonal lines of a page: its characters at an angle, grouped by line and read along it."""
    doc = pdfium.PdfDocument(pdf)
    try:
        textpage = doc[page].get_textpage()
        chars = []
        x, y = ctypes.c_double(), ctypes.c_double()
        for index in range(textpage.count_chars()):
            angle = pdfium_c.FPDFText_GetCharAngle(textpage, index)
            char = chr(pdfium_c.FPDFText_GetUnicode(textpage, index))
            # Marks and the dots of Arabic letters (read as joiners) sit off the baseline: leave them out.
            if (
                pdfium_c.FPDFText_IsGenerated(textpage, index)
                or abs(math.sin(angle)) < 0.1
                or unicodedata.category(char) in ("Cf", "Mn")
            ):
                continue
            pdfium_c.FPDFText_GetCharOrigin(textpage, index, x, y)
            chars.append((angle, x.value, y.value, char))
        textpage.close()
    finally:
        doc.close()
    lines: dict[int, list[tuple[float, str]]] = {}
    for angle, cx, cy, char in chars:
        turn = -angle  # pdfium measures clockwise
        along = cx * math.cos(turn) + cy * math.sin(turn)
        across = -cx * math.sin(turn) + cy * math.cos(turn)
        lines.setdefault(round(across / 4), []).append((along, char))
    return ["".join(c for _, c in sorted(line)) for _, line in sorted(lines.items(), reverse=True)]


def drawn(text: str) -> str:
    """What a line shows, left to right, without spaces or joiners: right-to-left text in display order."""
    return "".join(
        c for c in unicodedata.normalize("NFKC", text) if not c.isspace() and unicodedata.category(c) != "Cf"
    )


def unreviewed(data: Path, card: str) -> int:
    project = Project(DataDir.locate(data))
    return len(project.card_messages(project.card(card)))


# --- the gate -----------------------------------------------------------------------------------------------


def test_fuzzy_language_is_refused_without_draft(data_copy: Path, run: Run) -> None:
    path = write_catalog(data_copy, "ar", ARABIC)
    out = data_copy / "ar.pdf"
    result = run("render", "emergency", "--lang", "ar", "-o", str(out), data=data_copy)
    assert result.exit_code == 1
    message = " ".join(result.output.split())
    count = unreviewed(data_copy, "emergency")
    assert f"Arabic (ar) is not reviewed: {count} strings of the emergency card are unreviewed" in message
    assert (
        f"({count} fuzzy, 0 missing, 0 without a valid review, 0 changed since review; no review recorded)" in message
    )
    assert str(path) in message  # where to review them
    assert (
        'qualified reviewer who did not translate it signs it: nodkort lang review ar --reviewer "Name, role"'
        in message
    )
    assert "--draft" in message
    assert not out.exists()


def test_language_without_a_catalog_is_refused_and_counts_missing_strings(data_copy: Path, run: Run) -> None:
    po = data_copy / "locales" / "so" / "LC_MESSAGES" / "nodkort.po"
    po.unlink(missing_ok=True)
    result = run("render", "emergency", "--lang", "so", "-o", str(data_copy / "so.pdf"), data=data_copy)
    assert result.exit_code == 1
    count = unreviewed(data_copy, "emergency")
    assert f"Somali (so) is not reviewed: {count} strings" in " ".join(result.output.split())
    assert f"(0 fuzzy, {count} missing, 0 without a valid review," in " ".join(result.output.split())


def test_one_fuzzy_string_is_enough_to_refuse(data_copy: Path, run: Run) -> None:
    path = write_catalog(data_copy, "so", SOMALI, fuzzy=False)
    assert review(run, data_copy, "so").exit_code == 0
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f'msgctxt "{CRITICAL}"', f'#, fuzzy\nmsgctxt "{CRITICAL}"'), encoding="utf-8")
    result = run("render", "emergency", "--lang", "so", "-o", str(data_copy / "so.pdf"), data=data_copy)
    assert result.exit_code == 1
    assert "1 strings of the emergency card are unreviewed (1 fuzzy, 0 missing, 0 without a valid review" in " ".join(
        result.output.split()
    )


# --- drafts and the watermark -------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["wallet", "folded"])
def test_draft_is_watermarked_on_every_side_in_swedish_and_the_language(data_copy: Path, run: Run, fmt: str) -> None:
    write_catalog(data_copy, "ar", ARABIC)
    out = data_copy / "ar.pdf"
    variant = ["--discreet"] if fmt == "folded" else []  # the folded plain card's vCard outgrows its box
    result = run(
        "render", "emergency", "--lang", "ar", "--format", fmt, *variant, "--draft", "-o", str(out), data=data_copy
    )
    assert result.exit_code == 0, result.output
    assert "DRAFT" in result.output
    pdf = out.read_bytes()
    assert tofu(pdf) == []
    assert page_count(pdf) == 2
    for page in range(2):
        lines = watermark_lines(pdf, page)
        assert [drawn(line) for line in lines] == [drawn(DRAFT_SV), drawn(get_display(AR_NOTICE))]


def test_draft_of_a_language_without_its_own_notice_uses_english(data_copy: Path, run: Run) -> None:
    write_catalog(data_copy, "rom", ["Kado", "si", "testo"])
    out = data_copy / "rom.pdf"
    assert run("render", "emergency", "--lang", "rom", "--draft", "-o", str(out), data=data_copy).exit_code == 0
    pdf = out.read_bytes()
    for page in range(2):
        assert watermark_lines(pdf, page) == [DRAFT_SV, "DRAFT – translation not reviewed"]


def test_reviewed_language_prints_without_draft_and_without_watermark(data_copy: Path, run: Run) -> None:
    write_catalog(data_copy, "so", SOMALI, fuzzy=False)
    signed = review(run, data_copy, "so")
    assert signed.exit_code == 0, signed.output
    out = data_copy / "so.pdf"
    result = run("render", "emergency", "--lang", "so", "-o", str(out), data=data_copy)
    assert result.exit_code == 0, result.output
    pdf = out.read_bytes()
    assert "UTKAST" not in page_text(pdf)
    assert all(watermark_lines(pdf, page) == [] for page in range(2))
    # --draft on a reviewed language changes nothing: there is nothing to warn about.
    result = run("render", "emergency", "--lang", "so", "--draft", "-o", str(out), data=data_copy)
    assert result.exit_code == 0
    assert "UTKAST" not in page_text(out.read_bytes())
    assert normalise("Tani waa tijaabo") in normalise(page_text(out.read_bytes()))


# --- critical strings ---------------------------------------------------------------------------------------


def test_critical_string_never_falls_back_to_swedish_even_in_a_draft(data_copy: Path, run: Run) -> None:
    write_catalog(data_copy, "ar", ARABIC, skip=frozenset({CRITICAL}))
    out = data_copy / "ar.pdf"
    result = run("render", "emergency", "--lang", "ar", "--draft", "-o", str(out), data=data_copy)
    assert result.exit_code == 1
    message = " ".join(result.output.split())
    assert f"[{CRITICAL}]" in message and "never falls back to Swedish" in message
    assert "Arabic" in message and not out.exists()


def test_an_emptied_critical_string_is_named_with_its_catalog_line(data_copy: Path, run: Run) -> None:
    po = data_copy / "locales" / "so" / "LC_MESSAGES" / "nodkort.po"
    set_msgstr(po, CRITICAL, "")
    line = po.read_text(encoding="utf-8").split("\n").index(f'msgctxt "{CRITICAL}"') + 1
    out = data_copy / "so.pdf"
    result = run("render", "emergency", "--lang", "so", "--draft", "-o", str(out), data=data_copy)
    assert result.exit_code == 1
    assert f"nodkort.po:{line} [{CRITICAL}]: critical string missing in Somali" in result.output
    assert not out.exists()


def test_non_critical_missing_string_prints_in_swedish_only_in_a_watermarked_draft(data_copy: Path, run: Run) -> None:
    heading = "emergency/wallet/back/heading"  # "Här får du hjälp": not critical
    write_catalog(data_copy, "ar", ARABIC, skip=frozenset({heading}))
    out = data_copy / "ar.pdf"
    assert run("render", "emergency", "--lang", "ar", "--draft", "-o", str(out), data=data_copy).exit_code == 0
    pdf = out.read_bytes()
    assert "Här får du hjälp" in normalise(page_text(pdf, 1))
    assert watermark_lines(pdf, 1)[0] == DRAFT_SV


def test_lang_list_shows_the_review_state(data_copy: Path, run: Run) -> None:
    write_catalog(data_copy, "ar", ARABIC)
    write_catalog(data_copy, "so", SOMALI, fuzzy=False)
    result = run("lang", "list", data=data_copy)
    assert result.exit_code == 0
    rows = {line.split()[0]: line for line in result.output.splitlines() if line.strip()}
    assert "rtl" in rows["ar"] and "draft" in rows["ar"]
    assert "ltr" in rows["so"] and "reviewed" in rows["so"]
