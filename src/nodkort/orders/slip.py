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
DRAFT = "draft"

# Swedish heading, English heading, x from the left margin in points, right-aligned
COLUMNS = (
    ("Fil", "file", 0.0, False),
    ("Sidor", "pages", 160.0, True),
    ("Kort", "card", 166.0, False),
    ("Språk", "language", 210.0, False),
    ("Format", "format", 300.0, False),
    ("Variant", "variant", 338.0, False),
    ("Antal", "cards", 418.0, True),
    ("Ark", "sheets", 450.0, True),
    ("Papper", "paper", 458.0, False),
)


@dataclass(frozen=True)
class SlipRow:
    file: str
    pages: str  # where the row's sheets are in its file: "7–12" (several rows share a file with --combine)
    card: str
    language: str
    format: str
    variant: str
    cards: int
    sheets: int
    paper: str
    draft: bool = False  # watermarked: unreviewed translations, not for distribution


@dataclass(frozen=True)
class Slip:
    order: str
    school: str
    municipality: str
    data: str  # card versions and data fingerprint
    rows: tuple[SlipRow, ...]


def _number(value: int) -> str:
    return f"{value:,}".replace(",", " ")  # Swedish thousands: a space


def sheet_totals(rows: tuple[SlipRow, ...]) -> tuple[str, str]:
    """The totals line in Swedish and English: cards, and sheets per paper (sheets of two sizes do not add)."""
    papers: dict[str, int] = {}
    for row in rows:
        papers[row.paper] = papers.get(row.paper, 0) + row.sheets
    cards = sum(r.cards for r in rows)
    swedish = [f"{_number(n)} ark {paper}" for paper, n in papers.items()]
    english = [f"{_number(n)} {paper} sheet{'s' if n != 1 else ''}" for paper, n in papers.items()]
    return (
        f"Totalt {_number(cards)} kort på {_and(swedish, 'och')}",
        f"Total {_number(cards)} card{'s' if cards != 1 else ''} on {_and(english, 'and')}",
    )


def _and(parts: list[str], word: str) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} {word} {parts[-1]}"


def fit_lines(text: str, size: float, face: Face, width: float, smallest: float = 7.0) -> list[tuple[str, float]]:
    """A line that shrinks to fit `width`, down to `smallest`, then wraps at spaces: nothing runs off the page."""
    while face.string_width(text, size) > width and size > smallest:
        size = max(smallest, size - 0.5)
    lines: list[tuple[str, float]] = []
    current = ""
    for word in text.split(" "):
        trial = f"{current} {word}" if current else word
        if current and face.string_width(trial, size) > width:
            lines.append((current, size))
            current = word
        else:
            current = trial
    lines.append((current, size))
    return lines


def render_slip(slip: Slip, regular: Face, bold: Face) -> bytes:
    """The slip as PDF bytes; a long order continues on further pages under a repeated table head."""
    pages: list[tuple[list[Label], list[Stroke]]] = []
    labels: list[Label] = []
    strokes: list[Stroke] = []

    def cell(text: str, x: float, y: float, face: Face, right: bool, size: float = SIZE, room: float = 0.0) -> None:
        while room and face.string_width(text, size) > room and size > 4.5:  # a long name shrinks in its column
            size -= 0.25
        x = LEFT + x - (face.string_width(text, size) if right else 0)
        labels.append(Label(text, x, y, size, face.name))

    def table_head(y: float) -> float:
        for swedish, english, x, right in COLUMNS:
            cell(swedish, x, y, bold, right)
            cell(english, x, y - 8, regular, right, 6.5)
        strokes.append(Stroke(LEFT, y - 11.5, A4[0] - LEFT, y - 11.5))
        return y - 11.5 - STEP

    y = TOP
    heading = [
        ("Följesedel – packing slip", 15.0, bold),
        (f"Beställning / order: {slip.order}", 10.0, regular),
        (f"Skola / school: {slip.school}", 10.0, regular),
        (f"Kommun / municipality: {slip.municipality}", 10.0, regular),
        (f"Data: {slip.data}", 8.0, regular),
    ]
    if any(row.draft for row in slip.rows):
        heading.append(
            (f"UTKAST: filer märkta '{DRAFT}' har vattenstämpel, ogranskad översättning – ej för utdelning", 9.0, bold)
        )
        heading.append(
            (
                f"DRAFT: files marked '{DRAFT}' are watermarked, translations not reviewed – not for distribution",
                8.0,
                regular,
            )
        )
    for text, size, font in heading:
        lines = fit_lines(text, size, font, A4[0] - 2 * LEFT)
        for i, (line, fitted) in enumerate(lines):
            labels.append(Label(line, LEFT, y, fitted, font.name))
            y -= (size if i == len(lines) - 1 else fitted) * 1.6  # the next heading keeps its distance
    y = table_head(y - 10)
    for row in slip.rows:
        if y < BOTTOM + 3 * STEP:
            pages.append((labels, strokes))
            labels, strokes = [], []
            y = table_head(TOP)
        values = (
            row.file,
            row.pages,
            row.card,
            row.language,
            row.format,
            f"{row.variant} · {DRAFT}" if row.draft else row.variant,
            _number(row.cards),
            _number(row.sheets),
            row.paper,
        )
        for i, (value, (_, _, x, right)) in enumerate(zip(values, COLUMNS, strict=True)):
            nxt = COLUMNS[i + 1] if i + 1 < len(COLUMNS) else None
            room = (nxt[2] - (16.0 if nxt[3] else 0.0) - x - 4.0) if nxt and not right else (A4[0] - 2 * LEFT - x)
            cell(value, x, y, regular, right, room=room if not right else 0.0)
        y -= STEP
    strokes.append(Stroke(LEFT, y + STEP - 3.5, A4[0] - LEFT, y + STEP - 3.5))
    swedish, english = sheet_totals(slip.rows)
    labels.append(Label(swedish, LEFT, y - 6, 9.0, bold.name))
    labels.append(Label(english, LEFT, y - 16, 7.0, regular.name))
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
