"""Order files: CSV as Excel writes it and XLSX, Swedish or English headers; every bad row at once."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from conftest import ROOT, TESTS, Run
from nodkort.orders.parse import Order, read_orders
from nodkort.orders.plan import known
from nodkort.project import Project

BAD = sorted((TESTS / "data" / "orders").glob("*.expect"))
EXAMPLES = ROOT / "examples"


def read(project: Project, path: Path) -> list[Order]:
    return read_orders(path, known(project, "A4"))


def summary(orders: list[Order]) -> list[tuple[str, str, str, list[tuple[str, str, str, int, str, bool]]]]:
    return [
        (
            o.id,
            o.school,
            o.municipality,
            [(li.card, li.lang, li.format, li.quantity, li.paper, li.discreet) for li in o.lines],
        )
        for o in orders
    ]


@pytest.mark.parametrize("expect", BAD, ids=[p.stem for p in BAD])
def test_bad_order_file_is_refused_with_every_problem_named(expect: Path, tmp_path: Path, run: Run) -> None:
    """Each file in tests/data/orders has beside it the whole output it must produce (with the file's name
    for its path): every problem, each with its row, column and fix."""
    order = next(p for p in expect.parent.glob(f"{expect.stem}.*") if p.suffix != ".expect")
    out = tmp_path / "print"
    result = run("batch", str(order), "-o", str(out))
    assert (result.exit_code, result.output.replace(str(order), order.name)) == (
        1,
        expect.read_text(encoding="utf-8"),
    )
    assert not out.exists(), "nothing may be written when the order file is refused"


def test_example_order_csv_and_xlsx_hold_the_same_orders(project: Project) -> None:
    csv_orders = read(project, EXAMPLES / "orders.csv")
    xlsx_orders = read(project, EXAMPLES / "orders.xlsx")
    assert summary(csv_orders) == summary(xlsx_orders)
    assert len(csv_orders) == 40
    assert {o.municipality for o in csv_orders} == {"Västerås", "Sala", "Köping"}
    languages = {line.lang for o in csv_orders for line in o.lines}
    assert len(languages) == 6 and {"sv", "en"} <= languages
    cards = {line.card for o in csv_orders for line in o.lines}
    assert cards == {"emergency", "action"}
    action_places = {o.municipality for o in csv_orders for line in o.lines if line.card == "action"}
    assert action_places == {"Västerås", "Sala", "Köping"}


def test_csv_as_excel_writes_it_swedish_semicolons_bom(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "beställning.csv"
    text = (
        "Beställningsnummer;Skola;Kommun;Kort;Språk;Antal;Kommentar;Diskret\r\n"
        "A-1;Ekbacksskolan;västerås;Emergency;arabiska;1 200;till mottagningen;\r\n"
        ";;;;;;;\r\n"
        "A-1;Ekbacksskolan;Västerås;emergency;Svenska;40;;ja\r\n"
    )
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    (order,) = read(project, path)
    assert (order.id, order.school, order.municipality) == ("A-1", "Ekbacksskolan", "Västerås")
    assert [(li.row, li.card, li.lang, li.quantity, li.discreet) for li in order.lines] == [
        (2, "emergency", "ar", 1200, False),
        (4, "emergency", "sv", 40, True),
    ]
    assert [li.format for li in order.lines] == ["wallet", "wallet"]


def test_csv_with_commas_and_english_headers_in_any_order(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_text(
        "Quantity,Language,Card,Municipality,School,Order ID,Paper,Format\n"
        "25,English,emergency,Sala,Ekebyskolan,S-9,SRA3,folded\n"
        '"300",sv,emergency,Sala,Ekebyskolan,S-9,,\n',
        encoding="utf-8",
    )
    (order,) = read(project, path)
    assert [(li.lang, li.quantity, li.paper, li.format) for li in order.lines] == [
        ("en", 25, "SRA3", "folded"),
        ("sv", 300, "A4", "wallet"),
    ]


def test_a_row_repeated_word_for_word_counts_once(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    row = "K-1;Kolsva skola;Köping;emergency;sv;60\n"
    path.write_text("Order;Skola;Kommun;Kort;Språk;Antal\n" + row + row, encoding="utf-8")
    (order,) = read(project, path)
    assert order.cards == 60


def test_xlsx_numbers_and_booleans_as_excel_stores_them(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "orders.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Order id", "School", "Municipality", "Card", "Language", "Quantity", "Discreet"])
    sheet.append(["V-7", "Lundaskolan", "Västerås", "emergency", "en", 150.0, None])
    sheet.append([None] * 7)
    sheet.append(["V-7", "Lundaskolan", "Västerås", "emergency", "sv", 30, True])
    book.save(path)
    (order,) = read(project, path)
    assert [(li.row, li.lang, li.quantity, li.discreet) for li in order.lines] == [
        (2, "en", 150, False),
        (4, "sv", 30, True),
    ]


def test_a_fraction_is_not_a_quantity(project: Project, tmp_path: Path, run: Run) -> None:
    path = tmp_path / "orders.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["Order id", "School", "Municipality", "Card", "Language", "Quantity"])
    book.active.append(["V-7", "Lundaskolan", "Västerås", "emergency", "en", 12.5])
    book.save(path)
    result = run("batch", str(path), "-o", str(tmp_path / "out"))
    assert (result.exit_code, result.output) == (
        1,
        f"Error: {path}:row 2 [Quantity]: quantity '12.5' is not a whole number — write the number of cards as "
        "a whole number, 1 or more\n",
    )
