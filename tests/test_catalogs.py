"""Catalogs as a translator meets them: extraction, lang add and update, and every kind of broken .po file."""

from __future__ import annotations

import difflib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from conftest import ROOT, TESTS, Run
from helpers import msgfmt_check, set_msgstr

BAD = sorted((TESTS / "data" / "po").glob("*.po"))
CODES = "two or three lower-case letters (ISO 639), optionally with a script or country, e.g. so, prs, sr_Cyrl"


def catalog(data: Path, code: str) -> Path:
    return data / "locales" / code / "LC_MESSAGES" / "nodkort.po"


@pytest.fixture
def bare(data_copy: Path) -> Path:
    """A data copy without any translation catalog: the languages others are drafting cannot interfere."""
    for folder in (data_copy / "locales").iterdir():
        if folder.is_dir():
            shutil.rmtree(folder)
    return data_copy


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def entries(path: Path) -> dict[str, tuple[str, str, bool]]:
    with path.open("rb") as handle:
        return {str(m.context): (str(m.id), str(m.string), m.fuzzy) for m in read_po(handle) if m.id}


def test_pybabel_extract_reads_the_same_strings_as_lang_update(run: Run, bare: Path, tmp_path: Path) -> None:
    result = run("lang", "update", data=bare)
    assert result.exit_code == 0, result.output
    pybabel = Path(sys.executable).with_name("pybabel")
    out = tmp_path / "x.pot"
    subprocess.run(
        [str(pybabel), "-q", "extract", "-F", str(ROOT / "babel.cfg"), "-o", str(out), "."],
        cwd=bare,
        check=True,
    )

    def read(path: Path) -> dict[tuple[str, str], tuple[str, list[tuple[str, int | None]]]]:
        with path.open("rb") as handle:
            return {
                (str(m.context), str(m.id)): (" ".join(m.auto_comments), sorted(m.locations))
                for m in read_po(handle)
                if m.id
            }

    ours, babels = read(bare / "locales" / "nodkort.pot"), read(out)
    assert len(ours) > 50
    assert ours == babels  # same contexts, Swedish texts, translator comments and source lines
    question = ours[
        (
            "emergency/wallet/front/question",
            "Riskerar du att giftas bort eller föras utomlands mot din vilja? Eller är du orolig för någon du känner?",
        )
    ]
    assert "Room: a column of 77.6 × 46 mm shared with 6 other blocks." in question[0]
    assert "Text 8.5 pt: grows up to 2 times to fill it, never under 6.5 pt." in question[0]
    assert "Critical" in question[0]


def test_lang_add_writes_every_string_empty_in_a_catalog_msgfmt_accepts(run: Run, bare: Path) -> None:
    result = run("lang", "add", "pl", data=bare)
    assert result.exit_code == 0, result.output
    path = catalog(bare, "pl")
    found = entries(path)
    assert result.output == f"Wrote {path} ({len(found)} strings to translate)\n"
    assert len(found) > 50 and all(msgstr == "" for _, msgstr, _ in found.values())
    assert "emergency/wallet/front/emergency" in found
    assert set(found) == set(entries(bare / "locales" / "nodkort.pot"))
    text = path.read_text(encoding="utf-8")
    assert '"Language: pl\\n"' in text
    assert "#. Keep the placeholders exactly: {emergency}" in text
    assert msgfmt_check(path).returncode == 0


