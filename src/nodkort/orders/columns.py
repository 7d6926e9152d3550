"""Order columns: a header row → which known column each cell names (Swedish or English); a row → its cells.

A cell is read once through `Row.cell`, which reports what a spreadsheet hides in it (a formula with no
stored value, an invisible character), showing the invisible character by its code point.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from nodkort.errors import Location, Problem
from nodkort.orders.table import Formulas

Column = Literal["order", "school", "municipality", "card", "language", "quantity", "format", "paper", "discreet"]
REQUIRED: tuple[Column, ...] = ("order", "school", "municipality", "card", "language", "quantity")

# Header spellings, compared after folding case, spaces, dashes and underscores.
HEADERS: dict[Column, tuple[str, ...]] = {
    "order": (
        "order id",
        "order",
        "order no",
        "order number",
        "order nr",
        "orderid",
        "ordernummer",
        "ordernr",
        "order-id",
        "beställning",
        "beställnings id",
        "beställningsnummer",
        "beställningsnr",
        "best nr",
    ),
    "school": ("school", "school name", "skola", "skolans namn", "skolnamn"),
    "municipality": ("municipality", "kommun"),
    "card": ("card", "card type", "kort", "korttyp"),
    "language": ("language", "lang", "language code", "språk", "språkkod"),
    "quantity": ("quantity", "qty", "count", "number of cards", "antal", "antal kort"),
    "format": ("format", "card format", "kortformat"),
    "paper": ("paper", "paper size", "papper", "pappersformat", "pappersstorlek"),
    "discreet": ("discreet", "discreet variant", "diskret", "diskret variant", "diskret version"),
}


def fold(text: str) -> str:
    """Header text for comparison: case, spaces, dashes, underscores, invisible characters (a byte-order mark,
    a zero-width space) and a trailing colon or star ignored."""
    text = "".join(c for c in unicodedata.normalize("NFC", text) if unicodedata.category(c) != "Cf")
    text = text.strip().lower().rstrip(":*").strip()
    return re.sub(r"[\s_\-]+", " ", text)


_ALIASES = {fold(alias): column for column, aliases in HEADERS.items() for alias in aliases}


def is_column(text: str) -> bool:
    return fold(text) in _ALIASES


def find_columns(path: Path, header: list[str], row: int = 1) -> tuple[dict[Column, tuple[int, str]], list[Problem]]:
    columns: dict[Column, tuple[int, str]] = {}
    problems: list[Problem] = []
    for index, text in enumerate(header):
        column = _ALIASES.get(fold(text))
        if column is None:
            continue  # a column of the school's own, such as a comment: not ours to check
        if column in columns:
            problems.append(
                Problem(
                    Location(str(path), row, text),
                    f"two columns mean '{column}' ('{columns[column][1]}' and '{text}')",
                    "delete or rename one of them",
                )
            )
        columns[column] = (index, text.strip())
    for column in REQUIRED:
        if column not in columns:
            problems.append(
                Problem(
                    Location(str(path), row),
                    f"the column '{column}' is missing",
                    f"add a column headed '{HEADERS[column][0]}' (in Swedish '{_swedish(column)}'); the "
                    f"columns are: {', '.join(HEADERS[c][0] for c in REQUIRED)} and optionally format, "
                    "paper, discreet",
                )
            )
    return columns, problems


def _swedish(column: Column) -> str:
    return {
        "order": "ordernummer",
        "school": "skola",
        "municipality": "kommun",
        "card": "kort",
        "language": "språk",
        "quantity": "antal",
    }.get(column, column)


def where(path: Path, row: int, columns: Mapping[Column, tuple[int, str]], column: Column) -> Location:
    """A cell: its row as the spreadsheet numbers it, and its column as the header writes it."""
    head = columns.get(column)
    return Location(str(path), row=row, key=head[1] if head else column)


@dataclass
class Row:
    """One row being checked: its cells by column, and the problems found in it so far."""

    path: Path
    number: int
    cells: list[str]
    columns: Mapping[Column, tuple[int, str]]
    formulas: Formulas = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    flagged: set[Column] = field(default_factory=set)  # cells already reported: one problem per cell

    def cell(self, column: Column) -> str:
        """The cell's text; a formula with no value or an invisible character is reported (once) here."""
        spec = self.columns.get(column)
        formula = self.formulas.get((self.number, spec[0])) if spec else None
        if formula is not None and column not in self.flagged:
            self.bad(
                column,
                f"the cell holds the formula {formula} but no value: the file was saved by a program that "
                "does not calculate formulas",
                "open the file in Excel or LibreOffice and save it again (that stores the values), or type the value",
            )
            self.flagged.add(column)
        if spec is None or spec[0] >= len(self.cells):
            return ""
        text = unicodedata.normalize("NFC", self.cells[spec[0]]).strip()
        hidden = [c for c in text if _invisible(c)]
        if hidden and column not in self.flagged:
            shown = "".join(f"[U+{ord(c):04X}]" if _invisible(c) else c for c in text)
            names = ", ".join(sorted({f"U+{ord(c):04X} {unicodedata.name(c, 'CONTROL CHARACTER')}" for c in hidden}))
            self.bad(
                column,
                f"'{shown}' holds an invisible character ({names})",
                "delete it: type the cell again, or paste the text without formatting",
            )
            self.flagged.add(column)
        return "".join(c for c in text if not _invisible(c)).strip()

    def bad(self, column: Column, what: str, fix: str) -> None:
        if column not in self.flagged:  # a cell already reported has one problem, not a second one from it
            self.problems.append(Problem(where(self.path, self.number, self.columns, column), what, fix))


def _invisible(char: str) -> bool:
    """A format or control character (zero-width space, byte-order mark, direction mark, soft hyphen)."""
    return unicodedata.category(char) in ("Cf", "Cc")
