"""Inkless text: what extraction tools read in a tagged PDF (PDF/UA) and no one sees.

render.py draws a right-to-left word's glyphs as they are and, beside them, text without ink that tells
pdfium and poppler how to read them (marked.py, `words`; docs/accessibility.md has the measurements).
Nothing here changes a pixel.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.pdfgen.canvas import Canvas

from nodkort.layout.primitives import TextLine
from nodkort.pdf.marked import right_to_left
from nodkort.pdf.runs import glyph_text
from nodkort.text.shaping import Glyph

INVISIBLE = 3  # text render mode: neither fill nor stroke
FAR = 1000.0  # points: a divider's distance below its line
LEAD_SCALE = 2.0  # per cent: a lead letter a fiftieth of its width, still wider than pdfium's epsilon


def anchor(canvas: Canvas, line: TextLine, glyphs: Sequence[Glyph]) -> None:
    """An inkless space stretched over `glyphs`: where poppler places their text (marked.py, `words`)."""
    first, last = glyphs[0], glyphs[-1]
    x0 = line.x + first.x * line.size
    x1 = line.x + (last.x + last.advance) * line.size
    face = first.face
    space = face.width_units(" ") * line.size * face.scale / 1000
    text = canvas.beginText()
    text.setFont(face.name, line.size * face.scale)
    text.setHorizScale(100 * max(x1 - x0, 0.01) / space)
    text.setTextOrigin(x0, line.y)
    text.textOut(" ")
    text.setHorizScale(100)
    canvas.drawText(text)


def lead(canvas: Canvas, line: TextLine, on_line: Sequence[Glyph], glyphs: Sequence[Glyph]) -> None:
    """An invisible, narrow copy of one of a right-to-left word's letters on the baseline, just left of the
    word's glyphs on it (`on_line`; render.py draws the others apart): the run pdfium reads the word at.

    pdfium sorts a line's text runs by where they begin, reads a word's /ActualText at its leftmost run, and
    reads it right to left only when that run's own glyphs say more right-to-left letters than others. The
    leftmost run may begin with a bracket ("السويدية)" is drawn "(السويدية"), or hold Nastaliq glyphs whose
    codes say no letter, and the word came back with its letters reversed; the lead says one letter."""
    letter = next((g for g in glyphs if right_to_left(glyph_text(g))), None)
    if letter is None:
        return
    left = min(on_line or glyphs, key=lambda g: g.x + g.dx)
    _narrow(canvas, line, letter, line.x + (left.x + left.dx) * line.size - 0.01, line.y)


def divider(canvas: Canvas, line: TextLine) -> None:
    """An invisible, narrow glyph far below `line`: pdfium gathers a line's text runs while each stands near the
    height of the last, so what is drawn after a divider is never sorted in among what was drawn before it.
    The glyph is one of the line's that says something: a dot's outline alone might be too narrow to count."""
    glyph = next((g for g in line.glyphs if glyph_text(g).strip()), line.glyphs[0])
    _narrow(canvas, line, glyph, line.x, line.y - FAR)


def _narrow(canvas: Canvas, line: TextLine, glyph: Glyph, x: float, y: float) -> None:
    """`glyph` drawn invisible at (x, y), a fiftieth of its width: something pdfium reads, and no one sees."""
    face = glyph.face
    text = canvas.beginText()
    text.setTextRenderMode(INVISIBLE)
    text.setFont(face.name, line.size * face.scale)
    text.setHorizScale(LEAD_SCALE)
    text.setTextOrigin(x, y)
    text.textOut(glyph.char)
    text.setHorizScale(100)
    text.setTextRenderMode(0)
    canvas.drawText(text)
