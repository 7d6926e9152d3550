"""The staff page, in process: every route answers with the CLI's bytes and words, safely.

The app runs with its real worker pool; requests go straight to the WSGI callable (tests/web_client.py).
"""

from __future__ import annotations

import ast
import io
import re
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ROOT, TESTS
from nodkort.cli import cli
from nodkort.project import DataDir
from nodkort.web.app import App
from nodkort.web.text import english
from nodkort.web.uploads import order_suffix
from web_client import Client

ORDER = (
    "Ordernummer;Skola;Kommun;Kort;Språk;Antal;Format;Papper;Diskret\n"
    "V-1;Ekbacksskolan;Västerås;emergency;sv;23;;;\n"
    "V-1;Ekbacksskolan;Västerås;emergency;sv;4;;;ja\n"
    "K-1;Kolsva skola;Köping;action;sv;2;;SRA3;\n"
)
ORDERS = sorted(p for p in (TESTS / "data" / "orders").glob("*") if p.suffix in (".csv", ".xlsx", ".ods"))
BAD_ORDERS = [p for p in ORDERS if not p.name.startswith("good-")]
GOOD_ORDERS = [p for p in ORDERS if p.name.startswith("good-")]


@pytest.fixture(scope="module")
def app() -> Iterator[App]:
    server = App(DataDir.locate(ROOT), workers=2)
    yield server
    server.close()


@pytest.fixture
def client(app: App) -> Client:
    return Client(app)


def cli_run(*args: str) -> tuple[int, str, bytes]:
    result = CliRunner().invoke(cli, ["--data", str(ROOT), *args])
    return result.exit_code, result.output, result.stdout_bytes


def test_card_page_shows_the_preview_and_the_security_headers(client: Client) -> None:
    reply = client.get("/")
    assert reply.status == 200
    assert 'src="data:image/png;base64,' in reply.text
    assert "Ladda ner PDF" in reply.text
    assert reply.headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert reply.headers["X-Frame-Options"] == "DENY"
    assert reply.headers["Referrer-Policy"] == "no-referrer"
    assert reply.headers["X-Content-Type-Options"] == "nosniff"
    assert "HttpOnly; SameSite=Strict" in reply.headers["Set-Cookie"]
    assert "Datamapp" in reply.text and str(ROOT) in reply.text


def test_download_is_the_bytes_render_writes_under_a_neutral_name(client: Client, tmp_path: Path) -> None:
    reply = client.get("/card.pdf?card=emergency&lang=en&municipality=&format=large&discreet=1")
    assert reply.status == 200
    out = tmp_path / "cli.pdf"
    code, _, _ = cli_run(
        "render", "emergency", "--lang", "en", "--format", "large", "--discreet", "--draft", "-o", str(out)
    )
    assert code == 0
    assert reply.body == out.read_bytes()
    assert (
        reply.headers["Content-Disposition"]
        == "attachment; filename=\"kort-en-large.pdf\"; filename*=UTF-8''kort-en-large.pdf"
    )


def test_unreviewed_language_is_a_draft_and_the_page_says_why(client: Client) -> None:
    reply = client.get("/card/preview?card=emergency&lang=ar")
    code, output, _ = cli_run("render", "emergency", "--lang", "ar", "-o", "/dev/null")
    assert code == 1
    reason = output.removeprefix("Error: ").strip()
    assert reason.replace("'", "&#x27;").replace('"', "&quot;") in reply.text
    assert "Utkast" in reply.text


def test_unknown_language_shows_the_cli_message(client: Client) -> None:
    reply = client.get("/card.pdf?card=emergency&lang=xx")
    code, output, _ = cli_run("render", "emergency", "--lang", "xx", "-o", "/dev/null")
    assert (reply.status, code) == (400, 2)
    message = output.removeprefix("Error: ").strip()
    assert f'<span class="message">{message.replace(chr(39), "&#x27;")}</span>' in reply.text


def test_municipality_is_found_as_people_write_it(client: Client) -> None:
    for typed in ("vasteras", "V%C3%A4ster%C3%A5s%20kommun"):
        reply = client.get(f"/card/preview?card=action&lang=sv&municipality={typed}")
        assert 'src="data:image/png' in reply.text, typed


def test_the_language_list_names_review_states_in_the_pages_language(app: App) -> None:
    """Each language with its own name, its Swedish name and its review state, in the page's words: no English
    state in the Swedish page, and a plain draft is not called "utkast: utkast"."""
    states = {code: state for code, _, _, _, state in app.info().languages}  # as `lang status` names them
    page = Client(app).get("/?card=emergency").text
    labels = dict(re.findall(r'<option value="([a-z]{2,3})"(?: selected)?>([^<]*)</option>', page))
    assert labels["sv"] == "Svenska — svenska (källspråk)"
    for code, state in states.items():
        words = re.fullmatch(r".+ — .+ \((.+)\)", labels[code])
        assert words is not None, labels[code]
        assert state not in words.group(1) or state in ("source", "reviewed"), labels[code]
        assert words.group(1) != "utkast: utkast"
        if state == "draft":
            assert words.group(1) == "utkast"
    english = Client(app, {"nodkort_lang": "en"}).get("/?card=emergency").text
    assert "(source language)" in english and "(källspråk)" not in english


