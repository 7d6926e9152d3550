"""What extraction tools read from a tagged card (PDF/UA): pdfium (pypdfium2) and poppler (pdftotext).

Each part of each line (a paragraph's line, a list item's, a table cell's) must come out as the catalog has
it, in logical order, without word joiners; compared without white space and line breaks, and without the
direction marks (U+200E/F, U+202A–E, U+2066–9) that poppler writes around every right-to-left line and
number, and pdfium is told around Latin runs. docs/accessibility.md says how the content is built for that,
and what each tool still reads its own way (poppler: a table row with a Latin name and a number inside
right-to-left words).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pikepdf
import pytest

from helpers import struct_elements
from nodkort.layout.primitives import TextLine, logical
from nodkort.model import Job
from nodkort.pdf.marked import for_pdfium, for_pdfium_island, for_poppler, right_to_left, words
from nodkort.pipeline import render
from nodkort.project import Project
from test_standards_ua import _extracted

LANGS = ["sv", "en", "ar", "fa", "ckb", "ps", "ur", "yi", "ti", "th", "zh"]
RIGHT_TO_LEFT = ["ar", "fa", "ckb", "ps", "ur", "yi"]
_DIRECTION_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _flat(text: str) -> str:
    return "".join(_DIRECTION_MARKS.sub("", text).split())


def _scripts(text: str) -> set[str]:
    """ "rtl", "latin", "digit": what a line holds that decides how a tool reorders it."""
    out = set()
    for c in text:
        bidi = unicodedata.bidirectional(c)
        if bidi in ("R", "AL"):
            out.add("rtl")
        elif bidi == "L":
            out.add("latin")
        elif bidi in ("EN", "AN"):
            out.add("digit")
    return out


def _parts(project: Project, lang: str, job: Job | None = None) -> tuple[list[tuple[str, str, set[str]]], bytes]:
    """(the part's text, its element type, what its whole line holds) for every tagged part, and the PDF."""
    laid, pdf = render(project, job or Job("emergency", lang, draft=True), "ua")
    parts = []
    for side in laid.sides:
        for item in side.items:
            if isinstance(item, TextLine):
                line = _scripts("".join(tag.text for tag in item.tags))
                parts += [(logical(t.text).strip(), t.path[-1][0] if t.path else "", line) for t in item.tags]
    return [p for p in parts if p[0]], pdf


@pytest.mark.parametrize("lang", LANGS)
def test_poppler_reads_every_string_in_logical_order(project: Project, lang: str, tmp_path: Path) -> None:
    parts, pdf = _parts(project, lang)
    text = _extracted(pdf, tmp_path)[1]
    if text is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    # Known limit: a right-to-left table row with a Latin name next to a number ("BRIS – 18 سال" in Urdu):
    # poppler orders the name, the dash and the number left to right before reversing the rest.
    checked = [p for p in parts if not (p[1] == "TD" and {"rtl", "digit"} <= _scripts(p[0]) and "latin" in p[2])]
    assert [p[0] for p in checked if _flat(p[0]) not in _flat(text)] == []
    assert "\u2060" not in text
    assert len(checked) >= len(parts) - 1


@pytest.mark.parametrize("lang", LANGS)
def test_pdfium_reads_every_string_in_logical_order(project: Project, lang: str, tmp_path: Path) -> None:
    parts, pdf = _parts(project, lang)
    text = _extracted(pdf, tmp_path)[0]
    assert [p[0] for p in parts if _flat(p[0]) not in _flat(text)] == []  # every string, the table too
    assert "\u2060" not in text
    mixed = [p for p in parts if {"latin", "rtl"} <= p[2]]  # a Latin name inside a right-to-left line
    assert not any("rtl" in line for _, _, line in parts) or mixed


@pytest.mark.parametrize("lang", RIGHT_TO_LEFT)
def test_pdfium_reads_every_string_of_a_discreet_right_to_left_card(
    project: Project, lang: str, tmp_path: Path
) -> None:
    """The discreet card's table: neutral names beside numbers, hours alone in a cell ("دن رات" in Nastaliq)."""
    parts, pdf = _parts(project, lang, Job("emergency", lang, draft=True, variant="discreet"))
    text = _flat(_extracted(pdf, tmp_path)[0])
    assert [p[0] for p in parts if _flat(p[0]) not in text] == []


@pytest.mark.parametrize("lang", RIGHT_TO_LEFT)
def test_both_tools_read_a_right_to_left_action_card_with_latin_names_and_numbers(
    project: Project, lang: str, tmp_path: Path
) -> None:
    """The action card: two columns, Swedish names, phone numbers and a web address inside right-to-left text.
    Measured with either tool: 112–133 of 114–135 strings (ar, fa, ckb, ps, ur, yi); pdfium read 101–120 before
    islands, leads and dividers, poppler 109–130 before a comma ending a word was kept from the number beside it."""
    parts, pdf = _parts(project, lang, Job("action", lang, draft=True, municipality="Västerås"))
    for tool, extracted in zip(("pdfium", "poppler"), _extracted(pdf, tmp_path), strict=True):
        if extracted is None:
            continue  # pdftotext (poppler-utils) is not installed
        text = _flat(extracted)
        missed = [p[0] for p in parts if _flat(p[0]) not in text]
        numbers = [p[0] for p in parts if p[2] == {"digit"}]
        assert numbers and not set(numbers) & set(missed), tool  # every phone number, its digits in order
        assert len(missed) <= len(parts) // 40, (tool, missed)  # 97.5 % of the strings at least


def test_a_right_to_left_word_is_said_to_each_tool_its_own_way() -> None:
    # تُزوَّج: a damma and a shadda with fatha between the letters; (خط: a bracket before them
    word = "تُزوَّج"
    assert for_poppler(word) == word[::-1]
    assert for_pdfium(word) == "ت" + "\u064f" + "وز" + "\u0651\u064e" + "ج"
    assert for_pdfium("(خط") == ")" + "طخ"
    assert for_poppler("(خط") == "طخ(" + "\u200f"  # a right-to-left mark keeps the bracket with the word
    assert for_poppler("المقاطعة،") == "\u200f" + "المقاطعة،"[::-1]  # and the comma away from a number


def test_words_keep_a_persian_non_joiner_the_glyphs_do_not_draw() -> None:
    # می‌شناسید drawn left to right as its glyphs stand (shaping draws no glyph for the non-joiner)
    glyphs = list("دیسانشیم")
    pieces = words(glyphs, list(range(len(glyphs))), "که می\u200cشناسید")
    assert pieces == [(0, len(glyphs), "می\u200cشناسید")]


def test_the_structure_says_a_right_to_left_part_in_logical_order(project: Project) -> None:
    laid, pdf = render(project, Job("emergency", "ar", draft=True), "ua")
    doc = pikepdf.open(__import__("io").BytesIO(pdf))
    spans = [e for e in struct_elements(doc.Root.StructTreeRoot.K) if "/ActualText" in e]
    assert str(spans[0].P.S) == "/H1"
    # The heading wraps: a Span a line, each in logical order, the first line first; together the catalog string.
    heading = [str(e.ActualText) for e in spans if e.P.objgen == spans[0].P.objgen]
    first = logical(laid.sides[0].texts[0]).strip()
    assert right_to_left(heading[0]) and first.startswith(heading[0].strip())
    assert " ".join("".join(heading).split()) == " ".join(first.split())


def test_a_left_to_right_island_is_one_piece_said_to_pdfium_in_its_own_way() -> None:
    # "اتصل بـ +46 8 405 50 05" drawn left to right: the number's groups are one island, not five pieces
    glyphs = list("+46 8 405 50 05 ـب لصتا")
    pieces = words(glyphs, list(range(len(glyphs))), "اتصل بـ +46 8 405 50 05")
    assert pieces[0] == (0, 15, "")
    assert [w for _, _, w in pieces if w] == ["بـ", "اتصل"]  # left to right, as drawn
    # pdfium reverses a right-to-left line's runs: an island's runs come in reverse order, with as many
    # right-to-left marks as Latin runs (before each Latin run but the first, and at the end); a number as it is
    assert for_pdfium_island("UD-jouren") == "\u200fjouren\u200f-UD"
    assert for_pdfium_island("Rätt (RAV)") == "\u200f(RAV\u200f )Rätt"  # runs: "Rätt", " (", "RAV", ")"
    assert for_pdfium_island("Köping") == "\u200fKöping"
    assert for_pdfium_island("+46 8 405 50 05") == "+46 8 405 50 05"
    # a full stop alone after a number is a run of its own between right-to-left marks
    assert for_pdfium(".") == "\u200f.\u200f"
