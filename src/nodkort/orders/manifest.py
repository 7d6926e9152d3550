"""Manifest: a run's identity and written files → manifest.json; an output folder → the files --resume may keep.

manifest.json records what makes a run (nodkort version, order file, options, data) and every file's SHA-256,
with no timestamps, so that runs compare. A folder that holds another run is refused, saying what differs.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from nodkort.errors import Location, OutputError, Problem
from nodkort.orders.parse import Order
from nodkort.output import write_atomic

MANIFEST = "manifest.json"
WHY = {  # what differs when a folder holds another run, for the message that refuses it
    "nodkort": "another nodkort version made it",
    "order_file": "it was made from another order file (or the file has changed)",
    "options": "it was made with other options (--combine, --paper, --bleed, --flip, --fill-sheet, --draft)",
    "data": "the cards' data (templates, contacts, regions or catalogs) has changed since",
}


@dataclass(frozen=True)
class FileResult:
    path: str
    sha256: str
    bytes: int
    cards: int
    sheets: int
    written: bool  # False when --resume found it complete


def checksum(data: bytes) -> str:
    """The SHA-256 of a file's bytes, as the manifest records it."""
    return hashlib.sha256(data).hexdigest()


def check_folder(out: Path, identity: dict[str, object], resume: bool, force: bool) -> dict[str, dict[str, object]]:
    """The files of a previous run of the same order (path → manifest entry) that --resume may keep."""
    if out.exists() and not out.is_dir():
        raise OutputError(Problem(Location(str(out)), "exists and is not a folder", "choose a folder for the output"))
    # The temporary file of a killed run's last write is no earlier run: the run removes it.
    if not out.exists() or not any(not _leftover(p) for p in out.iterdir()):
        return {}
    manifest = out / MANIFEST
    try:
        old = json.loads(manifest.read_text(encoding="utf-8")) if manifest.is_file() else None
    except (OSError, ValueError):
        old = None
    same = isinstance(old, dict) and all(old.get(k) == v for k, v in identity.items())
    if same and isinstance(old, dict):
        if not resume:
            return {}  # the same order again: every file is made anew (and comes out the same)
        return {str(f["path"]): f for o in old.get("orders", []) for f in o.get("files", [])}
    if force:
        return {}
    if isinstance(old, dict):
        differs = [WHY[k] for k in identity if old.get(k) != identity[k]]
        raise OutputError(
            Problem(
                Location(str(out)),
                f"holds an earlier run that differs: {'; '.join(differs)}",
                "choose an empty folder, or add --force to write into this one anyway",
            )
        )
    raise OutputError(
        Problem(
            Location(str(out)),
            "is not empty and holds no earlier run of this order (no manifest.json)",
            "choose an empty folder, or add --force to write into this one anyway",
        )
    )


def _leftover(path: Path) -> bool:
    return path.is_file() and path.name.startswith(".") and path.name.endswith(".part")


def prepare_folder(out: Path, order_ids: Iterable[str]) -> None:
    """Refuse, before anything is written, an output folder that cannot be made or written, and an order's
    folder that a plain file stands in the way of."""
    existing = out
    while not existing.exists() and existing.parent != existing:
        existing = existing.parent
    if not existing.is_dir():
        raise OutputError(
            Problem(
                Location(str(out)),
                f"the path runs through {existing}, which is a file, not a folder",
                "choose an output folder whose path holds only folders",
            )
        )
    if not os.access(existing, os.W_OK | os.X_OK):
        raise OutputError(
            Problem(
                Location(str(out)),
                f"the folder {existing} is not writable for you",
                "choose a folder you can write in, such as one in your home folder",
            )
        )
    for order_id in order_ids:
        folder = out / order_id
        if folder.exists() and not folder.is_dir():
            raise OutputError(
                Problem(
                    Location(str(folder)),
                    f"a file stands where the folder of order {order_id} goes",
                    "move or delete that file, or choose an empty output folder",
                )
            )


def make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            Problem(Location(str(folder)), f"cannot make the folder ({exc.strerror})", "choose another output folder")
        ) from None


def write_manifest(
    out: Path,
    identity: dict[str, object],
    done: Iterable[tuple[Order, tuple[FileResult, ...]]],
    complete: bool,
) -> None:
    """Everything that makes the run, and every file with its SHA-256; no timestamps, so runs compare."""
    orders = [
        {
            "id": order.id,
            "school": order.school,
            "municipality": order.municipality,
            "files": [
                {"path": f.path, "sha256": f.sha256, "bytes": f.bytes, "cards": f.cards, "sheets": f.sheets}
                for f in files
            ],
        }
        for order, files in done
    ]
    manifest = {**identity, "complete": complete, "orders": orders}
    data = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode()
    write_atomic(out / MANIFEST, data, sync=complete)
