"""Shared test helpers: the project's data folder, rendering, and reading back what a PDF shows."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner, Result

from nodkort.cli import cli
from nodkort.pipeline import DataDir, Job, Project, render

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
