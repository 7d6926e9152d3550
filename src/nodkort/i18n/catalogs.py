"""Catalogs: cards/ messages → locales/nodkort.pot, and the .po files kept in step with it.

Writes standard gettext files that Poedit, Weblate and `msgfmt --check` accept unchanged. Output is
deterministic (fixed creation dates derived from the data version, sorted by context) so that a re-run
changes nothing and diffs show only real changes. Every catalog is checked before anything is written: one
broken file stops the update and leaves every file as it was.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.messages.catalog import Catalog
from babel.messages.catalog import Message as PoMessage
from babel.messages.pofile import PoFileError, escape, read_po, write_po

from nodkort.data.languages import source_number_phrases
from nodkort.errors import CatalogError, DataError, Location, Problem, UsageError
from nodkort.i18n.extract import Message
from nodkort.i18n.po import DOMAIN, decode_string, inspect_catalog, po_path, read_catalog
from nodkort.i18n.rewrite import keep_unchanged, meaning
from nodkort.i18n.translations import load_languages
from nodkort.model import DEFAULT_FAMILY, Language

HEADER = "Translations of the nodkort cards. Swedish is the source language."
WIDTH = 100  # the width nodkort wraps its own catalogs at
GETTEXT_WIDTH = 80  # Babel's width closest to gettext's and Poedit's wrapping at 79 columns
# Header fields that say what the template was; every other header field belongs to the translator.
TEMPLATE_FIELDS = ("Project-Id-Version:", "POT-Creation-Date:")
_CODE = re.compile(r"^[a-z]{2,3}(_[A-Z][a-z]{3})?(_[A-Z]{2})?$")
# Which bundled font families (fonts/fonts.toml) serve a script, in fallback order; "sans" also holds the
# digits and punctuation that the other families lack.
SCRIPT_FONTS: dict[str, tuple[str, ...]] = {
    "Latn": ("sans",),
    "Cyrl": ("sans",),
    "Grek": ("sans",),
    "Arab": ("arabic", "sans"),
    "Ethi": ("ethiopic", "sans"),
    "Hebr": ("hebrew", "sans"),
    "Thai": ("thai", "sans"),
    "Hans": ("cjk", "sans"),
    "Hant": ("cjk", "sans"),
}


def _stamp(version: str) -> datetime:
    """A fixed date for the catalog headers, from the data version (e.g. 2026.11)."""
    try:
        year, month = (int(part) for part in version.split(".")[:2])
        return datetime(year, month, 1, tzinfo=UTC)
    except ValueError:
        return datetime(2026, 1, 1, tzinfo=UTC)


def template(messages: list[Message], root: Path, version: str) -> Catalog:
    catalog = Catalog(
        domain=DOMAIN,
        project="nodkort",
        version=version,
        header_comment=f"# {HEADER}",
        copyright_holder="nodkort",
        msgid_bugs_address="",
        creation_date=_stamp(version),
        revision_date=_stamp(version),
        fuzzy=False,
    )
    for message in sorted(messages, key=lambda m: m.context):
        path = Path(message.path)
        location = str(path.relative_to(root)) if path.is_relative_to(root) else path.name
        catalog.add(
            message.msgid,
            context=message.context,
            auto_comments=list(message.comments),
            locations=[(location, message.line)],
        )
    return catalog


def _render(catalog: Catalog, width: int = WIDTH) -> bytes:
    out = io.BytesIO()
    # Babel wraps a long previous source as one comment, breaking its quoted lines apart (msgfmt then
    # refuses the file): the `#| msgid` lines are written here instead, each previous source on one line.
    write_po(out, catalog, width=width, sort_output=False, include_previous=False)
    text = out.getvalue().decode("utf-8")
    for message in catalog:
        if message.id and message.context and message.previous_id:
            anchor = f"\nmsgctxt {escape(str(message.context))}\n"
            text = text.replace(anchor, f"\n#| msgid {escape(str(message.previous_id[0]))}{anchor}", 1)
    return text.encode("utf-8")


def _write(catalog: Catalog, path: Path) -> bool:
    """Write `catalog` to `path` if its text changed; True when written."""
    data = _render(catalog)
    if path.is_file() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(path)
    return True


def write_template(messages: list[Message], root: Path, locales: Path, version: str) -> Path:
    path = locales / f"{DOMAIN}.pot"
    _write(template(messages, root, version), path)
    return path


def new_catalog(language: Language, messages: list[Message], root: Path, version: str) -> Catalog:
    tpl = template(messages, root, version)
    catalog = Catalog(
        domain=DOMAIN,
        locale=language.code,
        project="nodkort",
        version=version,
        header_comment=f"# {language.english} ({language.code}). {HEADER}",
        creation_date=_stamp(version),
        revision_date=_stamp(version),
        fuzzy=False,
        language_team=language.english,
    )
    catalog.update(tpl, no_fuzzy_matching=True)
    _set_language(catalog, language)
    return catalog


def _set_language(catalog: Catalog, language: Language) -> None:
    # The header names our code (prs, not the fa_AF whose rules Babel borrows); Babel keeps a code it
    # cannot parse as the identifier and falls back to nplurals=2, which nodkort never uses anyway.
    catalog.locale = language.code


def check_new_code(code: str, locales: Path) -> None:
    """A new catalog needs a well-formed code and must not replace an existing one (exit 2 otherwise)."""
    if not _CODE.match(code):
        raise UsageError(
            f"'{code}' is not a language code: two or three lower-case letters (ISO 639), "
            "optionally with a script or country, e.g. so, prs, sr_Cyrl"
        )
    path = po_path(locales, code)
    if path.exists():
        raise UsageError(f"{path} already exists: use `nodkort lang update` to bring it up to date")


# ISO 639 macrolanguages whose members are commonly written as the macrolanguage's own code.
MACRO = {"nb": "no", "nn": "no", "zsm": "ms", "cmn": "zh", "arb": "ar", "pes": "fa", "swh": "sw"}


def overlaps(code: str, languages: Iterable[Language]) -> list[str]:
    """Warnings for a new code that names a language already listed in another form: a macrolanguage and
    its member (nb beside no), or the same language in another script or country (sr_Cyrl beside sr)."""
    aliases = get_global("language_aliases")

    def base(c: str) -> str:
        first = str(aliases.get(c, c)).split("_")[0]
        return MACRO.get(first, first)

    return [
        f"'{code}' overlaps '{lang.code}' ({lang.english}), already listed: an order or --lang that names "
        f"'{lang.code}' will not get '{code}'; check that a second catalog is what you want, not an update of "
        f"'{lang.code}'"
        for lang in languages
        if lang.code != code and not lang.source and base(lang.code) == base(code)
    ]


def describe_new_language(code: str, families: Iterable[str]) -> str:
    """The languages.toml table for a language CLDR knows: names, script, direction and the fonts for that script."""
    try:
        locale = Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        raise UsageError(
            f"'{code}' is not a language Unicode CLDR knows, so nodkort cannot tell its "
            "script and direction: add it to locales/languages.toml by hand "
            "(docs/translating.md)"
        ) from None
    likely = str(get_global("likely_subtags").get(code, "")).split("_")
    script = locale.script or next((p for p in likely[1:] if len(p) == 4), "Latn")
    fonts = SCRIPT_FONTS.get(script)
    missing = [f for f in fonts or () if f not in set(families)]
    if fonts is not None and missing:
        # The script has its families, but the data folder's fonts table lacks one (renamed, or left out).
        raise DataError(
            f"the {script} script of {locale.english_name} is set in the font families "
            f"{', '.join(fonts)}, and fonts/fonts.toml has no family {', '.join(missing)}: add "
            f"[families.{missing[0]}] to fonts/fonts.toml"
        )
    if fonts is None:
        raise UsageError(
            f"no bundled font covers the {script} script of {locale.english_name}: a font "
            "family for it must be added to fonts/fonts.toml first"
        )
    own = str(locale.display_name or code)
    lines = [
        "",
        f"[{code}]",
        f"# Added by `nodkort lang add {code}` from Unicode CLDR: check the names, and add draft_notice",
        '# ("DRAFT – translation not reviewed" in the language itself).',
        f'name = "{own[:1].upper() + own[1:]}"',
        f'english = "{locale.english_name}"',
        f'script = "{script}"',
        f'direction = "{locale.text_direction}"',
    ]
    if fonts != (DEFAULT_FAMILY,):
        lines.append("fonts = [" + ", ".join(f'"{f}"' for f in fonts) + "]")
    if script == "Thai":
        lines.append('line_break = "thai"')
    return "\n".join(lines) + "\n"


def register_language(locales: Path, code: str, families: Iterable[str]) -> Language:
    """Append a language CLDR knows to locales/languages.toml, so that a translator needs no developer."""
    path = locales / "languages.toml"
    table = describe_new_language(code, families)
    before = path.read_text(encoding="utf-8")
    text = before if before.endswith("\n") else before + "\n"
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(text + table, encoding="utf-8")
    tmp.replace(path)
    try:
        return load_languages(locales)[code]
    except CatalogError:
        path.write_text(before, encoding="utf-8")  # leave the list as it was
        raise


def add_language(language: Language, messages: list[Message], root: Path, locales: Path, version: str) -> Path:
    """Create the catalog of a new language: every string present and empty."""
    check_new_code(language.code, locales)
    path = po_path(locales, language.code)
    _write(new_catalog(language, messages, root, version), path)
    return path


def merge(catalog: Catalog, tpl: Catalog) -> None:
    """Bring `catalog` in step with the template, in place.

    A string whose Swedish source changed keeps its translation, marked fuzzy, with the previous source
    beside it (Poedit and Weblate show the difference). Babel's own fuzzy matching is off: it would also
    guess translations from other, merely similar strings, which a reviewer may not notice.
    """
    # Babel forgets the previous source of a string that is still fuzzy: keep it until it is reviewed.
    earlier = {m.context: _previous(m) for m in catalog if m.id}
    earlier = {context: previous for context, previous in earlier.items() if previous}
    catalog.update(tpl, no_fuzzy_matching=True, update_header_comment=False)
    old = {m.context: m for m in catalog.obsolete.values() if m.string and m.context}
    for message in catalog:
        previous = old.get(message.context) if message.id and message.context and not message.string else None
        if previous is not None:
            message.string = previous.string
            message.flags.add("fuzzy")
            message.previous_id = [str(previous.id)]
            message.user_comments = list(previous.user_comments)
        elif message.fuzzy and not message.previous_id and message.context in earlier:
            message.previous_id = earlier[message.context]
    catalog.obsolete.clear()  # old strings live in git history, not as #~ noise for translators


def _previous(message: PoMessage) -> list[str]:
    """The `#| msgid` lines of a message, which Babel's reader leaves among the translator's comments."""
    kept, parts = [], []
    for comment in message.user_comments:
        if comment.startswith("| msgid "):
            parts.append(decode_string(comment[8:]) or "")
        elif comment.startswith('| "') and parts:
            parts[-1] += decode_string(comment[2:]) or ""
        elif not comment.startswith("|"):
            kept.append(comment)
    message.user_comments = kept
    return parts if message.fuzzy else []


def update_language(language: Language, messages: list[Message], root: Path, locales: Path, version: str) -> bool:
    """Merge the current strings into a language's catalog; changed sources become fuzzy. True if changed.

    Only what changed is rewritten: an entry the merge leaves as it was keeps its text byte for byte (as
    Poedit or Weblate wrapped it), the header keeps the translator's fields (PO-Revision-Date,
    Last-Translator, Language-Team, X-Generator), and a catalog with nothing to change is not written.
    """
    path = po_path(locales, language.code)
    original = path.read_text(encoding="utf-8")
    strings = [line for line in original.splitlines() if line.startswith(('"', "msgid", "msgstr"))]
    width = GETTEXT_WIDTH if max(map(len, strings), default=0) <= GETTEXT_WIDTH else WIDTH
    before = read_catalog(path, language)
    for message in before:
        previous = _previous(message) if message.id else []
        if previous:
            message.previous_id = previous
    catalog = read_catalog(path, language)
    merge(catalog, template(messages, root, version))
    for each in (before, catalog):
        _set_language(each, language)
        each.revision_date = _stamp(version)
    new = _render(catalog, width).decode("utf-8")
    same = {str(m.context) for m in catalog if m.id and m.context and before.get(m.id, m.context) is not None}
    same = {c for c in same if meaning(before, c) == meaning(catalog, c)}
    text = keep_unchanged(original, new, same, TEMPLATE_FIELDS)
    if text == original:
        return False
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return True


def _contexts(pot: Path) -> set[str]:
    """The msgctxt values of an existing template (none when it is missing or unreadable)."""
    try:
        with pot.open("rb") as handle:
            return {str(m.context) for m in read_po(handle) if m.id and m.context}
    except (OSError, PoFileError, ValueError):
        return set()


def update_all(
    languages: Sequence[Language], messages: list[Message], root: Path, locales: Path, version: str
) -> tuple[Path, dict[str, bool]]:
    """Check every catalog, then write the template and merge it into each; a broken catalog stops it all.

    An entry for a string the cards no longer have is removed: that is what updating does. An entry whose
    msgctxt was never extracted (neither in the cards nor in the previous template) was edited by hand,
    most likely by mistake, and removing it would lose its translation: that stops the update instead.
    """
    problems: list[Problem] = []
    known = {m.context for m in messages} | _contexts(locales / f"{DOMAIN}.pot")
    present = [lang for lang in languages if not lang.source and po_path(locales, lang.code).is_file()]
    for lang in present:
        path = po_path(locales, lang.code)
        entries, issues = inspect_catalog(path, lang, phrases=source_number_phrases(languages))
        problems += [i.problem for i in issues]
        problems += [
            Problem(
                Location(str(path), entry.line),
                f'unknown msgctxt "{context}": it is neither in the cards nor in the previous nodkort.pot',
                "restore the msgctxt as nodkort wrote it (each msgctxt "
                "names where the string sits), or delete the entry",
            )
            for context, entry in entries.items()
            if context not in known
        ]
    if problems:
        raise CatalogError(problems)
    pot = write_template(messages, root, locales, version)
    return pot, {lang.code: update_language(lang, messages, root, locales, version) for lang in present}
