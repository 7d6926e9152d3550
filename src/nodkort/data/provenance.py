"""Provenance: a contact's source, its dates and its owner's domains → whether "verified" may be claimed.

"Verified" means seen at the owner: on a page of the owner's own web domains (a municipality, the county board,
the service itself, or the public body the data names as the owner's voice for that number), or confirmed by the
owner by phone or e-mail. A third-party page (a dataset, a news site, another municipality) is `evidence`: a lead
to follow up, never a verification. Each owner declares its domains in the data, so the rule is checked, not
trusted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from nodkort.data.tomlread import Reader

# A confirmation that is not a web page: "phone: <who, when>" or "e-mail: <who>".
CONFIRMED_BY = ("phone:", "e-mail:")
SOURCE_MAX_MONTHS = 24  # a source page older than this is flagged: re-check at the source


@dataclass(frozen=True)
class Provenance:
    source: str  # the owner's page, or "phone: …" / "e-mail: …"
    checked: dt.date | None  # when someone compared the number with the source
    source_date: dt.date | None = None  # the page's own date, where it shows one
    evidence: tuple[str, ...] = ()  # third-party pages that agree


def domain_list(r: Reader, table: Mapping[str, Any], key: str, needle: str) -> tuple[str, ...]:
    """An owner's `domains`: host names, optionally with a path ("lansstyrelsen.se/vastmanland")."""
    value = table.get("domains", [])
    if not isinstance(value, list) or not all(isinstance(d, str) and d and "://" not in d for d in value):
        r.problem(
            f"{key}.domains",
            "'domains' lists the owner's web domains",
            'write domains = ["kommun.se"] (no https://; a path narrows it: "lansstyrelsen.se/vastmanland")',
            needle,
        )
        return ()
    return tuple(d.strip().strip("/").casefold() for d in value)


def owned(source: str, domains: Sequence[str]) -> bool:
    """Whether `source` is an https page on one of the owner's domains (a sub-domain counts; a path narrows)."""
    parts = urlsplit(source)
    if parts.scheme not in ("http", "https"):
        return False
    host = (parts.hostname or "").casefold().removeprefix("www.")
    path = parts.path.casefold()
    for domain in domains:
        name, _, prefix = domain.partition("/")
        name = name.removeprefix("www.")
        if (host == name or host.endswith("." + name)) and (not prefix or path.startswith(f"/{prefix}")):
            return True
    return False


def read_provenance(
    r: Reader, table: Mapping[str, Any], key: str, needle: str, domains: Sequence[str], owner: str, verified: bool
) -> Provenance:
    """source, checked, source_date and evidence of one contact; a verified one must be seen at its owner."""
    if "verified" in table:
        r.problem(
            f"{key}.verified",
            "'verified' is now 'checked': the date someone compared the number with its source",
            "rename it to checked = YYYY-MM-DD, and add source_date = YYYY-MM-DD if the page shows its own date",
            needle,
        )
    source = table.get("source", "")
    evidence = table.get("evidence", [])
    if not isinstance(evidence, list) or not all(isinstance(e, str) for e in evidence):
        r.problem(
            f"{key}.evidence", "'evidence' lists addresses of pages that agree", 'write evidence = ["..."]', needle
        )
        evidence = []
    source_date = _optional_date(r, table, "source_date", key, needle)
    if not verified:
        checked = _optional_date(r, table, "checked", key, needle)
        return Provenance(str(source or ""), checked, source_date, tuple(evidence))
    if not isinstance(source, str) or not source:
        r.problem(
            key,
            "a verified contact needs 'source', the owner's page it was seen on",
            'add \'source = "https://..."\' (or "phone: who, when") or set status = "unconfirmed"',
            needle,
        )
        source = ""
    elif not source.startswith(CONFIRMED_BY) and not owned(source, domains):
        shown = ", ".join(domains) if domains else "none declared"
        r.problem(
            key,
            f"source {source} is not a page of {owner or 'its owner'} (its domains: {shown}): a third-party page "
            "is evidence, never a verification",
            "find the number on the owner's own page and cite that, move this address to evidence = [...] and "
            'set status = "unconfirmed", or add the owner\'s domain to its domains',
            needle,
        )
    checked = r.date(table, "checked", key, needle)
    return Provenance(source, checked, source_date, tuple(evidence))


def _optional_date(r: Reader, table: Mapping[str, Any], name: str, key: str, needle: str) -> dt.date | None:
    return r.date(table, name, key, needle) if name in table else None
