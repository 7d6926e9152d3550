"""Reviewing in the page: a comment to the translator is stored, shown in the page and by `lang status`, and
is never a review; each string shows the card side it sits on with its box outlined in the preview image.
"""

from __future__ import annotations

import io
import re
from html import unescape
from pathlib import Path

from click.testing import CliRunner
from PIL import Image

from conftest import ROOT
from nodkort.cli import cli
from nodkort.i18n.review import digest
from nodkort.model import MM
from nodkort.project import DataDir, Project
from nodkort.web.app import App
from nodkort.web.where import DPI, HIGHLIGHT, field_of, highlighted
from web_client import Client

WHO = "Maja Berg, auktoriserad translator"
NOTE = 'Kortare, tack: "ring 112"\npasser inte'


def _named(data: Path) -> None:
    catalog = data / "locales" / "en" / "LC_MESSAGES" / "nodkort.po"
    text = catalog.read_text(encoding="utf-8").replace("FULL NAME <EMAIL@ADDRESS>", "Ali Translator")
    catalog.write_text(text, encoding="utf-8")  # four eyes: the catalog says who translated it


def _status(data: Path) -> str:
    result = CliRunner().invoke(cli, ["--data", str(data), "lang", "status", "--lang", "en"])
    assert result.exit_code == 0, result.output
    return result.output


def test_a_comment_is_stored_shown_and_never_a_review(data_copy: Path) -> None:
    _named(data_copy)
    before = _status(data_copy)
    server = App(DataDir(data_copy, "--data"), workers=1)
    try:
        client = Client(server)
        page = client.post("/languages/en/review", {"action": "plan", "reviewer": WHO})
        assert page.status == 200
        chosen = unescape(re.findall(r'name="sign:([^"]+)"', page.text)[0])
        both = client.post(
            "/languages/en/review", {"action": "sign", "reviewer": WHO, f"sign:{chosen}": "1", f"comment:{chosen}": "x"}
        )
        assert both.status == 400 and "inte båda" in both.text
        assert not (data_copy / "locales" / "en" / "comments.toml").exists()
        done = client.post("/languages/en/review", {"action": "sign", "reviewer": WHO, f"comment:{chosen}": NOTE})
        assert done.status == 200, done.text
        assert "Sparat i locales/en/comments.toml: 1 kommentar(er) till översättaren från Maja Berg" in done.text
        again = client.post("/languages/en/review", {"action": "plan", "reviewer": WHO})
    finally:
        server.close()
    stored = (data_copy / "locales" / "en" / "comments.toml").read_text(encoding="utf-8")
    date = re.search(r"^date = (.+)$", stored, re.M)
    assert date is not None and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:00[+-]\d\d:\d\d", date.group(1))
    project = Project(DataDir(data_copy, "--data"))
    msgid = next(m.msgid for m in project.messages if m.context == chosen)
    text = project.translations(project.language("en"), draft=True).status(chosen, msgid).text
    assert stored == (
        "# Reviewers' comments to the translator of the English catalog (en/LC_MESSAGES/nodkort.po),\n"
        "# written by the staff page. A comment is not a review: it signs nothing. Do not edit by hand.\n"
        "\n"
        "[[comment]]\n"
        'reviewer = "Maja Berg"\n'
        'role = "auktoriserad translator"\n'
        f"date = {date.group(1)}\n"
        f'msgctxt = "{chosen}"\n'
        f'msgstr_sha256 = "{digest(text)}"\n'
        'text = "Kortare, tack: \\"ring 112\\"\\npasser inte"\n'
    )
    # shown beside its string in the page, and to the translator by the command line
    row = next(r for r in again.text.split("<tr") if f'name="comment:{chosen}"' in unescape(r))
    assert "Maja Berg (auktoriserad translator), " + date.group(1)[:10] in row
    assert "Kortare, tack: &quot;ring 112&quot;" in row
    after = _status(data_copy)
    assert after.startswith(before)
    assert after[len(before) :] == (
        "\nEnglish: comments to the translator (locales/en/comments.toml); a comment is not a review:\n"
        f"  {chosen}  Maja Berg (auktoriserad translator), {date.group(1)[:10]}:\n"
        '    Kortare, tack: "ring 112"\n'
        "    passer inte\n"
    )
    # never a review: no record, and the string's state is what it was
    assert not (data_copy / "locales" / "en" / "review.toml").exists()
    assert project.translations(project.language("en"), draft=True).status(chosen, msgid).state == "unreviewed"


def test_the_outline_lands_on_the_strings_box() -> None:
    project = Project(DataDir.locate(ROOT))
    context = next(m.context for m in project.messages if field_of(project, m.context))
    found = field_of(project, context)
    assert found is not None
    _, fmt, _, field = found
    image = Image.open(io.BytesIO(highlighted(project, "sv", context))).convert("RGB")
    scale = DPI / 72
    assert abs(image.width - fmt.width * scale) <= 1 and abs(image.height - fmt.height * scale) <= 1  # pdfium rounds up
    left, right = field.box.x * scale, field.box.right * scale
    top, bottom = (fmt.height - field.box.top) * scale, (fmt.height - field.box.y) * scale
    marked = [(x, y) for x in range(image.width) for y in range(image.height) if image.getpixel((x, y)) == HIGHLIGHT]
    assert marked, "the outline is drawn"
    xs, ys = [x for x, _ in marked], [y for _, y in marked]
    # the outline hugs the box (3 px pen, 2 px outside it, rounding): within 6 px of each edge
    assert abs(min(xs) - left) <= 6 and abs(max(xs) - right) <= 6, (min(xs), max(xs), left, right)
    assert abs(min(ys) - top) <= 6 and abs(max(ys) - bottom) <= 6, (min(ys), max(ys), top, bottom)
    # and the string's own text is inside it: dark pixels within the box
    inside = image.crop((round(left) + 2, round(top) + 2, round(right) - 2, round(bottom) - 2)).convert("L")
    assert inside.getextrema()[0] < 200, "the field's text is inside the outline"
    assert field.box.w > 5 * MM


def test_a_title_has_no_box_and_the_route_says_so(data_copy: Path) -> None:
    project = Project(DataDir(data_copy, "--data"))
    title = project.card(project.card_ids[0]).title_context
    assert field_of(project, title) is None
    server = App(DataDir(data_copy, "--data"), workers=1)
    try:
        client = Client(server)
        assert client.get(f"/languages/en/where.png?context={title}").status == 404
        context = next(m.context for m in project.messages if field_of(project, m.context))
        reply = client.get(f"/languages/ar/where.png?context={context}")
        assert reply.status == 200 and reply.body.startswith(b"\x89PNG")
    finally:
        server.close()


def test_the_languages_page_names_states_in_the_pages_language() -> None:
    from nodkort.web.languages import review_words, states
    from nodkort.web.text import gettext

    sv, en = gettext("sv"), gettext("en")
    assert (states(sv)["unreviewed"], states(en)["unreviewed"]) == ("ogranskad", "unreviewed")
    assert review_words(sv, "no review recorded") == "ingen granskning registrerad"
    assert review_words(sv, "by A (b), 2026-12-01; C (d), 2026-11-01 and 2 more") == (
        "av A (b), 2026-12-01; C (d), 2026-11-01 och 2 till"
    )
    assert review_words(en, "by A (b), 2026-12-01") == "by A (b), 2026-12-01"
