"""TOML reading with error collection: a data file → plain values, or every problem in it at once.

The templates, contacts and regions loaders all read TOML the same way: parse it (a syntax error is one
problem with its line), then pull typed values out of nested tables while collecting every problem, so
that the user fixes a file in one pass instead of one error per run.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

from nodkort.errors import DataError, Location, Problem

T = TypeVar("T")

_LINE_RE = re.compile(r"at line (\d+)")
_HEADER = re.compile(r"^\[{1,2}[A-Za-z_][\w.\"-]*\]{1,2}\s*(#.*)?$")  # a table header such as [styles.body]


def load_toml(path: Path, error: type[DataError] = DataError) -> tuple[dict[str, Any], list[str]]:
    """Parse `path`; a syntax error becomes one `error` naming file and line."""
    try:
        text = path.read_text(encoding="utf-8-sig")  # a byte-order mark (Notepad's "UTF-8 with BOM") is dropped
    except OSError as exc:
        raise error(Problem(Location(str(path)), f"cannot read the file ({exc.strerror})")) from None
    except UnicodeDecodeError:
        raise error(Problem(Location(str(path)), "is not UTF-8 text", "save it as UTF-8")) from None
    return parse_toml(text, path, error), text.splitlines()


def parse_toml(text: str, path: Path, error: type[DataError] = DataError) -> dict[str, Any]:
    """Parse TOML text read from `path`; a syntax error becomes one `error` naming file and line."""
    try:
        return tomllib.loads(text.removeprefix("\ufeff"))
    except tomllib.TOMLDecodeError as exc:
        match = _LINE_RE.search(str(exc))
        where = Location(str(path), int(match.group(1)) if match else None)
        raise error(Problem(where, f"TOML syntax error: {exc}", "fix the syntax (see docs/templates.md)")) from None


class Reader:
    """Typed access to a TOML table that records problems instead of raising at the first one."""

    def __init__(self, path: Path | str, lines: list[str]) -> None:
        self.path = str(path)
        self.lines = lines
        self.problems: list[Problem] = []
        # The table being read: a field id such as "numbers" recurs in every format, so it is searched for
        # from here first, and from the top of the file only when it is not below.
        self.start = 1

    def line_of(self, *needles: str) -> int | None:
        """The first line holding all `needles` (TOML keeps no positions; this finds keys and ids)."""
        for begin in (self.start, 1):
            for number in range(begin, len(self.lines) + 1):
                if all(n in self.lines[number - 1] for n in needles):
                    return number
        return None

    def key_line(self, section: str, name: str) -> int | None:
        """The line of `name = ...` in the table that starts at the first line holding `section`."""
        start = self.line_of(section) if section else 1
        if start is None:
            return self.line_of(f"{name} =")
        for number in range(start, len(self.lines) + 1):
            text = self.lines[number - 1].strip()
            if number > start and _HEADER.match(text):
                break  # the next table: the key is not written in this one
            if text.startswith((f"{name} =", f"{name}=")):
                return number
        return start

    def where(self, key: str, *needles: str) -> Location:
        line = self.line_of(*needles) if needles else None
        return Location(self.path, line or None, key)

    def key_problem(self, key: str, what: str, section: str, name: str, fix: str = "") -> None:
        line = self.key_line(section, name)
        self.problems.append(Problem(Location(self.path, line or None, key), what, fix))

    def problem(self, key: str, what: str, fix: str = "", *needles: str) -> None:
        self.problems.append(Problem(self.where(key, *needles), what, fix))

    def get(
        self,
        table: Mapping[str, Any],
        name: str,
        kind: type[T] | tuple[type, ...],
        key: str,
        default: Any = ...,
        needle: str = "",
    ) -> Any:
        """`table[name]` checked against `kind`; a missing or mistyped value is recorded, default returned."""
        full = f"{key}.{name}" if key else name
        if name not in table:
            if default is ...:
                self.problem(full, f"missing key '{name}'", f"add '{name} = ...'", *([needle] if needle else []))
                return None
            return default
        value = table[name]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        # TOML integers are valid wherever a float is expected; booleans are not numbers here.
        if float in kinds and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        # TOML allows nan and inf; no length, size or date in a card means either, and layout cannot use them.
        if isinstance(value, float) and not math.isfinite(value):
            self.key_problem(full, f"'{name}' must be a finite number, not {value}", needle, name)
            return None if default is ... else default
        ok = not (isinstance(value, bool) and bool not in kinds) and isinstance(value, kinds)
        if not ok:
            names = " or ".join(k.__name__ for k in kinds)
            self.key_problem(full, f"'{name}' must be {names}, not {type(value).__name__}", needle, name)
            return None if default is ... else default
        return value

    def numbers(
        self, table: Mapping[str, Any], name: str, count: int, key: str, needle: str = ""
    ) -> list[float] | None:
        value = self.get(table, name, list, key, needle=needle)
        if value is None:
            return None
        if len(value) != count or not all(
            isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in value
        ):
            self.problem(f"{key}.{name}", f"'{name}' must be a list of {count} numbers", "", needle or name)
            return None
        return [float(v) for v in value]

    def date(self, table: Mapping[str, Any], name: str, key: str, needle: str = "") -> dt.date | None:
        value = table.get(name)
        if value is None:
            self.problem(f"{key}.{name}", f"missing '{name}'", f"add '{name} = YYYY-MM-DD'", needle)
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        self.problem(f"{key}.{name}", f"'{name}' must be a date (YYYY-MM-DD, unquoted)", "", needle)
        return None

    def unknown_keys(self, table: Mapping[str, Any], allowed: set[str], key: str, needle: str = "") -> None:
        for name in sorted(set(table) - allowed):
            self.problem(
                f"{key}.{name}", f"unknown key '{name}'", f"allowed: {', '.join(sorted(allowed))}", needle or name
            )
