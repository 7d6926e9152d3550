"""Review records: locales/<lang>/review.toml ↔ who signed which strings of a catalog, and when.

A review is a recorded act, not a flag in the catalog: a named person with a role signs exact strings (msgctxt,
the Swedish msgid and a SHA-256 of the translation) on a date. Clearing "fuzzy" in Poedit records nothing, so
it never makes a string reviewed. When a signed translation or its Swedish source changes afterwards, the
hash or msgid no longer matches and the string is unreviewed again, without anyone having to remember it.

The record is appended to, never rewritten: each `nodkort lang review` adds one `[[review]]` table, and the
latest signature of a string is the one that counts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nodkort.data.tomlread import Reader, load_toml
from nodkort.errors import CatalogError, Location, Problem, UsageError
from nodkort.output import write_atomic

RECORD = "review.toml"
# What gettext tools write before anyone has set a name: it names nobody.
_UNNAMED = {"", "full name", "first author", "unknown", "anonymous"}
_LAST_TRANSLATOR = re.compile(r'^"Last-Translator:\s*(.*?)\s*(?:\\n)?"\s*$', re.MULTILINE | re.IGNORECASE)


@dataclass(frozen=True)
class Reviewer:
    name: str
    role: str

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"


@dataclass(frozen=True)
class Signature:
    """One string as a reviewer signed it."""

    context: str
    msgid: str  # the Swedish source the translation was read against
    digest: str  # SHA-256 of the translation, hex
    same_as_source: bool  # the reviewer confirmed that a text identical to the Swedish is meant (a name, a number)
    reviewer: Reviewer
    when: dt.datetime
    line: int  # of the string's table in review.toml


@dataclass(frozen=True)
class Record:
    """A language's review record: the latest signature of each string."""

    path: Path
    signatures: dict[str, Signature]

    def reviewers(self) -> list[tuple[Reviewer, dt.datetime]]:
        """Who signed the strings still in the record, latest first, each once with their latest date."""
        latest: dict[Reviewer, dt.datetime] = {}
        for sig in self.signatures.values():
            latest[sig.reviewer] = max(sig.when, latest.get(sig.reviewer, sig.when))
        return sorted(latest.items(), key=lambda item: item[1], reverse=True)


def record_path(locales: Path, code: str) -> Path:
    return locales / code / RECORD


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parse_reviewer(text: str) -> Reviewer:
    """ "Name, role" → a reviewer; both parts are required (exit 2 otherwise)."""
    name, _, role = (part.strip() for part in text.partition(","))
    if not name or not role or name.casefold() in _UNNAMED:
        raise UsageError(
            f'--reviewer must name a person and their role, e.g. --reviewer "Amina Yusuf, authorised translator" '
            f"(got {text!r})"
        )
    return Reviewer(" ".join(name.split()), " ".join(role.split()))


def last_translator(catalog_text: str) -> str:
    """The name in a catalog's Last-Translator header, without its e-mail; "" when it names nobody."""
    match = _LAST_TRANSLATOR.search(catalog_text)
    if match is None:
        return ""
    name = re.sub(r"<[^>]*>", "", match.group(1)).strip()
    return "" if name.casefold() in _UNNAMED else " ".join(name.split())


def same_person(a: str, b: str) -> bool:
    return bool(a) and " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def when_text(when: dt.datetime) -> str:
    """How a review's time is shown: its date (the record keeps the minute and the zone)."""
    return when.date().isoformat()


def load_record(locales: Path, code: str) -> Record | None:
    """Read locales/<code>/review.toml; None when no review was ever recorded. Every problem names its line."""
    path = record_path(locales, code)
    if not path.is_file():
        return None
    data, lines = load_toml(path, CatalogError)
    reader = Reader(path, lines)
    signatures: dict[str, Signature] = {}
    reviews = reader.get(data, "review", list, "", default=[])
    reader.unknown_keys(data, {"review", "language"}, "")
    for number, review in enumerate(reviews or [], start=1):
        reader.start = _nth_line(lines, "[[review]]", number)
        for sig in _read_review(reader, review, f"review[{number}]", lines):
            signatures[sig.context] = sig  # later reviews come later in the file: the latest counts
    if reader.problems:
        raise CatalogError(reader.problems)
    return Record(path, signatures)


