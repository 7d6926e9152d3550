"""Shared test helpers: the project's data folder, rendering, and reading back what a PDF shows."""

from __future__ import annotations

import math
import shutil
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner, Result

from nodkort.cli import cli
from nodkort.model import Job
from nodkort.pipeline import render
from nodkort.project import DataDir, Project

Run = Callable[..., Result]
ROOT = Path(__file__).resolve().parents[1]
TESTS = Path(__file__).resolve().parent


@pytest.fixture(scope="session")
def project() -> Project:
    """The repository's own data folder, loaded once."""
    return Project(DataDir.locate(ROOT))


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of cards/ and locales/ (fonts are taken from the package) for tests that edit data."""
    target = tmp_path / "data"
    shutil.copytree(ROOT / "cards", target / "cards")
    shutil.copytree(ROOT / "locales", target / "locales")
    return target


def render_pdf(project: Project, **job: object) -> bytes:
    """Render a job (keyword arguments of Job) and return the PDF bytes."""
    _, pdf = render(project, Job(**job))  # type: ignore[arg-type]
    return pdf


def page_text(pdf: bytes, page: int | None = None) -> str:
    """The text pdfium extracts from one page, or from all pages joined."""
    doc = pdfium.PdfDocument(pdf)
    try:
        indexes = range(len(doc)) if page is None else [page]
        out = []
        for index in indexes:
            textpage = doc[index].get_textpage()
            out.append(textpage.get_text_range())
            textpage.close()
        return "\n".join(out)
    finally:
        doc.close()


def page_count(pdf: bytes) -> int:
    doc = pdfium.PdfDocument(pdf)
    try:
        return len(doc)
    finally:
        doc.close()


def page_size_mm(pdf: bytes, page: int = 0) -> tuple[float, float]:
    doc = pdfium.PdfDocument(pdf)
    try:
        w, h = doc[page].get_size()
        return w * 25.4 / 72, h * 25.4 / 72
    finally:
        doc.close()


def decode_qr(pdf: bytes, page: int, dpi: int = 300) -> list[str]:
    """Every QR code an independent decoder (zxing-cpp) reads on a page rendered at `dpi`."""
    import zxingcpp

    doc = pdfium.PdfDocument(pdf)
    try:
        image = doc[page].render(scale=dpi / 72).to_pil().convert("L")
    finally:
        doc.close()
    return [r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode]


def normalise(text: str) -> str:
    """Collapse whitespace (including no-break spaces) so wrapped lines compare as one string."""
    return " ".join(text.replace("\u00a0", " ").replace("\u2060", "").split())


@pytest.fixture
def run() -> Run:
    """Invoke the CLI like a user would: run('render', 'emergency', ...) → click Result."""

    def invoke(*args: str, data: Path | None = None) -> Result:
        prefix = ["--data", str(data)] if data else ["--data", str(ROOT)]
        return CliRunner().invoke(cli, [*prefix, *args], catch_exceptions=False)

    return invoke


def page_chars(pdf: bytes, page: int = 0, upright: bool = False) -> list[tuple[float, float, str]]:
    """Every character drawn on a page with its origin (x, y) in points; spaces pdfium infers are left out, and
    with `upright` the characters drawn at an angle (a draft's diagonal watermark, which crosses the lines)."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    doc = pdfium.PdfDocument(pdf)
    try:
        textpage = doc[page].get_textpage()
        out = []
        x, y = ctypes.c_double(), ctypes.c_double()
        for index in range(textpage.count_chars()):
            if pdfium_c.FPDFText_IsGenerated(textpage, index):
                continue
            if upright and abs(math.sin(pdfium_c.FPDFText_GetCharAngle(textpage, index))) > 0.1:
                continue
            pdfium_c.FPDFText_GetCharOrigin(textpage, index, x, y)
            out.append((x.value, y.value, chr(pdfium_c.FPDFText_GetUnicode(textpage, index))))
        textpage.close()
        return out
    finally:
        doc.close()


def tofu(pdf: bytes) -> list[str]:
    """Every place a PDF draws glyph 0 (.notdef, the empty box): an embedded subset font whose character map
    points a code at glyph 0, or a drawn character that maps to no glyph at all (pdfium reads it as U+0000)."""
    import ctypes
    import io

    import pypdfium2.raw as pdfium_c
    from fontTools.ttLib import TTFont

    found: set[str] = set()
    doc = pdfium.PdfDocument(pdf)
    try:
        for number, page in enumerate(doc):
            for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT]):
                font = pdfium_c.FPDFTextObj_GetFont(obj.raw)
                name = ctypes.create_string_buffer(256)
                pdfium_c.FPDFFont_GetBaseFontName(font, name, 256)
                size = ctypes.c_size_t()
                pdfium_c.FPDFFont_GetFontData(font, None, 0, ctypes.byref(size))
                data = (ctypes.c_uint8 * size.value)()
                pdfium_c.FPDFFont_GetFontData(font, data, size.value, ctypes.byref(size))
                subset = TTFont(io.BytesIO(bytes(data)))
                if any(subset.getGlyphID(g) == 0 for t in subset["cmap"].tables for g in t.cmap.values()):
                    found.add(f"page {number + 1}: {name.value.decode()} maps a code to .notdef")
    finally:
        doc.close()
    for number in range(page_count(pdf)):
        if any(char in "\x00\ufffd" for _, _, char in page_chars(pdf, number)):
            found.add(f"page {number + 1}: a character with no glyph")
    return sorted(found)


TRANSLATOR = "Tove Translator"  # the Last-Translator of every catalog write_catalog makes
REVIEWER = "Rut Reviewer, authorised translator"  # a second person: her review counts


def review(run: Run, data: Path, code: str, *extra: str, reviewer: str = REVIEWER) -> Result:
    """Sign a catalog with `nodkort lang review`, as a reviewer does after reading the list."""
    return run("lang", "review", code, "--reviewer", reviewer, "--yes", *extra, data=data)


def write_catalog(
    data: Path, code: str, words: list[str], fuzzy: bool = True, skip: frozenset[str] = frozenset()
) -> Path:
    """A test catalog for `code` in a data folder: every string of the cards as `words` (as many as the Swedish
    has), placeholders, ** pairs and lines kept; fuzzy unless told otherwise. Contexts in `skip` are left out."""
    import re

    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    from nodkort.data.templates import PLACEHOLDER
    from nodkort.i18n.extract import messages

    def filler(source: str) -> str:
        out = []
        for piece in re.split(r"(\{[A-Za-z0-9_.]+\}|\*\*|\n)", source):
            if not piece.strip() or PLACEHOLDER.fullmatch(piece) or piece == "**":
                out.append(piece)
                continue
            count = len(piece.split())
            out.append(
                " " * piece.startswith(" ")
                + " ".join(words[i % len(words)] for i in range(count))
                + " " * (piece.endswith(" ") and count > 0)
            )
        return "".join(out)

    catalog = Catalog(locale=None, domain="nodkort")
    catalog.mime_headers = [
        ("Language", code),
        ("Last-Translator", f"{TRANSLATOR} <translator@example.org>"),
        ("Content-Type", "text/plain; charset=utf-8"),
    ]
    for message in messages(data / "cards"):
        if message.context in skip:
            continue
        catalog.add(message.msgid, filler(message.msgid), context=message.context, flags=["fuzzy"] if fuzzy else [])
    path = data / "locales" / code / "LC_MESSAGES" / "nodkort.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog)
    return path
