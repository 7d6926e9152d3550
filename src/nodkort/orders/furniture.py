"""Furniture: slug lines and packing slips → the data fingerprint they print and the Latin face that draws them.

Everything around the cards on a print file, and the packing slip in the box, names the data the cards were
made from (the fingerprint), so that a printed card can be traced to its templates, contacts and catalogs.
That text is drawn without the card text engine, in one face, so a character the face lacks is refused
before anything is written.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from nodkort.errors import Location, OrderError, Problem, UsageError
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


def press_notes(text: str, *, draft: bool, flip: str, sides: int) -> str:
    """A slug line with what the press operator must know: a watermarked draft, and the edge a duplex sheet is
    turned over on (a one-sided card needs none)."""
    notes = ["DRAFT, not for distribution"] if draft else []
    if sides > 1:
        notes.append(f"duplex: flip on {flip} edge")
    return " · ".join([text, *notes])


def guard_output(project: Project, path: Path, inputs: Iterable[Path] = (), *, folder: bool = False) -> None:
    """Refuse an output that would overwrite an input: a file of the data folder, the order file, or (for a
    file) an existing file that is not a PDF; exit 2, nothing written. `folder`: the output is a folder."""
    option = "-o"
    target = path.resolve()
    data = project.data
    inside = (data.cards, data.locales, data.fonts, *((data.root,) if folder else ()))
    for folder_ in inside:
        if target == folder_.resolve() or (folder_ != data.root and target.is_relative_to(folder_.resolve())):
            raise UsageError(
                Problem(
                    Location(key=f"{option} {path}"),
                    f"{path} lies in nodkort's data folder {folder_}: writing there could overwrite its data",
                    "write the output elsewhere, e.g. in a folder of its own",
                )
            )
    for given in inputs:
        if given.resolve() == target:
            raise UsageError(
                Problem(Location(key=f"{option} {path}"), f"{path} is the input file", "write the output elsewhere")
            )
    if folder:
        return
    if target.is_file() and path.suffix.lower() == ".pdf" and not target.read_bytes()[:5] == b"%PDF-":
        raise UsageError(
            Problem(
                Location(key=f"{option} {path}"),
                f"{path} exists and is not a PDF: nodkort overwrites only a PDF it could have written",
                "choose another name, or move the file away first",
            )
        )
    if target.is_file() and path.suffix.lower() != ".pdf":
        raise UsageError(
            Problem(
                Location(key=f"{option} {path}"),
                f"{path} exists and is not a PDF",
                "give the output a name ending in .pdf, or move the file away first",
            )
        )


def furniture_font(project: Project) -> Face:
    return project.fonts.face(FURNITURE_FONTS[0], "regular")


def furniture_bold(project: Project) -> Face:
    return project.fonts.face(FURNITURE_FONTS[0], "bold")


def furniture_gate(project: Project, texts: list[tuple[Location, str]]) -> None:
    """Slug lines and slips are drawn without the text engine: refuse any character the face lacks."""
    problems = glyph_problems(project.fonts, texts, FURNITURE_FONTS, "sv")
    if problems:
        raise OrderError(problems)
