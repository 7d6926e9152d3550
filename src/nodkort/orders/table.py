"""Order table: an order file (CSV or XLSX, told apart by content) → its header cells and numbered rows of text.

The file is what a school coordinator exports from Excel: UTF-8 CSV with or without a BOM, comma- or
semicolon-separated (Swedish Excel writes semicolons), or an .xlsx workbook (its first sheet). Nothing here
knows what the columns mean (orders.py checks them); a file that cannot be read as a table is one problem
that says how to export it again.
"""

from __future__ import annotations

import csv
import io
import warnings
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

from nodkort.errors import Location, OrderError, Problem


def read_table(path: Path, is_column: Callable[[str], bool]) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header cells and (row number, cells) of every non-blank row, from CSV or XLSX by content.

    `is_column` tells a header cell that names a known column, to choose the CSV delimiter.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise OrderError(Problem(Location(str(path)), f"cannot read the order file ({exc.strerror})")) from None
    if not data.strip().lstrip(b"\xef\xbb\xbf").strip():
        raise OrderError(
            Problem(
                Location(str(path)),
                "the order file is empty",
                "export the order sheet again with a header row and one row per card and language",
            )
        )
    if data.startswith(b"PK\x03\x04"):
        rows = _xlsx_rows(path)
    elif data.startswith(b"\xd0\xcf\x11\xe0"):
        raise OrderError(
            Problem(
                Location(str(path)),
                "this is an old Excel .xls workbook, which nodkort does not read",
                "in Excel: Save As → Excel Workbook (.xlsx) or CSV UTF-8",
            )
        )
    elif path.suffix.lower() == ".xlsx":
        raise OrderError(
            Problem(
                Location(str(path)),
                "the file is named .xlsx but is not an Excel workbook",
                "save it from Excel as Excel Workbook (.xlsx), or as CSV UTF-8",
            )
        )
    else:
        rows = _csv_rows(path, data, is_column)
    rows = [(n, cells) for n, cells in rows if any(c.strip() for c in cells)]
    if not rows:
        raise OrderError(Problem(Location(str(path)), "the order file is empty", "add a header row and the order rows"))
    (_, header), *body = rows
    return header, body


def _csv_rows(path: Path, data: bytes, is_column: Callable[[str], bool]) -> list[tuple[int, list[str]]]:
    if b"\x00" in data[:4096]:
        raise OrderError(
            Problem(
                Location(str(path)),
                "this is neither a CSV file nor an XLSX workbook",
                "export the order sheet from Excel as CSV UTF-8 or as .xlsx",
            )
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise OrderError(
            Problem(
                Location(str(path), line),
                "the file is not UTF-8 text (probably Excel's plain 'CSV', which is Windows-1252)",
                "in Excel: Save As → 'CSV UTF-8 (kommaavgränsad) (*.csv)', or save as .xlsx",
            )
        ) from None
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = max((";", ",", "\t"), key=lambda d: _score(first, d, is_column))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    out = []
    try:
        for cells in reader:
            out.append((reader.line_num, cells))
    except csv.Error as exc:
        raise OrderError(
            Problem(
                Location(str(path), reader.line_num),
                f"the CSV cannot be read ({exc})",
                "check the quotes on that line, or export the sheet again",
            )
        ) from None
    return out


def _score(header: str, delimiter: str, is_column: Callable[[str], bool]) -> tuple[int, int]:
    """How well a delimiter splits the header: known column names first, then the number of cells."""
    cells = next(csv.reader([header], delimiter=delimiter), [])
    return sum(is_column(c) for c in cells), len(cells)


def _xlsx_rows(path: Path) -> list[tuple[int, list[str]]]:
    import openpyxl  # only XLSX orders need it; importing it costs a tenth of a second

    # A damaged workbook fails inside zipfile, zlib or the XML parser, when it is opened or (read only)
    # when its rows are read.
    damaged = (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError, zlib.error, ElementTree.ParseError)
    try:
        with warnings.catch_warnings():
            # openpyxl warns about styles and extensions that other spreadsheet programs write; the cell
            # values it reads are the same.
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
            try:
                sheet = book.worksheets[0]
                return [
                    (n, [_cell_text(v) for v in values])
                    for n, values in enumerate(sheet.iter_rows(values_only=True), start=1)
                ]
            finally:
                book.close()
    except damaged as exc:
        raise OrderError(
            Problem(
                Location(str(path)),
                f"the workbook cannot be read ({type(exc).__name__}: {exc})",
                "open it in Excel and save it again as .xlsx, or export CSV UTF-8",
            )
        ) from None


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores 200 as 200.0
    return str(value)
