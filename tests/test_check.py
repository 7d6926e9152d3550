"""nodkort check and lang status: a new language from lang add to a watermarked draft, and each gate."""

from __future__ import annotations

import dataclasses
import json
import re
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po, write_po

from conftest import ROOT, Run, normalise, page_count, page_text
from helpers import msgfmt_check, set_msgstr
from nodkort.errors import UsageError
from nodkort.layout.primitives import QrCode
from nodkort.model import Job
from nodkort.pipeline import lay_out
from nodkort.project import Project
from nodkort.review.scan import decoder, scan_cards

# Far more than a 77.6 × 17 mm box holds even at the 6.5 pt floor: a translator's first, wordy attempt.
LONG_QUESTION = (
    "Er du redd for at nokon vil gifta deg bort mot viljen din, eller at du skal bli teken med til eit "
    "anna land og verte verande der mot viljen din? Er du uroleg for ein ven, ei venninne, eit søsken "
    "eller nokon andre du kjenner, som kanskje er i den same situasjonen og treng hjelp? Det er ikkje lov "
    "å tvinge, lure eller pressa nokon til å gifta seg, korkje i Sverige eller i utlandet, og born som ikkje er "
    "vaksne får ikkje giftast bort. Du kan få hjelp, sjølv om du ikkje er sikker på kva som skal skje eller "
    "når det skal skje, og du kan snakka med nokon utan at familien din får vite det."
)
LONG_EMERGENCY = (
    "Er du eller nokon andre i akutt fare akkurat no, til dømes fordi nokon trugar deg, held deg "
    "innestengd eller vil ta deg med ut av landet i dag? Ring då alltid {emergency} med ein gong, "
    "døgnet rundt, også om du er usikker. Politiet, ambulansen og brannvesenet svarar på same "
    "nummer, og du treng ikkje pengar eller kontantkort på telefonen for å ringje."
)


def report(run: Run, data: Path, *args: str) -> tuple[int, dict[str, Any]]:
    result = run("check", *args, "--format", "json", data=data)
    return result.exit_code, json.loads(result.output)


def found(data: dict[str, Any], gate: str) -> list[dict[str, str]]:
    return [f for f in data["findings"] if f["gate"] == gate]


def fill_as_drafts(path: Path) -> None:
    """What a translation tool does with machine suggestions: every empty string filled, flagged fuzzy."""
    with path.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if message.id and not message.string:
            message.string = message.id  # a stand-in draft: the Swedish text, as long as the source
            message.flags.add("fuzzy")
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100)


