"""Fonts table: fonts/fonts.toml → the bundled font file of each (family, weight) and each family's size and
leading factors, every problem at once.

Only the table is read here; loading the faces (reportlab, HarfBuzz) is text/fonts.py's work.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nodkort.data.tomlread import Reader, load_toml
from nodkort.errors import DataError, raise_all
from nodkort.model import Weight

WEIGHTS: tuple[Weight, ...] = ("regular", "bold")

FontFiles = dict[tuple[str, Weight], Path]

# A size factor scales a family against Latin at the same nominal size (Arabic, Ethiopic and Thai letters are
# smaller on their em than Latin ones). Below 1 text could fall under the legibility floor; above 1.3 it would
# no longer be a correction.
SIZE_RANGE = (1.0, 1.3)
# A leading factor multiplies a style's line spacing on lines set in the family (room for marks, Nastaliq's
# tall words): below 1 lines would crowd marks; above 2 it would be a different style, not a correction.
LEADING_RANGE = (1.0, 2.0)


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
    raise_all(r.problems, DataError)
    return FontTable(files, sizes, leadings)


_FACTOR_FIX = {
    "size": "write size = 1.12 for text 12 % larger than Latin at one nominal size, or leave it out (below 1.0 "
    "text would be drawn under the legibility floor)",
    "leading": "write leading = 1.2 for lines 20 % further apart than the style says, or leave it out",
}


def _factor(r: Reader, family: str, table: Any, key: str) -> float | None:
    if not isinstance(table, dict) or key not in table:
        return None
    factor = table[key]
    low, high = SIZE_RANGE if key == "size" else LEADING_RANGE
    if isinstance(factor, bool) or not isinstance(factor, (int, float)) or not low <= factor <= high:
        r.key_problem(
            f"families.{family}",
            f"{key} factor {factor!r} is not a number from {low} to {high}",
            f"[families.{family}]",
            key,
            _FACTOR_FIX[key],
        )
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
