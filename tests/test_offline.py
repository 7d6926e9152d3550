"""Offline: render, preview, batch, check and every listing work with the network switched off.

nodkort runs where a county's data may not leave the building, and a card must never depend on a web
service. Every way of opening a connection or resolving a name is replaced by one that records the
attempt and fails; the commands must succeed and nothing may even have tried.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import Run, decode_qr, page_count
from nodkort.project import Project
from nodkort.text.paragraph import Span, shape

ORDER = (
    "Ordernummer;Skola;Kommun;Kort;Språk;Antal;Format;Papper;Diskret\n"
    "V-1;Ekbacksskolan;Västerås;emergency;sv;3;;;\n"
    "V-1;Ekbacksskolan;Västerås;emergency;en;2;large;;\n"
    "V-1;Ekbacksskolan;Västerås;emergency;sv;2;;;ja\n"
    "V-1;Ekbacksskolan;Västerås;action;sv;1;;SRA3;\n"
)


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """No sockets, no name lookups: every attempt is recorded (a library might swallow the error)."""
    attempts: list[str] = []

    def refuse(name: str) -> Callable[..., None]:
        def blocked(*args: object, **kwargs: object) -> None:
            attempts.append(f"{name}{args!r}")
            raise OSError(f"network access during a test: {name}")

        return blocked

    for name in (
        "socket",
        "create_connection",
        "getaddrinfo",
        "gethostbyname",
        "gethostbyname_ex",
        "socketpair",
        "fromfd",
    ):
        monkeypatch.setattr(socket, name, refuse(name))
    yield attempts
    assert attempts == []


@pytest.mark.parametrize(
    "args",
    [
        ["render", "emergency"],
        ["render", "emergency", "--format", "folded", "--lang", "en", "--draft", "--bleed", "3", "--crop-marks"],
        ["render", "emergency", "--format", "large", "--discreet"],
        ["render", "action", "--municipality", "Västerås"],
        ["render", "action", "--format", "large", "--municipality", "Sala"],
    ],
    ids=["wallet", "folded-en-print", "large-discreet", "action", "action-large"],
)
def test_render_works_offline(run: Run, tmp_path: Path, offline: list[str], args: list[str]) -> None:
    out = tmp_path / "card.pdf"
    result = run(*args, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert page_count(out.read_bytes()) >= 2


def test_the_qr_code_of_an_offline_render_dials(run: Run, tmp_path: Path, offline: list[str]) -> None:
    out = tmp_path / "card.pdf"
    assert run("render", "emergency", "-o", str(out)).exit_code == 0
    assert decode_qr(out.read_bytes(), 1) == ["tel:+4684055005"]


def test_preview_works_offline(run: Run, tmp_path: Path, offline: list[str]) -> None:
    out = tmp_path / "card.png"
    result = run("preview", "emergency", "--dpi", "72", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"\x89PNG")


def test_batch_works_offline(run: Run, tmp_path: Path, offline: list[str]) -> None:
    order = tmp_path / "orders.csv"
    order.write_text(ORDER, encoding="utf-8")
    out = tmp_path / "print"
    result = run("batch", str(order), "-o", str(out), "--draft", "--quiet")  # English is a draft
    assert result.exit_code == 0, result.output
    pdfs = sorted(p.name for p in (out / "V-1").glob("*.pdf"))
    assert "packing-slip.pdf" in pdfs and len(pdfs) >= 4
    assert (out / "manifest.json").is_file()


@pytest.mark.parametrize(
    "args",
    [
        ["list"],
        ["lang", "list"],
        ["contacts", "--format", "csv"],
        ["check", "--card", "emergency", "--lang", "sv", "--scan"],
    ],
    ids=["list", "lang-list", "contacts", "check-scan"],
)
def test_listings_and_checks_work_offline(run: Run, offline: list[str], args: list[str]) -> None:
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert result.stdout


def test_thai_line_breaking_needs_no_download(project: Project, offline: list[str]) -> None:
    """Thai has no spaces: its dictionary must ship with the package, not be fetched on first use."""
    text = "โทรหาตำรวจเมื่อมีอันตรายเร่งด่วนหรือโทรหาสายด่วนช่วยเหลือเด็กได้ตลอดเวลา"
    shaped = shape([Span(text, False)], project.language("th"), project.fonts, "offline test")
    lines = shaped.wrap(shaped.width(0, len(text)) / 3)
    assert lines is not None and len(lines) >= 3
    assert "".join(text[a:b] for a, b in lines).replace(" ", "") == text


def test_the_guard_really_blocks(offline: list[str]) -> None:
    import urllib.request

    with pytest.raises(OSError):
        urllib.request.urlopen("http://example.se/", timeout=1)
    assert any(a.startswith(("getaddrinfo", "create_connection", "socket")) for a in offline)
    offline.clear()  # the attempt was this test's own
