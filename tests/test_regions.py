"""Regions as data: municipality names matched forgivingly, a county added with a data file alone, bad region
files refused with the file and the entry named."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import TESTS, Run, decode_qr, normalise, page_text

REGIONS = TESTS / "data" / "regions"
FIXTURE = REGIONS / "provlan.toml"
BAD = sorted((REGIONS / "bad").glob("*.toml"))
NAMES = "Arboga, Fagersta, Hallstahammar, Kungsör, Köping, Norberg, Sala, Skinnskatteberg, Surahammar, Västerås"


def with_region(data: Path, region: Path) -> Path:
    """Drop a region file into a copy of the data folder, as a county would add its own."""
    shutil.copy(region, data / "cards" / "regions" / region.name)
    return data


# --- matching names -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("asked", "name"),
    [
        ("vasteras", "Västerås"),
        ("VÄSTERÅS", "Västerås"),
        ("koping", "Köping"),
        ("KÖPING", "Köping"),
        ("1981", "Sala"),
        ("  sala ", "Sala"),
        ("skinnskatteberg", "Skinnskatteberg"),
    ],
)
def test_municipality_names_are_matched_forgivingly(run: Run, tmp_path: Path, asked: str, name: str) -> None:
    out = tmp_path / "card.pdf"
    result = run("render", "action", "--lang", "sv", "--municipality", asked, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert f"i {name}." in normalise(page_text(out.read_bytes(), 0))


@pytest.mark.parametrize(("asked", "hint"), [("Salla", "did you mean Sala?"), ("Vasteraas", "did you mean Västerås?")])
def test_an_unknown_municipality_exits_2_with_the_closest_match_and_the_list(run: Run, asked: str, hint: str) -> None:
    result = run("render", "action", "--municipality", asked, "-o", "/dev/null")
    assert result.exit_code == 2
    assert result.output == f"Error: unknown municipality '{asked}': {hint} Choose one of: {NAMES}\n"


def test_the_action_card_needs_a_municipality(run: Run) -> None:
    result = run("render", "action", "-o", "/dev/null")
    assert result.exit_code == 2
    assert result.output == f"Error: the action card needs --municipality NAME (one of: {NAMES})\n"


def test_list_municipalities_shows_all_ten_with_codes_and_marks_norberg(run: Run) -> None:
    result = run("list", "municipalities")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "Västmanlands län (vastmanland):"
    listed = dict(re.findall(r"^\s+(\d{4})\s+(\S+)", result.output, re.MULTILINE))
    assert listed == {
        "1984": "Arboga",
        "1982": "Fagersta",
        "1961": "Hallstahammar",
        "1960": "Kungsör",
        "1983": "Köping",
        "1962": "Norberg",
        "1981": "Sala",
        "1904": "Skinnskatteberg",
        "1907": "Surahammar",
        "1980": "Västerås",
    }
    marked = [line for line in lines if "no verified number" in line]
    assert marked == ["  1962  Norberg  (no verified number: cannot be printed)"]


# --- another county, from a data file alone -------------------------------------------------------------


@pytest.fixture
def fixture_county(data_copy: Path) -> Path:
    return with_region(data_copy, FIXTURE)


def test_a_county_added_as_a_data_file_is_listed(run: Run, fixture_county: Path) -> None:
    result = run("list", "municipalities", data=fixture_county)
    assert result.exit_code == 0
    assert "Provlänet (testdata) (provlan):" in result.output
    assert "9901  Exempelby" in result.output and "9902  Provstad" in result.output
    assert "1981  Sala" in result.output  # the real county is still there


def test_a_municipality_of_the_added_county_renders_with_its_own_numbers(
    run: Run, fixture_county: Path, tmp_path: Path
) -> None:
    out = tmp_path / "exempelby.pdf"
    result = run("render", "action", "--lang", "sv", "--municipality", "exempelby", "-o", str(out), data=fixture_county)
    assert result.exit_code == 0, result.output
    pdf = out.read_bytes()
    inside = normalise(page_text(pdf, 1))
    for number in ("070-174 06 11", "070-174 06 12", "070-174 06 13", "070-174 06 05"):
        assert number in inside
    assert "Ring växeln" not in inside  # every line is verified: no fallback
    assert decode_qr(pdf, 0) == ["https://exempelby.example/orosanmalan"]


def test_the_added_county_falls_back_to_the_switchboard_and_never_prints_unconfirmed(
    run: Run, fixture_county: Path, tmp_path: Path
) -> None:
    out = tmp_path / "provstad.pdf"
    result = run("render", "action", "--lang", "sv", "--municipality", "9902", "-o", str(out), data=fixture_county)
    assert result.exit_code == 0, result.output
    pdf = out.read_bytes()
    inside = normalise(page_text(pdf, 1))
    assert "070-174 06 20" in inside and "Ring växeln och fråga efter socialtjänsten." in inside
    assert "070-174 06 21" not in normalise(page_text(pdf))  # status = "unconfirmed"
    assert decode_qr(pdf, 0) == ["tel:+46701740620"]


# --- bad region files ------------------------------------------------------------------------------------


def expectations(path: Path) -> tuple[str, list[str]]:
    """The municipality to render and the phrases the error must hold, from the file's header comments."""
    text = path.read_text(encoding="utf-8")
    municipality = re.search(r"^# municipality: (.+)$", text, re.MULTILINE)
    expected = re.findall(r"^# expect: (.+)$", text, re.MULTILINE)
    assert municipality and expected, f"{path.name} needs '# municipality:' and '# expect:' lines"
    return municipality.group(1).strip(), expected


@pytest.mark.parametrize("bad", BAD, ids=[p.stem for p in BAD])
def test_a_bad_region_file_exits_1_naming_file_and_entry(run: Run, data_copy: Path, bad: Path) -> None:
    municipality, expected = expectations(bad)
    data = with_region(data_copy, bad)
    result = run("render", "action", "--municipality", municipality, "-o", str(data / "out.pdf"), data=data)
    assert result.exit_code == 1, result.output
    assert result.output.startswith("Error: ")
    for phrase in expected:
        assert phrase in result.output
    assert not (data / "out.pdf").exists()


def test_every_problem_in_a_region_file_is_reported_at_once(run: Run, data_copy: Path) -> None:
    data = with_region(data_copy, REGIONS / "bad" / "duplicate_code.toml")
    with_region(data, REGIONS / "bad" / "unknown_municipality.toml")
    result = run("render", "action", "--municipality", "Sala", "-o", "/dev/null", data=data)
    assert result.exit_code == 1
    assert "2 problems:" in result.output
    assert "duplicate_code.toml" in result.output and "unknown_municipality.toml" in result.output
