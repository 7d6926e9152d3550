"""The fast paths give what the plain ones give: lazy imports, languages without CLDR, checks on several cores.

Speed itself is measured in bench/everyday.py, not here (the machine is shared): these tests hold the
properties that make it fast, and that the faster path changes no byte and no line of output.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from babel import Locale
from babel.core import get_global

from conftest import Run
from nodkort.project import Project
from nodkort.review.check import run_checks
from nodkort.review.findings import as_json, as_text

ROOT = Path(__file__).resolve().parents[1]
# What a command pays for only when it uses it: none of these may be imported to print help or the version.
HEAVY = ("reportlab", "babel", "phonenumbers", "fontTools", "uharfbuzz", "icu4py", "pypdfium2", "segno", "PIL")
PROBE = """
import sys
import nodkort.cli
try:
    nodkort.cli.cli([{arg!r}], prog_name="nodkort")
except SystemExit:
    pass
print("LOADED:" + ",".join(sorted({{m.split(".")[0] for m in sys.modules}} & set({heavy!r}))))
"""


@pytest.mark.parametrize("arg", ["--help", "--version"])
def test_help_and_version_import_no_heavy_library(arg: str) -> None:
    probe = PROBE.format(arg=arg, heavy=HEAVY)
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT)
    assert result.stdout.strip().splitlines()[-1] == "LOADED:", result.stdout


def test_render_loads_no_cldr_locale_and_no_fonttools() -> None:
    """Direction and script come from languages.toml, a face's coverage from HarfBuzz: a card needs neither."""
    probe = (
        "import pathlib, sys\n"
        "from nodkort.model import Job\n"
        "from nodkort.pipeline import render\n"
        "from nodkort.project import DataDir, Project\n"
        "render(Project(DataDir.locate(pathlib.Path('.'))), Job('emergency', 'ar', draft=True))\n"
        "cldr = sys.modules.get('babel.localedata')\n"
        "print('LOCALES:' + ','.join(sorted(cldr._cache if cldr else [])), 'fontTools' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT)
    assert result.stdout.strip().splitlines()[-1] == "LOCALES: False", result.stdout


LANGUAGES = tomllib.loads((ROOT / "locales" / "languages.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("code", [c for c, t in LANGUAGES.items() if t.get("babel", c)])
def test_the_stated_direction_and_script_are_cldrs(code: str) -> None:
    table = LANGUAGES[code]
    locale = Locale.parse(table.get("babel", code))
    likely = str(get_global("likely_subtags").get(locale.language, "")).split("_")
    assert table["direction"] == locale.text_direction
    assert table["script"] == (locale.script or next(p for p in likely[1:] if len(p) == 4))


def test_every_language_states_its_direction() -> None:
    assert all(table.get("direction") in ("ltr", "rtl") for table in LANGUAGES.values())


def test_a_check_on_two_cores_reports_what_one_core_reports(project: Project) -> None:
    langs = ["sv", "ar", "th", "en"]
    one = run_checks(project, langs=langs, jobs=1)
    two = run_checks(project, langs=langs, jobs=2)
    assert as_json(two) == as_json(one)
    seconds = re.compile(r" in [0-9.]+ s")
    assert seconds.sub("", as_text(two)) == seconds.sub("", as_text(one))
    assert one.layouts == two.layouts > 0


def test_lang_status_counts_strings_without_laying_out_and_lays_out_when_asked(run: Run) -> None:
    quick = run("lang", "status", "--lang", "ar", "--lang", "sv")
    laid = run("lang", "status", "--lang", "ar", "--lang", "sv", "--layout")
    assert quick.exit_code == laid.exit_code == 0, quick.output
    # translated, reviewed, fuzzy, missing, changed, identical, overflowing, glyphs, state, review
    row = r"^sv Swedish\s+(\d+)/\1\s+\1/\1\s+0\s+0\s+0\s+0\s+{}\s+0\s+source\s+source$"
    assert re.search(row.format("–"), quick.stdout, re.M), quick.stdout
    assert re.search(row.format("0"), laid.stdout, re.M), laid.stdout
    # The other columns are the same either way.
    strip = re.compile(r"\s+(–|\d+)(\s+\d+\s+\w+\s+(source|no review recorded|by .+))$", re.M)
    assert strip.sub(r"\2", quick.stdout) == strip.sub(r"\2", laid.stdout)
