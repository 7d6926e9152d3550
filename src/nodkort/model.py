"""Model: frozen values shared by the pipeline stages. Lengths are PDF points (1/72 in) unless named `_mm`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from nodkort.output import DISCREET_STEM, file_stem

MM = 72.0 / 25.4
# The bundled font family of Latin text (fonts/fonts.toml): the fonts of a language that names none, the face of
# ASCII-only text (the stamp, slugs, packing slips), and the fallback holding digits and punctuation.
DEFAULT_FAMILY = "sans"

Variant = Literal["plain", "discreet"]
# "local": the plain variant, and only when a municipality is given (its own numbers, its county's name).
Show = Literal["always", "plain", "discreet", "local"]
Align = Literal["start", "center", "end"]
Weight = Literal["regular", "bold"]
Direction = Literal["ltr", "rtl"]
Status = Literal["verified", "unconfirmed"]


def mm(value: float) -> float:
    """Millimetres to points: the one conversion, done when data is loaded."""
    return value * MM


@dataclass(frozen=True)
class Cmyk:
    c: float
    m: float
    y: float
    k: float

    def rgb(self) -> tuple[float, float, float]:
        """The naive device conversion, used only to compute contrast, never to print."""
        return (
            (1 - self.c) * (1 - self.k),
            (1 - self.m) * (1 - self.k),
            (1 - self.y) * (1 - self.k),
        )


BLACK = Cmyk(0, 0, 0, 1)
WHITE = Cmyk(0, 0, 0, 0)


@dataclass(frozen=True)
class Box:
    """A rectangle in points, origin at the bottom left of the trimmed side."""

    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def top(self) -> float:
        return self.y + self.h

    def mirrored(self, width: float) -> Box:
        return Box(width - self.x - self.w, self.y, self.w, self.h)


@dataclass(frozen=True)
class Style:
    name: str
    size: float
    weight: Weight = "regular"
    leading: float = 1.22
    color: Cmyk = BLACK
    align: Align = "start"
    paragraph_gap: float = 0.35  # extra space between paragraphs, in multiples of the size


# --- fields -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldBase:
    id: str
    box: Box
    show: Show
    line: int  # line of the field in its template, for messages


@dataclass(frozen=True)
class TextField(FieldBase):
    style: Style
    msgid: str
    context: str
    source: str
    critical: bool = False
    bullets: bool = False  # each paragraph is a list item with a bullet
    background: Cmyk | None = None
    comment: str = ""


@dataclass(frozen=True)
class ContactsField(FieldBase):
    style: Style
    contacts: tuple[str, ...]  # contact references: "ud_jouren", "municipality.intake_children", ...
    hours: bool = True
    purpose: bool = False
    background: Cmyk | None = None
    # The second line of a contact (its purpose and hours): smaller and grey; None sets it in `style`.
    detail_style: Style | None = None
    # The least space between rows (multiples of the size) the table tightens to before it is refused; it starts
    # from its style's paragraph_gap.
    min_row_gap: float | None = None
    # The template style's size when a column has grown or shrunk `style` (layout/column.py): the second line
    # keeps its share of the first line's size as the template designed it; 0 when `style` is the template's.
    design_size: float = 0.0


@dataclass(frozen=True)
class QrField(FieldBase):
    # "tel:<ref>", "url:<ref>" or "vcard", in order of preference: the first one with verified data wins.
    targets: tuple[str, ...]
    contacts: tuple[str, ...] = ()  # the contacts of a vcard
    module: float = 0.5 * MM
    caption_style: Style | None = None
    vcard_name: str = ""


@dataclass(frozen=True)
class StampField(FieldBase):
    style: Style


@dataclass(frozen=True)
class IssuerField(FieldBase):
    """Who issues the card: the county board's name (and its logo, if the region file names one) in `style`."""

    style: Style
    logo_height: float = 6 * MM  # the logo's height; its width follows from its own proportions


@dataclass(frozen=True)
class RectField(FieldBase):
    color: Cmyk


