"""Golden hashes: a sample of about twenty outputs (cards × languages × formats × variants × municipalities, a
sheet and a proof) rendered and compared, byte for byte, with the SHA-256 kept in tests/data/golden.json.

The golden hashes guard a restructure: code moved or rewritten must not change one byte of what is printed. They
say that something changed, never what: the other tests say what a card must show. When the output is meant to
change (a template, a catalog, a contact, the renderer), rewrite the file on purpose and commit it with the change:

    python tools/output_hashes.py --golden

That command makes the hashes through the command line, as `python tools/output_hashes.py` makes every hash; this
test makes the same outputs through the library the command line calls, with the project loaded once, so that it
runs in a few seconds. The outputs do not depend on the date while every printed contact is fresh.
"""

from __future__ import annotations

import hashlib
import json
import shlex
from pathlib import Path
from typing import Any

import click
import pytest

from conftest import TESTS
from nodkort.cli import cli
from nodkort.model import Job
from nodkort.orders.sheet import sheet_file
from nodkort.pipeline import render
from nodkort.project import Project
from nodkort.review.proof import proof_sheet

GOLDEN: dict[str, str] = json.loads((TESTS / "data" / "golden.json").read_text(encoding="utf-8"))
UPDATE = "if the output is meant to change, run `python tools/output_hashes.py --golden` and commit the file"


def _options(command: str, args: list[str]) -> dict[str, Any]:
    """The parameters the command line gives a command for these arguments, defaults included."""
    group: click.Group = cli  # type: ignore[assignment]
    with group.commands[command].make_context(command, args) as ctx:
        return dict(ctx.params)


def _job(o: dict[str, Any], with_marks: bool = True) -> Job:
    """The job `nodkort render` and `nodkort sheet` build from their options."""
    variant = "discreet" if o["discreet"] else "plain"
    marks = o["crop_marks"] if with_marks else False
    return Job(
        o["card"],
        o["lang"],
        o["fmt"],
        variant,
        o["municipality"],
        o["draft"],
        o["bleed"],
        marks,
        allow_stale=o["allow_stale"],
    )


def output(project: Project, line: str, folder: Path) -> bytes:
    """The bytes the command line `nodkort <line> -o FILE` writes to FILE."""
    command, *args = shlex.split(line)
    o = _options(command, args)
    if command == "render":
        return render(project, _job(o))[1]
    if command == "sheet":
        flip = "long" if o["flip"] == "long" else "short"
        path = folder / "sheet.pdf"
        sheet_file(project, _job(o, with_marks=False), o["count"], o["paper"], flip, o["fill_sheet"], path)
        return path.read_bytes()
    if command == "proof":
        return proof_sheet(project, project.language(o["lang"]), list(o["cards"]) or None, o["municipality"])[0]
    raise AssertionError(f"tests/data/golden.json: no way to make '{line}'")


def test_the_sample_covers_every_card_format_and_kind_of_output(project: Project) -> None:
    assert 15 <= len(GOLDEN) <= 30
    for card_id in project.card_ids:
        for fmt in project.card(card_id).formats:
            assert any(f"render {card_id} " in k and f"--format {fmt}" in k for k in GOLDEN), (card_id, fmt)
    assert any("--discreet" in k for k in GOLDEN) and any("--crop-marks" in k for k in GOLDEN)
    assert {k.split()[0] for k in GOLDEN} == {"render", "sheet", "proof"}


@pytest.mark.parametrize("line", list(GOLDEN))
def test_the_output_is_byte_for_byte_the_golden_one(project: Project, tmp_path: Path, line: str) -> None:
    digest = hashlib.sha256(output(project, line, tmp_path)).hexdigest()
    assert digest == GOLDEN[line], f"`nodkort {line}` changed: {UPDATE}"
