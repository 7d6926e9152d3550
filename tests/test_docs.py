"""Every command has help and is documented: a user finds what a command does without reading code."""

from __future__ import annotations

from collections.abc import Iterator

import click
import pytest

from conftest import ROOT
from nodkort.cli import cli


def commands(group: click.Group, prefix: str = "") -> Iterator[tuple[str, click.Command]]:
    for name, command in sorted(group.commands.items()):
        full = f"{prefix}{name}"
        yield full, command
        if isinstance(command, click.Group):
            yield from commands(command, f"{full} ")


DOCS = "\n".join(p.read_text(encoding="utf-8") for p in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))])
ALL = list(commands(cli))


@pytest.mark.parametrize(("name", "command"), ALL, ids=[n for n, _ in ALL])
def test_command_has_help(name: str, command: click.Command) -> None:
    assert command.help and len(command.help.strip()) > 20, f"`nodkort {name}` has no help text"
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden:
            assert param.help, f"option {param.opts} of `nodkort {name}` has no help"


@pytest.mark.parametrize(("name", "command"), ALL, ids=[n for n, _ in ALL])
def test_command_is_documented(name: str, command: click.Command) -> None:
    assert f"nodkort {name}" in DOCS, f"`nodkort {name}` appears in neither README.md nor docs/"


def test_readme_starts_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    head = readme.split("\n## ", 1)[0]
    assert "pip install . && nodkort render emergency --lang sv -o nodkort-sv.pdf" in head
    assert "pip install '.[test]' && python -m pytest -q" in head
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install '.[test]' && python -m pytest -q" in ci
