"""Extract: cards/ TOML files → translatable messages with context and translator comments.

Registered as the Babel extractor `nodkort` (entry point `babel.extractors`), so `pybabel extract -F
babel.cfg` reads the same strings as `nodkort lang update`; no hand-kept list can drift from the templates.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from nodkort.data.regions import contact_id, contact_owners, owner_of
from nodkort.data.templates import PLACEHOLDER, card_from_toml
from nodkort.data.tomlread import Reader, load_toml, parse_toml
from nodkort.errors import DataError, Location, Problem
from nodkort.model import MM, Card, Format, Side, TextField


@dataclass(frozen=True)
class Message:
    context: str
    msgid: str
    comments: tuple[str, ...]
    path: str
    line: int
    critical: bool = False


def _line(lines: list[str], *needles: str) -> int:
    return Reader("", lines).line_of(*needles) or 1


def card_messages(card: Card, lines: list[str]) -> Iterator[Message]:
    """The strings of a validated card: its titles, then its text fields in the template's order."""
    for key, msgid, msgctxt, comment in (
        ("title", card.title, card.title_context, "The card's title (PDF metadata of the plain card)."),
        (
            "discreet_title",
            card.discreet_title,
            card.discreet_title_context,
            "Neutral title of the discreet card: it must not reveal the subject (no violence, marriage or honour).",
        ),
    ):
        yield Message(msgctxt, msgid, (comment,), card.path, _line(lines, f"{key} ="), True)
    for kind, msgid in card.qr_alt.items():
        yield Message(
            card.qr_context(kind),
            msgid,
            (
                "What a QR code on the card does and holds, read aloud by a screen reader (the code's alternative "
                "text in a PDF for the web); nothing is printed.",
                "Keep the placeholders exactly: "
                + ", ".join(f"{{{n}}}" for n in PLACEHOLDER.findall(msgid))
                + ". "
                + _QR_PLACEHOLDERS[kind],
                "On the discreet card {name} is a neutral name: keep the sentence neutral too.",
            ),
            card.path,
            _line(lines, f"qr_{kind} ="),
            True,
        )
    for fmt in card.formats.values():
        for side in fmt.sides:
            for field in side.fields:
                if isinstance(field, TextField):
                    yield Message(
                        field.context,
                        field.msgid,
                        _notes(card, fmt, side, field),
                        card.path,
                        field.line,
                        field.critical,
                    )


_QR_PLACEHOLDERS = {
    "tel": "{name} becomes the name of the service the code calls, {number} its phone number.",
    "url": "{name} becomes the name of the service, {address} the web address the code opens.",
    "vcard": "{name} becomes the contact's neutral name, {numbers} the names and numbers it saves.",
}


def _notes(card: Card, fmt: Format, side: Side, field: TextField) -> tuple[str, ...]:
    """What a translator needs to know of a text field: where it is, its room, and what to keep."""
    column = next((c for c in side.columns if any(fid == field.id for fid, _ in c.blocks)), None)
    where = f"Where: {card.id} card, {fmt.name} format, {side.name} side, field '{field.id}'."
    if column is None:
        room = [
            f"Room: a box of {field.box.w / MM:g} × {field.box.h / MM:g} mm; text {field.style.size:g} pt, shrinks to "
            f"no less than {fmt.floor:g} pt."
        ]
    else:  # two short lines: a translator's editor wraps long comments
        room = [
            f"Room: a column of {field.box.w / MM:g} × {field.box.h / MM:g} mm shared with "
            f"{len(column.blocks) - 1} other blocks.",
            f"Text {field.style.size:g} pt: grows up to {column.grow:g} times to fill it, "
            f"never under {fmt.floor:g} pt.",
        ]
    notes = [where, *room]
    names = PLACEHOLDER.findall(field.msgid)
    if names:
        notes.append(
            "Keep the placeholders exactly: " + ", ".join(f"{{{n}}}" for n in names) + _placeholder_note(names)
        )
    if "**" in field.msgid:
        notes.append("Text between ** and ** is printed bold: keep the pairs of asterisks.")
    if field.bullets:
        notes.append("Each line is a bullet point: keep the same number of lines.")
    if field.critical:
        notes.append("Critical: this string never falls back to Swedish.")
    if field.comment:
        notes.append(field.comment)
    if field.show == "discreet":
        notes.append("Discreet card: must not reveal the subject.")
    elif field.show == "always" and "discreet" in card.variants:
        notes.append("Printed on the discreet card too: keep it neutral, no word that reveals the subject.")
    return tuple(notes)


def _contact_messages(data: Mapping[str, Any], lines: list[str], path: str) -> Iterator[Message]:
    for cid, table in data.items():
        if not isinstance(table, dict):
            continue
        line = _line(lines, f"[{cid}]")
        beside = f"; printed beside the number {table['display']}" if table.get("display") else ""
        for key, what in (
            ("name", "Name of the service"),
            ("purpose", "Who the service is for"),
            ("hours", "Opening hours, as the source gives them"),
            (
                "discreet_name",
                "Neutral name for the discreet card and for the phone book entry a QR "
                "code saves: must not reveal the subject (no abroad, foreign "
                "ministry, anonymous, violence, honour or marriage)",
            ),
        ):
            if isinstance(table.get(key), str) and table[key]:
                # Names and hours print beside a number, so they never fall back to Swedish (layout.py).
                critical = key != "purpose"
                notes = [f"{what}{beside}."] + (
                    ["Critical: this string never falls back to Swedish."] if critical else []
                )
                yield Message(f"contacts/{cid}/{key}", table[key], tuple(notes), path, line, critical)


