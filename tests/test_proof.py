"""The proof sheet: what a reviewer reads — each string beside its Swedish source, then the cards."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from conftest import ROOT, Run, normalise, page_count, page_size_mm, page_text
from helpers import set_msgstr
from nodkort.project import DataDir, Project
from nodkort.review.proof import proof_sheet

A4 = (210.0, 297.0)


@pytest.fixture(scope="module")
def english(project: Project) -> tuple[bytes, int]:
    """The English proof of the emergency card, made once for the module."""
    return proof_sheet(project, project.language("en"), ["emergency"])


def _english_strings() -> dict[str, tuple[str, str]]:
    with (ROOT / "locales" / "en" / "LC_MESSAGES" / "nodkort.po").open("rb") as handle:
        return {str(m.context): (str(m.id), str(m.string)) for m in read_po(handle) if m.id and m.string}


def test_each_string_stands_beside_its_swedish_source_with_its_state(english: tuple[bytes, int]) -> None:
    pdf, pages = english
    assert page_count(pdf) == pages
    text = normalise(page_text(pdf)).replace("/ ", "/")  # a long msgctxt wraps after a slash
    strings = _english_strings()
    for context in ("emergency/wallet/back/heading", "emergency/wallet/front/emergency"):
        swedish, translation = strings[context]
        for expected in (context, normalise(swedish), normalise(translation)):
            assert expected in text, expected
    assert "Context (msgctxt) Swedish source Translation (en) State" in text
    assert "reviewed" in text


def test_the_cards_follow_in_every_format_and_variant_watermarked_while_a_draft(
    project: Project, english: tuple[bytes, int]
) -> None:
    pdf, pages = english
    card = project.card("emergency")
    card_pages = len(card.formats) * 2  # plain and discreet
    assert page_size_mm(pdf, 0) == pytest.approx(A4, abs=0.1)
    for page in range(pages - card_pages, pages):
        assert page_size_mm(pdf, page) == pytest.approx(A4[::-1], abs=0.1)
    first_card = normalise(page_text(pdf, pages - card_pages))
    assert "emergency card · wallet · plain" in first_card
    assert "Immediate danger? Call 112" in first_card
    assert "front (outside: seen without opening), 85.6 × 54.0 mm" in first_card
    # English has changed strings no reviewer has signed yet: its cards carry the draft watermark.
    assert "UTKAST" in normalise(page_text(pdf, pages - card_pages))


def test_a_draft_in_a_right_to_left_script_is_watermarked_and_explains_what_blocks_it(
    run: Run, data_copy: Path, tmp_path: Path
) -> None:
    catalog = data_copy / "locales" / "ar" / "LC_MESSAGES" / "nodkort.po"
    catalog.unlink(missing_ok=True)
    assert run("lang", "add", "ar", data=data_copy).exit_code == 0
    set_msgstr(catalog, "emergency/discreet_title", "أرقام مهمة")
    set_msgstr(catalog, "emergency/wallet/back/heading", "هنا تحصل على المساعدة", fuzzy=True)
    out = tmp_path / "proof-ar.pdf"
    result = run("proof", "--lang", "ar", "--card", "emergency", "-o", str(out), data=data_copy)
    assert result.exit_code == 0, result.output
    pdf = out.read_bytes()
    text = normalise(page_text(pdf))
    assert "Arabic (ar): incomplete, no review recorded" in text
    assert "0 reviewed, 1 not reviewed, 0 changed since review, 1 fuzzy" in text
    assert "emergency/wallet/back/heading" in text and "fuzzy – review" in text
    # Critical strings are missing, and the card is laid out all the same: each missing string shows its
    # Swedish source in brackets, so the translator sees their own text in place.
    card = normalise(page_text(pdf, page_count(pdf) - 2 * 3))
    # (In a right-to-left paragraph the brackets are mirrored; the text layer keeps their code points.)
    assert re.search(r"[\[\]]Akut fara\? Ring 112[\[\]]", card), card
    assert "UTKAST" in card


def test_a_draft_card_on_the_proof_carries_the_watermark(data_copy: Path) -> None:
    catalog = data_copy / "locales" / "en" / "LC_MESSAGES" / "nodkort.po"
    set_msgstr(catalog, "emergency/wallet/back/heading", "Where you get help", fuzzy=True)
    project = Project(DataDir.locate(data_copy))
    pdf, pages = proof_sheet(project, project.language("en"), ["emergency"])
    card_page = normalise(page_text(pdf, pages - 2 * len(project.card("emergency").formats)))
    assert "UTKAST – översättningen är inte granskad" in card_page
    assert "Where you get help" in card_page


def test_a_broken_catalog_gives_no_proof(run: Run, data_copy: Path, tmp_path: Path) -> None:
    catalog = data_copy / "locales" / "en" / "LC_MESSAGES" / "nodkort.po"
    lines = catalog.read_text(encoding="utf-8").split("\n")
    index = lines.index('msgctxt "emergency/wallet/front/emergency"') + 2
    lines[index] = 'msgstr "Immediate danger? Call {emergencies}"'
    catalog.write_text("\n".join(lines), encoding="utf-8")
    out = tmp_path / "proof.pdf"
    result = run("proof", "--lang", "en", "-o", str(out), data=data_copy)
    assert result.exit_code == 1
    assert f"locales/en/LC_MESSAGES/nodkort.po:{index - 1}" in result.output
    assert "missing {emergency}; unknown {emergencies}" in result.output
    assert not out.exists()


def test_a_misspelt_municipality_gives_no_proof(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "proof.pdf"
    result = run("proof", "--lang", "en", "--municipality", "Uppsala", "-o", str(out))
    assert result.exit_code == 2
    assert result.output == (
        "Error: unknown municipality 'Uppsala': did you mean Sala? Choose one of: Arboga, Fagersta, Hallstahammar, "
        "Kungsör, Köping, Norberg, Sala, Skinnskatteberg, Surahammar, Västerås\n"
    )
    assert not out.exists()
