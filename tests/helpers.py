"""Helpers several test modules share that are not fixtures: editing a catalog as a translator would, checking
it with gettext's own tool, finding the cards placed on an imposed sheet, and walking a tagged PDF's structure
tree. Not a test module: test modules import from here, never from each other."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from nodkort.data.directory import Directory
from nodkort.layout.context import Context
from nodkort.layout.primitives import TextLine
from nodkort.layout.text_field import text_field
from nodkort.model import MM, Box, Side, TextField
from nodkort.project import Project

WALLET = (85.60 * MM, 53.98 * MM)
Box4 = tuple[float, float, float, float]  # x0, y0, x1, y1 in points


def set_msgstr(path: Path, context: str, text: str, fuzzy: bool = False) -> None:
    """Translate one string the way an editor does: fill its msgstr, optionally flag it fuzzy."""
    lines = path.read_text(encoding="utf-8").split("\n")
    start = lines.index(f'msgctxt "{context}"')
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("msgstr "))
    quoted = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    lines[end] = f'msgstr "{quoted}"'
    if fuzzy:
        lines.insert(start, "#, fuzzy")
    path.write_text("\n".join(lines), encoding="utf-8")


def msgfmt_check(path: Path) -> subprocess.CompletedProcess[str]:
    """GNU msgfmt's verdict on a catalog: an independent check that it is valid gettext."""
    return subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True, check=False
    )


def card_boxes(pdf: bytes, page: int, size: tuple[float, float]) -> list[tuple[Box4, bool]]:
    """Trim box and 180° rotation of every card placed on a page, from each form's placement matrix."""
    doc = pdfium.PdfDocument(pdf)
    try:
        out = []
        for obj in doc[page].get_objects(max_depth=1):
            left, bottom, right, top = obj.get_bounds()
            if (
                obj.type != pdfium_c.FPDF_PAGEOBJ_FORM
                or not size[0] / 2 < right - left < size[0] + 7 * MM
                or not size[1] / 2 < top - bottom < size[1] + 7 * MM
            ):
                continue  # the marks form spans the block of cards; slug pieces are small
            m = obj.get_matrix()
            rotated = m.a < 0
            x0, y0 = (m.e - size[0], m.f - size[1]) if rotated else (m.e, m.f)
            out.append(((x0, y0, x0 + size[0], y0 + size[1]), rotated))
        return out
    finally:
        doc.close()


def struct_elements(element: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
    """A structure element and every element under it, depth first (a tagged PDF's reading order)."""
    kids = element.K if isinstance(element.K, pikepdf.Array) else [element.K]
    found = [element]
    for kid in kids:
        if isinstance(kid, pikepdf.Dictionary):
            found += struct_elements(kid)
    return found


def lay_text(project: Project, field: TextField, box: Box, floor: float, lang: str) -> list[TextLine]:
    """One text field laid out alone on the emergency wallet card at `floor`, in `lang`, msgids as written."""
    card = project.card("emergency")
    ctx = Context(
        card,
        replace(card.formats["wallet"], floor=floor),
        project.language(lang),
        "plain",
        project.fonts,
        lambda _c, msgid, _k: msgid,
        Directory(project.national, None, None),
        project.pictograms,
        f"v1 {lang}",
    )
    items, _ = text_field(field, box, ctx, Side("front", (field,)))
    return [item for item in items if isinstance(item, TextLine)]
