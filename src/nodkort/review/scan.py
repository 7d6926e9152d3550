"""Scan: laid-out cards → rendered pages at 150 dpi → QR codes decoded by an independent reader, compared.

The QR matrix comes from segno and is drawn by render.py; reading it back with zxing-cpp from pixels
(pdf/preview.py, pdfium) proves the whole chain — payload, matrix, module size, quiet zone, drawing — and not
only that segno was called. zxing-cpp is the optional extra `verify` (`pip install 'nodkort[verify]'`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from types import ModuleType

from nodkort.errors import Location, Problem, UsageError
from nodkort.impose.marks import PageSetup
from nodkort.layout.primitives import QrCode
from nodkort.layout.side import LaidCard
from nodkort.pdf.preview import pages as page_images
from nodkort.pdf.render import render_card
from nodkort.project import Project

DPI = 150  # a phone camera sees a wallet card at about this resolution; 0.4 mm modules are 2.4 px wide


def decoder() -> ModuleType:
    """zxing-cpp, or a clear usage error naming the extra that installs it."""
    try:
        import zxingcpp
    except ImportError:
        raise UsageError(
            "`nodkort check --scan` reads QR codes with zxing-cpp, which is not installed: "
            "pip install 'nodkort[verify]'"
        ) from None
    return zxingcpp


def decode_pages(pdf: bytes, dpi: int = DPI) -> list[list[str]]:
    """The text of every QR code zxing-cpp reads on each page."""
    zxing = decoder()
    pages = []
    for image in page_images(pdf, dpi, "L"):
        found = zxing.read_barcodes(image)
        pages.append([r.text for r in found if r.format == zxing.BarcodeFormat.QRCode])
    return pages


def _key(laid: LaidCard) -> tuple[object, ...]:
    """Two cards whose QR codes sit in the same place with the same payload render the same symbols."""
    codes = tuple(
        tuple((q.payload, q.x, q.y, q.module) for q in side.items if isinstance(q, QrCode)) for side in laid.sides
    )
    return laid.card.id, laid.format.name, codes


def scan_cards(project: Project, cards: Sequence[LaidCard], dpi: int = DPI) -> tuple[list[Problem], int]:
    """Render each distinct QR layout once and compare what is read with what was laid out.

    Returns the problems and the number of pages scanned. Cards are rendered without the draft watermark:
    the scan checks what a final card would carry.
    """
    decoder()
    problems: list[Problem] = []
    seen: set[tuple[object, ...]] = set()
    pages = 0
    for laid in cards:
        key = _key(laid)
        if key in seen or not any(isinstance(i, QrCode) for s in laid.sides for i in s.items):
            continue
        seen.add(key)
        font = project.fonts.face(laid.language.fonts[0], "regular").name
        decoded = decode_pages(render_card(laid, PageSetup(), font), dpi)
        pages += len(decoded)
        for side, found in zip(laid.sides, decoded, strict=True):
            expected = [i for i in side.items if isinstance(i, QrCode)]
            missing = Counter(q.payload for q in expected) - Counter(found)
            for code in expected:
                if missing[code.payload] <= 0:
                    continue
                missing[code.payload] -= 1
                where = Location(
                    laid.card.path,
                    key=f"{laid.card.id}/{laid.format.name}/{side.name}/{code.field}",
                    scope=laid.language.code + (f", {laid.municipality}" if laid.municipality else ""),
                )
                seen_text = "; ".join(repr(t) for t in found) or "nothing"
                what = f"the QR code does not read back at {dpi} dpi: expected {code.payload!r}, read {seen_text}"
                fix = "enlarge the QR box or shorten the payload (tel:, short URL); keep the quiet zone clear"
                problems.append(Problem(where, what, fix))
    return problems, pages
