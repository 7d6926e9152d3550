"""Check: the data folder → findings of every gate for each card × language × format × variant × municipality.

Nothing is written: each combination is laid out in memory and every problem is collected rather than the
first one raised, so that a translator or an editor sees the whole list at once. Gates: catalog syntax,
completeness, fuzzy drafts, review (a recorded review signs each string as it reads now), placeholders, glyphs,
the fit gate at the legibility floor, QR targets, the discreet gate, contact data and its freshness, and with
`scan` the QR codes decoded from rendered pages. A draft language is laid out as its draft would print (fuzzy
strings in, missing ones in Swedish) so that what does not fit shows up before review, not after.

Languages are checked in worker processes, one language at a time each, and their findings merged in the
order of the languages: the report is the same, line for line, with one process or several.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from datetime import date

from nodkort.data.freshness import REFUSE_MONTHS, WARN_MONTHS, age
from nodkort.data.regions import has_verified_number, municipality_location
from nodkort.errors import (
    ContactError,
    DataError,
    FitError,
    GlyphError,
    Location,
    NodkortError,
    Problem,
    QrError,
    TemplateError,
)
from nodkort.i18n.extract import Message
from nodkort.i18n.po import Issue, inspect_catalog, language_notes, po_path
from nodkort.i18n.translations import Translations, with_review
from nodkort.layout.gates import string_location
from nodkort.layout.side import LaidCard, LaidSide, layout_side
from nodkort.model import Card, Contact, Format, Language, Variant
from nodkort.pipeline import Place, assemble, card_context, fit_fix, is_stale
from nodkort.project import Project
from nodkort.review.findings import Collector, Finding, Gate, LanguageSummary, Report
from nodkort.text.fonts import glyph_problems
from nodkort.text.paragraph import forget_shaped


def run_checks(
    project: Project,
    langs: Sequence[str] | None = None,
    cards: Sequence[str] | None = None,
    scan: bool = False,
    today: date | None = None,
    layout: bool = True,
    jobs: int | None = None,
) -> Report:
    """Every gate over the chosen languages and cards (all by default); `scan` also reads QR codes back.

    Without `layout` nothing is laid out (`lang status` counts strings): no fit, QR or discreet findings.
    `jobs` worker processes check the languages (default: one per core); with `scan`, or one language, the
    check runs in this process, since the scan needs the laid-out cards themselves.
    """
    start = time.perf_counter()
    out = Collector(str(project.data.root))
    languages = [project.language(code) for code in langs] if langs else list(project.languages.values())
    chosen = [project.card(cid) for cid in cards] if cards else _load_cards(project, out)
    _check_contacts(project, out, today or date.today())
    places = {card.id: _places(project, card, out) for card in chosen}
    report = Report([], [], [c.id for c in chosen])
    workers = min(jobs or os.cpu_count() or 1, len(languages))
    layouts: list[LaidCard] = []
    if workers > 1 and not scan:
        from nodkort.review.parallel import Task, check_in_workers

        task = Task(project.data, tuple(c.id for c in chosen), layout)
        for result in check_in_workers(task, [lang.code for lang in languages], workers):
            result.replay(out)
            report.languages.append(result.summary)
            report.layouts += result.layouts
    else:
        for lang in languages:
            keep: list[LaidCard] = []
            report.languages.append(_check_language(project, lang, chosen, places, out, keep, layout))
            report.layouts += len(keep)
            layouts += keep if scan else []
            forget_shaped()  # no paragraph of one language is shaped again for another
    if scan and layouts:
        from nodkort.review.scan import scan_cards

        problems, report.scanned = scan_cards(project, layouts)
        out.problems("scan", "error", problems)
    report.findings = out.result()
    report.seconds = time.perf_counter() - start
    return report


def _load_cards(project: Project, out: Collector) -> list[Card]:
    cards = []
    for cid in project.card_ids:
        try:
            cards.append(project.card(cid))
        except DataError as exc:
            out.problems("template", "error", exc.problems, card=cid)
    return cards


def _check_contacts(project: Project, out: Collector, today: date) -> None:
    """Contact data validity and freshness: older than 12 months warns, older than 24 is refused."""
    contacts: list[Contact] = []
    try:
        contacts += project.national.values()
    except DataError as exc:
        out.problems("contact", "error", exc.problems)
    try:
        for data in project.regions.values():
            contacts += data.region.contacts.values()
            for m in data.region.municipalities:
                contacts += m.contacts.values()
    except DataError as exc:
        out.problems("contact", "error", exc.problems)
    for contact in contacts:
        found = age(contact, today)
        if found.status == "future":
            out.add(
                Finding(
                    "freshness",
                    "error",
                    Location(contact.path, contact.line, contact.id),
                    f"{contact.display or contact.url} has checked = {contact.checked}, a date still to come",
                    "write the date it was really checked at its source (YYYY-MM-DD)",
                )
            )
            continue
        if found.status not in ("ageing", "stale"):
            continue
        refused = found.status == "stale"
        out.add(
            Finding(
                "freshness",
                "error" if refused else "warning",
                Location(contact.path, contact.line, contact.id),
                f"{contact.display or contact.url} was checked {found.months} months ago ({contact.checked}); "
                + (f"older than {REFUSE_MONTHS} months is not printed" if refused else _EVERY),
                f"check it at {contact.source} and update 'checked' (and the number, if it changed)",
            )
        )


_EVERY = f"numbers are re-verified every {WARN_MONTHS} months"


def _places(project: Project, card: Card, out: Collector) -> list[Place]:
    """The municipalities a card is printed for; one without any verified number is a warning, not a crash."""
    if not card.needs_municipality and not card.local:
        return [None]
    try:
        regions = project.regions
    except DataError:
        return []  # already reported by the contact gate
    places: list[Place] = []
    for data in regions.values():
        for m in data.region.municipalities:
            if has_verified_number(m):
                places.append((data, m))
                continue
            out.add(
                Finding(
                    "contact",
                    "warning",
                    municipality_location(data, m),
                    f"{m.name} has no verified number: no {card.id} card can be printed for it",
                    "verify a number at its source (the switchboard first) and mark it verified",
                    card=card.id,
                )
            )
    if not card.needs_municipality:
        return [None, *places]  # its local fields are checked for every municipality that can print
    if not places:
        out.add(
            Finding(
                "contact",
                "error",
                Location(card.path),
                f"no municipality has a verified number for the {card.id} card",
                "add cards/regions/<county>.toml with verified numbers (docs/regions.md)",
                card=card.id,
            )
        )
    return places


def _check_language(
    project: Project,
    lang: Language,
    cards: Sequence[Card],
    places: dict[str, list[Place]],
    out: Collector,
    layouts: list[LaidCard],
    layout: bool = True,
) -> LanguageSummary:
    expected = project.cards_messages(cards)
    path = po_path(project.data.locales, lang.code)
    shown = str(path.relative_to(project.data.root)) if not lang.source else ""
    counts = dict.fromkeys(("fuzzy", "missing", "placeholder", "fit", "glyph", "translated"), 0)
    counts |= dict.fromkeys(("reviewed", "unreviewed", "changed", "identical"), 0)
    review = "source" if lang.source else "no review recorded"

    def summary(state: str) -> LanguageSummary:
        return LanguageSummary(
            lang.code,
            lang.english,
            state,
            len(expected),
            counts["translated"],
            counts["fuzzy"],
            counts["missing"],
            counts["fit"] if layout else None,
            counts["glyph"],
            counts["placeholder"],
            shown,
            counts["reviewed"],
            counts["unreviewed"],
            counts["changed"],
            counts["identical"],
            review,
        )

    issues: list[Issue] = []
    if lang.source:
        tr = Translations(lang, None)
        unusable: set[str] = set()
    else:
        if not path.is_file():
            counts["missing"] = len(expected)
            out.add(
                Finding(
                    "missing",
                    "error",
                    Location(shown),
                    f"{lang.english} has no catalog yet: all {len(expected)} strings are missing",
                    f"nodkort lang add {lang.code} (docs/translating.md)",
                    lang.code,
                )
            )
            return summary("no catalog")
        entries, issues = inspect_catalog(path, lang, project.messages, phrases=project.number_phrases)
        out.problems("catalog", "warning", language_notes(path, lang), lang.code)  # "de_DE" for "de": read, said
        for issue in issues:
            gate: Gate = "placeholder" if issue.kind == "placeholder" else "catalog"
            counts["placeholder"] += issue.kind == "placeholder"
            out.problems(gate, "error", [issue.problem], lang.code)
        if any(i.kind == "syntax" for i in issues):
            return summary("broken")
        tr = with_review(Translations(lang, path, entries, draft=True), project.data.locales)
        review = tr.review_summary()
        unusable = {i.context for i in issues if i.kind == "placeholder"}
        _completeness(tr, expected, path, out, counts)
        _draft_notice(project, lang, out)
    glyphs = _glyphs(project, tr, expected, out)
    counts["glyph"] = len(glyphs)
    unusable |= {context for context, _ in glyphs}
    for card in cards if layout else []:
        for fmt in card.formats.values():
            for variant in card.variants:
                for place in places.get(card.id, [None]):
                    laid = _lay_out(project, card, fmt, tr, variant, place, unusable, out)
                    if laid is not None:
                        layouts.append(laid)
    misfits = out.misfits.get(lang.code, set())
    counts["fit"] = len(misfits)
    # A string that overflows or lacks glyphs is never counted as reviewed, whoever signed it.
    blocked = misfits | unusable
    counts["reviewed"] = sum(
        tr.lookup(m.context, m.msgid)[1] in ("reviewed", "source") and m.context not in blocked for m in expected
    )
    # A catalog with problems is refused by `render`, even as a draft, until they are fixed.
    state = "broken" if not lang.source and issues else tr.review_state(expected)
    if state in ("reviewed", "source") and (misfits or glyphs):
        state = "does not fit" if misfits else "glyphs missing"
    if lang.source:
        counts["translated"] = len(expected)
    return summary(state)


def _draft_notice(project: Project, lang: Language, out: Collector) -> None:
    """A language without its own draft notice gets the English one on its drafts: say so, do not hide it."""
    if lang.draft_notice:
        return
    path = project.data.locales / "languages.toml"
    lines = path.read_text(encoding="utf-8").split("\n") if path.is_file() else []
    line = next((n for n, text in enumerate(lines, start=1) if text.strip() == f"[{lang.code}]"), None)
    out.add(
        Finding(
            "catalog",
            "warning",
            Location(str(path), line, lang.code),
            f"{lang.english} has no draft_notice: its drafts carry the English 'DRAFT – translation not reviewed'",
            f'add draft_notice = "…" to [{lang.code}], written in {lang.english} by its translator',
            lang.code,
        )
    )


def _completeness(
    tr: Translations, expected: Sequence[Message], path: object, out: Collector, counts: dict[str, int]
) -> None:
    """A finding for each string that is missing, a draft, or not signed by a review as it reads now."""
    code = tr.language.code
    for message in expected:
        status = tr.status(message.context, message.msgid)
        line = tr.line(message.context)
        where = Location(str(path), line or None)
        same = " It is identical to the Swedish source." if status.identical else ""
        counts["identical"] += status.identical and status.state != "reviewed"
        counts["translated"] += status.state != "missing"
        if status.state == "missing":
            counts["missing"] += 1
            critical = " (critical: it never falls back to Swedish)" if message.critical else ""
            what, fix = f'msgctxt "{message.context}" is not translated{critical}', "translate it in Poedit or Weblate"
            gate: Gate = "missing"
        elif status.state == "fuzzy":
            counts["fuzzy"] += 1
            what = f'msgctxt "{message.context}" is {status.why}{same}'
            fix = (
                "run `nodkort lang update`, then translate and review it"
                if "older" in status.why
                else "finish the translation (Poedit: clear Needs Work), then a reviewer signs it"
            )
            gate = "fuzzy"
        elif status.state in ("unreviewed", "changed"):
            counts[status.state] += 1
            what = f'msgctxt "{message.context}" is not reviewed: {status.why}{same}'
            fix = f'a reviewer who did not translate it signs it: nodkort lang review {code} --reviewer "Name, role"'
            if status.identical:
                fix += f" (--same-as-source {message.context} if the Swedish text is meant, e.g. a name)"
            gate = "review"
        else:
            continue
        out.add(Finding(gate, "error", where, what, fix, code, context=message.context))


def _glyphs(
    project: Project, tr: Translations, expected: Sequence[Message], out: Collector
) -> list[tuple[str, Problem]]:
    found: list[tuple[str, Problem]] = []
    for message in expected:
        text, _ = tr.lookup(message.context, message.msgid)
        where = string_location(tr, message)
        for problem in glyph_problems(project.fonts, [(where, text)], tr.language.fonts, tr.language.code):
            found.append((message.context, problem))
    out.problems("glyph", "error", [p for _, p in found], tr.language.code)
    return found


def _translator(tr: Translations, unusable: set[str]) -> Callable[[str, str, bool], str]:
    """What a draft prints: translations where they are usable, the Swedish source where they are not."""

    def translate(context: str, msgid: str, critical: bool) -> str:
        text, state = tr.lookup(context, msgid)
        return msgid if state == "missing" or context in unusable else text

    return translate


def _lay_out(
    project: Project,
    card: Card,
    fmt: Format,
    tr: Translations,
    variant: Variant,
    place: Place,
    unusable: set[str],
    out: Collector,
) -> LaidCard | None:
    """Lay one combination out side by side, as `render` would, recording what fails; the card when all fits."""
    lang = tr.language
    municipality = place[1] if place else None
    scope = "/".join(p for p in (fmt.name, variant, municipality.name if municipality else "") if p)
    stale = is_stale(project, fmt, variant, place, None)
    ctx = card_context(project, card, fmt, lang, variant, _translator(tr, unusable), place, stale)
    sides: list[LaidSide] = []
    for side in fmt.sides:
        try:
            sides.append(layout_side(side, ctx))
        except FitError as exc:
            out.problems("fit", "error", [fit_fix(p, tr) for p in exc.problems], lang.code, card.id, scope)
        except QrError as exc:
            out.problems("qr", "error", exc.problems, lang.code, card.id, scope)
        except GlyphError as exc:
            out.problems("glyph", "error", exc.problems, lang.code, card.id, scope)
        except (ContactError, TemplateError) as exc:
            out.problems("contact", "error", exc.problems, lang.code, card.id, scope)
        except NodkortError as exc:
            out.problems("template", "error", exc.problems, lang.code, card.id, scope)
    if len(sides) < len(fmt.sides):
        return None
    try:
        return assemble(ctx, sides)
    except TemplateError as exc:
        out.problems("discreet", "error", exc.problems, lang.code, card.id, scope)
        return None
