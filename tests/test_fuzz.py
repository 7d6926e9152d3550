"""Property tests: any template, contacts file, region file or catalog gives a result or a named error.

Hypothesis mutates the project's own data files (values replaced, keys dropped or added, lines deleted,
repeated or garbled) and generates files from scratch. Whatever it makes, reading it must either succeed or
raise a NodkortError, which the CLI prints as a message with file and place: never another exception,
which a user would see as a traceback. Bounded so that the file runs in well under a minute.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import math
import shutil
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT, TESTS
from nodkort.data.contacts import check_number, load_contacts
from nodkort.data.freshness import ages
from nodkort.data.languages import source_number_phrases
from nodkort.data.pictograms import load_pictograms
from nodkort.data.regions import load_region
from nodkort.errors import NodkortError
from nodkort.i18n.extract import messages
from nodkort.i18n.po import inspect_catalog, po_path
from nodkort.i18n.translations import load_languages, load_translations
from nodkort.model import Job
from nodkort.pipeline import lay_out
from nodkort.project import DataDir, Project
from nodkort.text.fonts import FontBook

# Small and derandomised: the same examples in CI on every run; no example database written into the repo.
BOUNDED = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Words the loaders look for, so that mutations reach past the first type check.
VOCAB = [
    "text",
    "contacts",
    "qr",
    "stamp",
    "rect",
    "pictogram",
    "always",
    "plain",
    "discreet",
    "body",
    "title",
    "accent",
    "ink",
    "regular",
    "bold",
    "start",
    "center",
    "end",
    "wallet",
    "front",
    "back",
    "ud_jouren",
    "tel:ud_jouren",
    "url:ud_jouren",
    "vcard",
    "municipality.switchboard",
    "county.animal_welfare",
    "verified",
    "unconfirmed",
    "+4684055005",
    "112",
    "https://example.se/",
    "switchboard",
    "Västerås",
    "1980",
    "{emergency}",
    "**",
    "",
]
KEYS = [
    "id",
    "kind",
    "box",
    "show",
    "style",
    "text",
    "source",
    "size",
    "floor",
    "sides",
    "fields",
    "color",
    "name",
    "number",
    "display",
    "status",
    "verified",
    "url",
    "role",
    "municipality",
    "county",
    "code",
]

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=24)
SCALARS = st.one_of(
    st.integers(min_value=-(2**40), max_value=2**40),
    st.floats(allow_nan=True, allow_infinity=True),
    TEXT,
    st.booleans(),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 1, 1)),
    st.sampled_from(VOCAB),
    st.lists(st.floats(min_value=-10, max_value=300), min_size=2, max_size=4),  # sizes and boxes
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(KEYS) | TEXT, inner, max_size=4),
    max_leaves=8,
)


# --- TOML written back from Python values ------------------------------------------------------------------


def _string(text: str) -> str:
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_string(str(k))} = {toml_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(value)


def dump(data: dict[str, Any]) -> str:
    """A TOML document with every top-level value inline (TOML 1.0 allows tables of any depth inline)."""
    return "\n".join(f"{_string(str(k))} = {toml_value(v)}" for k, v in data.items()) + "\n"


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _paths(inner, (*prefix, index))


def _mutate(data: dict[str, Any], draw: st.DrawFn) -> dict[str, Any]:
    """Replace a value, drop a key or an item, or add a key, one to three times, anywhere in the tree."""
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(data) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent: Any = data
        for step in path[:-1]:
            parent = parent[step]
        action = draw(st.sampled_from(["replace", "replace", "drop", "add"]))
        if action == "replace":
            parent[path[-1]] = draw(VALUES)
        elif action == "drop":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(KEYS) | TEXT)] = draw(VALUES)
        else:
            parent.append(draw(VALUES))
    return data


@st.composite
def mutated_toml(draw: st.DrawFn, source: Path) -> str:
    data = tomllib.loads(source.read_text(encoding="utf-8"))
    return dump(_mutate(data, draw))


@st.composite
def garbled_lines(draw: st.DrawFn, source: Path) -> str:
    """The file's own text with lines deleted, repeated, swapped or overwritten: mostly still parses."""
    lines = source.read_text(encoding="utf-8").splitlines()
    for _ in range(draw(st.integers(1, 4))):
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "repeat", "swap", "text", "value"]))
        if action == "delete":
            del lines[index]
        elif action == "repeat":
            lines.insert(index, lines[index])
        elif action == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
        elif action == "text":
            lines[index] = draw(TEXT)
        elif "=" in lines[index]:
            key = lines[index].split("=", 1)[0]
            lines[index] = f"{key}= {toml_value(draw(VALUES))}"
    return "\n".join(lines) + "\n"


