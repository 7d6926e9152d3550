"""Bad input to `render`: each gets a clear message naming where and what, the right exit code, and no file."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, Run


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["render", "nosuchcard"], "unknown card 'nosuchcard'. Choose one of: "),
        (["render", "emergency", "--lang", "xx"], "unknown language 'xx'. Choose one of: "),
        (["render", "emergency", "--format", "poster"], "has no format 'poster'. Choose one of: wallet, folded"),
    ],
)
def test_unknown_choices_exit_2_listing_the_choices(run: Run, tmp_path: Path, args: list[str], expected: str) -> None:
    out = tmp_path / "x.pdf"
    result = run(*args, "-o", str(out))
    assert result.exit_code == 2
    assert expected in result.output
    assert "emergency" in result.output or "sv" in result.output or "wallet" in result.output
    assert not out.exists()


def test_a_misspelt_municipality_is_refused_even_for_a_card_without_local_numbers(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "x.pdf"
    result = run("render", "emergency", "--lang", "sv", "--municipality", "Uppsala", "-o", str(out))
    assert result.exit_code == 2
    assert "unknown municipality 'Uppsala': did you mean Sala?" in result.output
    assert not out.exists()


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_broken_template_reports_every_problem_with_file_and_key(run: Run, data_copy: Path, tmp_path: Path) -> None:
    template = data_copy / "cards" / "emergency.toml"
    _edit(template, "box = [4, 5.5, 77.6, 46]", "box = [4, 5.5, 97.6, 46]")
    _edit(template, 'id = "band"\nkind = "rect"', 'id = "band"\nkind = "ribbon"')
    _edit(
        template,
        '"ud_jouren", "police_abroad", "kvinnofridslinjen", "terrafem", "bris"]',
        '"ud_jouren", "police_abroad", "kvinnofridslinjen", "nosuchline", "bris"]',
    )
    _edit(template, 'version = "2026.11"\n', "")
    out = tmp_path / "x.pdf"
    result = run("render", "emergency", "-o", str(out), data=data_copy)
    assert result.exit_code == 1
    text = result.output
    assert "4 problems" in text
    assert f"{template}" in text
    assert "column width = 97.6 is out of range: it must be above 0 and at most 85.6 mm" in text
    assert "unknown field kind 'ribbon'" in text
    assert "unknown contact id 'nosuchline'" in text
    assert "missing key 'version'" in text
    assert "[formats.wallet.sides.front.columns.main.box]" in text  # the key of the bad box
    assert "unknown column" not in text  # its fields are not reported again
    assert not out.exists()


def test_template_syntax_error_names_the_line(run: Run, data_copy: Path) -> None:
    template = data_copy / "cards" / "emergency.toml"
    _edit(template, 'default_format = "wallet"', 'default_format = "wallet')
    line = template.read_text(encoding="utf-8").splitlines().index('default_format = "wallet') + 1
    result = run("render", "emergency", data=data_copy)
    assert result.exit_code == 1
    assert f"{template}:{line}: TOML syntax error" in result.output


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('number = "+4620521010"', 'number = "+4620521"', "'+4620521' is not a valid number"),
        ('display = "020-52 10 10"', 'display = "020-52 10 11"', "display '020-52 10 11' does not show the same"),
        ('source = "http://terrafem.org/deutsch"\n', "", "a verified contact needs 'source'"),
        ('checked = 2026-12-01\nevidence = ["https://8sidor.se', 'evidence = ["https://8sidor.se', "missing 'checked'"),
        ('number = "116111"', 'number = "116112"', "'116112' is not a Swedish short number"),
    ],
    ids=["invalid-number", "display-mismatch", "no-source", "no-verified-date", "bad-short-number"],
)
def test_bad_contact_exits_1_naming_it(run: Run, data_copy: Path, old: str, new: str, expected: str) -> None:
    _edit(data_copy / "cards" / "contacts" / "national.toml", old, new)
    result = run("render", "emergency", data=data_copy)
    assert result.exit_code == 1
    assert expected in result.output
    assert "national.toml" in result.output


def test_unconfirmed_contact_is_never_printed(data_copy: Path) -> None:
    from conftest import normalise, page_text
    from nodkort.model import Job
    from nodkort.pipeline import render
    from nodkort.project import DataDir, Project

    contacts = data_copy / "cards" / "contacts" / "national.toml"
    _edit(
        contacts,
        'display = "020-52 10 10"\n# No source confirms its opening hours (research/content.md §7), so none are given '
        'or printed.\nstatus = "verified"',
        'display = "020-52 10 10"\nstatus = "unconfirmed"',
    )
    project = Project(DataDir.locate(data_copy))
    _, pdf = render(project, Job("emergency", "sv"))
    text = normalise(page_text(pdf))
    assert "020-52 10 10" not in text
    assert "Terrafem" not in text
    assert "020-50 50 50" in text  # the verified ones still print


def test_output_into_missing_folder_is_a_clear_error(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "missing" / "card.pdf"
    result = run("render", "emergency", "-o", str(out))
    assert result.exit_code == 1
    assert f"the folder {out.parent} does not exist" in result.output


def test_output_into_unwritable_folder_is_a_clear_error(run: Run, tmp_path: Path) -> None:
    if os.geteuid() == 0:
        folder = Path("/sys")  # root may write anywhere but into sysfs
    else:
        folder = tmp_path / "ro"
        folder.mkdir()
        folder.chmod(0o500)
    result = run("render", "emergency", "-o", str(folder / "card.pdf"))
    assert result.exit_code == 1
    assert f"cannot write into {folder}" in result.output
    assert not (folder / "card.pdf").exists()


def test_existing_output_is_replaced_whole_and_nothing_half_written(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "card.pdf"
    out.write_bytes(b"old content")
    assert run("render", "emergency", "-o", str(out)).exit_code == 0
    assert out.read_bytes().startswith(b"%PDF-")
    # a failing render leaves the previous file untouched and no temporary file behind
    result = run("render", "emergency", "--lang", "xx", "-o", str(out))
    assert result.exit_code == 2
    assert out.read_bytes().startswith(b"%PDF-")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["card.pdf"]


def test_text_that_does_not_fit_names_card_side_field_language_and_overflow(run: Run, data_copy: Path) -> None:
    template = data_copy / "cards" / "emergency.toml"
    _edit(template, '{ id = "main", box = [4, 5.5, 77.6, 46]', '{ id = "main", box = [4, 5.5, 77.6, 15]')
    result = run("render", "emergency", "--lang", "sv", data=data_copy)
    assert result.exit_code == 1
    assert "[emergency/wallet/front/law] (sv)" in result.output
    assert "at the 6.5 pt floor" in result.output
    assert "overflow" in result.output and "mm" in result.output


def test_a_translation_that_does_not_fit_names_its_template_line_and_catalog_line(
    run: Run, data_copy: Path, tmp_path: Path
) -> None:
    # render says what check says: the field's line in the template and the translation's line in the catalog.
    from helpers import set_msgstr

    po = data_copy / "locales" / "so" / "LC_MESSAGES" / "nodkort.po"
    set_msgstr(po, "emergency/wallet/front/question", "Ma khatar baa kugu jirta in lagu guursado? " * 12)
    lines = po.read_text(encoding="utf-8").split("\n")
    po_line = lines.index('msgctxt "emergency/wallet/front/question"') + 1
    template = (data_copy / "cards" / "emergency.toml").read_text(encoding="utf-8").split("\n")
    field_line = template.index('id = "question"', template.index("[formats.wallet]")) + 1
    out = tmp_path / "so.pdf"
    result = run("render", "emergency", "--lang", "so", "--draft", "-o", str(out), data=data_copy)
    assert result.exit_code == 1
    assert f"emergency.toml:{field_line} [emergency/wallet/front/question] (so)" in result.output
    assert f"shorten the translation at {po}:{po_line}" in result.output
    assert not out.exists()


def test_a_mistyped_value_names_its_own_line(run: Run, data_copy: Path) -> None:
    template = data_copy / "cards" / "emergency.toml"
    _edit(template, "[styles.body]\nsize = 7\n", '[styles.body]\nsize = "seven"\n')
    line = template.read_text(encoding="utf-8").splitlines().index('size = "seven"') + 1
    result = run("render", "emergency", data=data_copy)
    assert result.exit_code == 1
    assert f"emergency.toml:{line} [styles.body.size]: 'size' must be float, not str" in result.output


def test_a_field_id_used_in_every_format_is_reported_at_its_own_format(run: Run, data_copy: Path) -> None:
    # "numbers" is a field id of the wallet, folded and large formats: each problem names its own line.
    template = data_copy / "cards" / "emergency.toml"
    text = template.read_text(encoding="utf-8")
    template.write_text(text.replace('"terrafem", "bris"]', '"terrafem", "bris", "nosuchline"]'), encoding="utf-8")
    lines = template.read_text(encoding="utf-8").splitlines()
    starts = [n for n, t in enumerate(lines, start=1) if t == 'id = "numbers"']
    assert len(starts) == 3
    result = run("render", "emergency", data=data_copy)
    assert result.exit_code == 1
    for fmt, line in zip(["wallet", "folded", "large"], starts, strict=True):
        assert f"emergency.toml:{line} [formats.{fmt}.sides." in result.output, (fmt, line, result.output)


def test_a_field_without_style_says_the_key_is_missing(run: Run, data_copy: Path) -> None:
    template = data_copy / "cards" / "emergency.toml"
    _edit(template, 'style = "heading"\ntext = "Här får du hjälp"', 'text = "Här får du hjälp"')
    result = run("render", "emergency", data=data_copy)
    assert result.exit_code == 1
    assert "[formats.wallet.sides.back.heading]: missing key 'style' — add 'style = \"NAME\"'" in result.output
    assert "None" not in result.output


# --- the language list, the pictograms and the fonts table: each bad file with the exact error it gives ----

BAD = Path(__file__).parent / "data" / "bad"
# Which file of the data folder each kind of bad file replaces, and the command that reads it first.
REPLACES = {
    "languages": (Path("locales", "languages.toml"), ["list", "languages"]),
    "pictograms": (Path("cards", "pictograms.toml"), ["render", "emergency"]),
    "fonts": (Path("fonts", "fonts.toml"), ["render", "emergency"]),
}
TABLES = sorted(p for kind in REPLACES for p in (BAD / kind).glob("*.toml"))


@pytest.mark.parametrize("bad", TABLES, ids=[f"{p.parent.name}/{p.stem}" for p in TABLES])
def test_a_bad_table_exits_1_with_its_exact_error(run: Run, data_copy: Path, bad: Path) -> None:
    target, command = REPLACES[bad.parent.name]
    if target.parts[0] == "fonts":
        shutil.copytree(ROOT / "fonts", data_copy / "fonts")
    path = data_copy / target
    shutil.copy(bad, path)
    result = run(*command, data=data_copy)
    expected = bad.with_suffix(".expected").read_text(encoding="utf-8").rstrip("\n")
    expected = expected.replace("{file}", str(path)).replace("{folder}", str(path.parent))
    assert result.exit_code == 1, result.output
    if bad.stem == "syntax_error":  # the rest of the line is tomllib's own wording
        assert result.stderr.startswith(f"Error: {expected}: "), result.stderr
    else:
        assert result.stderr == f"Error: {expected}\n"
