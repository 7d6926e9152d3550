"""Render: laid-out sides → PDF pages with reportlab; the only module that draws.

Every colour is DeviceCMYK (the canvas refuses RGB), every font is an embedded subset of a bundled
TrueType file (no unembedded Helvetica: the canvas starts in our own font), pages carry TrimBox and
BleedBox, and output is byte-for-byte reproducible (`invariant`: fixed dates and document ID).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import replace

from reportlab.lib.colors import CMYKColor
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import FILL_EVEN_ODD, Canvas

from nodkort.impose.imposition import FormSide, LabelForm
from nodkort.impose.marks import REGISTRATION, Dashed, Marks, MarkSet, PageSetup, Stroke, card_marks
from nodkort.layout.primitives import Fill, Item, QrCode, Shape, Tag, TextLine
from nodkort.layout.side import LaidCard, LaidSide
from nodkort.layout.watermark import Watermark
from nodkort.model import Box, Cmyk
from nodkort.pdf import inkless
from nodkort.pdf import marked as mc
from nodkort.pdf.marked import Marked
from nodkort.pdf.reportlab_internals import end_form, form_numbers
from nodkort.pdf.runs import apart, glyph_text, runs
from nodkort.text.shaping import Glyph

SYNTHETIC_BOLD = 0.035  # stroke width, in em, that makes a regular face read as bold


def color(c: Cmyk) -> CMYKColor:
    return CMYKColor(c.c, c.m, c.y, c.k)


def draw_text(canvas: Canvas, line: TextLine) -> None:
    """Place shaped glyphs; consecutive glyphs at their natural advance share one text run."""
    canvas.setFillColor(color(line.color))
    if any(g.face.synthetic_bold for g in line.glyphs):
        canvas.setStrokeColor(color(line.color))
        canvas.setLineWidth(line.size * SYNTHETIC_BOLD)
    text = canvas.beginText()
    face = None
    pending = ""
    cursor = 0.0
    run_y = line.y  # the baseline of the pending run: a run that began on a raised glyph stays raised
    size = line.size
    for glyph in line.glyphs:
        px = line.x + (glyph.x + glyph.dx) * size
        py = line.y + glyph.dy * size
        char = glyph.char
        # Nastaliq raises whole letters (dy without dx): the next letter on the baseline starts a new run.
        natural = glyph.face is face and py == run_y and abs(px - cursor) < 1e-3 and not glyph.dx
        if not natural:
            if pending:
                text.textOut(pending)
                pending = ""
            if glyph.face is not face:
                if face is None or face.synthetic_bold != glyph.face.synthetic_bold:
                    text.setTextRenderMode(2 if glyph.face.synthetic_bold else 0)  # 2: fill, then stroke
                face = glyph.face
                text.setFont(face.name, size * face.scale)  # fonts.toml's size factor, as shaping measured
            text.setTextOrigin(px, py)
            cursor, run_y = px, py
        pending += char
        cursor += face.width_units(char) * size * face.scale / 1000 if face else 0
    if pending:
        text.textOut(pending)
    # The render mode outlives the text object; the next line's text object assumes fill only.
    text.setTextRenderMode(0)
    canvas.drawText(text)


def draw_item(canvas: Canvas, item: Item) -> None:
    match item:
        case TextLine():
            draw_text(canvas, item)
        case Fill():
            canvas.setFillColor(color(item.color))
            canvas.rect(item.box.x, item.box.y, item.box.w, item.box.h, stroke=0, fill=1)
        case QrCode():
            _draw_qr(canvas, item)
        case Shape():
            canvas.setFillColor(color(item.color))
            path = canvas.beginPath()
            for poly in item.polygons:
                path.moveTo(*poly[0])
                for point in poly[1:]:
                    path.lineTo(*point)
                path.close()
            for cx, cy, r in item.circles:
                path.circle(cx, cy, r)
            canvas.drawPath(path, stroke=0, fill=1, fillMode=1)  # non-zero: overlapping parts stay filled


def _draw_qr(canvas: Canvas, code: QrCode) -> None:
    """One vector path, each row's dark run one rectangle, 100 % K (no rich black: it smears)."""
    n = len(code.matrix)
    path = canvas.beginPath()
    for r, row in enumerate(code.matrix):
        k = 0
        while k < n:
            if row[k]:
                s = k
                while k < n and row[k]:
                    k += 1
                path.rect(
                    code.x + s * code.module, code.y + (n - 1 - r) * code.module, (k - s) * code.module, code.module
                )
            else:
                k += 1
    canvas.setFillColor(CMYKColor(0, 0, 0, 1))
    canvas.drawPath(path, stroke=0, fill=1)


