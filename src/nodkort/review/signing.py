"""Signing: a language, a reviewer and the strings chosen → what a review would sign, then the record written.

Before anything is signed, the reviewer sees each string with its Swedish source and translation, and what
keeps a string from being signed: missing, fuzzy, identical to the Swedish (unless the reviewer marks it as
meant to be: a name, a number), overflowing its box, a character no font has, a placeholder problem. Whether
a string fits is found by laying out every card, format, variant and municipality, as `nodkort check` does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from nodkort.errors import CatalogError, Location, Problem, ReviewError, UsageError
from nodkort.i18n.extract import Message
from nodkort.i18n.po import po_path
from nodkort.i18n.review import Reviewer, Signing, append_review, four_eyes_problem
from nodkort.i18n.translations import Status
from nodkort.model import Language
from nodkort.project import Project
from nodkort.review.check import run_checks


@dataclass(frozen=True)
class Item:
    """One string on the list the reviewer reads."""

    message: Message
    status: Status
    blockers: tuple[str, ...]  # why it cannot be signed; empty when it can
    same_as_source: bool

    @property
    def signable(self) -> bool:
        return not self.blockers


@dataclass(frozen=True)
class Plan:
    language: Language
    reviewer: Reviewer
    catalog: Path
    translator: str
    items: tuple[Item, ...]

    @property
    def signable(self) -> list[Item]:
        return [item for item in self.items if item.signable]


def plan_review(
    project: Project,
    lang: Language,
    reviewer: Reviewer,
    contexts: Sequence[str] = (),
    same_as_source: Sequence[str] = (),
) -> Plan:
    """What `reviewer` would sign in `lang`: every string, or those of `contexts`. Refused for the source
    language, an unknown string (exit 2), or a reviewer who is the catalog's last translator (exit 1)."""
    if lang.source:
        raise UsageError(f"{lang.english} ({lang.code}) is the source language: there is nothing to review")
    known = {m.context: m for m in project.messages}
    unknown = sorted((set(contexts) | set(same_as_source)) - set(known))
    if unknown:
        raise UsageError(
            f"no such string: {', '.join(unknown)} (the msgctxt as `nodkort check --lang {lang.code}` shows it)"
        )
    outside = sorted(set(same_as_source) - set(contexts)) if contexts else []
    if outside:
        raise UsageError(f"--same-as-source {outside[0]} is not among the strings chosen with --context")
    catalog = po_path(project.data.locales, lang.code)
    if not catalog.is_file():
        raise UsageError(f"{lang.english} has no catalog yet: nodkort lang add {lang.code}")
    tr = project.translations(lang, draft=True)  # a broken catalog is refused here, with file and line
    problem = four_eyes_problem(catalog, tr.translator, reviewer)
    if problem is not None:
        raise ReviewError(problem)
    blocked = _blocked(project, lang)
    chosen = [known[c] for c in dict.fromkeys(contexts)] if contexts else project.messages
    items = []
    for message in chosen:
        status = tr.status(message.context, message.msgid)
        same = message.context in same_as_source
        blockers = _blockers(status, same) + blocked.get(message.context, ())
        items.append(Item(message, status, blockers, same))
    return Plan(lang, reviewer, catalog, tr.translator, tuple(items))


def _blocked(project: Project, lang: Language) -> dict[str, tuple[str, ...]]:
    """Strings that overflow, lack glyphs or break a placeholder, found by laying out every card in `lang`."""
    report = run_checks(project, langs=[lang.code])
    broken = [f for f in report.findings if f.gate == "catalog" and f.severity == "error"]
    if broken:
        raise CatalogError([Problem(f.where, f.what, f.fix) for f in broken])
    reasons = {"fit": "overflowing", "glyph": "missing glyphs", "placeholder": "placeholder problem"}
    found: dict[str, tuple[str, ...]] = {}
    for finding in report.findings:
        reason = reasons.get(finding.gate)
        if reason and finding.lang == lang.code and reason not in found.get(finding.context, ()):
            found[finding.context] = (*found.get(finding.context, ()), reason)
    return found


def _blockers(status: Status, same_as_source: bool) -> tuple[str, ...]:
    match status.state:
        case "missing":
            return ("missing",)
        case "fuzzy":
            return ("fuzzy",)
        case "source":
            return ("source language",)
    if status.identical and not same_as_source:
        return ("identical to Swedish",)
    return ()


def describe(plan: Plan, when: dt.datetime, root: Path) -> Iterator[str]:
    """The list the reviewer reads before signing."""
    lang = plan.language
    shown = plan.catalog.relative_to(root) if plan.catalog.is_relative_to(root) else plan.catalog
    yield f"Review of {lang.english} ({lang.code}) by {plan.reviewer}, {when.isoformat(sep=' ', timespec='minutes')}"
    yield f"Catalog: {shown}, last translated by {plan.translator}"
    yield ""
    for item in plan.items:
        head = "sign  " if item.signable else "NO    "
        notes = list(item.blockers)
        if item.signable and item.same_as_source:
            notes.append("identical to Swedish, marked as meant to be")
        if item.status.state == "reviewed":
            notes.append(f"already reviewed by {item.status.signed}")
        elif item.status.state == "changed":
            notes.append(item.status.why)
        yield head + item.message.context + (f"  [{'; '.join(notes)}]" if notes else "")
        yield from _indented("sv", item.message.msgid)
        yield from _indented(lang.code, item.status.text if item.status.state != "missing" else "(not translated)")
    cannot: dict[str, int] = {}
    for item in plan.items:
        for reason in item.blockers:
            cannot[reason] = cannot.get(reason, 0) + 1
    refused = len(plan.items) - len(plan.signable)
    why = f" ({', '.join(f'{r}: {n}' for r, n in cannot.items())})" if cannot else ""
    yield ""
    yield f"{len(plan.signable)} string(s) will be signed; {refused} cannot be signed{why}."


def _indented(label: str, text: str) -> Iterator[str]:
    for number, line in enumerate(text.split("\n")):
        yield f"      {label + ':' if number == 0 else '':<4} {line}".rstrip()


def sign(project: Project, plan: Plan, when: dt.datetime) -> Path:
    """Append the review of the signable strings to the language's record; refused when none can be signed."""
    items = plan.signable
    if not items:
        raise ReviewError(
            Problem(
                Location(str(plan.catalog)),
                f"none of the {len(plan.items)} string(s) chosen can be signed",
                "translate and finish them (and shorten what overflows) first; the list above says why each "
                "one cannot be signed",
            )
        )
    signing = [Signing(i.message.context, i.message.msgid, i.status.text, i.same_as_source) for i in items]
    lang = plan.language
    return append_review(project.data.locales, lang.code, lang.english, plan.reviewer, when, signing)
