"""Preview: PDF bytes → page images rendered from the real PDF with pdfium; one PNG with every page side by side.

The only module that uses pdfium: the preview command and the QR scan of `nodkort check --scan` both read
pages through `pages`.
"""

from __future__ import annotations

import io
from typing import Literal

import pypdfium2 as pdfium
from PIL import Image


def pages(pdf: bytes, dpi: float = 300, mode: Literal["RGB", "L"] = "RGB") -> list[Image.Image]:
    """Every page of `pdf` as an image at `dpi`, in colour (RGB) or grey (L)."""
    document = pdfium.PdfDocument(pdf)
    try:
        return [page.render(scale=dpi / 72).to_pil().convert(mode) for page in document]
    finally:
        document.close()


def side_by_side(pdf: bytes, dpi: float = 300, gap: int = 24) -> bytes:
    """All sides next to each other on a grey ground, as PNG bytes (deterministic: no metadata)."""
    images = pages(pdf, dpi)
    width = sum(i.width for i in images) + gap * (len(images) + 1)
    height = max(i.height for i in images) + 2 * gap
    sheet = Image.new("RGB", (width, height), (200, 200, 200))
    x = gap
    for image in images:
        sheet.paste(image, (x, gap))
        x += image.width + gap
    out = io.BytesIO()
    sheet.save(out, format="PNG", optimize=False)
    return out.getvalue()
