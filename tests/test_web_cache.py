"""The staff page's cache of rendered cards (web/cache.py) and its pool's queue (web/pool.py).

A kept answer is the CLI's bytes; an edit on disk makes the next answer new; the store stays within its bound;
the same card asked for twice at once is rendered once; a preview the page has replaced is never rendered.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from conftest import ROOT
from nodkort.cli import cli
from nodkort.model import Job
from nodkort.project import DataDir
from nodkort.web.app import App
from nodkort.web.cache import Renders, Replaced
from nodkort.web.pool import Pool
from nodkort.web.work import CardResult, _init, data_stamp
from web_client import Client


@pytest.fixture(scope="module")
def app() -> Iterator[App]:
    server = App(DataDir.locate(ROOT), workers=2)
    yield server
    server.close()


def cli_pdf(tmp_path: Path, root: Path, *args: str) -> bytes:
    out = tmp_path / "cli.pdf"
    result = CliRunner().invoke(cli, ["--data", str(root), "render", *args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def test_a_kept_card_is_byte_for_byte_a_fresh_render(app: App, tmp_path: Path) -> None:
    client = Client(app)
    query = "card=action&lang=sv&municipality=K%C3%B6ping&format=large"
    assert client.get("/card/preview?" + query).status == 200
    renders = app.renders.counts.renders
    first = client.get("/card.pdf?" + query)  # the preview's render made this PDF too
    second = client.get("/card.pdf?" + query)
    assert app.renders.counts.renders == renders  # neither was rendered again
    fresh = cli_pdf(tmp_path, ROOT, "action", "--lang", "sv", "--municipality", "Köping", "--format", "large")
    assert first.body == second.body == fresh
    assert first.headers["Content-Disposition"] == second.headers["Content-Disposition"]


def test_each_choice_is_its_own_card(app: App) -> None:
    client = Client(app)
    base = "/card.pdf?card=emergency&lang=en&format=folded&municipality="
    plain = client.get(base + "V%C3%A4ster%C3%A5s")
    discreet = client.get(base + "V%C3%A4ster%C3%A5s&discreet=1")
    place = client.get(base + "vasteras")
    assert plain.status == discreet.status == place.status == 200, plain.body[-2000:]
    assert plain.body != discreet.body
    assert "kort-en-folded-V%C3%A4ster%C3%A5s.pdf" in plain.headers["Content-Disposition"]
    assert "kort-en-folded-vasteras.pdf" in place.headers["Content-Disposition"]  # the place as typed
    assert "kort-en-folded.pdf" in discreet.headers["Content-Disposition"]  # a discreet card names no place


def test_editing_a_contact_on_disk_makes_the_next_answer_new(data_copy: Path, tmp_path: Path) -> None:
    server = App(DataDir(data_copy, "--data"), workers=1)
    try:
        client = Client(server)
        before = client.get("/card.pdf?card=emergency&lang=sv")
        assert before.body == cli_pdf(tmp_path, data_copy, "emergency", "--lang", "sv")
        contacts = data_copy / "cards" / "contacts" / "national.toml"
        text = contacts.read_text(encoding="utf-8")
        assert 'name = "Polisen, från utlandet"' in text
        contacts.write_text(text.replace('"Polisen, från utlandet"', '"Polisen från utlandet"'), encoding="utf-8")
        after = client.get("/card.pdf?card=emergency&lang=sv")
        assert after.status == 200
        assert after.body != before.body
        assert after.body == cli_pdf(tmp_path, data_copy, "emergency", "--lang", "sv")
        assert server.renders.size()[0] == 1  # the card made from the old contact is gone
    finally:
        server.close()


def test_the_data_stamp_follows_every_edit(data_copy: Path) -> None:
    data = DataDir(data_copy, "--data")
    stamp = data_stamp(data)
    assert data_stamp(data) == stamp
    po = data_copy / "locales" / "en" / "LC_MESSAGES" / "nodkort.po"
    po.write_bytes(po.read_bytes())  # the same bytes, written again: a new change time
    assert data_stamp(data) != stamp


# --- the store alone, with a pool that answers when told ------------------------------------------------------


class FakePool:
    """Stands in for the worker pool: records each task and answers it when the test says so."""

    def __init__(self) -> None:
        self.asked: list[tuple[Job, int, Future[Any]]] = []

    def submit(self, task: object, job: Job, dpi: int) -> Future[Any]:
        future: Future[Any] = Future()
        self.asked.append((job, dpi, future))
        return future

    def answer(self, index: int, size: int = 1000) -> None:
        job, dpi, future = self.asked[index]
        if future.set_running_or_notify_cancel():
            future.set_result(CardResult(b"%PDF" + job.lang.encode() * size, "kort.pdf", "", (), b"png" * dpi))


def renders(pool: FakePool, max_bytes: int = 64 * 1024 * 1024) -> Renders:
    return Renders(pool, DataDir.locate(ROOT), 110, max_bytes=max_bytes)  # type: ignore[arg-type]


def in_thread(store: Renders, job: Job, dpi: int, view: str = "") -> tuple[threading.Thread, list[object]]:
    got: list[object] = []

    def ask() -> None:
        try:
            got.append(store.card(job, dpi, view, timeout=10))
        except Replaced as exc:
            got.append(exc)

    thread = threading.Thread(target=ask)
    thread.start()
    return thread, got


def until(condition: Any) -> None:
    end = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.01)


def test_the_store_stays_within_its_bound_and_drops_the_least_recently_used() -> None:
    pool = FakePool()
    store = renders(pool, max_bytes=5 * (4 + 2 * 1000 + 512))
    langs = ["sv", "en", "ar", "fa", "ti", "so", "uk", "th"]
    for n, lang in enumerate(langs, 1):
        thread, _ = in_thread(store, Job("emergency", lang), 0)
        until(lambda n=n: len(pool.asked) == n)
        pool.answer(-1)
        thread.join()
        assert store.size()[1] <= store.max_bytes
    assert store.size()[0] == 5
    store.card(Job("emergency", "th"), 0)  # kept: no new render
    assert len(pool.asked) == len(langs)
    thread, _ = in_thread(store, Job("emergency", "sv"), 0)  # the first was dropped
    until(lambda: len(pool.asked) == len(langs) + 1)
    pool.answer(-1)
    thread.join()


def test_the_same_card_asked_for_twice_at_once_is_rendered_once() -> None:
    pool = FakePool()
    store = renders(pool)
    first, got_first = in_thread(store, Job("action", "ti", municipality="Köping"), 110)
    until(lambda: len(pool.asked) == 1)
    second, got_second = in_thread(store, Job("action", "ti", municipality="Köping"), 110)
    pdf_only, got_pdf = in_thread(store, Job("action", "ti", municipality="Köping"), 0)  # the same render's PDF
    until(lambda: store.counts.coalesced == 2)
    pool.answer(0)
    for thread in (first, second, pdf_only):
        thread.join()
    assert len(pool.asked) == 1
    assert got_first == got_second == got_pdf
    assert isinstance(got_first[0], CardResult)


def test_a_preview_the_page_replaced_is_dropped_unless_someone_else_waits_for_it() -> None:
    pool = FakePool()
    store = renders(pool)
    old, got_old = in_thread(store, Job("action", "ar"), 110, view="page-1")
    until(lambda: len(pool.asked) == 1)
    other, got_other = in_thread(store, Job("action", "fa"), 110, view="page-2")
    until(lambda: len(pool.asked) == 2)
    shared, got_shared = in_thread(store, Job("action", "fa"), 110, view="page-3")  # waits for page-2's render
    until(lambda: store.counts.coalesced == 1)
    new, got_new = in_thread(store, Job("action", "en"), 110, view="page-1")
    until(lambda: len(pool.asked) == 3)
    old.join()
    assert isinstance(got_old[0], Replaced)
    assert pool.asked[0][2].cancelled()  # taken out of the queue: never rendered
    late, got_late = in_thread(store, Job("action", "sv"), 110, view="page-2")  # page-3 still waits for "fa"
    until(lambda: len(pool.asked) == 4)
    assert not pool.asked[1][2].cancelled()
    for index in (1, 2, 3):
        pool.answer(index)
    for thread in (other, shared, new, late):
        thread.join()
    assert all(isinstance(got[0], CardResult) for got in (got_other, got_shared, got_new, got_late))
    assert store.counts.dropped == 1


def test_the_pool_never_starts_a_task_cancelled_in_its_queue() -> None:
    pool = Pool(DataDir.locate(ROOT), _init, workers=1, waiting=2)
    try:
        running = pool.submit(time.sleep, 1.0)
        queued = pool.submit(time.sleep, 0.01)
        assert queued.cancel()
        after = pool.submit(time.sleep, 0.01)
        assert after.result(30) is None
        assert running.done() and queued.cancelled()
        assert pool.pending() == 0
        # every place is free again: a worker and two waiting
        futures = [pool.submit(time.sleep, 0.01) for _ in range(3)]
        assert [f.result(30) for f in futures] == [None, None, None]
    finally:
        pool.close()
