"""Batch orders: print files, packing slips and manifest per order; refusal, atomic writes and resume."""

from __future__ import annotations

import hashlib
import json
import signal
import subprocess
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner

from conftest import ROOT, Run, decode_qr, page_count, page_size_mm, page_text
from helpers import WALLET, card_boxes
from nodkort.cli import cli

ORDER = (
    "Ordernummer;Skola;Kommun;Kort;Språk;Antal;Format;Papper;Diskret\n"
    "V-1;Ekbacksskolan;Västerås;emergency;sv;23;;;\n"
    "V-1;Ekbacksskolan;Västerås;emergency;en;5;;;\n"
    "V-1;Ekbacksskolan;Västerås;emergency;sv;4;;;ja\n"
    "V-1;Ekbacksskolan;Västerås;action;sv;3;;SRA3;\n"
    "K-1;Kolsva skola;Köping;emergency;sv;12;;;\n"
    "K-1;Kolsva skola;Köping;action;sv;2;;SRA3;\n"
)
V1_FILES = [
    "action-sv-folded-vasteras.pdf",
    "emergency-en-wallet.pdf",
    "emergency-sv-wallet.pdf",
    "kort-sv-1.pdf",
    "packing-slip.pdf",
]


def summary(out: Path, kept: int = 0) -> str:
    """What `nodkort batch` prints for ORDER: the progress label, the table of orders and the last line."""
    earlier = f", {kept} kept from the earlier run" if kept else ""
    return (
        "Writing\n"
        "order          school                       municipality   files    cards  sheets\n"
        "V-1            Ekbacksskolan                Västerås           5       35       6\n"
        "K-1            Kolsva skola                 Köping             3       14       3\n"
        "total          2 orders                                        8       49       9\n"
        f"Wrote {8 - kept} files in {out}{earlier}; checksums in {out / 'manifest.json'}\n"
    )


def batch(*args: str) -> tuple[int, str]:
    # The order holds English lines, a draft until a reviewer signs its changed strings: --draft.
    result = CliRunner().invoke(cli, ["--data", str(ROOT), "batch", "--draft", *args], catch_exceptions=False)
    return result.exit_code, result.output


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def order_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("order") / "orders.csv"
    path.write_bytes(b"\xef\xbb\xbf" + ORDER.encode())
    return path


