"""Output: bytes → a file that appears whole or not at all (a temporary file in the same folder, then a rename)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from nodkort.errors import OutputError, Problem


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
