"""Review records: a string is reviewed only when a named second person signed it as it reads now.

Each test writes its own catalog (Last-Translator: Tove Translator) into a copy of the data folder and signs it
with `nodkort lang review`, so the record is what the command writes, not a fixture.
"""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po, write_po

from conftest import REVIEWER, TRANSLATOR, Run, normalise, page_text, review, write_catalog
from helpers import set_msgstr
from nodkort.i18n.review import digest
from nodkort.project import DataDir, Project

SOMALI = ["Tani", "waa", "tijaabo"]
HEADING = "emergency/wallet/back/heading"  # "Här får du hjälp"


def _render(run: Run, data: Path, code: str, *extra: str) -> tuple[int, str]:
    result = run("render", "emergency", "--lang", code, *extra, "-o", str(data / "out.pdf"), data=data)
    return result.exit_code, " ".join(result.output.split())


def _emergency_strings(data: Path) -> int:
    project = Project(DataDir.locate(data))
    return len(project.card_messages(project.card("emergency")))


def test_clearing_fuzzy_alone_never_makes_a_string_reviewed(run: Run, data_copy: Path) -> None:
    write_catalog(data_copy, "so", SOMALI, fuzzy=False)  # every string finished, none fuzzy, nobody signed
    code, message = _render(run, data_copy, "so")
    count = _emergency_strings(data_copy)
    assert code == 1
    assert f"(0 fuzzy, 0 missing, {count} without a valid review, 0 changed since review; no review recorded)" in (
        message
    )
    status = run("lang", "status", "--lang", "so", data=data_copy)
    assert re.search(r"^so Somali .*\bunreviewed\s+no review recorded$", status.output, re.M), status.output


def test_a_signed_catalog_prints_and_its_record_names_each_string(run: Run, data_copy: Path) -> None:
    po = write_catalog(data_copy, "so", SOMALI, fuzzy=False)
    signed = review(run, data_copy, "so")
    assert signed.exit_code == 0, signed.output
    assert re.search(r"^Wrote .*locales/so/review.toml: \d+ string\(s\) signed by Rut Reviewer", signed.output, re.M)
    record = (data_copy / "locales" / "so" / "review.toml").read_text(encoding="utf-8")
    assert 'reviewer = "Rut Reviewer"\nrole = "authorised translator"\n' in record
    with po.open("rb") as handle:
        heading = next(m for m in read_po(handle) if m.context == HEADING)
    assert (
        f'msgctxt = "{HEADING}"\nmsgid = "Här får du hjälp"\nmsgstr_sha256 = "{digest(str(heading.string))}"' in record
    )
    assert _render(run, data_copy, "so")[0] == 0
    status = run("lang", "status", "--lang", "so", data=data_copy).output
    assert re.search(r"^so Somali .*\bby Rut Reviewer \(authorised translator\), \d{4}-\d\d-\d\d$", status, re.M)


def test_a_reviewed_string_edited_afterwards_is_unreviewed(run: Run, data_copy: Path) -> None:
    po = write_catalog(data_copy, "so", SOMALI, fuzzy=False)
    assert review(run, data_copy, "so").exit_code == 0
    set_msgstr(po, HEADING, "Halkan waxaad ka heleysaa caawimaad")  # saved in Poedit, not fuzzy
    code, message = _render(run, data_copy, "so")
    assert code == 1
    assert "1 strings of the emergency card are unreviewed (0 fuzzy, 0 missing, 0 without a valid review, " in message
    assert "1 changed since review;" in message
    check = run("check", "--lang", "so", "--card", "emergency", data=data_copy)
    assert (
        f'msgctxt "{HEADING}" is not reviewed: its translation changed since Rut Reviewer (authorised translator) '
        "reviewed it" in check.output
    )
    # Signing it again makes it reviewed again.
    assert review(run, data_copy, "so", "--context", HEADING).exit_code == 0
    assert _render(run, data_copy, "so")[0] == 0


def test_a_catalog_identical_to_swedish_cannot_pass_review(run: Run, data_copy: Path) -> None:
    po = write_catalog(data_copy, "so", SOMALI, fuzzy=False)
    with po.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if message.id:
            message.string = message.id  # "translated" by copying the Swedish, as a careless tool does
    with po.open("wb") as handle:
        write_po(handle, catalog)
    result = review(run, data_copy, "so")
    assert result.exit_code == 1
    assert f"NO    {HEADING}  [identical to Swedish]" in result.output
    assert re.search(r"^0 string\(s\) will be signed; (\d+) cannot be signed \(identical to Swedish: \1\)\.$",
                     result.output, re.M)  # fmt: skip
    assert re.search(r"^Error: .*nodkort.po: none of the \d+ string\(s\) chosen can be signed — ", result.output, re.M)
    assert not (data_copy / "locales" / "so" / "review.toml").exists()
    # A name is meant to read as in Swedish: the reviewer says so, and only that string is signed.
    bris = "contacts/bris/name"
    marked = review(run, data_copy, "so", "--context", bris, "--same-as-source", bris)
    assert marked.exit_code == 0, marked.output
    assert f"sign  {bris}  [identical to Swedish, marked as meant to be]" in marked.output
    assert "same_as_source = true" in (data_copy / "locales" / "so" / "review.toml").read_text(encoding="utf-8")
    assert _render(run, data_copy, "so")[0] == 1  # the rest is still the Swedish text, unreviewed


