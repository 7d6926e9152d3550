"""The reference sheet (`nodkort proof --all`): every card × format × variant × language on labelled pages; a
problem is written beside its card instead of stopping the sheet, and the exit code says whether there was one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import Run, normalise, page_count, page_text
from helpers import set_msgstr

# The groups of the bundled cards: one card, format and variant each, every language in it.
GROUPS = [
    "action card · folded · plain · Arboga",  # the first municipality with a verified number
    "action card · large · plain · Arboga",
    "emergency card · wallet · plain",
    "emergency card · wallet · discreet",
    "emergency card · folded · plain",
    "emergency card · folded · discreet",
    "emergency card · large · plain",
    "emergency card · large · discreet",
]


def _only(data: Path, codes: tuple[str, ...]) -> None:
    """Keep only these languages in the data folder's languages.toml (a small, fast sheet)."""
    path = data / "locales" / "languages.toml"
    blocks = re.split(r"(?m)^(?=\[)", path.read_text(encoding="utf-8"))
    kept = [b for b in blocks if not b.startswith("[") or b.split("]", 1)[0][1:] in codes]
    path.write_text("".join(kept), encoding="utf-8")


@pytest.fixture
def two(data_copy: Path) -> Path:
    _only(data_copy, ("sv", "en"))
    return data_copy


def test_every_card_format_and_language_is_on_the_sheet_labelled(run: Run, two: Path, tmp_path: Path) -> None:
    out = tmp_path / "all.pdf"
    result = run("proof", "--all", "-o", str(out), data=two)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Wrote {out} (9 pages, 16 cards, 0 with a problem)\n"
    pdf = out.read_bytes()
    assert page_count(pdf) == 9  # the front page, then one page per group of two languages
    front = normalise(page_text(pdf, 0))
    assert "2 languages, 2 cards, 8 card formats and variants: 16 cards laid out" in front
    assert "No card has a problem." in front
    for number, group in enumerate(GROUPS, start=2):
        assert f"{group}: page {number}" in front
        text = normalise(page_text(pdf, number - 1))
        assert f"nodkort proof sheet · {group}" in text
        assert "sv · Swedish · source" in text
        assert "en · English · draft" in text  # no review is recorded for English
        assert f"page {number} of 9" in text
    wallet = normalise(page_text(pdf, 3))
    assert "112" in wallet and "UTKAST" in wallet  # the cards themselves, the English one watermarked


def test_a_broken_catalog_is_listed_beside_its_cards_and_the_sheet_still_made(
    run: Run, two: Path, tmp_path: Path
) -> None:
    po = two / "locales" / "en" / "LC_MESSAGES" / "nodkort.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgid ""', 'msgid "', 1), encoding="utf-8")
    out = tmp_path / "all.pdf"
    result = run("proof", "--all", "-o", str(out), data=two)
    assert result.exit_code == 1
    assert result.stdout.startswith(f"Wrote {out} (")
    assert result.stdout.endswith(" 16 cards, 8 with a problem)\n")
    assert result.stderr == f"Error: 8 cards have a problem: each is listed on {out}\n"
    pdf = out.read_bytes()
    front = normalise(page_text(pdf, 0))
    assert "8 cards have a problem: written in red beside each card, and listed from page 10." in front
    wallet = normalise(page_text(pdf, 3))
    assert "en · English · catalog unreadable" in wallet
    assert "locales/en/LC_MESSAGES/nodkort.po:" in wallet  # the catalog's own error, with its line
    assert "sv · Swedish · source" in wallet  # the other languages are still laid out
    problems = normalise(page_text(pdf, 9))
    assert "nodkort proof sheet · problems" in problems
    assert "emergency card · wallet · plain · en · English · catalog unreadable" in problems


def test_a_card_that_does_not_fit_is_shown_with_its_overflow(run: Run, two: Path, tmp_path: Path) -> None:
    po = two / "locales" / "en" / "LC_MESSAGES" / "nodkort.po"
    set_msgstr(po, "emergency/wallet/front/question", "Are you afraid of being forced to marry? " * 12)
    out = tmp_path / "all.pdf"
    result = run("proof", "--all", "-o", str(out), data=two)
    assert result.exit_code == 1
    assert result.stdout.endswith(
        " 16 cards, 1 with a problem)\n"
    )  # the plain wallet card: the discreet has no question
    pdf = out.read_bytes()
    wallet = normalise(page_text(pdf, 3))
    assert "[emergency/wallet/front/question] (en" in wallet
    assert "at the 6.5 pt floor" in wallet
    assert "shorten the translation at locales/en/LC_MESSAGES/nodkort.po:" in wallet


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], "give --lang LANG for one language's proof, or --all for the reference sheet"),
        (["--all", "--lang", "sv"], "give --lang LANG for one language's proof, or --all for the reference sheet"),
        (["--all", "--card", "emergency"], "--all shows every card: leave out --card"),
        (
            ["--all", "--municipality", "Uppsalaa"],
            "unknown municipality 'Uppsalaa': did you mean Sala? Choose one of: ",
        ),
    ],
)
def test_proof_needs_one_language_or_all(run: Run, tmp_path: Path, args: list[str], expected: str) -> None:
    out = tmp_path / "p.pdf"
    result = run("proof", *args, "-o", str(out))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {expected}")
    assert not out.exists()
