"""Furniture: slug lines and packing slips → the data fingerprint they print and the Latin face that draws them.

Everything around the cards on a print file, and the packing slip in the box, names the data the cards were
made from (the fingerprint), so that a printed card can be traced to its templates, contacts and catalogs.
That text is drawn without the card text engine, in one face, so a character the face lacks is refused
before anything is written.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from nodkort.errors import Location, OrderError
from nodkort.model import DEFAULT_FAMILY
from nodkort.project import Project
from nodkort.text.fonts import Face, glyph_problems

FURNITURE_FONTS = (DEFAULT_FAMILY,)  # slug lines and packing slips: Latin text only


def data_fingerprint(project: Project, langs: Iterable[str]) -> str:
    """A short digest of the templates, contacts, regions and the catalogs of `langs`: what the cards print.

    Two runs with the same fingerprint print the same cards; a change to any other language's catalog does
    not count, so a translator's work elsewhere does not stop an interrupted run from being resumed.
    """
    from nodkort.i18n.po import po_path

    digest = hashlib.sha256()
    root = project.data.root
    files = [*sorted(project.data.cards.rglob("*.toml")), project.data.locales / "languages.toml"]
    files += sorted(p for p in {po_path(project.data.locales, code) for code in langs} if p.is_file())
    for path in files:
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:10]


def furniture_font(project: Project) -> Face:
    return project.fonts.face(FURNITURE_FONTS[0], "regular")


def furniture_bold(project: Project) -> Face:
    return project.fonts.face(FURNITURE_FONTS[0], "bold")


def furniture_gate(project: Project, texts: list[tuple[Location, str]]) -> None:
    """Slug lines and slips are drawn without the text engine: refuse any character the face lacks."""
    problems = glyph_problems(project.fonts, texts, FURNITURE_FONTS, "sv")
    if problems:
        raise OrderError(problems)
