"""Directory: the national contacts and one region's → what a card prints for each contact reference.

A template names contacts as "ud_jouren", "municipality.intake_children" or "county.animal_welfare"; the
directory resolves each to a verified contact and its label, or to the fallback its role names (the
municipality's switchboard with "ask for social services"), or to nothing: an unverified number never prints.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass

from nodkort.data.regions import RegionData, Role, has_verified_number, known_ref, municipality_location, slug
from nodkort.errors import ContactError, Location, Problem, UsageError
from nodkort.model import Contact, Municipality


@dataclass(frozen=True)
class Resolved:
    """What a contact reference prints as: the contact, its label and an optional instruction."""

    contact: Contact
    label: str  # msgid
    label_context: str
    ask_for: str = ""
    ask_for_context: str = ""


class Directory:
    """Resolves template contact references for one card: national contacts plus an optional municipality."""

    def __init__(
        self,
        national: Mapping[str, Contact],
        region: RegionData | None = None,
        municipality: Municipality | None = None,
    ) -> None:
        self.national = national
        self.region = region
        self.municipality = municipality

    def resolve(self, ref: str, follow_fallback: bool = True) -> Resolved | None:
        """The printable contact for `ref`, following role fallbacks; None when nothing verified exists."""
        scope, _, role = ref.partition(".")
        if not role:
            contact = self.national.get(ref)
            if contact is None:
                raise ContactError(f"unknown contact '{ref}'")
            if not contact.printable:
                return None
            return Resolved(contact, contact.name, f"contacts/{ref}/name")
        if self.region is None:
            raise UsageError(f"this card needs a municipality for '{ref}': add --municipality NAME")
        if scope == "county":
            contact = self.region.region.contacts.get(role)
            spec = self.region.county_roles.get(role)
            if contact is None or spec is None or not contact.printable:
                return None
            return _own(contact, spec)
        if scope != "municipality" or self.municipality is None:
            raise ContactError(f"unknown contact reference '{ref}'")
        spec = self.region.roles.get(role)
        if spec is None:
            raise ContactError(
                Problem(
                    Location(self.region.region.path, key="roles"),
                    f"no role '{role}', which the card uses as '{ref}'",
                    f"add [roles.{role}] with its name (docs/regions.md lists the roles)",
                )
            )
        contact = self.municipality.contacts.get(role)
        if contact is not None and contact.printable:
            return _own(contact, spec)
        if spec.fallback and follow_fallback:
            fallback = self.municipality.contacts.get(spec.fallback)
            if fallback is not None and fallback.printable:
                # The verified switchboard stands in, with what to ask for, instead of a guessed number.
                return Resolved(fallback, spec.name, f"{spec.context}/name", spec.ask_for, f"{spec.context}/ask_for")
        return None

    def known(self, ref: str) -> bool:
        return known_ref(ref, self.national, self.region)


def _own(contact: Contact, spec: Role) -> Resolved:
    """A verified regional contact under its own name (or its role's), with its own instruction if any."""
    label, label_context = (
        (contact.name, f"contacts/{contact.id}/name") if contact.name else (spec.name, f"{spec.context}/name")
    )
    ask_context = f"contacts/{contact.id}/ask_for" if contact.ask_for else ""
    return Resolved(contact, label, label_context, contact.ask_for, ask_context)


def find_municipality(regions: Mapping[str, RegionData], name: str) -> tuple[RegionData, Municipality]:
    """Match a municipality forgivingly by name, slug or code; unknown names exit 2 with the closest match.

    A municipality with no verified number at all is refused here, before anything is laid out: its card
    could only print guesses or blanks.
    """
    key = slug(name)
    suffix = re.fullmatch(r"(.+?)-(kommun|stad|municipality|city)", key)
    bare = suffix.group(1) if suffix else key  # "Västerås kommun", "Västerås stad", "Köpings kommun"
    choices: dict[str, tuple[RegionData, Municipality]] = {}
    found = None
    for data in regions.values():
        for m in data.region.municipalities:
            choices[m.slug] = (data, m)
            if m.code == name.strip():
                found = (data, m)
    found = found or choices.get(key) or choices.get(bare)
    if found is None and suffix and bare.endswith("s"):
        found = choices.get(bare[:-1])  # the genitive of "Köpings kommun"
    if found is None:
        close = difflib.get_close_matches(bare, list(choices), n=1, cutoff=0.5)
        names = ", ".join(sorted(m.name for _, m in choices.values()))
        hint = f"did you mean {choices[close[0]][1].name}? " if close else ""
        raise UsageError(f"unknown municipality '{name}': {hint}Choose one of: {names}")
    data, m = found
    if not has_verified_number(m):
        raise ContactError(
            Problem(
                municipality_location(data, m),
                f"{m.name} has no verified number, so no card can be printed for it",
                "check a number on the municipality's own page (the switchboard first) and set "
                'status = "verified", source = "https://..." and checked = YYYY-MM-DD in its [[contact]]',
            )
        )
    return data, m
