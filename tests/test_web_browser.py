"""The staff page in a real browser: headless Chromium (Debian's chromium and chromium-driver) driven by Selenium.

Few and fast: the card flow (Arabic, Västerås, a right-to-left preview that follows each change) and an order
file with a bad row. Screenshots of each page land in the test's temporary folder for a look. Skipped when
chromium is not installed here; .ci/run installs it, so they run in CI.
"""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest

from conftest import ROOT, TESTS
from nodkort.project import DataDir
from nodkort.web.app import App

CHROMIUM = shutil.which("chromium")
DRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None or DRIVER is None,
    reason="chromium and chromium-driver are not installed (apt-get install chromium chromium-driver; CI does)",
)
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
def url() -> Iterator[str]:
    app = App(DataDir.locate(ROOT), workers=2)
    server = make_server("127.0.0.1", 0, app, server_class=_Threaded, handler_class=_Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    app.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium')}")
    driver = webdriver.Chrome(options=options, service=Service(str(DRIVER)))
    driver.implicitly_wait(0)
    yield driver
    driver.quit()


def wait(condition: object, seconds: float = 45) -> None:
    """Until `condition()` holds: generous, so a busy machine does not fail a test of behaviour (speed is benched)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.05)
    raise AssertionError("the page did not get there in time")


def test_arabic_for_vasteras_previews_right_to_left_and_follows_each_change(
    browser: object, url: str, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.select import Select

    d: object = browser
    d.get(url + "/?card=action")  # type: ignore[attr-defined]
    Select(d.find_element(By.ID, "lang")).select_by_value("ar")  # type: ignore[attr-defined]
    field = d.find_element(By.ID, "municipality")  # type: ignore[attr-defined]
    field.send_keys("vasteras")
    began = time.monotonic()
    wait(lambda: "kort-ar-folded-vasteras.pdf" in d.find_element(By.ID, "preview").text)  # type: ignore[attr-defined]
    took = time.monotonic() - began
    preview = d.find_element(By.ID, "preview")  # type: ignore[attr-defined]
    assert preview.find_element(By.TAG_NAME, "img").get_attribute("src").startswith("data:image/png;base64,")
    assert "Utkast" in preview.text  # Arabic is not reviewed: a watermarked draft, with the reason
    assert "ar" in d.current_url and "vasteras" in d.current_url  # type: ignore[attr-defined]
    d.save_screenshot(str(tmp_path / "card-ar-vasteras.png"))  # type: ignore[attr-defined]
    assert took < 3.0, f"the preview followed the change after {took:.2f} s"


def test_an_order_with_a_bad_row_shows_its_message(browser: object, url: str, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    d: object = browser
    d.get(url + "/orders")  # type: ignore[attr-defined]
    bad = TESTS / "data" / "orders" / "bad-order-id.csv"
    d.find_element(By.ID, "orders-file").send_keys(str(bad))  # type: ignore[attr-defined]
    d.find_element(By.CSS_SELECTOR, "form[action='/orders'] button").click()  # type: ignore[attr-defined]
    wait(lambda: "Beställningen har fel" in d.page_source)  # type: ignore[attr-defined]
    table = d.find_element(By.TAG_NAME, "table").text  # type: ignore[attr-defined]
    assert "order id 'V 1/a' is not usable as a folder name" in table
    d.save_screenshot(str(tmp_path / "orders-bad.png"))  # type: ignore[attr-defined]


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
