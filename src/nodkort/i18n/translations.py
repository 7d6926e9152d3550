"""Translations: a language's strict catalog → the text to print for each string, with its review state.

A missing string is known, a fuzzy one is a draft, and a critical one never falls back to Swedish. A string is
reviewed only when a review record (i18n/review.py) signs its current text, by someone other than the catalog's
last translator, and it is not the Swedish text unchanged unless the reviewer said so. This is the one place
every gate asks. Also loads the language list (script and direction are stated in it: no CLDR data is loaded
for them).
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from nodkort.data import languages
from nodkort.errors import CatalogError, Location, Problem, ReviewError, UsageError
from nodkort.i18n.extract import Message
from nodkort.i18n.po import Entry, inspect_catalog, po_path
from nodkort.i18n.review import Record, Signature, digest, last_translator, load_record, same_person, when_text
from nodkort.model import Language

# unreviewed: translated, no valid review; changed: a review signed an earlier text (or Swedish source).
State = Literal["source", "reviewed", "unreviewed", "changed", "fuzzy", "missing"]
STATES: tuple[State, ...] = ("reviewed", "unreviewed", "changed", "fuzzy", "missing", "source")


@dataclass(frozen=True)
class Status:
    """One string's review state and why: what `check`, `lang status` and `proof` show beside it."""

    text: str
    state: State
    identical: bool = False  # the translation is the Swedish text unchanged
    signature: Signature | None = None  # the review that counts, or the one the text changed since
    why: str = ""

    @property
    def signed(self) -> str:
        """ "Amina Yusuf (translator), 2026-12-03" for a signature, else ""."""
        sig = self.signature
        return f"{sig.reviewer}, {when_text(sig.when)}" if sig else ""


def load_languages(locales: Path, families: Collection[str] | None = None) -> dict[str, Language]:
    """locales/languages.toml → languages; with `families`, every font chain is checked against them."""
    return languages.load_languages(locales / "languages.toml", families)


@dataclass
class Translations:
    """One language's strings keyed by context, read strictly; the source language translates to itself."""

    language: Language
    path: Path | None
    entries: dict[str, Entry] = field(default_factory=dict)
    draft: bool = False  # use unreviewed and missing (non-critical) strings instead of refusing
    record: Record | None = None  # locales/<lang>/review.toml; None when no review was ever recorded
    translator: str = ""  # the catalog's Last-Translator ("" when it names nobody)

    def lookup(self, context: str, msgid: str) -> tuple[str, State]:
        """(text, state) of a string; `status` says why."""
        status = self.status(context, msgid)
        return status.text, status.state

    def status(self, context: str, msgid: str) -> Status:
        """A string's state: reviewed only when its current text is signed by someone who did not translate it.

        Clearing fuzzy alone never makes a string reviewed. Whether it fits and has its glyphs is known only
        once it is laid out: `check` and `proof` take those away from the reviewed ones; `render` refuses both.
        """
        if self.language.source:
            return Status(msgid, "source")
        entry = self.entries.get(context)
        if entry is None or not entry.msgstr:
            return Status(msgid, "missing")
        text = entry.msgstr
        identical = text == msgid
        outdated = bool(entry.msgid) and entry.msgid != msgid
        if entry.fuzzy or outdated:
            why = "a translation of an older Swedish text" if outdated else "fuzzy (a draft)"
            return Status(text, "fuzzy", identical, why=why)
        sig = self.record.signatures.get(context) if self.record else None
        if sig is None:
            return Status(text, "unreviewed", identical, why="no review recorded")
        if sig.digest != digest(text) or sig.msgid != msgid:
            what = "translation" if sig.msgid == msgid else "Swedish source"
            return Status(text, "changed", identical, sig, f"its {what} changed since {sig.reviewer} reviewed it")
        if not self.translator or same_person(self.translator, sig.reviewer.name):
            why = (
                f"signed by {sig.reviewer.name}, the catalog's last translator (four eyes)"
                if self.translator
                else "the catalog names no Last-Translator, so the review cannot be a second pair of eyes"
            )
            return Status(text, "unreviewed", identical, sig, why)
        if identical and not sig.same_as_source:
            why = "identical to the Swedish, and the reviewer did not mark it as meant to be"
            return Status(text, "unreviewed", identical, sig, why)
        return Status(text, "reviewed", identical, sig)

    def text(self, context: str, msgid: str, critical: bool = False) -> str:
        """The text to print; unreviewed strings only in draft mode, critical ones never in Swedish."""
        text, state = self.lookup(context, msgid)
        if state in ("source", "reviewed"):
            return text
        line = self.line(context)
        where = Location(str(self.path or self.language.code), line or None, context)
        if not self.draft:
            raise ReviewError(
                Problem(
                    where,
                    f"the {self.language.english} string is {state}",
                    f"a reviewer signs it (nodkort lang review {self.language.code}), or render with --draft",
                )
            )
        if state == "missing" and critical:
            raise ReviewError(
                Problem(
                    where,
                    f"critical string missing in {self.language.english}; it never falls back to Swedish",
                    f'translate msgctxt "{context}" in {self.path}',
                )
            )
        return text

    def state(self, expected: Iterable[Message]) -> dict[str, int]:
        counts: dict[str, int] = dict.fromkeys(STATES, 0)
        for message in expected:
            counts[self.lookup(message.context, message.msgid)[1]] += 1
        return counts

    def review_state(self, expected: Iterable[Message]) -> str:
        """source; incomplete (some missing); draft (some fuzzy); unreviewed (some not signed, or changed since);
        reviewed (every string signed as it is now)."""
        if self.language.source:
            return "source"
        counts = self.state(expected)
        if counts["missing"]:
            return "incomplete"
        if counts["fuzzy"]:
            return "draft"
        if counts["unreviewed"] or counts["changed"]:
            return "unreviewed"
        return "reviewed"

    def review_summary(self) -> str:
        """Who reviewed this catalog and when, or that nobody has: "no review recorded"."""
        if self.language.source:
            return "source"
        if self.record is None or not self.record.signatures:
            return "no review recorded"
        shown = [f"{who}, {when_text(when)}" for who, when in self.record.reviewers()]
        return "by " + "; ".join(shown[:2]) + (f" and {len(shown) - 2} more" if len(shown) > 2 else "")

    def line(self, context: str) -> int:
        """Line of a string's entry in the catalog (0 when it has none)."""
        entry = self.entries.get(context)
        return entry.line if entry else 0


