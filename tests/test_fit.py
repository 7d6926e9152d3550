"""The one shrink-to-fit loop (layout/fit.py): on its own, and through a text field with the real fonts."""

from __future__ import annotations

import pytest

from helpers import lay_text
from nodkort.errors import FitError
from nodkort.layout.fit import STEP, Misfit, Short, shrink_to_fit
from nodkort.layout.primitives import TextLine
from nodkort.model import MM, Box, Style, TextField
from nodkort.project import Project
from nodkort.text.paragraph import TASTES

TEXT = (
    "Ring 112 om det är bråttom. Du kan också ringa kommunens socialjour dygnet runt, "
    "och du behöver inte säga vem du är."
)


def _fails(misfit: Misfit) -> FitError:
    return FitError(f"{misfit.size} {misfit.floor} {misfit.height}")


def test_the_loop_tries_quarter_points_down_to_the_floor_and_names_the_last_attempt() -> None:
    tried: list[float] = []

    def never(size: float) -> Short:
        tried.append(size)
        return Short(size * 2)

    with pytest.raises(FitError) as exc:
        shrink_to_fit(never, 8.0, 7.0, _fails)
    # Once per tier of line breaks, the most tasteful first (text/breaks.py): taste never causes an overflow.
    assert tried == [8.0, 7.75, 7.5, 7.25, 7.0] * TASTES
    assert str(exc.value) == "7.0 7.0 14.0"


def test_the_loop_returns_the_first_size_that_fits() -> None:
    assert shrink_to_fit(lambda size: size if size <= 6.5 else Short(), 9.0, 5.0, _fails) == 6.5


def test_a_style_below_the_floor_is_tried_at_its_own_size_only() -> None:
    tried: list[float] = []

    def never(size: float) -> Short:
        tried.append(size)
        return Short()

    with pytest.raises(FitError) as exc:
        shrink_to_fit(never, 5.0, 6.5, _fails)
    assert tried == [5.0] * TASTES
    assert str(exc.value) == "5.0 5.0 None"


def _field(box: Box, size: float) -> TextField:
    return TextField(
        id="body",
        box=box,
        show="always",
        line=0,
        style=Style("body", size),
        msgid=TEXT,
        context="test/body",
        source=TEXT,
    )


def _lay(project: Project, field: TextField, floor: float) -> list[TextLine]:
    return lay_text(project, field, field.box, floor, "sv")


def _sizes(lines: list[TextLine]) -> set[float]:
    return {line.size for line in lines}


def test_text_that_fits_keeps_the_style_size(project: Project) -> None:
    lines = _lay(project, _field(Box(0, 0, 80 * MM, 40 * MM), 9.0), 6.5)
    assert _sizes(lines) == {9.0}


def test_text_that_must_shrink_lands_on_the_largest_quarter_point_that_fits(project: Project) -> None:
    box = Box(0, 0, 40 * MM, 15 * MM)
    (size,) = _sizes(_lay(project, _field(box, 10.0), 5.0))
    assert size == 7.5  # with the bundled Noto Sans
    assert (10.0 - size) / STEP == int((10.0 - size) / STEP)
    # A quarter point larger does not fit: started and floored there, the same text fails.
    with pytest.raises(FitError):
        _lay(project, _field(box, size + STEP), size + STEP)


def test_text_that_never_fits_names_the_field_and_what_is_missing(project: Project) -> None:
    with pytest.raises(FitError) as exc:
        _lay(project, _field(Box(0, 0, 40 * MM, 5 * MM), 9.0), 6.5)
    (problem,) = exc.value.problems
    assert str(problem.where) == f"{project.card('emergency').path} [emergency/wallet/front/body] (sv)"
    assert problem.what == (
        "text needs 10.8 mm of height at the 6.5 pt floor; the box has 5.0 mm (overflow 5.8 mm, 116 %)"
    )


def test_a_word_wider_than_the_box_at_the_floor_is_named(project: Project) -> None:
    with pytest.raises(FitError) as exc:
        _lay(project, _field(Box(0, 0, 3 * MM, 40 * MM), 9.0), 6.5)
    (problem,) = exc.value.problems
    assert str(problem.where) == f"{project.card('emergency').path} [emergency/wallet/front/body] (sv)"
    assert problem.what == "a word is 13.5 mm wide at the 6.5 pt floor; the box is 3.0 mm wide (overflow 10.5 mm)"