def test_the_reviewer_cannot_be_the_last_translator(run: Run, data_copy: Path) -> None:
    po = write_catalog(data_copy, "so", SOMALI, fuzzy=False)
    result = review(run, data_copy, "so", reviewer=f"{TRANSLATOR.upper()}, translator")
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {po}:13 [Last-Translator]: {TRANSLATOR.upper()} is the catalog's last translator and cannot also "
        "review it — a second qualified person reviews it (four eyes)\n"
    )
    assert not (data_copy / "locales" / "so" / "review.toml").exists()
    # A review signed earlier stops counting when its reviewer becomes the last translator.
    assert review(run, data_copy, "so").exit_code == 0
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace(f"Last-Translator: {TRANSLATOR}", f"Last-Translator: {REVIEWER.split(',')[0]}"))
    code, message = _render(run, data_copy, "so")
    assert code == 1 and f"{_emergency_strings(data_copy)} without a valid review" in message


def test_a_catalog_that_names_no_translator_cannot_be_reviewed(run: Run, data_copy: Path) -> None:
    po = write_catalog(data_copy, "so", SOMALI, fuzzy=False)
    po.write_text(po.read_text(encoding="utf-8").replace(TRANSLATOR, "FULL NAME"), encoding="utf-8")
    result = review(run, data_copy, "so")
    assert result.exit_code == 1
    assert result.output.startswith(
        f"Error: {po}:13 [Last-Translator]: the catalog does not say who translated it, so a second pair of eyes "
        "cannot be checked — set Last-Translator"
    )


def test_without_a_terminal_or_yes_nothing_is_signed(run: Run, data_copy: Path) -> None:
    write_catalog(data_copy, "so", SOMALI, fuzzy=False)
    result = run("lang", "review", "so", "--reviewer", REVIEWER, data=data_copy)
    assert result.exit_code == 2
    assert result.output.startswith("Review of Somali (so) by Rut Reviewer (authorised translator), ")
    assert f"sign  {HEADING}\n      sv:  Här får du hjälp\n      so:  Tani waa tijaabo Tani\n" in result.output
    assert result.output.endswith(
        "Error: no terminal to confirm the review: read the list above, then run it again with --yes\n"
    )
    assert not (data_copy / "locales" / "so" / "review.toml").exists()


def test_a_reviewer_must_give_a_name_and_a_role(run: Run, data_copy: Path) -> None:
    result = run("lang", "review", "so", "--reviewer", "Rut Reviewer", "--yes", data=data_copy)
    assert result.exit_code == 2
    assert result.output.startswith("Error: --reviewer must name a person and their role")


def test_a_string_that_overflows_cannot_be_signed(run: Run, data_copy: Path) -> None:
    po = write_catalog(data_copy, "so", SOMALI, fuzzy=False)
    question = "emergency/wallet/front/question"
    set_msgstr(po, question, " ".join(["Tani waa tijaabo dheer oo aad u dheer"] * 30))
    result = review(run, data_copy, "so")
    assert result.exit_code == 0, result.output
    assert f"NO    {question}  [overflowing]" in result.output
    status = run("lang", "status", "--lang", "so", "--layout", "--format", "json", data=data_copy)
    summary = __import__("json").loads(status.output)["languages"][0]
    assert summary["overflowing"] >= 1
    assert summary["reviewed"] <= summary["strings"] - 1  # never counted as reviewed
    assert summary["state"] == "unreviewed"


def test_english_has_no_review_recorded_and_prints_only_as_a_draft(run: Run, tmp_path: Path) -> None:
    from conftest import ROOT

    assert not (ROOT / "locales" / "en" / "review.toml").exists()
    listing = run("lang", "list").output
    assert re.search(r"^en\s+English .*no review recorded$", listing, re.M), listing
    refused = run("render", "emergency", "--lang", "en", "-o", str(tmp_path / "en.pdf"))
    assert refused.exit_code == 1 and "English (en) is not reviewed" in refused.output
    draft = run("render", "emergency", "--lang", "en", "--draft", "-o", str(tmp_path / "en.pdf"))
    assert draft.exit_code == 0
    assert "UTKAST" in normalise(page_text((tmp_path / "en.pdf").read_bytes()))
