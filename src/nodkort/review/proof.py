"""Proof: a language's catalog and cards → a PDF for its reviewer: the strings, then the cards as they print.

For each string: where it sits (msgctxt and catalog line), the Swedish source, the translation and its state
(reviewed by whom and when, changed since review, not reviewed, identical to the Swedish, fuzzy, missing, and
never "reviewed" when it overflows or lacks glyphs). Then every card side in that language, laid out and drawn
by the same code that prints cards, watermarked while anything on it is unreviewed. A card is laid out even
before the catalog is complete: a missing string shows as its Swedish text in [brackets], and what is wrong is
listed above the sides. Words are set with the project's own text engine, so Arabic, Ethiopic or Thai read
correctly here exactly when they do on the card.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from nodkort.i18n.extract import Message
from nodkort.i18n.translations import Translations
from nodkort.layout.primitives import Fill, Item
from nodkort.layout.watermark import DRAFT_EN
from nodkort.model import BLACK, DEFAULT_FAMILY, MM, Box, Card, Language
from nodkort.pdf.document import render_pages
from nodkort.project import Project
from nodkort.review.proof_cards import card_pages
from nodkort.review.proof_page import (
    GAP,
    GREY,
    MARGIN,
    PORTRAIT,
    RULE,
    STATE_INK,
    STATE_TINT,
    ProofPage,
    Setter,
    heading,
)

# Columns of the string table, in mm: context, Swedish source, translation, state.
COLUMNS_MM = (40.0, 58.0, 62.0, 22.0)
MEANING = {
    "reviewed": "a named reviewer signed it as it reads now (nodkort lang review); it prints on final cards",
    "not reviewed": "no review signs it, or it changed since; prints only on watermarked drafts",
    "fuzzy": "a draft or a translation of an older Swedish text",
    "missing": "not translated yet: the card shows the Swedish in [brackets]",
}


def proof_sheet(
    project: Project, lang: Language, cards: Sequence[str] | None = None, municipality: str | None = None
) -> tuple[bytes, int]:
    """The proof PDF for `lang` and its number of pages. A catalog with errors is refused, as by render."""
    tr = project.translations(lang, draft=True)
    chosen = [project.card(cid) for cid in (cards or project.card_ids)]
    if municipality:
        project.municipality(municipality)  # a misspelt name is refused (exit 2), not printed on a card page
    setter = Setter(project.fonts, project.language("sv"), lang)
    messages = project.cards_messages(chosen)
    blocked: dict[str, str] = {}  # msgctxt → "does not fit" / "glyphs missing", found on the cards
    laid: list[ProofPage] = []
    for card in chosen:
        laid += card_pages(project, tr, card, municipality, setter, blocked)
    pages = _string_pages(project, tr, messages, chosen, setter, blocked) + laid
    for number, page in enumerate(pages, start=1):
        setter.place(
            page.items,
            f"page {number} of {len(pages)}",
            setter.latin,
            Box(page.width - MARGIN - 30 * MM, MARGIN / 2 - 1 * MM, 30 * MM, 4 * MM),
            7,
            GREY,
        )
    return _draw(pages, f"Proof: {lang.english} ({lang.code})", project), len(pages)


def _string_pages(
    project: Project,
    tr: Translations,
    messages: Sequence[Message],
    cards: Sequence[Card],
    setter: Setter,
    blocked: dict[str, str],
) -> list[ProofPage]:
    lang = tr.language
    counts = tr.state(messages)
    title = (
        f"{lang.name} – {lang.english} ({lang.code})" if lang.name != lang.english else f"{lang.english} ({lang.code})"
    )
    pages: list[ProofPage] = []

    def new_page() -> tuple[ProofPage, float]:
        page = ProofPage(*PORTRAIT)
        pages.append(page)
        y = heading(page, setter, title)
        x = MARGIN
        labels = ("Context (msgctxt)", "Swedish source", f"Translation ({lang.code})", "State")
        for label, width in zip(labels, COLUMNS_MM, strict=True):
            box = Box(x, y - 5 * MM, width * MM - GAP, 5 * MM)
            setter.place(page.items, label, setter.latin, box, 8, bold=True)
            x += width * MM
        page.items.append(Fill(Box(MARGIN, y - 6 * MM, page.width - 2 * MARGIN, 0.6), BLACK))
        return page, y - 8 * MM

    page, y = new_page()
    width = page.width - 2 * MARGIN
    state = tr.review_state(messages)
    reviewed = sum(tr.lookup(m.context, m.msgid)[1] == "reviewed" and m.context not in blocked for m in messages)
    intro = (
        f"{title}: {state}, {tr.review_summary()}. Of {len(messages)} strings on the "
        f"{', '.join(c.id for c in cards)} card(s): {reviewed} reviewed, "
        f"{counts['unreviewed']} not reviewed, {counts['changed']} changed since review, "
        f"{counts['fuzzy']} fuzzy, {counts['missing']} missing; {len(blocked)} do not fit or lack glyphs."
    )
    if not lang.source and not lang.draft_notice:
        intro += f" Warning: languages.toml gives {lang.english} no draft_notice: its drafts say '{DRAFT_EN}'."
    if lang.source:
        intro = f"{title} is the source language: these are the texts every translation is made from."
    used = setter.place(page.items, intro, setter.latin, Box(MARGIN, y - 20 * MM, width, 20 * MM), 9, bold=True)
    legend = "  ".join(f"{k}: {v}." for k, v in MEANING.items())
    used += setter.place(
        page.items,
        legend + f" Catalog: {tr.path.name if tr.path else '–'}; "
        "the line number beside each context finds the string in Poedit or a text editor.",
        setter.latin,
        Box(MARGIN, y - used - 30 * MM, width, 30 * MM),
        7.5,
        GREY,
    )
    y -= used + 4 * MM
    for message in messages:
        row = _row(tr, message, setter, y, blocked.get(message.context, ""))
        if y - row.height < MARGIN and y < page.height - 40 * MM:
            page, y = new_page()
            row = _row(tr, message, setter, y, blocked.get(message.context, ""))
        page.items += row.items
        y -= row.height
    return pages


@dataclass
class _Row:
    items: list[Item]
    height: float


def _row(tr: Translations, message: Message, setter: Setter, top: float, blocked: str) -> _Row:
    """One string: context, Swedish, translation, state; a thin rule below."""
    status = tr.status(message.context, message.msgid)
    text, state = status.text, status.state
    items: list[Item] = []
    x = MARGIN
    boxes = []
    for width in COLUMNS_MM:
        boxes.append(Box(x, top - 200 * MM, width * MM - GAP, 200 * MM))
        x += width * MM
    line = tr.line(message.context)
    where = message.context + (f"\nline {line}" if line else "")
    heights = [
        setter.place(items, where, setter.latin, boxes[0], 6.5, GREY),
        setter.place(items, message.msgid, setter.latin, boxes[1], 8),
    ]
    if state == "missing":
        heights.append(setter.place(items, "(not translated)", setter.latin, boxes[2], 7.5, STATE_INK["missing"]))
    elif state == "source":
        heights.append(0.0)
    else:
        heights.append(setter.place(items, text, tr.language, boxes[2], 8))
    label = {
        "fuzzy": "fuzzy – review",
        "reviewed": f"reviewed by {status.signed}",
        "unreviewed": "not reviewed",
        "changed": f"changed since review by {status.signed}",
    }.get(state, state)
    if status.identical and state != "reviewed":
        label += "\nidentical to Swedish"
    ink = "error" if blocked else state
    label = f"{blocked}\n{label}" if blocked else label  # never green when it overflows or lacks glyphs
    state_box = Box(boxes[3].x + 1 * MM, boxes[3].y, boxes[3].w - 1 * MM, boxes[3].h)
    heights.append(setter.place(items, label, setter.latin, state_box, 7, STATE_INK[ink], bold=True))
    height = max(heights) + 2.5 * MM
    tint = Fill(Box(boxes[3].x, top - height + 1 * MM, boxes[3].w, height - 1 * MM), STATE_TINT[ink])
    rule = Fill(Box(MARGIN, top - height + 0.5 * MM, sum(COLUMNS_MM) * MM - GAP, 0.3), RULE)
    return _Row([tint, rule, *items], height)


def _draw(pages: Sequence[ProofPage], title: str, project: Project) -> bytes:
    font = project.fonts.face(DEFAULT_FAMILY, "regular").name
    return render_pages([page.value() for page in pages], font, title)
