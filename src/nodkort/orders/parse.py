"""Orders: a CSV or XLSX order file → validated order lines, every bad row reported at once.

The file is read as a table of text by ordertable.py (CSV or XLSX, as Excel exports it). Headers may be
Swedish or English. One row is one line of an order: which card, in which language, how many. Rows that share
an order id form one order and must agree on school and municipality. Nothing is rendered here: the whole
file is checked, and every problem is reported with its row, column, what is wrong and how to fix it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from nodkort.errors import Location, NodkortError, OrderError, Problem
from nodkort.orders.table import read_table

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
YES = {"yes", "y", "true", "1", "x", "ja", "j", "sant"}
NO = {"", "no", "n", "false", "0", "nej", "falskt"}
ORDER_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
MAX_QUANTITY = 1_000_000


@dataclass(frozen=True)
class CardInfo:
    formats: tuple[str, ...]
    default_format: str
    needs_municipality: bool


@dataclass(frozen=True)
class Known:
    """What the data folder offers, for checking rows; each resolver returns the canonical value or raises."""

    cards: Mapping[str, CardInfo]
    language: Callable[[str], str]
    municipality: Callable[[str], str]
    paper: Callable[[str], str]
    default_paper: str = "A4"


@dataclass(frozen=True)
class Line:
    row: int  # as the spreadsheet numbers it: the header is row 1
    order: str
    card: str
    lang: str
    format: str
    quantity: int
    paper: str
    discreet: bool


@dataclass(frozen=True)
class Order:
    id: str
    school: str
    municipality: str
    lines: tuple[Line, ...]
    rows: tuple[int, ...] = field(default=())

    @property
    def cards(self) -> int:
        return sum(line.quantity for line in self.lines)


def fold(text: str) -> str:
    """Header text for comparison: case, spaces, dashes, underscores and a trailing colon or star ignored."""
    text = unicodedata.normalize("NFC", text).replace("\ufeff", "").strip().lower().rstrip(":*").strip()
    return re.sub(r"[\s_\-]+", " ", text)


_ALIASES = {fold(alias): column for column, aliases in HEADERS.items() for alias in aliases}


# --- checking rows ----------------------------------------------------------------------------------------


def read_orders(path: Path, known: Known) -> list[Order]:
    """Every order of the file, in the order of first appearance; OrderError lists every bad row at once."""
    orders, problems = check_orders(path, known)
    if problems:
        raise OrderError(problems)
    return orders


def check_orders(path: Path, known: Known) -> tuple[list[Order], list[Problem]]:
    """The orders made of the good rows, and a problem for each bad one: the caller checks the good rows
    further (layout, paper), so that a file's every problem is reported in one run."""
    header, body = read_table(path, lambda text: fold(text) in _ALIASES)
    columns, problems = _columns(path, header)
    if problems:
        raise OrderError(problems)
    lines: list[Line] = []
    heads: dict[str, tuple[int, str, str]] = {}  # order id → its first row, school and municipality
    seen: dict[tuple[str, str, str, str, bool, str], Line] = {}
    for row, cells in body:
        line, order_fields, row_problems = _line(_Row(path, row, cells, columns), known)
        problems += row_problems
        if line is None or order_fields is None:
            continue
        first = heads.setdefault(line.order, (row, *order_fields))
        problems += _disagreements(path, columns, line, order_fields, first)
        earlier = seen.setdefault((line.order, line.card, line.lang, line.format, line.discreet, line.paper), line)
        if earlier is line:
            lines.append(line)
        else:  # a row repeated word for word counts once
            problems += _repeated(path, columns, line, earlier)
    if not body:
        problems.append(Problem(Location(str(path)), "the file has a header but no order rows", "add one row per card"))
    return _orders(lines, heads), problems


def _disagreements(
    path: Path,
    columns: Mapping[Column, tuple[int, str]],
    line: Line,
    order_fields: tuple[str, str],
    first: tuple[int, str, str],
) -> list[Problem]:
    """The rows of one order id name one school in one municipality."""
    pairs: tuple[tuple[Column, str, str], ...] = (
        ("school", order_fields[0], first[1]),
        ("municipality", order_fields[1], first[2]),
    )
    return [
        Problem(
            _where(path, line.row, columns, name),
            f"order {line.order} already has {name} '{earlier}' (row {first[0]}), here '{value}'",
            f"one order id is one school: give this row its own order id, or correct the {name}",
        )
        for name, value, earlier in pairs
        if value != earlier
    ]


def _repeated(path: Path, columns: Mapping[Column, tuple[int, str]], line: Line, other: Line) -> list[Problem]:
    """A card and language listed twice in one order is fine only with the same quantity (a row copied twice)."""
    if other.quantity == line.quantity:
        return []
    return [
        Problem(
            _where(path, line.row, columns, "quantity"),
            f"order {line.order} lists {line.card} in {line.lang} twice with different "
            f"quantities ({other.quantity} in row {other.row}, {line.quantity} here)",
            "keep one row per card and language in an order, with the total quantity",
        )
    ]


def _orders(lines: list[Line], heads: Mapping[str, tuple[int, str, str]]) -> list[Order]:
    """The lines grouped by order id, in the order of each id's first row."""
    grouped: dict[str, list[Line]] = {}
    for line in lines:
        grouped.setdefault(line.order, []).append(line)
    return [
        Order(oid, heads[oid][1], heads[oid][2], tuple(group), tuple(x.row for x in group))
        for oid, group in grouped.items()
    ]