def _nth_line(lines: Sequence[str], header: str, n: int) -> int:
    seen = 0
    for number, line in enumerate(lines, start=1):
        if line.strip() == header:
            seen += 1
            if seen == n:
                return number
    return 1


def _read_review(reader: Reader, review: Any, key: str, lines: Sequence[str]) -> list[Signature]:
    if not isinstance(review, dict):
        reader.problem(key, "each [[review]] must be a table", "", "[[review]]")
        return []
    start = reader.start
    name = reader.get(review, "reviewer", str, key, needle="reviewer =")
    role = reader.get(review, "role", str, key, needle="role =")
    when = review.get("date")
    if not isinstance(when, dt.datetime):
        reader.key_problem(f"{key}.date", "'date' must be a date and time (2026-12-03T10:15:00+01:00)", "", "date")
        when = None
    reader.unknown_keys(review, {"reviewer", "role", "date", "string"}, key)
    if not name or not role or when is None:
        return []
    who = Reviewer(name, role)
    out = []
    for index, item in enumerate(reader.get(review, "string", list, key, default=[]) or []):
        if not isinstance(item, dict):
            continue
        line = _nth_line(lines[start - 1 :], "[[review.string]]", index + 1) + start - 1
        context = reader.get(item, "msgctxt", str, f"{key}.string")
        msgid = reader.get(item, "msgid", str, f"{key}.string")
        sha = reader.get(item, "msgstr_sha256", str, f"{key}.string")
        same = reader.get(item, "same_as_source", bool, f"{key}.string", default=False)
        if context is not None and msgid is not None and sha is not None:
            out.append(Signature(context, msgid, sha, bool(same), who, when, line))
    return out


@dataclass(frozen=True)
class Signing:
    """One string a reviewer is about to sign."""

    context: str
    msgid: str
    msgstr: str
    same_as_source: bool


def append_review(
    locales: Path, code: str, english: str, reviewer: Reviewer, when: dt.datetime, strings: Sequence[Signing]
) -> Path:
    """Add one review to the language's record (created with a header comment when there is none)."""
    path = record_path(locales, code)
    before = (
        path.read_text(encoding="utf-8")
        if path.is_file()
        else (
            f"# Review record of the {english} catalog ({code}/LC_MESSAGES/nodkort.po), written by\n"
            "# `nodkort lang review`. Each [[review]] is one person's signature on the exact strings listed: a\n"
            "# string whose translation or Swedish source changed since is unreviewed again. Do not edit by hand.\n"
        )
    )
    out = [before.rstrip("\n"), "", "[[review]]"]
    out += [f"reviewer = {_quote(reviewer.name)}", f"role = {_quote(reviewer.role)}", f"date = {when.isoformat()}"]
    for item in strings:
        out += ["", "[[review.string]]", f"msgctxt = {_quote(item.context)}", f"msgid = {_quote(item.msgid)}"]
        out.append(f"msgstr_sha256 = {_quote(digest(item.msgstr))}")
        if item.same_as_source:
            out.append("same_as_source = true")
    write_atomic(path, ("\n".join(out) + "\n").encode("utf-8"))
    return path


def _quote(text: str) -> str:
    # A JSON string without ASCII escaping is a valid TOML basic string (same escapes, \uXXXX for controls).
    return json.dumps(text, ensure_ascii=False)


def record_location(record: Record | None, context: str) -> Location:
    sig = record.signatures.get(context) if record else None
    if record is None or sig is None:
        return Location()
    return Location(str(record.path), sig.line, context)


