"""Staff at the prompt: python -m, -V, cards and languages by name, completion, aligned lists, a LICENSE."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from tests.conftest import ROOT, Run

from nodkort import __version__

CODES = (
    "am, ar, bs, ckb, en, es, fa, fi, fit, fr, hr, kmr, pl, prs, ps, ro, rom, ru, se, so, sq, sr, sv, th, ti, "
    "tr, uk, ur, yi, zh"
)


def test_python_dash_m_and_short_version() -> None:
    for flag in ("-V", "--version"):
        done = subprocess.run(
            [sys.executable, "-m", "nodkort", flag], capture_output=True, text=True, cwd=ROOT, check=False
        )
        assert (done.returncode, done.stdout) == (0, f"nodkort, version {__version__}\n")


@pytest.mark.parametrize("name", ["sv", "SV", "svenska", "Swedish", "Svenska "])
def test_lang_by_any_name(run: Run, tmp_path: Path, name: str) -> None:
    result = run("render", "emergency", "--lang", name, "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Wrote {tmp_path / 'x.pdf'} (emergency, wallet, sv, ")


@pytest.mark.parametrize("name", ["Arabic", "arabiska", "العربية", "AR"])
def test_lang_names_reach_the_same_language(run: Run, tmp_path: Path, name: str) -> None:
    result = run("render", "emergency", "--lang", name, "--draft", "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code == 0, result.output
    assert "(emergency, wallet, ar, DRAFT, " in result.output


def test_lang_typo_gets_did_you_mean(run: Run) -> None:
    result = run("render", "emergency", "--lang", "arabisk")
    assert result.exit_code == 2
    assert result.output == f"Error: unknown language 'arabisk'. Did you mean ar (arabiska)? Choose one of: {CODES}\n"
    result = run("render", "emergency", "--lang", "xx")
    assert (result.exit_code, result.output) == (2, f"Error: unknown language 'xx'. Choose one of: {CODES}\n")


@pytest.mark.parametrize(("name", "card"), [("Nödkort", "emergency"), ("emergency card", "emergency")])
def test_card_by_its_own_name(run: Run, tmp_path: Path, name: str, card: str) -> None:
    result = run("render", name, "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Wrote {tmp_path / 'x.pdf'} ({card}, wallet, sv, ")


def test_card_typo_gets_did_you_mean(run: Run) -> None:
    result = run("render", "emergncy")
    assert (result.exit_code, result.output) == (
        2,
        "Error: unknown card 'emergncy'. Did you mean emergency? Choose one of: action, emergency\n",
    )


def test_check_and_proof_take_language_names(run: Run) -> None:
    result = run("check", "--lang", "svenska")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "OK: 0 error(s), 2 warning(s)"


def complete(words: str) -> list[str]:
    env = {**os.environ, "COMP_WORDS": words, "COMP_CWORD": str(len(words.split(" ")) - 1)}
    env["_NODKORT_COMPLETE"] = "bash_complete"
    done = subprocess.run(
        [sys.executable, "-m", "nodkort"], env=env, capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_completion_offers_cards_formats_languages_municipalities() -> None:
    assert complete("nodkort render e") == ["plain,emergency"]
    assert complete("nodkort render emergency --format ") == ["plain,folded", "plain,large", "plain,wallet"]
    assert complete("nodkort render emergency --lang a") == ["plain,ar", "plain,am"]
    assert complete("nodkort render action --municipality Vä") == ["plain,Västerås"]


def test_list_keeps_columns_aligned(run: Run) -> None:
    lines = [line for line in run("list", "languages").output.splitlines() if line.startswith("  ")]
    assert "  fit  Meänkieli (Tornedalen Finnish)  ltr  draft" in lines
    assert "  sv   Swedish                         ltr  source" in lines
    assert len({line.index(" ltr ") if " ltr " in line else line.index(" rtl ") for line in lines}) == 1


def test_license_matches_pyproject() -> None:
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert meta["project"]["license"] == "MIT"
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License\n")


def test_a_regional_language_header_is_read_with_a_note(run: Run, data_copy: Path, tmp_path: Path) -> None:
    po = data_copy / "locales" / "fi" / "LC_MESSAGES" / "nodkort.po"
    po.write_text(po.read_text(encoding="utf-8").replace('"Language: fi\\n"', '"Language: fi_FI\\n"'), "utf-8")
    result = run("render", "emergency", "--lang", "fi", "--draft", "-o", str(tmp_path / "x.pdf"), data=data_copy)
    assert result.exit_code == 0, result.output
    result = run("check", "--lang", "fi", data=data_copy)
    assert (
        f"WARNING catalog fi: {po.relative_to(data_copy)}:9: Language header is 'fi_FI': read as 'fi', which "
        'nodkort registers without a region — set "Language: fi\\n" in the header to silence this note'
    ) in result.output.splitlines()


def test_a_template_with_a_byte_order_mark_is_read(run: Run, data_copy: Path, tmp_path: Path) -> None:
    template = data_copy / "cards" / "emergency.toml"
    template.write_bytes(b"\xef\xbb\xbf" + template.read_bytes())
    result = run("render", "emergency", "-o", str(tmp_path / "x.pdf"), data=data_copy)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Wrote {tmp_path / 'x.pdf'} (emergency, wallet, sv, ")


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"not a font\n", "it does not start like a TrueType or OpenType font"),
        (
            (ROOT / "fonts" / "NotoSans-Bold.ttf").read_bytes()[:3000],
            "its tables are missing or cut short: perhaps a half-copied file",
        ),
    ],
)
def test_a_file_that_is_not_a_font_is_a_data_error(run: Run, data_copy: Path, content: bytes, why: str) -> None:
    shutil.copytree(ROOT / "fonts", data_copy / "fonts")
    font = data_copy / "fonts" / "NotoSans-Regular.ttf"
    font.write_bytes(content)
    result = run("render", "emergency", "-o", str(data_copy / "x.pdf"), data=data_copy)
    assert (result.exit_code, result.output) == (
        1,
        f"Error: {font}: is not a usable font file ({why}) — copy the .ttf or .otf file again from its source, "
        "or fix its name in fonts/fonts.toml\n",
    )
    assert not (data_copy / "x.pdf").exists()


@pytest.mark.parametrize(
    ("command", "target"), [("render", "cards/x.pdf"), ("render", "cards/emergency.toml"), ("preview", "locales/x.png")]
)
def test_render_and_preview_refuse_the_data_folder(run: Run, data_copy: Path, command: str, target: str) -> None:
    before = (data_copy / "cards" / "emergency.toml").read_bytes()
    path = data_copy / target
    folder = path.parent
    result = run(command, "emergency", "-o", str(path), data=data_copy)
    assert (result.exit_code, result.output) == (
        2,
        f"Error: [-o {path}]: {path} lies in nodkort's data folder {folder}: writing there could overwrite its "
        "data — write the output elsewhere, e.g. in a folder of its own\n",
    )
    assert (data_copy / "cards" / "emergency.toml").read_bytes() == before
    assert not (data_copy / "cards" / "x.pdf").exists() and not (data_copy / "locales" / "x.png").exists()