def _columns(path: Path, header: list[str]) -> tuple[dict[Column, tuple[int, str]], list[Problem]]:
    columns: dict[Column, tuple[int, str]] = {}
    problems: list[Problem] = []
    for index, text in enumerate(header):
        column = _ALIASES.get(fold(text))
        if column is None:
            continue  # a column of the school's own, such as a comment: not ours to check
        if column in columns:
            problems.append(
                Problem(
                    Location(str(path), 1, text),
                    f"two columns mean '{column}' ('{columns[column][1]}' and '{text}')",
                    "delete or rename one of them",
                )
            )
        columns[column] = (index, text.strip())
    for column in REQUIRED:
        if column not in columns:
            problems.append(
                Problem(
                    Location(str(path), 1),
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


def _where(path: Path, row: int, columns: Mapping[Column, tuple[int, str]], column: Column) -> Location:
    """A cell: its row as the spreadsheet numbers it, and its column as the header writes it."""
    head = columns.get(column)
    return Location(str(path), row=row, key=head[1] if head else column)


@dataclass
class _Row:
    """One row being checked: its cells by column, and the problems found in it so far."""

    path: Path
    number: int
    cells: list[str]
    columns: Mapping[Column, tuple[int, str]]
    problems: list[Problem] = field(default_factory=list)

    def cell(self, column: Column) -> str:
        spec = self.columns.get(column)
        if spec is None or spec[0] >= len(self.cells):
            return ""
        return unicodedata.normalize("NFC", self.cells[spec[0]]).strip()

    def bad(self, column: Column, what: str, fix: str) -> None:
        self.problems.append(Problem(_where(self.path, self.number, self.columns, column), what, fix))


def _line(row: _Row, known: Known) -> tuple[Line | None, tuple[str, str] | None, list[Problem]]:
    """One row → its order line and its order's school and municipality, or the row's every problem."""
    order = _order_id(row)
    school = row.cell("school")
    if not school:
        row.bad("school", "no school", "write the school's name")
    municipality = _resolve(
        known.municipality,
        row.cell("municipality"),
        "municipality",
        row.bad,
        "write the municipality's name as `nodkort list municipalities` shows it",
    )
    card = _card(row, known)
    lang = _resolve(
        known.language,
        row.cell("language"),
        "language",
        row.bad,
        "write a language code from `nodkort list languages`, such as sv, en or ar",
    )
    quantity = _quantity(row.cell("quantity"), row.bad)
    fmt = _format(row, card)
    paper = _resolve(
        known.paper,
        row.cell("paper") or known.default_paper,
        "paper",
        row.bad,
        "write A4, A3, SRA3 or WIDTHxHEIGHT in mm, or leave it empty for A4",
    )
    discreet = _discreet(row)
    if row.problems or card is None or lang is None or municipality is None or quantity is None or paper is None:
        return None, None, row.problems
    return Line(row.number, order, card[0], lang, fmt, quantity, paper, discreet), (school, municipality), []


def _order_id(row: _Row) -> str:
    order = row.cell("order")
    if not order:
        row.bad("order", "no order id", "give every row the id of its order (one id per school order)")
    elif not ORDER_ID.fullmatch(order) or order.casefold() == "manifest.json":  # the folder's own file
        row.bad(
            "order",
            f"order id '{order}' is not usable as a folder name",
            "use letters, digits, '-', '_' or '.', starting with a letter or digit, at most 64 characters",
        )
    return order


def _card(row: _Row, known: Known) -> tuple[str, CardInfo] | None:
    """The card's id (case ignored) and what it offers, or None when the data folder has no such card."""
    card_id = row.cell("card").lower()
    info = known.cards.get(card_id)
    if info is None:
        row.bad(
            "card",
            f"unknown card '{row.cell('card')}'" if card_id else "no card",
            f"write one of: {', '.join(sorted(known.cards))}",
        )
        return None
    return card_id, info


def _format(row: _Row, card: tuple[str, CardInfo] | None) -> str:
    """The row's format, or the card's default when the cell is empty; unchecked when the card is unknown."""
    fmt = row.cell("format").lower()
    if card is None:
        return fmt
    card_id, info = card
    if not fmt:
        return info.default_format
    if fmt not in info.formats:
        row.bad(
            "format",
            f"card '{card_id}' has no format '{fmt}'",
            f"write one of: {', '.join(info.formats)}, or leave it empty for {info.default_format}",
        )
    return fmt


def _discreet(row: _Row) -> bool:
    text = row.cell("discreet").lower()
    if text not in YES | NO:
        row.bad(
            "discreet",
            f"'{row.cell('discreet')}' is neither yes nor no",
            "write ja/yes/x for the discreet variant, or leave it empty",
        )
    return text in YES


def _resolve(
    resolver: Callable[[str], str],
    value: str,
    column: Column,
    bad: Callable[[Column, str, str], None],
    fix: str,
) -> str | None:
    if not value:
        bad(column, f"no {column}", fix)
        return None
    try:
        return resolver(value)
    except NodkortError as exc:
        problem = exc.problems[0]
        bad(column, problem.what, problem.fix or fix)
        return None


def _quantity(text: str, bad: Callable[[Column, str, str], None]) -> int | None:
    fix = "write the number of cards as a whole number, 1 or more"
    compact = re.sub(r"[\s\u00a0\u202f]", "", text)  # "1 000" as Swedish Excel writes thousands
    if not compact:
        bad("quantity", "no quantity", fix)
        return None
    if not re.fullmatch(r"[-+]?\d+", compact):
        bad("quantity", f"quantity '{text}' is not a whole number", fix)
        return None
    value = int(compact)
    if value < 1:
        bad("quantity", f"quantity {value} orders no cards", fix + " (delete the row to order none)")
        return None
    if value > MAX_QUANTITY:
        bad(
            "quantity",
            f"quantity {value} is more than {MAX_QUANTITY:,} cards in one row",
            "check the number; split a really large order over several rows and order ids",
        )
        return None
    return value
