"""Parallel check: languages → one worker process each at a time → their summaries and findings, in order.

`check` over every language lays out hundreds of cards; each language is independent of the others, so they
are checked side by side on every core. A worker loads its own copy of the data folder once (processes share
no memory, and a loaded font or shaped paragraph cannot be sent between them); the results come back in the
order of the languages, and the parent adds their findings as if it had found them itself.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from nodkort.layout.side import LaidCard
from nodkort.project import DataDir, Project
from nodkort.review.findings import Collector, Finding, LanguageSummary
from nodkort.text.paragraph import forget_shaped


@dataclass(frozen=True)
class Task:
    """What a worker needs: the data folder, the cards to check, and whether to lay them out."""

    data: DataDir
    cards: tuple[str, ...]
    layout: bool


@dataclass(frozen=True)
class Result:
    """One language's check: its summary, its findings in the order they were made, how many cards were laid."""

    summary: LanguageSummary
    found: tuple[tuple[Finding, tuple[str, ...]], ...]
    layouts: int

    def replay(self, out: Collector) -> None:
        """Add the findings to `out` as if they had been found in this process."""
        for finding, scopes in self.found:
            out.add(finding)
            for scope in scopes:
                out.add(finding, scope)


def check_in_workers(task: Task, codes: Sequence[str], workers: int) -> Iterator[Result]:
    """Each language checked in one of `workers` processes; results in the order of `codes`."""
    with ProcessPoolExecutor(workers, initializer=_start, initargs=(task,)) as pool:
        yield from pool.map(_check, codes)


_WORKER: tuple[Project, Task] | None = None


def _start(task: Task) -> None:
    global _WORKER
    _WORKER = (Project(task.data), task)


def _check(code: str) -> Result:
    # check.py calls this module: importing it here, in the worker, keeps the import one way.
    from nodkort.review.check import _check_language, _places

    assert _WORKER is not None, "_start runs first in every worker"
    project, task = _WORKER
    cards = [project.card(cid) for cid in task.cards]
    ignored = Collector(str(project.data.root))  # the parent has reported the municipalities without numbers
    places = {card.id: _places(project, card, ignored) for card in cards}
    out = Collector(str(project.data.root))
    laid: list[LaidCard] = []
    summary = _check_language(project, project.language(code), cards, places, out, laid, task.layout)
    forget_shaped()  # no paragraph of one language is shaped again for another
    return Result(summary, tuple((finding, tuple(scopes)) for finding, scopes in out.found.values()), len(laid))
