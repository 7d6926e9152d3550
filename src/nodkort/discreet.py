"""The discreet gate: the laid-out sides of a discreet card → a TemplateError if an outside names its subject."""

from __future__ import annotations

from collections.abc import Sequence

from .errors import Problem, TemplateError
from .layout import LaidSide
from .model import Card, Language


def check_discreet(card: Card, sides: Sequence[LaidSide], language: Language) -> None:
    """The discreet gate: no outside of the card may name its subject."""
    problems = []
    for side in sides:
        if not side.outside:
            continue
        text = " ".join(side.texts).casefold()
        for word in card.forbidden_outside:
            if word.casefold() in text:
                problems.append(Problem(f"{card.path} [{card.id}, {side.name} side, {language.code}]",
                                        f"the discreet variant shows '{word}' on the outside",
                                        "mark the field show = \"plain\" or give it a neutral discreet text"))
    if problems:
        raise TemplateError(problems)
