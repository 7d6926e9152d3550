"""Regions: cards/regions/*.toml → a county, its municipalities and their verified local contacts.

Also resolves the contact references that templates use ("ud_jouren", "municipality.intake_children",
"county.animal_welfare") to what may be printed: a verified contact, or the fallback its role names
(the municipality's switchboard with "ask for social services"), or nothing: see directory.py. A county is
added with a data file only (docs/regions.md).
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nodkort.data.contacts import parse_contact
from nodkort.data.logo import region_logo
from nodkort.data.provenance import domain_list, owned
from nodkort.data.tomlread import Reader, load_toml
from nodkort.errors import ContactError, DataError, Location, Problem, raise_all
from nodkort.model import Contact, Municipality, Region

ROLE_KEYS = {"name", "ask_for", "fallback"}
MUNICIPALITY_KEYS = {"name", "code", "domains"}
# Keys of a [[contact]] besides those of contacts.py: who it belongs to, and what to say when calling.
# served_by names another municipality of the region whose number this is (a shared socialjour); referral is
# this municipality's own page that sends its residents there.
OWNER_KEYS = {"municipality", "county", "role", "ask_for", "served_by", "referral"}
# An organisation of the place (a women's shelter) names itself and its own web domains, as a national contact does.
ORGANISATION_KEYS = {"owner", "domains"}


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
    lines: dict[str, int] = dataclasses.field(default_factory=dict)  # municipality slug → line in the file


def slug(name: str) -> str:
    """Forgiving key for names: case and diacritics dropped (Västerås → vasteras, Köping → koping)."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(c if c.isalnum() else "-" for c in plain).strip("-")


def contact_id(region_id: str, owner: str, role: str) -> str:
    """The id of a regional contact, unique across regions: its strings are msgctxt "contacts/<id>/<key>"."""
    return f"{region_id}.{owner}.{role}"


def _array(data: Mapping[str, Any], name: str) -> list[Any]:
    """An array of tables ([[name]]), or nothing when the file holds something else there (reported apart)."""
    value = data.get(name)
    return value if isinstance(value, list) else []


def contact_owners(data: Mapping[str, Any]) -> dict[str, str]:
    """Every way a [[contact]] may name its municipality (slug of the name, or the code) → the owner key."""
    owners: dict[str, str] = {}
    for table in _array(data, "municipality"):
        if isinstance(table, dict) and isinstance(table.get("name"), str):
            owners[slug(table["name"])] = slug(table["name"])
            if str(table.get("code", "")):
                owners[str(table["code"])] = slug(table["name"])
    return owners


def owner_of(table: Mapping[str, Any], owners: Mapping[str, str]) -> str | None:
    """The owner key of one [[contact]]: "county", a municipality slug, or None when it names no one known."""
    if table.get("county") is True:
        return "county"
    named = table.get("municipality")
    if not isinstance(named, str):
        return None
    return owners.get(slug(named)) or owners.get(named.strip())


def has_verified_number(m: Municipality) -> bool:
    return any(c.printable and c.number for c in m.contacts.values())


class _At(Reader):
    """A Reader pinned to one line: the repeated [[contact]] tables hold no key that finds them reliably."""

    def __init__(self, parent: Reader, line: int) -> None:
        super().__init__(parent.path, parent.lines)
        self.line = line

    def line_of(self, *needles: str) -> int | None:
        return self.line or None

    def where(self, key: str, *needles: str) -> Location:
        # Line 0: the entry is not a [[table]] of its own (e.g. `contact = [...]`), so no line names it.
        return Location(self.path, self.line or None, key)


def _header_lines(lines: list[str], header: str) -> list[int]:
    """Line numbers of every `[[header]]`, in order: the n-th table of the array starts at the n-th one."""
    return [n for n, text in enumerate(lines, start=1) if text.strip() == f"[[{header}]]"]


def _roles(r: Reader, data: Mapping[str, Any], table_name: str, region_id: str) -> dict[str, Role]:
    roles: dict[str, Role] = {}
    raw = data.get(table_name) or {}
    if not isinstance(raw, dict):
        r.problem(table_name, f"[{table_name}] is a table of roles", f"write each one as [{table_name}.NAME]")
        raw = {}
    for name, table in raw.items():
        key = f"{table_name}.{name}"
        if not isinstance(table, dict) or not isinstance(table.get("name"), str):
            r.problem(key, "a role needs a 'name'", "", f"[{key}]")
            continue
        r.unknown_keys(table, ROLE_KEYS, key, f"[{key}]")
        roles[name] = Role(
            name=table["name"],
            ask_for=str(table.get("ask_for", "")),
            fallback=str(table.get("fallback", "")),
            context=f"regions/{region_id}/{table_name}/{name}",
        )
    for name, role in roles.items():
        if role.fallback and role.fallback not in roles:
            r.problem(f"{table_name}.{name}", f"fallback '{role.fallback}' is not a role", "", f"[{table_name}.{name}]")
    return roles


