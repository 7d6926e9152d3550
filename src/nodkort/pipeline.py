"""Pipeline: a job (card × language × format × variant × municipality) → gates → layout → PDF bytes.

Calls the stages in order and never parses or draws itself: locate the data folder, load templates,
contacts, regions, languages and fonts, check review state and glyph coverage, lay the card out, render.
"""

from __future__ import annotations

import math
import os
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import BinaryIO

from . import contrast
from .contacts import load_contact_dir
from .context import Context
from .discreet import check_discreet
from .errors import FitError, GlyphError, OutputError, Problem, ReviewError, UsageError
from .extract import Message, messages, messages_in
from .findings import KEY
from .fonts import FontBook, glyph_problems
from .freshness import STALE_MARK, Age, printed_ages, stale_gate
from .i18n import Translations, load_languages, load_translations, require_language
from .layout import LaidCard, layout_side
from .model import MM, Card, Cmyk, Contact, Language, Municipality, Variant
from .pictograms import load_pictograms
from .primitives import TextLine
from .regions import Directory, RegionData, find_municipality, known_ref, load_regions
from .render import PageSetup, Watermark, render_card
from .templates import load_card
from .text import Span, shape

PACKAGE_DATA = Path(__file__).parent / "data"
DRAFT_SV = "UTKAST – översättningen är inte granskad"
DRAFT_EN = "DRAFT – translation not reviewed"  # for a language whose own notice is not yet written
DRAFT_COLOR = Cmyk(0.0, 0.85, 0.6, 0.0)
DRAFT_MAX_SIZE = 16.0  # points


@dataclass(frozen=True)
class DataDir:
    """Where cards/, locales/ and fonts/ are read from."""

    root: Path
    why: str

    @property
    def cards(self) -> Path:
        return self.root / "cards"

    @property
    def locales(self) -> Path:
        return self.root / "locales"

    @property
    def fonts(self) -> Path:
        # A county's own data folder may carry no fonts: the bundled ones serve.
        for folder in (self.root / "fonts", PACKAGE_DATA / "fonts", Path(__file__).resolve().parents[2] / "fonts"):
            if (folder / "fonts.toml").is_file():
                return folder
        return PACKAGE_DATA / "fonts"

    @classmethod
    def locate(cls, explicit: Path | None = None, cwd: Path | None = None) -> DataDir:
        """--data DIR, else the current folder when it holds cards/ and locales/, else the installed copy."""
        if explicit is not None:
            if not (explicit / "cards").is_dir() or not (explicit / "locales").is_dir():
                raise UsageError(f"--data {explicit}: the folder must hold cards/ and locales/")
            return cls(explicit.resolve(), "--data")
        here = cwd or Path.cwd()
        if (here / "cards").is_dir() and (here / "locales").is_dir():
            return cls(here.resolve(), "current folder")
        if (PACKAGE_DATA / "cards").is_dir():
            return cls(PACKAGE_DATA, "installed with nodkort")
        # Running from a source checkout without an install: the repository's own folders.
        repo = Path(__file__).resolve().parents[2]
        return cls(repo, "source checkout")


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
    allow_stale: bool = False  # print contacts verified more than 24 months ago; the stamp then says so

    def default_name(self, fmt: str) -> str:
        """A file name that, for the discreet variant, says nothing of the card's subject."""
        if self.variant == "discreet":
            return f"kort-{self.lang}-{fmt}.pdf"
        place = f"-{self.municipality}" if self.municipality else ""
        return f"{self.card}-{self.lang}-{fmt}{place}.pdf"


