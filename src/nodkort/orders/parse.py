"""Orders: a CSV, XLSX or ODS order file → validated order lines, every bad row reported at once.

The file is read as a table of text by table.py (as a spreadsheet exports it); columns.py names its columns,
Swedish or English. A totals row at the bottom is skipped, with a note. One row is one line of an order:
which card, in which language, how many. Rows that share an order id form one order and must agree on school
and municipality. Nothing is rendered here: the whole file is checked, and every problem is reported with its
row, column, what is wrong and how to fix it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from nodkort.errors import Location, NodkortError, OrderError, Problem
from nodkort.orders.columns import Column, Row, find_columns, fold, is_column, where
from nodkort.orders.table import read_table

YES = {"yes", "y", "true", "1", "x", "ja", "j", "sant"}
NO = {"", "no", "n", "false", "0", "nej", "falskt"}
ORDER_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,62}[A-Za-z0-9_-]|[A-Za-z0-9]")
# Names Windows reserves for devices, with any extension: a folder so named cannot be made or opened there.
RESERVED = re.compile(r"(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?", re.IGNORECASE)
TOTALS = {"summa", "totalt", "total", "totals", "sum", "summering", "totalsumma", "sammanlagt", "s:a"}
MAX_QUANTITY = 1_000_000
MAX_CARDS = 1_000_000  # in one run: a whole county's year is far less
MAX_PROBLEMS = 100  # listed; further ones are counted, so that memory stays flat in the number of bad rows


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
    card_names: Mapping[str, str] = field(default_factory=dict)  # a card's name as written (casefolded) → id


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
    paper_from_row: bool = True  # False: the row names none, so the run's --paper applies


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


# --- checking rows ----------------------------------------------------------------------------------------


def read_orders(path: Path, known: Known) -> list[Order]:
    """Every order of the file, in the order of first appearance; OrderError lists every bad row at once."""
    orders, problems, _ = check_orders(path, known)
    if problems:
        raise OrderError(problems)
    return orders


def check_orders(path: Path, known: Known) -> tuple[list[Order], list[Problem], list[str]]:
    """The orders made of the good rows, a problem for each bad one, and notes on what was skipped: the caller
    checks the good rows further (layout, paper), so that a file's every problem is reported in one run."""
    table = read_table(path, is_column)
    columns, header_problems = find_columns(path, table.header, table.header_row)
    if header_problems:
        raise OrderError(header_problems)
    problems = _Problems()
    notes = list(table.notes)
    lines: list[Line] = []
    heads: dict[str, tuple[int, str, str]] = {}  # order id → its first row, school and municipality
    folded: dict[str, tuple[str, int]] = {}  # order id casefolded → as first written, and its row
    seen: dict[tuple[str, str, str, str, bool, str], Line] = {}
    totals: list[tuple[int, str]] = []  # row, and what it says
    cards = 0
    for row, cells in table.body:
        this = Row(path, row, cells, columns, table.formulas)
        if _is_totals(this):
            totals.append((row, " ".join(c.strip() for c in cells if c.strip())))
            continue
        if not any(this.cell(column) for column in columns):
            continue  # text only in a column of the school's own, such as a note far down the sheet
        line, order_fields, row_problems = _line(this, known)
        problems.add(row_problems)
        if line is None or order_fields is None:
            continue
        first = heads.setdefault(line.order, (row, *order_fields))
        problems.add(_disagreements(path, columns, line, order_fields, first))
        spelled, first_row = folded.setdefault(line.order.casefold(), (line.order, row))
        if spelled != line.order:
            this.bad(
                "order",
                f"order ids '{spelled}' (row {first_row}) and '{line.order}' differ only in case: on Windows and "
                "macOS their folders would be one folder",
                "write one order's id the same way on every row, or give the orders ids that differ in more",
            )
            problems.add(this.problems)
            continue
        earlier = seen.setdefault((line.order, line.card, line.lang, line.format, line.discreet, line.paper), line)
        if earlier is line:
            lines.append(line)
            cards += line.quantity
        else:  # a row repeated word for word counts once
            problems.add(_repeated(path, columns, line, earlier))
    for row, text in totals:
        notes.append(f"row {row} ('{text[:40]}') is a totals row, not an order: skipped")
    if not table.body or len(totals) == len(table.body):
        problems.add([Problem(Location(str(path)), "the file has a header but no order rows", "add one row per card")])
    if cards > MAX_CARDS:
        problems.add(
            [
                Problem(
                    Location(str(path)),
                    f"the file orders {cards:,} cards; one run prints at most {MAX_CARDS:,}".replace(",", " "),
                    "check the quantities, or split the orders over several files and runs",
                )
            ]
        )
    return _orders(lines, heads), problems.listed(), notes


