"""Languages and catalogs: locales/ → Language values and strict translations with their review state.

Catalogs are read with Babel's `read_po`, never through `gettext`/`Translations.load`, which silently fall
back to the source language when something is missing. Here a missing string is known, a fuzzy one is a
draft, and a critical one never falls back to Swedish.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, read_po

from .errors import CatalogError, Problem, ReviewError, UsageError
from .extract import PLACEHOLDER, Message
from .model import Direction, Language

DOMAIN = "nodkort"
SOURCE = "sv"
_LANGUAGE_KEYS = {"name", "english", "script", "babel", "fonts", "source", "line_break", "draft_notice", "direction"}


def load_languages(locales: Path) -> dict[str, Language]:
    """locales/languages.toml → languages, with their direction taken from Babel's CLDR data."""
    path = locales / "languages.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CatalogError(Problem(str(path), f"cannot read the language list ({exc})")) from None
    languages: dict[str, Language] = {}
    problems: list[Problem] = []
    for code, table in data.items():
        unknown = set(table) - _LANGUAGE_KEYS
        if unknown:
            problems.append(Problem(f"{path} [{code}]", f"unknown keys {sorted(unknown)}"))
        babel_code = str(table.get("babel", code))
        try:
            if not babel_code:
                # No CLDR locale exists for this language: its direction must be stated explicitly.
                if table.get("direction") not in ("ltr", "rtl"):
                    raise ValueError("direction")
                direction = cast(Direction, table["direction"])
            else:
                direction = cast(Direction, Locale.parse(babel_code).text_direction)
        except (UnknownLocaleError, ValueError):
            problems.append(Problem(f"{path} [{code}]", f"Babel does not know locale '{babel_code}'",
                                    "set 'babel' to the closest locale Babel knows (e.g. prs → fa_AF), or "
                                    "babel = \"\" with direction = \"ltr\" or \"rtl\""))
            continue
        languages[code] = Language(
            code=code, name=str(table.get("name", code)), english=str(table.get("english", code)),
            script=str(table.get("script", "Latn")), direction=direction, babel=babel_code,
            fonts=tuple(table.get("fonts", ["sans"])), source=bool(table.get("source", False)),
            line_break=table.get("line_break", "uax14"), draft_notice=str(table.get("draft_notice", "")),
        )
    if problems:
        raise CatalogError(problems)
    return languages


def po_path(locales: Path, code: str) -> Path:
    return locales / code / "LC_MESSAGES" / f"{DOMAIN}.po"


@dataclass(frozen=True)
class Entry:
    msgstr: str
    fuzzy: bool
    line: int


@dataclass
class Translations:
    """One language's strings keyed by context, read strictly; the source language translates to itself."""

    language: Language
    path: Path | None
    entries: dict[str, Entry] = field(default_factory=dict)
    draft: bool = False  # use fuzzy and missing (non-critical) strings instead of refusing

    def lookup(self, context: str, msgid: str) -> tuple[str, str]:
        """(text, state) where state is reviewed, fuzzy, missing or source."""
        if self.language.source:
            return msgid, "source"
        entry = self.entries.get(context)
        if entry is None or not entry.msgstr:
            return msgid, "missing"
        return entry.msgstr, "fuzzy" if entry.fuzzy else "reviewed"

    def text(self, context: str, msgid: str, critical: bool = False) -> str:
        """The text to print; unreviewed strings only in draft mode, critical ones never in Swedish."""
        text, state = self.lookup(context, msgid)
        if state in ("source", "reviewed"):
            return text
        if not self.draft:
            raise ReviewError(Problem(
                f"{self.path or self.language.code} [{context}]",
                f"the {self.language.english} string is {state}",
                "review it, or render with --draft",
            ))
        if state == "missing" and critical:
            raise ReviewError(Problem(
                f"{self.path or self.language.code} [{context}]",
                f"critical string missing in {self.language.english}; it never falls back to Swedish",
                f"translate msgctxt \"{context}\" in {self.path}",
            ))
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