def draw_side(canvas: Canvas, side: LaidSide, bleed: float, watermark: Watermark | None = None) -> None:
    """Draw a side with its lower-left trim corner at the origin; backgrounds run into the bleed."""
    if side.background is not None:
        canvas.setFillColor(color(side.background))
        canvas.rect(-bleed, -bleed, side.width + 2 * bleed, side.height + 2 * bleed, stroke=0, fill=1)
    for item in side.items:
        if isinstance(item, Fill) and bleed:
            item = Fill(_bleed_box(item, side, bleed), item.color)
        draw_item(canvas, item)
    if watermark is not None:
        _draw_watermark(canvas, side, watermark)


def _draw_watermark(canvas: Canvas, side: LaidSide, watermark: Watermark, tagged: bool = False) -> None:
    if tagged:
        _draw_tagged_watermark(canvas, side, watermark)
        return
    canvas.saveState()
    _slant(canvas, side, watermark)
    for line in watermark.lines:
        draw_text(canvas, TextLine(line.glyphs, line.x, line.y, line.size, watermark.color))
    canvas.restoreState()


QUIET_MODULES = 4  # the quiet zone a reader needs around a QR code (ISO/IEC 18004), kept free of the watermark


def _slant(canvas: Canvas, side: LaidSide, watermark: Watermark) -> None:
    # The notice never runs over a QR code or its quiet zone: a draft's code scans like a final one's.
    clip = canvas.beginPath()
    clip.rect(0, 0, side.width, side.height)
    for code in (item for item in side.items if isinstance(item, QrCode)):
        quiet, n = QUIET_MODULES * code.module, len(code.matrix) * code.module
        clip.rect(code.x - quiet, code.y - quiet, n + 2 * quiet, n + 2 * quiet)
    canvas.clipPath(clip, stroke=0, fill=0, fillMode=FILL_EVEN_ODD)
    canvas.translate(side.width / 2, side.height / 2)
    canvas.rotate(watermark.angle)
    canvas.setFillAlpha(0.45)
    canvas.setStrokeAlpha(0.45)  # synthetic bold strokes its outlines


NOTICE_SIZE = 2.0  # points: the inkless line at the foot of a side where poppler reads a draft's notice


def _draw_tagged_watermark(canvas: Canvas, side: LaidSide, watermark: Watermark) -> None:
    """The watermark as an artifact. pdfium would merge the slanted notice into the card's lines, so it is told
    to skip it; poppler reads it as the words it shows (the same nesting as a right-to-left word's), said over
    an inkless line of its own at the foot of the side: said over the slanted glyphs, it would cut the card's
    lines it crosses in two ("112" apart from "اتصل بالرقم")."""
    for index, line in enumerate(watermark.lines):
        canvas.addLiteral(mc.watermark())
        canvas.saveState()
        _slant(canvas, side, watermark)
        draw_text(canvas, TextLine(line.glyphs, line.x, line.y, line.size, watermark.color))
        canvas.restoreState()
        text = line.tags[0].text if line.tags else ""
        if text and line.glyphs:
            first, last = line.glyphs[0], line.glyphs[-1]
            width = (last.x + last.advance - first.x) * NOTICE_SIZE
            x = side.width / 2 - width / 2 - first.x * NOTICE_SIZE
            y = NOTICE_SIZE * (0.5 + 1.25 * (len(watermark.lines) - 1 - index))
            canvas.addLiteral(mc.begin_word(mc.for_poppler(text) if mc.right_to_left(text) else text))
            inkless.anchor(canvas, TextLine(line.glyphs, x, y, NOTICE_SIZE, watermark.color), line.glyphs)
            canvas.addLiteral(mc.END)
        canvas.addLiteral(mc.WATERMARK_END)


