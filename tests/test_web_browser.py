"""The staff page in a real browser: headless Chromium (Debian's chromium and chromium-driver) driven by Selenium.

Few and fast: the card flow (Arabic, Västerås, a right-to-left preview that follows each change, the downloaded
PDF against the CLI's bytes), an order file with a bad row, then the fixed file to its ZIP, and the keyboard
alone. Every page, in Swedish and in English, and the review table with every string, is checked with
axe-core (WCAG 2.1 A and AA rules): no serious or critical violation. Screenshots land in the test's temporary
folder for a look. Skipped, with the reason, when chromium or axe-core (tests/web, `npm ci`) is not installed
here; .ci/run installs both, so they run in CI.
"""

from __future__ import annotations

import io
import shutil
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from click.testing import CliRunner

from conftest import ROOT, TESTS
from nodkort.cli import cli
from nodkort.project import DataDir, Project
from nodkort.web.app import App

CHROMIUM = shutil.which("chromium")
DRIVER = shutil.which("chromedriver")
AXE = TESTS / "web" / "node_modules" / "axe-core" / "axe.min.js"
pytestmark = [
    pytest.mark.skipif(
        CHROMIUM is None or DRIVER is None,
        reason="chromium and chromium-driver are not installed (apt-get install chromium chromium-driver; CI does)",
    ),
    pytest.mark.skipif(not AXE.is_file(), reason="axe-core is not installed (cd tests/web && npm ci; CI does)"),
]
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,1400",
)


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class _Threaded(WSGIServer):
    def process_request(self, request: object, client_address: object) -> None:
        threading.Thread(target=super().process_request, args=(request, client_address), daemon=True).start()


@pytest.fixture(scope="module")
def app() -> Iterator[App]:
    server = App(DataDir.locate(ROOT), workers=2)
    yield server
    server.close()


@pytest.fixture(scope="module")
def url(app: App) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, server_class=_Threaded, handler_class=_Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory, downloads: Path) -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium')}")
    options.add_experimental_option(
        "prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False}
    )
    driver = webdriver.Chrome(options=options, service=Service(str(DRIVER)))
    driver.implicitly_wait(0)
    yield driver
    driver.quit()


def wait(condition: object, seconds: float = 45) -> None:
    """Until `condition()` holds: generous, so a busy machine does not fail a test of behaviour (speed is benched).

    The preview is replaced while the page updates it: an element read at that moment is stale, and is read again.
    While the browser moves to the next page (a form sent) the old document is gone and the new one not yet there:
    nothing is found at that moment, and it is looked for again.
    """
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            if condition():  # type: ignore[operator]
                return
        except (StaleElementReferenceException, NoSuchElementException):
            pass
        time.sleep(0.05)
    raise AssertionError("the page did not get there in time")


def settled(read: object, seconds: float = 15) -> object:
    """What `read()` returns once the page holds still long enough to read it (see `wait`)."""
    found: list[object] = []

    def attempt() -> bool:
        found[:] = [read()]  # type: ignore[operator]
        return True

    wait(attempt, seconds)
    return found[0]


def accessible(d: object) -> None:
    """axe-core on the page as it stands: no serious or critical violation of a WCAG 2.1 A or AA rule."""
    d.execute_script(AXE.read_text(encoding="utf-8"))  # type: ignore[attr-defined]
    found = d.execute_async_script(  # type: ignore[attr-defined]
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})"
        ".then(r => done(r.violations.map(v => [v.impact, v.id, v.help,"
        " v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary).slice(0, 3)])),"
        " e => done([['critical', 'axe', String(e), []]]));",
        WCAG_AA,
    )
    bad = [v for v in found if v[0] in ("serious", "critical")]
    assert not bad, f"{d.current_url}: " + "\n".join(map(str, bad))  # type: ignore[attr-defined]


def downloaded(folder: Path, name: str) -> bytes:
    """The file the browser saved, once it is complete (Chromium writes `.crdownload` until then)."""
    path = folder / name
    wait(lambda: path.is_file() and not list(folder.glob("*.crdownload")))
    data = path.read_bytes()
    path.unlink()
    return data