def _municipalities(r: Reader, data: Mapping[str, Any]) -> tuple[dict[str, dict[str, Any]], dict[str, int]]:
    municipalities: dict[str, dict[str, Any]] = {}
    lines: dict[str, int] = {}
    by_code: dict[str, tuple[str, int]] = {}
    starts = _header_lines(r.lines, "municipality")
    if not isinstance(data.get("municipality", []), list):
        r.problem("municipality", "municipalities are tables", "write each one as [[municipality]]")
    for index, table in enumerate(_array(data, "municipality")):
        at = _At(r, starts[index] if index < len(starts) else 0)
        if not isinstance(table, dict):
            at.problem(f"municipality[{index + 1}]", "a municipality is a table", "write it as [[municipality]]")
            r.problems.extend(at.problems)
            continue
        name = table.get("name")
        code = str(table.get("code", ""))
        if not isinstance(name, str) or not name:
            at.problem(f"municipality[{index + 1}]", "a municipality needs a 'name'", "add 'name = \"...\"'")
            continue
        key = f"municipality.{name}"
        at.unknown_keys(table, MUNICIPALITY_KEYS, key)
        if not (code.isdigit() and len(code) == 4):
            at.problem(key, f"code '{code}' is not a four-digit municipality code", "use the SCB kommunkod")
        if code in by_code:
            first, first_line = by_code[code]
            at.problem(
                key,
                f"code {code} is also the code of {first} ({r.path}:{first_line})",
                "each municipality has its own code (SCB kommunkod)",
            )
        else:
            by_code[code] = (name, at.line)
        if slug(name) in municipalities:
            at.problem(key, "this municipality is listed twice", "keep one [[municipality]] table")
        domains = domain_list(at, table, key, "[[municipality]]")
        municipalities[slug(name)] = {"name": name, "code": code, "contacts": {}, "domains": domains}
        lines[slug(name)] = at.line
        r.problems.extend(at.problems)
    return municipalities, lines


def _contact(
    r: _At, table: Mapping[str, Any], cid: str, key: str, domains: tuple[str, ...], owner: str
) -> Contact | None:
    fields = {k: v for k, v in table.items() if k not in OWNER_KEYS | ORGANISATION_KEYS}
    # An owner that declares no domains has none of its numbers verified: read_provenance says so.
    contact = parse_contact(r, cid, fields, key, require_name=False, domains=domains, owner=owner)
    ask_for = table.get("ask_for", "")
    if not isinstance(ask_for, str):
        r.problem(key, "'ask_for' is the text to print under the number", "write it as a string")
        return None
    return dataclasses.replace(contact, ask_for=ask_for.strip()) if contact else None


def load_region(path: Path) -> RegionData:
    """Read one region file; raise ContactError listing every problem."""
    data, lines = load_toml(path, DataError)
    r = Reader(path, lines)
    r.unknown_keys(data, {"region", "roles", "county_roles", "municipality", "contact"}, "")
    rid, rname, issuer, domains = _region_head(r, data, path)
    roles = _roles(r, data, "roles", rid)
    county_roles = _roles(r, data, "county_roles", rid)
    municipalities, municipality_lines = _municipalities(r, data)
    county = _contacts(r, data, (rid, issuer or rname, domains), roles, county_roles, municipalities)
    # A municipality without any verified number still loads: only a card printed for it fails
    # (find_municipality), so one unconfirmed municipality does not stop the other nine.
    logo = region_logo(r, data.get("region"), path)
    raise_all(r.problems, ContactError)
    region = Region(
        id=rid,
        name=rname,
        path=str(path),
        contacts=county,
        municipalities=tuple(
            Municipality(name=m["name"], code=m["code"], slug=s, contacts=m["contacts"], domains=m["domains"])
            for s, m in municipalities.items()
        ),
        issuer=issuer,
        domains=domains,
        logo=logo,
    )
    return RegionData(region, roles, county_roles, municipality_lines)


def _region_head(r: Reader, data: Mapping[str, Any], path: Path) -> tuple[str, str, str, tuple[str, ...]]:
    """The region's id, name, issuing county board and that board's web domains, from its [region] table."""
    head = data.get("region") or {}
    if not isinstance(head, dict):
        r.problem("region", "[region] is a table", 'start the file with [region] and id = "..."')
        head = {}
    rid = r.get(head, "id", str, "region", needle="[region]") or path.stem
    rname = r.get(head, "name", str, "region", needle="[region]") or rid
    r.unknown_keys(head, {"id", "name", "issuer", "domains", "logo", "logo_licence"}, "region", "[region]")
    issuer = r.get(head, "issuer", str, "region", "", needle="[region]") or ""
    return rid, rname, issuer, domain_list(r, head, "region", "[region]")