def read_catalog(path: Path, language: Language) -> Catalog:
    """Parse a .po file strictly: a syntax error or a wrong Language header names file and line."""
    try:
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=None, domain=DOMAIN, abort_invalid=True)
    except PoFileError as exc:
        line = getattr(exc, "lineno", None)
        where = f"{path}:{line + 1}" if isinstance(line, int) else str(path)
        raise CatalogError(Problem(where, f"invalid .po file: {exc}", "fix the entry (Poedit shows the line)")) \
            from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise CatalogError(Problem(str(path), f"cannot read the catalog ({exc})")) from None
    header = catalog.mime_headers
    declared = next((v for k, v in header if k.lower() == "language"), "")
    if declared.replace("-", "_") not in (language.code, language.babel):
        raise CatalogError(Problem(
            f"{path}:1", f"Language header is '{declared}', expected '{language.code}'",
            f"set \"Language: {language.code}\\n\" in the header",
        ))
    return catalog


def _lines_of(path: Path) -> dict[tuple[str | None, str], int]:
    """Line of each msgctxt/msgid pair, and duplicates, which Babel would merge silently."""
    found: dict[tuple[str | None, str], int] = {}
    context: str | None = None
    context_line = 0
    text = path.read_text(encoding="utf-8").splitlines()
    duplicates: list[Problem] = []
    for number, line in enumerate(text, start=1):
        if line.startswith("msgctxt "):
            context = _unquote(line[8:])
            context_line = number
        elif line.startswith("msgid "):
            msgid = _unquote(line[6:])
            # continuation lines of a multi-line msgid
            index = number
            while index < len(text) and text[index].startswith('"'):
                msgid += _unquote(text[index])
                index += 1
            key = (context, msgid)
            if key in found and msgid:
                duplicates.append(Problem(f"{path}:{context_line or number}",
                                          f"duplicate entry for msgctxt \"{context}\" (first at line {found[key]})",
                                          "keep one of the two entries"))
            found[key] = context_line or number
            context = None
    if duplicates:
        raise CatalogError(duplicates)
    return found


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1]
    return re.sub(r'\\(.)', lambda m: {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}.get(m.group(1), m.group(1)), text)


def load_translations(locales: Path, language: Language, expected: Iterable[Message], draft: bool = False) \
        -> Translations:
    """Read one language's catalog, checked against the messages the templates define."""
    if language.source:
        return Translations(language, None, draft=draft)
    path = po_path(locales, language.code)
    if not path.is_file():
        return Translations(language, path, draft=draft)
    catalog = read_catalog(path, language)
    lines = _lines_of(path)
    known = {m.context: m for m in expected}
    problems: list[Problem] = []
    entries: dict[str, Entry] = {}
    for message in catalog:
        if not message.id:
            continue
        context = message.context or ""
        line = lines.get((message.context, str(message.id)), 0)
        where = f"{path}:{line}"
        if isinstance(message.id, tuple) or isinstance(message.string, tuple):
            problems.append(Problem(where, f"plural forms are not used by nodkort (msgctxt \"{context}\")",
                                    "remove msgid_plural and keep a single msgstr"))
            continue
        if context not in known:
            problems.append(Problem(where, f"unknown msgctxt \"{context}\": no such string in the cards",
                                    "run `nodkort lang update` to remove obsolete entries"))
            continue
        msgstr = str(message.string or "")
        if msgstr:
            problems.extend(Problem(where, why, "keep placeholders and ** pairs as in the Swedish source")
                            for why in placeholder_problems(known[context].msgid, msgstr))
        entries[context] = Entry(msgstr, message.fuzzy, line)
    if problems:
        raise CatalogError(problems)
    return Translations(language, path, entries, draft=draft)


def placeholder_problems(source: str, translation: str) -> list[str]:
    """Placeholders dropped, renamed or added; unbalanced bold markers; lost bullet lines."""
    problems: list[str] = []
    want, got = sorted(PLACEHOLDER.findall(source)), sorted(PLACEHOLDER.findall(translation))
    if want != got:
        missing = sorted(set(want) - set(got))
        extra = sorted(set(got) - set(want))
        parts = []
        if missing:
            parts.append("missing " + ", ".join(f"{{{p}}}" for p in missing))
        if extra:
            parts.append("unknown " + ", ".join(f"{{{p}}}" for p in extra))
        problems.append("placeholders differ from the source: " + "; ".join(parts or ["count differs"]))
    if translation.count("**") % 2:
        problems.append("unpaired ** bold marker")
    return problems


def require_language(languages: dict[str, Language], code: str) -> Language:
    if code not in languages:
        raise UsageError(f"unknown language '{code}'. Choose one of: {', '.join(sorted(languages))}")
    return languages[code]
