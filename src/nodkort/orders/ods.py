"""ODS: a LibreOffice / OpenDocument spreadsheet (zip bytes) → each sheet's name and its rows of cell values.

Read with the standard library's streaming XML parser: content.xml is parsed element by element and each
row is dropped once read, and a run of repeated rows or cells (LibreOffice writes the empty rest of a sheet
as one row repeated a million times) is expanded only when it holds text.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from xml.etree import ElementTree

TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
MAX_REPEAT = 1_000  # a repeated row or cell with text: more is never an order


def ods_sheets(data: bytes) -> list[tuple[str, list[tuple[int, list[object]]]]]:
    """(sheet name, [(row number, cell values)]) for every sheet, blank rows left out."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open("content.xml") as content:
        return list(_sheets(content))


def _sheets(content: io.BufferedIOBase | object) -> Iterator[tuple[str, list[tuple[int, list[object]]]]]:
    name = ""
    rows: list[tuple[int, list[object]]] = []
    number = 0
    for event, element in ElementTree.iterparse(content, events=("start", "end")):  # type: ignore[arg-type]
        if event == "start":
            if element.tag == f"{{{TABLE}}}table":
                name, rows, number = element.get(f"{{{TABLE}}}name", ""), [], 0
            continue
        if element.tag == f"{{{TABLE}}}table-row":
            repeat = int(element.get(f"{{{TABLE}}}number-rows-repeated", "1"))
            cells = _cells(element)
            if any(str(c).strip() for c in cells if c is not None):
                for i in range(min(repeat, MAX_REPEAT)):
                    rows.append((number + i + 1, cells))
            number += repeat
            element.clear()
        elif element.tag == f"{{{TABLE}}}table":
            yield name, rows
            element.clear()


def _cells(row: ElementTree.Element) -> list[object]:
    cells: list[object] = []
    for cell in row:
        if cell.tag not in (f"{{{TABLE}}}table-cell", f"{{{TABLE}}}covered-table-cell"):
            continue
        repeat = int(cell.get(f"{{{TABLE}}}number-columns-repeated", "1"))
        value = _value(cell)
        cells += [value] * (min(repeat, MAX_REPEAT) if value is not None else min(repeat, 64))
    while cells and cells[-1] is None:
        cells.pop()
    return cells


def _value(cell: ElementTree.Element) -> object:
    kind = cell.get(f"{{{OFFICE}}}value-type")
    if kind in ("float", "percentage", "currency"):
        number = float(cell.get(f"{{{OFFICE}}}value", "0"))
        return number
    if kind == "boolean":
        return cell.get(f"{{{OFFICE}}}boolean-value") == "true"
    paragraphs = ["".join(p.itertext()) for p in cell.iter(f"{{{TEXT}}}p")]
    text = "\n".join(paragraphs)
    return text or None
