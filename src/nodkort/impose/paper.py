"""Paper: a `--paper` value (A4, A3, SRA3 or WIDTHxHEIGHT in mm) → a sheet size in points."""

from __future__ import annotations

import re
from dataclasses import dataclass

from nodkort.errors import Location, Problem, UsageError
from nodkort.model import MM

PAPERS_MM = {"A4": (210.0, 297.0), "A3": (297.0, 420.0), "SRA3": (320.0, 450.0)}


@dataclass(frozen=True)
class Paper:
    name: str
    width: float  # points
    height: float


def paper(text: str) -> Paper:
    """A4, A3, SRA3 (any case), or WIDTHxHEIGHT in millimetres such as 330x488."""
    key = text.strip().upper()
    if key in PAPERS_MM:
        w, h = PAPERS_MM[key]
        return Paper(key, w * MM, h * MM)
    match = re.fullmatch(r"(\d+(?:[.,]\d+)?)\s*[X×*]\s*(\d+(?:[.,]\d+)?)\s*(?:MM)?", key)
    if match:
        w, h = (float(g.replace(",", ".")) for g in match.groups())
        if 0 < w <= 2000 and 0 < h <= 2000:
            return Paper(f"{match.group(1)}x{match.group(2)} mm", w * MM, h * MM)
    raise UsageError(
        Problem(Location(), f"unknown paper '{text}'", "use A4, A3, SRA3 or WIDTHxHEIGHT in mm (for example 330x488)")
    )
