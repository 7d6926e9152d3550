"""Order table: an order file (CSV, XLSX or ODS, told apart by content) → its header row and numbered rows of text.

The file is what a school coordinator exports from a spreadsheet: UTF-8 CSV with or without a BOM, comma- or
semicolon-separated (Swedish Excel writes semicolons), an .xlsx workbook or a LibreOffice .ods. The header is
found within the first rows (a title may stand above it), on the first sheet that has one (an instructions
sheet may come first). Nothing here knows what the columns mean (parse.py checks them); a file that cannot be
read as a table is one problem that says how to export it again. What a run reads is bounded (file size, rows,
columns), and blank rows are never kept, so memory stays flat however far down a stray cell sits.
"""

from __future__ import annotations

import csv
import io
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from nodkort.errors import Location, OrderError, Problem

MAX_BYTES = 10_000_000  # a county's whole year is a few hundred kilobytes
MAX_ROWS = 20_000
MAX_COLUMNS = 64  # further columns are never ours: a school's own notes
HEADER_SEARCH = 10  # rows searched for the header (a title and a blank row may stand above it)
HEADER_MIN = 3  # known column names that make a row the header

Rows = list[tuple[int, list[object]]]  # (row number as the spreadsheet shows it, cell values), blank rows left out
Formulas = dict[tuple[int, int], str]  # (row, column index) → a formula with no stored value
Sheet = tuple[str, Rows, Formulas]


@dataclass(frozen=True)
class Table:
    header_row: int
    header: list[str]
    body: list[tuple[int, list[str]]]
    formulas: Formulas = field(default_factory=dict)
    notes: tuple[str, ...] = ()


def read_table(path: Path, is_column: Callable[[str], bool]) -> Table:
    """The header row and every non-blank row below it, from CSV, XLSX or ODS by content.

    `is_column` tells a header cell that names a known column: it finds the header row, the sheet and the
    CSV delimiter.
    """
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise _problem(
                path,
                f"the order file is {size / 1e6:.1f} MB; nodkort reads order files of at most "
                f"{MAX_BYTES // 1_000_000} MB",
                f"split the orders over several files (at most {MAX_ROWS:,} rows each)".replace(",", " "),
            )
        data = path.read_bytes()
    except OSError as exc:
        raise OrderError(Problem(Location(str(path)), f"cannot read the order file ({exc.strerror})")) from None
    if not data.strip().lstrip(b"\xef\xbb\xbf").strip():
        raise _problem(
            path, "the order file is empty", "export the order sheet again with a header row and one row per card"
        )
    if data.startswith(b"PK\x03\x04"):
        sheets = _zip_sheets(path, data)
    elif data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _ole_problem(path, data)
    elif path.suffix.lower() in (".xlsx", ".ods", ".xls") and b"\x00" in data[:4096]:
        raise _problem(
            path,
            f"the file is named {path.suffix} but is not a spreadsheet workbook",
            "save it from Excel as Excel Workbook (.xlsx), or as CSV UTF-8",
        )
    else:
        sheets = [("", _csv_rows(path, data, is_column), {})]
    table = _choose(path, sheets, is_column)
    if path.suffix.lower() in (".xlsx", ".ods", ".xls") and not data.startswith(b"PK"):
        note = f"the file is named {path.suffix} but holds CSV text: read as CSV"
        return Table(table.header_row, table.header, table.body, table.formulas, (note, *table.notes))
    return table


def _problem(path: Path, what: str, fix: str, line: int | None = None, row: int | None = None) -> OrderError:
    return OrderError(Problem(Location(str(path), line, row=row), what, fix))


def _ole_problem(path: Path, data: bytes) -> OrderError:
    """An OLE2 compound file: an old .xls workbook, or a password-protected .xlsx (stored encrypted in one)."""
    if "EncryptedPackage".encode("utf-16-le") in data:
        return _problem(
            path,
            "the workbook is protected with a password, so nodkort cannot read it",
            "open it in Excel, remove the password (File → Info → Protect Workbook → Encrypt with Password, "
            "empty the field) and save it, or save a copy as CSV UTF-8",
        )
    return _problem(
        path,
        "this is an old Excel .xls workbook, which nodkort does not read",
        "in Excel: Save As → Excel Workbook (.xlsx) or CSV UTF-8",
    )


