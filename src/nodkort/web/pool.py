"""Pool: tasks → worker processes (one per core), through a bounded queue of our own → futures of their results.

The queue is ours, not the executor's, so that a task nobody waits for any more can be taken out of it before a
worker starts it (`Future.cancel()`): a preview the user has already replaced is never rendered. Only as many
tasks as there are workers are handed to the executor at a time. When every place (the workers and the waiting
ones) is taken the caller gets `Busy` at once (503, try again), never a hang. A NodkortError in a task comes back
as `Failed`, a value, with the problems and the message the command line prints.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from nodkort.errors import NodkortError, Problem
from nodkort.project import DataDir

T = TypeVar("T")


@dataclass(frozen=True)
class Failed:
    """A NodkortError, carried back from a worker: its problems and the message the CLI prints after Error:."""

    problems: tuple[Problem, ...]
    message: str
    usage: bool


def guarded(task: Callable[..., T], *args: Any) -> T | Failed:
    """Run `task` in a worker; a NodkortError comes back as a value, so the page shows the CLI's words."""
    try:
        return task(*args)
    except NodkortError as exc:
        return Failed(exc.problems, exc.message, exc.exit_code == 2)


class Busy(Exception):
    """Every worker slot is taken."""


class Pool:
    """Worker processes (one per core) and a bounded number of tasks waiting for them."""

    def __init__(
        self,
        data: DataDir,
        initializer: Callable[[str, str], None],
        workers: int | None = None,
        waiting: int = 24,
    ) -> None:
        # 24 waiting: twenty staff each with a preview on its way fit, so a busy office queues for a second
        # rather than being refused (bench/web_load.py); a flood beyond that is told "busy", never left hanging.
        self.workers = workers or os.cpu_count() or 1
        # spawn, not fork: forking a threaded server copies its locks in whatever state they are in.
        context = multiprocessing.get_context("spawn")
        self._executor = ProcessPoolExecutor(
            self.workers, mp_context=context, initializer=initializer, initargs=(str(data.root), data.why)
        )
        self._slots = threading.BoundedSemaphore(self.workers + waiting)
        self._queue: deque[tuple[Future[Any], Callable[..., Any], tuple[Any, ...]]] = deque()
        self._running = 0
        self._closed = False
        self._wake = threading.Condition()
        self._dispatcher = threading.Thread(target=self._dispatch, name="nodkort-pool", daemon=True)
        self._dispatcher.start()

    def submit(self, task: Callable[..., T], *args: Any) -> Future[T | Failed]:
        """Queue a task, or raise Busy when every place is taken. Cancelling the future before a worker has
        started it takes it out of the queue."""
        if not self._slots.acquire(blocking=False):
            raise Busy
        future: Future[T | Failed] = Future()
        future.add_done_callback(lambda _: self._slots.release())  # done, failed or cancelled
        with self._wake:
            self._queue.append((future, task, args))
            self._wake.notify()
        return future

    def call(self, task: Callable[..., T], *args: Any, timeout: float = 300) -> T | Failed:
        return self.submit(task, *args).result(timeout)

    def pending(self) -> int:
        """Tasks queued and not yet handed to a worker (cancelled ones included until they are skipped)."""
        with self._wake:
            return len(self._queue)

    def _dispatch(self) -> None:
        """Hand queued tasks to the executor, never more than there are workers; skip the cancelled ones."""
        while True:
            with self._wake:
                while not self._closed and (self._running >= self.workers or not self._queue):
                    self._wake.wait()
                if self._closed:
                    return
                future, task, args = self._queue.popleft()
                if not future.set_running_or_notify_cancel():
                    continue  # nobody waits for it any more
                self._running += 1
            try:
                inner = self._executor.submit(guarded, task, *args)
            except BaseException as exc:  # the executor is shut down or broken: the caller hears of it
                self._finished(future, None, exc)
                continue
            inner.add_done_callback(partial(self._result, future))

    def _result(self, future: Future[Any], inner: Future[Any]) -> None:
        error = inner.exception() if not inner.cancelled() else RuntimeError("the worker pool was shut down")
        self._finished(future, None if error else inner.result(), error)

    def _finished(self, future: Future[Any], value: Any, error: BaseException | None) -> None:
        with self._wake:
            self._running -= 1
            self._wake.notify()
        if error is None:
            future.set_result(value)
        else:
            future.set_exception(error)

    def close(self) -> None:
        with self._wake:
            self._closed = True
            for future, _, _ in self._queue:
                future.cancel()
            self._queue.clear()
            self._wake.notify()
        self._executor.shutdown(wait=True, cancel_futures=True)
