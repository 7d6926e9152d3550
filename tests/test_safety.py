"""Safety and trust: numbers stay fresh, print stays legible, outputs stay private, failures stay clear.

A card stays in a wallet for years. These tests check what a coordinator would: a number not re-verified
for a year warns and after two years is refused; pale text is refused; the large-print card is A6 with
nothing under 12 pt; the discreet card and every output reveal nothing; every bad file in tests/data/bad/
gives exit 1 and the message beside it; a bug gives a short note, its traceback only with --debug.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from datetime import date
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from conftest import ROOT, TESTS, Run, decode_qr, normalise, page_count, page_size_mm, page_text
from nodkort.data import contrast
from nodkort.data.freshness import months_between
from nodkort.errors import StaleError
from nodkort.layout.gates import forbidden_words
from nodkort.layout.primitives import TextLine
from nodkort.layout.side import LaidCard
from nodkort.model import BLACK, WHITE, Box, Cmyk, Job, RectField, Side, Style, TextField
from nodkort.pipeline import lay_out, render
from nodkort.project import Project

A6 = (105.0, 148.0)
BAD = TESTS / "data" / "bad"
TODAY = date.today()


def months_ago(months: int, day: date = TODAY) -> date:
    """The date `months` whole months before `day` (the day of month capped at 28, so the age is exact)."""
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, min(day.day, 28))


def verified_on(path: Path, when: date) -> None:
    """Set every `checked = ...` date in a contacts or region file."""
    text = re.sub(
        r"^checked = \d{4}-\d{2}-\d{2}",
        f"checked = {when.isoformat()}",
        path.read_text(encoding="utf-8"),
        flags=re.MULTILINE,
    )
    path.write_text(text, encoding="utf-8")


def sizes(laid: LaidCard) -> list[float]:
    return [item.size for side in laid.sides for item in side.items if isinstance(item, TextLine)]


# --- freshness ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("earlier", "later", "months"),
    [
        (date(2025, 11, 22), date(2026, 11, 22), 12),
        (date(2025, 11, 23), date(2026, 11, 22), 11),
        (date(2026, 1, 31), date(2026, 2, 28), 0),
        (date(2024, 2, 29), date(2026, 3, 1), 24),
    ],
)
def test_age_counts_whole_months(earlier: date, later: date, months: int) -> None:
    assert months_between(earlier, later) == months


def test_a_number_older_than_12_months_prints_with_a_warning(run: Run, data_copy: Path, tmp_path: Path) -> None:
    verified_on(data_copy / "cards" / "contacts" / "national.toml", months_ago(13))
    out = tmp_path / "card.pdf"
    result = run("render", "emergency", "-o", str(out), data=data_copy)
    assert result.exit_code == 0, result.output
    assert "Warning:" in result.stderr
    assert "national.toml" in result.stderr and "[ud_jouren]" in result.stderr
    assert "+46 8 405 50 05 was checked at its source on" in result.stderr and "13 months ago" in result.stderr
    assert "update 'checked'" in result.stderr
    back = normalise(page_text(out.read_bytes(), 1))
    assert "v2026.11 sv" in back and "stale" not in back


def test_a_number_older_than_24_months_is_refused(run: Run, data_copy: Path, tmp_path: Path) -> None:
    verified_on(data_copy / "cards" / "contacts" / "national.toml", months_ago(25))
    out = tmp_path / "card.pdf"
    result = run("render", "emergency", "-o", str(out), data=data_copy)
    assert result.exit_code == 1
    assert "[kvinnofridslinjen]: 020-50 50 50 was checked at its source on" in result.stderr
    assert "older than 24 months, a card must not print it" in result.stderr
    assert "--allow-stale" in result.stderr
    assert "Warning:" not in result.stderr  # the error says it all
    assert not out.exists()


def test_allow_stale_prints_and_the_stamp_says_so(run: Run, data_copy: Path, tmp_path: Path) -> None:
    verified_on(data_copy / "cards" / "contacts" / "national.toml", months_ago(25))
    out = tmp_path / "card.pdf"
    result = run("render", "emergency", "--allow-stale", "-o", str(out), data=data_copy)
    assert result.exit_code == 0, result.output
    assert "25 months ago" in result.stderr  # still warned
    pdf = out.read_bytes()
    assert "v2026.11 sv · stale" in normalise(page_text(pdf, 1))
    assert "020-50 50 50" in normalise(page_text(pdf))


def test_a_verified_date_still_to_come_is_refused_even_with_allow_stale(
    run: Run, data_copy: Path, tmp_path: Path
) -> None:
    # A mistyped year would otherwise keep a number "fresh" for decades.
    verified_on(data_copy / "cards" / "contacts" / "national.toml", months_ago(-3))
    out = tmp_path / "card.pdf"
    result = run("render", "emergency", "--allow-stale", "-o", str(out), data=data_copy)
    assert result.exit_code == 1
    assert "[kvinnofridslinjen]: 020-50 50 50 has checked = " in result.stderr
    assert "a date still to come" in result.stderr
    assert not out.exists()
    check = run("check", "--card", "emergency", "--lang", "sv", data=data_copy)
    assert check.exit_code == 1 and "a date still to come" in check.output
    listed = run("contacts", "--format", "csv", data=data_copy)
    assert ",ud_jouren,+46 8 405 50 05,,future," in listed.stdout


def test_a_stale_municipal_number_is_refused_naming_its_region_file(run: Run, data_copy: Path) -> None:
    region = data_copy / "cards" / "regions" / "vastmanland.toml"
    verified_on(region, months_ago(30))
    result = run("render", "action", "--municipality", "Västerås", data=data_copy)
    assert result.exit_code == 1
    assert "vastmanland.toml" in result.stderr
    assert "30 months ago: older than 24 months" in result.stderr


def test_batch_refuses_stale_numbers_and_writes_nothing(run: Run, data_copy: Path, tmp_path: Path) -> None:
    verified_on(data_copy / "cards" / "contacts" / "national.toml", months_ago(25))
    order = tmp_path / "orders.csv"
    order.write_text(
        "Ordernummer;Skola;Kommun;Kort;Språk;Antal\nV-1;Ekbacksskolan;Västerås;emergency;sv;3\n", encoding="utf-8"
    )
    result = run("batch", str(order), "-o", str(tmp_path / "print"), data=data_copy)
    assert result.exit_code == 1
    assert "row 2: emergency/wallet in sv" in result.stderr and "older than 24 months" in result.stderr
    assert not (tmp_path / "print").exists()


def test_the_render_date_decides_the_age(project: Project) -> None:
    newest = max(c.checked for c in project.national.values() if c.checked)
    with pytest.raises(StaleError) as caught:
        render(project, Job("emergency", "sv", today=months_ago(-25, newest)))
    assert all("older than 24 months" in p.what for p in caught.value.problems)
    _, pdf = render(project, Job("emergency", "sv", today=months_ago(-25, newest), allow_stale=True))
    assert "stale" in normalise(page_text(pdf, 1))
    _, fresh = render(project, Job("emergency", "sv", today=newest))
    assert "stale" not in normalise(page_text(fresh, 1))


def _contacts_csv(run: Run, data: Path | None = None) -> list[dict[str, str]]:
    result = run("contacts", "--format", "csv", data=data)
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_contacts_lists_every_contact_with_source_date_age_and_status(run: Run, project: Project) -> None:
    rows = _contacts_csv(run)
    assert list(rows[0]) == [
        "owner",
        "contact",
        "number",
        "url",
        "status",
        "checked",
        "age_months",
        "source_date",
        "note",
        "source",
        "owned_by",
        "evidence",
    ]
    national = {r["contact"]: r for r in rows if r["owner"] == "national"}
    assert set(national) == set(project.national)
    assert national["ud_jouren"]["number"] == "+46 8 405 50 05"
    local = [r for r in rows if r["owner"] != "national"]
    expected_local = sum(
        len(d.region.contacts) + sum(len(m.contacts) for m in d.region.municipalities) for d in project.regions.values()
    )
    assert len(local) == expected_local > 0
    assert {"Västmanlands län", "Västerås"} <= {r["owner"] for r in local}
    for row in rows:
        if row["status"] == "unverified":
            assert not row["age_months"]
            continue
        assert row["source"].startswith(("https://", "http://")), row
        age = months_between(date.fromisoformat(row["checked"]), TODAY)
        assert row["age_months"] == str(age)
        assert row["status"] == ("fresh" if age < 12 else "ageing" if age < 24 else "stale")


def test_contacts_shows_which_numbers_to_verify_again(run: Run, data_copy: Path) -> None:
    verified_on(data_copy / "cards" / "contacts" / "national.toml", months_ago(25))
    rows = _contacts_csv(run, data_copy)
    national = [r for r in rows if r["owner"] == "national" and r["status"] != "unverified"]
    assert national and all(r["status"] == "stale" and r["age_months"] == "25" for r in national)
    table = run("contacts", data=data_copy)
    assert table.exit_code == 0
    assert re.search(r"^national\s+ud_jouren\s+\+46 8 405 50 05\s+stale\s+\S+\s+25 ", table.stdout, flags=re.MULTILINE)
    assert re.search(
        r"^\d+ contacts: \d+ fresh, 0 ageing, [1-9]\d* stale, \d+ unverified"
        r"(; \d+ on a source page older than 24 months)?$",
        table.stdout,
        flags=re.MULTILINE,
    )


# --- contrast and the legibility floor -------------------------------------------------------------------


def test_contrast_follows_wcag() -> None:
    assert contrast.ratio(BLACK, WHITE) == pytest.approx(21.0)
    assert contrast.ratio(WHITE, WHITE) == pytest.approx(1.0)
    grey = Cmyk(0, 0, 0, 1 - 0x77 / 255)  # #777777 on white: 4.48:1, the classic near miss
    assert contrast.ratio(grey, WHITE) == pytest.approx(4.48, abs=0.01)


def _text(box: Box, color: Cmyk) -> TextField:
    return TextField("label", box, "always", 0, Style("label", 8, color=color), "Ring 112", "c", "https://x")


@pytest.mark.parametrize(
    ("band", "text", "ok"),
    [
        (Cmyk(0.9, 0.3, 0.45, 0.3), WHITE, True),  # white on the deep teal band
        (Cmyk(0.12, 0.02, 0.06, 0), WHITE, False),  # white on the pale band
        (Cmyk(0.12, 0.02, 0.06, 0), BLACK, True),  # black on the pale band
    ],
)
def test_text_is_checked_against_the_band_under_it(band: Cmyk, text: Cmyk, ok: bool) -> None:
    from nodkort.model import Card, Format

    box = Box(10, 10, 100, 20)
    side = Side("front", (RectField("band", Box(0, 0, 200, 60), "always", 0, band), _text(box, text)))
    fmt = Format("w", 200, 60, 6, (side,))
    card = Card("t", "t.toml", "T", "t/title", "T", "t/discreet_title", "1", {"w": fmt}, "w")
    problems = contrast.problems(card)
    assert (problems == []) is ok
    if not ok:
        assert "field 'band'" in problems[0].what and problems[0].where.key == "formats.w.sides.front.label"


def test_every_shipped_card_meets_the_contrast_minimum(project: Project) -> None:
    for card_id in project.card_ids:
        assert contrast.problems(project.card(card_id)) == [], card_id


def test_a_low_contrast_template_is_refused(run: Run, data_copy: Path) -> None:
    template = data_copy / "cards" / "emergency.toml"
    text = template.read_text(encoding="utf-8")
    template.write_text(
        re.sub(r"^accent = \[.*?\]", "accent = [40, 10, 20, 0]", text, flags=re.MULTILINE), encoding="utf-8"
    )
    result = run("render", "emergency", "--format", "large", data=data_copy)
    assert result.exit_code == 1
    assert f"{template}:" in result.stderr
    assert (
        "[formats.wallet.sides.front.question]: text colour [40, 10, 20, 0] (style 'title') on "
        "[0, 0, 0, 0] (paper) has a contrast of" in result.stderr
    )
    assert re.search(r"contrast of [1-4]\.\d\d:1, under the 4\.5:1 minimum", result.stderr)


@pytest.fixture(scope="module")
def laid_cards(project: Project) -> dict[str, LaidCard]:
    jobs = {
        "emergency-wallet": Job("emergency", "sv"),
        "emergency-folded-en": Job("emergency", "en", "folded", draft=True),
        "emergency-large": Job("emergency", "sv", "large"),
        "emergency-large-en-discreet": Job("emergency", "en", "large", "discreet", draft=True),
        "action-folded": Job("action", "sv", "folded", municipality="Västerås"),
        "action-large": Job("action", "sv", "large", municipality="Västerås"),
    }
    return {name: lay_out(project, job) for name, job in jobs.items()}


def test_no_text_is_printed_under_its_format_floor(laid_cards: dict[str, LaidCard]) -> None:
    for name, laid in laid_cards.items():
        assert min(sizes(laid)) >= laid.format.floor - 1e-6, name


# --- large print ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def large(project: Project) -> dict[str, bytes]:
    return {
        "emergency": render(project, Job("emergency", "sv", "large"))[1],
        "action": render(project, Job("action", "sv", "large", municipality="Västerås"))[1],
    }


@pytest.mark.parametrize("card", ["emergency", "action"])
def test_large_print_is_a6_with_nothing_under_12_pt(
    large: dict[str, bytes], laid_cards: dict[str, LaidCard], card: str
) -> None:
    pdf = large[card]
    assert page_count(pdf) >= 2
    for page in range(page_count(pdf)):
        assert page_size_mm(pdf, page) == pytest.approx(A6, abs=0.05)
    assert laid_cards[f"{card}-large"].format.floor == 12
    assert min(sizes(laid_cards[f"{card}-large"])) >= 12


def test_large_print_emergency_card_shows_every_number_and_its_code_dials(large: dict[str, bytes]) -> None:
    pdf = large["emergency"]
    text = normalise(page_text(pdf))
    assert "Akut fara? Ring 112" in text
    for number in ("+46 8 405 50 05", "+46 77 114 14 00", "020-52 10 10", "020-50 50 50", "116 111"):
        assert number in text
    assert decode_qr(pdf, 1, dpi=150) == ["tel:+4684055005"]


def test_large_print_action_card_shows_the_municipality_and_112(large: dict[str, bytes]) -> None:
    text = normalise(page_text(large["action"]))
    assert "Västerås" in text and "112" in text


@pytest.mark.parametrize(
    "args", [["--lang", "en", "--draft"], ["--discreet"], ["--lang", "en", "--discreet", "--draft"]]
)
def test_large_print_renders_in_english_and_discreet(run: Run, tmp_path: Path, args: list[str]) -> None:
    out = tmp_path / "large.pdf"
    result = run("render", "emergency", "--format", "large", *args, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert page_size_mm(out.read_bytes()) == pytest.approx(A6, abs=0.05)


def test_check_scan_reads_back_every_qr_code_of_every_card(run: Run, project: Project) -> None:
    """Every card, format, variant and municipality rendered and its codes decoded at 150 dpi."""
    import json

    result = run("check", "--lang", "sv", "--scan", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["ok"] and sorted(report["cards"]) == project.card_ids
    assert report["scanned"] >= 4 * len(project.card_ids)
    assert [f for f in report["findings"] if f["gate"] == "scan"] == []


# --- privacy ----------------------------------------------------------------------------------------------

METADATA = ("Title", "Author", "Subject", "Keywords", "Creator", "Producer")


def metadata(pdf: bytes) -> dict[str, str]:
    doc = pdfium.PdfDocument(pdf)
    try:
        return {k: str(v) for k, v in doc.get_metadata_dict().items()}
    finally:
        doc.close()


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_discreet_large_print_reveals_nothing_outside_or_in_metadata(project: Project, lang: str) -> None:
    laid, pdf = render(project, Job("emergency", lang, "large", "discreet", draft=lang != "sv"))
    card = project.card("emergency")
    words = (*card.forbidden_outside, "nödkort", "nodkort", "emergency")
    meta = metadata(pdf)
    for key in METADATA:
        assert not forbidden_words(words, meta.get(key, "")), (key, meta.get(key))
    assert meta["Author"] == meta["Subject"] == meta["Keywords"] == meta["Creator"] == meta["Producer"] == ""
    for index, side in enumerate(laid.sides):
        assert side.outside
        text = page_text(pdf, index).casefold()
        assert not forbidden_words(card.forbidden_outside, text), side.name


def test_plain_metadata_holds_only_the_title_and_no_trace_of_the_machine(project: Project) -> None:
    laid, pdf = render(project, Job("emergency", "sv", "large"))
    meta = metadata(pdf)
    assert meta["Title"] == laid.title
    assert meta["Author"] == meta["Subject"] == meta["Keywords"] == meta["Producer"] == ""
    assert TODAY.strftime("%Y%m%d") not in meta.get("CreationDate", "")  # no date of making
    for trace in (str(ROOT), str(Path.home()), "/tmp/"):
        assert trace.encode() not in pdf


def test_discreet_large_print_file_name_is_neutral(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("render", "emergency", "--format", "large", "--discreet")
    assert result.exit_code == 0, result.output
    assert [p.name for p in tmp_path.iterdir()] == ["kort-sv-large.pdf"]


def test_render_prints_only_the_path_and_the_card(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "card.pdf"
    result = run("render", "emergency", "--discreet", "-o", str(out))
    assert result.exit_code == 0
    assert re.fullmatch(
        rf"Wrote {re.escape(str(out))} \(emergency, wallet, sv, discreet, [\d,]+ bytes\)\n", result.stdout
    )
    assert result.stderr == ""


PERSONAL = ("Anna Andersson", "anna.andersson@example.se", "070-123 45 67", "19800101-1234")


def test_batch_never_copies_personal_data_from_the_order_file(run: Run, tmp_path: Path) -> None:
    """An order exported with the coordinator's name, e-mail, phone and personal number in extra columns:
    those cells appear in no output, no file name, no slip, no manifest and no message."""
    order = tmp_path / "orders.csv"
    order.write_text(
        "Ordernummer;Skola;Kommun;Kort;Språk;Antal;Kontaktperson;E-post;Telefon;Personnummer\n"
        f"V-1;Ekbacksskolan;Västerås;emergency;sv;3;{';'.join(PERSONAL)}\n"
        f"V-1;Ekbacksskolan;Västerås;emergency;sv;2;{';'.join(PERSONAL)}\n".replace(";sv;2;", ";en;2;"),
        encoding="utf-8",
    )
    out = tmp_path / "print"
    result = run("batch", str(order), "-o", str(out), "--draft")  # the English line is a draft
    assert result.exit_code == 0, result.output
    written = [p for p in out.rglob("*") if p.is_file()]
    assert written
    seen = result.stdout + result.stderr + " ".join(str(p) for p in written)
    for path in written:
        seen += page_text(path.read_bytes()) if path.suffix == ".pdf" else path.read_text(encoding="utf-8")
        seen += " ".join(metadata(path.read_bytes()).values()) if path.suffix == ".pdf" else ""
    for value in PERSONAL:
        assert value not in normalise(seen), value


# --- clear failure --------------------------------------------------------------------------------------


def _boom(*args: object, **kwargs: object) -> None:
    raise RuntimeError("boom in the layout")


def test_a_bug_gives_a_short_message_and_where_to_report_it(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("nodkort.pipeline.render", _boom)
    result = run("render", "emergency")
    assert result.exit_code == 3
    assert "Internal error: RuntimeError: boom in the layout" in result.stderr
    assert "This is a bug in nodkort" in result.stderr and "report it" in result.stderr
    assert "nodkort --debug" in result.stderr
    assert "Traceback" not in result.output


def test_debug_shows_the_traceback_of_a_bug(monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from nodkort.cli import cli

    monkeypatch.setattr("nodkort.pipeline.render", _boom)
    result = CliRunner().invoke(cli, ["--data", str(ROOT), "--debug", "render", "emergency"])
    assert result.exit_code == 3
    assert "Traceback (most recent call last)" in result.stderr
    assert "_boom" in result.stderr and "RuntimeError: boom in the layout" in result.stderr
    assert "report it" in result.stderr


def test_bad_usage_exits_2_and_bad_data_exits_1(run: Run, data_copy: Path) -> None:
    poster = run("render", "emergency", "--format", "poster")
    assert (poster.exit_code, poster.output) == (
        2,
        "Error: card 'emergency' has no format 'poster'. Choose one of: wallet, folded, large\n",
    )
    xml = run("contacts", "--format", "xml")
    assert xml.exit_code == 2
    assert xml.output.endswith("\n\nError: Invalid value for '--format': 'xml' is not one of 'table', 'csv'.\n")
    national = data_copy / "cards" / "contacts" / "national.toml"
    national.write_text("[x]\nstatus = 1\n", encoding="utf-8")
    bad = run("contacts", data=data_copy)
    assert bad.exit_code == 1
    assert bad.stdout == "" and bad.stderr.startswith(f"Error: {national}")


# --- the corpus of bad files --------------------------------------------------------------------------------

# Where each kind of bad file goes in a copy of the data folder, and the command that must refuse it.
PLACES = {
    "templates": (Path("cards"), lambda name: ["render", name]),
    "contacts": (Path("cards", "contacts"), lambda name: ["render", "emergency"]),
    "regions": (Path("cards", "regions"), lambda name: ["render", "action", "--municipality", "Västerås"]),
    "catalogs": (Path("locales", "en", "LC_MESSAGES"), lambda name: ["render", "emergency", "--lang", "en"]),
}
CORPUS = sorted(p for kind in PLACES for p in (BAD / kind).iterdir() if p.suffix != ".expected")


def test_every_bad_file_has_its_expected_message() -> None:
    assert len(CORPUS) >= 40
    for path in CORPUS:
        assert path.with_suffix(".expected").read_text(encoding="utf-8").strip(), path


@pytest.mark.parametrize("bad", CORPUS, ids=[f"{p.parent.name}/{p.stem}" for p in CORPUS])
def test_a_bad_file_exits_1_with_its_message(run: Run, data_copy: Path, tmp_path: Path, bad: Path) -> None:
    folder, command = PLACES[bad.parent.name]
    # A catalog replaces the English one; every other bad file is added beside the good ones.
    name = "nodkort.po" if bad.parent.name == "catalogs" else bad.name
    shutil.copy(bad, data_copy / folder / name)
    first = bad.read_bytes().split(b"\n", 1)[0].decode("utf-8", "replace")
    extra = first.split("args:", 1)[1].split() if "args:" in first else []
    out = tmp_path / "card.pdf"
    result = run(*command(bad.stem), *extra, "-o", str(out), data=data_copy)
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    message = result.stderr
    assert message.startswith("Error: ")
    assert "Traceback" not in message
    for expected in bad.with_suffix(".expected").read_text(encoding="utf-8").splitlines():
        assert expected in message, f"{expected!r} not in {message!r}"
    assert not out.exists()


@pytest.mark.parametrize(
    ("job", "page", "starts"),
    [
        (Job("emergency", "en", draft=True), 1, "tel:+4684055005"),
        (Job("emergency", "ar", draft=True), 1, "tel:+4684055005"),
        (Job("emergency", "en", draft=True, format="folded"), 0, "BEGIN:VCARD"),
        (Job("action", "en", draft=True, municipality="Sala"), 0, "tel:+46224749620"),
    ],
)
def test_a_draft_cards_qr_code_scans_through_its_watermark(project: Project, job: Job, page: int, starts: str) -> None:
    # The notice crosses the whole side but leaves each code and its quiet zone clear: a reviewer scans it.
    pdf = render(project, job)[1]
    found = decode_qr(pdf, page)
    assert len(found) == 1 and found[0].startswith(starts), found
