"""The text engine on its own: bidi levels, numbers, font fallback, marks, line breaking and the glyph checks.

Reference strings come from tests/data/scripts/; what the engine does to them on a printed page is tested
in test_scripts.py.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from pathlib import Path

import pytest
from bidi import get_display
from hypothesis import given, settings
from hypothesis import strategies as st

from nodkort.errors import GlyphError, Location
from nodkort.project import Project
from nodkort.text.bidi import FSI, LRI, PDI, RLI, levels
from nodkort.text.fonts import FontBook
from nodkort.text.paragraph import NBSP, WJ, Shaped, Span, protect_numbers, shape

SCRIPTS = Path(__file__).parent / "data" / "scripts"
SAMPLES = {
    code: table
    for path in sorted(SCRIPTS.glob("*.toml"))
    for code, table in tomllib.loads(path.read_text(encoding="utf-8")).items()
}
RTL = ["ar", "fa", "prs", "ckb", "ps", "ur", "yi"]
NUMBERS = ["+46 8 405 50 05", "020-50 50 50", "114 14", "112"]


def shaped(project: Project, code: str, text: str, bold: bool = False) -> Shaped:
    return shape([Span(text, bold)], project.language(code), project.fonts)


def visual_text(para: Shaped) -> str:
    """The characters of a one-line paragraph in the order its glyphs are drawn, left to right.

    A cluster (a ligature, or a letter with a control HarfBuzz removed) gives all its characters, right to
    left when they are right-to-left letters."""
    line = para.line(0, len(para.text))
    starts = sorted({g.cluster for g in line.glyphs})
    end = dict(zip(starts, [*starts[1:], len(para.text)], strict=True))
    seen: set[int] = set()
    out = []
    for glyph in line.glyphs:
        if glyph.cluster not in seen:
            seen.add(glyph.cluster)
            piece = para.text[glyph.cluster : end[glyph.cluster]]
            rtl = any(unicodedata.bidirectional(c) in ("R", "AL") for c in piece)
            out.append(piece[::-1] if rtl else piece)
    return "".join(out)


def comparable(text: str) -> str:
    """Drop what bidi display order cannot decide (spaces, marks, controls); brackets are one symbol, since
    get_display mirrors them and the engine keeps the logical character."""
    text = re.sub(r"[()\[\]{}]", "|", text)
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c) not in ("Mn", "Cf"))


# --- bidi ---------------------------------------------------------------------------------------------------


def test_numbers_are_joined_and_isolated_left_to_right_in_rtl_text() -> None:
    text = "اتصل بـ 020-50 50 50 أو 114 14 أو 112"
    assert protect_numbers(text, rtl=True) == (
        f"اتصل بـ {LRI}020-50{NBSP}50{NBSP}50{PDI} أو {LRI}114{NBSP}14{PDI} أو 112"
    )
    # In left-to-right text the digit groups are only joined: nothing reorders them there.
    assert protect_numbers("Ring 114 14", rtl=False) == f"Ring 114{NBSP}14"
    assert protect_numbers("07–21", rtl=False) == f"07{WJ}–{WJ}21"


def test_isolates_resolve_without_python_bidi_asserting() -> None:
    # python-bidi's own algorithm raises AssertionError on LRI/RLI/FSI/PDI (tech.md §1).
    text = f"Ring {RLI}שלום{PDI} now {FSI}עברית{PDI}."
    got = levels(text, 0)
    hebrew = [got[i] for i, c in enumerate(text) if unicodedata.bidirectional(c) == "R"]
    assert hebrew and all(level % 2 == 1 for level in hebrew)
    assert all(got[i] == 0 for i, c in enumerate(text) if c.isascii() and c.isalpha())


def test_digits_in_rtl_text_sit_at_a_left_to_right_level(project: Project) -> None:
    para = shaped(project, "ar", "اتصل بوزارة الخارجية على الرقم +46 8 405 50 05 على مدار الساعة.")
    digits = [run.level for run in para.runs for g in run.glyphs if para.text[g[1]].isdigit()]
    assert digits and all(level % 2 == 0 for level in digits)


@pytest.mark.parametrize("code", RTL)
def test_visual_order_matches_the_bidi_algorithm(project: Project, code: str) -> None:
    for text in [SAMPLES[code]["line"], *SAMPLES[code]["numbers"]]:
        para = shaped(project, code, text)
        expected = get_display(protect_numbers(unicodedata.normalize("NFC", text), True), base_dir="R")
        assert comparable(visual_text(para)) == comparable(expected), text


@pytest.mark.parametrize("code", RTL)
def test_numbers_stay_whole_and_left_to_right_in_rtl_text(project: Project, code: str) -> None:
    for text in SAMPLES[code]["numbers"]:
        drawn = comparable(visual_text(shaped(project, code, text)))
        for number in NUMBERS:
            if number in text:
                assert number.replace(" ", "") in drawn, (text, number, drawn)


def test_brackets_are_mirrored_in_rtl_runs_and_keep_their_meaning(project: Project) -> None:
    para = shaped(project, "ar", "خط المساعدة (مجاناً) في أي وقت")
    face = project.fonts.face("arabic")
    drawn = {g.char: g.gid for g in para.line(0, len(para.text)).glyphs if g.char in "()"}
    opening = [g for g in para.line(0, len(para.text)).glyphs if para.text[g.cluster] == "("]
    assert len(opening) == 1
    # The logical "(" is drawn with the glyph of ")" (it opens to the left in RTL) but reads as "(".
    assert opening[0].gid == face.ttf.face.charToGlyph[ord(")")]
    assert drawn.get("(") != face.ttf.face.charToGlyph[ord("(")]


# --- fonts, marks, special spaces ---------------------------------------------------------------------------


def test_each_character_takes_the_first_font_of_the_chain_that_has_it(project: Project) -> None:
    para = shaped(project, "yi", "אין אַ נויטפֿאַל רופֿט 112.")
    fonts = {para.text[g[1]]: run.face.family for run in para.runs for g in run.glyphs}
    assert fonts["א"] == "hebrew" and fonts["פ"] == "hebrew"
    assert fonts["1"] == "sans" and fonts["."] == "sans"  # Noto Sans Hebrew has no digits or full stop
    para = shaped(project, "ar", "هل أنت بخير؟ نعم، شكراً")
    fonts = {para.text[g[1]]: run.face.family for run in para.runs for g in run.glyphs}
    assert fonts["؟"] == "arabic" and fonts["،"] == "arabic"
    para = shaped(project, "zh", "请拨打112。")
    fonts = {para.text[g[1]]: run.face.family for run in para.runs for g in run.glyphs}
    assert fonts["请"] == "cjk" and fonts["。"] == "cjk" and fonts["1"] == "sans"


@pytest.mark.parametrize(
    ("code", "text"), [("rom", "n\u0308"), ("rom", "q\u0323"), ("yi", "פ\u05bcא\u05b7"), ("th", "ปี่"), ("ar", "شُكْرًا")]
)
def test_marks_stay_with_their_base(project: Project, code: str, text: str) -> None:
    para = shaped(project, code, text)
    line = para.line(0, len(para.text))
    assert len({id(g.face) for g in line.glyphs}) == 1, "a mark was shaped in another font than its base"
    marks = [g for g in line.glyphs if unicodedata.category(para.text[g.cluster]) == "Mn"]
    assert marks
    for mark in marks:
        # Positioned on its base by the font (GPOS mark), not set after it as a spacing character.
        assert mark.advance == 0


def test_latin_combining_sequences_compose_first() -> None:
    # NFC turns e + U+0301 into é, which the fonts map directly; the text layer then says "é".
    assert unicodedata.normalize("NFC", "Romani c\u0301hib") == "Romani ćhib"


def test_no_break_space_and_word_joiner(project: Project) -> None:
    spaced = shaped(project, "sv", "114 14")
    joined = shaped(project, "sv", f"114{NBSP}14")
    # Same width: the no-break space is drawn as a space; but no line may break there.
    assert joined.width(0, len(joined.text)) == pytest.approx(spaced.width(0, len(spaced.text)))
    assert joined.breaks == [len(joined.text)]
    word = shaped(project, "sv", f"07{WJ}–{WJ}21 dagligen")
    assert word.advance[2] == 0 and word.advance[4] == 0  # the joiners take no room
    assert 3 not in word.breaks and 4 not in word.breaks and 5 not in word.breaks


# --- line breaking ------------------------------------------------------------------------------------------


def wrapped_lines(para: Shaped, width: float) -> list[str]:
    lines = para.wrap(width)
    assert lines is not None
    return [para.text[a:b] for a, b in lines]


def widths(para: Shaped) -> list[float]:
    widest = para.longest_word()
    return [widest * (1 + 0.25 * i) for i in range(24)]


def test_thai_breaks_only_between_dictionary_words(project: Project) -> None:
    from pythainlp.corpus import thai_words
    from pythainlp.tokenize import word_tokenize

    text = SAMPLES["th"]["paragraph"]
    para = shaped(project, "th", text)
    words = thai_words()
    # Every piece between two break opportunities is made of whole dictionary words (an independent
    # dictionary, pythainlp's, checks ICU's): no opportunity falls inside a word.
    for a, b in zip([0, *para.breaks], para.breaks, strict=False):
        for token in word_tokenize(para.text[a:b].strip(), engine="newmm"):
            thai = re.sub(r"[^\u0e00-\u0e7f]", "", token)
            assert not thai or thai in words, f"break inside a word: {para.text[a:b]!r}"
    broken = 0
    for width in widths(para):
        lines = wrapped_lines(para, width)
        broken += len(lines) > 1
        for line in lines:
            for token in word_tokenize(line.strip(), engine="newmm"):
                thai = re.sub(r"[^\u0e00-\u0e7f]", "", token)
                assert not thai or thai in words, f"{token!r} in line {line!r} is not a dictionary word"
    assert broken > 10  # the paragraph was really broken into lines, many times


def test_chinese_breaks_between_characters_but_never_before_closing_punctuation(project: Project) -> None:
    para = shaped(project, "zh", SAMPLES["zh"]["paragraph"])
    starts: set[str] = set()
    for width in widths(para):
        for line in wrapped_lines(para, width)[1:]:
            starts.add(line[0])
            assert line[0] not in "，。！？）、：；", line
    assert any("\u4e00" <= c <= "\u9fff" for c in starts)  # lines do break between hanzi


@pytest.mark.parametrize("code", ["sv", "th", "zh"])
def test_numbers_are_never_split_across_lines(project: Project, code: str) -> None:
    text = SAMPLES[code]["paragraph"]
    para = shaped(project, code, text)
    for width in widths(para):
        lines = [line.replace(NBSP, " ").replace(WJ, "") for line in wrapped_lines(para, width)]
        for number in NUMBERS:
            if number in text:
                assert any(number in line for line in lines), (number, lines)


def test_latin_breaks_at_spaces_and_hyphens_only(project: Project) -> None:
    para = shaped(project, "sv", SAMPLES["sv"]["paragraph"])
    for width in widths(para):
        lines = wrapped_lines(para, width)
        for line in lines[:-1]:
            assert line.endswith((" ", "-")), line


@settings(max_examples=60, deadline=None)
@given(width=st.floats(min_value=2.0, max_value=40.0), code=st.sampled_from(sorted(SAMPLES)))
def test_wrapped_lines_fit_their_width_and_lose_nothing(project: Project, width: float, code: str) -> None:
    text = SAMPLES[code].get("paragraph") or " ".join([SAMPLES[code]["line"], *SAMPLES[code]["numbers"]])
    para = shaped(project, code, text)
    lines = para.wrap(width)
    if lines is None:
        assert para.longest_word() > width
        return
    assert "".join(para.text[a:b] for a, b in lines) == para.text
    for a, b in lines:
        assert para.line(a, b).width <= width + 1e-9


# --- the glyph checks ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "char", "name", "chain"),
    [
        ("sv", "\U0001f600", "GRINNING FACE", "sans"),
        ("ar", "\u0b95", "TAMIL LETTER KA", "arabic, sans"),
        ("th", "\u0b95", "TAMIL LETTER KA", "thai, sans"),
    ],
)
def test_a_character_no_font_has_is_refused(project: Project, code: str, char: str, name: str, chain: str) -> None:
    with pytest.raises(GlyphError) as caught:
        shape([Span(f"Ring {char} 112")], project.language(code), project.fonts, Location("x.toml", 3, "x/y"))
    message = str(caught.value)
    assert f"U+{ord(char):04X} {name}" in message
    assert message.startswith(f"x.toml:3 [x/y] ({code}): no glyph") and f"fonts {chain}" in message


def test_glyph_zero_after_shaping_is_refused(project: Project) -> None:
    """A font that claims a character it cannot draw: HarfBuzz returns .notdef, and the engine refuses it."""
    book = FontBook(project.fonts.folder)
    face = book.face("sans")
    face.cmap = face.cmap | {0x0B95}
    with pytest.raises(GlyphError, match=r"\.notdef.*U\+0B95 TAMIL LETTER KA.*NotoSans-Regular"):
        shape([Span("Ring \u0b95")], project.language("sv"), book)


def test_a_short_name_before_a_hyphen_stays_with_the_rest() -> None:
    from nodkort.text.breaks import line_breaks

    text = "Ring UD-jouren, ta ett SIM-kort och socialtjänst-kontoret."
    breaks = line_breaks(text, False)[-1]
    pieces = [text[a:b] for a, b in zip([0, *breaks], breaks, strict=False)]
    assert "UD-jouren, " in pieces and "SIM-kort " in pieces
    assert "socialtjänst-" in pieces  # a long first part may still end a line at its hyphen
