"""Freshness: contacts and today's date → the age and status of every verified date.

A card can stay in a wallet for years, so numbers are re-verified at their source once a year: older than
12 months is a warning, older than 24 months is refused unless the user explicitly allows stale data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from .model import Contact

WARN_MONTHS = 12
REFUSE_MONTHS = 24

Freshness = Literal["fresh", "ageing", "stale", "unverified"]


@dataclass(frozen=True)
class Age:
    contact: Contact
    months: int | None
    status: Freshness


def months_between(earlier: date, later: date) -> int:
    """Whole months from `earlier` to `later` (a month counts once its day is reached)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if later.day < earlier.day:
        months -= 1
    return months


def age(contact: Contact, today: date) -> Age:
    if not contact.printable or contact.verified is None:
        return Age(contact, None, "unverified")
    months = months_between(contact.verified, today)
    if months >= REFUSE_MONTHS:
        return Age(contact, months, "stale")
    if months >= WARN_MONTHS:
        return Age(contact, months, "ageing")
    return Age(contact, months, "fresh")


def ages(contacts: Iterable[Contact], today: date) -> list[Age]:
    return [age(c, today) for c in contacts]
