"""Fonts: fonts/fonts.toml → loaded faces (reportlab for embedding, HarfBuzz for shaping) and glyph coverage.

Only the bundled TrueType files are ever used: no system font, and never reportlab's unembedded Helvetica.
A face is registered with reportlab once per process, on its first use for drawing or shaping (reportlab's
font registry is global); what the glyph gate asks, a face's character coverage, is read from its cmap once, as
a set, by HarfBuzz alone. fontTools is not needed at run time.

reportlab writes characters, not glyphs: a shaped glyph without a character of its own (an Arabic initial
form, a lam-alef ligature) is written as a private-use code that maps to it. Each such code stands for one
glyph showing one text, and the PDF's ToUnicode map says that text, so the card's words can be copied,
searched and read aloud as written instead of as private-use characters (pdf/reportlab_internals.py writes
that map from `shown_text`).
"""

from __future__ import annotations

import struct
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import uharfbuzz as hb

from nodkort.data.fonttable import load_font_table
from nodkort.errors import DataError, GlyphError, Location, Problem
from nodkort.model import Weight

# Characters that never need a glyph of their own: bidi controls, joiners and other format characters
# are consumed by the bidi algorithm or by shaping.
IGNORABLE_CATEGORIES = {"Cf", "Cc"}


@dataclass(eq=False)  # identity semantics: a face is cached and compared by object
class Face:
    """One font file, as reportlab embeds it and as HarfBuzz shapes it."""

    family: str
    weight: Weight
    path: Path
    hb_font: Any  # uharfbuzz.Font at units-per-em scale
    upem: int
    cmap: frozenset[int]
    ascent: float  # in em of the nominal size (the size factor applied)
    descent: float  # in em of the nominal size, positive
    # Drawn at nominal size × scale: fonts.toml's size factor, so that scripts look alike at one nominal size.
    scale: float = 1.0
    # fonts.toml's leading factor: lines set in this face are spaced this much further apart than the style says.
    leading: float = 1.0
    _private: dict[tuple[int, str], str] = field(default_factory=dict)
    _next_private: int = 0xE000
    # The family has no bold cut (the CJK face): bold is drawn by stroking the outlines as well as filling them.
    synthetic_bold: bool = False

    @property
    def ttf(self) -> Any:
        """The reportlab TTFont, registered on first use: a face only checked for coverage never needs it."""
        return _register(self.path)[1]

    @property
    def name(self) -> str:
        """The reportlab font name (registering the face)."""
        return _register(self.path)[0]

    def has(self, char: str) -> bool:
        return ord(char) in self.cmap

    def char_for(self, gid: int, text: str) -> str:
        """The character reportlab must write to draw glyph `gid` where it shows `text` (may be empty)."""
        charmap = self.ttf.face.charToGlyph
        if len(text) == 1 and charmap.get(ord(text)) == gid:
            return text
        key = (gid, text)
        if key not in self._private:
            self._private[key] = _allocate(self, gid, text)
        return self._private[key]

    def width_units(self, char: str) -> float:
        """reportlab's advance of `char`, in 1/1000 em of the drawn size (nominal × scale): what textOut moves by."""
        return float(self.ttf.face.charWidths.get(ord(char), self.ttf.face.defaultWidth))

    def string_width(self, text: str, size: float) -> float:
        """The advance of unshaped `text` at `size` points, as reportlab's drawString moves (slug lines)."""
        return 0.001 * size * sum(self.width_units(char) for char in text)