def cli_bytes(tmp_path: Path, *args: str) -> bytes:
    out = tmp_path / "cli.out"
    result = CliRunner().invoke(cli, ["--data", str(ROOT), *args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def test_arabic_for_vasteras_previews_right_to_left_and_downloads_the_clis_bytes(
    browser: object, url: str, downloads: Path, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.select import Select

    d: object = browser
    d.get(url + "/?card=action")  # type: ignore[attr-defined]
    accessible(d)
    Select(d.find_element(By.ID, "lang")).select_by_value("ar")  # type: ignore[attr-defined]
    field = d.find_element(By.ID, "municipality")  # type: ignore[attr-defined]
    field.send_keys("vasteras")
    wait(lambda: "kort-ar-folded-vasteras.pdf" in d.find_element(By.ID, "preview").text)  # type: ignore[attr-defined]

    def preview() -> tuple[str, str]:
        element = d.find_element(By.ID, "preview")  # type: ignore[attr-defined]
        return element.find_element(By.TAG_NAME, "img").get_attribute("src"), element.text

    src, text = settled(preview)  # type: ignore[misc]
    assert src.startswith("data:image/png;base64,")
    assert "Utkast" in text  # Arabic is not reviewed: a watermarked draft, with the reason
    assert "ar" in d.current_url and "vasteras" in d.current_url  # type: ignore[attr-defined]
    d.save_screenshot(str(tmp_path / "card-ar-vasteras.png"))  # type: ignore[attr-defined]
    # How fast the preview follows a change is measured by bench/web_load.py, not asserted here.
    accessible(d)  # with the draft notice
    d.find_element(By.XPATH, "//button[text()='Ladda ner PDF']").click()  # type: ignore[attr-defined]
    pdf = downloaded(downloads, "kort-ar-folded-vasteras.pdf")
    cli = cli_bytes(tmp_path, "render", "action", "--lang", "ar", "--municipality", "vasteras", "--draft")
    assert pdf == cli


BAD_ROW = "Ordernummer;Skola;Kommun;Kort;Språk;Antal\nV-1;Ekbacksskolan;Västerås;emergency;sv;{n}\n"


def test_an_order_with_a_bad_row_then_the_fixed_file_gives_batchs_zip(
    browser: object, url: str, downloads: Path, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    d: object = browser
    find = d.find_element  # type: ignore[attr-defined]
    bad, fixed = tmp_path / "bad.csv", tmp_path / "fixed.csv"
    bad.write_text(BAD_ROW.format(n="tjugo"), encoding="utf-8")
    fixed.write_text(BAD_ROW.format(n="20"), encoding="utf-8")
    d.get(url + "/orders")  # type: ignore[attr-defined]
    accessible(d)
    find(By.ID, "orders-file").send_keys(str(bad))
    find(By.CSS_SELECTOR, "form[action='/orders'] button").click()
    wait(lambda: "Beställningen har fel" in d.page_source)  # type: ignore[attr-defined]
    rows = find(By.CSS_SELECTOR, "table tbody").find_elements(By.TAG_NAME, "tr")
    assert len(rows) == 1
    assert "row 2" in rows[0].text and "'tjugo'" in rows[0].text, rows[0].text
    d.save_screenshot(str(tmp_path / "orders-bad.png"))  # type: ignore[attr-defined]
    accessible(d)

    find(By.LINK_TEXT, "Ladda upp den rättade filen").click()
    find(By.ID, "orders-file").send_keys(str(fixed))
    find(By.CSS_SELECTOR, "form[action='/orders'] button").click()
    wait(lambda: "Gör utskriftsfilerna" in d.page_source)  # type: ignore[attr-defined]
    assert "Ekbacksskolan" in find(By.TAG_NAME, "table").text
    accessible(d)
    find(By.XPATH, "//button[text()='Gör utskriftsfilerna']").click()
    wait(lambda: "Ladda ner ZIP-filen" in d.page_source, 120)  # type: ignore[attr-defined]
    accessible(d)
    find(By.LINK_TEXT, "Ladda ner ZIP-filen").click()
    archive = downloaded(downloads, "orders.zip")

    assert (
        CliRunner().invoke(cli, ["--data", str(ROOT), "batch", str(fixed), "-o", str(tmp_path / "out")]).exit_code == 0
    )
    out = tmp_path / "out"
    files = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    with zipfile.ZipFile(io.BytesIO(archive)) as z:
        zipped = {name: z.read(name) for name in z.namelist()}
    assert zipped.keys() == files.keys()
    # manifest.json records when and where it was made; every print file and packing slip is byte for byte
    assert {k: v for k, v in zipped.items() if k != "manifest.json"} == {
        k: v for k, v in files.items() if k != "manifest.json"
    }


@pytest.mark.parametrize("path", ["/contacts", "/languages", "/languages/ar/review", "/no-such-page"])
def test_the_other_pages_have_no_serious_accessibility_violation(browser: object, url: str, path: str) -> None:
    d: object = browser
    d.get(url + path)  # type: ignore[attr-defined]
    wait(lambda: 'role="status"' not in d.page_source or "Kontrollerar" not in d.page_source, 120)  # type: ignore[attr-defined]
    accessible(d)


def test_keyboard_alone_reaches_the_download(browser: object, url: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    d: object = browser
    d.get(url + "/")  # type: ignore[attr-defined]
    body = d.find_element(By.TAG_NAME, "body")  # type: ignore[attr-defined]
    body.send_keys(Keys.TAB)
    seen = []
    for _ in range(30):
        active = d.switch_to.active_element  # type: ignore[attr-defined]
        seen.append(active.text or active.get_attribute("name") or active.get_attribute("href") or "")
        if active.text == "Ladda ner PDF":
            break
        active.send_keys(Keys.TAB)
    assert "Ladda ner PDF" in seen, seen
    assert seen[0] == "Hoppa till innehållet"


def test_a_busy_server_keeps_the_preview_says_so_and_asks_again(browser: object, url: str, app: App) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.select import Select

    d: object = browser
    d.get(url + "/?card=emergency")  # type: ignore[attr-defined]
    taken = 0
    while app.pool._slots.acquire(blocking=False):  # every worker and waiting place is taken: 503 Busy
        taken += 1
    try:
        Select(d.find_element(By.ID, "lang")).select_by_value("en")  # type: ignore[attr-defined]
        wait(lambda: "Upptaget" in d.find_element(By.ID, "preview").text, 10)  # type: ignore[attr-defined]
        preview = d.find_element(By.ID, "preview")  # type: ignore[attr-defined]
        assert "kort-sv-wallet.pdf" in preview.text  # the last preview stays
    finally:
        for _ in range(taken):
            app.pool._slots.release()
    # Retry-After: 5; the page asks again by itself
    wait(lambda: "kort-en-wallet.pdf" in d.find_element(By.ID, "preview").text, 20)  # type: ignore[attr-defined]
    assert "Upptaget" not in d.find_element(By.ID, "preview").text  # type: ignore[attr-defined]


PAGES = [
    "/",
    "/?card=action&lang=ar&municipality=V%C3%A4ster%C3%A5s",  # a right-to-left draft, with its notice
    "/?card=emergency&lang=sv&discreet=1&format=large",
    "/orders",
    "/contacts",
    "/languages",
    "/languages/ar/review",
    "/no-such-page",
]


def in_language(d: object, url: str, ui: str) -> None:
    """The page's language, switched the way a user switches it: the button at the top right."""
    from selenium.webdriver.common.by import By

    d.get(url + "/contacts")  # type: ignore[attr-defined]
    now = d.find_element(By.TAG_NAME, "html").get_attribute("lang")  # type: ignore[attr-defined]
    if now != ui:
        d.find_element(By.CSS_SELECTOR, "form.switch button").click()  # type: ignore[attr-defined]
        wait(lambda: d.find_element(By.TAG_NAME, "html").get_attribute("lang") == ui)  # type: ignore[attr-defined]


@pytest.mark.parametrize("ui", ["sv", "en"])
def test_every_page_in_swedish_and_english_has_no_serious_accessibility_violation(
    browser: object, url: str, ui: str, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    d: object = browser
    find = d.find_element  # type: ignore[attr-defined]
    in_language(d, url, ui)
    try:
        for n, path in enumerate(PAGES):
            d.get(url + path)  # type: ignore[attr-defined]
            wait(lambda: not d.find_elements(By.CSS_SELECTOR, "main > p[role=status]"), 120)  # type: ignore[attr-defined]
            assert find(By.TAG_NAME, "html").get_attribute("lang") == ui
            accessible(d)
            d.save_screenshot(str(tmp_path / f"{ui}-{n}.png"))  # type: ignore[attr-defined]

        # an order with a bad row, then a good one, its print files made
        bad, fixed = tmp_path / "bad.csv", tmp_path / "fixed.csv"
        bad.write_text(BAD_ROW.format(n="tjugo"), encoding="utf-8")
        fixed.write_text(BAD_ROW.format(n="20"), encoding="utf-8")
        for order in (bad, fixed):
            d.get(url + "/orders")  # type: ignore[attr-defined]
            find(By.ID, "orders-file").send_keys(str(order))
            find(By.CSS_SELECTOR, "form[action='/orders'] button").click()
            wait(lambda: "/orders/" in d.current_url and d.find_elements(By.TAG_NAME, "table"))  # type: ignore[attr-defined]
            accessible(d)
            d.save_screenshot(str(tmp_path / f"{ui}-{order.stem}.png"))  # type: ignore[attr-defined]
        find(By.CSS_SELECTOR, "form[action$='/run'] button").click()
        wait(lambda: d.find_elements(By.CSS_SELECTOR, "a[href$='result.zip']"), 120)  # type: ignore[attr-defined]
        accessible(d)

    finally:
        in_language(d, url, "sv")  # the other tests read the page in Swedish


@pytest.mark.parametrize("ui", ["sv", "en"])
def test_the_review_table_with_every_string_has_no_serious_accessibility_violation(
    browser: object, data_copy: Path, ui: str, tmp_path: Path
) -> None:
    """Arabic, right to left, every string of the cards in one table with its source, its card and a comment box.
    The catalogs name no translator yet, which the review refuses (four eyes): the copy names one."""
    from selenium.webdriver.common.by import By

    catalog = data_copy / "locales" / "ar" / "LC_MESSAGES" / "nodkort.po"
    catalog.write_text(
        catalog.read_text(encoding="utf-8").replace("FULL NAME <EMAIL@ADDRESS>", "Ali Translator"), encoding="utf-8"
    )
    app = App(DataDir(data_copy, "--data"), workers=2)
    server = make_server("127.0.0.1", 0, app, server_class=_Threaded, handler_class=_Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}"
    d: object = browser
    find = d.find_element  # type: ignore[attr-defined]
    try:
        in_language(d, url, ui)
        d.get(url + "/languages/ar/review")  # type: ignore[attr-defined]
        find(By.ID, "reviewer").send_keys("Amina Yusuf, authorised translator")
        find(By.CSS_SELECTOR, "form[action='/languages/ar/review'] button").click()
        wait(lambda: d.find_elements(By.CSS_SELECTOR, "input[name=action][value=sign]"), 60)  # type: ignore[attr-defined]
        rows = find(By.CSS_SELECTOR, "table tbody").find_elements(By.TAG_NAME, "tr")
        assert len(rows) == len(Project(DataDir(data_copy, "--data")).messages)  # every string
        assert find(By.TAG_NAME, "html").get_attribute("lang") == ui
        accessible(d)
        d.save_screenshot(str(tmp_path / f"review-ar-{ui}.png"))  # type: ignore[attr-defined]
    finally:
        in_language(d, url, "sv")
        server.shutdown()
        server.server_close()
        app.close()
