"""Order files: CSV as Excel writes it and XLSX, Swedish or English headers; every bad row at once."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from conftest import ROOT, TESTS, Run
from nodkort.orders.parse import Order, check_orders, read_orders
from nodkort.orders.plan import known
from nodkort.project import Project

BAD = sorted((TESTS / "data" / "orders").glob("*.expect"))
GOOD = sorted(p for p in (TESTS / "data" / "orders").glob("good-*") if p.suffix != ".result")
HEADER = "Ordernummer;Skola;Kommun;Kort;Språk;Antal\n"
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


def described(project: Project, path: Path) -> str:
    """What nodkort makes of an order file: its notes, then one line per order line."""
    orders, problems, notes = check_orders(path, known(project, "A4"))
    lines = [f"Note: {n}" for n in notes] + [f"Error: {p}" for p in problems]
    for o in orders:
        for li in o.lines:
            lines.append(
                f"{o.id} | {o.school} | {o.municipality} | {li.card} {li.lang} {li.format} {li.quantity} "
                f"{li.paper}{' discreet' if li.discreet else ''} (row {li.row})"
            )
    return "\n".join(lines).replace(str(path), path.name) + "\n"


@pytest.mark.parametrize("good", GOOD, ids=[p.stem for p in GOOD])
def test_order_file_as_people_make_it_is_read_as_meant(project: Project, good: Path) -> None:
    """Each good-* file in tests/data/orders is a habit of real spreadsheets (a title row, a totals row, a card
    or municipality as a school writes it, an instructions sheet first, .ods, a workbook named .csv, a note
    far down the sheet); beside it, its .result: the notes nodkort prints and the order lines it reads."""
    assert described(project, good) == good.with_suffix(".result").read_text(encoding="utf-8")


def test_the_notes_are_printed_by_batch(tmp_path: Path, run: Run) -> None:
    path = TESTS / "data" / "orders" / "good-totals-row.csv"
    result = run("batch", str(path), "-o", str(tmp_path / "out"), "--quiet", "--draft")  # ar: not reviewed
    assert (result.exit_code, result.output) == (
        0,
        "Note: good-totals-row.csv: row 5 ('Summa 130') is a totals row, not an order: skipped\n",
    )


def test_a_stray_cell_far_down_keeps_memory_flat(project: Project) -> None:
    import tracemalloc

    path = TESTS / "data" / "orders" / "good-stray-cell-far-down.xlsx"  # 5 KB, a cell in row 1 048 576
    tracemalloc.start()
    try:
        orders = read(project, path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [o.cards for o in orders] == [120]
    assert peak < 20_000_000, f"{peak:,} bytes at peak"


def test_a_file_too_large_is_refused_at_once(tmp_path: Path, run: Run) -> None:
    path = tmp_path / "orders.csv"
    path.write_bytes((HEADER + "V-1;Ekbacksskolan;Västerås;emergency;sv;1\n" * 260_000).encode())
    result = run("batch", str(path), "-o", str(tmp_path / "out"))
    assert (result.exit_code, result.output) == (
        1,
        f"Error: {path}: the order file is 11.4 MB; nodkort reads order files of at most 10 MB — split the "
        "orders over several files (at most 20 000 rows each)\n",
    )


def test_more_rows_than_a_run_reads_is_refused(tmp_path: Path, run: Run) -> None:
    path = tmp_path / "orders.csv"
    path.write_text(HEADER + "".join(f"V-{i};Ekbacksskolan;Västerås;emergency;sv;1\n" for i in range(20_001)))
    result = run("batch", str(path), "-o", str(tmp_path / "out"))
    assert (result.exit_code, result.output) == (
        1,
        f"Error: {path}:row 20001: the order file has more than 20 000 rows; nodkort reads at most that many in "
        "one run — split the orders over several files\n",
    )


def test_more_cards_than_a_run_prints_is_refused(tmp_path: Path, run: Run) -> None:
    path = tmp_path / "orders.csv"
    rows = "".join(f"V-{i};Ekbacksskolan;Västerås;emergency;sv;600000\n" for i in range(2))
    path.write_text(HEADER + rows, encoding="utf-8")
    result = run("batch", str(path), "-o", str(tmp_path / "out"))
    assert (result.exit_code, result.output) == (
        1,
        f"Error: {path}: the file orders 1 200 000 cards; one run prints at most 1 000 000 — check the "
        "quantities, or split the orders over several files and runs\n",
    )


def test_many_bad_rows_list_the_first_hundred_and_count_the_rest(tmp_path: Path, run: Run) -> None:
    path = tmp_path / "orders.csv"
    path.write_text(HEADER + "".join(f"V-{i};;Västerås;emergency;sv;1\n" for i in range(150)), encoding="utf-8")
    result = run("batch", str(path), "-o", str(tmp_path / "out"))
    lines = result.output.splitlines()
    assert (result.exit_code, lines[0], len(lines)) == (1, "Error: 101 problems:", 102)
    assert lines[-1] == "  - and 50 more problems in further rows, not listed — correct the rows above, then run again"


@pytest.mark.parametrize(
    ("written", "municipality"),
    [
        ("Västerås kommun", "Västerås"),
        ("Västerås stad", "Västerås"),
        ("VÄSTERÅS", "Västerås"),
        ("Köpings kommun", "Köping"),
    ],
)
def test_a_municipality_with_its_usual_suffix(project: Project, written: str, municipality: str) -> None:
    assert project.municipality(written)[1].name == municipality


def test_an_unknown_card_name_gets_a_suggestion(tmp_path: Path, run: Run) -> None:
    path = tmp_path / "orders.csv"
    path.write_text(HEADER + "V-1;Ekbacksskolan;Västerås;Nödkrot;sv;10\n", encoding="utf-8")
    result = run("batch", str(path), "-o", str(tmp_path / "out"))
    assert (result.exit_code, result.output) == (
        1,
        f"Error: {path}:row 2 [Kort]: unknown card 'Nödkrot' — did you mean emergency? write one of: action, "
        "emergency, or the card's name as printed on it\n",
    )