@dataclass(frozen=True)
class PictogramField(FieldBase):
    pictogram: str
    color: Cmyk


Field = TextField | ContactsField | QrField | StampField | IssuerField | RectField | PictogramField
Spare = Literal["spread", "foot", "end"]


@dataclass(frozen=True)
class Column:
    """A column of a side: blocks stacked from its top with the format's gap between them.

    `blocks` are field ids in template order, each with whether it stacks from the column's foot. Text in
    the column may grow up to `grow` times its style's size to fill it; spare space goes where `spare` says:
    evenly into every gap ("spread"), into the gap above the first foot block ("foot"), or below the last
    block ("end": the blocks stay together at the top).
    """

    id: str
    box: Box
    blocks: tuple[tuple[str, bool], ...]
    spare: Spare = "spread"
    grow: float = 1.0
    line: int = 0


@dataclass(frozen=True)
class Side:
    name: str
    fields: tuple[Field, ...]
    outside: bool = True  # seen without opening the card: the discreet gate applies
    background: Cmyk | None = None
    folds: tuple[float, ...] = ()  # x positions of vertical folds, in points from the left trim edge
    columns: tuple[Column, ...] = ()  # where blocks without a box of their own are stacked


@dataclass(frozen=True)
class Format:
    name: str
    width: float
    height: float
    floor: float  # legibility floor for body text, in points
    sides: tuple[Side, ...]
    gap: float = 1.5 * MM  # the least space between two blocks: nothing printed comes closer
    max_gap: float = 6 * MM  # the largest designed space: no empty band on a side is taller
    safe: float = 2 * MM  # no text nearer the trim edge than this

    @property
    def local(self) -> bool:
        """Whether this format has room for local help (fields with show = "local")."""
        return any(f.show == "local" for s in self.sides for f in s.fields)


@dataclass(frozen=True)
class Card:
    id: str
    path: str
    title: str  # msgid of the card's title, used in the PDF metadata of the plain variant
    title_context: str
    discreet_title: str  # msgid of the neutral title
    discreet_title_context: str
    version: str
    formats: dict[str, Format]
    default_format: str
    needs_municipality: bool = False
    forbidden_outside: tuple[str, ...] = ()  # words that must never appear outside the discreet variant
    styles: dict[str, Style] = field(default_factory=dict)
    # What a QR code does and holds, said to a screen reader (a tagged PDF's /Alt), by kind of code ("tel",
    # "url", "vcard"): msgids with placeholders {name}, {number}, {address}, {numbers}; context `qr_context`.
    qr_alt: dict[str, str] = field(default_factory=dict)

    def qr_context(self, kind: str) -> str:
        return f"{self.id}/qr_{kind}"

    # Words of one translation that reveal the subject (its words for foreign ministry, abroad, marriage…):
    # checked on that language's discreet card, beside the source languages' words.
    forbidden_translated: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def forbidden(self, code: str) -> tuple[str, ...]:
        """The words a discreet card in language `code` must show on no side: both source languages' and its own."""
        return (*self.forbidden_outside, *self.forbidden_translated.get(code, ()))

    @property
    def local(self) -> bool:
        """Whether the card has fields that print only for a given municipality (show = "local")."""
        return any(fmt.local for fmt in self.formats.values())

    @property
    def variants(self) -> tuple[Variant, ...]:
        """A card offers a discreet variant when some field is written for it."""
        discreet = any(f.show == "discreet" for fmt in self.formats.values() for s in fmt.sides for f in s.fields)
        return ("plain", "discreet") if discreet else ("plain",)


# --- contacts and regions -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Contact:
    id: str
    name: str  # msgid
    number: str  # E.164, or a Swedish short number such as 112
    display: str  # the Swedish display form, e.g. "020-50 50 50"
    status: Status
    source: str  # the owner's page it was seen on, or "phone: …" / "e-mail: …" (data/provenance.py)
    checked: date | None  # when someone compared the number with the source: freshness ages from it
    hours: str = ""  # msgid, only from the source
    purpose: str = ""  # msgid
    discreet_name: str = ""  # msgid of a neutral name for the discreet variant
    ask_for: str = ""  # msgid of an instruction such as "ask for social services"
    url: str = ""
    path: str = ""
    line: int = 0
    source_date: date | None = None  # the source page's own date, where it shows one
    evidence: tuple[str, ...] = ()  # third-party pages that agree: leads, never a verification
    owner: str = ""  # whose number it is (national contacts name it; regional ones are their municipality's)

    @property
    def printable(self) -> bool:
        return self.status == "verified" and self.checked is not None