def _names_the_file(exc: NodkortError, path: Path) -> None:
    """Every problem of the error names `path`, and a line inside it where it gives one: a user finds the spot."""
    lines = path.read_text(encoding="utf-8").count("\n") + 1
    for problem in exc.problems:
        assert Path(problem.where.file).name == path.name, (str(problem), str(path))
        line = problem.where.line
        assert line is None or 1 <= line <= lines, (str(problem), lines)


def _only_named_errors(path: Path, call: Callable[[], object]) -> None:
    """`call` succeeds or raises a NodkortError that names `path` (and a line in it, where there is one)."""
    try:
        call()
    except NodkortError as exc:
        _names_the_file(exc, path)


# --- templates: loaded, checked and laid out -------------------------------------------------------------


@pytest.fixture(scope="module")
def fuzz_project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    root = tmp_path_factory.mktemp("fuzz") / "data"
    shutil.copytree(ROOT / "cards", root / "cards")
    shutil.copytree(ROOT / "locales", root / "locales")
    return Project(DataDir.locate(root))


_SERIAL = itertools.count()


def _lay_out_template(project: Project, text: str) -> None:
    """Write the template as a new card and lay it out, plain and discreet, as `nodkort render` does before it
    draws. Layout is where every value of a template is read and used; drawing laid-out cards is tested on the
    real cards, so the examples here stop short of the PDF. A new card id per example: the project reads it
    afresh, with no cache to clear."""
    card_id = f"fuzz{next(_SERIAL)}"
    path = project.data.cards / f"{card_id}.toml"
    path.write_text(text, encoding="utf-8")
    try:
        _only_named_errors(path, lambda: messages(project.data.cards))  # what `lang update` and `lang list` read
        _only_named_errors(path, lambda: lay_out(project, Job(card_id, "sv")))
        _only_named_errors(path, lambda: lay_out(project, Job(card_id, "sv", variant="discreet")))
    finally:
        path.unlink()


TEMPLATE = ROOT / "cards" / "emergency.toml"


@BOUNDED
@given(text=mutated_toml(TEMPLATE))
def test_any_mutated_template_lays_out_or_names_its_error(fuzz_project: Project, text: str) -> None:
    _lay_out_template(fuzz_project, text)


@BOUNDED
@given(text=garbled_lines(TEMPLATE))
def test_any_garbled_template_lays_out_or_names_its_error(fuzz_project: Project, text: str) -> None:
    _lay_out_template(fuzz_project, text)


@BOUNDED
@given(data=st.dictionaries(st.sampled_from(["card", "colors", "styles", "formats"]) | TEXT, VALUES, max_size=4))
def test_any_generated_template_lays_out_or_names_its_error(fuzz_project: Project, data: dict[str, Any]) -> None:
    _lay_out_template(fuzz_project, dump(data))


# --- contacts -------------------------------------------------------------------------------------------


NATIONAL = ROOT / "cards" / "contacts" / "national.toml"


def _load_contacts(scratch: Path, text: str) -> None:
    path = scratch / "contacts" / "national.toml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    try:
        contacts = load_contacts(path)
    except NodkortError as exc:
        _names_the_file(exc, path)
        return
    ages(contacts.values(), dt.date(2027, 1, 1))


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("scratch")


@BOUNDED
@given(text=mutated_toml(NATIONAL))
def test_any_mutated_contacts_file_loads_or_names_its_error(scratch: Path, text: str) -> None:
    _load_contacts(scratch, text)


@BOUNDED
@given(text=garbled_lines(NATIONAL))
def test_any_garbled_contacts_file_loads_or_names_its_error(scratch: Path, text: str) -> None:
    _load_contacts(scratch, text)


@BOUNDED
@given(number=st.text(alphabet="+0123456789 -()١٢٣٤٥", max_size=20) | TEXT, display=TEXT)
def test_any_number_is_accepted_or_explained(number: str, display: str) -> None:
    why = check_number(number, display)
    if why is None:  # accepted: a number a phone dials, shown as itself
        assert number.startswith("+") or number.isdigit(), number
        assert display.strip(), (number, display)
    else:  # refused: the message quotes the value it refuses
        assert f"'{number}'" in why or f"display '{display}'" in why, why


# --- regions --------------------------------------------------------------------------------------------


REGION = TESTS / "data" / "regions" / "provlan.toml"


