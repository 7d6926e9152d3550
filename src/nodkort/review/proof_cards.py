"""Proof cards: a language's translations → each card laid out for the proof, even before the catalog is done.

A missing string, or one with a character no font has, shows as its Swedish source in [brackets]; a side that
cannot be laid out is left out, and every problem is listed above the sides, so a translator sees their own
text in place long before the catalog is complete. Strings that do not fit are reported back to the string
table, which never shows them as reviewed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from nodkort.data.regions import has_verified_number
from nodkort.errors import FitError, Location, NodkortError, TemplateError
from nodkort.i18n.extract import Message
from nodkort.i18n.translations import Translations
from nodkort.layout.primitives import Fill
from nodkort.layout.side import LaidCard, LaidSide, layout_side
from nodkort.layout.watermark import Watermark, watermark
from nodkort.model import MM, Box, Card, Format, Variant
from nodkort.pdf.document import PlacedSide
from nodkort.pipeline import Place, assemble, card_context, fit_fix, is_stale
from nodkort.project import Project
from nodkort.review.proof_page import GAP, GREY, LANDSCAPE, MARGIN, STATE_INK, ProofPage, Setter, heading
from nodkort.text.fonts import glyph_problems


def default_place(project: Project, card: Card, wanted: str | None) -> Place:
    if not card.needs_municipality:
        return None
    if wanted:
        return project.municipality(wanted)
    try:
        regions = project.regions
    except NodkortError:
        return None  # laying the card out reports it on the card's page
    for data in regions.values():
        for m in data.region.municipalities:
            if has_verified_number(m):
                return data, m
    return None


def variants(card: Card) -> list[Variant]:
    discreet = any(f.show == "discreet" for fmt in card.formats.values() for s in fmt.sides for f in s.fields)
    return ["plain", "discreet"] if discreet else ["plain"]


def _marked(tr: Translations, unusable: set[str], refused: list[str]) -> Callable[[str, str, bool], str]:
    """What a proof prints: each usable translation, and for a missing or unusable one its Swedish source in
    [brackets], line by line, so that the translator sees their own text on the card long before it is done.
    A draft render refuses a missing critical string: `refused` learns it, as render would say it."""

    def translate(context: str, msgid: str, critical: bool) -> str:
        text, state = tr.lookup(context, msgid)
        if state != "missing" and context not in unusable:
            return text
        if state == "missing" and critical and tr.draft:
            try:
                tr.text(context, msgid, critical)
            except NodkortError as exc:
                refused.extend(str(p) for p in exc.problems if str(p) not in refused)
        return "\n".join(f"[{line}]" if line.strip() else line for line in msgid.split("\n"))

    return translate


def card_pages(
    project: Project, tr: Translations, card: Card, municipality: str | None, setter: Setter, blocked: dict[str, str]
) -> list[ProofPage]:
    """A landscape page per format and variant with every side at full size (scaled down only to fit), and
    above them what keeps the card from printing. `blocked` learns the strings that do not fit."""
    lang = tr.language
    place = default_place(project, card, municipality)
    glyphless = glyphless_strings(project, tr, project.card_messages(card))
    blocked |= dict.fromkeys(glyphless, "glyphs missing")
    state = tr.review_state(project.card_messages(card, place[0].region.id if place else None))
    pages: list[ProofPage] = []
    for fmt in card.formats.values():
        for variant in variants(card):
            page = ProofPage(*LANDSCAPE)
            pages.append(page)
            label = " · ".join(p for p in (f"{card.id} card", fmt.name, variant, place[1].name if place else "") if p)
            y = heading(page, setter, f"{lang.english} ({lang.code}) · {label}") - 2 * MM
            laid, errors, mark = lay_out(project, tr, card, fmt, variant, place, glyphless, state, blocked)
            if errors:
                # The proof still shows what is wrong; `nodkort check` lists the same problems.
                text = "\n".join(errors)
                box = Box(MARGIN, MARGIN, page.width - 2 * MARGIN, y - MARGIN)
                y -= setter.place(page.items, text, setter.latin, box, 7, STATE_INK["error"]) + 2 * MM
            if laid.sides:
                _place_sides(page, laid.sides, mark, y, setter)
    return pages


def lay_out(
    project: Project,
    tr: Translations,
    card: Card,
    fmt: Format,
    variant: Variant,
    place: Place,
    glyphless: set[str],
    state: str,
    blocked: dict[str, str],
) -> tuple[LaidCard, list[str], Watermark | None]:
    """One card format and variant in one language, as far as it can be laid out: its sides, what keeps it from
    printing (paths relative to the data folder), and its draft watermark (None once reviewed and sound)."""
    lang = tr.language
    stale = is_stale(project, fmt, variant, place, None)
    errors: list[str] = []
    ctx = card_context(project, card, fmt, lang, variant, _marked(tr, glyphless, errors), place, stale)
    sides = []
    for side in fmt.sides:
        try:
            sides.append(layout_side(side, ctx))
        except FitError as exc:
            blocked |= {p.where.key: "does not fit" for p in exc.problems if p.where.key}
            errors += [str(fit_fix(p, tr)) for p in exc.problems]
        except NodkortError as exc:
            errors += [str(p) for p in exc.problems]
    laid = LaidCard(card, fmt, lang, variant, tuple(sides), "", place[1].name if place else "")
    if len(sides) == len(fmt.sides):
        try:
            laid = assemble(ctx, sides)
        except TemplateError as exc:
            errors += [str(p) for p in exc.problems]
    drafted = not lang.source and (state != "reviewed" or bool(errors))
    mark = watermark(project.language("sv"), laid, project.fonts) if drafted and sides else None
    return laid, [e.replace(f"{project.data.root}/", "") for e in errors], mark


def glyphless_strings(project: Project, tr: Translations, messages: Sequence[Message]) -> set[str]:
    """The strings with a character no font of the language has: the card shows their Swedish instead."""
    found = set()
    for message in messages:
        text, _ = tr.lookup(message.context, message.msgid)
        where = Location(key=message.context)
        if glyph_problems(project.fonts, [(where, text)], tr.language.fonts, tr.language.code):
            found.add(message.context)
    return found


def _place_sides(
    page: ProofPage, sides: Sequence[LaidSide], mark: Watermark | None, top: float, setter: Setter
) -> None:
    """Sides stacked, or side by side when that shows them larger; each labelled, with a hairline trim."""
    room_w, room_h = page.width - 2 * MARGIN, top - MARGIN
    label_h = 6 * MM
    w, h = max(s.width for s in sides), max(s.height for s in sides)
    n = len(sides)
    stacked = min(1.0, room_w / w, (room_h - n * label_h - (n - 1) * GAP) / (n * h))
    beside = min(1.0, (room_w - (n - 1) * GAP) / (n * w), (room_h - label_h) / h)
    scale = max(stacked, beside)
    x, y = MARGIN, top
    for side in sides:
        what = "outside: seen without opening" if side.outside else "inside"
        setter.place(
            page.items,
            f"{side.name} ({what}), {side.width / MM:.1f} × {side.height / MM:.1f} mm"
            + (f", shown at {scale:.0%}" if scale < 0.999 else ""),
            setter.latin,
            Box(x, y - label_h, side.width * scale, label_h),
            7,
            GREY,
        )
        sy = y - label_h - side.height * scale
        sw, sh = side.width * scale, side.height * scale
        hairline = 0.4
        page.items += [
            Fill(Box(x - hairline, sy - hairline, sw + 2 * hairline, hairline), GREY),
            Fill(Box(x - hairline, sy + sh, sw + 2 * hairline, hairline), GREY),
            Fill(Box(x - hairline, sy, hairline, sh), GREY),
            Fill(Box(x + sw, sy, hairline, sh), GREY),
        ]
        page.sides.append(PlacedSide(side, x, sy, scale, mark))
        if scale == beside and beside > stacked:
            x += sw + GAP
        else:
            y = sy - GAP
