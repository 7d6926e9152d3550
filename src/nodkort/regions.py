"""Regions: cards/regions/*.toml → a county, its municipalities and their verified local contacts.

Also resolves the contact references that templates use ("ud_jouren", "municipality.intake_children",
"county.animal_welfare") to what may be printed: a verified contact, or the fallback its role names
(the municipality's switchboard with "ask for social services"), or nothing.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .contacts import parse_contact
from .errors import ContactError, DataError, Problem, UsageError, raise_all
from .model import Contact, Municipality, Region
from .tomlread import Reader, load_toml


@dataclass(frozen=True)
class Role:
    name: str  # msgid
    ask_for: str = ""  # msgid printed when the fallback stands in for this role
    fallback: str = ""  # another role of the same municipality
    context: str = ""


@dataclass(frozen=True)
class RegionData:
    region: Region
    roles: dict[str, Role]
    county_roles: dict[str, Role]


@dataclass(frozen=True)
class Resolved:
    """What a contact reference prints as: the contact, its label and an optional instruction."""

    contact: Contact
    label: str  # msgid
    label_context: str
    ask_for: str = ""
    ask_for_context: str = ""


def slug(name: str) -> str:
    """Forgiving key for names: case and diacritics dropped (Västerås → vasteras, Köping → koping)."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(c if c.isalnum() else "-" for c in plain).strip("-")


def _roles(r: Reader, data: Mapping[str, Any], table_name: str, region_id: str) -> dict[str, Role]:
    roles: dict[str, Role] = {}
    for name, table in (data.get(table_name) or {}).items():
        key = f"{table_name}.{name}"
        if not isinstance(table, dict) or not isinstance(table.get("name"), str):
            r.problem(key, "a role needs a 'name'", "", f"[{key}]")
            continue
        r.unknown_keys(table, {"name", "ask_for", "fallback"}, key, f"[{key}]")
        roles[name] = Role(
            name=table["name"], ask_for=str(table.get("ask_for", "")), fallback=str(table.get("fallback", "")),
            context=f"regions/{region_id}/{table_name}/{name}",
        )
    for name, role in roles.items():
        if role.fallback and role.fallback not in roles:
            r.problem(f"{table_name}.{name}", f"fallback '{role.fallback}' is not a role", "", f"[{table_name}.{name}]")
    return roles


def load_region(path: Path) -> RegionData:
    """Read one region file; raise ContactError listing every problem."""
    data, lines = load_toml(path, DataError)
    r = Reader(path, lines)
    r.unknown_keys(data, {"region", "roles", "county_roles", "municipality", "contact"}, "")
    head = data.get("region") or {}
    rid = r.get(head, "id", str, "region", needle="[region]") or path.stem
    rname = r.get(head, "name", str, "region", needle="[region]") or rid
    roles = _roles(r, data, "roles", rid)
    county_roles = _roles(r, data, "county_roles", rid)
    municipalities: dict[str, dict[str, Any]] = {}
    by_code: dict[str, str] = {}
    for index, table in enumerate(data.get("municipality") or []):
        name = table.get("name")
        code = str(table.get("code", ""))
        key = f"municipality[{index + 1}]"
        if not isinstance(name, str) or not name:
            r.problem(key, "a municipality needs a 'name'")
            continue
        needle = f'name = "{name}"'
        r.unknown_keys(table, {"name", "code"}, f"municipality.{name}", needle)
        if not (code.isdigit() and len(code) == 4):
            r.problem(f"municipality.{name}", f"code '{code}' is not a four-digit municipality code", "", needle)
        if code in by_code:
            r.problem(f"municipality.{name}", f"code {code} is also the code of {by_code[code]}",
                      "each municipality has its own code (SCB kommunkod)", needle)
        by_code[code] = name
        if slug(name) in municipalities:
            r.problem(f"municipality.{name}", "this municipality is listed twice", "", needle)
        municipalities[slug(name)] = {"name": name, "code": code, "contacts": {}}
    county: dict[str, Contact] = {}
    for index, table in enumerate(data.get("contact") or []):
        owner = table.get("municipality")
        role = table.get("role", "")
        key = f"contact[{index + 1}]"
        needle = f'role = "{role}"'
        fields = {k: v for k, v in table.items() if k not in ("municipality", "role", "county")}
        if table.get("county"):
            if role not in county_roles:
                r.problem(key, f"unknown county role '{role}'", f"use one of: {', '.join(county_roles)}", needle)
                continue
            contact = parse_contact(r, f"county.{role}", fields, f"{key} county {role}", require_name=False)
            if contact:
                county[role] = contact
            continue
        target = None
        if isinstance(owner, str):
            target = municipalities.get(slug(owner)) or next(
                (m for m in municipalities.values() if m["code"] == owner), None)
        if target is None:
            r.problem(key, f"contact refers to unknown municipality {owner!r}",
                      f"use the name or code of one of: {', '.join(m['name'] for m in municipalities.values())}",
                      f'municipality = "{owner}"')
            continue
        if role not in roles:
            r.problem(key, f"unknown role '{role}' for {target['name']}", f"use one of: {', '.join(roles)}",
                      needle)
            continue
        if role in target["contacts"]:
            r.problem(key, f"{target['name']} has two '{role}' contacts", "keep one", needle)
            continue
        contact = parse_contact(r, f"{slug(target['name'])}.{role}", fields,
                                f"{key} {target['name']} {role}", require_name=False)
        if contact:
            target["contacts"][role] = contact
    for m in municipalities.values():
        if not any(c.printable and c.number for c in m["contacts"].values()):
            r.problem(f"municipality.{m['name']}", f"{m['name']} has no verified number",
                      "add a verified switchboard ([[contact]] with role = \"switchboard\", status = \"verified\", "
                      "source and verified date)", f'name = "{m["name"]}"')
    raise_all(r.problems, ContactError)
    region = Region(
        id=rid, name=rname, path=str(path), contacts=county,
        municipalities=tuple(
            Municipality(name=m["name"], code=m["code"], slug=s, contacts=m["contacts"])
            for s, m in municipalities.items()
        ),
    )
    return RegionData(region, roles, county_roles)


