"""Fonts table: fonts/fonts.toml → the bundled font file of each (family, weight) and each family's size and
leading factors, every problem at once.

Only the table is read here; loading the faces (reportlab, HarfBuzz) is text/fonts.py's work.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nodkort.data.ranges import FONT_RANGES, check_ranges
from nodkort.data.tomlread import Reader, load_toml
from nodkort.errors import DataError, raise_all
from nodkort.model import DEFAULT_FAMILY, Weight

WEIGHTS: tuple[Weight, ...] = ("regular", "bold")

FontFiles = dict[tuple[str, Weight], Path]


@dataclass(frozen=True)
class FontTable:
    files: FontFiles
    size: dict[str, float] = field(default_factory=dict)  # family → size factor; absent means 1.0
    leading: dict[str, float] = field(default_factory=dict)  # family → leading factor; absent means 1.0


def load_font_table(folder: Path) -> FontTable:
    """Read folder/fonts.toml; raise DataError listing every problem in it."""
    path = folder / "fonts.toml"
    data, lines = load_toml(path, DataError)
    r = Reader(path, lines)
    r.unknown_keys(data, {"families"}, "", "")
    check_ranges(r, data, FONT_RANGES)
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
    sizes: dict[str, float] = {}
    leadings: dict[str, float] = {}
    for family, table in families.items():
        files.update(_family(r, folder, family, table))
        factor = _factor(r, family, table, "size")
        if factor is not None:
            sizes[family] = factor
        factor = _factor(r, family, table, "leading")
        if factor is not None:
            leadings[family] = factor
    if isinstance(families, dict) and DEFAULT_FAMILY not in families:
        # Digits, punctuation and every slug line and packing slip are set in it, whatever the languages say.
        r.problem(
            f"families.{DEFAULT_FAMILY}",
            f"no font family '{DEFAULT_FAMILY}': it sets digits, punctuation, slug lines and packing slips",
            f'add [families.{DEFAULT_FAMILY}] with regular = "NotoSans-Regular.ttf" and bold = "NotoSans-Bold.ttf"',
        )
    raise_all(r.problems, DataError)
    return FontTable(files, sizes, leadings)


def _factor(r: Reader, family: str, table: Any, key: str) -> float | None:
    """The family's size or leading factor; its range is checked with the others (data/ranges.py)."""
    if not isinstance(table, dict) or key not in table:
        return None
    factor = r.get(table, key, float, f"families.{family}", None, f"[families.{family}]")
    if factor is None or not FONT_RANGES[f"families.*.{key}"].holds(factor, (0, 0)):
        return None
    return float(factor)


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
    r.unknown_keys(table, {*WEIGHTS, "size", "leading"}, key, header)
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
