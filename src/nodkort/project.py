"""Project: a data folder (cards/, locales/, fonts/) → its templates, contacts, regions, languages and fonts, each
loaded and validated on first use."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from nodkort.data import contrast
from nodkort.data.contacts import load_contact_dir
from nodkort.data.directory import find_municipality
from nodkort.data.languages import source_number_phrases
from nodkort.data.pictograms import load_pictograms
from nodkort.data.regions import RegionData, known_ref, load_regions
from nodkort.data.templates import load_card
from nodkort.errors import UsageError
from nodkort.i18n.extract import Message, messages, messages_in
from nodkort.i18n.translations import Translations, load_languages, load_translations, require_language
from nodkort.model import Card, Contact, Language, Municipality
from nodkort.text.fonts import FontBook

PACKAGE_DATA = Path(__file__).parent / "bundled"  # cards/, locales/ and fonts/, copied in by the wheel


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


@dataclass
class Project:
    """The loaded data folder; each part is read on first use."""

    data: DataDir
    _cards: dict[str, Card] = field(default_factory=dict)
    _own_messages: dict[str, list[Message]] = field(default_factory=dict)

    @cached_property
    def national(self) -> dict[str, Contact]:
        return load_contact_dir(self.data.cards / "contacts")

    @cached_property
    def regions(self) -> dict[str, RegionData]:
        folder = self.data.cards / "regions"
        return load_regions(folder) if folder.is_dir() else {}

    @cached_property
    def languages(self) -> dict[str, Language]:
        return load_languages(self.data.locales, self.fonts.families)

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
        if card.path not in self._own_messages:  # a template is read for its strings once per run
            self._own_messages[card.path] = messages_in(Path(card.path))
        own = list(self._own_messages[card.path])
        shared = [m for m in self.messages if m.context.startswith("contacts/")]
        if card.needs_municipality or region:
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

    @property
    def number_phrases(self) -> dict[str, tuple[str, ...]]:
        """The source language's phrases a translation may write as digits (languages.toml)."""
        return source_number_phrases(self.languages.values())

    def language(self, code: str) -> Language:
        return require_language(self.languages, code)

    def translations(self, lang: Language, draft: bool = False) -> Translations:
        # The source language has no catalog to check against the templates' strings: they are not read for it.
        expected = [] if lang.source else self.messages
        return load_translations(self.data.locales, lang, expected, self.number_phrases, draft)

    def municipality(self, name: str) -> tuple[RegionData, Municipality]:
        return find_municipality(self.regions, name)
