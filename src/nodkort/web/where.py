"""Where a string sits: a msgctxt → the card side it is printed on, rendered from the real PDF, with the
string's box outlined in the preview image (never in the PDF), for the reviewer reading it in the page.
"""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

from nodkort.errors import NodkortError
from nodkort.model import Box, Card, Format, Job, Side, TextField, Variant
from nodkort.project import Project

HIGHLIGHT = (230, 0, 90)  # a magenta no card uses
DPI = 60
_sides: dict[tuple[int, Job, float], tuple[list[str], list[Image.Image], bool]] = {}


def field_of(proj: Project, context: str) -> tuple[Card, Format, Side, TextField] | None:
    """The first text field that prints `context` (a card's title is metadata: it has no box)."""
    for card_id in proj.card_ids:
        card = proj.card(card_id)
        for fmt in card.formats.values():
            for side in fmt.sides:
                for field in side.fields:
                    if isinstance(field, TextField) and field.context == context:
                        return card, fmt, side, field
    return None


def pixel_box(box: Box, height: float, dpi: float) -> tuple[int, int, int, int]:
    """A box in points from the lower-left trim corner → (left, top, right, bottom) pixels of the page image."""
    s = dpi / 72
    return round(box.x * s), round((height - box.top) * s), round(box.right * s), round((height - box.y) * s)


def highlighted(proj: Project, code: str, context: str, dpi: float = DPI) -> bytes:
    """PNG of the side `context` sits on in language `code` (a draft), its box outlined; b"" when it has no box
    or the side cannot be laid out (the review list says why)."""
    from nodkort.data.regions import has_verified_number
    from nodkort.pdf.preview import pages
    from nodkort.pipeline import render

    found = field_of(proj, context)
    if found is None:
        return b""
    card, fmt, side, field = found
    place = None
    if card.needs_municipality:
        verified = (m.name for r in proj.regions.values() for m in r.region.municipalities if has_verified_number(m))
        place = next(verified, None)
    variant: Variant = "discreet" if field.show == "discreet" else "plain"
    job = Job(card.id, code, fmt.name, variant, place, draft=True)
    key = (id(proj), job, dpi)
    if key not in _sides:  # a review list asks for the same few sides again and again
        try:
            laid, pdf = render(proj, job)
        except NodkortError:
            return b""
        if len(_sides) > 32:
            _sides.clear()
        _sides[key] = ([s.name for s in laid.sides], pages(pdf, dpi), laid.language.direction == "rtl")
    names, images, rtl = _sides[key]
    if side.name not in names:
        return b""
    image = images[names.index(side.name)].copy()
    box = field.box.mirrored(fmt.width) if rtl else field.box
    left, top, right, bottom = pixel_box(box, fmt.height, dpi)
    ImageDraw.Draw(image).rectangle((left - 2, top - 2, right + 2, bottom + 2), outline=HIGHLIGHT, width=3)
    out = io.BytesIO()
    Image.Image.save(image, out, format="PNG", optimize=False)
    return out.getvalue()
