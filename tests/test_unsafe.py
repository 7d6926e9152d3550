"""Numbers and invisible direction controls: what a translation or a contact may not smuggle onto a card."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Run
from helpers import set_msgstr
from nodkort.data.languages import source_number_phrases
from nodkort.data.unsafe import added_numbers, controls_in, numbers_in
from nodkort.project import Project


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("Ring 112", ["112"]),
        ("ring ١١٢ eller ۱۱۲", ["112", "112"]),  # Arabic-Indic and Persian digits are the same number
        ("โทร ๑๑๒", ["112"]),  # Thai digits
        ("0771-14 14 00", ["771141400"]),  # grouped digits are one number
        ("mån–fre 07–21", ["7", "21"]),  # an en dash separates two numbers
        ("{emergency}", []),
    ],
)
def test_numbers_are_read_by_value_in_any_script(text: str, numbers: list[str]) -> None:
    assert numbers_in(text) == numbers


@pytest.mark.parametrize(
    ("source", "translation", "added"),
    [
        ("Ring {emergency} om du är under 18", "Call {emergency} if you are under ١٨", []),
        ("Ring {police}", "اتصل ١١٢", ["١١٢"]),
        ("Ring {police}", "Call 0771-14 14 00", ["0771-14 14 00"]),
        ("Ring 14 gånger", "Call 0771-14 14 00", ["0771-14 14 00"]),
        ("under 18 … 112", "18 112", []),
        ("mån 07–21", "Mon 7–21", []),
    ],
)
def test_a_translation_may_hold_only_the_numbers_of_its_source(source: str, translation: str, added: list[str]) -> None:
    assert added_numbers(source, translation) == added


def test_a_phrase_that_stands_for_a_number_allows_exactly_that_number() -> None:
    phrases = {"dygnet runt": ["24", "7"]}
    assert added_numbers("dygnet runt", "24/7", phrases) == []
    assert added_numbers("dygnet runt", "24 h, 112", phrases) == ["112"]
    assert added_numbers("vardagar", "24 hours", phrases) == ["24"]


def test_overrides_and_isolates_are_found_and_marks_only_on_request() -> None:
    text = "Ring \u202e112\u202c \u2066x\u2069 \u200f"
    assert [name for _, name in controls_in(text)] == [
        "U+202E RIGHT-TO-LEFT OVERRIDE",
        "U+202C POP DIRECTIONAL FORMATTING",
        "U+2066 LEFT-TO-RIGHT ISOLATE",
        "U+2069 POP DIRECTIONAL ISOLATE",
    ]
    assert controls_in(text, marks=True)[-1] == (len(text) - 1, "U+200F RIGHT-TO-LEFT MARK")


# --- end to end: a catalog that smuggles a number or a direction control is refused, naming its line -----------

AR = Path("locales") / "ar" / "LC_MESSAGES" / "nodkort.po"


def _catalog_line(path: Path, context: str) -> int:
    return path.read_text(encoding="utf-8").split("\n").index(f'msgctxt "{context}"') + 1


@pytest.mark.parametrize(
    ("text", "what"),
    [
        (
            "خطر داهم؟ اتصل بـ ١١٢",  # the source has the placeholder {emergency}, not a number
            "the translation holds '١١٢', a number the Swedish source does not: numbers reach a card only from the "
            "verified contact data, through placeholders",
        ),
        (
            "خطر داهم؟ اتصل بـ \u202e{emergency}",
            "the invisible direction control U+202E RIGHT-TO-LEFT OVERRIDE at character 19 can reorder what the card "
            "shows (an override before a number reverses it): only the marks LRM, RLM and ALM are allowed",
        ),
    ],
    ids=["arabic-indic-112", "rtl-override"],
)
def test_a_catalog_that_adds_a_number_or_a_control_is_refused_at_its_line(
    run: Run, data_copy: Path, text: str, what: str
) -> None:
    catalog = data_copy / AR
    context = "emergency/wallet/front/emergency"
    set_msgstr(catalog, context, text)
    out = data_copy / "card.pdf"
    result = run("render", "emergency", "--lang", "ar", "--draft", "-o", str(out), data=data_copy)
    assert result.exit_code == 1
    line = _catalog_line(catalog, context)
    assert f'{catalog}:{line}: msgctxt "{context}": {what}' in result.output, result.output
    assert not out.exists()


# --- the number phrases are data: the source language's entry of languages.toml ----------------------------


def test_the_number_phrases_come_from_the_source_languages_entry(project: Project) -> None:
    assert source_number_phrases(project.languages.values()) == {"dygnet runt": ("24", "7"), "alla dagar": ("7",)}


def test_a_phrase_removed_from_languages_toml_no_longer_allows_its_digits(run: Run, data_copy: Path) -> None:
    po = data_copy / "locales" / "en" / "LC_MESSAGES" / "nodkort.po"
    set_msgstr(po, "contacts/bris/hours", "24/7", fuzzy=True)  # the source says "dygnet runt"
    assert run("render", "emergency", "--lang", "en", "--draft", "-o", "/dev/null", data=data_copy).exit_code == 0
    languages = data_copy / "locales" / "languages.toml"
    text = languages.read_text(encoding="utf-8")
    languages.write_text(text.replace('"dygnet runt" = ["24", "7"], ', ""), encoding="utf-8")
    result = run("render", "emergency", "--lang", "en", "--draft", "-o", "/dev/null", data=data_copy)
    assert result.exit_code == 1
    assert f"{po}:" in result.output
    assert "the translation holds '24', a number the Swedish source does not" in result.output