def test_a_translator_adds_a_language_end_to_end(run: Run, data_copy: Path, tmp_path: Path) -> None:
    # 1. A new language: CLDR knows Norwegian Nynorsk; every string is there, empty.
    added = run("lang", "add", "nn", data=data_copy)
    assert added.exit_code == 0, added.output
    po = data_copy / "locales" / "nn" / "LC_MESSAGES" / "nodkort.po"

    # 2. A few strings translated, as in Poedit: the rest is reported missing.
    set_msgstr(po, "emergency/wallet/back/heading", "Her får du hjelp")
    set_msgstr(po, "contacts/bris/name", "BRIS")
    set_msgstr(po, "emergency/wallet/front/emergency", "Akutt fare? Ring {emergency}")
    status = run("lang", "status", "--lang", "nn", "--format", "json", data=data_copy)
    assert status.exit_code == 0, status.output
    summary = json.loads(status.output)["languages"][0]
    assert (summary["code"], summary["translated"], summary["state"]) == ("nn", 3, "incomplete")
    assert summary["missing"] == summary["strings"] - 3
    table = run("lang", "status", "--lang", "nn", data=data_copy).output
    # translated, reviewed, fuzzy, missing, changed, identical ("BRIS" is a name), overflowing, glyphs, state
    assert re.search(
        r"nn Norwegian Nynorsk\s+3/(\d+)\s+0/\1\s+0\s+\d+\s+0\s+1\s+–\s+0\s+incomplete\s+no review recorded$",
        table,
        re.M,
    ), table

    text = run("check", "--lang", "nn", "--card", "emergency", data=data_copy)
    assert text.exit_code == 1
    assert 'msgctxt "emergency/wallet/front/law" is not translated' in text.output
    assert 'msgctxt "emergency/wallet/back/heading" is not translated' not in text.output
    assert "FAILED" in text.output

    # 3. Two translations too long for their boxes on the same side: both are named, with the overflow.
    set_msgstr(po, "emergency/wallet/front/question", LONG_QUESTION)
    set_msgstr(po, "emergency/wallet/front/emergency", LONG_EMERGENCY)
    # 4. A translation that drops its placeholder.
    set_msgstr(
        po,
        "emergency/wallet/front/free_call",
        "Det er gratis å ringje, og samtalen syner ikkje på telefonrekninga.",
    )
    code, data = report(run, data_copy, "--lang", "nn", "--card", "emergency")
    assert code == 1
    misfits = {f["context"]: f for f in found(data, "fit")}
    assert {"emergency/wallet/front/question", "emergency/wallet/front/emergency"} <= set(misfits)
    question = misfits["emergency/wallet/front/question"]
    assert re.search(
        r"at the 6.5 pt floor with 2.5 mm gaps; the column has 46.0 mm "
        r"\(overflow \d+\.\d mm, \d+ %\); this block takes",
        question["what"],
    )
    line = po.read_text(encoding="utf-8").split("\n").index('msgctxt "emergency/wallet/front/question"') + 1
    assert f"nodkort.po:{line}" in question["fix"]
    dropped = found(data, "placeholder")
    assert len(dropped) == 1
    assert "placeholders differ from the source: missing {kvinnofridslinjen}" in dropped[0]["what"]
    assert re.search(r"locales/nn/LC_MESSAGES/nodkort\.po:\d+$", dropped[0]["where"])
    refused = run("render", "emergency", "--lang", "nn", "--draft", "-o", str(tmp_path / "x.pdf"), data=data_copy)
    assert refused.exit_code == 1
    assert "missing {kvinnofridslinjen}" in refused.output

    # 5. Fixed, and the remaining strings drafted: a draft renders, watermarked; a final print is refused.
    set_msgstr(
        po,
        "emergency/wallet/front/question",
        "Er du redd for å bli gift bort eller teken til utlandet mot viljen din? Eller uroleg for nokon du kjenner?",
    )
    set_msgstr(po, "emergency/wallet/front/emergency", "Akutt fare? Ring {emergency}")
    set_msgstr(
        po,
        "emergency/wallet/front/free_call",
        "Det er gratis å ringje {kvinnofridslinjen}, og samtalen syner ikkje på telefonrekninga.",
    )
    fill_as_drafts(po)
    code, data = report(run, data_copy, "--lang", "nn", "--card", "emergency")
    assert code == 1  # still unreviewed: drafts, and finished strings no review signs
    assert {f["gate"] for f in data["findings"] if f["severity"] == "error"} == {"fuzzy", "review"}
    out = tmp_path / "draft.pdf"
    draft = run("render", "emergency", "--lang", "nn", "--draft", "-o", str(out), data=data_copy)
    assert draft.exit_code == 0, draft.output
    pdf = out.read_bytes()
    assert page_count(pdf) == 2
    front, back = normalise(page_text(pdf, 0)), normalise(page_text(pdf, 1))
    assert "UTKAST" in front and "UTKAST" in back
    assert "Akutt fare? Ring 112" in front
    assert "Her får du hjelp" in back
    final = run("render", "emergency", "--lang", "nn", "-o", str(tmp_path / "final.pdf"), data=data_copy)
    assert final.exit_code == 1
    assert "is not reviewed" in final.output

    # 6. The proof sheet holds each string's context, Swedish source, translation and state.
    proof_path = tmp_path / "proof-nn.pdf"
    proof = run("proof", "--lang", "nn", "--card", "emergency", "-o", str(proof_path), data=data_copy)
    assert proof.exit_code == 0, proof.output
    sheet = normalise(page_text(proof_path.read_bytes()))
    for expected in (
        "emergency/wallet/back/heading",
        "Här får du hjälp",
        "Her får du hjelp",
        "reviewed",
        "Akut fara? Ring {emergency}",
        "Akutt fare? Ring {emergency}",
        "fuzzy",
        "UTKAST",
    ):
        assert expected in sheet, expected

    # 7. Every catalog in the folder is still valid gettext.
    catalogs = sorted((data_copy / "locales").glob("*/LC_MESSAGES/nodkort.po"))
    assert po in catalogs
    for path in catalogs:
        checked = msgfmt_check(path)
        assert checked.returncode == 0, (path, checked.stderr)


def _set_verified(data: Path, contact: str, when: date) -> int:
    """Give one national contact another verification date; returns the line of its table."""
    path = data / "cards" / "contacts" / "national.toml"
    lines = path.read_text(encoding="utf-8").split("\n")
    start = lines.index(f"[{contact}]")
    index = next(i for i in range(start, len(lines)) if lines[i].startswith("checked ="))
    lines[index] = f"checked = {when.isoformat()}"
    path.write_text("\n".join(lines), encoding="utf-8")
    return start + 1


