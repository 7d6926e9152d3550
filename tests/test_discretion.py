"""Discretion on every side: a discreet card names its subject on no side, no panel, no QR code and in no
file name or metadata; it does not look like the plain card; a vCard saves neutral names in the card's language."""

from __future__ import annotations

import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from conftest import Run
from nodkort.layout.gates import forbidden_words
from nodkort.layout.primitives import Fill, QrCode, TextLine
from nodkort.layout.side import LaidCard
from nodkort.model import Job
from nodkort.pipeline import lay_out, render
from nodkort.project import Project
from test_catalogs import set_msgstr

FORMATS = ("wallet", "folded", "large")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _payloads(laid: LaidCard) -> list[str]:
    return [item.payload for side in laid.sides for item in side.items if isinstance(item, QrCode)]


# --- the matching rule ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "hits"),
    [
        ("Ring UD-jouren", ["UD"]),
        ("You could call us", []),  # an abbreviation matches only as a whole word
        ("Ljudet var högt", []),
        ("Hedersvåld är ett brott", ["våld", "heder"]),  # compounds are caught by their parts
        ("Lämna en kopia av passet", ["pass"]),
        ("Take your PASSPORT", ["pass", "passport"]),
        ("Viktiga nummer", []),
    ],
)
def test_forbidden_words_match_compounds_and_whole_abbreviations(text: str, hits: list[str]) -> None:
    words = ("UD", "våld", "heder", "pass", "passport")
    assert sorted(forbidden_words(words, text)) == sorted(hits)


def test_the_list_covers_both_source_languages(project: Project) -> None:
    words = {w.casefold() for w in project.card("emergency").forbidden_outside}
    for word in (
        "ud",
        "utrikes",
        "utlandet",
        "anonym",
        "telefonräkning",
        "pass",
        "sked",
        "äktenskap",
        "gift",
        "abroad",
        "foreign",
        "anonymous",
        "phone bill",
        "passport",
        "spoon",
        "marri",
    ):
        assert word in words, word


# --- every side and panel, both source languages -------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_discreet_card_names_its_subject_on_no_side(project: Project, fmt: str, lang: str) -> None:
    laid = lay_out(project, Job("emergency", lang, fmt, "discreet", draft=lang != "sv"))
    card = project.card("emergency")
    assert len(laid.sides) == len(card.formats[fmt].sides)
    for side in laid.sides:  # the inside of the folded card too
        assert not forbidden_words(card.forbidden_outside, " ".join(side.texts)), side.name
    for payload in _payloads(laid):
        assert not forbidden_words(card.forbidden_outside, payload), payload


def test_a_forbidden_word_inside_the_swedish_discreet_card_is_refused(run: Run, data_copy: Path) -> None:
    template = data_copy / "cards" / "emergency.toml"
    _edit(
        template,
        'text = "Skriv här numret till någon du litar på."',
        'text = "Skriv här numret till någon du litar på. Ta med passet."',
    )
    result = run("render", "emergency", "--format", "folded", "--discreet", "-o", "/dev/null", data=data_copy)
    assert result.exit_code == 1
    assert "the discreet variant shows 'pass' on the inside" in result.output
    assert "inside side, sv" in result.output


def test_a_forbidden_word_in_the_english_discreet_card_is_refused(run: Run, data_copy: Path) -> None:
    po = data_copy / "locales" / "en" / "LC_MESSAGES" / "nodkort.po"
    set_msgstr(po, "emergency/folded/inside/notes", "Keep your passport with someone you trust.", fuzzy=True)
    result = run(
        "render",
        "emergency",
        "--lang",
        "en",
        "--format",
        "folded",
        "--discreet",
        "--draft",
        "-o",
        "/dev/null",
        data=data_copy,
    )
    assert result.exit_code == 1
    assert "the discreet variant shows 'pass' on the inside" in result.output
    assert "shows 'passport' on the inside" in result.output


def test_a_forbidden_word_on_the_outside_is_refused_by_check(run: Run, data_copy: Path) -> None:
    template = data_copy / "cards" / "emergency.toml"
    _edit(
        template,
        'text = "Samtal till {kvinnofridslinjen} är gratis."',
        'text = "Samtal till {kvinnofridslinjen} är gratis, även från utlandet."',
    )
    result = run("render", "emergency", "--format", "folded", "--discreet", "-o", "/dev/null", data=data_copy)
    assert result.exit_code == 1
    assert "the discreet variant shows 'utlandet' on the outside" in result.output


