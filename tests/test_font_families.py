"""A font family that is not there is reported where it is named, when the data folder is read (exit 1)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import ROOT, Run

FAMILIES = "arabic, cjk, ethiopic, hebrew, nastaliq, sans, thai"


def _line(path: Path, text: str) -> int:
    return path.read_text(encoding="utf-8").splitlines().index(text) + 1


@pytest.mark.parametrize("lang", ["sv", "th"])
def test_a_family_renamed_in_the_fonts_table_is_reported_at_the_chain_that_names_it(
    run: Run, data_copy: Path, tmp_path: Path, lang: str
) -> None:
    # Even a Swedish card is refused: the data folder is broken for Thai, and it is said before anything prints.
    shutil.copytree(ROOT / "fonts", data_copy / "fonts")
    table = data_copy / "fonts" / "fonts.toml"
    table.write_text(table.read_text(encoding="utf-8").replace("[families.thai]", "[families.siam]"), "utf-8")
    languages = data_copy / "locales" / "languages.toml"
    out = tmp_path / "card.pdf"
    result = run("render", "emergency", "--lang", lang, "--draft", "-o", str(out), data=data_copy)
    assert result.exit_code == 1, result.output
    line = _line(languages, 'fonts = ["thai", "sans"]')
    assert result.stderr == (
        f"Error: {languages}:{line} [th.fonts]: no font family 'thai' in fonts/fonts.toml — use one of: "
        "arabic, cjk, ethiopic, hebrew, nastaliq, sans, siam; or add [families.thai] to fonts/fonts.toml\n"
    )
    assert not out.exists()


def test_a_chain_naming_an_unknown_family_is_reported_at_its_line(run: Run, data_copy: Path) -> None:
    languages = data_copy / "locales" / "languages.toml"
    text = languages.read_text(encoding="utf-8")
    assert text.count('fonts = ["hebrew", "sans"]') == 1
    languages.write_text(text.replace('fonts = ["hebrew", "sans"]', 'fonts = ["hebrew", "hebrew-serif", "sans"]'))
    line = _line(languages, 'fonts = ["hebrew", "hebrew-serif", "sans"]')
    result = run("list", "languages", data=data_copy)
    assert result.exit_code == 1
    assert f"Error: {languages}:{line} [yi.fonts]: no font family 'hebrew-serif' in fonts/fonts.toml" in result.stderr
    assert f"— use one of: {FAMILIES}; or add [families.hebrew-serif] to fonts/fonts.toml" in result.stderr


def test_a_font_file_that_is_gone_is_reported_at_the_line_that_names_it(run: Run, data_copy: Path) -> None:
    shutil.copytree(ROOT / "fonts", data_copy / "fonts")
    (data_copy / "fonts" / "NotoSansHebrew-Bold.ttf").unlink()
    table = data_copy / "fonts" / "fonts.toml"
    line = _line(table, 'bold = "NotoSansHebrew-Bold.ttf"')
    result = run("render", "emergency", "--lang", "sv", data=data_copy)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {table}:{line} [families.hebrew]: font file NotoSansHebrew-Bold.ttf is missing — "
        f"put NotoSansHebrew-Bold.ttf into {table.parent}, or name a file that is there\n"
    )


def test_lang_add_names_the_family_its_script_needs_when_the_fonts_table_lacks_it(run: Run, data_copy: Path) -> None:
    shutil.copytree(ROOT / "fonts", data_copy / "fonts")
    table = data_copy / "fonts" / "fonts.toml"
    table.write_text(table.read_text(encoding="utf-8").replace("[families.ethiopic]", "[families.geez]"), "utf-8")
    languages = data_copy / "locales" / "languages.toml"
    blocks = languages.read_text(encoding="utf-8").split("\n[")
    languages.write_text("\n[".join(b for b in blocks if not b.startswith(("ti]", "am]"))), encoding="utf-8")
    shutil.rmtree(data_copy / "locales" / "ti")
    before = languages.read_bytes()
    result = run("lang", "add", "ti", data=data_copy)
    assert result.exit_code == 1, result.output
    assert result.stderr == (
        "Error: the Ethi script of Tigrinya is set in the font families ethiopic, sans, and fonts/fonts.toml has "
        "no family ethiopic: add [families.ethiopic] to fonts/fonts.toml\n"
    )
    assert languages.read_bytes() == before
