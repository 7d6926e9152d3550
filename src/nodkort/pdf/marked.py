"""Marked content: the tags of laid-out lines → marked-content operators, and a record of what each page tags.

render.py wraps what it draws in these operators when a tagged PDF (PDF/UA) is asked for; structure.py then
builds the structure tree from the record. Plain values and strings only: no drawing, no PDF library.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from nodkort.layout.primitives import Path

# A line's part is marked /Span: poppler takes /ActualText only from a Span, and the structure tree, not
# the marked-content tag, says what the part is (ISO 32000-1 §14.9.4).
TEXT_TAG = "Span"


@dataclass(frozen=True)
class Content:
    """One marked-content sequence on a page, and the structure element it belongs to."""

    mcid: int
    field: str  # the template field it comes from: with the path, the identity of its element on the page
    path: Path  # ((role, index), ...) from the field's element down; a figure's is (("Figure", 0),)
    text: str  # what it says, in logical order (a figure: "")
    lang: str = ""  # BCP 47, when not the document's language
    alt: str = ""  # a figure's alternative text
    bbox: tuple[float, float, float, float] | None = None  # a figure's bounds on the page, in points
    part: int = -1  # the first MCID of the part it belongs to: a right-to-left part is one sequence a word


@dataclass
class Marked:
    """What every page tags, in drawing order (which is the template's field order: the reading order)."""

    pages: list[list[Content]] = field(default_factory=list)

    def new_page(self) -> None:
        self.pages.append([])

    def add(
        self,
        where: str,
        path: Path,
        text: str,
        lang: str = "",
        alt: str = "",
        bbox: tuple[float, float, float, float] | None = None,
        part: int = -1,
    ) -> int:
        """Record a sequence of field `where` on the current page (of the part begun by MCID `part`); its MCID."""
        page = self.pages[-1]
        page.append(Content(len(page), where, path, text, lang, alt, bbox, part if part >= 0 else len(page)))
        return len(page) - 1


def pdf_text(text: str) -> str:
    """A PDF text string in UTF-16BE with its byte-order mark, as a hex string: any script, nothing to escape."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def right_to_left(text: str) -> bool:
    """Whether `text` has a right-to-left letter (Arabic, Hebrew script): its part is drawn word by word."""
    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)


def by_piece(text: str, rtl_line: bool) -> bool:
    """Whether a part is drawn piece by piece (`words`): a right-to-left part, and a number on a right-to-left
    card (a table's number cell: said whole, pdfium reads its digit groups right to left). A Latin name on a
    right-to-left card is said whole: poppler reads it in order only so."""
    return right_to_left(text) or (rtl_line and not any(c.isalpha() for c in text))


def begin_text(mcid: int, text: str, lang: str) -> str:
    """A part of a line. A part drawn as it is says its text here; a part drawn piece by piece (`by_piece`)
    says it in its structure element (structure.py) and piece by piece inside (`begin_word`)."""
    language = f" /Lang {pdf_text(lang)}" if lang else ""
    said = "" if right_to_left(text) else f" /ActualText {pdf_text(text)}"
    return f"/{TEXT_TAG} <</MCID {mcid}{language}{said}>> BDC"


def words(texts: list[str], clusters: list[int], part: str) -> list[tuple[int, int, str]]:
    """A right-to-left part's glyphs (what each says, its cluster; left to right) cut into pieces: (start, end,
    the word in logical order) for a right-to-left word, (start, end, "") for spaces and for a left-to-right
    island (`islands`: digits, Latin letters), whose glyphs stand in the order they are read.

    pdfium and poppler both read a line's glyphs left to right and reverse its right-to-left runs, each its
    own way (`for_pdfium`, `for_poppler`): for a word with a mark or punctuation inside, no one text suits
    both. So render.py says a word twice, nested: the outer marked content holds the glyphs and the text for
    pdfium, which takes the innermost /ActualText of each glyph; the inner holds the text for poppler, which
    replaces the outer text with the inner as soon as the inner begins, over one inkless space stretched
    across the word, which pdfium skips (it ignores text without width). Each piece is a marked-content
    sequence of its own, with its MCID: poppler's structure reader ends a sequence at the first EMC inside it.
    Readers that follow the structure read the part's text from its structure element, in logical order
    (structure.py); docs/accessibility.md has the measurements.
    """
    said = {c: t for t, c in zip(texts, clusters, strict=True) if t}  # a cluster's text, by its carrier
    kinds = directions([said.get(c, "") for c in clusters], clusters)
    pieces: list[list[int]] = []  # [start, end, 1 for a right-to-left word]
    for i, kind in enumerate(kinds):
        rtl = int(kind == "rtl")
        if pieces and pieces[-1][2] == rtl and kind != "space" and kinds[i - 1] != "space":
            pieces[-1][1] = i + 1
        else:
            pieces.append([i, i + 1, rtl])
    pieces = islands(pieces, kinds)
    rtl_pieces = [p for p in reversed(pieces) if p[2]]  # logical order
    logical = spelled(["".join(texts[i] for i in reversed(range(p[0], p[1]))) for p in rtl_pieces], part)
    said_as = {id(p): w for p, w in zip(rtl_pieces, logical, strict=True)}
    return [(p[0], p[1], said_as.get(id(p), "")) for p in pieces]


def islands(pieces: list[list[int]], kinds: list[str]) -> list[list[int]]:
    """Left-to-right pieces with only spaces between them joined into one, an island ("+46 8 405 50 05",
    "Rätt att välja"): its glyphs stand left to right in the order they are read, so it is said as one text
    (`for_pdfium_island`); apart, pdfium would read its words right to left as it does a right-to-left line's."""
    out: list[list[int]] = []
    for piece in pieces:
        if not piece[2] and kinds[piece[0]] != "space":
            back = len(out)
            while back > 0 and not out[back - 1][2] and kinds[out[back - 1][0]] == "space":
                back -= 1
            if 0 < back < len(out) and not out[back - 1][2]:
                out[back - 1][1] = piece[1]
                del out[back:]
                continue
        out.append(piece)
    return out


def directions(texts: list[str], clusters: list[int] | None = None) -> list[str]:
    """How each glyph of a right-to-left part reads, from its text, left to right: "space", "ltr" (digits,
    Latin letters, a hyphen between Latin letters, a sign or separator in a number: "UD-jouren", "+46",
    "020-50") or "rtl" (letters, marks, other punctuation); a dot drawn apart (no text) goes with its letter.
    These are the Unicode bidi rules W4, W5 and N1 for what a card's lines hold. Where `clusters` (each
    glyph's place in the text) show that the text runs left to right through a punctuation mark between
    two left-to-right glyphs, it reads left to right ("BRIS، 18": the bidi algorithm made the number Latin)."""
    kinds = [_kind(text) for text in texts]
    strong = [i for i, kind in enumerate(kinds) if kind in ("ltr", "rtl")]
    for i, text in enumerate(texts):
        if kinds[i] != "neutral":
            continue
        before = next((j for j in reversed(strong) if j < i), -1)
        after = next((j for j in strong if j > i), -1)
        ltr_both = min(before, after) >= 0 and kinds[before] == kinds[after] == "ltr"
        if clusters and ltr_both and clusters[before] < clusters[i] < clusters[after]:  # read left to right
            kinds[i] = "ltr"
            continue
        left = next((texts[j] for j in reversed(range(i)) if kinds[j] != "neutral"), "")
        right = next((texts[j] for j in range(i + 1, len(texts)) if kinds[j] != "neutral"), "")
        sides = {unicodedata.bidirectional(left[-1:] or " "), unicodedata.bidirectional(right[:1] or " ")}
        classes = {unicodedata.bidirectional(c) for c in text}
        latin = sides == {"L"}
        number = sides <= {"EN", "AN"} and classes <= {"ES", "CS"}
        sign = classes <= {"ET", "ES"} and unicodedata.bidirectional(right[:1] or " ") in ("EN", "AN")
        kinds[i] = "ltr" if latin or number or sign else "rtl"
    return kinds


def _kind(text: str) -> str:
    if not text:
        return "rtl"
    if text.isspace():
        return "space"
    if any(unicodedata.bidirectional(c) in ("R", "AL") for c in text):
        return "rtl"
    if any(unicodedata.bidirectional(c) in ("L", "EN", "AN") for c in text):
        return "ltr"
    return "neutral"


def spelled(words: list[str], part: str) -> list[str]:
    """`words` (in logical order) with the format characters `part` spells them with (a zero-width non-joiner
    inside a Persian word): shaping draws no glyph for them, so the glyphs alone do not say them."""
    out: list[str] = []
    at = 0
    for word in words:
        start = part.find(word[:1], at) if word else -1
        i, found = start, ""
        for c in word:
            while 0 <= i < len(part) and part[i] != c and unicodedata.category(part[i]) == "Cf":
                found += part[i]
                i += 1
            if i < 0 or i >= len(part) or part[i] != c:
                break
            found += c
            i += 1
        else:
            if start >= 0:
                out.append(found)
                at = i
                continue
        out.append(word)
    return out


def for_pdfium(word: str) -> str:
    """A right-to-left word as pdfium must be told it: inside one /ActualText, pdfium reverses each run of
    right-to-left letters and each run of marks and punctuation in place, keeping the runs' order (measured
    with pdfium 8149), and turns brackets; so each run is given reversed and each bracket turned."""
    runs = _runs(word, _pdfium_class)
    said = "".join(run if kind == "L" else run[::-1].translate(_MIRROR) for run, kind in runs)
    # A piece of punctuation alone (the full stop after "112"): pdfium would join it to the number beside it
    # (both weak), and the two come back in the wrong order; between right-to-left marks it is a run of its own.
    return said if any(kind in ("R", "L") for _, kind in runs) else RLM + said + RLM


def for_pdfium_island(text: str) -> str:
    """A left-to-right island of a right-to-left line as pdfium must be told it (measured with pdfium 8149;
    docs/accessibility.md). pdfium reverses the order of a right-to-left line's runs, and reads a line left to
    right when it holds as many Latin runs as right-to-left ones ("في Köping"). So an island's runs are given in
    reverse order, brackets turned, with as many right-to-left marks as Latin runs: one before each Latin run but
    the first, and one at the end, where it also keeps what follows right to left (a bracket). One more, and
    pdfium would read the island itself as right-to-left text and turn its letters ("gnipöK"); one right after
    a Latin run, and it would take the hyphen of "UD‑jouren" for right-to-left text. A number has no Latin run
    and reads as it stands."""
    runs = _runs(text, _island_class)
    latin = [i for i, (_, kind) in enumerate(runs) if kind == "L"]
    if not latin:
        return text
    said = "".join(RLM + run if i in latin[1:] else run for i, (run, _) in enumerate(runs)) + RLM
    return "".join(run.translate(_MIRROR) if kind == "N" else run for run, kind in reversed(_runs(said, _island_class)))


def _runs(text: str, kind_of: Callable[[str], str]) -> list[tuple[str, str]]:
    """`text` cut where the kind of its characters changes: (run, kind) in order."""
    runs: list[tuple[str, str]] = []
    for c in text:
        kind = kind_of(c)
        if runs and runs[-1][1] == kind:
            runs[-1] = (runs[-1][0] + c, kind)
        else:
            runs.append((c, kind))
    return runs


def _island_class(c: str) -> str:
    """pdfium's four directions (core/fxcrt/fx_bidi.cpp): L (letters), R, weak (digits, signs and separators
    in numbers, marks, format characters) and the rest."""
    bidi = unicodedata.bidirectional(c)
    if bidi == "L":
        return "L"
    if bidi in ("R", "AL"):
        return "R"
    return "W" if bidi in ("EN", "AN", "NSM", "CS", "ES", "ET", "BN") else "N"


def _pdfium_class(c: str) -> str:
    """pdfium's three directions (core/fxcrt/fx_bidi.cpp, CFX_BidiChar): L (with numbers), R, and the rest."""
    bidi = unicodedata.bidirectional(c)
    return "R" if bidi in ("R", "AL") else "L" if bidi in ("L", "EN", "AN") else "N"


def for_poppler(word: str) -> str:
    """A right-to-left word as poppler must be told it: poppler reverses the whole word, brackets unturned.

    poppler counts a dash or bracket that begins a word, or a comma or full stop that ends it ("المقاطعة،"
    before "010-224 96 00"), with the Latin letters or digits beside it in the line; a right-to-left mark
    between them keeps it with the word."""
    said = word[::-1]
    if word and unicodedata.bidirectional(word[0]) not in ("R", "AL"):
        said += RLM
    if word and unicodedata.bidirectional(word[-1]) not in ("R", "AL", "NSM"):
        said = RLM + said  # and a comma or full stop that ends it stays with it, not with a number beside it
    return said


RLM = "\u200f"
_MIRROR = str.maketrans("()[]{}<>«»‹›", ")(][}{><»«›‹")


def begin_word(text: str, mcid: int = -1, lang: str = "") -> str:
    """A word's marked content (`words`): with an MCID and language when it is a sequence of its own."""
    tagged = f"/MCID {mcid} " if mcid >= 0 else ""
    language = f"/Lang {pdf_text(lang)} " if lang else ""
    said = f"/ActualText {pdf_text(text)}" if text else ""
    return f"/{TEXT_TAG} <<{tagged}{language}{said}>> BDC"


def begin_figure(mcid: int) -> str:
    return f"/Figure <</MCID {mcid}>> BDC"


def watermark() -> str:
    """A line of the draft watermark: an artifact, its glyphs said as nothing to pdfium (a noncharacter,
    which pdfium skips); render.py nests the words it shows inside, for poppler."""
    return f"/Artifact <</Type /Pagination /Subtype /Watermark>> BDC /{TEXT_TAG} <</ActualText {pdf_text(SKIP)}>> BDC"


SKIP = "\ufffe"

# What glyphs drawn apart from their word say (marked.words' dots and marks, render.py): nothing, to pdfium
# (no printable character) and to poppler (which writes U+FFFD for U+FFFE, and nothing for U+0000).
NOTHING = "\x00"


WATERMARK_END = "EMC EMC"


ARTIFACT = "/Artifact BMC"
END = "EMC"
