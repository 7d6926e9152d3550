"""Strict .po reading: locales/<lang>/LC_MESSAGES/nodkort.po → entries with their lines, and every problem in it.

Catalogs are read with Babel's `read_po`, never through `gettext`/`Translations.load`, which silently fall
back to the source language when something is missing. Babel's reader is itself lenient (an unterminated
string becomes an empty translation, a duplicate entry silently replaces the first), so every file is first
scanned line by line here: each problem is reported with its file and line.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, read_po

from nodkort.data.templates import PLACEHOLDER
from nodkort.data.unsafe import added_numbers, controls_in
from nodkort.errors import CatalogError, Location, Problem
from nodkort.i18n.extract import Message
from nodkort.model import Language

DOMAIN = "nodkort"
IssueKind = Literal["syntax", "header", "duplicate", "plural", "unknown", "placeholder"]

_KEYWORD = re.compile(r"^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)(\s+)(.*)$")
_STRING = re.compile(r'^"((?:[^"\\]|\\.)*)"\s*$')
_ESCAPE = re.compile(r"\\(.)")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}


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
    scanner = _Scanner(path)
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line and not line.startswith("#"):
            scanner.read_line(number, line)
    scanner.finish_entry()
    return scanner.out


class _Scanner:
    """The state of one pass over a catalog: the entry being read and the keyword its strings continue."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.out = _Scanned()
        self.context: str | None = None
        self.msgid: str | None = None
        self.start = 0  # first line of the entry being read (its msgctxt, else its msgid)
        self.keyword = ""
        self.in_header = False

    def read_line(self, number: int, line: str) -> None:
        match = _KEYWORD.match(line)
        value_text = match.group(3) if match else line
        if match is None and not line.startswith('"'):
            self._syntax(
                number,
                f"not a .po line: {line[:60]!r}",
                "each line is a comment (#), a keyword (msgctxt, msgid, msgstr) with a quoted string, or a "
                "quoted continuation",
            )
            return
        value = decode_string(value_text)
        if value is None:
            self._syntax(
                number,
                "the string is not closed by a quote, or text stands outside the quotes",
                'write the text between double quotes, and a quote inside the text as \\"',
            )
            return
        escape = _bad_escape(value_text)
        if escape:
            self._syntax(
                number,
                f"unknown escape sequence {escape}",
                'use \\n for a new line, \\" for a quote and \\\\ for a backslash',
            )
        if match is None:
            self._continue(number, value)
        else:
            self._keyword(number, match.group(1), value)

    def _continue(self, number: int, value: str) -> None:
        """A quoted line alone continues the current keyword's string."""
        if self.keyword == "msgid" and self.msgid is not None:
            self.msgid += value
        elif self.keyword == "msgctxt" and self.context is not None:
            self.context += value
        self._note_language(number, value)

    def _keyword(self, number: int, keyword: str, value: str) -> None:
        self.keyword = keyword
        # A msgctxt starts an entry; so does a msgid, unless it follows the entry's own msgctxt.
        if keyword == "msgctxt" or (keyword == "msgid" and not (self.context is not None and self.msgid is None)):
            self.finish_entry()
            self.context, self.msgid, self.start = None, None, number
        if keyword == "msgctxt":
            self.context = value
        elif keyword == "msgid":
            self.msgid = value
            self.in_header = value == "" and self.context is None
        else:
            self._note_language(number, value)

    def _note_language(self, number: int, value: str) -> None:
        """The header's Language line, so that a wrong Language header is reported where it is written."""
        if self.in_header and self.keyword.startswith("msgstr") and value.lower().startswith("language:"):
            self.out.language_line = number

    def finish_entry(self) -> None:
        if self.msgid is None:
            return
        key = (self.context, self.msgid)
        if key in self.out.lines and (self.msgid or self.context is not None):
            first = self.out.lines[key]
            self.out.issues.append(
                Issue(
                    "duplicate",
                    Problem(
                        Location(str(self.path), self.start),
                        f'duplicate entry for msgctxt "{self.context}" (first at line {first})',
                        "keep one of the two entries",
                    ),
                    self.context or "",
                )
            )
        else:
            self.out.lines[key] = self.start

    def _syntax(self, number: int, what: str, fix: str) -> None:
        self.out.issues.append(Issue("syntax", Problem(Location(str(self.path), number), what, fix)))


def _read(path: Path) -> tuple[Catalog | None, _Scanned]:
    """Scan and parse one catalog; the catalog is None when its syntax is broken."""
    try:
        data = path.read_bytes()
        text = data.decode("utf-8")
    except OSError as exc:
        raise CatalogError(Problem(Location(str(path)), f"cannot read the catalog ({exc.strerror})")) from None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        scanned = _Scanned()
        scanned.issues.append(
            Issue(
                "syntax",
                Problem(
                    Location(str(path), line), "the file is not UTF-8 text", "save it as UTF-8 (Poedit and Weblate do)"
                ),
            )
        )
        return None, scanned
    scanned = _scan(path, text)
    if any(i.kind == "syntax" for i in scanned.issues):
        return None, scanned
    try:
        catalog = read_po(io.BytesIO(data), locale=None, domain=DOMAIN, abort_invalid=True)
    except PoFileError as exc:
        lineno = getattr(exc, "lineno", None)  # Babel counts from 0
        where = Location(str(path), lineno + 1) if isinstance(lineno, int) else Location(str(path))
        what = re.sub(r" on \d+$", "", str(exc))  # Babel's own line number counts from 0: confusing
        scanned.issues.append(
            Issue("syntax", Problem(where, f"invalid .po file: {what}", "fix the entry (Poedit shows the line)"))
        )
        return None, scanned
    except ValueError as exc:
        scanned.issues.append(Issue("syntax", Problem(Location(str(path)), f"invalid .po file: {exc}")))
        return None, scanned
    return catalog, scanned


