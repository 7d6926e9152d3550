"""Output paths that cannot be written: a clean error (exit 1) and nothing half-written, for every command.

The tests run as root, whom file modes do not stop; sysfs refuses new files even to root, so /sys stands for an
unwritable folder there. A full disk is injected at the one place files are written (output.py).
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from conftest import ROOT, Run


@pytest.fixture
def unwritable(tmp_path: Path) -> Path:
    if os.geteuid() == 0:
        return Path("/sys")  # sysfs: no new file, whoever asks
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    return folder


COMMANDS = {
    "render": (["render", "emergency", "--lang", "sv", "-o"], "card.pdf", "cannot write into {folder}"),
    "preview": (["preview", "emergency", "--lang", "sv", "-o"], "card.png", "cannot write into {folder}"),
    "sheet": (["sheet", "emergency", "--lang", "sv", "--count", "10", "-o"], "sheet.pdf", "cannot write into {folder}"),
    "proof": (["proof", "--lang", "sv", "--card", "emergency", "-o"], "proof.pdf", "cannot write into {folder}"),
    "batch": (["batch", str(ROOT / "examples" / "orders.csv"), "--draft", "-o"], "print", "cannot make the folder"),
    "data init": (["data", "init"], "mydata", "cannot write into {folder}"),
}


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_refuses_an_unwritable_folder_cleanly(run: Run, unwritable: Path, name: str) -> None:
    args, target, expected = COMMANDS[name]
    before = {p.name for p in unwritable.iterdir()}
    out = unwritable / target
    result = run(*args, str(out))
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(f"Error: {out}"), result.stderr
    assert expected.format(folder=unwritable) in result.stderr
    assert "Internal error" not in result.output
    assert {p.name for p in unwritable.iterdir()} == before


def test_a_path_through_a_file_is_named(run: Run, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a folder", encoding="utf-8")
    out = tmp_path / "notes.txt" / "cards" / "card.pdf"
    result = run("render", "emergency", "--lang", "sv", "-o", str(out))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {out}: the path runs through {tmp_path / 'notes.txt'}, which is a file, not a folder — "
        "choose an output path whose folders are folders\n"
    )


def _full_disk(*args: object) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_a_full_disk_while_writing_leaves_the_old_file_and_no_part(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "card.pdf"
    out.write_bytes(b"the card printed last week")
    monkeypatch.setattr("nodkort.output.os.fsync", _full_disk)  # the data is written, then the disk is full
    result = run("render", "emergency", "--lang", "sv", "-o", str(out))
    assert result.exit_code == 1
    assert result.stderr == f"Error: {out}: cannot write the file (No space left on device)\n"
    assert out.read_bytes() == b"the card printed last week"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["card.pdf"]


def test_a_full_disk_while_copying_the_data_leaves_no_half_folder(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    copytree = shutil.copytree
    copied: list[str] = []

    def fills_up_at_locales(source: Path, target: Path, *args: object, **kwargs: object) -> object:
        if Path(source).name == "locales":
            _full_disk()
        copied.append(Path(source).name)
        return copytree(source, target, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("nodkort.output.shutil.copytree", fills_up_at_locales)
    out = tmp_path / "mydata"
    result = run("data", "init", str(out))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {out}: cannot write into {tmp_path} (No space left on device) — choose a folder you can write to\n"
    )
    assert "cards" in copied  # cards/ was copied before the disk filled up
    assert list(tmp_path.iterdir()) == []