class _Problems:
    """The first MAX_PROBLEMS problems, and a count of the rest."""

    def __init__(self) -> None:
        self.kept: list[Problem] = []
        self.more = 0

    def add(self, problems: list[Problem]) -> None:
        room = MAX_PROBLEMS - len(self.kept)
        self.kept += problems[: max(room, 0)]
        self.more += max(len(problems) - max(room, 0), 0)

    def listed(self) -> list[Problem]:
        if not self.more:
            return self.kept
        more = Problem(
            Location(),
            f"and {self.more} more problem{'s' if self.more > 1 else ''} in further rows, not listed",
            "correct the rows above, then run again",
        )
        return [*self.kept, more]


def _is_totals(row: Row) -> bool:
    """A row that names no order, card or language, but says 'Summa' or 'Total' somewhere: a sum, not an order."""
    texts = [fold(c) for c in row.cells if c.strip()]
    if not any(t.rstrip(".:") in TOTALS for t in texts):
        return False
    ours = [fold(row.cell(c)) for c in ("order", "card", "language", "school")]
    return all(not t or t.rstrip(".:") in TOTALS for t in ours)


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
            where(path, line.row, columns, name),
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
            where(path, line.row, columns, "quantity"),
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


def _line(row: Row, known: Known) -> tuple[Line | None, tuple[str, str] | None, list[Problem]]:
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
        "write A4, A5, A3, SRA3, Letter or WIDTHxHEIGHT in mm, or leave it empty for A4",
    )
    discreet = _discreet(row)
    if row.problems or card is None or lang is None or municipality is None or quantity is None or paper is None:
        return None, None, row.problems
    line = Line(row.number, order, card[0], lang, fmt, quantity, paper, discreet, bool(row.cell("paper")))
    return line, (school, municipality), []


def _order_id(row: Row) -> str:
    order = row.cell("order")
    if not order:
        row.bad("order", "no order id", "give every row the id of its order (one id per school order)")
    elif not ORDER_ID.fullmatch(order) or order.casefold() == "manifest.json":  # the folder's own file
        row.bad(
            "order",
            f"order id '{order}' is not usable as a folder name",
            "use letters, digits, '-', '_' or '.', starting with a letter or digit and not ending with '.', "
            "at most 64 characters",
        )
    elif RESERVED.fullmatch(order):
        row.bad(
            "order",
            f"order id '{order}' is a name Windows reserves for a device: no folder can have it",
            "give the order another id, such as a school's initials and a number",
        )
    return order


def _card(row: Row, known: Known) -> tuple[str, CardInfo] | None:
    """The card's id (case ignored) and what it offers, or None when the data folder has no such card."""
    written = row.cell("card")
    card_id = written.casefold()
    card_id = card_id if card_id in known.cards else known.card_names.get(card_id, card_id)
    info = known.cards.get(card_id)
    if info is None:
        names = sorted(known.cards)
        close = difflib.get_close_matches(card_id, [*known.cards, *known.card_names], n=1, cutoff=0.6)
        hint = f"did you mean {known.card_names.get(close[0], close[0])}? " if close else ""
        row.bad(
            "card",
            f"unknown card '{written}'" if card_id else "no card",
            f"{hint}write one of: {', '.join(names)}, or the card's name as printed on it",
        )
        return None
    return card_id, info


def _format(row: Row, card: tuple[str, CardInfo] | None) -> str:
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


def _discreet(row: Row) -> bool:
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
