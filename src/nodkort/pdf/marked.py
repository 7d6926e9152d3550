"""Marked content: the tags of laid-out lines → marked-content operators, and a record of what each page tags.

render.py wraps what it draws in these operators when a tagged PDF (PDF/UA) is asked for; structure.py then
builds the structure tree from the record. Plain values and strings only: no drawing, no PDF library.
"""

from __future__ import annotations

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
    ) -> int:
        """Record a sequence of field `where` on the current page; its MCID."""
        page = self.pages[-1]
        page.append(Content(len(page), where, path, text, lang, alt, bbox))
        return len(page) - 1


def pdf_text(text: str) -> str:
    """A PDF text string in UTF-16BE with its byte-order mark, as a hex string: any script, nothing to escape."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def begin_text(mcid: int, text: str, lang: str) -> str:
    language = f" /Lang {pdf_text(lang)}" if lang else ""
    return f"/{TEXT_TAG} <</MCID {mcid}{language} /ActualText {pdf_text(text)}>> BDC"


def begin_figure(mcid: int) -> str:
    return f"/Figure <</MCID {mcid}>> BDC"


def watermark(text: str) -> str:
    """A line of the draft watermark: an artifact, that still copies as the words it shows."""
    said = f" /{TEXT_TAG} <</ActualText {pdf_text(text)}>> BDC" if text else " /Span BMC"
    return f"/Artifact <</Type /Pagination /Subtype /Watermark>> BDC{said}"


WATERMARK_END = "EMC EMC"


ARTIFACT = "/Artifact BMC"
END = "EMC"
