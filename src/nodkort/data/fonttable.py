"""Fonts table: fonts/fonts.toml → the bundled font file of each (family, weight), every problem at once.

Only the table is read here; loading the faces (reportlab, HarfBuzz) is text/fonts.py's work.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nodkort.data.tomlread import Reader, load_toml
from nodkort.errors import DataError, raise_all
from nodkort.model import Weight

WEIGHTS: tuple[Weight, ...] = ("regular", "bold")

FontFiles = dict[tuple[str, Weight], Path]


def load_font_table(folder: Path) -> FontFiles:
    """Read folder/fonts.toml; raise DataError listing every problem in it."""
    path = folder / "fonts.toml"
    data, lines = load_toml(path, DataError)
    r = Reader(path, lines)
    r.unknown_keys(data, {"families"}, "", "")
    families = data.get("families", {})
    if not isinstance(families, dict):
        r.key_problem(
            "families",
            "[families] is a table of font families",
            "",
            "families",
            'write each one as [families.NAME] with regular = "FILE.ttf" and bold = "FILE.ttf"',
        )
        families = {}
    files: FontFiles = {}
    for family, table in families.items():
        files.update(_family(r, folder, family, table))
    raise_all(r.problems, DataError)
    return files


def _family(r: Reader, folder: Path, family: str, table: Any) -> FontFiles:
    key = f"families.{family}"
    header = f"[{key}]"
    if not isinstance(table, dict):
        r.key_problem(
            key,
            "a font family is a table",
            "[families]",
            family,
            f'write it as {header} with regular = "FILE.ttf" and bold = "FILE.ttf"',
        )
        return {}
    r.unknown_keys(table, set(WEIGHTS), key, header)
    files: FontFiles = {}
    for weight in WEIGHTS:
        name = table.get(weight)
        if not isinstance(name, str) or not name:
            r.key_problem(
                key,
                f"missing '{weight}'" if name is None else f"'{weight}' must be a file name",
                header,
                weight,
                f'write {weight} = "FILE.ttf", a file in {folder} (a family without a '
                "bold cut names its regular file twice)",
            )
            continue
        file = folder / name
        if not file.is_file():
            r.key_problem(
                key,
                f"font file {file.name} is missing",
                header,
                weight,
                f"put {file.name} into {folder}, or name a file that is there",
            )
            continue
        files[(family, weight)] = file
    return files
