"""CLI: the data folder — data init (a copy of the installed cards and catalogs to edit)."""

from __future__ import annotations

from pathlib import Path

import click

from nodkort.cli.base import State, cli, handled
from nodkort.errors import UsageError


@cli.group("data")
def data_group() -> None:
    """The data folder nodkort reads: cards/ (templates, contacts, regions) and locales/ (catalogs)."""


@data_group.command("init")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@handled
def data_init(state: State, folder: Path) -> None:
    """Copy the data folder nodkort uses (the installed one, or --data) into FOLDER, to edit and translate.

    FOLDER must be new or empty (exit 2 otherwise). Fonts are not copied: the installed ones serve. Then run
    nodkort inside FOLDER, or with --data FOLDER.
    """
    from nodkort.output import copy_folders
    from nodkort.project import DataDir

    source = DataDir.locate(state.data_arg)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise UsageError(f"{folder} is not empty: choose a new or empty folder for the data")
    # Copied beside the target and renamed into place: an interrupted copy leaves no half data folder.
    copy_folders([source.root / "cards", source.root / "locales"], folder)
    click.echo(
        f"Copied cards/ and locales/ from {source.root} ({source.why}) to {folder}: run nodkort inside it, "
        f"or with --data {folder}"
    )


def refuse_installed(state: State, command: str) -> None:
    """A command that writes data must not write into the installed package: an upgrade would replace it, and
    its folder may not even be writable. Exit 2, with the way to a data folder of one's own."""
    from nodkort.project import DataDir

    where = DataDir.locate(state.data_arg)
    if where.why == "installed with nodkort":
        raise UsageError(
            f"no data folder: `nodkort {command}` would write into the installed nodkort ({where.root}), which "
            "the next upgrade replaces. Make a data folder of your own with `nodkort data init DIR`, then run "
            "this inside DIR or with --data DIR"
        )