def test_sheets_are_the_bytes_sheet_writes(client: Client, tmp_path: Path) -> None:
    reply = client.get("/sheets.pdf?card=emergency&lang=sv&count=30&paper=A4")
    out = tmp_path / "sheet.pdf"
    assert cli_run("sheet", "emergency", "--lang", "sv", "--count", "30", "-o", str(out))[0] == 0
    assert reply.body == out.read_bytes()
    assert 'filename="emergency-sv-wallet-30.pdf"' in reply.headers["Content-Disposition"]
    assert client.get("/sheets.pdf?card=emergency&count=0").status == 400


def test_sheets_of_a_language_not_yet_reviewed_are_sheets_drafts(client: Client, tmp_path: Path) -> None:
    """The card page shows Tigrinya as a watermarked draft; its print sheets are `nodkort sheet --draft`'s."""
    reply = client.get("/sheets.pdf?card=action&lang=ti&municipality=K%C3%B6ping&count=8&paper=A4")
    assert reply.status == 200, reply.text[:2000]
    out = tmp_path / "sheet.pdf"
    args = ("sheet", "action", "--lang", "ti", "--municipality", "Köping", "--count", "8", "--draft", "-o", str(out))
    assert cli_run(*args)[0] == 0
    assert reply.body == out.read_bytes()
    code, output, _ = cli_run(*[a for a in args if a != "--draft"])  # without --draft the command refuses
    assert code == 1 and "Tigrinya (ti) is not reviewed" in output


def test_contacts_csv_is_what_the_cli_prints(client: Client) -> None:
    reply = client.get("/contacts.csv")
    assert reply.body == cli_run("contacts", "--format", "csv")[2]
    page = client.get("/contacts")
    assert page.status == 200 and "contacts.csv" in page.text


def test_a_post_without_its_token_changes_nothing(client: Client) -> None:
    reply = client.post("/ui-language", {"to": "en", "next": "/"}, csrf=False)
    assert reply.status == 403
    assert "formuläret kom inte från den här sidan" in reply.text


def test_english_is_one_click_away(client: Client) -> None:
    reply = client.post("/ui-language", {"to": "en", "next": "/contacts"})
    assert (reply.status, reply.headers["Location"]) == (303, "/contacts")
    assert "Download as CSV" in client.get("/contacts").text
    assert client.post("/ui-language", {"to": "sv", "next": "https://evil.example/"}).headers["Location"] == "/"


def test_every_page_string_has_its_english() -> None:
    used = set()
    for path in (ROOT / "src" / "nodkort" / "web").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
                name = getattr(node.func, "id", getattr(node.func, "attr", ""))
                if name == "t" or (name == "failed" and len(node.args) > 1):
                    arg = node.args[0] if name == "t" else node.args[1]
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        used.add(arg.value)
    assert sorted(used - set(english())) == []


def test_unknown_paths_and_static_files(client: Client) -> None:
    assert client.get("/nope").status == 404
    assert client.get("/static/../app.py").status == 404
    assert client.get("/static/app.js").status == 200
    assert client.get("/thumb/..%2Fetc.png").status == 404


def test_upload_over_5_mb_is_refused(client: Client) -> None:
    reply = client.upload("/orders", "orders", b"x" * (5 * 1024 * 1024 + 1), {})
    assert reply.status == 413


@pytest.mark.parametrize("order", BAD_ORDERS, ids=[p.stem for p in BAD_ORDERS])
def test_every_bad_row_is_shown_as_batch_words_it(client: Client, order: Path) -> None:
    expect = order.with_suffix(".expect").read_text(encoding="utf-8").strip()
    reply = client.upload("/orders", "orders", order.read_bytes(), {})
    assert reply.status == 303
    page = client.get(reply.headers["Location"])
    assert page.status == 422
    shown = re.search(r'<pre class="cli">(.*?)</pre>', page.text, re.S)
    assert shown is not None
    from html import unescape

    # stored as orders.csv or orders.xlsx by content, whatever the browser called it
    assert unescape(shown.group(1)) == expect.replace(order.name, f"orders{order_suffix(order.read_bytes())}")


@pytest.mark.parametrize("order", GOOD_ORDERS, ids=[p.name for p in GOOD_ORDERS])
def test_every_good_order_file_csv_xlsx_or_ods_gives_its_summary(client: Client, order: Path) -> None:
    reply = client.upload("/orders", "orders", order.read_bytes(), {"draft": "1"})  # English lines are drafts
    page = client.get(reply.headers["Location"])
    assert page.status == 200, page.text
    assert "Gör utskriftsfilerna" in page.text
    expected = [line.split(" | ") for line in order.with_suffix(".result").read_text(encoding="utf-8").splitlines()]
    schools = {fields[1] for fields in expected if len(fields) == 4}
    assert schools and all(f"<td>{school}</td>" in page.text for school in schools)


