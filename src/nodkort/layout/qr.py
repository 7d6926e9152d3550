"""QR: a payload (tel:, URL or vCard) → a module matrix, error correction M, never a Micro QR.

segno is used because it returns the plain matrix (drawn by render.py as vector squares) and follows
ISO/IEC 18004; `make_qr` rather than `make`, since many phones cannot read Micro QR (tech.md §4).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import segno

from nodkort.model import MM, Contact

Matrix = tuple[tuple[bool, ...], ...]
QUIET_ZONE = 4  # modules on every side, as ISO/IEC 18004 requires
LEAST_MODULE = 0.4 * MM  # points: the smallest module that still scans from print (tech.md §4)
PREFERRED_MODULE = 0.5 * MM  # points: the module a code in a column keeps before its text shrinks


@lru_cache(maxsize=512)  # the same payload recurs in every format and variant that prints it: encode it once
def matrix(payload: str) -> Matrix:
    code = segno.make_qr(payload, error="m", boost_error=False, encoding="utf-8" if not payload.isascii() else None)
    return tuple(tuple(bool(v) for v in row) for row in code.matrix)


def tel(contact: Contact) -> str:
    return f"tel:{contact.number}"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")


def vcard(name: str, entries: Sequence[tuple[str, Contact]]) -> str:
    """A vCard 3.0 with one telephone number per entry, labelled so a phone shows which is which."""
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"N:{_escape(name)};;;;", f"FN:{_escape(name)}"]
    for index, (label, contact) in enumerate(entries, start=1):
        lines.append(f"item{index}.TEL;TYPE=VOICE:{contact.number}")
        lines.append(f"item{index}.X-ABLabel:{_escape(label)}")
    lines.append("END:VCARD")
    return "\r\n".join(lines) + "\r\n"
