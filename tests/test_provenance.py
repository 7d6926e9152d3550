"""Provenance: "verified" means seen on the owner's own page; a third-party list is evidence, never a verification.

Each test edits a copy of the real data the way a careless or hurried editor would, and checks the exact refusal:
file, line, what is wrong and how to fix it. Nothing is printed from such data.
"""

from __future__ import annotations

import re
from pathlib import Path

from conftest import Run

NATIONAL = Path("cards") / "contacts" / "national.toml"
REGION = Path("cards") / "regions" / "vastmanland.toml"
DATASET = "https://github.com/HackersOfSweden/WelcomeToSweden/blob/master/DB/municipalities.json"


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line(path: Path, text: str) -> int:
    return path.read_text(encoding="utf-8").splitlines().index(text) + 1


def test_a_verified_national_number_with_a_third_party_source_is_refused(run: Run, data_copy: Path) -> None:
    national = data_copy / NATIONAL
    _replace(
        national,
        'source = "https://www.bris.se/om-bris/aktuellt/bris-har-starkt-den-nationella-stodlinjen-for-barn-med-en-'
        'sms-kanal/"',
        'source = "https://8sidor.se/sverige/2025/08/manga-barn-ringde-till-bris/"',
    )
    out = data_copy / "card.pdf"
    result = run("render", "emergency", "-o", str(out), data=data_copy)
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {national}:{_line(national, '[bris]')} [bris]: source "
        "https://8sidor.se/sverige/2025/08/manga-barn-ringde-till-bris/ is not a page of BRIS (its domains: bris.se): "
        "a third-party page is evidence, never a verification — find the number on the owner's own page and cite "
        'that, move this address to evidence = [...] and set status = "unconfirmed", or add the owner\'s domain to '
        "its domains\n"
    )
    assert not out.exists()


def test_a_municipal_number_seen_only_in_a_dataset_is_refused(run: Run, data_copy: Path) -> None:
    region = data_copy / REGION
    _replace(
        region,
        'source = "https://koping.se/kommun-och-politik/var-organisation/politisk-organisation.html"',
        f'source = "{DATASET}"',
    )
    result = run("render", "action", "--municipality", "Sala", "-o", str(data_copy / "x.pdf"), data=data_copy)
    assert result.exit_code == 1
    lines = region.read_text(encoding="utf-8").splitlines()
    contact = next(n for n in range(len(lines)) if lines[n] == 'municipality = "Köping"')  # its [[contact]] line
    index = lines[:contact].count("[[contact]]")
    assert result.output == (
        f"Error: {region}:{contact} [contact[{index}] Köping switchboard]: source {DATASET} is not a page of Köping "
        "(its domains: koping.se): a third-party page is evidence, never a verification — find the number on the "
        'owner\'s own page and cite that, move this address to evidence = [...] and set status = "unconfirmed", '
        "or add the owner's domain to its domains\n"
    )


def test_a_shared_number_needs_the_municipality_s_own_referral_page(run: Run, data_copy: Path) -> None:
    region = data_copy / REGION
    _replace(
        region,
        'referral = "https://hallstahammar.se/stod-och-omsorg/familj-och-foraldraskap/sa-fungerar-socialtjansten"',
        'referral = "https://www.vasteras.se/"',
    )
    result = run("render", "action", "--municipality", "Sala", "-o", str(data_copy / "x.pdf"), data=data_copy)
    assert result.exit_code == 1
    assert "Hallstahammar uses Västerås's number only if its own page says so: 'referral' must be a page of " in (
        result.output
    )
    assert "hallstahammar.se" in result.output


def test_the_old_verified_key_is_named_with_its_new_name(run: Run, data_copy: Path) -> None:
    national = data_copy / NATIONAL
    text = national.read_text(encoding="utf-8")
    national.write_text(text.replace("checked = 2026-12-01", "verified = 2026-12-01", 1), encoding="utf-8")
    result = run("render", "emergency", "-o", str(data_copy / "x.pdf"), data=data_copy)
    assert result.exit_code == 1
    assert (
        "[emergency.verified]: 'verified' is now 'checked': the date someone compared the number with its source"
        in (result.output)
    )


def test_an_invisible_direction_control_in_a_contact_is_refused(run: Run, data_copy: Path) -> None:
    national = data_copy / NATIONAL
    _replace(national, 'display = "114 14"', 'display = "\u202e114 14"')
    result = run("render", "emergency", "-o", str(data_copy / "x.pdf"), data=data_copy)
    assert result.exit_code == 1
    assert re.search(
        r"national\.toml:\d+ \[police\.display\]: display holds the invisible direction control U\+202E "
        r"RIGHT-TO-LEFT OVERRIDE at character 1: it can reverse how the number reads — retype the value without it",
        result.output,
    ), result.output


def test_kungsor_prints_its_corrected_switchboard_and_norberg_stays_refused(run: Run, tmp_path: Path) -> None:
    ok = run("render", "action", "--municipality", "Kungsör", "-o", str(tmp_path / "k.pdf"))
    assert ok.exit_code == 0, ok.output
    refused = run("render", "action", "--municipality", "Norberg", "-o", str(tmp_path / "n.pdf"))
    assert refused.exit_code == 1 and "Norberg has no verified number" in refused.output
    assert not (tmp_path / "n.pdf").exists()


def test_contacts_shows_the_source_its_date_and_flags_old_pages(run: Run) -> None:
    result = run("contacts")
    assert result.exit_code == 0
    arboga = next(line for line in result.output.splitlines() if line.startswith("Arboga") and "switchboard" in line)
    assert re.search(
        r"0589-870 00\s+fresh\s+2026-12-01\s+\d+\s+2017-01-30\s+re-check at the source\s+"
        r"https://arboga\.se/kommun--politik/dialog-och-inflytande\.html$",
        arboga,
    ), arboga
    assert "0589-870 02" not in result.output  # Arboga's fax is never listed as a phone


def test_a_voluntary_organisation_is_listed_with_its_own_owner_and_page(run: Run) -> None:
    result = run("contacts", "--format", "csv")
    row = next(line for line in result.output.splitlines() if ",womens_shelter," in line)
    assert row.startswith("Västerås,womens_shelter,021-12 67 80,,fresh,2026-12-01,")
    assert "https://www.kvinnohuset-vasteras.org/har-finns-hjalp/,Föreningen Kvinnohuset i Västerås," in row


def test_an_organisation_s_number_is_verified_only_on_its_own_domains(run: Run, data_copy: Path) -> None:
    region = data_copy / REGION
    _replace(region, 'domains = ["kvinnohuset-vasteras.org"]', 'domains = ["vasteras.se"]')
    result = run("render", "action", "--municipality", "Sala", "-o", str(data_copy / "x.pdf"), data=data_copy)
    assert result.exit_code == 1
    assert (
        "source https://www.kvinnohuset-vasteras.org/har-finns-hjalp/ is not a page of Föreningen Kvinnohuset i "
        "Västerås (its domains: vasteras.se)" in result.output
    )
