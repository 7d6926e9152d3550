"""Batch plan: an order file and the options → every card laid out once, every sheet counted, every file named.

Nothing is written here. The whole order file is checked (orders.py), every distinct card is laid out once
and every sheet planned, so that any problem (unreviewed language, missing glyph, paper too small) is
reported for all rows at once, before batch.py writes a single byte.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from nodkort.data.regions import slug
from nodkort.errors import Location, NodkortError, OrderError, PaperError, Problem, UsageError
from nodkort.i18n.translations import language_names
from nodkort.impose.grid import Flip, plan
from nodkort.impose.paper import paper
from nodkort.layout.side import LaidCard
from nodkort.layout.watermark import Watermark
from nodkort.model import Job, Variant, mm
from nodkort.orders.furniture import FURNITURE_FONTS
from nodkort.orders.parse import CardInfo, Known, Line, Order, check_orders
from nodkort.output import DISCREET_STEM, file_stem
from nodkort.pdf.standards import Standard
from nodkort.pipeline import draft_mark, lay_out
from nodkort.project import Project
from nodkort.text.fonts import glyph_problems

SLIP = "packing-slip.pdf"
# An order's combined files are named "kort-<paper>.pdf": neutral, since they may hold discreet cards.


@dataclass(frozen=True)
class Options:
    combine: bool = False
    bleed_mm: float = 0.0
    flip: Flip = "long"
    fill: bool = False
    draft: bool = False
    paper: str = "A4"  # for rows that name no paper
    pdf_standard: Standard = "x"  # print files go to a print shop, whose preflight expects PDF/X

    @property
    def bleed(self) -> float:
        """The bleed in points: millimetres as typed, converted once."""
        return mm(self.bleed_mm)

    def identity(self) -> dict[str, object]:
        return {
            "bleed_mm": self.bleed_mm,
            "combine": self.combine,
            "draft": self.draft,
            "fill_sheet": self.fill,
            "flip": self.flip,
            "paper": self.paper,
            "pdf_standard": self.pdf_standard,
        }


# --- data the cards are made from -------------------------------------------------------------------------


def known(project: Project, default_paper: str) -> Known:
    """What order rows may name: card ids, languages (code, English, own or Swedish name), places, papers."""
    names = language_names(project.languages)

    def language(text: str) -> str:
        code = names.get(text.strip().casefold())
        if code is None:
            raise UsageError(f"unknown language '{text}'")
        return code

    def municipality(text: str) -> str:
        return project.municipality(text)[1].name

    def paper_name(text: str) -> str:
        return paper(text).name

    cards = {}
    for card_id in project.card_ids:
        card = project.card(card_id)
        cards[card_id] = CardInfo(tuple(card.formats), card.default_format, card.needs_municipality)
    return Known(cards, language, municipality, paper_name, paper_name(default_paper), card_names(project))


def card_names(project: Project) -> dict[str, str]:
    """Each card's own name, as its template writes it in Swedish and its English catalog translates it
    (casefolded) → its id: how a school names the card it orders ("Nödkort", "Emergency card")."""
    names: dict[str, str] = {}
    english = project.languages.get("en")
    translations = None
    if english is not None:
        try:
            translations = project.translations(english, draft=True)
        except NodkortError:
            translations = None  # a broken English catalog is reported where it is used; Swedish names serve
    for card_id in project.card_ids:
        card = project.card(card_id)
        spelled = [card.title]
        if translations is not None:
            spelled.append(translations.lookup(card.title_context, card.title)[0])
        for name in spelled:
            names.setdefault(name.strip().casefold(), card_id)
    return names


@dataclass(frozen=True)
class CardKey:
    card: str
    lang: str
    format: str
    variant: Variant
    municipality: str | None  # only for cards that print local numbers


class Cards:
    """Each distinct card laid out once per run, with its draft watermark if it needs one."""

    def __init__(self, project: Project, draft: bool) -> None:
        self.project = project
        self.draft = draft
        self._laid: dict[CardKey, tuple[LaidCard, Watermark | None]] = {}

    def key(self, line: Line, municipality: str) -> CardKey:
        needs = self.project.card(line.card).needs_municipality
        return CardKey(
            line.card,
            line.lang,
            line.format,
            "discreet" if line.discreet else "plain",
            municipality if needs else None,
        )

    def get(self, key: CardKey) -> tuple[LaidCard, Watermark | None]:
        if key not in self._laid:
            job = Job(key.card, key.lang, key.format, key.variant, key.municipality, self.draft)
            laid = lay_out(self.project, job)
            self._laid[key] = (laid, draft_mark(self.project, job, laid))
        return self._laid[key]


# --- planning a batch -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedFile:
    path: str  # relative to the output folder: "<order id>/<name>.pdf"
    order: Order
    kind: Literal["print", "slip"]
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class Plan:
    orders: tuple[Order, ...]
    files: tuple[PlannedFile, ...]
    sheets: dict[int, tuple[int, int, int]]  # row → (cards per sheet, sheets, cards printed)
    cards: tuple[CardKey, ...]  # every distinct card, laid out once
    notes: tuple[str, ...] = ()  # what was read past: a title above the header, a totals row


def plan_batch(project: Project, order_path: Path, options: Options, cards: Cards) -> Plan:
    """Read and check everything before a single byte is written; every problem is reported at once."""
    orders, problems, notes = check_orders(order_path, known(project, options.paper))
    usage: list[Problem] = []  # the run's --paper, too small for a card of a row that names no paper
    sheets: dict[int, tuple[int, int, int]] = {}
    uses: dict[CardKey, list[int]] = {}
    for order in orders:
        for line in order.lines:
            uses.setdefault(cards.key(line, order.municipality), []).append(line.row)
    for key, rows in uses.items():
        try:
            cards.get(key)
        except NodkortError as exc:
            label = f"{key.card}/{key.format} in {key.lang}" + (f" for {key.municipality}" if key.municipality else "")
            where = Location(str(order_path), rows=tuple(rows))
            problems += [Problem(where, f"{label}: {p}") for p in exc.problems]
    grids: dict[tuple[str, str, str], tuple[int, list[Problem]]] = {}
    for order in orders:
        for line in order.lines:
            fmt = project.card(line.card).formats[line.format]
            spec = (line.card, line.format, line.paper)
            if spec not in grids:
                try:
                    grid = plan(
                        paper(line.paper),
                        fmt.width,
                        fmt.height,
                        options.bleed,
                        f"{line.card}/{line.format}",
                    )
                    grids[spec] = (grid.per_sheet, [])
                except PaperError as exc:
                    grids[spec] = (0, list(exc.problems))
            per, paper_problems = grids[spec]
            if not line.paper_from_row:
                usage += [Problem(Location(key=f"--paper {options.paper}"), p.what, p.fix) for p in paper_problems]
            else:
                problems += [
                    Problem(Location(str(order_path), row=line.row, key="paper"), p.what, p.fix) for p in paper_problems
                ]
            if per:
                count = math.ceil(line.quantity / per)
                sheets[line.row] = (per, count, count * per if options.fill else line.quantity)
    texts = [(Location(str(order_path), rows=o.rows, key="school"), f"{o.school} {o.municipality}") for o in orders]
    problems += glyph_problems(project.fonts, texts, FURNITURE_FONTS, "sv")
    if usage:
        raise UsageError(list({str(p): p for p in usage}.values()))
    if problems:
        raise OrderError(problems)
    files = []
    for order in orders:
        files += _order_files(project, order, options.combine)
    return Plan(tuple(orders), tuple(files), sheets, tuple(uses), tuple(notes))


def _order_files(project: Project, order: Order, combine: bool) -> list[PlannedFile]:
    if combine:  # one file per paper: a press loads one paper size for a file
        papers: dict[str, list[Line]] = {}
        for line in order.lines:
            papers.setdefault(line.paper, []).append(line)
        prints = [
            PlannedFile(f"{order.id}/{DISCREET_STEM}-{slug(name)}.pdf", order, "print", tuple(lines))
            for name, lines in papers.items()
        ]
    else:
        prints = []
        names: set[str] = set()
        discreet = 0
        for line in order.lines:
            discreet += line.discreet
            local = project.card(line.card).needs_municipality
            place = slug(order.municipality) if local else ""
            name = file_stem(
                line.card,
                line.lang,
                line.format,
                place=place,
                tag=str(discreet) if line.discreet else "",
                discreet=line.discreet,
            )
            if not line.discreet and name + ".pdf" in names:  # the same card on two papers
                name = file_stem(line.card, line.lang, line.format, place=place, tag=slug(line.paper))
            names.add(name + ".pdf")
            prints.append(PlannedFile(f"{order.id}/{name}.pdf", order, "print", (line,)))
    return [*prints, PlannedFile(f"{order.id}/{SLIP}", order, "slip", order.lines)]