def _choose(path: Path, sheets: list[Sheet], is_column: Callable[[str], bool]) -> Table:
    """The first sheet with a header row within its first rows, and its rows below the header."""
    notes: list[str] = []
    for index, (name, rows, formulas) in enumerate(sheets):
        found = _table(rows, is_column)
        if found is None:
            continue
        header_row, header, body, first = found
        if index:
            notes.append(f"orders read from sheet '{name}': the sheets before it hold no order table")
        if header_row != first:
            above = (
                f"row {first} above it is" if header_row - first == 1 else f"rows {first}–{header_row - 1} above it are"
            )
            notes.append(f"the header is row {header_row}: {above} skipped (a title)")
        return Table(header_row, header, body, formulas, tuple(notes))
    # No sheet has a header: the first row stands as the header, so that the missing columns are named.
    first_rows: Rows | None = next((s[1] for s in sheets if s[1]), None)
    if first_rows is None:
        raise _problem(path, "the order file is empty", "add a header row and the order rows")
    (number, cells), *rest = first_rows
    return Table(number, [_text(c) for c in cells], [(n, [_text(c) for c in cs]) for n, cs in rest], sheets[0][2])


def _table(
    rows: Rows, is_column: Callable[[str], bool]
) -> tuple[int, list[str], list[tuple[int, list[str]]], int] | None:
    """(header row, header, body, first non-blank row) when a header stands within the first rows; else None."""
    for index, (number, cells) in enumerate(rows[:HEADER_SEARCH]):
        text = [_text(c) for c in cells]
        if sum(is_column(t) for t in text) >= HEADER_MIN:
            body = [(n, [_text(c) for c in cs]) for n, cs in rows[index + 1 :]]
            return number, text, body, rows[0][0]
    return None


def _nonblank(path: Path, rows: Iterable[tuple[int, list[object]]]) -> Iterator[tuple[int, list[object]]]:
    """The rows with any text, at most MAX_ROWS of them; blank rows are never kept."""
    count = 0
    for number, cells in rows:
        if not any(_text(c).strip() for c in cells):
            continue
        count += 1
        if count > MAX_ROWS:
            raise _problem(
                path,
                f"the order file has more than {MAX_ROWS:,} rows; nodkort reads at most that many in one run".replace(
                    ",", " "
                ),
                "split the orders over several files",
                row=number,
            )
        yield number, cells[:MAX_COLUMNS]


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores 200 as 200.0
    return str(value)


# --- CSV --------------------------------------------------------------------------------------------------