@dataclass
class Project:
    """The loaded data folder; each part is read on first use."""

    data: DataDir
    _cards: dict[str, Card] = field(default_factory=dict)

    @cached_property
    def national(self) -> dict[str, Contact]:
        return load_contact_dir(self.data.cards / "contacts")

    @cached_property
    def regions(self) -> dict[str, RegionData]:
        folder = self.data.cards / "regions"
        return load_regions(folder) if folder.is_dir() else {}

    @cached_property
    def languages(self) -> dict[str, Language]:
        return load_languages(self.data.locales)

    @cached_property
    def fonts(self) -> FontBook:
        return FontBook(self.data.fonts)

    @cached_property
    def pictograms(self) -> dict[str, tuple[list[list[tuple[float, float]]], list[tuple[float, float, float]]]]:
        path = self.data.cards / "pictograms.toml"
        return load_pictograms(path) if path.is_file() else {}

    @property
    def card_ids(self) -> list[str]:
        return sorted(p.stem for p in self.data.cards.glob("*.toml") if p.name != "pictograms.toml")

    def card(self, card_id: str) -> Card:
        if card_id not in self._cards:
            path = self.data.cards / f"{card_id}.toml"
            if not path.is_file():
                raise UsageError(f"unknown card '{card_id}'. Choose one of: {', '.join(self.card_ids)}")
            card = load_card(path, lambda ref: known_ref(ref, self.national, self.regions), set(self.pictograms))
            contrast.check(card)  # a pale text is refused with the template, whatever is rendered from it
            self._cards[card_id] = card
        return self._cards[card_id]

    @cached_property
    def messages(self) -> list[Message]:
        return messages(self.data.cards)

    def card_messages(self, card: Card, region: str | None = None) -> list[Message]:
        """The strings one card can print: its template's, the contacts', and the role labels of its region.

        Only the region the card is printed for counts: a county added to the data folder must not make
        every other card of every language unreviewed until its labels are translated.
        """
        own = messages_in(Path(card.path))
        shared = [m for m in self.messages if m.context.startswith("contacts/")]
        if card.needs_municipality:
            regions = [region] if region else list(self.regions)
            shared += [m for m in self.messages if any(m.context.startswith(f"regions/{r}/") for r in regions)]
        return own + shared

    def cards_messages(self, cards: Sequence[Card]) -> list[Message]:
        """The strings of several cards, each context once, in the order the cards first use them."""
        seen: dict[str, Message] = {}
        for card in cards:
            for message in self.card_messages(card):
                seen.setdefault(message.context, message)
        return list(seen.values())

    def language(self, code: str) -> Language:
        return require_language(self.languages, code)

    def translations(self, lang: Language, draft: bool = False) -> Translations:
        return load_translations(self.data.locales, lang, self.messages, draft)

    def municipality(self, name: str) -> tuple[RegionData, Municipality]:
        return find_municipality(self.regions, name)


def review_gate(project: Project, card: Card, tr: Translations, region: str | None = None) -> None:
    """Unreviewed languages render only as drafts: say how many strings and where to review them."""
    if tr.draft or tr.language.source:
        return
    counts = tr.state(project.card_messages(card, region))
    unreviewed = counts["fuzzy"] + counts["missing"]
    if unreviewed:
        raise ReviewError(Problem(
            str(tr.path),
            f"{tr.language.english} ({tr.language.code}) is not reviewed: {unreviewed} strings of the {card.id} "
            f"card are unreviewed ({counts['fuzzy']} fuzzy, {counts['missing']} missing)",
            "a qualified reviewer checks them in Poedit or Weblate and clears 'fuzzy' (docs/translating.md); "
            "until then render with --draft for a watermarked draft",
        ))


def glyph_gate(project: Project, card: Card, tr: Translations, region: str | None = None) -> None:
    texts = []
    for message in project.card_messages(card, region):
        text, _ = tr.lookup(message.context, message.msgid)
        texts.append((f"msgctxt \"{message.context}\"", text))
    problems = glyph_problems(project.fonts, texts, tr.language.fonts, tr.language.code)
    if problems:
        raise GlyphError(problems)


def fit_fix(problem: Problem, tr: Translations) -> Problem:
    """Point a translator at the catalog line of a string that does not fit."""
    match = KEY.search(problem.where)
    context = match.group(1) if match else ""
    line = tr.line(context)
    if not line or tr.path is None:
        return problem
    if not tr.entries[context].msgstr:
        # Measured with the Swedish text in this language's fonts: their line height alone may not fit.
        what = f" (not translated yet: measured with the Swedish text in the {tr.language.english} fonts)"
        return Problem(problem.where, problem.what + what,
                       "ask for a larger box in the template, or check again once it is translated")
    return Problem(problem.where, problem.what,
                   f"shorten the translation at {tr.path}:{line}, or ask for a larger box in the template")


def lay_out(project: Project, job: Job) -> LaidCard:
    card = project.card(job.card)
    lang = project.language(job.lang)
    fmt_name = job.format or card.default_format
    if fmt_name not in card.formats:
        raise UsageError(f"card '{card.id}' has no format '{fmt_name}'. Choose one of: {', '.join(card.formats)}")
    fmt = card.formats[fmt_name]
    region = municipality = None
    if card.needs_municipality:
        if not job.municipality:
            names = ", ".join(sorted(m.name for r in project.regions.values() for m in r.region.municipalities))
            raise UsageError(f"the {card.id} card needs --municipality NAME (one of: {names})")
        region, municipality = project.municipality(job.municipality)
    elif job.municipality:
        project.municipality(job.municipality)  # not used by this card, but a misspelt name is still refused
    directory = Directory(project.national, region, municipality)
    stale = stale_gate(printed_ages(fmt, job.variant, directory, job.today or date.today()), job.allow_stale)
    tr = project.translations(lang, job.draft)
    region_id = region.region.id if region else None
    review_gate(project, card, tr, region_id)
    glyph_gate(project, card, tr, region_id)

    def translate(context: str, msgid: str, critical: bool) -> str:
        return tr.text(context, msgid, critical)

    stamp = f"v{card.version} {lang.code}" + (f" {municipality.code}" if municipality else "")
    stamp += f" · {STALE_MARK}" if stale else ""
    ctx = Context(card, fmt, lang, job.variant, project.fonts, translate, directory, project.pictograms, stamp)
    try:
        sides = tuple(layout_side(side, ctx) for side in fmt.sides)
    except FitError as exc:
        raise FitError([fit_fix(p, tr) for p in exc.problems]) from None
    if job.variant == "discreet":
        check_discreet(card, sides, lang)
        title = translate(card.discreet_title_context, card.discreet_title, True)
    else:
        title = translate(card.title_context, card.title, True)
    return LaidCard(card, fmt, lang, job.variant, sides, title, municipality.name if municipality else "")


