"""`nodkort serve` as a process: stopped by a signal, it leaves no worker process behind.

bench/web_load.py stops its server with SIGTERM; before the server handled it, the two workers of every run
stayed behind, waiting for tasks forever with their fonts and catalogs in memory. Linux only (/proc).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads child processes from /proc")


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/status").read_text().split("State:")[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def until(condition: object, seconds: float = 30) -> None:
    end = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < end, "timed out"
        time.sleep(0.1)


@pytest.fixture
def served() -> Iterator[tuple[subprocess.Popen[str], list[int]]]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "nodkort", "--data", str(ROOT), "serve", "--no-open", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:

        def answers() -> bool:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/contacts", timeout=30) as reply:
                    return bool(reply.status == 200)
            except OSError:
                return False

        until(answers, 60)
        workers = children(server.pid)
        assert len(workers) == (os.cpu_count() or 1)
        yield server, workers
    finally:
        if server.poll() is None:
            server.kill()
        server.communicate(timeout=10)  # closes the pipe


def test_sigterm_stops_the_server_and_its_workers(served: tuple[subprocess.Popen[str], list[int]]) -> None:
    server, workers = served
    server.send_signal(signal.SIGTERM)
    output, _ = server.communicate(timeout=30)
    assert server.returncode == 0
    assert output.rstrip().endswith("Stopped.")
    until(lambda: not any(alive(w) for w in workers), 10)


def test_workers_end_when_the_server_is_killed(served: tuple[subprocess.Popen[str], list[int]]) -> None:
    server, workers = served
    server.kill()  # no chance to close its pool
    server.communicate(timeout=10)
    until(lambda: not any(alive(w) for w in workers), 10)
