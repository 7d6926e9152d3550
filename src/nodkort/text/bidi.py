"""Bidi: text and a paragraph level → the resolved embedding level of every character (UAX #9).

python-bidi does rules X1–I2 but asserts on isolates (tech.md §1); the isolates are resolved here, around it.
"""

from __future__ import annotations

import unicodedata

from bidi import algorithm as uba

LRI, RLI, FSI, PDI = "\u2066", "\u2067", "\u2068", "\u2069"
# How the text around an isolate sees it (UAX #9 X6a, N1): one neutral character; its content is hidden
# from that pass by a boundary-neutral character, which rule X9 removes.
_OUTSIDE, _HIDDEN = "\ufffc", "\u2060"


def _uba(text: str, base: int) -> tuple[list[int | None], list[int | None]]:
    """python-bidi's rules X1–I2 on text without isolates: (resolved, explicit) levels; None where X9 removes."""
    storage = uba.get_empty_storage()
    storage["base_level"] = base
    storage["base_dir"] = "R" if base % 2 else "L"
    uba.get_embedding_levels(text, storage, upper_is_rtl=False, debug=False)
    for index, char in enumerate(storage["chars"]):
        char["idx"] = index
    uba.explicit_embed_and_overrides(storage)
    explicit: list[int | None] = [None] * len(text)
    for char in storage["chars"]:
        explicit[char["idx"]] = char["level"]
    uba.resolve_weak_types(storage)
    uba.resolve_neutral_types(storage, False)
    uba.resolve_implicit_levels(storage, False)
    resolved: list[int | None] = [None] * len(text)
    for char in storage["chars"]:
        resolved[char["idx"]] = char["level"]
    return resolved, explicit


def _isolates(text: str) -> list[tuple[int, int]]:
    """Outermost isolates: (index of the initiator, index of its PDI or len(text) if unterminated)."""
    found: list[tuple[int, int]] = []
    depth = start = 0
    for index, char in enumerate(text):
        if char in (LRI, RLI, FSI):
            if depth == 0:
                start = index
            depth += 1
        elif char == PDI and depth:
            depth -= 1
            if depth == 0:
                found.append((start, index))
    if depth:
        found.append((start, len(text)))
    return found


def _first_strong_rtl(text: str) -> bool:
    """Rules P2–P3 for an FSI: the first strong character outside nested isolates decides."""
    depth = 0
    for char in text:
        if char in (LRI, RLI, FSI):
            depth += 1
        elif char == PDI:
            depth = max(0, depth - 1)
        elif depth == 0 and (kind := unicodedata.bidirectional(char)) in ("L", "R", "AL"):
            return kind != "L"
    return False


def levels(text: str, base: int) -> list[int]:
    """The resolved bidi level of every character at paragraph level `base`, isolates included.

    python-bidi asserts on isolates (tech.md §1), so each outermost isolate is resolved in two passes: the text
    around it sees one neutral character (X6a, N1), and its content is a paragraph of its own at the level the
    initiator opens (X5a–X5c). Characters that rule X9 removes take their neighbour's level, so that they never
    split a run.
    """
    spans = _isolates(text)
    masked = list(text)
    for a, b in spans:
        masked[a] = _OUTSIDE
        masked[a + 1 : b + 1] = _HIDDEN * (min(b + 1, len(text)) - a - 1)
    resolved, explicit = _uba("".join(masked), base)
    for a, b in spans:
        opened = explicit[a]
        outer = base if opened is None else opened
        rtl = text[a] == RLI or (text[a] == FSI and _first_strong_rtl(text[a + 1 : b]))
        inner = outer + 1 if (outer % 2 == 0) == rtl else outer + 2
        resolved[a + 1 : b] = levels(text[a + 1 : b], inner)
        if b < len(text):
            resolved[b] = resolved[a]
    out: list[int] = []
    for level in resolved:
        out.append(level if level is not None else (out[-1] if out else base))
    return out
