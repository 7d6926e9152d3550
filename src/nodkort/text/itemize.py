"""Itemisation: text, its weights and a language's font chain → the font face of every character."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import replace
from itertools import pairwise

from nodkort.errors import GlyphError, Location, Problem
from nodkort.model import Language, Weight
from nodkort.text.breaks import graphemes
from nodkort.text.fonts import IGNORABLE_CATEGORIES, Face, FontBook, describe_char

_SPACES = frozenset(" \u00a0\u202f")


def ignorable(char: str) -> bool:
    """A format or control character: it needs no glyph, so it never decides a face."""
    return unicodedata.category(char) in IGNORABLE_CATEGORIES


def itemize(text: str, weights: Sequence[Weight], lang: Language, book: FontBook, where: Location) -> list[Face]:
    """A face per character: each grapheme (a base with its marks) takes the first face that has all of it.

    Spaces and format characters stay in the face before them, so they do not split a run; a mark that no face
    of its base has falls back on its own rather than printing tofu.
    """
    faces: list[Face | None] = [None] * len(text)
    problems: list[Problem] = []
    bounds = graphemes(text)
    previous: Face | None = None
    for a, b in pairwise(bounds):
        cluster = [c for c in text[a:b] if not ignorable(c)]
        weight = weights[a]
        if not cluster or (
            all(c in _SPACES for c in cluster) and previous is not None and all(previous.has(c) for c in cluster)
        ):
            faces[a:b] = [previous] * (b - a)
            continue
        chain = book.chain(lang.fonts, weight)
        face = next((f for f in chain if all(f.has(c) for c in cluster)), None)
        for index in range(a, b):
            char = text[index]
            if face is not None or ignorable(char):
                faces[index] = face or previous
                continue
            own = next((f for f in chain if f.has(char)), None)
            if own is None:
                problems.append(
                    Problem(
                        replace(where, scope=lang.code),
                        f"no glyph for {describe_char(char)} in fonts {', '.join(lang.fonts)}",
                        "add a font family covering it to the language in locales/languages.toml",
                    )
                )
            faces[index] = own
        previous = faces[b - 1] or previous
    if problems:
        raise GlyphError(problems)
    first = next((f for f in faces if f is not None), None) or book.face(lang.fonts[0], "regular")
    out: list[Face] = []
    for face in faces:
        out.append(face or (out[-1] if out else first))
    return out
