"""Output: what a file is called and what its sheets' slug line says; bytes → a file that appears whole or not at
all (a temporary file in the same folder, then a rename).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from nodkort.errors import Location, OutputError, Problem

DISCREET_STEM = "kort"  # Swedish for "card": a discreet file is named after no card's subject


def file_stem(card: str, lang: str, fmt: str, *, place: str = "", tag: str = "", discreet: bool = False) -> str:
    """The name of an output file without its suffix: '<card>-<lang>-<format>[-<place>][-<tag>]'.

    A discreet card is carried by someone who must not be exposed by it, so its file name leaves out the card
    id, the format and the place, and is '<kort>-<lang>[-<tag>]'. The tag (a count, a number in the order)
    tells files apart; `place` is used as given (`render` keeps the name as typed, sheets and batches a slug).
    """
    parts = [DISCREET_STEM, lang, tag] if discreet else [card, lang, fmt, place, tag]
    return "-".join(part for part in parts if part)


def slug_text(
    card: str, version: str, lang: str, stem: str, data: str, *, discreet: bool, order: str = "", place: str = ""
) -> str:
    """The slug line printed beside the cards on every press sheet: what they are and which data made them.

    '[<order> · ]<card> v<version> · <lang>[ · <place>] · data <fingerprint>'; a discreet card is named by its
    file's stem instead of its card id, since the sheets travel with it.
    """
    what = f"{stem} v{version}" if discreet else f"{card} v{version} · {lang}"
    return " · ".join(part for part in (order, what, place, f"data {data}") if part)


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
        blocker = next((p for p in (folder, *folder.parents) if p.exists()), None)
        if blocker is not None and not blocker.is_dir():
            raise OutputError(
                Problem(
                    Location(str(path)),
                    f"the path runs through {blocker}, which is a file, not a folder",
                    "choose an output path whose folders are folders",
                )
            )
        raise OutputError(Problem(Location(str(path)), f"the folder {folder} does not exist", "create it first"))
    try:
        handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise OutputError(
            Problem(
                Location(str(path)), f"cannot write into {folder} ({exc.strerror})", "choose a folder you can write to"
            )
        ) from None
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
        raise OutputError(Problem(Location(str(path)), f"cannot write the file ({exc.strerror})")) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def copy_folders(sources: Sequence[Path], folder: Path) -> None:
    """Copy each of `sources` into `folder` (new or empty), whole or not at all: copied beside it, then renamed."""
    parent = folder.resolve().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=f".{folder.name}.", dir=parent) as tmp:
            staging = Path(tmp) / "data"
            staging.mkdir()
            for source in sources:
                shutil.copytree(source, staging / source.name)
            if folder.exists():
                folder.rmdir()
            staging.rename(folder)
    except OSError as exc:
        raise OutputError(
            Problem(
                Location(str(folder)),
                f"cannot write into {parent} ({exc.strerror})",
                "choose a folder you can write to",
            )
        ) from None
