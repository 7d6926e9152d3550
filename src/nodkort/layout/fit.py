"""Fit: an attempt to lay out at a size, the style's size and the floor → the result at the largest size that fits.

The one shrink-to-fit loop of nodkort: text fields, QR captions, the stamp and the contacts table all shrink in
quarter points from their style's size down to the format's legibility floor, and fail there with a FitError.
Also the one rule for the height a block of lines needs, which every attempt measures itself against.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from nodkort.errors import FitError
from nodkort.model import Style
from nodkort.text.paragraph import TASTES, Shaped, break_taste

STEP = 0.25  # points: how finely text shrinks towards the floor

R = TypeVar("R")


@dataclass(frozen=True)
class Short:
    """An attempt that did not fit: the height it needed, or None when a word or a row is wider than the box."""

    height: float | None = None


@dataclass(frozen=True)
class Misfit:
    """The last attempt, made at the floor: what a field turns into the FitError that says how much is missing."""

    size: float  # the size of that attempt (points)
    floor: float  # the floor it stopped at: the format's, or the style's own size when that is smaller
    height: float | None  # as in Short


def shrink_to_fit(
    attempt: Callable[[float], R | Short], size: float, floor: float, explain: Callable[[Misfit], FitError]
) -> R:
    """Try `size`, then a quarter point less each time, until an attempt fits or the floor is reached.

    A style set below the floor is tried at its own size only: the floor never enlarges text. Lines break
    with taste first (parentheses and opening hours whole, no one-letter preposition at a line's end): that
    may cost a line, which the text pays for by shrinking. Only when it then fails at the floor are looser
    breaks tried, so that taste never turns text that fits into an error.
    """
    for taste in range(TASTES - 1):
        with break_taste(taste):
            try:
                return _shrink(attempt, size, floor, explain)
            except FitError:
                pass
    with break_taste(TASTES - 1):
        return _shrink(attempt, size, floor, explain)


def _shrink(
    attempt: Callable[[float], R | Short], size: float, floor: float, explain: Callable[[Misfit], FitError]
) -> R:
    floor = min(floor, size)
    while True:
        result = attempt(size)
        if not isinstance(result, Short):
            return result
        if size <= floor + 1e-9:
            raise explain(Misfit(size, floor, result.height))
        # Rounded so that sizes stay exact quarter points and do not drift by repeated subtraction; the last
        # attempt is the floor itself, which is off the quarter-point grid when a size factor divides it.
        size = max(round(size - STEP, 4), floor)


def block_height(
    style: Style, size: float, ascent: float, descent: float, lines: int, blocks: int, leading: float = 1.0
) -> float:
    """Height of `lines` lines in `blocks` paragraphs: the first line's ink top to the last line's ink bottom.

    `leading` is the script's leading factor (fonts.toml), multiplying the style's.
    """
    return size * (ascent + descent + (lines - 1) * style.leading * leading + (blocks - 1) * style.paragraph_gap)


def drawn_floor(floor: float, texts: Iterable[Shaped]) -> tuple[float, float]:
    """(nominal floor, scale): the floor holds for the drawn size, nominal × the face's size factor (fonts.toml).

    Text set larger than Latin may shrink to floor ÷ factor nominal points, where it is drawn at the floor; the
    smallest factor among the faces that draw the texts decides, so that no glyph is drawn under the floor.
    """
    scale = min((t.scale for t in texts), default=1.0)
    return floor / scale, scale


def too_tall(height: float, box_height: float) -> bool:
    """Whether a block overflows its box; the tolerance absorbs rounding, never a visible overflow."""
    return height > box_height + 1e-6
