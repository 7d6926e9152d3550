"""Languages and catalogs: locales/ → Language values and strict translations with their review state.

Catalogs are read with Babel's `read_po`, never through `gettext`/`Translations.load`, which silently fall
back to the source language when something is missing. Babel's reader is itself lenient (an unterminated
string becomes an empty translation, a duplicate entry silently replaces the first), so every file is first
scanned line by line here: each problem is reported with its file and line. A missing string is known, a
fuzzy one is a draft, and a critical one never falls back to Swedish.
"""

from __future__ import annotations

import io
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, cast

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, read_po

from nodkort.errors import CatalogError, Problem, ReviewError, UsageError
from nodkort.i18n.extract import PLACEHOLDER, Message
from nodkort.model import DEFAULT_FAMILY, Direction, Language

DOMAIN = "nodkort"
SOURCE = "sv"
LANGUAGE_KEYS = {
    "name", "english", "script", "babel", "fonts", "source", "line_break", "draft_notice", "direction",
}
State = Literal["source", "reviewed", "fuzzy", "missing"]
IssueKind = Literal["syntax", "header", "duplicate", "plural", "unknown", "placeholder"]

_KEYWORD = re.compile(r"^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)(\s+)(.*)$")
_STRING = re.compile(r'^"((?:[^"\\]|\\.)*)"\s*$')
_ESCAPE = re.compile(r"\\(.)")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}


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
        unknown = set(table) - LANGUAGE_KEYS
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
            fonts=tuple(table.get("fonts", [DEFAULT_FAMILY])), source=bool(table.get("source", False)),
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
    msgid: str = ""  # the Swedish text this translation was made from


