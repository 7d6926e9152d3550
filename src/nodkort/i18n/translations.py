"""Translations: a language's strict catalog → the text to print for each string, with its review state.

A missing string is known, a fuzzy one is a draft, and a critical one never falls back to Swedish. Also
loads the language list (script and direction are stated in it: no CLDR data is loaded for them).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from nodkort.data import languages
from nodkort.errors import CatalogError, Location, Problem, ReviewError, UsageError
from nodkort.i18n.extract import Message
from nodkort.i18n.po import Entry, inspect_catalog, po_path
from nodkort.model import Language

State = Literal["source", "reviewed", "fuzzy", "missing"]


def load_languages(locales: Path) -> dict[str, Language]:
    """locales/languages.toml → languages."""
    return languages.load_languages(locales / "languages.toml")


@dataclass
class Translations:
    """One language's strings keyed by context, read strictly; the source language translates to itself."""

    language: Language
    path: Path | None
    entries: dict[str, Entry] = field(default_factory=dict)
    draft: bool = False  # use fuzzy and missing (non-critical) strings instead of refusing

    def lookup(self, context: str, msgid: str) -> tuple[str, State]:
        """(text, state): a translation of an older Swedish text counts as fuzzy until it is reviewed."""
        if self.language.source:
            return msgid, "source"
        entry = self.entries.get(context)
        if entry is None or not entry.msgstr:
            return msgid, "missing"
        outdated = bool(entry.msgid) and entry.msgid != msgid
        return entry.msgstr, "fuzzy" if entry.fuzzy or outdated else "reviewed"

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
                    "review it, or render with --draft",
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
        counts = {"reviewed": 0, "fuzzy": 0, "missing": 0, "source": 0}
        for message in expected:
            counts[self.lookup(message.context, message.msgid)[1]] += 1
        return counts

    def review_state(self, expected: Iterable[Message]) -> str:
        if self.language.source:
            return "source"
        counts = self.state(expected)
        if counts["missing"]:
            return "incomplete"
        if counts["fuzzy"]:
            return "draft"
        return "reviewed"

    def line(self, context: str) -> int:
        """Line of a string's entry in the catalog (0 when it has none)."""
        entry = self.entries.get(context)
        return entry.line if entry else 0


def load_translations(
    locales: Path, language: Language, expected: Iterable[Message], draft: bool = False
) -> Translations:
    """Read one language's catalog, checked against the messages the templates define."""
    if language.source:
        return Translations(language, None, draft=draft)
    path = po_path(locales, language.code)
    if not path.is_file():
        return Translations(language, path, draft=draft)
    entries, issues = inspect_catalog(path, language, expected)
    if issues:
        raise CatalogError([i.problem for i in issues])
    return Translations(language, path, entries, draft=draft)


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