def _region_messages(data: Mapping[str, Any], lines: list[str], path: str) -> Iterator[Message]:
    rid = str((data.get("region") or {}).get("id", Path(path).stem))
    for group in ("roles", "county_roles"):
        for role, table in (data.get(group) or {}).items():
            line = _line(lines, f"[{group}.{role}]")
            if isinstance(table.get("name"), str):
                yield Message(
                    f"regions/{rid}/{group}/{role}/name",
                    table["name"],
                    ("Label of a local contact, printed beside its number.",),
                    path,
                    line,
                    True,
                )
            if isinstance(table.get("ask_for"), str) and table["ask_for"]:
                yield Message(
                    f"regions/{rid}/{group}/{role}/ask_for",
                    table["ask_for"],
                    (
                        "Printed under the municipality's switchboard number when the direct line is not "
                        "verified: what to ask for when calling.",
                    ),
                    path,
                    line,
                    True,
                )
    # A verified local contact may carry its own name, hours or instruction ("press 9"); unconfirmed ones
    # never print, so translators are not asked for them.
    owners = contact_owners(data)
    starts = [n for n, text in enumerate(lines, start=1) if text.strip() == "[[contact]]"]
    for index, table in enumerate(data.get("contact") or []):
        owner = owner_of(table, owners) if isinstance(table, dict) else None
        if owner is None or table.get("status") != "verified":
            continue
        cid = contact_id(rid, owner, str(table.get("role", "")))
        line = starts[index] if index < len(starts) else 1
        for key, what in (
            ("name", "Name of a local service"),
            ("purpose", "Who the local service is for"),
            ("hours", "Opening hours, as the source gives them"),
            ("ask_for", "What to do when calling, printed under the number"),
        ):
            if isinstance(table.get(key), str) and table[key]:
                yield Message(
                    f"contacts/{cid}/{key}",
                    table[key].strip(),
                    (f"{what}; printed beside the number {table.get('display', '')}.",),
                    path,
                    line,
                    True,
                )


def messages_in(path: Path, text: str | None = None) -> list[Message]:
    """The translatable messages of one data file (template, contacts or region)."""
    if text is None:
        data, lines = load_toml(path)
    else:
        data, lines = parse_toml(text, path), text.splitlines()
    # The strings are read before the file is validated (templates.py, contacts.py and regions.py do that,
    # with every problem and its line): a file of the wrong shape is reported here, not met with a traceback.
    if "card" in data:
        # The validated template: its strings are exactly the ones a render prints.
        return list(card_messages(card_from_toml(data, lines, path), lines))
    try:
        if "region" in data:
            return list(_region_messages(data, lines, str(path)))
        if path.parent.name == "contacts" or all(
            (isinstance(v, dict) and "number" in v) or "url" in v for v in data.values() if isinstance(v, dict)
        ):
            return list(_contact_messages(data, lines, str(path)))
    except (AttributeError, TypeError, KeyError, IndexError, ValueError):
        raise DataError(
            Problem(
                Location(str(path)),
                "its strings cannot be read: the file is not shaped like a card template, contacts file or region file",
                "`nodkort check` (or `nodkort render`) lists each problem in it with its line",
            )
        ) from None
    return []


def data_files(cards: Path) -> list[Path]:
    return sorted(p for p in cards.rglob("*.toml") if p.name != "pictograms.toml")


def messages(cards: Path) -> list[Message]:
    """Every translatable message in the data folder, in a stable order, duplicates (same context) merged."""
    seen: dict[str, Message] = {}
    for path in data_files(cards):
        for message in messages_in(path):
            seen.setdefault(message.context, message)
    return list(seen.values())


def extract_cards(
    fileobj: IO[bytes], keywords: Collection[str], comment_tags: Collection[str], options: Mapping[str, Any]
) -> Iterator[tuple[int, str, tuple[str, str], list[str]]]:
    """Babel extractor: yields pgettext-style (context, msgid) pairs so Babel writes msgctxt."""
    name = getattr(fileobj, "name", "cards.toml")
    text = fileobj.read().decode("utf-8")
    for message in messages_in(Path(name), text):
        yield message.line, "pgettext", (message.context, message.msgid), list(message.comments)


# Placeholders that become names, not numbers: what a translator must know to build the sentence around them.
_NAMES = {"municipality": "the municipality's name", "issuer": "the name of the county board that issues the card"}


def _placeholder_note(names: list[str]) -> str:
    """What each placeholder becomes on the card: a name (said which) or a phone number."""
    named = [f"{{{n}}} becomes {_NAMES[n]}" for n in dict.fromkeys(names) if n in _NAMES]
    if not named:
        return " (they become phone numbers)."
    numbers = [n for n in names if n not in _NAMES]
    return " (" + "; ".join(named) + ("; the others phone numbers" if numbers else "") + ")."