def load_translations(
    locales: Path,
    language: Language,
    expected: Iterable[Message],
    phrases: Mapping[str, Sequence[str]],
    draft: bool = False,
) -> Translations:
    """Read one language's catalog, checked against the messages the templates define and the source
    language's number phrases (`source_number_phrases`)."""
    if language.source:
        return Translations(language, None, draft=draft)
    path = po_path(locales, language.code)
    if not path.is_file():
        return Translations(language, path, draft=draft)
    entries, issues = inspect_catalog(path, language, expected, phrases=phrases)
    if issues:
        raise CatalogError([i.problem for i in issues])
    return with_review(Translations(language, path, entries, draft=draft), locales)


def with_review(tr: Translations, locales: Path) -> Translations:
    """The same translations with the language's review record and the catalog's last translator."""
    if tr.language.source or tr.path is None or not tr.path.is_file():
        return tr
    tr.record = load_record(locales, tr.language.code)
    tr.translator = last_translator(tr.path.read_text(encoding="utf-8"))
    return tr


def require_language(languages: dict[str, Language], code: str) -> Language:
    if code not in languages:
        raise UsageError(f"unknown language '{code}'. Choose one of: {', '.join(sorted(languages))}")
    return languages[code]


def names_in(locale: str, languages: Mapping[str, Language]) -> dict[str, tuple[str, ...]]:
    """What each language is called in `locale` (CLDR), by code and by its CLDR locale: how an order file
    written in that language may name it."""
    from babel import Locale  # CLDR data costs a moment to load: only the commands that need it pay for it

    cldr = Locale.parse(locale).languages
    return {code: tuple(n for n in (cldr.get(code), cldr.get(lang.babel)) if n) for code, lang in languages.items()}


def language_names(languages: Mapping[str, Language]) -> dict[str, str]:
    """Every name a person may give a language (casefolded) → its code: the code, its English name, its own
    name and its Swedish names ("sv", "Swedish", "svenska"; "ar", "Arabic", "arabiska")."""
    swedish = names_in("sv", languages)
    names: dict[str, str] = {}
    for code, lang in languages.items():
        for name in (code, lang.english, lang.name, *swedish[code]):
            if name:
                names.setdefault(name.casefold(), code)
    return names


def find_language(languages: Mapping[str, Language], text: str) -> str:
    """A language's code from any of its names, in any case; an unknown name exits 2 with the closest match."""
    if text in languages:
        return text  # the code itself: no CLDR data loaded
    names = language_names(languages)
    code = names.get(text.strip().casefold())
    if code is None:
        close = difflib.get_close_matches(text.strip().casefold(), list(names), n=1, cutoff=0.6)
        hint = f"Did you mean {names[close[0]]} ({close[0]})? " if close else ""
        raise UsageError(f"unknown language '{text}'. {hint}Choose one of: {', '.join(sorted(languages))}")
    return code