def test_lang_add_takes_a_language_cldr_knows_and_lists_it(run: Run, bare: Path) -> None:
    result = run("lang", "add", "nn", data=bare)
    assert result.exit_code == 0, result.output
    assert "Added [nn] Norwegian Nynorsk (Latn, ltr)" in result.output
    table = (bare / "locales" / "languages.toml").read_text(encoding="utf-8")
    assert "[nn]\n" in table and 'english = "Norwegian Nynorsk"' in table and 'name = "Norsk nynorsk"' in table
    assert catalog(bare, "nn").is_file()
    listed = run("lang", "list", data=bare)
    assert "nn    Norwegian Nynorsk" in listed.output
    # A right-to-left language gets the fonts of its script.
    result = run("lang", "add", "he", data=bare)
    assert result.exit_code == 0, result.output
    assert "Added [he] Hebrew (Hebr, rtl)" in result.output
    assert 'fonts = ["hebrew", "sans"]' in (bare / "locales" / "languages.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("sv", "'sv' is the source language: it has no catalog"),
        ("PL", f"'PL' is not a language code: {CODES}"),
        ("pl-x", f"'pl-x' is not a language code: {CODES}"),
        (
            "xq",
            "'xq' is not a language Unicode CLDR knows, so nodkort cannot tell its script and direction: add it "
            "to locales/languages.toml by hand (docs/translating.md)",
        ),
        (
            "ka",
            "no bundled font covers the Geor script of Georgian: a font family for it must be added to "
            "fonts/fonts.toml first",
        ),
    ],
)
def test_lang_add_of_an_invalid_code_exits_2_and_changes_nothing(run: Run, bare: Path, code: str, reason: str) -> None:
    before = snapshot(bare)
    result = run("lang", "add", code, data=bare)
    assert result.exit_code == 2
    assert result.output == f"Error: {reason}\n"
    assert snapshot(bare) == before


def test_lang_add_of_an_existing_catalog_exits_2_and_keeps_it(run: Run, bare: Path) -> None:
    assert run("lang", "add", "pl", data=bare).exit_code == 0
    before = snapshot(bare)
    result = run("lang", "add", "pl", data=bare)
    assert result.exit_code == 2
    assert result.output == (
        f"Error: {catalog(bare, 'pl')} already exists: use `nodkort lang update` to bring it up to date\n"
    )
    assert snapshot(bare) == before


def test_lang_update_keeps_translations_and_marks_a_changed_source_fuzzy(run: Run, bare: Path) -> None:
    assert run("lang", "add", "pl", data=bare).exit_code == 0
    path = catalog(bare, "pl")
    set_msgstr(path, "emergency/wallet/back/heading", "Tutaj znajdziesz pomoc")
    set_msgstr(path, "emergency/wallet/front/emergency", "Nagłe niebezpieczeństwo? Dzwoń {emergency}")
    template = bare / "cards" / "emergency.toml"
    text = template.read_text(encoding="utf-8")
    template.write_text(text.replace('text = "Här får du hjälp"', 'text = "Här finns hjälp"', 1), encoding="utf-8")

    result = run("lang", "update", data=bare)
    assert result.exit_code == 0, result.output
    assert "pl: updated" in result.output
    found = entries(path)
    assert found["emergency/wallet/back/heading"] == ("Här finns hjälp", "Tutaj znajdziesz pomoc", True)
    assert found["emergency/wallet/front/emergency"][1:] == (
        "Nagłe niebezpieczeństwo? Dzwoń {emergency}",
        False,
    )
    po = path.read_text(encoding="utf-8")
    assert '#| msgid "Här får du hjälp"' in po  # Poedit and Weblate show the old source beside the new
    assert msgfmt_check(path).returncode == 0

    again = run("lang", "update", data=bare)
    assert "pl: up to date" in again.output
    assert path.read_text(encoding="utf-8") == po  # deterministic: a second run changes nothing


def test_lang_update_removes_strings_the_cards_dropped(run: Run, bare: Path) -> None:
    assert run("lang", "update", data=bare).exit_code == 0  # the template the catalogs were made from
    assert run("lang", "add", "pl", data=bare).exit_code == 0
    path = catalog(bare, "pl")
    set_msgstr(path, "emergency/wallet/back/qr_hint", "Zeskanuj, aby zadzwonić do UD-jouren.")
    template = bare / "cards" / "emergency.toml"
    text = template.read_text(encoding="utf-8")
    start = text.index('id = "qr_hint"\n')
    end = text.index("[[formats.wallet.sides.fields]]", start)
    block_start = text.rindex("[[formats.wallet.sides.fields]]", 0, start)
    template.write_text(text[:block_start] + text[end:], encoding="utf-8")

    result = run("lang", "update", data=bare)
    assert result.exit_code == 0, result.output
    assert "emergency/wallet/back/qr_hint" not in entries(path)
    assert "#~" not in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("bad", BAD, ids=[p.stem for p in BAD])