def load_regions(folder: Path) -> dict[str, RegionData]:
    regions: dict[str, RegionData] = {}
    problems: list[Problem] = []
    for path in sorted(folder.glob("*.toml")):
        try:
            data = load_region(path)
        except DataError as exc:
            problems.extend(exc.problems)
            continue
        regions[data.region.id] = data
    raise_all(problems, ContactError)
    codes: dict[str, str] = {}
    for data in regions.values():
        for m in data.region.municipalities:
            if m.code in codes:
                problems.append(Problem(data.region.path, f"municipality code {m.code} ({m.name}) is also used by "
                                        f"{codes[m.code]}"))
            codes[m.code] = m.name
    raise_all(problems, ContactError)
    return regions


def find_municipality(regions: Mapping[str, RegionData], name: str) -> tuple[RegionData, Municipality]:
    """Match a municipality forgivingly by name, slug or code; unknown names exit 2 with the closest match."""
    key = slug(name)
    choices: dict[str, tuple[RegionData, Municipality]] = {}
    for data in regions.values():
        for m in data.region.municipalities:
            choices[m.slug] = (data, m)
            if m.code == name.strip():
                return data, m
    if key in choices:
        return choices[key]
    close = difflib.get_close_matches(key, list(choices), n=1, cutoff=0.5)
    names = ", ".join(sorted(m.name for _, m in choices.values()))
    hint = f"did you mean {choices[close[0]][1].name}? " if close else ""
    raise UsageError(f"unknown municipality '{name}': {hint}Choose one of: {names}")


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

    def resolve(self, ref: str) -> Resolved | None:
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
            return Resolved(contact, contact.name or spec.name, f"{spec.context}/name")
        if scope != "municipality" or self.municipality is None:
            raise ContactError(f"unknown contact reference '{ref}'")
        roles = self.region.roles
        spec = roles.get(role)
        if spec is None:
            raise ContactError(f"{self.region.region.path}: no role '{role}' (referenced as '{ref}')")
        contact = self.municipality.contacts.get(role)
        if contact is not None and contact.printable:
            return Resolved(contact, contact.name or spec.name, f"{spec.context}/name")
        if spec.fallback:
            fallback = self.municipality.contacts.get(spec.fallback)
            if fallback is not None and fallback.printable:
                # The verified switchboard stands in, with what to ask for, instead of a guessed number.
                return Resolved(fallback, spec.name, f"{spec.context}/name", spec.ask_for, f"{spec.context}/ask_for")
        return None

    def known(self, ref: str) -> bool:
        return known_ref(ref, self.national, self.region)


def known_ref(ref: str, national: Mapping[str, Contact], regions: Mapping[str, RegionData] | RegionData | None) -> bool:
    scope, _, role = ref.partition(".")
    if not role:
        return ref in national
    datas: list[RegionData]
    if regions is None:
        datas = []
    elif isinstance(regions, RegionData):
        datas = [regions]
    else:
        datas = list(regions.values())
    if scope == "municipality":
        return any(role in d.roles for d in datas)
    if scope == "county":
        return any(role in d.county_roles for d in datas)
    return False
