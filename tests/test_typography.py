"""Typography: line breaks with taste and line spacing, measured on every card × language × format as laid out."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import pytest

from geometry import glyph_boxes, ink_meets
from nodkort.errors import NodkortError
from nodkort.layout import text_field
from nodkort.layout.primitives import TextLine
from nodkort.layout.side import LaidCard
from nodkort.layout.text_field import Para
from nodkort.layout.text_field import paragraphs as text_paragraphs
from nodkort.model import Job
from nodkort.pipeline import lay_out
from nodkort.project import Project
from nodkort.text.breaks import line_breaks
from nodkort.text.paragraph import _SHAPED, Shaped, Span, shape

MUNICIPALITY = "Sala"
HOURS = re.compile(r"\d{1,2}(?:[.:]\d{2})?\u2060?\u2013\u2060?\d{1,2}(?:[.:]\d{2})?")


@dataclass(frozen=True)
class Placed:
    """A laid-out line and the paragraph it comes from."""

    line: TextLine
    shaped: Shaped
    start: int
    end: int


def placed_lines(laid: LaidCard) -> list[list[Placed]]:
    """Per side, every text line matched to its paragraph (the glyph tuples are the shaped lines' own)."""
    origin: dict[int, tuple[Shaped, int, int]] = {}
    for shaped in _SHAPED.values():
        for (start, end), line in shaped._lines.items():
            if line.glyphs:
                origin[id(line.glyphs)] = (shaped, start, end)
    sides = []
    for side in laid.sides:
        found = []
        for item in side.items:
            if isinstance(item, TextLine) and id(item.glyphs) in origin:
                found.append(Placed(item, *origin[id(item.glyphs)]))
        sides.append(found)
    return sides


@dataclass(frozen=True)
class Measures:
    runts: list[str]
    bad_breaks: list[str]
    touching: list[str]


_MEASURED: dict[tuple[str, str, str], Measures | None] = {}


def measured(project: Project, card: str, lang: str, fmt: str) -> Measures | None:
    """A card laid out and measured once for every test here; None when it cannot be printed (`check` says why)."""
    key = (card, lang, fmt)
    if key not in _MEASURED:
        municipality = MUNICIPALITY if project.card(card).needs_municipality else None
        fields: set[int] = set()  # the paragraphs of text fields (the contacts table spaces its own rows)

        def recorded(*args: Any, **kwargs: Any) -> list[Para]:
            paras = text_paragraphs(*args, **kwargs)
            fields.update(id(p.shaped) for p in paras)
            return paras

        text_field.paragraphs = recorded  # type: ignore[assignment]
        try:
            laid = lay_out(project, Job(card, lang, fmt, municipality=municipality, draft=lang != "sv"))
        except NodkortError:
            _MEASURED[key] = None
        else:
            _MEASURED[key] = Measures(runts(laid), bad_breaks(laid), touching(laid, fields))
        finally:
            text_field.paragraphs = text_paragraphs
    return _MEASURED[key]


def combinations(project: Project) -> list[tuple[str, str, str]]:
    return [
        (card, lang, fmt)
        for card in project.card_ids
        for lang in project.languages
        for fmt in project.card(card).formats
    ]


def paragraphs(sides: list[list[Placed]]) -> list[list[Placed]]:
    """The lines of each paragraph on a side, in order (a paragraph placed twice on a side counts twice)."""
    out: list[list[Placed]] = []
    for side in sides:
        current: dict[int, list[Placed]] = {}
        for placed in side:
            lines = current.setdefault(id(placed.shaped), [])
            if lines and placed.start <= lines[-1].start:
                out.append(current.pop(id(placed.shaped)))
                lines = current.setdefault(id(placed.shaped), [])
            lines.append(placed)
        out += current.values()
    return out


def runts(laid: LaidCard) -> list[str]:
    """Paragraphs of two or more lines whose last line holds one word (one character in Chinese)."""
    out = []
    for lines in paragraphs(placed_lines(laid)):
        shaped = lines[0].shaped
        if len(lines) >= 2 and shaped.runt([(p.start, p.end) for p in lines]):
            out.append(shaped.text[lines[-1].start : lines[-1].end])
    return out


def bad_breaks(laid: LaidCard) -> list[str]:
    """Line ends inside an opening-hours range, or inside a parenthesis that would fit on a line of its own."""
    out = []
    for lines in paragraphs(placed_lines(laid)):
        shaped = lines[0].shaped
        text = shaped.text
        widest = max(shaped.width(p.start, p.end) for p in lines)
        inside: set[int] = set()
        for match in HOURS.finditer(text):
            inside.update(range(match.start() + 1, match.end()))
        for match in re.finditer(r"[(（][^()（）]*[)）]", text):
            if shaped.width(match.start(), match.end()) <= widest:
                inside.update(range(match.start() + 1, match.end()))
        for placed in lines[1:]:
            if placed.start in inside:
                out.append(f"{text[max(0, placed.start - 12) : placed.start]}|{text[placed.start : placed.start + 12]}")
    return out


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_no_sv_or_en_card_ends_a_paragraph_with_a_single_word(project: Project, lang: str) -> None:
    found = {}
    for card, code, fmt in combinations(project):
        measures = measured(project, card, code, fmt) if code == lang else None
        if measures is not None and measures.runts:
            found[(card, fmt)] = measures.runts
    assert found == {}


def test_no_card_breaks_a_line_inside_a_parenthesis_or_opening_hours(project: Project) -> None:
    found = {}
    for combination in combinations(project):
        measures = measured(project, *combination)
        if measures is not None and measures.bad_breaks:
            found[combination] = measures.bad_breaks
    assert found == {}


def test_lines_with_marks_do_not_touch_the_line_above(project: Project) -> None:
    found = {}
    for combination in combinations(project):
        measures = measured(project, *combination)
        if measures is not None and measures.touching:
            found[combination] = measures.touching
    assert found == {}


def touching(laid: LaidCard, fields: set[int]) -> list[str]:
    """Glyph ink: lines of text fields with a glyph whose ink reaches the ink of a glyph of the line above that
    stands over it (lines may interlock where their ink leaves room)."""
    out = []
    for lines in paragraphs(placed_lines(laid)):
        if id(lines[0].shaped) not in fields:
            continue
        for upper, lower in pairwise(lines):
            try:
                ink_meets(glyph_boxes(upper.line), glyph_boxes(lower.line))
            except AssertionError:
                out.append(upper.shaped.text[lower.start : lower.end][:24])
    return out


# --- the rules themselves -----------------------------------------------------------------------------------


def pieces(text: str, breaks: tuple[int, ...]) -> list[str]:
    return [text[a:b] for a, b in zip((0, *breaks), breaks, strict=False)]


def test_hours_and_day_ranges_stay_whole_and_with_the_word_before(project: Project) -> None:
    text = "Ring (mån–tors 16.30–00, fre 09–12) eller alla dagar 07–21."
    strict, hard, unicode = line_breaks(text, False, project.language("sv").breaks)
    assert pieces(text, hard) == ["Ring ", "(mån–tors 16.30–00, ", "fre 09–12) ", "eller ", "alla ", "dagar 07–21."]
    assert pieces(text, strict) == ["Ring ", "(mån–tors 16.30–00, fre 09–12) ", "eller ", "alla ", "dagar 07–21."]
    assert "07–" in pieces(text, unicode)  # what Unicode alone would allow


def test_slavic_one_letter_words_stay_with_the_next(project: Project) -> None:
    text = "Позвоните в полицию и о помощи"
    assert pieces(text, line_breaks(text, False, project.language("ru").breaks)[0]) == [
        "Позвоните ",
        "в полицию ",
        "и о помощи",
    ]
    text = "Zadzwoń w nocy i z domu"
    assert pieces(text, line_breaks(text, False, project.language("pl").breaks)[0]) == [
        "Zadzwoń ",
        "w nocy ",
        "i z domu",
    ]


def test_chinese_kinsoku_and_thai_compounds(project: Project) -> None:
    text = "请拨打（免费）。"
    strict = pieces(text, line_breaks(text, False, project.language("zh").breaks)[1])
    assert not any(p.startswith(("）", "。")) or p.endswith("（") for p in strict)
    text = "ผู้ประกอบวิชาชีพต้องแจ้ง"
    thai = pieces(text, line_breaks(text, True, project.language("th").breaks)[0])
    assert thai[0] == "ผู้ประกอบวิชาชีพ"


def test_a_last_word_alone_pulls_the_word_before_it_down(project: Project) -> None:
    para = shape(
        [Span("Ring oss när du vill veta mer om vad vi kan göra, om du vill veta.")],
        project.language("sv"),
        project.fonts,
    )
    width = para.width(0, len(para.text)) * 0.55
    lines = para.wrap(width)
    assert lines is not None and len(lines) == 2
    assert para.text[lines[-1][0] : lines[-1][1]].count(" ") >= 1
    assert not para.runt(lines)