def test_a_broken_catalog_is_an_error_with_file_and_line_and_changes_nothing(
    run: Run, bare: Path, tmp_path: Path, bad: Path
) -> None:
    line, expected = bad.read_text(encoding="utf-8").split("\n")[1].removeprefix("# expect: ").split(": ", 1)
    target = catalog(bare, "so")
    target.parent.mkdir(parents=True)
    shutil.copy(bad, target)
    # A source text changes, so that a successful update would rewrite the template and the catalogs.
    template = bare / "cards" / "emergency.toml"
    template.write_text(
        template.read_text(encoding="utf-8").replace("Här får du hjälp", "Här finns hjälp"), encoding="utf-8"
    )
    before = snapshot(bare)
    out = tmp_path / "card.pdf"
    commands = (
        ["lang", "update"],
        ["check", "--lang", "so", "--card", "emergency"],
        ["lang", "status", "--lang", "so"],
        ["render", "emergency", "--lang", "so", "--draft", "-o", str(out)],
        ["proof", "--lang", "so", "-o", str(out)],
    )
    for args in commands:
        result = run(*args, data=bare)
        assert result.exit_code == 1, (args, result.output)
        assert f"locales/so/LC_MESSAGES/nodkort.po:{line}" in result.output, (args, result.output)
        assert expected in result.output, (args, result.output)
    assert snapshot(bare) == before
    assert not out.exists()


def test_lang_update_with_no_template_change_leaves_every_catalog_byte_identical(run: Run, data_copy: Path) -> None:
    before = snapshot(data_copy / "locales")
    result = run("lang", "update", data=data_copy)
    assert result.exit_code == 0, result.output
    assert "updated" not in result.output
    assert snapshot(data_copy / "locales") == before


def test_lang_update_keeps_the_translators_header_and_wrapping(run: Run, data_copy: Path) -> None:
    """A catalog as Poedit saved it (wrapped at 79 columns, the translator's header fields): an update that
    changes one Swedish source changes that entry only."""
    path = catalog(data_copy, "fi")
    po = path.read_text(encoding="utf-8")
    po = po.replace('"PO-Revision-Date: 2026-11-01 00:00+0000\\n"', '"PO-Revision-Date: 2026-12-03 14:12+0100\\n"')
    po = po.replace(
        '"Last-Translator: FULL NAME <EMAIL@ADDRESS>\\n"', '"Last-Translator: Aino Virtanen <aino@example.fi>\\n"'
    )
    po = po.replace('"Language-Team: fi <LL@li.org>\\n"', '"Language-Team: Finnish <fi@example.fi>\\n"')
    po = po.replace(
        '"Generated-By: Babel 2.19.0\\n"', '"Generated-By: Babel 2.19.0\\n"\n"X-Generator: Poedit 3.4.2\\n"'
    )
    path.write_text(po, encoding="utf-8")
    subprocess.run(["msgcat", "--width=79", str(path), "-o", str(path)], check=True)  # as Poedit wraps
    poedit = path.read_text(encoding="utf-8")
    assert "Aino Virtanen" in poedit and max(len(line) for line in poedit.splitlines() if line.startswith('"')) <= 79

    assert run("lang", "update", data=data_copy).exit_code == 0
    assert path.read_text(encoding="utf-8") == poedit, "nothing changed in the cards: the file must not change"

    template = data_copy / "cards" / "action.toml"
    template.write_text(
        template.read_text(encoding="utf-8").replace("ställer in i sista stund", "ställer in i sista minuten", 1),
        encoding="utf-8",
    )
    result = run("lang", "update", data=data_copy)
    assert "fi: updated" in result.output
    updated = path.read_text(encoding="utf-8").splitlines()
    diff = [line for line in difflib.ndiff(poedit.splitlines(), updated) if line[:2] in ("- ", "+ ")]
    assert diff == [
        '+ #| msgid "Isolering, ställer in i sista stund, synliga skador.\\nPartnern kontrollerar telefon, pengar '
        "och kläder. Personen är rädd att vara ensam hemma med partnern.\\nÄldre: mediciner eller telefon utom "
        'räckhåll. Skadade husdjur."',
        '- "Isolering, ställer in i sista stund, synliga skador.\\n"',
        '+ "Isolering, ställer in i sista minuten, synliga skador.\\n"',
    ]
    for header in (
        "PO-Revision-Date: 2026-12-03 14:12+0100",
        "Aino Virtanen",
        "Language-Team: Finnish",
        "Poedit 3.4.2",
    ):
        assert any(header in line for line in updated[:20]), header
    assert msgfmt_check(path).returncode == 0