@pytest.fixture(scope="module")
def reference(order_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One uninterrupted run, shared by the tests that compare against it."""
    out = tmp_path_factory.mktemp("reference") / "print"
    code, output = batch(str(order_file), "-o", str(out))
    assert (code, output) == (0, summary(out))
    return out


def test_each_order_gets_its_print_files_slip_and_manifest_entry(reference: Path) -> None:
    assert sorted(p.name for p in (reference / "V-1").iterdir()) == V1_FILES
    assert sorted(p.name for p in (reference / "K-1").iterdir()) == [
        "action-sv-folded-koping.pdf",
        "emergency-sv-wallet.pdf",
        "packing-slip.pdf",
    ]
    manifest = json.loads((reference / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["complete"] is True
    listed = {f["path"]: f for o in manifest["orders"] for f in o["files"]}
    on_disk = {k: v for k, v in tree(reference).items() if k != "manifest.json"}
    assert set(listed) == set(on_disk)
    for path, data in on_disk.items():
        assert listed[path]["sha256"] == hashlib.sha256(data).hexdigest()
        assert listed[path]["bytes"] == len(data)


def test_card_counts_match_the_order(reference: Path) -> None:
    manifest = json.loads((reference / "manifest.json").read_text(encoding="utf-8"))
    cards = {f["path"]: f["cards"] for o in manifest["orders"] for f in o["files"]}
    assert cards["V-1/emergency-sv-wallet.pdf"] == 23
    assert cards["V-1/kort-sv-1.pdf"] == 4
    assert sum(c for p, c in cards.items() if p.startswith("K-1/")) == 14
    # On the sheets themselves: 23 cards are a sheet of ten, another, and three; each front has its back.
    pdf = (reference / "V-1" / "emergency-sv-wallet.pdf").read_bytes()
    assert [len(card_boxes(pdf, p, WALLET)) for p in range(page_count(pdf))] == [10, 10, 10, 10, 3, 3]


def test_packing_slip_lists_school_cards_quantities_and_sheets(reference: Path) -> None:
    text = page_text((reference / "V-1" / "packing-slip.pdf").read_bytes())
    for expected in (
        "Följesedel",
        "V-1",
        "Ekbacksskolan",
        "Västerås",
        "emergency-sv-wallet.pdf",
        "kort-sv-1.pdf",
        "action-sv-folded-vasteras.pdf",
        "Swedish (sv)",
        "English (en)",
        "discreet",
        "SRA3",
        "Totalt 35 kort på 5 ark A4 och 1 ark SRA3",
        "Total 35 cards on 5 A4 sheets and 1 SRA3 sheet",
        "emergency v",
        "action v",
    ):
        assert expected in text
    assert "data " in text and "nodkort " in text


def test_every_qr_of_an_action_sheet_decodes(reference: Path) -> None:
    pdf = (reference / "V-1" / "action-sv-folded-vasteras.pdf").read_bytes()
    codes = decode_qr(pdf, 0, dpi=150) + decode_qr(pdf, 1, dpi=150)
    assert len(codes) == 3 and len(set(codes)) == 1
    assert codes[0].startswith("http")


def test_discreet_file_says_nothing_of_its_subject(reference: Path) -> None:
    doc = pdfium.PdfDocument((reference / "V-1" / "kort-sv-1.pdf").read_bytes())
    meta = " ".join(doc.get_metadata_dict().values()).lower()
    doc.close()
    assert "nödkort" not in meta and "gift" not in meta and "emergency" not in meta


def test_the_same_order_again_gives_the_same_bytes(order_file: Path, reference: Path, tmp_path: Path) -> None:
    out = tmp_path / "print"
    code, output = batch(str(order_file), "-o", str(out), "--quiet")
    assert code == 0 and output == ""
    assert tree(out) == tree(reference)
    code, output = batch(str(order_file), "-o", str(out), "--quiet")  # a previous run of the same order
    assert (code, output) == (0, "")
    assert tree(out) == tree(reference)


def test_a_folder_holding_something_else_is_refused_without_force(order_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "print"
    out.mkdir()
    (out / "holiday.jpg").write_bytes(b"not ours")
    code, output = batch(str(order_file), "-o", str(out))
    assert (code, output) == (
        1,
        f"Error: {out}: is not empty and holds no earlier run of this order (no manifest.json) — choose an "
        "empty folder, or add --force to write into this one anyway\n",
    )
    assert [p.name for p in out.iterdir()] == ["holiday.jpg"]
    code, output = batch(str(order_file), "-o", str(out), "--force", "--quiet")
    assert (code, output) == (0, "")
    assert (out / "holiday.jpg").read_bytes() == b"not ours"
    assert (out / "V-1" / "packing-slip.pdf").is_file()


def test_a_folder_holding_another_order_is_refused(order_file: Path, reference: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.csv"
    other.write_text(ORDER.replace(";23;", ";24;"), encoding="utf-8")
    out = tmp_path / "print"
    code, output = batch(str(order_file), "-o", str(out), "--quiet")
    assert (code, output) == (0, "")
    code, output = batch(str(other), "-o", str(out), "--resume")
    assert (code, output) == (
        1,
        f"Error: {out}: holds an earlier run that differs: it was made from another order file (or the file "
        "has changed) — choose an empty folder, or add --force to write into this one anyway\n",
    )


def test_combine_writes_one_file_per_paper_and_the_slip_gives_each_row_its_pages(
    order_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "print"
    code, output = batch(str(order_file), "-o", str(out), "--combine", "--quiet")
    assert (code, output) == (0, "")
    assert sorted(p.name for p in (out / "V-1").iterdir()) == ["kort-a4.pdf", "kort-sra3.pdf", "packing-slip.pdf"]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    files = {f["path"]: (f["cards"], f["sheets"]) for o in manifest["orders"] for f in o["files"]}
    assert files["V-1/kort-a4.pdf"] == (32, 3 + 1 + 1) and files["V-1/kort-sra3.pdf"] == (3, 1)
    a4 = (out / "V-1" / "kort-a4.pdf").read_bytes()
    assert page_count(a4) == 2 * 5
    assert [round(x) for x in page_size_mm((out / "V-1" / "kort-sra3.pdf").read_bytes())] in ([320, 450], [450, 320])
    doc = pdfium.PdfDocument(a4)
    assert doc.get_metadata_dict()["Title"] == "Order V-1"
    doc.close()
    slip = page_text((out / "V-1" / "packing-slip.pdf").read_bytes())
    for row in (
        "kort-a4.pdf 1–6 emergency Swedish (sv) wallet plain 23 3 A4",
        "kort-a4.pdf 7–8 emergency English (en) wallet plain · draft 5 1 A4",
        "kort-a4.pdf 9–10 emergency Swedish (sv) wallet discreet 4 1 A4",
        "kort-sra3.pdf 1–2 action Swedish (sv) folded plain 3 1 SRA3",
        "Totalt 35 kort på 5 ark A4 och 1 ark SRA3",
        "DRAFT: files marked 'draft' are watermarked, translations not reviewed – not for distribution",
    ):
        assert row in slip


def test_one_order_is_one_order(tmp_path: Path) -> None:
    path = tmp_path / "one.csv"
    path.write_text("Order;Skola;Kommun;Kort;Språk;Antal\nK-1;Kolsva skola;Köping;emergency;sv;1\n", encoding="utf-8")
    out = tmp_path / "print"
    code, output = batch(str(path), "-o", str(out))
    assert code == 0
    assert output.splitlines()[-2:] == [
        f"total          {'1 order':<43} {2:>5} {1:>8} {1:>7}",
        f"Wrote 2 files in {out}; checksums in {out / 'manifest.json'}",
    ]
    slip = page_text((out / "K-1" / "packing-slip.pdf").read_bytes())
    assert "Total 1 card on 1 A4 sheet" in slip and "UTKAST" not in slip


def test_the_slug_line_says_draft_and_the_duplex_flip(reference: Path) -> None:
    english = page_text((reference / "V-1" / "emergency-en-wallet.pdf").read_bytes(), 0)
    assert "· DRAFT, not for distribution · duplex: flip on long edge · sheet 1/1 front" in english
    swedish = page_text((reference / "V-1" / "emergency-sv-wallet.pdf").read_bytes(), 1)
    assert "· data " in swedish and "DRAFT" not in swedish
    assert "· duplex: flip on long edge · sheet 1/3 back" in swedish


def test_a_long_school_name_shrinks_and_wraps_on_the_slip(tmp_path: Path) -> None:
    school = (
        "Ekbacksskolan, grundskola årskurs 7–9 och gymnasium, elevhälsan att. skolkurator, "
        "Ekbacksvägen 12, 722 40 Västerås"
    )
    path = tmp_path / "long.csv"
    path.write_text(f"Order;Skola;Kommun;Kort;Språk;Antal\nV-9;{school};Västerås;emergency;sv;5\n", encoding="utf-8")
    out = tmp_path / "print"
    assert batch(str(path), "-o", str(out), "--quiet")[0] == 0
    pdf = (out / "V-9" / "packing-slip.pdf").read_bytes()
    doc = pdfium.PdfDocument(pdf)
    try:
        page = doc[0]
        width = page.get_width()
        text = page.get_textpage()
        boxes = [text.get_charbox(i) for i in range(text.count_chars())]
    finally:
        doc.close()
    assert max(box[2] for box in boxes) < width - 10 * 72 / 25.4, "text runs into the right margin"
    assert "12, 722 40 Västerås" in page_text(pdf).replace("\r\n", " ")


def killed_after(files: int) -> str:
    """`nodkort batch` that kills itself (SIGKILL) once `files` PDFs are in place and the next one is written in
    full but not yet renamed: the moment the atomic write is for. Counting renames inside the process picks the
    point exactly, however loaded the machine; a watcher outside would race the run and could miss it."""
    return f"""
import os, signal
from nodkort.cli import main

renamed = 0
real_replace = os.replace

def replace(src, dst, *args, **kwargs):
    global renamed
    if str(dst).endswith(".pdf"):
        if renamed == {files}:
            os.kill(os.getpid(), signal.SIGKILL)
        renamed += 1
    return real_replace(src, dst, *args, **kwargs)

os.replace = replace
main()
"""


def test_a_killed_run_leaves_no_half_file_and_resume_gives_the_same_bytes(
    order_file: Path, reference: Path, tmp_path: Path
) -> None:
    out = tmp_path / "print"
    # Killed after order V-1's five files and K-1's first, while K-1's second waits to be renamed.
    command = [
        sys.executable,
        "-c",
        killed_after(6),
        "--data",
        str(ROOT),
        "batch",
        "--draft",
        str(order_file),
        "-o",
        str(out),
        "--quiet",
    ]
    process = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert process.returncode == -signal.SIGKILL, process.stderr
    expected = tree(reference)
    partial = tree(out)
    visible = {path: data for path, data in partial.items() if not Path(path).name.startswith(".")}
    assert sorted(visible) == ["K-1/emergency-sv-wallet.pdf", *(f"V-1/{name}" for name in V1_FILES), "manifest.json"]
    for path, data in visible.items():
        assert path == "manifest.json" or data == expected[path], f"{path} is not complete"
    (half,) = [path for path in partial if path not in visible]
    assert half.startswith("K-1/.action-sv-folded-koping.pdf.") and half.endswith(".part")
    manifest = json.loads(partial["manifest.json"])
    assert manifest["complete"] is False
    assert [o["id"] for o in manifest["orders"]] == ["V-1"]

    code, output = batch(str(order_file), "-o", str(out), "--resume")
    assert (code, output) == (0, summary(out, kept=5))
    assert tree(out) == expected


def test_nothing_is_written_when_a_language_is_not_reviewed(tmp_path: Path, run: Run, data_copy: Path) -> None:
    import re

    po = data_copy / "locales" / "en" / "LC_MESSAGES" / "nodkort.po"
    head, body = po.read_text(encoding="utf-8").split("\n\n", 1)
    po.write_text(head + "\n\n" + re.sub(r"(?m)^msgctxt ", "#, fuzzy\nmsgctxt ", body), encoding="utf-8")
    order = tmp_path / "orders.csv"
    order.write_text(ORDER, encoding="utf-8")
    out = tmp_path / "print"
    result = run("batch", str(order), "-o", str(out), data=data_copy)
    assert result.exit_code == 1
    assert re.fullmatch(
        re.escape(f"Error: {order}:row 3: emergency/wallet in en: {po}: English (en) is not reviewed: ")
        + r"(\d+) strings of the emergency card are unreviewed \(\1 fuzzy, 0 missing, 0 without a valid review, "
        + re.escape(
            "0 changed since review; no review recorded) — a qualified reviewer who did not translate it signs it: "
            'nodkort lang review en --reviewer "Name, role" (docs/translating.md); '
            "until then render with --draft for a watermarked draft\n"
        ),
        result.output,
    ), result.output
    assert not out.exists()
    result = run("batch", str(order), "-o", str(out), "--draft", "--quiet", data=data_copy)
    assert (result.exit_code, result.output) == (0, "")
    assert "UTKAST" in page_text((out / "V-1" / "emergency-en-wallet.pdf").read_bytes(), 0)


def test_numbers_due_for_verification_print_with_a_warning(tmp_path: Path, run: Run, data_copy: Path) -> None:
    import datetime
    import re

    due = (datetime.date.today() - datetime.timedelta(days=14 * 31)).isoformat()
    for toml in (data_copy / "cards").rglob("*.toml"):
        text = toml.read_text(encoding="utf-8")
        toml.write_text(re.sub(r"(?m)^checked = \d{4}-\d\d-\d\d", f"checked = {due}", text), encoding="utf-8")
    order = tmp_path / "orders.csv"
    order.write_text(ORDER.splitlines()[0] + "\n" + ORDER.splitlines()[1] + "\n", encoding="utf-8")
    result = run("batch", str(order), "-o", str(tmp_path / "print"), "--quiet", data=data_copy)
    assert result.exit_code == 0, result.output
    # One warning for each contact of the emergency card, each naming its file, line and where to check it.
    national = re.escape(str(data_copy / "cards" / "contacts" / "national.toml"))
    warning = (
        rf"Warning: {national}:\d+ \[\w+\]: .+ was checked at its source on {due}, 14 months ago "
        r"\(re-verify every 12 months\)"
        r" — check it at https?://\S+ and update 'checked'"
    )
    lines = result.output.splitlines()
    assert len(lines) == 6
    for line in lines:
        assert re.fullmatch(warning, line), line


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["sheet", "emergency", "--count", "10", "--paper", "90x60"],
            "Error: [--paper 90x60]: the emergency/wallet card (85.60 × 53.98 mm, bleed 0 mm) does not fit on "
            "90 × 60 mm with room for its crop marks and slug line — use paper of at least 104 × 76 mm (A4, A3 or "
            "SRA3, or --paper WIDTHxHEIGHT)\n",
        ),
        (
            ["batch", "ORDER", "-o", "OUT", "--draft", "--paper", "90x60"],
            "Error: [--paper 90x60]: the emergency/wallet card (85.60 × 53.98 mm, bleed 0 mm) does not fit on "
            "90 × 60 mm with room for its crop marks and slug line — use paper of at least 104 × 76 mm (A4, A3 or "
            "SRA3, or --paper WIDTHxHEIGHT)\n",
        ),
        (["batch", "ORDER", "-o", "OUT", "--bleed", "nan"], "Error: Invalid value for '--bleed': nan is not between"),
        (["sheet", "emergency", "--count", "10", "--bleed", "inf"], "Error: Invalid value for '--bleed': inf is not"),
        (["sheet", "emergency", "--count", "10000000"], "Error: Invalid value for '--count': 10000000 is not in the"),
        (
            ["sheet", "emergency", "--count", "10", "-o", "DATA/cards/emergency.toml"],
            "Error: [-o DATA/cards/emergency.toml]: DATA/cards/emergency.toml lies in nodkort's data folder "
            "DATA/cards: writing there could overwrite its data — write the output elsewhere, e.g. in a folder of "
            "its own\n",
        ),
    ],
    ids=["sheet-paper-too-small", "batch-paper-too-small", "bleed-nan", "bleed-inf", "count-huge", "o-template"],
)
def test_bad_usage_exits_2_and_writes_nothing(
    args: list[str], message: str, order_file: Path, data_copy: Path, tmp_path: Path
) -> None:
    before = tree(data_copy)
    out = tmp_path / "out"
    argv = [{"ORDER": str(order_file), "OUT": str(out)}.get(a, a.replace("DATA", str(data_copy))) for a in args]
    result = CliRunner().invoke(cli, ["--data", str(data_copy), *argv])
    output = result.output.replace(str(data_copy), "DATA")
    assert result.exit_code == 2, output
    assert message in output
    assert tree(data_copy) == before and not out.exists()


def test_output_paths_that_cannot_be_used_are_clean_errors(order_file: Path, tmp_path: Path) -> None:
    plain = tmp_path / "plain-file"
    plain.write_text("not a folder")
    code, output = batch(str(order_file), "-o", str(plain / "print"))
    assert (code, output) == (
        1,
        f"Error: {plain / 'print'}: the path runs through {plain}, which is a file, not a folder — choose an output "
        "folder whose path holds only folders\n",
    )
    out = tmp_path / "print"
    out.mkdir()
    (out / "K-1").write_text("a note where the order's folder goes")
    code, output = batch(str(order_file), "-o", str(out), "--force")
    assert (code, output) == (
        1,
        f"Error: {out / 'K-1'}: a file stands where the folder of order K-1 goes — move or delete that file, or "
        "choose an empty output folder\n",
    )
    assert sorted(p.name for p in out.iterdir()) == ["K-1"]


def test_a_folder_left_with_only_a_temporary_file_is_resumed(order_file: Path, reference: Path, tmp_path: Path) -> None:
    """Killed while the first manifest was being written: the folder holds only its hidden temporary file."""
    out = tmp_path / "print"
    out.mkdir()
    (out / ".manifest.json.x1y2.part").write_text('{"nodkort": ')
    code, output = batch(str(order_file), "-o", str(out), "--resume")
    assert (code, output) == (0, summary(out))
    assert tree(out) == tree(reference)


def test_a_hang_up_leaves_no_hidden_partial_file(order_file: Path, reference: Path, tmp_path: Path) -> None:
    out = tmp_path / "print"
    script = killed_after(6).replace("signal.SIGKILL", "signal.SIGHUP")
    command = [sys.executable, "-c", script, "--data", str(ROOT), "batch", "--draft", str(order_file), "-o", str(out)]
    process = subprocess.run([*command, "--quiet"], capture_output=True, text=True, timeout=300, check=False)
    assert process.returncode == 128 + signal.SIGHUP, process.stderr
    assert [p.name for p in out.rglob(".*")] == []
    code, output = batch(str(order_file), "-o", str(out), "--resume")
    assert (code, output) == (0, summary(out, kept=5))  # K-1 was not complete: made anew
    assert tree(out) == tree(reference)
