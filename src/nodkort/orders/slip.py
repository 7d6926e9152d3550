"""Packing slip: an order's rows and counts → a plain A4 PDF that goes into the box with the cards.

Swedish first, English under it, as a school coordinator in Sweden reads it. Only Latin text (school names
are checked against the face before anything is written), so lines are placed as they are, without the card
text engine. Nothing on the slip changes from one run to the next: no date, only the data version.
"""

from __future__ import annotations

from dataclasses import dataclass

from nodkort.impose.marks import Stroke
from nodkort.model import MM
from nodkort.pdf.document import Label, render_labels
from nodkort.text.fonts import Face

A4 = (210 * MM, 297 * MM)
LEFT = 20 * MM
TOP = A4[1] - 22 * MM
BOTTOM = 22 * MM
STEP = 11.0  # points between table rows
SIZE = 8.0

# Swedish heading, English heading, x from the left margin in points, right-aligned
COLUMNS = (
    ("Fil", "file", 0.0, False),
    ("Kort", "card", 140.0, False),
    ("Språk", "language", 192.0, False),
    ("Format", "format", 300.0, False),
    ("Variant", "variant", 338.0, False),
    ("Antal", "cards", 418.0, True),
    ("Ark", "sheets", 450.0, True),
    ("Papper", "paper", 458.0, False),
)


@dataclass(frozen=True)
class SlipRow:
    file: str
    card: str
    language: str
    format: str
    variant: str
    cards: int
    sheets: int
    paper: str


@dataclass(frozen=True)
class Slip:
    order: str
    school: str
    municipality: str
    data: str  # card versions and data fingerprint
    rows: tuple[SlipRow, ...]


def _number(value: int) -> str:
    return f"{value:,}".replace(",", " ")  # Swedish thousands: a space


def render_slip(slip: Slip, regular: Face, bold: Face) -> bytes:
    """The slip as PDF bytes; a long order continues on further pages under a repeated table head."""
    pages: list[tuple[list[Label], list[Stroke]]] = []
    labels: list[Label] = []
    strokes: list[Stroke] = []

    def cell(text: str, x: float, y: float, face: Face, right: bool, size: float = SIZE) -> None:
        x = LEFT + x - (face.string_width(text, size) if right else 0)
        labels.append(Label(text, x, y, size, face.name))

    def table_head(y: float) -> float:
        for swedish, english, x, right in COLUMNS:
            cell(swedish, x, y, bold, right)
            cell(english, x, y - 8, regular, right, 6.5)
        strokes.append(Stroke(LEFT, y - 11.5, A4[0] - LEFT, y - 11.5))
        return y - 11.5 - STEP

    y = TOP
    for text, size, font in (
        ("Följesedel – packing slip", 15.0, bold),
        (f"Beställning / order: {slip.order}", 10.0, regular),
        (f"Skola / school: {slip.school}", 10.0, regular),
        (f"Kommun / municipality: {slip.municipality}", 10.0, regular),
        (f"Data: {slip.data}", 8.0, regular),
    ):
        labels.append(Label(text, LEFT, y, size, font.name))
        y -= size * 1.6
    y = table_head(y - 10)
    for row in slip.rows:
        if y < BOTTOM + 3 * STEP:
            pages.append((labels, strokes))
            labels, strokes = [], []
            y = table_head(TOP)
        values = (
            row.file,
            row.card,
            row.language,
            row.format,
            row.variant,
            _number(row.cards),
            _number(row.sheets),
            row.paper,
        )
        for value, (_, _, x, right) in zip(values, COLUMNS, strict=True):
            cell(value, x, y, regular, right)
        y -= STEP
    strokes.append(Stroke(LEFT, y + STEP - 3.5, A4[0] - LEFT, y + STEP - 3.5))
    cards = sum(r.cards for r in slip.rows)
    sheets = sum(r.sheets for r in slip.rows)
    labels.append(Label(f"Totalt {_number(cards)} kort på {_number(sheets)} ark", LEFT, y - 6, 9.0, bold.name))
    labels.append(Label(f"Total {_number(cards)} cards on {_number(sheets)} sheets", LEFT, y - 16, 7.0, regular.name))
    labels.append(
        Label(
            "Kontrollsummor (SHA-256) för varje fil / checksums of every file: manifest.json",
            LEFT,
            y - 34,
            7.0,
            regular.name,
        )
    )
    pages.append((labels, strokes))
    return render_labels(pages, A4[0], A4[1], regular.name, f"Följesedel {slip.order}")
