"""Cache: a card's choices and the data folder as it is on disk → the rendered card (PDF and preview), made once.

Twenty staff asking for previews back to back ask for the same cards again and again (Tigrinya for Köping, the
Swedish card for Västerås), and two workers make about nineteen cards a second. So a rendered card is kept, in a
bounded least-recently-used store, under every input that affects its bytes: the Job (card, format, language,
municipality as typed, discreet, draft, and the day, which ages the contacts), the preview's resolution, and the
data folder's stamp (`work.data_stamp`: any file of cards/, locales/ or fonts/ edited on disk gives a new stamp,
and every card made before it is dropped, so a stale card is never served). A PDF asked for after its preview
comes from the preview's entry: the same render made both.

Two requests for the same card while it is being made wait for the one render (coalescing). A page that asks for a
new preview before the last has come back names itself (`view`); the request it replaces is taken out of the
queue if no worker has started it and nobody else waits for it, and answers `Replaced` (the page has already
aborted it).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from concurrent.futures import CancelledError, Future
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from nodkort.model import Job
from nodkort.project import DataDir
from nodkort.web.pool import Failed, Pool
from nodkort.web.work import CardResult, card, data_stamp

Answer = CardResult | Failed
MAX_BYTES = 64 * 1024 * 1024  # about 170 previews with their PDFs (380 kB each at 110 dpi)
MAX_ENTRIES = 512


class Replaced(Exception):
    """The page asked for a newer preview before this one was made: this one was dropped."""


@dataclass(frozen=True)
class Key:
    job: Job  # with `today` set: the day ages the contacts, and so decides what the card prints
    dpi: int  # 0: the PDF alone
    data: str  # the data folder's stamp


@dataclass(eq=False)
class _Flight:
    """A render on its way and how many requests wait for it."""

    future: Future[Any]
    waiting: int = 1


@dataclass
class Counts:
    hits: int = 0
    renders: int = 0
    coalesced: int = 0
    dropped: int = 0


@dataclass
class Renders:
    """Rendered cards, kept within `max_bytes` and `max_entries`; renders on their way; each page's latest."""

    pool: Pool
    data: DataDir
    preview_dpi: int
    max_bytes: int = MAX_BYTES
    max_entries: int = MAX_ENTRIES
    counts: Counts = field(default_factory=Counts)
    _kept: OrderedDict[Key, tuple[Answer, int]] = field(default_factory=OrderedDict)
    _size: int = 0
    _flights: dict[Key, _Flight] = field(default_factory=dict)
    _views: dict[str, _Flight] = field(default_factory=dict)
    _stamp: tuple[str, date] = ("", date.min)
    # re-entrant: cancelling a flight under the lock runs its done callback (`_landed`) at once, in this thread
    _lock: threading.RLock = field(default_factory=threading.RLock)

    def card(self, job: Job, dpi: int, view: str = "", stamp: str = "", timeout: float = 300) -> Answer:
        """The card `job` asks for (with its preview at `dpi`, or none for 0): kept, on its way, or rendered.
        `stamp`: the data folder's, when the caller has just looked."""
        today = date.today()
        key = Key(replace(job, today=today), dpi, stamp or data_stamp(self.data))
        with self._lock:
            self._forget_older(key.data, today)
            found = self._kept_answer(key)
            if found is not None:
                self.counts.hits += 1
                self._replace(view, None)
                return found
            flight = self._flight(key)
            self._replace(view, flight)
        try:
            return flight.future.result(timeout)  # type: ignore[no-any-return]
        except CancelledError:
            raise Replaced from None
        finally:
            with self._lock:
                if view and self._views.get(view) is flight:
                    del self._views[view]

    def size(self) -> tuple[int, int]:
        """The number of cards kept and their bytes."""
        with self._lock:
            return len(self._kept), self._size

    # --- under the lock ---------------------------------------------------------------------------------------

    def _kept_answer(self, key: Key) -> Answer | None:
        for k in self._alike(key):
            if k in self._kept:
                self._kept.move_to_end(k)
                return self._kept[k][0]
        return None

    def _alike(self, key: Key) -> list[Key]:
        """The keys whose answer serves `key`: itself and, for the PDF alone, its preview's (the same render)."""
        return [key] if key.dpi else [key, replace(key, dpi=self.preview_dpi)]

    def _flight(self, key: Key) -> _Flight:
        for k in self._alike(key):
            flight = self._flights.get(k)
            if flight is not None:
                flight.waiting += 1
                self.counts.coalesced += 1
                return flight
        flight = _Flight(self.pool.submit(card, key.job, key.dpi))  # Busy when the queue is full
        self.counts.renders += 1
        self._flights[key] = flight
        flight.future.add_done_callback(lambda future: self._landed(key, flight, future))
        return flight

    def _replace(self, view: str, flight: _Flight | None) -> None:
        """The page `view` now waits for `flight` (None: it has its answer): what it waited for before is dropped
        when nobody else waits for it and no worker has started it."""
        if not view:
            return
        before = self._views.pop(view, None)
        if flight is not None:
            self._views[view] = flight
        if before is None:
            return
        before.waiting -= 1
        if before.waiting == 0 and before.future.cancel():
            self.counts.dropped += 1

    def _forget_older(self, stamp: str, today: date) -> None:
        """The data folder changed on disk, or a day began: nothing made before can be asked for again."""
        if self._stamp != (stamp, today):
            self._stamp = (stamp, today)
            for k in [k for k in self._kept if (k.data, k.job.today) != self._stamp]:
                self._size -= self._kept.pop(k)[1]

    def _landed(self, key: Key, flight: _Flight, future: Future[Any]) -> None:
        with self._lock:
            if self._flights.get(key) is flight:
                del self._flights[key]
            if future.cancelled() or future.exception() is not None:
                return
            if (key.data, key.job.today) != self._stamp:
                return  # made from data that has changed since
            answer: Answer = future.result()
            size = len(answer.pdf) + len(answer.preview) + 512 if isinstance(answer, CardResult) else 512
            if size > self.max_bytes or key in self._kept:
                return
            self._kept[key] = (answer, size)
            self._size += size
            while self._size > self.max_bytes or len(self._kept) > self.max_entries:
                self._size -= self._kept.popitem(last=False)[1][1]
