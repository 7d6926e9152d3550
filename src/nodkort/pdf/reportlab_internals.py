"""reportlab internals: the few private parts of reportlab nodkort relies on, together and explained here.

Everything else calls these functions, so a reportlab upgrade that moves one of them breaks in this module
only. (The shaped-glyph codes a face gains are registered by text/fonts.py, which owns the faces.)

- A form's resources: reportlab writes them without /ExtGState, so a form that sets an opacity needs its
  own resource dictionary (`end_form`).
- Form object numbers: pdf/sheets.py places forms by object number, which only the document knows
  (`form_numbers`).
- The written file's layout: one revision, a classic cross-reference table, no object streams
  (`split_pdf`), so that pdf/sheets.py can copy the objects and write its own pages and table.
- The ToUnicode map: reportlab knows characters, not glyphs, so a shaped glyph drawn through a private-use
  code must be mapped back to the text it shows (`makeToUnicodeCMap`, replaced once on import).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.pdfbase import ttfonts
from reportlab.pdfbase.pdfdoc import PDFResourceDictionary, xObjectName
from reportlab.pdfgen.canvas import Canvas

from nodkort.errors import OutputError
from nodkort.text.fonts import shown_text


def end_form(canvas: Canvas) -> None:
    """End a form, giving it the graphics states (the draft watermark's opacity) it uses.

    reportlab writes a form's resources without /ExtGState, so a form that sets an opacity would name a
    state its resources lack; its own resource dictionary, given here, carries them.
    """
    states = canvas._extgstate.getState()
    if states is None:
        canvas.endForm()
        return
    resources = PDFResourceDictionary()
    resources.basicFonts()
    resources.ExtGState = states
    canvas.endForm(Resources=resources)


def form_numbers(canvas: Canvas, names: Sequence[str]) -> dict[str, int]:
    """The object number of each named form, once the canvas is saved."""
    numbers = canvas._doc.idToObjectNumberAndVersion
    return {name: numbers[xObjectName(name)][0] for name in names}


@dataclass(frozen=True)
class Source:
    """The parts of a reportlab PDF that are reused: its objects, and the trailer's references."""

    header: bytes
    objects: dict[int, bytes]
    pages: int  # number of the page tree object
    root: bytes  # "/Root n 0 R" and the like, copied into a new trailer
    info: bytes
    ident: bytes


def split_pdf(pdf: bytes) -> Source:
    """Split a reportlab PDF (one revision, a classic xref table, no object streams) into its objects."""
    tail = re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", pdf)
    xref_at = int(tail.group(1)) if tail else -1
    head = re.compile(rb"xref\s+0 (\d+)\s+").match(pdf, xref_at) if tail else None
    if head is None:
        raise OutputError("the forms PDF has no cross-reference table (an unexpected reportlab version?)")
    size = int(head.group(1))
    table = pdf[head.end() : head.end() + 20 * size]
    offsets = {n: int(table[20 * n : 20 * n + 10]) for n in range(1, size) if table[20 * n + 17 : 20 * n + 18] == b"n"}
    ordered = sorted(offsets, key=offsets.__getitem__)
    ends = [offsets[n] for n in ordered[1:]] + [xref_at]
    objects = {n: pdf[offsets[n] : end] for n, end in zip(ordered, ends, strict=True)}
    trailer = pdf[head.end() + 20 * size :]
    root = re.search(rb"/Root (\d+) 0 R", trailer)
    info = re.search(rb"/Info \d+ 0 R", trailer)
    ident = re.search(rb"/ID\s*(\[<[0-9a-fA-F]+>\s*<[0-9a-fA-F]+>\])", trailer)
    if root is None or info is None or ident is None:
        raise OutputError("the forms PDF's trailer lacks /Root, /Info or /ID")
    pages = re.search(rb"/Pages (\d+) 0 R", objects[int(root.group(1))])
    if pages is None:
        raise OutputError("the forms PDF's catalog has no page tree")
    return Source(
        pdf[: min(offsets.values())],
        objects,
        int(pages.group(1)),
        root.group(0),
        info.group(0),
        ident.group(1),
    )


_original_cmap = ttfonts.makeToUnicodeCMap


def _to_unicode_cmap(fontname: str, subset: Sequence[int]) -> str:
    """reportlab's ToUnicode CMap, with each private code mapped to the text its glyph shows."""
    cmap = str(_original_cmap(fontname, subset))
    postscript = fontname.split("+", 1)[-1]
    for index, code in enumerate(subset):
        text = shown_text(postscript, code)
        if text is not None:
            # A dot or mark glyph whose character the cluster's main glyph already gives reads as a word
            # joiner: invisible, ignorable, and unlike an empty target every reader accepts it.
            target = (text or "\u2060").encode("utf-16-be").hex().upper()
            cmap = cmap.replace(f"<{index:02X}> <{code:04X}>", f"<{index:02X}> <{target}>")
    return cmap


# reportlab looks the function up in its module each time it writes a font, so replacing it here is enough;
# every canvas nodkort makes comes from pdf/render.py, which imports this module.
ttfonts.makeToUnicodeCMap = _to_unicode_cmap