def test_an_order_becomes_one_zip_with_batchs_bytes_then_is_gone(client: Client, app: App, tmp_path: Path) -> None:
    data = b"\xef\xbb\xbf" + ORDER.encode()
    reply = client.upload("/orders", "orders", data, {})
    location = reply.headers["Location"]
    summary = client.get(location)
    assert summary.status == 200 and "Ekbacksskolan" in summary.text and "Gör utskriftsfilerna" in summary.text
    assert client.post(f"{location}/run", {}).status == 303
    for _ in range(240):
        page = client.get(location)
        if "result.zip" in page.text:
            break
        assert "<progress" in page.text
        time.sleep(0.5)
    folder = app.store.root / location.rsplit("/", 1)[1]
    assert folder.is_dir()
    archive = client.get(f"{location}/result.zip")
    assert archive.status == 200
    assert not folder.exists(), "the upload and its result are deleted once downloaded"
    assert client.get(location).status == 404
    order = tmp_path / "orders.csv"
    order.write_bytes(data)
    assert cli_run("batch", str(order), "-o", str(tmp_path / "out"))[0] == 0
    files = {
        p.relative_to(tmp_path / "out").as_posix(): p.read_bytes() for p in (tmp_path / "out").rglob("*") if p.is_file()
    }
    with zipfile.ZipFile(io.BytesIO(archive.body)) as z:
        zipped = {name: z.read(name) for name in z.namelist()}
    assert zipped.keys() == files.keys()
    manifest = "manifest.json"
    assert {k: v for k, v in zipped.items() if k != manifest} == {k: v for k, v in files.items() if k != manifest}


def test_another_session_cannot_see_an_upload(client: Client, app: App) -> None:
    reply = client.upload("/orders", "orders", ORDER.encode(), {})
    stranger = Client(app)
    assert stranger.get(reply.headers["Location"]).status == 404


def test_a_review_in_the_page_is_recorded_as_lang_review_records_it(data_copy: Path, tmp_path: Path) -> None:
    import shutil

    catalog = data_copy / "locales" / "en" / "LC_MESSAGES" / "nodkort.po"
    named = catalog.read_text(encoding="utf-8").replace("FULL NAME <EMAIL@ADDRESS>", "Ali Translator")
    catalog.write_text(named, encoding="utf-8")  # four eyes: the catalog must say who translated it
    other = tmp_path / "other"
    shutil.copytree(data_copy, other)
    server = App(DataDir(data_copy, "--data"), workers=1)
    try:
        client = Client(server)
        who = "Maja Berg, auktoriserad translator"
        page = client.post("/languages/en/review", {"action": "plan", "reviewer": who})
        assert page.status == 200
        ticks = re.findall(r'name="sign:([^"]+)"', page.text)
        assert ticks, "some English strings can be signed"
        nothing = client.post("/languages/en/review", {"action": "sign", "reviewer": who})
        assert nothing.status == 400 and "inget sparades" in nothing.text
        assert not (data_copy / "locales" / "en" / "review.toml").exists()
        from html import unescape

        chosen = unescape(ticks[0])
        done = client.post("/languages/en/review", {"action": "sign", "reviewer": who, f"sign:{chosen}": "1"})
        assert done.status == 200
        assert "Sparat i locales/en/review.toml: 1 text(er) godkända av Maja Berg" in done.text
    finally:
        server.close()
    result = CliRunner().invoke(
        cli, ["--data", str(other), "lang", "review", "en", "--reviewer", who, "--context", chosen, "--yes"]
    )
    assert result.exit_code == 0, result.output

    def record(root: Path) -> list[str]:
        text = (root / "locales" / "en" / "review.toml").read_text(encoding="utf-8")
        return [line for line in text.splitlines() if not line.startswith("date = ")]

    assert record(data_copy) == record(other)


def test_a_full_queue_answers_busy_with_retry_after_never_a_hang(app: App, client: Client) -> None:
    client.get("/")  # the page's choices are read once, before the queue fills
    taken = 0
    while app.pool._slots.acquire(blocking=False):
        taken += 1
    try:
        reply = client.get("/card/preview?card=emergency&lang=en&discreet=1")
    finally:
        for _ in range(taken):
            app.pool._slots.release()
    assert taken == 2 + 24  # a worker per process and 24 waiting: twenty staff each with a preview on its way
    assert reply.status == 503
    assert reply.headers["Retry-After"] == "5"
    assert reply.text == "Upptaget, försök igen om en stund. / Busy, try again in a moment."
    assert client.get("/card/preview?card=emergency&lang=en&discreet=1").status == 200