def test_a_revealing_neutral_name_is_refused_even_in_a_qr_code(run: Run, data_copy: Path) -> None:
    national = data_copy / "cards" / "contacts" / "national.toml"
    _edit(national, 'discreet_name = "Jouren"', 'discreet_name = "UD"')
    result = run("render", "emergency", "--discreet", "-o", "/dev/null", data=data_copy)
    assert result.exit_code == 1
    assert "shows 'UD'" in result.output


def test_every_neutral_contact_name_is_neutral(project: Project) -> None:
    words = project.card("emergency").forbidden_outside
    named = [c for c in project.national.values() if c.discreet_name]
    assert named
    for contact in named:
        assert not forbidden_words(words, contact.discreet_name), contact.id


# --- the look ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_discreet_card_does_not_look_like_the_plain_one(project: Project, fmt: str) -> None:
    accent = project.card("emergency").formats[fmt].sides[0].fields
    color = next(f.color for f in accent if f.id == "band")  # type: ignore[union-attr]
    plain = lay_out(project, Job("emergency", "sv", fmt)).sides[0]
    discreet = lay_out(project, Job("emergency", "sv", fmt, "discreet")).sides[0]

    def fills(side: object) -> int:
        return sum(isinstance(i, Fill) and i.color == color for i in side.items)  # type: ignore[attr-defined]

    def coloured_text(side: object) -> int:
        return sum(isinstance(i, TextLine) and i.color == color for i in side.items)  # type: ignore[attr-defined]

    assert fills(plain) == 1 and fills(discreet) == 0  # no coloured band
    assert coloured_text(discreet) < coloured_text(plain)  # a black title, not the plain card's coloured one


# --- QR codes ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "name", "labels", "foreign"),
    [
        ("sv", "Viktiga nummer", ["Jouren", "Polisen\\, med landsnummer"], ["Duty line"]),
        ("en", "Important numbers", ["Duty line", "Police\\, with country code"], ["Jouren", "Polisen", "Viktiga"]),
    ],
)
def test_a_vcard_saves_neutral_names_in_the_card_s_language(
    project: Project, lang: str, name: str, labels: list[str], foreign: list[str]
) -> None:
    laid = lay_out(project, Job("emergency", lang, "folded", draft=lang != "sv"))
    (payload,) = _payloads(laid)
    assert f"FN:{name}\r\n" in payload
    assert re.findall(r"X-ABLabel:(.*)\r\n", payload) == labels
    for word in foreign:
        assert word not in payload
    assert not forbidden_words(project.card("emergency").forbidden_outside, payload)


def test_no_020_number_is_offered_for_use_from_abroad(project: Project) -> None:
    laid = lay_out(project, Job("emergency", "sv", "folded"))
    (payload,) = _payloads(laid)
    assert "+4620" not in payload  # regeringen.se names only UD-jouren and the police for calls from abroad


# --- plain cards: file name and metadata ------------------------------------------------------------------


@pytest.mark.parametrize("card", ["emergency", "action"])
def test_a_plain_default_file_name_says_nothing_of_the_subject(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, card: str
) -> None:
    monkeypatch.chdir(tmp_path)
    extra = ["--municipality", "Sala"] if card == "action" else []
    result = run("render", card, *extra)
    assert result.exit_code == 0, result.output
    (name,) = [p.name for p in tmp_path.iterdir()]
    assert name.startswith("kort-sv-") and card not in name


@pytest.mark.parametrize(("card", "title"), [("emergency", "Nödkort"), ("action", "Åtgärdskort")])
def test_the_plain_pdf_title_is_the_card_s_name_and_no_tool_is_named(project: Project, card: str, title: str) -> None:
    extra = {"municipality": "Sala"} if card == "action" else {}
    _, pdf = render(project, Job(card, "sv", **extra))  # type: ignore[arg-type]
    doc = pdfium.PdfDocument(pdf)
    try:
        meta = {k: str(v) for k, v in doc.get_metadata_dict().items()}
    finally:
        doc.close()
    assert meta["Title"] == title
    assert meta.get("Creator", "") == meta.get("Producer", "") == ""
    assert b"nodkort" not in pdf.lower()
