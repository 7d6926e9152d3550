"""Errors: every failure nodkort reports is a NodkortError naming where, what, and how to fix it.

Data problems (a broken template, an unverified number, a catalog with a bad placeholder, text that does
not fit) exit 1; usage problems (an unknown card, language or option value) exit 2. The CLI is the only
place that turns these into exit codes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """Where a problem is: a file, a line (or a row of an order table) in it, and the key that names the spot.

    A value, never a string parsed back: a finding that needs the msgctxt or field path of its problem reads
    `location.key`. `scope` says for which printing the key failed ("sv", "wallet/discreet") and prints in
    brackets after it: `cards/emergency.toml:40 [emergency/wallet/front/body] (sv)`.
    """

    file: str = ""
    line: int | None = None
    key: str = ""
    scope: str = ""
    row: int | None = None  # a row of an order table, counted as the spreadsheet shows it
    rows: tuple[int, ...] = ()  # several rows of an order table that ask for the same thing

    def __str__(self) -> str:
        text = self.file
        if self.line is not None:
            text += f":{self.line}"
        if self.row is not None:
            text += f":row {self.row}" if text else f"row {self.row}"
        if self.rows:
            listed = ("row " if len(set(self.rows)) == 1 else "rows ") + ", ".join(map(str, sorted(set(self.rows))))
            text += f":{listed}" if text else listed
        if self.key:
            text += f" [{self.key}]" if text else f"[{self.key}]"
        if self.scope:
            text += f" ({self.scope})" if text else f"({self.scope})"
        return text


@dataclass(frozen=True)
class Problem:
    """One problem found in a data file: where it is, what is wrong, and how to fix it."""

    where: Location
    what: str
    fix: str = ""

    def __str__(self) -> str:
        where = str(self.where)
        text = f"{where}: {self.what}" if where else self.what
        return f"{text} — {self.fix}" if self.fix else text


class NodkortError(Exception):
    """Base of every error nodkort reports to its user."""

    exit_code = 1
    kind = "error"

    def __init__(self, problems: Problem | Sequence[Problem] | str) -> None:
        if isinstance(problems, str):  # a message that belongs to no file: an unknown card, a bad option
            problems = [Problem(Location(), problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(self.message)

    @property
    def message(self) -> str:
        if len(self.problems) == 1:
            return str(self.problems[0])
        lines = [f"{len(self.problems)} problems:"]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)


class UsageError(NodkortError):
    """The user asked for something that does not exist (unknown card, language, format, ...)."""

    exit_code = 2
    kind = "usage"


class DataError(NodkortError):
    """A data file (template, contacts, region, catalog, order) is invalid."""

    kind = "data"


class TemplateError(DataError):
    kind = "template"


class ContactError(DataError):
    kind = "contact"


class CatalogError(DataError):
    kind = "catalog"


class FitError(DataError):
    """Text does not fit its box even at the legibility floor."""

    kind = "fit"


class GlyphError(DataError):
    """A character has no glyph in any font of the language's fallback chain."""

    kind = "glyph"


class ReviewError(DataError):
    """An unreviewed translation was asked for without --draft."""

    kind = "review"


class QrError(DataError):
    kind = "qr"


class StaleError(DataError):
    kind = "stale"


class OrderError(DataError):
    kind = "order"


class PaperError(DataError):
    """A card does not fit the paper with its bleed and the room its crop marks need."""

    kind = "paper"


class OutputError(NodkortError):
    """The output cannot be written where the user asked."""

    kind = "output"


def raise_all(problems: Iterable[Problem], error: type[NodkortError]) -> None:
    """Raise `error` carrying every problem at once, if there is any."""
    found = list(problems)
    if found:
        raise error(found)
