"""Fonts: fonts/fonts.toml → loaded faces (reportlab for embedding, HarfBuzz for shaping) and glyph coverage.

Only the bundled TrueType files are ever used: no system font, and never reportlab's unembedded Helvetica.
A face is registered once per process; reportlab's font registry is global.
"""

from __future__ import annotations

import tomllib
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import uharfbuzz as hb
from fontTools.ttLib import TTFont as FtFont
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from .errors import DataError, GlyphError, Problem
from .model import Weight

# Characters that never need a glyph of their own: bidi controls, joiners and other format characters
# are consumed by the bidi algorithm or by shaping.
IGNORABLE_CATEGORIES = {"Cf", "Cc"}


@dataclass(eq=False)  # identity semantics: a face is cached and compared by object
class Face:
    """One font file, as reportlab embeds it and as HarfBuzz shapes it."""

    family: str
    weight: Weight
    path: Path
    name: str  # the reportlab font name
    ttf: Any  # reportlab TTFont
    hb_font: Any  # uharfbuzz.Font at units-per-em scale
    upem: int
    cmap: frozenset[int]
    ascent: float  # in em
    descent: float  # in em, positive
    _names: dict[int, str] = field(default_factory=dict)

    def has(self, char: str) -> bool:
        return ord(char) in self.cmap

    def glyph_char(self, gid: int, advance: float) -> str:
        """The character reportlab must write to draw glyph `gid` (a private-use one if no cmap entry has it)."""
        chars = self.ttf.face.glyphToChar.get(gid)
        if chars:
            return chr(chars[0])
        name = self._names.get(gid)
        if name is None:
            name = self._names[gid] = self.hb_font.glyph_to_string(gid)
        return chr(self.ttf.hbAddPrivate(name, gid, advance))

    def width_units(self, char: str) -> float:
        """reportlab's advance of `char`, in 1/1000 em: what textOut moves by."""
        return float(self.ttf.face.charWidths.get(ord(char), self.ttf.face.defaultWidth))


class FontBook:
    """The bundled families: which face serves which character, for a language's fallback chain."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        path = folder / "fonts.toml"
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise DataError(Problem(str(path), f"cannot read the font registry ({exc})")) from None
        self.files: dict[tuple[str, Weight], Path] = {}
        for family, table in (data.get("families") or {}).items():
            for weight in ("regular", "bold"):
                if weight not in table:
                    raise DataError(Problem(f"{path} [families.{family}]", f"missing '{weight}'"))
                file = folder / table[weight]
                if not file.is_file():
                    raise DataError(Problem(f"{path} [families.{family}]", f"font file {file.name} is missing"))
                self.files[(family, weight)] = file  # type: ignore[index]
        self._faces: dict[tuple[str, Weight], Face] = {}

    @property
    def families(self) -> list[str]:
        return sorted({f for f, _ in self.files})

    def face(self, family: str, weight: Weight = "regular") -> Face:
        key = (family, weight)
        if key not in self._faces:
            if key not in self.files:
                raise DataError(f"{self.folder / 'fonts.toml'}: no font family '{family}'")
            self._faces[key] = _load_face(family, weight, self.files[key])
        return self._faces[key]

    def chain(self, families: Sequence[str], weight: Weight) -> list[Face]:
        return [self.face(f, weight) for f in families]

    def face_for(self, char: str, families: Sequence[str], weight: Weight) -> Face | None:
        for face in self.chain(families, weight):
            if face.has(char):
                return face
        return None

    def missing(self, text: str, families: Sequence[str]) -> list[str]:
        """Characters of `text` that no face of the chain has, in either weight."""
        out: list[str] = []
        for char in dict.fromkeys(text):
            if unicodedata.category(char) in IGNORABLE_CATEGORIES or char in "\n":
                continue
            for weight in ("regular", "bold"):
                if self.face_for(char, families, weight) is None:  # type: ignore[arg-type]
                    out.append(char)
                    break
        return out


def describe_char(char: str) -> str:
    return f"U+{ord(char):04X} {unicodedata.name(char, 'UNNAMED')} ({char!r})"


def glyph_problems(
    book: FontBook, texts: Iterable[tuple[str, str]], families: Sequence[str], lang: str
) -> list[Problem]:
    """The glyph gate before layout: one problem per string and character that no font can draw."""
    problems: list[Problem] = []
    for where, text in texts:
        for char in book.missing(text, families):
            problems.append(Problem(
                f"{lang} {where}",
                f"no glyph for {describe_char(char)} in fonts {', '.join(families)}",
                "use a character the fonts have, or add a font family that covers it to the language "
                "in locales/languages.toml",
            ))
    return problems


def raise_glyph_problems(problems: list[Problem]) -> None:
    if problems:
        raise GlyphError(problems)


_REGISTERED: dict[Path, str] = {}


def _load_face(family: str, weight: Weight, path: Path) -> Face:
    name = _REGISTERED.get(path)
    if name is None:
        name = f"nk-{path.stem}"
        pdfmetrics.registerFont(TTFont(name, str(path)))
        _REGISTERED[path] = name
    ttf = pdfmetrics.getFont(name)
    ttf.hbFont(10)  # makes reportlab set up hbAddPrivate for glyphs without a cmap entry
    blob = hb.Blob.from_file_path(str(path))
    hb_face = hb.Face(blob)
    hb_font = hb.Font(hb_face)
    with FtFont(str(path), lazy=True) as ft:
        cmap = frozenset(ft.getBestCmap())
        upem = int(ft["head"].unitsPerEm)
        hhea = ft["hhea"]
    return Face(
        family=family, weight=weight, path=path, name=name, ttf=ttf, hb_font=hb_font, upem=upem, cmap=cmap,
        ascent=hhea.ascent / upem, descent=-hhea.descent / upem,
    )
