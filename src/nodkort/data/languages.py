"""Languages: locales/languages.toml → Language values, every problem in the file at once with its line.

A language's script and writing direction are data in the file: loading Unicode CLDR (through Babel) to learn
the direction of 30 languages took longer than laying out a card. `nodkort lang add` fills both in from CLDR
when it registers a new language (i18n/catalogs.py), and a test checks the bundled list against CLDR.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from pathlib import Path
from typing import Any, cast

from nodkort.data.tomlread import Reader, load_toml
from nodkort.errors import CatalogError, raise_all
from nodkort.model import DEFAULT_FAMILY, BreakRules, Direction, Language

LANGUAGE_KEYS = {
    "name",
    "english",
    "script",
    "babel",
    "fonts",
    "source",
    "line_break",
    "draft_notice",
    "direction",
    "keep_with_next",
    "keep_whole",
    "no_line_start",
    "no_line_end",
    "number_phrases",
}
LINE_BREAKS = ("uax14", "thai")
DIRECTIONS = ("ltr", "rtl")


def load_languages(path: Path, families: Collection[str] | None = None) -> dict[str, Language]:
    """Read languages.toml; raise CatalogError listing every problem in it.

    With `families` (those of fonts/fonts.toml), a font chain naming any other family is a problem at its line:
    found when the data folder is read, not when the first card of that language is laid out.
    """
    data, lines = load_toml(path, CatalogError)
    r = Reader(path, lines)
    languages: dict[str, Language] = {}
    for code, table in data.items():
        language = _language(r, code, table)
        if language is not None:
            languages[code] = language
            if families is not None:
                _known_families(r, language, families)
    raise_all(r.problems, CatalogError)
    return languages


def _known_families(r: Reader, language: Language, families: Collection[str]) -> None:
    code = language.code
    for family in language.fonts:
        if family not in families:
            r.key_problem(
                f"{code}.fonts",
                f"no font family '{family}' in fonts/fonts.toml",
                f"[{code}]",
                "fonts",
                f"use one of: {', '.join(sorted(families))}; or add [families.{family}] to fonts/fonts.toml",
            )


def _language(r: Reader, code: str, table: Any) -> Language | None:
    needle = f"[{code}]"
    if not isinstance(table, dict):
        r.key_problem(code, "a language is a table", "", code, f"write it as [{code}] with name, english and script")
        return None
    r.unknown_keys(table, LANGUAGE_KEYS, code, needle)
    babel_code = r.get(table, "babel", str, code, code, needle)
    direction = _direction(r, code, table)
    fonts = _fonts(r, code, table)
    line_break = r.get(table, "line_break", str, code, "uax14", needle)
    if line_break not in LINE_BREAKS:
        r.key_problem(
            f"{code}.line_break",
            f"line_break must be one of {', '.join(LINE_BREAKS)}, not {line_break!r}",
            needle,
            "line_break",
            'use "thai" for Thai, else leave it out',
        )
        return None
    name = r.get(table, "name", str, code, code, needle)
    english = r.get(table, "english", str, code, code, needle)
    script = r.get(table, "script", str, code, "Latn", needle)
    source = r.get(table, "source", bool, code, False, needle)
    draft_notice = r.get(table, "draft_notice", str, code, "", needle)
    breaks = _break_rules(r, code, table)
    phrases = _number_phrases(r, code, table, bool(source))
    if babel_code is None or direction is None or fonts is None or breaks is None or phrases is None:
        return None
    return Language(
        code=code,
        name=name,
        english=english,
        script=script,
        direction=direction,
        babel=babel_code,
        fonts=fonts,
        source=source,
        line_break=line_break,
        draft_notice=draft_notice,
        breaks=breaks,
        number_phrases=phrases,
    )


def source_number_phrases(languages: Iterable[Language]) -> dict[str, tuple[str, ...]]:
    """The source language's phrases that a translation may write as digits ("dygnet runt" → 24 or 7)."""
    return {phrase: numbers for lang in languages if lang.source for phrase, numbers in lang.number_phrases}