@dataclass(frozen=True)
class Issue:
    """One problem in a catalog; `context` names the string when the problem belongs to one."""

    kind: IssueKind
    problem: Problem
    context: str = ""


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
        where = f"{self.path or self.language.code}{f':{line}' if line else ''} [{context}]"
        if not self.draft:
            raise ReviewError(Problem(
                where,
                f"the {self.language.english} string is {state}",
                "review it, or render with --draft",
            ))
        if state == "missing" and critical:
            raise ReviewError(Problem(
                where,
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

    def line(self, context: str) -> int:
        """Line of a string's entry in the catalog (0 when it has none)."""
        entry = self.entries.get(context)
        return entry.line if entry else 0


@dataclass
class _Scanned:
    """What the line scanner learns: where each entry is, the Language header line, and the problems."""

    lines: dict[tuple[str | None, str], int] = field(default_factory=dict)
    language_line: int = 0
    issues: list[Issue] = field(default_factory=list)


def decode_string(text: str) -> str | None:
    """The value of a quoted .po string, or None when it is not one (unterminated, text outside quotes)."""
    match = _STRING.match(text.strip())
    if match is None:
        return None
    return _ESCAPE.sub(lambda m: _ESCAPES.get(m.group(1), "\\" + m.group(1)), match.group(1))


def _bad_escape(text: str) -> str | None:
    for match in _ESCAPE.finditer(text):
        if match.group(1) not in _ESCAPES:
            return "\\" + match.group(1)
    return None


def _scan(path: Path, text: str) -> _Scanned:
    """Check the syntax line by line and find each entry's line; duplicates and bad strings are issues."""
    out = _Scanned()
    context: str | None = None
    start = 0  # first line of the entry being read (its msgctxt, else its msgid)
    msgid: str | None = None
    keyword = ""
    in_header = False

    def finish() -> None:
        if msgid is None:
            return
        key = (context, msgid)
        if key in out.lines and (msgid or context is not None):
            first = out.lines[key]
            out.issues.append(Issue("duplicate", Problem(
                f"{path}:{start}", f"duplicate entry for msgctxt \"{context}\" (first at line {first})",
                "keep one of the two entries"), context or ""))
        else:
            out.lines[key] = start

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _KEYWORD.match(line)
        value_text = match.group(3) if match else line
        if match is None and not line.startswith('"'):
            out.issues.append(Issue("syntax", Problem(
                f"{path}:{number}", f"not a .po line: {line[:60]!r}",
                "each line is a comment (#), a keyword (msgctxt, msgid, msgstr) with a quoted string, or a "
                "quoted continuation")))
            continue
        value = decode_string(value_text)
        if value is None:
            out.issues.append(Issue("syntax", Problem(
                f"{path}:{number}", "the string is not closed by a quote, or text stands outside the quotes",
                'write the text between double quotes, and a quote inside the text as \\"')))
            continue
        escape = _bad_escape(value_text)
        if escape:
            out.issues.append(Issue("syntax", Problem(
                f"{path}:{number}", f"unknown escape sequence {escape}",
                "use \\n for a new line, \\\" for a quote and \\\\ for a backslash")))
        if match is None:  # continuation of the current keyword's string
            if keyword == "msgid" and msgid is not None:
                msgid += value
            elif keyword == "msgctxt" and context is not None:
                context += value
            if in_header and keyword.startswith("msgstr") and value.lower().startswith("language:"):
                out.language_line = number
            continue
        keyword = match.group(1)
        if keyword == "msgctxt" or (keyword == "msgid" and not (context is not None and msgid is None)):
            finish()
            context, msgid, start = None, None, number
        if keyword == "msgctxt":
            context = value
        elif keyword == "msgid":
            msgid = value
            in_header = msgid == "" and context is None
        elif keyword.startswith("msgstr") and in_header and value.lower().startswith("language:"):
            out.language_line = number
    finish()
    return out


def _read(path: Path) -> tuple[Catalog | None, _Scanned]:
    """Scan and parse one catalog; the catalog is None when its syntax is broken."""
    try:
        data = path.read_bytes()
        text = data.decode("utf-8")
    except OSError as exc:
        raise CatalogError(Problem(str(path), f"cannot read the catalog ({exc.strerror})")) from None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        scanned = _Scanned()
        scanned.issues.append(Issue("syntax", Problem(f"{path}:{line}", "the file is not UTF-8 text",
                                                      "save it as UTF-8 (Poedit and Weblate do)")))
        return None, scanned
    scanned = _scan(path, text)
    if any(i.kind == "syntax" for i in scanned.issues):
        return None, scanned
    try:
        catalog = read_po(io.BytesIO(data), locale=None, domain=DOMAIN, abort_invalid=True)
    except PoFileError as exc:
        lineno = getattr(exc, "lineno", None)  # Babel counts from 0
        where = f"{path}:{lineno + 1}" if isinstance(lineno, int) else str(path)
        what = re.sub(r" on \d+$", "", str(exc))  # Babel's own line number counts from 0: confusing
        scanned.issues.append(Issue("syntax", Problem(where, f"invalid .po file: {what}",
                                                      "fix the entry (Poedit shows the line)")))
        return None, scanned
    except ValueError as exc:
        scanned.issues.append(Issue("syntax", Problem(str(path), f"invalid .po file: {exc}")))
        return None, scanned
    return catalog, scanned


def _header_issue(path: Path, catalog: Catalog, scanned: _Scanned, language: Language) -> Issue | None:
    declared = next((str(v) for k, v in catalog.mime_headers if k.lower() == "language"), "")
    if declared.replace("-", "_") in (language.code, language.babel):
        return None
    return Issue("header", Problem(
        f"{path}:{scanned.language_line or 1}",
        f"Language header is '{declared}', expected '{language.code}'" if declared
        else f"the header has no Language, expected '{language.code}'",
        f"set \"Language: {language.code}\\n\" in the header (Poedit: Translation → Properties)",
    ))


def read_catalog(path: Path, language: Language) -> Catalog:
    """Parse a .po file strictly: a syntax error, duplicate or wrong Language header names file and line."""
    catalog, scanned = _read(path)
    issues = list(scanned.issues)
    if catalog is not None:
        header = _header_issue(path, catalog, scanned, language)
        if header:
            issues.append(header)
    if issues or catalog is None:
        raise CatalogError([i.problem for i in issues])
    return catalog


def inspect_catalog(
    path: Path, language: Language, expected: Iterable[Message] | None = None
) -> tuple[dict[str, Entry], list[Issue]]:
    """Every entry of a catalog and every problem in it, each with file and line.

    With `expected` (the strings of the cards), an entry for no such string is a problem and placeholders
    are compared with the current Swedish source; without it, with the entry's own msgid (`lang update`).
    When the syntax is broken no entries are returned.
    """
    catalog, scanned = _read(path)
    issues = list(scanned.issues)
    if catalog is None:
        return {}, issues
    header = _header_issue(path, catalog, scanned, language)
    if header:
        issues.append(header)
    known = {m.context: m for m in expected} if expected is not None else None
    entries: dict[str, Entry] = {}
    for message in catalog:
        if not message.id:
            continue
        context = message.context or ""
        msgid = message.id[0] if isinstance(message.id, tuple | list) else str(message.id)
        line = scanned.lines.get((message.context, msgid), 0)
        where = f"{path}:{line}"
        if isinstance(message.id, tuple | list) or isinstance(message.string, tuple | list):
            issues.append(Issue("plural", Problem(
                where, f"plural forms are not used by nodkort (msgctxt \"{context}\")",
                "remove msgid_plural and keep a single msgid and msgstr"), context))
            continue
        if known is not None and context not in known:
            what = (f"unknown msgctxt \"{context}\": no such string in the cards"
                    if message.context is not None
                    else f"entry without msgctxt (msgid \"{msgid[:40]}\"): every nodkort string has one")
            fix = ("if the cards dropped the string, `nodkort lang update` removes it; if the msgctxt was "
                   "edited, restore it")
            issues.append(Issue("unknown", Problem(where, what, fix), context))
            continue
        msgstr = str(message.string or "")
        source = known[context].msgid if known is not None else msgid
        if msgstr:
            issues.extend(Issue("placeholder", Problem(
                where, f"msgctxt \"{context}\": {why}",
                "keep placeholders, ** pairs and line breaks as in the Swedish source"), context)
                for why in placeholder_problems(source, msgstr))
        entries[context] = Entry(msgstr, message.fuzzy, line, msgid)
    return entries, issues


def load_translations(locales: Path, language: Language, expected: Iterable[Message], draft: bool = False) \
        -> Translations:
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


def placeholder_problems(source: str, translation: str) -> list[str]:
    """Placeholders dropped, renamed or added; unbalanced bold markers; lost lines (bullet points)."""
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
    if source.count("\n") != translation.count("\n"):
        problems.append(f"the source has {source.count(chr(10)) + 1} lines (bullet points), the translation "
                        f"{translation.count(chr(10)) + 1}")
    elif (source.startswith("\n"), source.endswith("\n")) != (translation.startswith("\n"),
                                                              translation.endswith("\n")):
        problems.append("the translation must begin and end with a line break exactly where the source does")
    return problems


def require_language(languages: dict[str, Language], code: str) -> Language:
    if code not in languages:
        raise UsageError(f"unknown language '{code}'. Choose one of: {', '.join(sorted(languages))}")
    return languages[code]