def _load_region(scratch: Path, text: str) -> None:
    path = scratch / "regions" / "provlan.toml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    _only_named_errors(path, lambda: load_region(path))


@BOUNDED
@given(text=mutated_toml(REGION))
def test_any_mutated_region_file_loads_or_names_its_error(scratch: Path, text: str) -> None:
    _load_region(scratch, text)


@BOUNDED
@given(text=garbled_lines(REGION))
def test_any_garbled_region_file_loads_or_names_its_error(scratch: Path, text: str) -> None:
    _load_region(scratch, text)


# --- the language list, the pictograms and the fonts table ----------------------------------------------


LANGUAGES = ROOT / "locales" / "languages.toml"
PICTOGRAMS = ROOT / "cards" / "pictograms.toml"
FONT_TABLE = ROOT / "fonts" / "fonts.toml"


def _names_its_file(call: Any, path: Path) -> None:
    """The call succeeds, or raises a NodkortError whose message names the file it read."""
    try:
        call()
    except NodkortError as exc:
        assert str(path) in exc.message, exc.message


@pytest.fixture(scope="module")
def font_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fonts")
    for font in (ROOT / "fonts").glob("*.ttf"):
        (folder / font.name).symlink_to(font)
    return folder


@BOUNDED
@given(text=mutated_toml(LANGUAGES) | garbled_lines(LANGUAGES))
def test_any_mutated_or_garbled_language_list_loads_or_names_its_error(scratch: Path, text: str) -> None:
    folder = scratch / "locales"
    folder.mkdir(exist_ok=True)
    (folder / "languages.toml").write_text(text, encoding="utf-8")
    _names_its_file(lambda: load_languages(folder), folder / "languages.toml")


@BOUNDED
@given(text=mutated_toml(PICTOGRAMS) | garbled_lines(PICTOGRAMS))
def test_any_mutated_or_garbled_pictograms_file_loads_or_names_its_error(scratch: Path, text: str) -> None:
    path = scratch / "pictograms.toml"
    path.write_text(text, encoding="utf-8")
    _names_its_file(lambda: load_pictograms(path), path)


@BOUNDED
@given(text=mutated_toml(FONT_TABLE) | garbled_lines(FONT_TABLE))
def test_any_mutated_or_garbled_fonts_table_loads_or_names_its_error(font_folder: Path, text: str) -> None:
    (font_folder / "fonts.toml").write_text(text, encoding="utf-8")
    _names_its_file(lambda: FontBook(font_folder), font_folder / "fonts.toml")


# --- catalogs -------------------------------------------------------------------------------------------


CATALOG = po_path(ROOT / "locales", "en")


@st.composite
def garbled_catalog(draw: st.DrawFn) -> str:
    """The English catalog with lines deleted, repeated or overwritten, and quotes or escapes broken."""
    lines = CATALOG.read_text(encoding="utf-8").splitlines()
    for _ in range(draw(st.integers(1, 4))):
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "repeat", "text", "quote", "escape", "keyword"]))
        if action == "delete":
            del lines[index]
        elif action == "repeat":
            lines.insert(index, lines[index])
        elif action == "text":
            lines[index] = draw(TEXT)
        elif action == "quote":
            lines[index] = lines[index].replace('"', "", 1)
        elif action == "escape":
            lines[index] = lines[index][:-1] + "\\" + lines[index][-1:] if lines[index] else "\\"
        else:
            keyword = draw(st.sampled_from(["msgctxt", "msgid", "msgstr", "msgstr[0]", "msgid_plural", "#,", "#~"]))
            lines[index] = f"{keyword} {json.dumps(draw(TEXT), ensure_ascii=False)}"
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def catalog_data(tmp_path_factory: pytest.TempPathFactory, project: Project) -> tuple[Path, Project]:
    root = tmp_path_factory.mktemp("catalogs") / "data"
    shutil.copytree(ROOT / "locales", root / "locales")
    return root / "locales", project


@BOUNDED
@given(text=garbled_catalog())
def test_any_garbled_catalog_loads_or_names_its_error(catalog_data: tuple[Path, Project], text: str) -> None:
    locales, project = catalog_data
    path = po_path(locales, "en")
    path.write_text(text, encoding="utf-8")
    english = project.language("en")
    phrases = source_number_phrases(project.languages.values())
    try:
        inspect_catalog(path, english, project.messages, phrases=phrases)
        translations = load_translations(locales, english, project.messages, phrases)
    except NodkortError as exc:
        assert str(path) in exc.message
        return
    for message in project.messages[:20]:
        translations.lookup(message.context, message.msgid)


