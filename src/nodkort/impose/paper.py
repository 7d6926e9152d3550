"""Paper: a `--paper` value (A4, A5, A3, SRA3, Letter or WIDTHxHEIGHT in mm) → a sheet size in points."""

from __future__ import annotations

import re
from dataclasses import dataclass

from nodkort.errors import Location, Problem, UsageError
from nodkort.model import MM

# ISO 216 A sizes, SRA3 (ISO 217: A3 with room for bleed and grippers, a digital press's usual sheet) and
# US Letter (8.5 × 11 in), which print shops abroad and some office printers still load.
PAPERS_MM = {
    "A5": (148.0, 210.0),
    "A4": (210.0, 297.0),
    "A3": (297.0, 420.0),
    "SRA3": (320.0, 450.0),
    "LETTER": (215.9, 279.4),
}
NAMES = {"LETTER": "Letter", "US LETTER": "Letter"}
NAMED = "A4, A5, A3, SRA3, Letter"


@dataclass(frozen=True)
class Paper:
    name: str
    width: float  # points
    height: float


def paper(text: str) -> Paper:
    """A named size (any case) or WIDTHxHEIGHT in millimetres such as 330x488."""
    key = " ".join(text.strip().upper().split())
    key = "LETTER" if key in ("US LETTER", "LETTER", "US-LETTER") else key
    if key in PAPERS_MM:
        w, h = PAPERS_MM[key]
        return Paper(NAMES.get(key, key), w * MM, h * MM)
    match = re.fullmatch(r"(\d+(?:[.,]\d+)?)\s*[X×*]\s*(\d+(?:[.,]\d+)?)\s*(?:MM)?", key)
    if match:
        w, h = (float(g.replace(",", ".")) for g in match.groups())
        if 0 < w <= 2000 and 0 < h <= 2000:
            return Paper(f"{match.group(1)}x{match.group(2)} mm", w * MM, h * MM)
    raise UsageError(
        Problem(Location(), f"unknown paper '{text}'", f"use {NAMED} or WIDTHxHEIGHT in mm (for example 330x488)")
    )
