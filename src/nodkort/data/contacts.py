"""Contacts: cards/contacts/*.toml → validated Contact values; numbers checked with phonenumbers.

A number is printable only when it is `status = "verified"`, carries the address it was verified at and the
date. Swedish short numbers (112, 114 14, 116 111, 1177) are not valid E.164 numbers, so they are checked
against the Swedish short-number plan instead.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import phonenumbers
from phonenumbers import shortnumberinfo

from nodkort.data.provenance import domain_list, read_provenance
from nodkort.data.tomlread import Reader, load_toml
from nodkort.data.unsafe import controls_in
from nodkort.errors import ContactError, raise_all
from nodkort.model import Contact

CONTACT_KEYS = {
    "name",
    "purpose",
    "number",
    "display",
    "hours",
    "status",
    "source",
    "source_date",
    "checked",
    "evidence",
    "verified",  # the old name of `checked`: read only to say so
    "discreet_name",
    "url",
    "note",
    "verified_by",
}
# A national contact names its owner and the owner's web domains itself; a regional one inherits them.
OWNER_KEYS = {"owner", "domains"}
_DIGITS = re.compile(r"\D")


def _digits(text: str) -> str:
    return _DIGITS.sub("", text)


def check_number(number: str, display: str) -> str | None:
    """Why `number`/`display` is not a callable Swedish or international number, or None if it is."""
    if number.startswith("+"):
        try:
            parsed = phonenumbers.parse(number, None)
        except phonenumbers.NumberParseException as exc:
            return f"'{number}' is not a phone number ({exc})"
        if not phonenumbers.is_valid_number(parsed):
            return f"'{number}' is not a valid number"
        if phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164) != number:
            return f"'{number}' is not in E.164 form (+46…, digits only)"
        national = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
        if _digits(display) not in (_digits(number), _digits(national)):
            return f"display '{display}' does not show the same number as '{number}' ({national})"
        return None
    if not number.isdigit():
        return f"'{number}' must be E.164 (+46…) or a Swedish short number (digits only)"
    try:
        valid = shortnumberinfo.is_valid_short_number_for_region(phonenumbers.parse(number, "SE"), "SE")
    except phonenumbers.NumberParseException:  # "0" or a single digit: not even a short number
        valid = False
    if not valid:
        return f"'{number}' is not a Swedish short number; write other numbers in E.164 (+46…)"
    if _digits(display) != number:
        return f"display '{display}' does not show the same number as '{number}'"
    return None


def parse_contact(
    r: Reader,
    cid: str,
    table: Mapping[str, Any],
    key: str,
    require_name: bool = True,
    domains: Sequence[str] | None = None,
    owner: str = "",
) -> Contact | None:
    """One contact table → Contact, recording every problem with it in `r`.

    `domains` and `owner` are the owner's when the caller knows them (a municipality, the county; None when it
    does not); a national contact declares its own with `owner = "..."` and `domains = [...]`.
    """
    needle = f"[{key}]"
    r.unknown_keys(table, CONTACT_KEYS | (OWNER_KEYS if domains is None else set()), key, needle)
    status = table.get("status")
    if status not in ("verified", "unconfirmed"):
        r.problem(key, f"status must be 'verified' or 'unconfirmed', not {status!r}", "", needle)
        return None
    number = table.get("number", "")
    display = table.get("display", number)
    url = table.get("url", "")
    if not isinstance(number, str) or not isinstance(display, str) or not isinstance(url, str):
        r.problem(key, "number, display and url are strings", "", needle)
        return None
    if not number and not url:
        r.problem(key, "a contact needs a 'number' or a 'url'", "", needle)
    for name, value in (("number", number), ("display", display), ("url", url)):
        for offset, char in controls_in(value, marks=True):
            r.problem(
                f"{key}.{name}",
                f"{name} holds the invisible direction control {char} at character {offset + 1}: it can reverse "
                "how the number reads",
                "retype the value without it",
                needle,
            )
    if domains is None:
        owner = str(table.get("owner", owner))
        domains = domain_list(r, table, key, needle)
    found = read_provenance(r, table, key, needle, domains, owner, status == "verified")
    if status == "verified":
        if number:
            why = check_number(number, display)
            if why:
                r.problem(key, why, "correct the number at its source", needle)
        if url and not url.startswith("https://"):
            r.problem(key, f"url '{url}' must be an https:// address", "", needle)
    name = table.get("name", "")
    if require_name and not name:
        r.problem(key, "missing 'name'", "", needle)
    line = r.line_of(needle) or 0
    return Contact(
        id=cid,
        name=str(name),
        number=number,
        display=display,
        status=status,
        source=found.source,
        checked=found.checked,
        source_date=found.source_date,
        evidence=found.evidence,
        owner=owner,
        hours=str(table.get("hours", "")),
        purpose=str(table.get("purpose", "")),
        discreet_name=str(table.get("discreet_name", "")),
        url=url,
        path=r.path,
        line=line,
    )


def load_contacts(path: Path) -> dict[str, Contact]:
    """Read a national contacts file; raise ContactError listing every bad contact."""
    data, lines = load_toml(path, ContactError)
    r = Reader(path, lines)
    contacts: dict[str, Contact] = {}
    for cid, table in data.items():
        if not isinstance(table, dict):
            r.problem(cid, "a contact is a table", f"write it as [{cid}]")
            continue
        contact = parse_contact(r, cid, table, cid)
        if contact:
            contacts[cid] = contact
    raise_all(r.problems, ContactError)
    return contacts


def load_contact_dir(folder: Path) -> dict[str, Contact]:
    """Every contacts file in `folder`; an id defined twice is an error."""
    contacts: dict[str, Contact] = {}
    for path in sorted(folder.glob("*.toml")):
        for cid, contact in load_contacts(path).items():
            if cid in contacts:
                raise ContactError(f"{path} [{cid}]: contact id also defined in {contacts[cid].path}")
            contacts[cid] = contact
    return contacts