def four_eyes_problem(catalog: Path, translator: str, reviewer: Reviewer) -> Problem | None:
    """Why `reviewer` may not sign this catalog, or None: a second person reviews, and the catalog must say who
    the first one was."""
    lines = catalog.read_text(encoding="utf-8").split("\n")
    line = next((n for n, text in enumerate(lines, start=1) if text.startswith('"Last-Translator:')), None)
    where = Location(str(catalog), line, "Last-Translator")
    if not translator:
        return Problem(
            where,
            "the catalog does not say who translated it, so a second pair of eyes cannot be checked",
            "set Last-Translator in its header to the translator's name (Poedit writes it on save; "
            'a machine draft says "Last-Translator: machine translation")',
        )
    if same_person(translator, reviewer.name):
        return Problem(
            where,
            f"{reviewer.name} is the catalog's last translator and cannot also review it",
            "a second qualified person reviews it (four eyes)",
        )
    return None


# --- comments to the translator -------------------------------------------------------------------------------

COMMENTS = "comments.toml"


@dataclass(frozen=True)
class Comment:
    """A reviewer's note to the translator on one string, made instead of approving it: never a review."""

    context: str
    digest: str  # SHA-256 of the translation the comment was made on, hex
    text: str
    reviewer: Reviewer
    when: dt.datetime
    line: int  # of its [[comment]] table in comments.toml


def comments_path(locales: Path, code: str) -> Path:
    return locales / code / COMMENTS


def load_comments(locales: Path, code: str) -> list[Comment]:
    """Read locales/<code>/comments.toml, oldest first; [] when nobody has commented. Problems name their line."""
    path = comments_path(locales, code)
    if not path.is_file():
        return []
    data, lines = load_toml(path, CatalogError)
    reader = Reader(path, lines)
    reader.unknown_keys(data, {"comment"}, "")
    out = []
    for number, item in enumerate(reader.get(data, "comment", list, "", default=[]) or [], start=1):
        key = f"comment[{number}]"
        reader.start = _nth_line(lines, "[[comment]]", number)
        if not isinstance(item, dict):
            reader.problem(key, "each [[comment]] must be a table", "", "[[comment]]")
            continue
        values = [reader.get(item, name, str, key, needle=f"{name} =") for name in _COMMENT_KEYS]
        when = item.get("date")
        if not isinstance(when, dt.datetime):
            reader.key_problem(f"{key}.date", "'date' must be a date and time (2026-12-03T10:15:00+01:00)", "", "date")
        reader.unknown_keys(item, {*_COMMENT_KEYS, "date"}, key)
        name, role, context, sha, text = values
        if name and role and context and sha and text is not None and isinstance(when, dt.datetime):
            out.append(Comment(context, sha, text, Reviewer(name, role), when, reader.start))
    if reader.problems:
        raise CatalogError(reader.problems)
    return out


_COMMENT_KEYS = ("reviewer", "role", "msgctxt", "msgstr_sha256", "text")


def append_comment(
    locales: Path, code: str, english: str, reviewer: Reviewer, when: dt.datetime, context: str, msgstr: str, text: str
) -> Path:
    """Add one comment to the language's comments.toml (created with a header comment when there is none)."""
    path = comments_path(locales, code)
    before = (
        path.read_text(encoding="utf-8")
        if path.is_file()
        else (
            f"# Reviewers' comments to the translator of the {english} catalog ({code}/LC_MESSAGES/nodkort.po),\n"
            "# written by the staff page. A comment is not a review: it signs nothing. Do not edit by hand.\n"
        )
    )
    out = [before.rstrip("\n"), "", "[[comment]]"]
    out += [f"reviewer = {_quote(reviewer.name)}", f"role = {_quote(reviewer.role)}", f"date = {when.isoformat()}"]
    out += [f"msgctxt = {_quote(context)}", f"msgstr_sha256 = {_quote(digest(msgstr))}", f"text = {_quote(text)}"]
    write_atomic(path, ("\n".join(out) + "\n").encode("utf-8"))
    return path