def test_freshness_warns_after_12_months_and_fails_after_24(run: Run, data_copy: Path) -> None:
    today = date.today()
    line = _set_verified(data_copy, "bris", today - timedelta(days=400))
    code, data = report(run, data_copy, "--lang", "sv", "--card", "emergency")
    ageing = found(data, "freshness")
    assert code == 0, data["findings"]
    assert len(ageing) == 1 and ageing[0]["severity"] == "warning"
    assert ageing[0]["where"] == f"cards/contacts/national.toml:{line} [bris]"
    assert "116 111 was checked 13 months ago" in ageing[0]["what"]

    _set_verified(data_copy, "bris", today - timedelta(days=800))
    code, data = report(run, data_copy, "--lang", "sv", "--card", "emergency")
    assert code == 1
    stale = found(data, "freshness")
    assert stale[0]["severity"] == "error"
    assert "older than 24 months is not printed" in stale[0]["what"]


def test_discreet_gate_names_the_word_that_gives_the_subject_away(run: Run, data_copy: Path) -> None:
    template = data_copy / "cards" / "emergency.toml"
    text = template.read_text(encoding="utf-8")
    template.write_text(
        text.replace("Samtal till {kvinnofridslinjen} är gratis", "Samtal om våld till {kvinnofridslinjen} är gratis"),
        encoding="utf-8",
    )
    code, data = report(run, data_copy, "--lang", "sv", "--card", "emergency")
    assert code == 1
    discreet = found(data, "discreet")
    assert discreet and all("the discreet variant shows 'våld' on the outside" in f["what"] for f in discreet)
    assert {f["where"].split(" ")[0] for f in discreet} == {"cards/emergency.toml"}


def test_a_municipality_without_a_verified_number_is_a_finding_not_a_crash(run: Run) -> None:
    result = run("check", "--lang", "sv", "--card", "action", "--format", "json")
    assert result.exit_code == 0, result.output  # a warning: every other municipality still prints
    data = json.loads(result.output)
    norberg = [f for f in found(data, "contact") if "Norberg has no verified number" in f["what"]]
    assert len(norberg) == 1 and norberg[0]["severity"] == "warning"
    assert re.match(r"cards/regions/vastmanland\.toml:\d+ \[municipality\.Norberg\]", norberg[0]["where"])
    assert data["layouts"] > 0  # every other municipality was still laid out


def test_scan_reports_a_code_that_does_not_hold_what_was_laid_out(project: Project) -> None:
    laid = lay_out(project, Job("emergency", "sv"))
    back = laid.sides[1]
    items = tuple(
        dataclasses.replace(i, payload="tel:+46000000000") if isinstance(i, QrCode) else i for i in back.items
    )
    tampered = dataclasses.replace(laid, sides=(laid.sides[0], dataclasses.replace(back, items=items)))
    problems, pages = scan_cards(project, [tampered])
    assert pages == 2
    assert len(problems) == 1
    assert problems[0].where.key == "emergency/wallet/back/qr"
    assert "expected 'tel:+46000000000', read 'tel:+4684055005'" in problems[0].what


def test_scan_without_zxing_is_a_usage_error_naming_the_extra(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "zxingcpp", None)
    with pytest.raises(UsageError, match=r"pip install 'nodkort\[verify\]'"):
        decoder()
    result = run("check", "--lang", "sv", "--card", "emergency", "--scan")
    assert result.exit_code == 2
    assert result.output == (
        "Error: `nodkort check --scan` reads QR codes with zxing-cpp, which is not installed: "
        "pip install 'nodkort[verify]'\n"
    )


def test_a_language_without_catalog_is_one_finding(run: Run, data_copy: Path) -> None:
    (data_copy / "locales" / "yi" / "LC_MESSAGES" / "nodkort.po").unlink(missing_ok=True)
    code, data = report(run, data_copy, "--lang", "yi", "--card", "emergency")
    assert code == 1
    assert [f["what"] for f in data["findings"] if f["lang"] == "yi"] == [
        f"Yiddish has no catalog yet: all {data['languages'][0]['strings']} strings are missing"
    ]
    assert data["languages"][0]["state"] == "no catalog"


def test_the_translating_guide_covers_every_command_a_translator_uses(run: Run) -> None:
    guide = (ROOT / "docs" / "translating.md").read_text(encoding="utf-8")
    for command in (
        "nodkort lang add",
        "nodkort lang update",
        "nodkort lang status",
        "nodkort check",
        "nodkort proof",
        "nodkort render",
        "--draft",
        "fuzzy",
        "Poedit",
        "Weblate",
        "msgctxt",
    ):
        assert command in guide, command
    for args in (["lang", "status"], ["lang", "add"], ["lang", "update"], ["check"], ["proof"]):
        helped = run(*args, "--help")
        assert helped.exit_code == 0 and "Usage:" in helped.output, args