def _csv_rows(path: Path, data: bytes, is_column: Callable[[str], bool]) -> list[tuple[int, list[object]]]:
    if b"\x00" in data[:4096]:
        raise _problem(
            path,
            "this is neither a CSV file nor a spreadsheet workbook",
            "export the order sheet from Excel as CSV UTF-8 or as .xlsx",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _problem(
            path,
            "the file is not UTF-8 text (probably Excel's plain 'CSV', which is Windows-1252)",
            "in Excel: Save As → 'CSV UTF-8 (kommaavgränsad) (*.csv)', or save as .xlsx",
            data[: exc.start].count(b"\n") + 1,
        ) from None
    lines = text.splitlines()[:HEADER_SEARCH]
    delimiter = max((";", ",", "\t"), key=lambda d: max((_score(line, d, is_column) for line in lines), default=(0, 0)))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return list(_nonblank(path, _csv_records(path, reader, delimiter)))


def _csv_records(path: Path, reader: Any, delimiter: str) -> Iterator[tuple[int, list[object]]]:
    row = 0
    try:
        for cells in reader:
            row += 1  # a spreadsheet numbers records, not lines: a quoted cell may hold a line break
            stray = next((c for c in cells if "\n" in c and delimiter in c), None)
            if stray is not None:
                raise _problem(
                    path,
                    f'a quote (") opens a cell in this row that runs on to line {reader.line_num} of the file, '
                    f"swallowing the rows in between ({_preview(stray)})",
                    'remove the stray quote, or put the whole cell in quotes and double any quote inside it ("")',
                    row=row,
                )
            yield row, list(cells)
    except csv.Error as exc:
        raise _problem(
            path, f"the CSV cannot be read ({exc})", "check the quotes on that line, or export the sheet again", row + 1
        ) from None


def _preview(cell: str) -> str:
    first = cell.split("\n", 1)[0]
    return f"the cell begins '{first[:40]}'"


def _score(header: str, delimiter: str, is_column: Callable[[str], bool]) -> tuple[int, int]:
    """How well a delimiter splits a header: known column names first, then the number of cells."""
    cells = next(csv.reader([header], delimiter=delimiter), [])
    return sum(is_column(c) for c in cells), len(cells)


# --- workbooks --------------------------------------------------------------------------------------------

# A damaged workbook fails inside zipfile, zlib or the XML parser, when it is opened or (read only) when its
# rows are read.
DAMAGED = (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError, zlib.error, ElementTree.ParseError)


def _zip_sheets(path: Path, data: bytes) -> list[Sheet]:
    """The sheets of an XLSX or ODS workbook (both are zip files), told apart by what the zip holds."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype") if "mimetype" in names else b""
            has_formulas = any(
                n.startswith("xl/worksheets/") and (b"<f>" in (x := archive.read(n)) or b"<f " in x)
                for n in names
                if n.endswith(".xml")
            )
    except DAMAGED as exc:
        raise _damaged(path, exc) from None
    if b"opendocument.spreadsheet" in mimetype:
        from nodkort.orders.ods import ods_sheets

        try:
            return [(name, list(_nonblank(path, rows)), {}) for name, rows in ods_sheets(data)]
        except DAMAGED as exc:
            raise _damaged(path, exc) from None
    if "xl/workbook.xml" not in names:
        raise _problem(
            path,
            "the file is a zip archive but neither an Excel workbook (.xlsx) nor a LibreOffice sheet (.ods)",
            "export the order sheet as .xlsx or CSV UTF-8",
        )
    formulas = _xlsx_formulas(data) if has_formulas else {}
    return [(name, rows, formulas.get(name, {})) for name, rows in _xlsx_sheets(path, data)]


def _damaged(path: Path, exc: Exception) -> OrderError:
    return _problem(
        path,
        f"the workbook cannot be read ({type(exc).__name__}: {exc})",
        "open it in Excel or LibreOffice and save it again as .xlsx, or export CSV UTF-8",
    )


def _xlsx_sheets(path: Path, data: bytes) -> list[tuple[str, Rows]]:
    import openpyxl  # only XLSX orders need it; importing it costs a tenth of a second

    try:
        with warnings.catch_warnings():
            # openpyxl warns about styles and extensions that other spreadsheet programs write; the cell
            # values it reads are the same.
            warnings.simplefilter("ignore")
            # From bytes: openpyxl refuses a path whose name does not end in .xlsx (a workbook named .csv).
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                return [(sheet.title, list(_xlsx_rows(path, sheet))) for sheet in book.worksheets]
            finally:
                book.close()
    except DAMAGED as exc:
        raise _damaged(path, exc) from None


def _xlsx_rows(path: Path, sheet: object) -> Iterator[tuple[int, list[object]]]:
    """The non-blank rows of a sheet, at most MAX_COLUMNS wide; blank rows are dropped as they are read."""
    rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)  # type: ignore[attr-defined]
    # `any` in C skips the million empty rows above a stray cell far down in a moment.
    yield from _nonblank(path, ((n, list(values)) for n, values in enumerate(rows, start=1) if any(values)))


def _xlsx_formulas(data: bytes) -> dict[str, Formulas]:
    """Per sheet, the formulas with no stored value (a file written by a program that does not calculate)."""
    import openpyxl

    found: dict[str, Formulas] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        values = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        formulas = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        for v_sheet, f_sheet in zip(values.worksheets, formulas.worksheets, strict=True):
            pairs = zip(
                v_sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS),
                f_sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS),
                strict=False,
            )
            for n, (v_row, f_row) in enumerate(pairs, start=1):
                for col, (value, formula) in enumerate(zip(v_row, f_row, strict=False)):
                    if value is None and isinstance(formula, str) and formula.startswith("="):
                        found.setdefault(v_sheet.title, {})[(n, col)] = formula
    finally:
        values.close()
        formulas.close()
    return found