def draw_tagged_side(
    canvas: Canvas, side: LaidSide, bleed: float, watermark: Watermark | None, marked: Marked, at: float, rtl: bool
) -> None:
    """`draw_side`, each thing drawn inside marked content (PDF/UA): a line's tagged parts as text with the
    words they say, a QR code as a figure, everything else (backgrounds, bands, the stamp, the watermark) as an
    artifact. Parts are drawn in reading order, each glyph at its own place (the page looks the same); `at` is
    the side's origin on the page (a figure's bounds), `rtl` whether the card reads right to left.
    """
    if side.background is not None:
        canvas.addLiteral(mc.ARTIFACT)
        canvas.setFillColor(color(side.background))
        canvas.rect(-bleed, -bleed, side.width + 2 * bleed, side.height + 2 * bleed, stroke=0, fill=1)
        canvas.addLiteral(mc.END)
    for item in side.items:
        if isinstance(item, Fill) and bleed:
            item = Fill(_bleed_box(item, side, bleed), item.color)
        match item:
            case TextLine(tags=tags) if tags:
                covered: set[int] = set()
                for tag in tags:
                    chosen = [i for i, g in enumerate(item.glyphs) if tag.start <= g.cluster < tag.end]
                    glyphs = tuple(item.glyphs[i] for i in chosen)
                    covered.update(chosen)
                    if glyphs and mc.by_piece(tag.text, rtl):
                        _draw_words(canvas, replace(item, glyphs=glyphs), tag, marked)
                        continue
                    mcid = marked.add(tag.field, tag.path, tag.text, tag.lang)
                    canvas.addLiteral(mc.begin_text(mcid, tag.text, tag.lang))
                    if glyphs:
                        draw_text(canvas, replace(item, glyphs=glyphs))
                    canvas.addLiteral(mc.END)
                rest = tuple(g for i, g in enumerate(item.glyphs) if i not in covered)
                if rest:  # a glyph no part claims (none today): drawn, as an artifact, never dropped
                    canvas.addLiteral(mc.ARTIFACT)
                    draw_text(canvas, replace(item, glyphs=rest))
                    canvas.addLiteral(mc.END)
            case QrCode():
                n = len(item.matrix) * item.module
                box = (at + item.x, at + item.y, at + item.x + n, at + item.y + n)
                mcid = marked.add(item.field, (), "", alt=item.alt, bbox=box)
                canvas.addLiteral(mc.begin_figure(mcid))
                draw_item(canvas, item)
                canvas.addLiteral(mc.END)
            case _:
                canvas.addLiteral(mc.ARTIFACT)
                draw_item(canvas, item)
                canvas.addLiteral(mc.END)
    if watermark is not None:
        _draw_watermark(canvas, side, watermark, tagged=True)


def _draw_words(canvas: Canvas, line: TextLine, tag: Tag, marked: Marked) -> None:
    """A part drawn piece by piece (marked.by_piece), a sequence a piece, each right-to-left word and each
    left-to-right island said twice: for pdfium, for poppler (marked.words). Glyphs raised or lowered off the
    baseline (dots and marks drawn apart, Nastaliq's stepped letters) come after the part's pieces, in a
    sequence that says nothing: pdfium cuts a line where one drawn thing stands higher than the one before,
    and a dot between two words cut the part there (the words after it came back in the wrong place)."""
    part = -1
    off_line: list[Glyph] = []
    pieces = mc.words([glyph_text(g) for g in line.glyphs], [g.cluster for g in line.glyphs], tag.text)
    for start, end, word in apart(line.glyphs, pieces):
        glyphs = line.glyphs[start:end]
        on_line = tuple(g for g in glyphs if not g.dy)
        off_line += [g for g in glyphs if g.dy]
        mcid = marked.add(tag.field, tag.path, tag.text, tag.lang, part=part)
        part = mcid if part < 0 else part
        island = "" if word else "".join(glyph_text(g) for g in glyphs).strip()
        canvas.addLiteral(mc.begin_word(mc.for_pdfium(word) if word else mc.for_pdfium_island(island), mcid, tag.lang))
        if word:
            inkless.lead(canvas, line, on_line, glyphs)
        for run in runs(line.glyphs, on_line) if on_line else ():
            draw_text(canvas, replace(line, glyphs=run))
        if word or island:
            canvas.addLiteral(mc.begin_word(mc.for_poppler(word) if word else island))
            inkless.anchor(canvas, line, glyphs)
            canvas.addLiteral(mc.END)
        canvas.addLiteral(mc.END)
    if off_line:
        canvas.addLiteral(mc.begin_word(mc.NOTHING, marked.add(tag.field, tag.path, tag.text, tag.lang, part=part)))
        inkless.divider(canvas, line)
        draw_text(canvas, replace(line, glyphs=tuple(off_line)))
        inkless.divider(canvas, line)
        canvas.addLiteral(mc.END)


def _bleed_box(item: Fill, side: LaidSide, bleed: float) -> Box:
    """A fill that touches a trim edge is extended into the bleed, so a cut off by a hair shows no white."""
    b = item.box
    eps = 0.01
    x0 = b.x - bleed if b.x <= eps else b.x
    y0 = b.y - bleed if b.y <= eps else b.y
    x1 = b.right + bleed if b.right >= side.width - eps else b.right
    y1 = b.top + bleed if b.top >= side.height - eps else b.top
    return Box(x0, y0, x1 - x0, y1 - y0)


