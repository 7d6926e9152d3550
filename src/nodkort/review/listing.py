"""Listings: a project → the plain-text tables of `nodkort list`, `nodkort lang list` and `nodkort contacts`.

Text, not printing: the command line echoes these lines, the tests read them, and a web page can show them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date

from nodkort.data.freshness import every_contact, months_between
from nodkort.data.provenance import SOURCE_MAX_MONTHS
from nodkort.data.regions import has_verified_number
from nodkort.project import Project

CONTACT_HEADER = (
    "owner",
    "contact",
    "number",
    "url",
    "status",
    "checked",
    "age_months",
    "source_date",
    "note",
    "source",
    "owned_by",
    "evidence",
)
STATUSES = ("fresh", "ageing", "stale", "unverified", "future")


def cards(project: Project) -> Iterator[str]:
    yield f"Data folder: {project.data.root} ({project.data.why})"
    yield "Cards:"
    for card_id in project.card_ids:
        card = project.card(card_id)
        formats = ", ".join(f"{n}{' (default)' if n == card.default_format else ''}" for n in card.formats)
        extra = " — needs --municipality" if card.needs_municipality else ""
        yield f"  {card_id:<10} v{card.version}  formats: {formats}{extra}"


def languages(project: Project) -> Iterator[str]:
    yield "Languages:"
    width = max((len(lang.english) for lang in project.languages.values()), default=0)
    for code, lang in project.languages.items():
        state = project.translations(lang).review_state(project.messages)
        yield f"  {code:<4} {lang.english:<{width}}  {lang.direction}  {state}"


def municipalities(project: Project) -> Iterator[str]:
    for data in project.regions.values():
        yield f"{data.region.name} ({data.region.id}):"
        for m in data.region.municipalities:
            # Listed, so that the gap shows; rendering its card is refused until a number is verified.
            gap = "" if has_verified_number(m) else "  (no verified number: cannot be printed)"
            yield f"  {m.code}  {m.name}{gap}"


def language_coverage(project: Project) -> Iterator[str]:
    """`nodkort lang list`: code, name, script, direction, review state, coverage and who reviewed it."""
    expected = project.messages
    yield f"{'code':<5} {'language':<30} {'script':<6} {'dir':<4} {'state':<11} {'coverage':<30} review"
    for code, lang in project.languages.items():
        tr = project.translations(lang)
        counts = tr.state(expected)
        done = len(expected) - counts["missing"]
        reviewed = counts["reviewed"] + counts["source"]
        coverage = f"{done}/{len(expected)} ({reviewed} reviewed, {counts['fuzzy']} fuzzy)"
        yield (
            f"{code:<5} {lang.english[:30]:<30} {lang.script:<6} {lang.direction:<4} "
            f"{tr.review_state(expected):<11} {coverage:<30} {tr.review_summary()}"
        )


def contact_rows(project: Project, today: date) -> list[tuple[str, ...]]:
    """One row per contact (national, county, municipal), in the order of CONTACT_HEADER."""
    return [
        (
            item.owner,
            item.role,
            c.display,
            c.url,
            item.age.status,
            c.checked.isoformat() if c.checked else "",
            "" if item.age.months is None else str(item.age.months),
            c.source_date.isoformat() if c.source_date else "",
            _source_note(c.source_date, c.status == "verified", today),
            c.source,
            c.owner,
            " ".join(c.evidence),
        )
        for item in every_contact(project.national, project.regions, today)
        for c in [item.age.contact]
    ]


def _source_note(source_date: date | None, verified: bool, today: date) -> str:
    """A page that old may no longer say what it said: the number is checked there again, not trusted."""
    if verified and source_date is not None and months_between(source_date, today) >= SOURCE_MAX_MONTHS:
        return "re-check at the source"
    return ""


def contacts_csv(rows: list[tuple[str, ...]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([CONTACT_HEADER, *rows])
    return out.getvalue()


def contacts_table(rows: list[tuple[str, ...]]) -> Iterator[str]:
    # The table leaves out e-service addresses, owners and evidence (the CSV has them) to keep rows short.
    shown = [i for i, name in enumerate(CONTACT_HEADER) if name not in ("url", "owned_by", "evidence")]
    table = [tuple(CONTACT_HEADER[i] for i in shown)] + [
        tuple((row[i] or "(web)") if CONTACT_HEADER[i] == "number" else row[i] for i in shown) for row in rows
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]) - 1)]
    for row in table:
        yield "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False)) + "  " + row[-1]
    counts = {s: sum(r[4] == s for r in rows) for s in STATUSES}
    summary = ", ".join(f"{n} {s}" for s, n in counts.items() if n or s != "future")
    old = sum(r[8] != "" for r in rows)
    yield f"{len(rows)} contacts: {summary}" + (
        f"; {old} on a source page older than {SOURCE_MAX_MONTHS} months" if old else ""
    )
