"""Sheet PDF: an imposition → its forms drawn once (render.py) + pages that place them, written page by page.

reportlab keeps every page in memory until it saves (about 3 KB a page, twice that while saving): 100,000
cards would take hundreds of megabytes. So reportlab writes only the forms, each once, and this module
writes the pages of the imposed file straight to the output, one at a time: memory stays flat whatever the
number of sheets. The forms PDF's objects are copied byte for byte under their own numbers; only its page
tree object is replaced, by one that lists the new pages (reportlab's placeholder page is left unreferenced).
A page holds nothing but placements (`q <matrix> cm /Xn Do Q`), so no drawing happens here.
"""

from __future__ import annotations

import zlib
from array import array
from collections.abc import Iterable, Mapping
from typing import BinaryIO

from nodkort.impose.imposition import Imposition, SheetPage
from nodkort.pdf.render import render_forms
from nodkort.pdf.reportlab_internals import split_pdf
from nodkort.pdf.standards import Meta, Standard, apply_forms

# Rotation part of the placement matrix, counter-clockwise about the form's origin.
_ROTATION: dict[int, tuple[int, int, int, int]] = {0: (1, 0, 0, 1), 90: (0, 1, -1, 0), 180: (-1, 0, 0, -1)}


def num(value: float) -> str:
    """A PDF number: at most three decimals, never an exponent, never '-0'."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


class _Out:
    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.pos = 0

    def write(self, data: bytes) -> None:
        self.stream.write(data)
        self.pos += len(data)


def write_sheets(forms_pdf: bytes, numbers: Mapping[str, int], pages: Iterable[SheetPage], out: BinaryIO) -> int:
    """Write the print file to `out`; return the number of pages. `numbers`: form name → object number."""
    src = split_pdf(forms_pdf)
    sink = _Out(out)
    first_new = max(src.objects) + 1
    offsets = array("Q", bytes(8 * first_new))
    sink.write(src.header)
    for number in sorted(src.objects):
        if number != src.pages:
            offsets[number] = sink.pos
            sink.write(src.objects[number])

    # One resource dictionary, shared by every page: the forms under short names.
    names = {form: f"X{i}" for i, form in enumerate(numbers)}
    resources = first_new
    offsets.append(sink.pos)
    entries = " ".join(f"/{names[form]} {number} 0 R" for form, number in numbers.items())
    sink.write(f"{resources} 0 obj\n<< /XObject << {entries} >> >>\nendobj\n".encode())

    kids = array("Q")
    for page in pages:
        ops = []
        for p in page.placements:
            a, b, c, d = _ROTATION[p.angle]
            ops.append(f"q {a} {b} {c} {d} {num(p.x)} {num(p.y)} cm /{names[p.form]} Do Q")
        content = zlib.compress("\n".join(ops).encode(), 6)
        number = len(offsets)
        offsets.append(sink.pos)
        sink.write(b"%d 0 obj\n<< /Filter /FlateDecode /Length %d >>\nstream\n" % (number, len(content)))
        sink.write(content)
        sink.write(b"\nendstream\nendobj\n")
        box = f"[0 0 {num(page.width)} {num(page.height)}]"
        offsets.append(sink.pos)
        kids.append(number + 1)
        sink.write(
            f"{number + 1} 0 obj\n<< /Type /Page /Parent {src.pages} 0 R /MediaBox {box} /TrimBox {box} "
            f"/BleedBox {box} /Resources {resources} 0 R /Contents {number} 0 R >>\nendobj\n".encode()
        )

    # The page tree takes the number of the one it replaces, so the catalog needs no change.
    offsets[src.pages] = sink.pos
    sink.write(b"%d 0 obj\n<< /Type /Pages /Count %d /Kids [" % (src.pages, len(kids)))
    for start in range(0, len(kids), 1000):
        sink.write(" ".join(f"{k} 0 R" for k in kids[start : start + 1000]).encode() + b" ")
    sink.write(b"] >>\nendobj\n")

    xref_at = sink.pos
    sink.write(b"xref\n0 %d\n0000000000 65535 f \n" % len(offsets))
    for start in range(1, len(offsets), 1000):
        sink.write(b"".join(b"%010d 00000 n \n" % o for o in offsets[start : start + 1000]))
    sink.write(
        b"trailer\n<< /ID %s %s %s /Size %d >>\nstartxref\n%d\n%%%%EOF\n"
        % (src.ident, src.info, src.root, len(offsets), xref_at)
    )
    return len(kids)


def write_pdf(
    imposition: Imposition, out: BinaryIO, title: str, discreet: bool, standard: Standard = "none", lang: str = "mul"
) -> int:
    """Draw the forms once, then stream the pages to `out`; returns the number of pages.

    With `standard` "x" the forms PDF is made PDF/X-4 before its objects are copied (pdf/standards.py): its
    catalog and document information already carry what the standard asks of the whole file.
    """
    forms_pdf, numbers = render_forms(
        imposition.forms(), imposition.mark_sets(), imposition.labels(), imposition.font.name, title, discreet
    )
    if standard == "x":
        forms_pdf, numbers = apply_forms(forms_pdf, numbers, Meta(title, lang))
    return write_sheets(forms_pdf, numbers, imposition.pages(), out)
