"""Discretion in every language: each draft's discreet card, in every format, names its subject on no side; each
translation's own words for the subject (abroad, foreign ministry, anonymous, passport…) are refused on it."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT, Run
from nodkort.layout.gates import forbidden_words
from nodkort.layout.primitives import QrCode
from nodkort.model import Job
from nodkort.pipeline import lay_out
from nodkort.project import DataDir, Project
from test_catalogs import set_msgstr

FORMATS = ("wallet", "folded", "large")


def _languages() -> list[str]:
    return sorted(Project(DataDir.locate(ROOT)).languages)


@pytest.mark.parametrize("lang", _languages())
def test_every_language_has_a_discreet_card_in_every_format_that_names_nothing(project: Project, lang: str) -> None:
    card = project.card("emergency")
    words = card.forbidden(lang)
    for fmt in FORMATS:
        laid = lay_out(project, Job("emergency", lang, fmt, "discreet", draft=lang != "sv"))  # the gate passes
        assert len(laid.sides) == len(card.formats[fmt].sides)
        for side in laid.sides:
            payloads = [i.payload for i in side.items if isinstance(i, QrCode)]
            assert not forbidden_words(words, " ".join((*side.texts, *payloads))), (fmt, side.name)


@pytest.mark.parametrize("lang", [code for code in _languages() if code not in ("sv", "en")])
def test_each_translation_lists_its_own_words_and_they_catch_its_plain_card(project: Project, lang: str) -> None:
    """A list that catches nothing would pass every card: each must find the subject on the plain card's front."""
    card = project.card("emergency")
    assert card.forbidden_translated.get(lang), f"no words of its own for {lang}"
    plain = lay_out(project, Job("emergency", lang, "wallet", "plain", draft=True))
    front = " ".join(plain.sides[0].texts)
    assert forbidden_words(card.forbidden_translated[lang], front), front


@pytest.mark.parametrize(
    ("lang", "context", "text", "word"),
    [
        ("fi", "contacts/police_abroad/discreet_name", "Poliisi, ulkomailta", "ulkomai"),
        ("ar", "emergency/wallet/back/qr_hint_discreet", "امسح الرمز للاتصال بالخارجية.", "الخارج"),
        ("zh", "contacts/terrafem/discreet_name", "支持热线，匿名", "匿名"),
    ],
)
def test_a_translations_own_word_on_its_discreet_card_is_refused(
    run: Run, data_copy: Path, lang: str, context: str, text: str, word: str
) -> None:
    set_msgstr(data_copy / "locales" / lang / "LC_MESSAGES" / "nodkort.po", context, text, fuzzy=True)
    result = run("render", "emergency", "--lang", lang, "--discreet", "--draft", "-o", "/dev/null", data=data_copy)
    assert result.exit_code == 1
    assert f"the discreet variant shows '{word}' on the outside" in result.output
    assert f"back side, {lang}" in result.output


@pytest.mark.parametrize("lang", _languages())
def test_every_languages_pdf_title_names_no_subject(project: Project, lang: str) -> None:
    """The plain card's PDF title shows in file lists and print queues: "Nödkort", never the question."""
    for card_id in project.card_ids:
        card = project.card(card_id)
        place = "Sala" if card.needs_municipality else None
        laid = lay_out(project, Job(card_id, lang, None, "plain", place, draft=lang != "sv"))
        # The card's own name ("Nödkort") is the title; it is forbidden only on the discreet card.
        words = [w for w in project.card("emergency").forbidden(lang) if w != "Nödkort"]
        assert laid.title and not forbidden_words(words, laid.title), laid.title