@dataclass(frozen=True)
class Municipality:
    name: str
    code: str
    slug: str
    contacts: dict[str, Contact]  # role -> contact: switchboard, intake_children, socialjour, eservice, ...
    domains: tuple[str, ...] = ()  # its own web domains: where its numbers may be verified


@dataclass(frozen=True)
class LogoShape:
    """One filled shape of a logo, in the logo's own units with y pointing down (as SVG draws)."""

    polygons: tuple[tuple[tuple[float, float], ...], ...]
    circles: tuple[tuple[float, float, float], ...]
    color: Cmyk


@dataclass(frozen=True)
class Logo:
    """A vector logo: its view box size and its shapes; `licence` says under what terms it may be printed."""

    width: float
    height: float
    shapes: tuple[LogoShape, ...]
    path: str
    licence: str


@dataclass(frozen=True)
class Region:
    id: str
    name: str
    path: str
    contacts: dict[str, Contact]  # role -> contact for the county: switchboard, animal_welfare
    municipalities: tuple[Municipality, ...]
    issuer: str = ""  # the county board that issues the cards, named on them
    logo: Logo | None = None  # the issuer's logo, drawn beside its name on plain cards
    domains: tuple[str, ...] = ()  # the county board's web domains: where its numbers may be verified


# --- languages ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BreakRules:
    """A language's line-breaking taste (locales/languages.toml), on top of what Unicode allows.

    `keep_with_next`: words after which no line ends (the one-letter prepositions and conjunctions that Russian,
    Ukrainian, Polish, Czech and Bosnian/Croatian/Serbian typesetting never leave at a line's end);
    `keep_whole`: words and phrases never broken inside (Thai compounds that the dictionary splits,
    "dygnet runt"); `no_line_start` and `no_line_end`: characters that never begin or end a line (kinsoku).
    """

    keep_with_next: frozenset[str] = frozenset()
    keep_whole: tuple[str, ...] = ()
    no_line_start: str = ""
    no_line_end: str = ""


@dataclass(frozen=True)
class Language:
    code: str
    name: str  # in the language itself
    english: str
    script: str  # ISO 15924
    direction: Direction
    babel: str  # the Babel locale used for plural rules and names
    fonts: tuple[str, ...]  # font families in fallback order
    source: bool = False
    line_break: Literal["uax14", "thai"] = "uax14"
    draft_notice: str = ""  # "DRAFT – translation not reviewed" in the language itself
    breaks: BreakRules = BreakRules()
    # The source language only: its phrases that stand for a number a translation may write as digits
    # ("dygnet runt" → "24", "7"), as (phrase, numbers) pairs.
    number_phrases: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True)
class Job:
    card: str
    lang: str
    format: str | None = None
    variant: Variant = "plain"
    municipality: str | None = None
    draft: bool = False
    bleed_mm: float = 0.0
    crop_marks: bool = False
    today: date | None = None
    allow_stale: bool = False  # print contacts checked more than 24 months ago; the stamp then says so

    @property
    def bleed(self) -> float:
        """The bleed in points: millimetres as typed, converted once."""
        return mm(self.bleed_mm)

    def default_name(self, fmt: str) -> str:
        """A file name that says nothing of the card's subject: a download folder is seen by others too.

        A discreet card's name leaves out the place as well: it must not tell where its holder lives.
        """
        place = "" if self.variant == "discreet" else self.municipality or ""  # as typed, as render always has
        return f"{file_stem(DISCREET_STEM, self.lang, fmt, place=place)}.pdf"
