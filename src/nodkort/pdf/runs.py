"""Runs: a right-to-left word's glyphs → the text runs render.py draws them in, for a tagged PDF (PDF/UA).

pdfium (pypdfium2 5.15, pdfium 8149; `core/fpdftext/cpdf_textpage.cpp`) reads a word's /ActualText at one
of its runs: it gathers a line's runs while each stands within a fraction of a glyph's width of the height of
the last, sorts each such group by place, gives the word's text to the first run of the word it meets, and
reads that text right to left only when that run holds a right-to-left letter. So a run that holds only a
question mark from another face turns the word, and a Nastaliq word whose first run is a raised letter or a
mark breaks the line there. Nothing here changes a pixel: each glyph keeps its place and colour, only the
order and the grouping of the runs that draw it change. docs/accessibility.md has the measurements.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from nodkort.pdf.marked import right_to_left
from nodkort.text.fonts import shown_text
from nodkort.text.shaping import Glyph


def glyph_text(glyph: Glyph) -> str:
    """What a glyph says in the PDF's text layer (ToUnicode): its character, or the text its private code
    stands for ("" for a dot or mark whose cluster another glyph says)."""
    shown = shown_text(glyph.face.ttf.face.name.decode("latin-1"), ord(glyph.char))
    return glyph.char if shown is None else shown


def apart(glyphs: Sequence[Glyph], pieces: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """`pieces` (marked.words) with the punctuation a right-to-left word ends with as a piece of its own
    when it comes from another face than the word's letters (the question mark after Yiddish letters): drawn
    in the word, it is the word's leftmost run, with no right-to-left letter. Drawn apart, it says itself."""
    out: list[tuple[int, int, str]] = []
    for start, end, word in pieces:
        letters = [g for g in glyphs[start:end] if right_to_left(glyph_text(g))]
        split = start
        while word and letters and split < end - 1:
            text = glyph_text(glyphs[split])
            if glyphs[split].face is letters[0].face or not punctuation(text) or not word.endswith(text):
                break
            word = word[: -len(text)]
            split += 1
        if split > start:
            out.append((start, split, ""))
        out.append((split, end, word))
    return out


def punctuation(text: str) -> bool:
    """A mark that reads the same either way (not a bracket, which a right-to-left line turns)."""
    return bool(text) and all(unicodedata.category(c) == "Po" for c in text)


def runs(line: Sequence[Glyph], word: Sequence[Glyph]) -> list[tuple[Glyph, ...]]:
    """The groups of glyphs to draw a right-to-left `word` of `line` in, in order (render.draw_text cuts each
    into runs where glyphs are not at their natural advance). A line in Nastaliq, whose letters step up along
    each word, gets a run a letter, begun with a letter on the baseline; any other word is drawn as it is."""
    if not any(g.dy and not g.dx for g in line):
        return [tuple(word)]
    first = lead(word)
    return letters([*word[first:], *word[:first]])


def lead(glyphs: Sequence[Glyph]) -> int:
    """The glyph to draw first: a letter on the baseline, else any letter; not a mark (placed with dx), a dot
    drawn apart (it says nothing) or a full stop."""
    said = [i for i, g in enumerate(glyphs) if not g.dx and glyph_text(g) and not punctuation(glyph_text(g))]
    return next((i for i in said if not glyphs[i].dy), said[0] if said else 0)


def letters(glyphs: Sequence[Glyph]) -> list[tuple[Glyph, ...]]:
    """`glyphs` cut before each right-to-left letter; what says no letter (a mark, a dot, a full stop) stays
    with the letter before it, or with the first letter when it leads."""
    groups: list[list[Glyph]] = []
    for glyph in glyphs:
        if not groups or (right_to_left(glyph_text(glyph)) and any(right_to_left(glyph_text(g)) for g in groups[-1])):
            groups.append([glyph])
        else:
            groups[-1].append(glyph)
    return [tuple(group) for group in groups]