def _number_phrases(
    r: Reader, code: str, table: Mapping[str, Any], source: bool
) -> tuple[tuple[str, tuple[str, ...]], ...] | None:
    """Phrases of the source that stand for numbers: a table of phrase → digits, on the source language only.

    A translation may hold no number its Swedish source does not; these phrases are the only exception, so a
    translator's own catalog cannot widen them: only the source language declares them.
    """
    value = table.get("number_phrases")
    if value is None:
        return ()
    if not source:
        r.key_problem(
            f"{code}.number_phrases",
            "number_phrases belong to the source language: they say which source phrases a translation may "
            "write as digits",
            f"[{code}]",
            "number_phrases",
            "move them to the source language's entry (the one with source = true)",
        )
        return None
    ok = isinstance(value, dict) and all(
        isinstance(numbers, list)
        and numbers
        and all(isinstance(n, str) and n.isascii() and n.isdigit() for n in numbers)
        for numbers in value.values()
    )
    if not ok:
        r.key_problem(
            f"{code}.number_phrases",
            f"'number_phrases' must map a phrase to a list of numbers written as strings of digits, not {value!r}",
            f"[{code}]",
            "number_phrases",
            'write number_phrases = { "dygnet runt" = ["24", "7"] }',
        )
        return None
    return tuple((str(phrase), tuple(numbers)) for phrase, numbers in value.items())


def _break_rules(r: Reader, code: str, table: Mapping[str, Any]) -> BreakRules | None:
    """The language's line-breaking taste: lists of words and strings of characters (text/breaks.py)."""
    lists: dict[str, tuple[str, ...]] = {}
    for key in ("keep_with_next", "keep_whole"):
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(w, str) and w.strip() for w in value):
            r.key_problem(
                f"{code}.{key}",
                f"'{key}' must be a list of words, not {value!r}",
                f"[{code}]",
                key,
                f'write {key} = ["word", ...]',
            )
            return None
        lists[key] = tuple(value)
    no_start = r.get(table, "no_line_start", str, code, "", f"[{code}]")
    no_end = r.get(table, "no_line_end", str, code, "", f"[{code}]")
    return BreakRules(
        keep_with_next=frozenset(w.casefold() for w in lists["keep_with_next"]),
        keep_whole=lists["keep_whole"],
        no_line_start=no_start or "",
        no_line_end=no_end or "",
    )


def _direction(r: Reader, code: str, table: Mapping[str, Any]) -> Direction | None:
    """The stated writing direction: a right-to-left language set left to right would print backwards."""
    if "direction" not in table:
        r.key_problem(
            f"{code}.direction",
            "missing key 'direction'",
            f"[{code}]",
            "direction",
            'add direction = "ltr" or "rtl" (Unicode CLDR gives it: nodkort lang add fills it in)',
        )
        return None
    stated = table["direction"]
    if stated not in DIRECTIONS:
        r.key_problem(
            f"{code}.direction",
            f"direction must be one of {', '.join(DIRECTIONS)}, not {stated!r}",
            f"[{code}]",
            "direction",
            'write "rtl" for a right-to-left script (Arabic, Hebrew), else "ltr"',
        )
        return None
    return cast(Direction, stated)


def _fonts(r: Reader, code: str, table: Mapping[str, Any]) -> tuple[str, ...] | None:
    """The font families in fallback order: a list of names, since a plain string is not a chain."""
    fonts = table.get("fonts", [DEFAULT_FAMILY])
    if not isinstance(fonts, list) or not fonts or not all(isinstance(f, str) and f for f in fonts):
        r.key_problem(
            f"{code}.fonts",
            f"'fonts' must be a list of font family names, not {fonts!r}",
            f"[{code}]",
            "fonts",
            'write fonts = ["family", ...]: families of fonts/fonts.toml in fallback order',
        )
        return None
    return tuple(fonts)