def test_lang_add_and_update_refuse_to_write_into_the_installed_package(
    monkeypatch: pytest.MonkeyPatch, data_copy: Path, tmp_path: Path
) -> None:
    """Without a data folder nodkort reads the copy installed with it; a translator's work must not go there."""
    from click.testing import CliRunner

    import nodkort.project
    from nodkort.cli import cli

    # An installed nodkort carries its fonts beside cards/ and locales/: so does this stand-in for it.
    (data_copy / "fonts").symlink_to(ROOT / "fonts", target_is_directory=True)
    monkeypatch.setattr(nodkort.project, "PACKAGE_DATA", data_copy)
    elsewhere = tmp_path / "work"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    before = snapshot(data_copy)
    for args in (["lang", "add", "nb"], ["lang", "update"]):
        result = CliRunner().invoke(cli, args)
        assert (result.exit_code, result.output) == (
            2,
            f"Error: no data folder: `nodkort {' '.join(args[:2] + args[2:])}` would write into the installed nodkort "
            f"({data_copy}), which the next upgrade replaces. Make a data folder of your own with `nodkort data "
            "init DIR`, then run this inside DIR or with --data DIR\n",
        )
    assert snapshot(data_copy) == before

    result = CliRunner().invoke(cli, ["data", "init", "county"])
    assert (result.exit_code, result.output) == (
        0,
        f"Copied cards/ and locales/ from {data_copy} (installed with nodkort) to county: run nodkort inside it, "
        "or with --data county\n",
    )
    assert snapshot(elsewhere / "county") == snapshot(data_copy)
    result = CliRunner().invoke(cli, ["--data", "county", "lang", "add", "nb"])
    assert result.exit_code == 0, result.output
    assert catalog(elsewhere / "county", "nb").is_file() and snapshot(data_copy) == before

    again = CliRunner().invoke(cli, ["data", "init", "county"])
    assert (again.exit_code, again.output) == (
        2,
        "Error: county is not empty: choose a new or empty folder for the data\n",
    )


def test_lang_add_warns_when_the_language_is_already_listed_in_another_form(run: Run, data_copy: Path) -> None:
    result = run("lang", "add", "sr_Cyrl", data=data_copy)
    assert result.exit_code == 0
    assert result.output.startswith(
        "Warning: 'sr_Cyrl' overlaps 'sr' (Serbian (Cyrillic)), already listed: an order or --lang that names 'sr' "
        "will not get 'sr_Cyrl'; check that a second catalog is what you want, not an update of 'sr'\n"
    )
    assert run("lang", "add", "nb", data=data_copy).output.startswith("Added [nb]")  # no Norwegian listed yet
    warned = run("lang", "add", "no", data=data_copy)
    assert "Warning: 'no' overlaps 'nb' (Norwegian Bokmål), already listed" in warned.output