def _header_issue(path: Path, catalog: Catalog, scanned: _Scanned, language: Language) -> Issue | None:
    declared = next((str(v) for k, v in catalog.mime_headers if k.lower() == "language"), "")
    if declared.replace("-", "_") in (language.code, language.babel) or _regional(declared, language):
        return None
    return Issue(
        "header",
        Problem(
            Location(str(path), scanned.language_line or 1),
            f"Language header is '{declared}', expected '{language.code}'"
            if declared
            else f"the header has no Language, expected '{language.code}'",
            f'set "Language: {language.code}\\n" in the header (Poedit: Translation → Properties)',
        ),
    )


def _regional(declared: str, language: Language) -> bool:
    """`de_DE` (or `de-DE`) for a language registered without a region, as Poedit and Weblate often write it."""
    base, _, region = declared.replace("-", "_").partition("_")
    return bool(region) and "_" not in language.code and base in (language.code, language.babel)


def language_notes(path: Path, language: Language) -> list[Problem]:
    """A note when the header names a region the language is registered without (`de_DE` for `de`): the
    catalog is read as the language; the note says so, at the header's line."""
    for number, line in enumerate(path.read_text(encoding="utf-8-sig", errors="replace").splitlines()[:40], 1):
        match = re.fullmatch(r'"Language:\s*([^"\\]*)(?:\\n)?"\s*', line.strip())
        if match and _regional(match.group(1).strip(), language):
            declared = match.group(1).strip()
            return [
                Problem(
                    Location(str(path), number),
                    f"Language header is '{declared}': read as '{language.code}', which nodkort registers "
                    "without a region",
                    f'set "Language: {language.code}\\n" in the header to silence this note',
                )
            ]
    return []


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
    path: Path,
    language: Language,
    expected: Iterable[Message] | None = None,
    *,
    phrases: Mapping[str, Sequence[str]],
) -> tuple[dict[str, Entry], list[Issue]]:
    """Every entry of a catalog and every problem in it, each with file and line.

    With `expected` (the strings of the cards), an entry for no such string is a problem and placeholders
    are compared with the current Swedish source; without it, with the entry's own msgid (`lang update`).
    `phrases` are the source language's phrases a translation may write as digits (languages.toml).
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
        where = Location(str(path), line)
        if isinstance(message.id, tuple | list) or isinstance(message.string, tuple | list):
            issues.append(
                Issue(
                    "plural",
                    Problem(
                        where,
                        f'plural forms are not used by nodkort (msgctxt "{context}")',
                        "remove msgid_plural and keep a single msgid and msgstr",
                    ),
                    context,
                )
            )
            continue
        if known is not None and context not in known:
            what = (
                f'unknown msgctxt "{context}": no such string in the cards'
                if message.context is not None
                else f'entry without msgctxt (msgid "{msgid[:40]}"): every nodkort string has one'
            )
            fix = (
                "if the cards dropped the string, `nodkort lang update` removes it; if the msgctxt was "
                "edited, restore it"
            )
            issues.append(Issue("unknown", Problem(where, what, fix), context))
            continue
        msgstr = str(message.string or "")
        source = known[context].msgid if known is not None else msgid
        if msgstr:
            issues.extend(
                Issue(
                    "placeholder",
                    Problem(
                        where,
                        f'msgctxt "{context}": {why}',
                        "keep placeholders, ** pairs and line breaks as in the Swedish source",
                    ),
                    context,
                )
                for why in placeholder_problems(source, msgstr, phrases)
            )
        entries[context] = Entry(msgstr, message.fuzzy, line, msgid)
    return entries, issues


def placeholder_problems(source: str, translation: str, phrases: Mapping[str, Sequence[str]]) -> list[str]:
    """Placeholders dropped, renamed or added; unbalanced bold markers; lost lines (bullet points); bidi controls
    and numbers the source does not hold (compared by value in any script's digits: "١١٢" is 112), except those
    the source's `phrases` stand for ("dygnet runt" may be "24/7")."""
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
    for offset, name in controls_in(translation):
        problems.append(
            f"the invisible direction control {name} at character {offset + 1} can reorder what the card shows "
            "(an override before a number reverses it): only the marks LRM, RLM and ALM are allowed"
        )
    added = added_numbers(source, translation, phrases)
    if added:
        problems.append(
            f"the translation holds {', '.join(repr(n) for n in added)}, a number the Swedish source does not: "
            "numbers reach a card only from the verified contact data, through placeholders"
        )
    if source.count("\n") != translation.count("\n"):
        problems.append(
            f"the source has {source.count(chr(10)) + 1} lines (bullet points), the translation "
            f"{translation.count(chr(10)) + 1}"
        )
    elif (source.startswith("\n"), source.endswith("\n")) != (translation.startswith("\n"), translation.endswith("\n")):
        problems.append("the translation must begin and end with a line break exactly where the source does")
    return problems
