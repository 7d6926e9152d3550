"""PO rewrite: a catalog file as written and its merged rendering → the file with every unchanged entry kept.

A translator's tool (Poedit, Weblate) wraps and orders a catalog its own way; rewriting every entry would turn
each update into a diff of the whole file. Entries are matched by msgctxt and compared by meaning, not by
text: an entry the merge did not change is taken from the file exactly as it was written.
"""

from __future__ import annotations

from babel.messages.catalog import Catalog

from nodkort.i18n.po import decode_string


def meaning(catalog: Catalog, context: str) -> tuple[object, ...]:
    """What an entry says, whatever its wrapping: two entries that agree here are the same entry."""
    message = next(m for m in catalog if m.context == context)
    comments = " ".join(" ".join(message.auto_comments).split())
    return (
        message.id,
        message.string,
        sorted(message.flags),
        list(message.previous_id),
        comments,
        list(message.user_comments),
        list(message.locations),
    )


def keep_unchanged(original: str, new: str, same: set[str], template_fields: tuple[str, ...]) -> str:
    """`new` with every entry in `same` taken from `original` as it was written, and the original header with
    only the template's fields (project version, template date) from `new`."""
    written = _entries(original)
    header, *entries = _blocks(new)
    fresh = {line.split(" ", 1)[0]: line for line in header.splitlines() if line.startswith('"')}
    kept_header = "\n".join(
        fresh.get(line.split(" ", 1)[0], line) if line[1:].startswith(template_fields) else line
        for line in _blocks(original)[0].splitlines()
    )
    out = [kept_header]
    for block in entries:
        context = _context(block)
        out.append(written[context] if context in same and context in written else block)
    ending = original[len(original.rstrip("\n")) :] or "\n"  # Babel ends a file with a blank line, gettext not
    return "\n\n".join(out) + ending


def _blocks(text: str) -> list[str]:
    """A PO file's entries, as the blank lines between them separate them."""
    return [block.strip("\n") for block in text.replace("\r\n", "\n").split("\n\n") if block.strip()]


def _entries(text: str) -> dict[str, str]:
    return {context: block for block in _blocks(text)[1:] if (context := _context(block)) is not None}


def _context(block: str) -> str | None:
    """The msgctxt of an entry, decoded; None for an entry without one (the header, an obsolete entry)."""
    lines = block.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("msgctxt "):
            parts = [line[8:], *lines[i + 1 : i + 1 + _run(lines[i + 1 :])]]
            return "".join(decode_string(part) or "" for part in parts)
    return None


def _run(lines: list[str]) -> int:
    """How many continuation lines (quoted strings) follow."""
    count = 0
    for line in lines:
        if not line.startswith('"'):
            break
        count += 1
    return count
