"""Uploads: an order file's bytes → a private folder named by a random id, gone after its ZIP is downloaded or an hour.

The folder lives in the system's temporary directory, belongs to the session that uploaded it, and its files have
fixed names (orders.csv or orders.xlsx, told apart by content; out/; result.zip): nothing a browser sends becomes
part of a path. Personal columns of the order file stay in that folder and go with it.
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LIFETIME = 3600.0  # seconds an upload and its result are kept at most


@dataclass
class Upload:
    id: str
    session: str
    folder: Path
    order_file: Path
    created: float
    draft: bool = False
    plan: Any = None  # the summary rows, or Failed with the problems of the file
    run: Future[Any] | None = field(default=None, repr=False)

    def progress(self) -> tuple[int, int]:
        try:
            done, total = (self.folder / "progress").read_text(encoding="ascii").split()
            return int(done), int(total)
        except (OSError, ValueError):
            return 0, 0


def order_suffix(data: bytes) -> str:
    """.xlsx for a workbook (a ZIP container), else .csv: by content, never by the name the browser sent."""
    return ".xlsx" if data.startswith(b"PK\x03\x04") else ".csv"


class Store:
    def __init__(self, lifetime: float = LIFETIME) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="nodkort-web-"))
        self.lifetime = lifetime
        self._uploads: dict[str, Upload] = {}
        self._lock = threading.Lock()

    def add(self, session: str, data: bytes, draft: bool) -> Upload:
        self.sweep()
        upload_id = secrets.token_urlsafe(16)
        folder = self.root / upload_id
        folder.mkdir(mode=0o700)
        order_file = folder / f"orders{order_suffix(data)}"
        order_file.write_bytes(data)
        upload = Upload(upload_id, session, folder, order_file, time.monotonic(), draft)
        with self._lock:
            self._uploads[upload_id] = upload
        return upload

    def get(self, session: str, upload_id: str) -> Upload | None:
        """The upload, only for the session that made it and only within its lifetime."""
        self.sweep()
        with self._lock:
            upload = self._uploads.get(upload_id)
        return upload if upload is not None and secrets.compare_digest(upload.session, session) else None

    def remove(self, upload_id: str) -> None:
        with self._lock:
            upload = self._uploads.pop(upload_id, None)
        if upload is not None:
            shutil.rmtree(upload.folder, ignore_errors=True)

    def sweep(self) -> None:
        now = time.monotonic()
        with self._lock:
            old = [u.id for u in self._uploads.values() if now - u.created > self.lifetime]
        for upload_id in old:
            self.remove(upload_id)

    def stream_then_remove(self, upload: Upload, path: Path) -> Iterator[bytes]:
        """The file's bytes; once the last one is sent, the upload and everything made from it are deleted."""
        try:
            with path.open("rb") as handle:
                while chunk := handle.read(1 << 16):
                    yield chunk
        finally:
            self.remove(upload.id)

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
