"""Catalogs: cards/ messages → locales/nodkort.pot, and the .po files kept in step with it.

Writes standard gettext files that Poedit, Weblate and `msgfmt --check` accept unchanged. Output is
deterministic (fixed creation dates derived from the data version, sorted by context) so that a re-run
changes nothing and diffs show only real changes.
"""

from __future__ import annotations

import io
import re
from datetime import datetime, timezone
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from .errors import UsageError
from .extract import Message
from .i18n import DOMAIN, po_path, read_catalog
from .model import Language

HEADER = "Translations of the nodkort cards. Swedish is the source language."
_CODE = re.compile(r"^[a-z]{2,3}(_[A-Z][a-z]{3})?(_[A-Z]{2})?$")


def _stamp(version: str) -> datetime:
    """A fixed date for the catalog headers, from the data version (e.g. 2026.11)."""
    try:
        year, month = (int(part) for part in version.split(".")[:2])
        return datetime(year, month, 1, tzinfo=timezone.utc)
    except ValueError:
        return datetime(2026, 1, 1, tzinfo=timezone.utc)


def template(messages: list[Message], root: Path, version: str) -> Catalog:
    catalog = Catalog(domain=DOMAIN, project="nodkort", version=version, header_comment=f"# {HEADER}",
                      copyright_holder="nodkort", msgid_bugs_address="", creation_date=_stamp(version),
                      revision_date=_stamp(version), fuzzy=False)
    for message in sorted(messages, key=lambda m: m.context):
        path = Path(message.path)
        location = str(path.relative_to(root)) if path.is_relative_to(root) else path.name
        catalog.add(message.msgid, context=message.context, auto_comments=list(message.comments),
                    locations=[(location, message.line)])
    return catalog


def _write(catalog: Catalog, path: Path) -> bool:
    """Write `catalog` to `path` if its text changed; True when written."""
    out = io.BytesIO()
    write_po(out, catalog, width=100, sort_output=False, include_previous=True)
    data = out.getvalue()
    if path.is_file() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".po.part")
    tmp.write_bytes(data)
    tmp.replace(path)
    return True


def write_template(messages: list[Message], root: Path, locales: Path, version: str) -> Path:
    path = locales / f"{DOMAIN}.pot"
    _write(template(messages, root, version), path)
    return path


def new_catalog(language: Language, messages: list[Message], root: Path, version: str) -> Catalog:
    tpl = template(messages, root, version)
    catalog = Catalog(domain=DOMAIN, locale=language.code, project="nodkort", version=version,
                      header_comment=f"# {language.english} ({language.code}). {HEADER}",
                      creation_date=_stamp(version), revision_date=_stamp(version), fuzzy=False)
    catalog.update(tpl)
    _set_language(catalog, language)
    return catalog


def _set_language(catalog: Catalog, language: Language) -> None:
    # The header names our code (prs, not the fa_AF whose rules Babel borrows); Babel keeps a code it
    # cannot parse as the identifier and falls back to nplurals=2, which nodkort never uses anyway.
    catalog.locale = language.code


def add_language(language: Language, messages: list[Message], root: Path, locales: Path, version: str) -> Path:
    """Create the catalog of a new language: every string present and empty."""
    if not _CODE.match(language.code):
        raise UsageError(f"'{language.code}' is not a language code (two or three lower-case letters)")
    path = po_path(locales, language.code)
    if path.exists():
        raise UsageError(f"{path} already exists: use `nodkort lang update` to bring it up to date")
    _write(new_catalog(language, messages, root, version), path)
    return path


def update_language(language: Language, messages: list[Message], root: Path, locales: Path, version: str) -> bool:
    """Merge the current strings into a language's catalog; changed sources become fuzzy. True if changed."""
    path = po_path(locales, language.code)
    catalog = read_catalog(path, language)
    catalog.update(template(messages, root, version), update_header_comment=False)
    catalog.obsolete.clear()  # old strings live in git history, not as #~ noise for translators
    _set_language(catalog, language)
    catalog.revision_date = _stamp(version)
    return _write(catalog, path)