@BOUNDED
@given(
    entries=st.lists(
        st.tuples(
            st.sampled_from(["emergency/wallet/front/emergency", "contacts/bris/name"]) | TEXT,
            TEXT,
            TEXT,
            st.booleans(),
        ),
        max_size=5,
    )
)
def test_any_generated_catalog_loads_or_names_its_error(
    catalog_data: tuple[Path, Project], entries: list[tuple[str, str, str, bool]]
) -> None:
    locales, project = catalog_data
    path = po_path(locales, "en")
    body = ['msgid ""', 'msgstr ""', '"Language: en\\n"', '"Content-Type: text/plain; charset=utf-8\\n"', ""]
    for context, msgid, msgstr, fuzzy in entries:
        body += (["#, fuzzy"] if fuzzy else []) + [
            f"msgctxt {json.dumps(context, ensure_ascii=False)}",
            f"msgid {json.dumps(msgid, ensure_ascii=False)}",
            f"msgstr {json.dumps(msgstr, ensure_ascii=False)}",
            "",
        ]
    path.write_text("\n".join(body), encoding="utf-8")
    phrases = source_number_phrases(project.languages.values())
    _only_named_errors(path, lambda: load_translations(locales, project.language("en"), project.messages, phrases))


# --- order files ----------------------------------------------------------------------------------------


ORDERS = ROOT / "examples" / "orders.csv"
ORDER_WORDS = [
    "emergency",
    "action",
    "sv",
    "en",
    "Arabic",
    "arabiska",
    "Västerås",
    "Sala",
    "wallet",
    "large",
    "A4",
    "SRA3",
    "ja",
    "nej",
    "0",
    "-5",
    "1e3",
    "12,5",
    "1000001",
    "V-1",
    "",
]


@st.composite
def garbled_orders(draw: st.DrawFn) -> bytes:
    """A short order file with rows deleted, repeated or cut, cells replaced, in some encoding Excel writes."""
    lines = ORDERS.read_text(encoding="utf-8-sig").splitlines()[:10]
    for _ in range(draw(st.integers(1, 5))):
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "repeat", "cell", "cell", "cut", "text", "quote"]))
        if action == "delete" and len(lines) > 1:
            del lines[index]
        elif action == "repeat":
            lines.insert(index, lines[index])
        elif action == "cell":
            cells = lines[index].split(";")
            cells[draw(st.integers(0, len(cells) - 1))] = draw(st.sampled_from(ORDER_WORDS) | TEXT)
            lines[index] = ";".join(cells)
        elif action == "cut":
            lines[index] = ";".join(lines[index].split(";")[: draw(st.integers(0, 8))])
        elif action == "text":
            lines[index] = draw(TEXT)
        else:
            lines[index] = lines[index].replace(";", '";', 1)
    text = "\n".join(lines) + "\n"
    if draw(st.booleans()):
        text = text.replace(";", ",")
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
    return text.encode(encoding, errors="replace")


@pytest.fixture(scope="module")
def order_known(project: Project) -> Any:
    from nodkort.orders.plan import known

    return known(project, "A4")


def _read_orders(scratch: Path, data: bytes, name: str, known: Any) -> None:
    from nodkort.orders.parse import read_orders

    path = scratch / name
    path.write_bytes(data)
    try:
        orders = read_orders(path, known)
    except NodkortError as exc:
        assert str(path) in exc.message
        return
    assert all(line.quantity > 0 for order in orders for line in order.lines)


@BOUNDED
@given(data=garbled_orders())
def test_any_garbled_order_file_reads_or_names_its_error(scratch: Path, order_known: Any, data: bytes) -> None:
    _read_orders(scratch, data, "orders.csv", order_known)


@BOUNDED
@given(data=st.binary(max_size=300), name=st.sampled_from(["orders.csv", "orders.xlsx"]))
def test_any_bytes_as_an_order_file_read_or_name_their_error(
    scratch: Path, order_known: Any, data: bytes, name: str
) -> None:
    _read_orders(scratch, data, name, order_known)


@BOUNDED
@given(flips=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=4))
def test_a_damaged_workbook_reads_or_names_its_error(
    scratch: Path, order_known: Any, flips: list[tuple[int, int]]
) -> None:
    data = bytearray((ROOT / "examples" / "orders.xlsx").read_bytes())
    for offset, value in flips:
        data[offset % len(data)] = value
    _read_orders(scratch, bytes(data), "orders.xlsx", order_known)