def draw_marks(canvas: Canvas, marks: Marks) -> None:
    """Crop and fold marks, as impose/marks.py computed them."""
    canvas.setStrokeColor(color(marks.color))
    canvas.setLineWidth(marks.width)
    for mark in marks.marks:
        match mark:
            case Stroke():
                canvas.line(mark.x0, mark.y0, mark.x1, mark.y1)
            case Dashed():
                canvas.setDash(*mark.pattern)
                for stroke in mark.strokes:
                    canvas.line(stroke.x0, stroke.y0, stroke.x1, stroke.y1)
                canvas.setDash()


def new_canvas(out: io.BytesIO, width: float, height: float, font: str) -> Canvas:
    return Canvas(
        out,
        pagesize=(width, height),
        invariant=1,
        enforceColorSpace="cmyk",
        initialFontName=font,
        pageCompression=1,
    )


def set_metadata(canvas: Canvas, title: str, discreet: bool) -> None:
    """Only what the card shows: its neutral title. No creator or producer names the tool that made it."""
    canvas.setTitle(title)
    canvas.setAuthor("")
    canvas.setSubject("")
    canvas.setKeywords("")
    canvas.setCreator("")  # a tool's name tells whoever looks at the file's properties what it is
    canvas.setProducer("")


def render_card(
    card: LaidCard,
    setup: PageSetup,
    font: str,
    watermarks: Sequence[Watermark | None] = (),
    marked: Marked | None = None,
) -> bytes:
    """One page per side, trimmed to the card size plus bleed and mark margins; `font` is a bundled face.

    With `marked`, everything is drawn inside marked content and `marked` records what each page tags, for
    pdf/structure.py to build the structure tree from (a tagged PDF); without it, nothing is marked.
    """
    out = io.BytesIO()
    margin = setup.margin()
    w = card.format.width + 2 * margin
    h = card.format.height + 2 * margin
    canvas = new_canvas(out, w, h, font)
    set_metadata(canvas, card.title, card.variant == "discreet")
    for index, side in enumerate(card.sides):
        canvas.setTrimBox((margin, margin, margin + card.format.width, margin + card.format.height))
        b = setup.bleed
        canvas.setBleedBox((margin - b, margin - b, margin + card.format.width + b, margin + card.format.height + b))
        canvas.saveState()
        canvas.translate(margin, margin)
        watermark = watermarks[index] if index < len(watermarks) else None
        if marked is None:
            draw_side(canvas, side, setup.bleed, watermark)
        else:
            marked.new_page()
            draw_tagged_side(canvas, side, setup.bleed, watermark, marked, margin, card.language.direction == "rtl")
        canvas.restoreState()
        for marks in card_marks(Box(margin, margin, card.format.width, card.format.height), side.folds, setup):
            if marked is None:
                draw_marks(canvas, marks)
                continue
            canvas.addLiteral(mc.ARTIFACT)
            draw_marks(canvas, marks)
            canvas.addLiteral(mc.END)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


# --- sheets: the forms an imposed sheet places -----------------------------------------------------------


def render_forms(
    sides: Sequence[FormSide],
    marks: Sequence[MarkSet],
    labels: Sequence[LabelForm],
    font: str,
    title: str,
    discreet: bool,
) -> tuple[bytes, dict[str, int]]:
    """A PDF whose objects are the forms an imposed sheet places, and the object number of each form.

    Drawing a side costs milliseconds and placing a form microseconds, so each distinct side is drawn once,
    whatever the count. A side's form is clipped to the side plus its bleed: nothing a card draws can reach
    into its neighbour. The pages that place the forms are written by sheets.py, one at a time.
    """
    out = io.BytesIO()
    canvas = new_canvas(out, 595.0, 842.0, font)
    set_metadata(canvas, title, discreet)
    for form in sides:
        side, b = form.side, form.bleed
        canvas.beginForm(form.name, -b, -b, side.width + b, side.height + b)
        draw_side(canvas, side, b, form.watermark)
        end_form(canvas)
    for mark_set in marks:
        canvas.beginForm(mark_set.name, 0, 0, mark_set.width, mark_set.height)
        draw_marks(canvas, mark_set.marks)
        canvas.endForm()
    for label in labels:
        width = pdfmetrics.stringWidth(label.text, label.font, label.size)
        canvas.beginForm(label.name, 0, -0.3 * label.size, max(width, 0.01), label.size)
        canvas.setFillColor(color(REGISTRATION))
        canvas.setFont(label.font, label.size)
        canvas.drawString(0, 0, label.text)
        canvas.endForm()
    canvas.showPage()  # reportlab insists on a page; sheets.py leaves it out of the page tree
    canvas.save()
    names = [f.name for f in sides] + [m.name for m in marks] + [label.name for label in labels]
    return out.getvalue(), form_numbers(canvas, names)
