"""Freshness: contacts and today's date → the age and status of every checked date, and the stale gate.

A card can stay in a wallet for years, so numbers are re-verified at their source once a year: older than
12 months is a warning, older than 24 months is refused unless the user explicitly allows stale data (and
then the card's version stamp says so).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Literal

from nodkort.data.directory import Directory
from nodkort.data.regions import RegionData
from nodkort.data.templates import PLACEHOLDER
from nodkort.errors import Location, Problem, StaleError
from nodkort.model import Contact, ContactsField, Format, QrField, TextField, Variant

WARN_MONTHS = 12
REFUSE_MONTHS = 24
STALE_MARK = "stale"  # after the version stamp of a card printed with --allow-stale; fits an ID-1 stamp box

Freshness = Literal["fresh", "ageing", "stale", "unverified", "future"]


@dataclass(frozen=True)
class Age:
    contact: Contact
    months: int | None
    status: Freshness

    @property
    def where(self) -> Location:
        return Location(self.contact.path, self.contact.line or None, self.contact.id)


def months_between(earlier: date, later: date) -> int:
    """Whole months from `earlier` to `later` (a month counts once its day is reached)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if later.day < earlier.day:
        months -= 1
    return months


def age(contact: Contact, today: date) -> Age:
    if not contact.printable or contact.checked is None:
        return Age(contact, None, "unverified")
    months = months_between(contact.checked, today)
    if contact.checked > today:  # a mistyped year (2062) would keep a number "fresh" for decades
        return Age(contact, months, "future")
    if months >= REFUSE_MONTHS:
        return Age(contact, months, "stale")
    if months >= WARN_MONTHS:
        return Age(contact, months, "ageing")
    return Age(contact, months, "fresh")


def ages(contacts: Iterable[Contact], today: date) -> list[Age]:
    return [age(c, today) for c in contacts]


def printed_refs(fmt: Format, variant: Variant) -> list[str]:
    """Every contact reference a format can print in a variant: lists, QR codes and {placeholders} in texts.

    QR targets are all counted, not only the one that wins: a stale first choice must be re-verified rather
    than silently passed over for the next one.
    """
    refs: list[str] = []
    for side in fmt.sides:
        for field in side.fields:
            if field.show not in ("always", variant):
                continue
            match field:
                case ContactsField():
                    refs += field.contacts
                case QrField():
                    refs += [t.partition(":")[2] for t in field.targets if not t.startswith("vcard")]
                    refs += field.contacts
                case TextField():
                    # "{municipality}" prints the municipality's name, not a number.
                    refs += [r for r in PLACEHOLDER.findall(field.msgid) if r != "municipality"]
                case _:
                    pass
    return list(dict.fromkeys(refs))


def printed_ages(fmt: Format, variant: Variant, directory: Directory, today: date) -> list[Age]:
    """The age of every verified contact the card would print, each contact once."""
    contacts: dict[tuple[str, str], Contact] = {}
    for ref in printed_refs(fmt, variant):
        resolved = directory.resolve(ref)
        if resolved is not None:
            contacts.setdefault((resolved.contact.path, resolved.contact.id), resolved.contact)
    return [a for a in ages(contacts.values(), today) if a.status != "unverified"]


def _describe(a: Age) -> str:
    checked = a.contact.checked.isoformat() if a.contact.checked else "?"
    return f"{a.contact.display or a.contact.url} was checked at its source on {checked}, {a.months} months ago"


def warnings(found: Iterable[Age], allow_stale: bool = False) -> list[Problem]:
    """A warning for every contact older than WARN_MONTHS that will print: stale ones only when allowed
    (otherwise stale_gate refuses them, and a warning would only repeat the error)."""
    printed = ("ageing", "stale") if allow_stale else ("ageing",)
    return [
        Problem(
            a.where,
            f"{_describe(a)} (re-verify every {WARN_MONTHS} months)",
            f"check it at {a.contact.source} and update 'checked'",
        )
        for a in found
        if a.status in printed
    ]


def stale_gate(found: Iterable[Age], allow_stale: bool) -> bool:
    """Refuse contacts older than REFUSE_MONTHS unless allowed; True when the card prints stale data."""
    found = list(found)
    future = [a for a in found if a.status == "future"]
    if future:  # not a question of age: --allow-stale does not print it
        raise StaleError(
            [
                Problem(
                    a.where,
                    f"{a.contact.display or a.contact.url} has checked = {a.contact.checked}, a date still to come",
                    "write the date it was really checked at its source (YYYY-MM-DD)",
                )
                for a in future
            ]
        )
    stale = [a for a in found if a.status == "stale"]
    if stale and not allow_stale:
        raise StaleError(
            [
                Problem(
                    a.where,
                    f"{_describe(a)}: older than {REFUSE_MONTHS} months, a card must not print it",
                    f"re-check it at {a.contact.source} and update 'checked', or render with --allow-stale "
                    "(the card is then marked as holding stale data)",
                )
                for a in stale
            ]
        )
    return bool(stale)


@dataclass(frozen=True)
class Listed:
    """One line of `nodkort contacts`: whose contact it is, in which role, and how old its verification is."""

    owner: str  # "national", the county's name, or the municipality's name
    role: str  # the contact id (national) or its role (county and municipality)
    age: Age


def every_contact(national: Mapping[str, Contact], regions: Mapping[str, RegionData], today: date) -> list[Listed]:
    """Every contact of the data folder, national, county and municipal, each with its age."""
    out = [Listed("national", cid, age(c, today)) for cid, c in national.items()]
    for data in regions.values():
        out += [Listed(data.region.name, role, age(c, today)) for role, c in data.region.contacts.items()]
        for m in data.region.municipalities:
            out += [Listed(m.name, role, age(c, today)) for role, c in m.contacts.items()]
    return out