class FontBook:
    """The bundled families: which face serves which character, for a language's fallback chain."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        table = load_font_table(folder)
        self.files = table.files
        self.size = table.size
        self.leading = table.leading
        self._faces: dict[tuple[str, Weight], Face] = {}
        self._covered: dict[tuple[str, ...], frozenset[int]] = {}

    @property
    def families(self) -> list[str]:
        return sorted({f for f, _ in self.files})

    def face(self, family: str, weight: Weight = "regular") -> Face:
        key = (family, weight)
        if key not in self._faces:
            if key not in self.files:
                raise DataError(
                    Problem(
                        Location(str(self.folder / "fonts.toml"), key=f"families.{family}"),
                        f"no font family '{family}' ({weight})",
                        f"add [families.{family}] with regular and bold files, or use one of: "
                        + ", ".join(self.families),
                    )
                )
            face = _load_face(family, weight, self.files[key], self.size.get(family, 1.0))
            face.leading = self.leading.get(family, 1.0)
            face.synthetic_bold = weight == "bold" and self.files[key] == self.files.get((family, "regular"))
            self._faces[key] = face
        return self._faces[key]

    def chain(self, families: Sequence[str], weight: Weight) -> list[Face]:
        return [self.face(f, weight) for f in families]

    def face_for(self, char: str, families: Sequence[str], weight: Weight) -> Face | None:
        for face in self.chain(families, weight):
            if face.has(char):
                return face
        return None

    def covered(self, families: Sequence[str]) -> frozenset[int]:
        """The characters some face of the chain has in both weights, computed once per chain."""
        key = tuple(families)
        if key not in self._covered:
            regular, bold = (frozenset().union(*(f.cmap for f in self.chain(key, w))) for w in ("regular", "bold"))
            self._covered[key] = regular & bold
        return self._covered[key]

    def missing(self, text: str, families: Sequence[str]) -> list[str]:
        """Characters of `text` that no face of the chain has, in either weight."""
        covered = self.covered(families)
        return [
            char
            for char in dict.fromkeys(text)
            if ord(char) not in covered and char != "\n" and unicodedata.category(char) not in IGNORABLE_CATEGORIES
        ]


def describe_char(char: str) -> str:
    return f"U+{ord(char):04X} {unicodedata.name(char, 'UNNAMED')} ({char!r})"


def glyph_problems(
    book: FontBook, texts: Iterable[tuple[Location, str]], families: Sequence[str], lang: str
) -> list[Problem]:
    """The glyph gate before layout: one problem per string and character that no font can draw.

    Each text comes with where it is written; the problem adds the language it failed for as the scope.
    """
    problems: list[Problem] = []
    for where, text in texts:
        for char in book.missing(text, families):
            problems.append(
                Problem(
                    replace(where, scope=lang),
                    f"no glyph for {describe_char(char)} in fonts {', '.join(families)}",
                    "use a character the fonts have, or add a font family that covers it to the language "
                    "in locales/languages.toml",
                )
            )
    return problems


_REGISTERED: dict[Path, tuple[str, Any]] = {}


def _register(path: Path) -> tuple[str, Any]:
    """(reportlab name, TTFont) of a font file, registered with reportlab once per process."""
    found = _REGISTERED.get(path)
    if found is None:
        # Imported here: commands that only check coverage never load reportlab.
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        name = f"nk-{path.stem}"
        try:
            pdfmetrics.registerFont(TTFont(name, str(path)))
        except Exception as exc:  # reportlab reads tables HarfBuzz did not need: a damaged one shows here
            raise _not_a_font(path, f"reportlab cannot read it: {exc}") from None
        found = _REGISTERED[path] = (name, pdfmetrics.getFont(name))
    return found


_FONT_MAGIC = (b"\x00\x01\x00\x00", b"OTTO", b"true", b"ttcf")


def _not_a_font(path: Path, why: str) -> DataError:
    return DataError(
        Problem(
            Location(str(path)),
            f"is not a usable font file ({why})",
            "copy the .ttf or .otf file again from its source, or fix its name in fonts/fonts.toml",
        )
    )


def _load_face(family: str, weight: Weight, path: Path, scale: float = 1.0) -> Face:
    """A font file → its Face; a text file, a half-copied file or an empty one is a named data error."""
    try:
        with path.open("rb") as file:
            magic = file.read(4)
    except OSError as exc:
        raise _not_a_font(path, f"cannot read it: {exc.strerror}") from None
    if magic not in _FONT_MAGIC:
        raise _not_a_font(path, "it does not start like a TrueType or OpenType font")
    blob = hb.Blob.from_file_path(str(path))
    hb_face = hb.Face(blob)
    hb_font = hb.Font(hb_face)
    upem = int(hb_face.upem)
    hhea = bytes(hb_face.reference_table("hhea").data)
    if hb_face.glyph_count == 0 or len(hhea) < 8 or not hb_face.unicodes:
        raise _not_a_font(path, "its tables are missing or cut short: perhaps a half-copied file")
    # hhea: version (4 bytes), then ascender and descender, signed 16-bit in font units.
    ascender, descender = struct.unpack(">hh", hhea[4:8])
    return Face(
        family=family,
        weight=weight,
        path=path,
        hb_font=hb_font,
        upem=upem,
        cmap=frozenset(hb_face.unicodes),
        ascent=scale * ascender / upem,
        descent=-scale * descender / upem,
        scale=scale,
    )


# --- the text layer of shaped glyphs ----------------------------------------------------------------------

_PRIVATE_FIRST, _PRIVATE_LAST = 0xE000, 0xF8FF
_SHOWS: dict[tuple[str, int], str] = {}  # (PostScript name, private code) → the text its glyph shows


def _allocate(face: Face, gid: int, text: str) -> str:
    """A private-use code for (glyph, text): reportlab draws the glyph, and ToUnicode says the text."""
    rl_face = face.ttf.face
    code = face._next_private
    while code in rl_face.charToGlyph:  # the font's own private-use characters keep theirs
        code += 1
    face._next_private = code + 1
    if code > _PRIVATE_LAST:
        raise GlyphError(
            Problem(
                Location(str(face.path)),
                "more distinct shaped glyphs than private-use codes",
                "render fewer languages in one run",
            )
        )
    rl_face.charToGlyph[code] = gid
    rl_face.glyphToChar.setdefault(gid, []).append(code)
    # reportlab's widths are in 1/1000 em: the glyph's own advance, so text runs advance as drawn.
    rl_face.charWidths[code] = face.hb_font.get_glyph_h_advance(gid) * 1000 / face.upem
    _SHOWS[(rl_face.name.decode("latin-1"), code)] = text
    return chr(code)


def shown_text(postscript: str, code: int) -> str | None:
    """The text that private code `code` of font `postscript` stands for (for the PDF's ToUnicode map)."""
    return _SHOWS.get((postscript, code))
