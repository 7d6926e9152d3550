"""Pipeline: a job (card × language × format × variant × municipality) → gates → layout → PDF bytes.

Calls the stages in order and never parses or draws itself: locate the data folder, load templates,
contacts, regions, languages and fonts, check review state and glyph coverage, lay the card out, render.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from nodkort.data.directory import Directory
from nodkort.data.freshness import STALE_MARK, Age, printed_ages, stale_gate
from nodkort.data.regions import RegionData
from nodkort.errors import FitError, Problem, UsageError
from nodkort.i18n.translations import Translations
from nodkort.impose.marks import PageSetup
from nodkort.layout.context import Context, Translate
from nodkort.layout.gates import check_discreet, glyph_gate, review_gate
from nodkort.layout.side import LaidCard, LaidSide, layout_side
from nodkort.layout.watermark import Watermark, watermark
from nodkort.model import Card, Format, Job, Language, Municipality, Variant
from nodkort.pdf.marked import Marked
from nodkort.pdf.render import render_card
from nodkort.pdf.standards import Meta, Standard, apply
from nodkort.project import Project


def fit_fix(problem: Problem, tr: Translations) -> Problem:
    """Point a translator at the catalog line of a string that does not fit (its msgctxt is the field path)."""
    context = problem.where.key
    line = tr.line(context)
    if not line or tr.path is None:
        return problem
    if not tr.entries[context].msgstr:
        # Measured with the Swedish text in this language's fonts: their line height alone may not fit.
        what = f" (not translated yet: measured with the Swedish text in the {tr.language.english} fonts)"
        return Problem(
            problem.where,
            problem.what + what,
            "ask for a larger box in the template, or check again once it is translated",
        )
    return Problem(
        problem.where,
        problem.what,
        f"shorten the translation at {tr.path}:{line}, or ask for a larger box in the template",
    )


Place = tuple[RegionData, Municipality] | None  # where a card with local numbers is printed for


def card_context(
    project: Project,
    card: Card,
    fmt: Format,
    lang: Language,
    variant: Variant,
    translate: Translate,
    place: Place,
    stale: bool,
) -> Context:
    """What every side of one card is laid out against, with the version stamp the card prints."""
    region, municipality = place if place else (None, None)
    stamp = f"v{card.version} {lang.code}" + (f" {municipality.code}" if municipality else "")
    stamp += f" · {STALE_MARK}" if stale else ""
    directory = Directory(project.national, region, municipality)
    # The county board of the municipality the card is made for; without one, the data folder's only county.
    regions = list(project.regions.values())
    issuer = region.region if region else regions[0].region if len(regions) == 1 else None
    return Context(card, fmt, lang, variant, project.fonts, translate, directory, project.pictograms, stamp, issuer)


def assemble(ctx: Context, sides: Sequence[LaidSide]) -> LaidCard:
    """Laid-out sides → the card: the discreet gate, then the title its PDF carries."""
    card, municipality = ctx.card, ctx.directory.municipality
    if ctx.variant == "discreet":
        check_discreet(card, sides, ctx.language)
        title = ctx.tr(card.discreet_title_context, card.discreet_title, True)
    else:
        title = ctx.tr(card.title_context, card.title, True)
    return LaidCard(
        card, ctx.fmt, ctx.language, ctx.variant, tuple(sides), title, municipality.name if municipality else ""
    )


def is_stale(project: Project, fmt: Format, variant: Variant, place: Place, today: date | None) -> bool:
    """Whether a card prints a contact older than the refusal age (check marks it; it never raises here)."""
    region, municipality = place if place else (None, None)
    ages = printed_ages(fmt, variant, Directory(project.national, region, municipality), today or date.today())
    return any(a.status == "stale" for a in ages)


def lay_out(project: Project, job: Job) -> LaidCard:
    """Every gate, then every side: the card a job asks for, or the first named error."""
    card = project.card(job.card)
    lang = project.language(job.lang)
    fmt_name = job.format or card.default_format
    if fmt_name not in card.formats:
        raise UsageError(f"card '{card.id}' has no format '{fmt_name}'. Choose one of: {', '.join(card.formats)}")
    fmt = card.formats[fmt_name]
    place: Place = None
    if card.needs_municipality:
        if not job.municipality:
            names = ", ".join(sorted(m.name for r in project.regions.values() for m in r.region.municipalities))
            raise UsageError(f"the {card.id} card needs --municipality NAME (one of: {names})")
        place = project.municipality(job.municipality)
    elif job.municipality:
        # A card that does not need a municipality prints its local fields (show = "local") for one given;
        # a misspelt name, or one with no verified number, is refused as for any card. A format with no room
        # for them is refused too: printing the card without the asked-for local help would hide the omission.
        if not fmt.local:
            room = " or ".join(f"--format {name}" for name, f in card.formats.items() if f.local)
            raise UsageError(
                f"the {fmt_name} format of the {card.id} card has no room for local help, so --municipality "
                f"would print nothing of {job.municipality}; use {room} for the local help, or leave out --municipality"
            )
        place = project.municipality(job.municipality)
    region, municipality = place if place else (None, None)
    directory = Directory(project.national, region, municipality)
    stale = stale_gate(printed_ages(fmt, job.variant, directory, job.today or date.today()), job.allow_stale)
    tr = project.translations(lang, job.draft)
    printed = project.card_messages(card, region.region.id if region else None)
    review_gate(card, tr, printed)
    glyph_gate(project.fonts, tr, printed)
    ctx = card_context(project, card, fmt, lang, job.variant, tr.text, place, stale)
    try:
        sides = [layout_side(side, ctx) for side in fmt.sides]
    except FitError as exc:
        raise FitError([fit_fix(p, tr) for p in exc.problems]) from None
    return assemble(ctx, sides)


def contact_ages(project: Project, job: Job) -> list[Age]:
    """The age of every verified contact a job's card prints, for warnings before it is rendered."""
    card = project.card(job.card)
    fmt = card.formats.get(job.format or card.default_format)
    if fmt is None or (card.needs_municipality and not job.municipality):
        return []  # lay_out names the missing format or municipality
    region = municipality = None
    if job.municipality:
        region, municipality = project.municipality(job.municipality)
    directory = Directory(project.national, region, municipality)
    return printed_ages(fmt, job.variant, directory, job.today or date.today())


def draft_mark(project: Project, job: Job, laid: LaidCard) -> Watermark | None:
    """The watermark a laid-out card needs: only a draft that holds unreviewed strings is marked."""
    if job.draft and not laid.language.source:
        # --draft on a reviewed language prints clean.
        region = project.municipality(laid.municipality)[0].region.id if laid.municipality else None
        state = project.translations(laid.language).review_state(project.card_messages(laid.card, region))
        if state != "reviewed":
            source = next((lang for lang in project.languages.values() if lang.source), project.language("sv"))
            return watermark(source, laid, project.fonts)
    return None


def render(project: Project, job: Job, standard: Standard = "none") -> tuple[LaidCard, bytes]:
    """A job's card as PDF bytes: as drawn ("none"), PDF/X-4 for print ("x"), or tagged PDF/UA-1 ("ua", what a
    web page publishes: its "Download for publishing" calls this with "ua")."""
    laid = lay_out(project, job)
    font = project.fonts.face(laid.language.fonts[0], "regular").name
    marks = draft_mark(project, job, laid)
    marked = Marked() if standard == "ua" else None
    setup = PageSetup(job.bleed, job.crop_marks)
    pdf = render_card(laid, setup, font, [marks] * len(laid.sides) if marks else [], marked)
    return laid, apply(pdf, standard, Meta(laid.title, laid.language.code), marked)