def _contacts(
    r: Reader,
    data: Mapping[str, Any],
    county_owner: tuple[str, str, tuple[str, ...]],
    roles: Mapping[str, Role],
    county_roles: Mapping[str, Role],
    municipalities: dict[str, dict[str, Any]],
) -> dict[str, Contact]:
    """Each [[contact]] to its owner: the county's are returned, a municipality's go into its table."""
    owners = contact_owners(data)
    county: dict[str, Contact] = {}
    starts = _header_lines(r.lines, "contact")
    if not isinstance(data.get("contact", []), list):
        r.problem("contact", "contacts are tables", "write each one as [[contact]]")
    for index, table in enumerate(_array(data, "contact")):
        at = _At(r, starts[index] if index < len(starts) else 0)
        key = f"contact[{index + 1}]"
        if not isinstance(table, dict) or not isinstance(table.get("role", ""), str):
            at.problem(key, "a contact is a table with a 'role' name", 'write it as [[contact]] with role = "..."')
        else:
            owner = owner_of(table, owners)
            if owner == "county":
                _county_contact(at, table, key, county_owner, county_roles, county)
            else:
                _municipality_contact(at, table, key, county_owner[0], owner, roles, municipalities)
        r.problems.extend(at.problems)
    return county


def _county_contact(
    at: _At,
    table: Mapping[str, Any],
    key: str,
    county_owner: tuple[str, str, tuple[str, ...]],
    county_roles: Mapping[str, Role],
    county: dict[str, Contact],
) -> None:
    rid, issuer, domains = county_owner
    role = table.get("role", "")
    if role not in county_roles:
        at.problem(key, f"unknown county role '{role}'", f"use one of: {', '.join(county_roles)}")
    elif role in county:
        at.problem(key, f"the county has two '{role}' contacts", "keep one")
    elif contact := _contact(at, table, contact_id(rid, "county", role), f"{key} county {role}", domains, issuer):
        county[role] = contact


def _municipality_contact(
    at: _At,
    table: Mapping[str, Any],
    key: str,
    rid: str,
    owner: str | None,
    roles: Mapping[str, Role],
    municipalities: dict[str, dict[str, Any]],
) -> None:
    role = table.get("role", "")
    if owner is None or owner not in municipalities:
        named = table.get("municipality")
        at.problem(
            key,
            f"contact refers to unknown municipality {named!r}",
            f"use the name or code of one of: {', '.join(m['name'] for m in municipalities.values())}"
            ", or county = true",
        )
        return
    target = municipalities[owner]
    if role not in roles:
        at.problem(key, f"unknown role '{role}' for {target['name']}", f"use one of: {', '.join(roles)}")
    elif role in target["contacts"]:
        at.problem(key, f"{target['name']} has two '{role}' contacts", "keep one")
    else:
        domains, name = _number_owner(at, table, key, target, municipalities)
        if contact := _contact(
            at, table, contact_id(rid, owner, role), f"{key} {target['name']} {role}", domains, name
        ):
            target["contacts"][role] = contact


def _number_owner(
    at: _At, table: Mapping[str, Any], key: str, target: Mapping[str, Any], municipalities: Mapping[str, Any]
) -> tuple[tuple[str, ...], str]:
    """Whose pages may verify a municipality's contact: its own, or (served_by) those of the municipality whose
    number it is — and then this municipality's own page must send its residents there (referral)."""
    if "owner" in table or "domains" in table:  # an organisation's own number, listed where it works
        owner = table.get("owner")
        if not isinstance(owner, str) or not owner:
            at.problem(key, "an organisation's contact names its 'owner'", 'add owner = "Föreningen …"')
        return domain_list(at, table, key, ""), str(owner or "")
    served_by = table.get("served_by")
    if served_by is None:
        return target["domains"], target["name"]
    other = municipalities.get(slug(str(served_by)))
    if other is None:
        at.problem(key, f"served_by {served_by!r} is not a municipality of this region", "name one listed above")
        return (), str(served_by)
    referral = table.get("referral")
    if not isinstance(referral, str) or not owned(referral, target["domains"]):
        at.problem(
            key,
            f"{target['name']} uses {other['name']}'s number only if its own page says so: 'referral' must be a "
            f"page of {', '.join(target['domains']) or 'its domains'}",
            f'add referral = "https://..." (the page of {target["name"]} that sends its residents there)',
        )
    return other["domains"], other["name"]


def load_regions(folder: Path) -> dict[str, RegionData]:
    regions: dict[str, RegionData] = {}
    problems: list[Problem] = []
    for path in sorted(folder.glob("*.toml")):
        try:
            data = load_region(path)
        except DataError as exc:
            problems.extend(exc.problems)
            continue
        if data.region.id in regions:
            problems.append(
                Problem(
                    Location(str(path), key="region"),
                    f"region id '{data.region.id}' is also used by {regions[data.region.id].region.path}",
                    "give each region its own id",
                )
            )
            continue
        regions[data.region.id] = data
    raise_all(problems, ContactError)
    codes: dict[str, str] = {}
    for data in regions.values():
        for m in data.region.municipalities:
            where = municipality_location(data, m)
            if m.code in codes:
                problems.append(
                    Problem(
                        where,
                        f"municipality code {m.code} is also used by {codes[m.code]}",
                        "each municipality has its own code (SCB kommunkod)",
                    )
                )
            codes[m.code] = f"{m.name} ({where.file}:{where.line})"
    raise_all(problems, ContactError)
    return regions


def municipality_location(data: RegionData, m: Municipality) -> Location:
    """Where a municipality is written in its region's file (line 0 when no line names it, as always printed)."""
    return Location(data.region.path, data.lines.get(m.slug, 0), f"municipality.{m.name}")


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
