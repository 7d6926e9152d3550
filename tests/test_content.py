"""The card text a social worker would sign: each content change of issue 11 §4 is on the printed card, in
Swedish and in the English draft, and every text field names its source in the template."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from conftest import ROOT, Run, normalise, page_text
from nodkort.model import Job
from nodkort.pipeline import lay_out, render
from nodkort.project import DataDir, Project


def _text(project: Project, card: str, lang: str, fmt: str, **extra: str) -> str:
    _, pdf = render(project, Job(card, lang, fmt, draft=lang != "sv", **extra))  # type: ignore[arg-type]
    return normalise(page_text(pdf))


@pytest.mark.parametrize("card", ["emergency", "action"])
def test_every_text_field_names_its_source(card: str) -> None:
    data = tomllib.loads((ROOT / "cards" / f"{card}.toml").read_text(encoding="utf-8"))
    for name, fmt in data["formats"].items():
        for side in fmt["sides"]:
            for field in side["fields"]:
                if field["kind"] == "text":
                    assert field.get("source"), (name, side["name"], field["id"])


@pytest.mark.parametrize(
    ("lang", "phrase"),
    [
        ("sv", "lura dig att resa utomlands för att giftas bort"),
        ("en", "trick you into travelling abroad to be married off"),
    ],
)
@pytest.mark.parametrize("fmt", ["wallet", "folded", "large"])
def test_the_law_line_names_the_deception_into_a_marriage_journey(
    project: Project, lang: str, phrase: str, fmt: str
) -> None:
    assert phrase in _text(project, "emergency", lang, fmt)


@pytest.mark.parametrize(
    ("lang", "phrase"),
    [
        ("sv", "Är du under 18 måste kuratorn eller läraren då kontakta socialtjänsten."),
        ("en", "If you are under 18, the counsellor or teacher must then contact social services."),
    ],
)
def test_under_18s_learn_that_school_staff_must_report(project: Project, lang: str, phrase: str) -> None:
    assert phrase in _text(project, "emergency", lang, "folded")


@pytest.mark.parametrize(
    ("lang", "rows"),
    [
        ("sv", [("BRIS", "för dig under 18"), ("Terrafem", "för kvinnor och flickor, på många språk")]),
        ("en", [("BRIS", "for you if you are under 18"), ("Terrafem", "for women and girls, in many languages")]),
    ],
)
@pytest.mark.parametrize("fmt", ["wallet", "folded", "large"])
def test_the_emergency_card_says_whom_each_helpline_is_for(
    project: Project, lang: str, rows: list[tuple[str, str]], fmt: str
) -> None:
    laid = lay_out(project, Job("emergency", lang, fmt, draft=lang != "sv"))
    # a contact prints as "name number", then its purpose (and hours) on a line of its own
    printed = [text.split("\n") for side in laid.sides for text in side.texts]
    for name, purpose in rows:
        assert any(lines[0].startswith(f"{name} ") and lines[1].startswith(purpose) for lines in printed), name


def test_the_discreet_card_prints_no_purpose(project: Project) -> None:
    _, pdf = render(project, Job("emergency", "sv", "folded", variant="discreet"))
    text = normalise(page_text(pdf))
    assert "– för" not in text and "när det inte är akut" not in text


@pytest.mark.parametrize(("municipality", "night"), [("Västerås", ""), ("Sala", "Övrig tid: ring 112.")])
@pytest.mark.parametrize("fmt", ["folded", "large"])
def test_the_socialjour_hours_leave_no_gap_at_night(project: Project, municipality: str, night: str, fmt: str) -> None:
    laid = lay_out(project, Job("action", "sv", fmt, municipality=municipality))
    side = next(s for s in laid.sides if any("Socialjouren" in t for t in s.texts))
    socialjour = next(t for t in side.texts if t.startswith("Socialjouren"))
    assert "021-39 20 66" in socialjour and night in socialjour  # only Sala's own page says "övrig tid: 112"
    assert "Akut fara? Ring 112" in side.texts  # the card's own line, on the same side as the socialjour


# --- local help: the emergency card made for a municipality --------------------------------------------------


def test_the_emergency_card_for_a_municipality_adds_its_own_help_and_its_issuer(project: Project) -> None:

    _, local = render(project, Job("emergency", "sv", "folded", municipality="Sala"))
    text = normalise(page_text(local))
    assert "Hjälp i Sala" in text
    assert "0224-74 96 20" in text and "021-39 20 66" in text  # Sala's intake line for children, its socialjour
    assert "Övrig tid: ring 112." in text  # what to call after the socialjour closes, from Sala's own page
    assert "Kortet ges ut av Länsstyrelsen Västmanland." in text
    _, plain = render(project, Job("emergency", "sv", "folded"))
    general = normalise(page_text(plain))
    assert "Hjälp i" not in general and "0224-74 96 20" not in general and "Kortet ges ut av" not in general
    # the issuer is named on every plain card, from the region file, without a municipality too
    assert "Länsstyrelsen Västmanland" in normalise(page_text(plain, 0))


def test_a_municipality_without_its_own_line_gets_its_switchboard_with_what_to_ask(project: Project) -> None:

    _, pdf = render(project, Job("emergency", "sv", "folded", municipality="Kungsör"))
    text = normalise(page_text(pdf))
    assert "Hjälp i Kungsör" in text and "0227-60 00 00" in text
    assert "Ring växeln och fråga efter socialtjänsten." in text


def test_the_discreet_card_for_a_municipality_stays_without_local_help(project: Project) -> None:

    _, pdf = render(project, Job("emergency", "sv", "folded", "discreet", municipality="Sala"))
    text = normalise(page_text(pdf))
    assert "Sala" not in text and "Länsstyrelsen" not in text and "0224-74 96 20" not in text


@pytest.mark.parametrize("fmt", ["wallet", "large"])
def test_a_format_without_room_for_local_help_refuses_a_municipality(run: Run, tmp_path: Path, fmt: str) -> None:

    out = tmp_path / "card.pdf"
    result = run("render", "emergency", "--format", fmt, "--municipality", "Sala", "-o", str(out))
    assert result.exit_code == 2
    assert result.output == (
        f"Error: the {fmt} format of the emergency card has no room for local help, so --municipality would print "
        "nothing of Sala; use --format folded for the local help, or leave out --municipality\n"
    )
    assert not out.exists()


# --- a voluntary organisation of the place: Kvinnojouren i Västerås ----------------------------------------


@pytest.mark.parametrize("fmt", ["folded", "large"])
def test_the_womens_shelter_is_on_vasteras_card_only(project: Project, fmt: str) -> None:

    def texts(place: str) -> str:
        return " ".join(
            t for side in lay_out(project, Job("action", "sv", fmt, municipality=place)).sides for t in side.texts
        )

    # name and number on the row's first line, its phone hours on the second
    assert "Kvinnojouren 021-12 67 80\nmån 11–12, ons 13–14; stängt v. 27–29" in texts("Västerås")
    assert "021-12 67 80" not in texts("Sala")  # its page names Västerås only


@pytest.mark.parametrize("lang", sorted(Project(DataDir.locate(ROOT)).languages))
def test_every_language_prints_the_womens_shelter_with_its_own_hours(project: Project, lang: str) -> None:

    for fmt in ("folded", "large"):
        laid = lay_out(project, Job("action", lang, fmt, municipality="Västerås", draft=lang != "sv"))
        line = next(t for side in laid.sides for t in side.texts if "021-12 67 80" in t)
        assert "11–12" in line and "27–29" in line, line
        assert lang == "sv" or "mån" not in line, line  # the hours are translated, never the Swedish


def test_no_draft_is_left_from_an_older_source() -> None:
    """A changed source string is marked fuzzy with its old msgid (#|) by lang update; once it is re-drafted
    from the new source, the old msgid goes. One left behind is a draft that says what the card no longer says."""
    stale = {
        po.parent.parent.name: po.read_text(encoding="utf-8").count("\n#| msgid")
        for po in sorted((ROOT / "locales").glob("*/LC_MESSAGES/nodkort.po"))
    }
    assert {code: n for code, n in stale.items() if n} == {}
