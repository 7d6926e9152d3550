"""Every number of a template has a range (nodkort.data.ranges): each one out of range is refused at its line."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, Run
from nodkort.data.fonttable import load_font_table
from nodkort.data.pictograms import load_pictograms
from nodkort.data.ranges import FONT_RANGES, PICTOGRAM_RANGES, TEMPLATE_RANGES, Range, number_patterns, range_of
from nodkort.data.templates import load_card
from nodkort.errors import NodkortError

HERE = Path(__file__).parent / "data" / "ranges"
SIDE = (85.60, 53.98)  # the fixture's wallet format
FILES = {
    "template": HERE / "every_number.toml",
    "pictograms": HERE / "every_pictogram.toml",
    "fonts": ROOT / "fonts" / "fonts.toml",  # the bundled table has a size factor
}
SCHEMAS = {"template": TEMPLATE_RANGES, "pictograms": PICTOGRAM_RANGES, "fonts": FONT_RANGES}
NAMED = {"template": True, "pictograms": False, "fonts": True}  # whether top-level tables hold names
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def _load(kind: str, path: Path) -> None:
    if kind == "template":
        load_card(path, lambda ref: True, set())
    elif kind == "pictograms":
        load_pictograms(path)
    else:
        for font in (ROOT / "fonts").glob("*.ttf"):  # the table beside the files it names
            if not (path.parent / font.name).exists():
                (path.parent / font.name).symlink_to(font)
        load_font_table(path.parent)


def _outside(found: Range) -> list[float]:
    """A value just under and one just over the range."""
    high = found.bound(SIDE)
    return [found.low if found.above else round(found.low - 1, 2), round(high + 1, 2)]


def _value(data: Any, path: tuple[str | int, ...]) -> Any:
    for segment in path:
        data = data[segment]
    return data


def _set(text: str, path: tuple[str | int, ...], value: float) -> tuple[str, int]:
    """The file with the number at `path` replaced, and the line it is on (found by trying each line)."""
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        key, sep, rest = line.partition("=")
        for match in _NUMBER.finditer(rest) if sep else ():
            start = len(key) + 1 + match.start()
            changed = [*lines[: number - 1], f"{line[:start]}{value:g}{line[len(key) + 1 + match.end() :]}"]
            candidate = "\n".join([*changed, *lines[number:]])
            try:
                if _value(tomllib.loads(candidate), path) == value:
                    return candidate, number
            except (tomllib.TOMLDecodeError, KeyError, IndexError, TypeError):
                continue
    raise AssertionError(f"no line holds {path}")


def _cases() -> list[tuple[str, str, float]]:
    cases = []
    for kind, ranges in SCHEMAS.items():
        for pattern, found in ranges.items():
            cases += [(kind, pattern, value) for value in _outside(found)]
    return cases


CASES = _cases()


@pytest.mark.parametrize("kind", sorted(FILES))
def test_the_fixture_holds_every_number_of_the_schema_in_range(kind: str) -> None:
    _load(kind, FILES[kind])  # no problem at all
    data = tomllib.loads(FILES[kind].read_text(encoding="utf-8"))
    found = {pattern for pattern, _ in number_patterns(data, named=NAMED[kind])}
    for pattern in SCHEMAS[kind]:
        general = re.sub(r"\[\d+\]$", "[]", pattern)
        assert any(f == pattern or re.sub(r"\[\d+\]$", "[]", f) == general for f in found), pattern


@pytest.mark.parametrize(("kind", "pattern", "value"), CASES, ids=[f"{k}:{p}={v:g}" for k, p, v in CASES])
def test_a_number_out_of_its_range_is_refused_at_its_line(
    tmp_path: Path, kind: str, pattern: str, value: float
) -> None:
    source = FILES[kind]
    data = tomllib.loads(source.read_text(encoding="utf-8"))
    named = NAMED[kind]
    path = next(p for f, p in number_patterns(data, named) if pattern in (f, re.sub(r"\[\d+\]$", "[]", f)))
    text, line = _set(source.read_text(encoding="utf-8"), path, value)
    bad = tmp_path / source.name
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(NodkortError) as caught:
        _load(kind, bad)
    found = SCHEMAS[kind][pattern]
    messages = [str(p) for p in caught.value.problems if p.where.line == line and "out of range" in p.what]
    assert messages, (line, [str(p) for p in caught.value.problems])
    assert messages[0].startswith(f"{bad}:{line} [")
    assert f"= {value:g} is out of range: it must be {found.describe(SIDE)} — {found.fix}" in messages[0]


def test_every_number_in_the_bundled_data_has_a_range() -> None:
    for card in [*sorted((ROOT / "cards").glob("*.toml")), ROOT / "fonts" / "fonts.toml"]:
        named = card.name != "pictograms.toml"
        schema = {"pictograms.toml": PICTOGRAM_RANGES, "fonts.toml": FONT_RANGES}.get(card.name, TEMPLATE_RANGES)
        data = tomllib.loads(card.read_text(encoding="utf-8"))
        for pattern, path in number_patterns(data, named):
            if path[0] != "card":
                assert range_of(schema, pattern) is not None, (card.name, pattern)


def _edit(path: Path, old: str, new: str) -> int:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    head, _, _ = text.partition(old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return head.count("\n") + 1 + old.count("\n")


@pytest.mark.parametrize(
    ("old", "new", "what"),
    [
        (
            "[styles.body]\nsize = 7\nleading = 1.2",
            "[styles.body]\nsize = 7\nleading = 0",
            "[styles.body.leading]: leading = 0 is out of range: it must be from 0.9 to 3 × the size — leading is "
            "line height as a multiple of the size: 1.2 for body text; under 0.9 lines and marks overprint",
        ),
        (
            "paragraph_gap = 0.35",
            "paragraph_gap = -0.5",
            "paragraph_gap = -0.5 is out of range: it must be from 0 to 3 × the size",
        ),
    ],
    ids=["leading-0", "negative-paragraph-gap"],
)
def test_render_refuses_a_template_value_out_of_range(
    run: Run, data_copy: Path, tmp_path: Path, old: str, new: str, what: str
) -> None:
    template = data_copy / "cards" / "emergency.toml"
    line = _edit(template, old, new)
    out = tmp_path / "card.pdf"
    result = run("render", "emergency", "--lang", "sv", "-o", str(out), data=data_copy)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {template}:{line} [styles.")
    assert what in result.stderr
    assert not out.exists()


def test_the_documented_ranges_are_the_schema() -> None:
    docs = (ROOT / "docs" / "templates.md").read_text(encoding="utf-8")
    for pattern, found in {**TEMPLATE_RANGES, **PICTOGRAM_RANGES, **FONT_RANGES}.items():
        high = f"the side's {found.high}" if isinstance(found.high, str) else f"{found.high:g}"
        low = f"above {found.low:g}" if found.above else f"{found.low:g}"
        assert f"| `{pattern}` | {low} | {high} | {found.unit} |" in docs, pattern