def contact_ages(project: Project, job: Job) -> list[Age]:
    """The age of every verified contact a job's card prints, for warnings before it is rendered."""
    card = project.card(job.card)
    fmt = card.formats.get(job.format or card.default_format)
    if fmt is None or (card.needs_municipality and not job.municipality):
        return []  # lay_out names the missing format or municipality
    region = municipality = None
    if card.needs_municipality and job.municipality:
        region, municipality = project.municipality(job.municipality)
    directory = Directory(project.national, region, municipality)
    return printed_ages(fmt, job.variant, directory, job.today or date.today())


def watermark(project: Project, laid: LaidCard) -> Watermark:
    """"DRAFT – translation not reviewed" in Swedish and in the language itself, diagonally across a side.

    The lines are centred on (0, 0); render.py turns them by the side's diagonal and draws them on every side.
    """
    source = next((lang for lang in project.languages.values() if lang.source), project.language("sv"))
    notices = [(source.draft_notice or DRAFT_SV, source)]
    if not laid.language.source:
        notices.append((laid.language.draft_notice or DRAFT_EN, laid.language))
    shaped = [shape([Span(text, True)], lang, project.fonts, "draft watermark") for text, lang in notices]
    width, height = laid.format.width, laid.format.height
    widest = max(s.width(0, len(s.text)) for s in shaped)
    # As large as fits: along 85 % of the diagonal, and all lines within the card's height.
    size = min(DRAFT_MAX_SIZE, 0.85 * math.hypot(width, height) / max(widest, 1e-6),
               height / (len(shaped) * 1.6))
    step = size * 1.25
    y = len(shaped) * step / 2 - size
    lines: list[TextLine] = []
    for paragraph in shaped:
        line = paragraph.line(0, len(paragraph.text))
        lines.append(TextLine(line.glyphs, -line.width * size / 2, y, size, DRAFT_COLOR))
        y -= step
    return Watermark(tuple(lines), math.degrees(math.atan2(height, width)), DRAFT_COLOR)


def draft_mark(project: Project, job: Job, laid: LaidCard) -> Watermark | None:
    """The watermark a laid-out card needs: only a draft that holds unreviewed strings is marked."""
    if job.draft and not laid.language.source:
        # --draft on a reviewed language prints clean.
        region = project.municipality(laid.municipality)[0].region.id if laid.municipality else None
        state = project.translations(laid.language).review_state(project.card_messages(laid.card, region))
        if state != "reviewed":
            return watermark(project, laid)
    return None


def render(project: Project, job: Job) -> tuple[LaidCard, bytes]:
    laid = lay_out(project, job)
    font = project.fonts.face(laid.language.fonts[0], "regular").name
    marks = draft_mark(project, job, laid)
    pdf = render_card(laid, PageSetup(job.bleed_mm * MM, job.crop_marks), font,
                      [marks] * len(laid.sides) if marks else [])
    return laid, pdf


def write_atomic(path: Path, data: bytes, sync: bool = True) -> None:
    """Write through a temporary file in the same folder and rename: never a half-written output."""
    with atomic_output(path, sync) as out:
        out.write(data)


@contextmanager
def atomic_output(path: Path, sync: bool = True) -> Iterator[BinaryIO]:
    """A file to stream into that appears at `path` only once complete (temporary file, then rename).

    The rename alone protects against a killed process; `sync` also flushes the data to disk first, against
    a power cut. A caller that verifies checksums on resume may skip it (it costs milliseconds a file).
    """
    folder = path.parent if str(path.parent) else Path()
    if not folder.is_dir():
        raise OutputError(Problem(str(path), f"the folder {folder} does not exist", "create it first"))
    try:
        handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise OutputError(Problem(str(path), f"cannot write into {folder} ({exc.strerror})",
                                  "choose a folder you can write to")) from None
    try:
        with os.fdopen(handle, "wb") as out:
            yield out
            out.flush()
            if sync:
                os.fsync(out.fileno())
        Path(tmp).chmod(0o644)
        Path(tmp).replace(path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(Problem(str(path), f"cannot write the file ({exc.strerror})")) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
