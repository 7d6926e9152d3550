"""The staff page under load (issue 14): `nodkort serve` on this machine, many users at once; prints a table.

    python bench/web_load.py [--users 20] [--seconds 120] [--think 0] [--orders 5]

    python bench/web_load.py --think 2        # each user looks at a preview for 2 s before the next change

1. `--users` simultaneous users, each with its own session, ask for card previews (and now and then the PDF)
   for different cards, formats, languages and municipalities, one after the other (`--think` seconds apart),
   for `--seconds`: the number of answers, the median, 95th percentile and slowest response, the errors (any
   answer but 200; a 503 "busy" counts; a 422 is the library refusing a combination as `nodkort render`
   refuses it, e.g. a language missing a critical string, and is listed apart), the same for the cards no user
   had asked for before (the server renders each of those: it cannot have kept it), and the memory of the
   server process and of it with its worker processes, sampled every half second (start, peak, end, and each
   minute: flat means it stops rising once the workers have loaded what they need and the cache is full).
2. `--orders` sessions upload the same school order at once, make its print files and download the ZIP;
   every ZIP must hold the files `nodkort batch` writes for that order, byte for byte (manifest.json records
   when it was made and is compared by its file list only, as tests/test_web.py does).

The server is the real one (`nodkort serve --no-open`) in its own process, with the data of this repository.
Not part of the test suite: it takes minutes and measures this machine.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import io
import itertools
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ORDER = (
    "Ordernummer;Skola;Kommun;Kort;Språk;Antal;Format;Papper;Diskret\n"
    "V-1;Ekbacksskolan;Västerås;emergency;sv;23;;;\n"
    "V-1;Ekbacksskolan;Västerås;emergency;sv;4;;;ja\n"
    "K-1;Kolsva skola;Köping;action;sv;2;;SRA3;\n"
)
CARDS = [("emergency", f) for f in ("wallet", "folded", "large")] + [("action", f) for f in ("folded", "large")]
LANGS = ["sv", "en", "ar", "fa", "ti", "so", "uk", "th", "zh", "fi"]


class User:
    """A browser: its own cookies (the session), a CSRF token read from the page."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str, timeout: float = 60) -> tuple[int, bytes]:
        try:
            with self.opener.open(self.base + path, timeout=timeout) as answer:
                return answer.status, answer.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def post(self, path: str, body: bytes, content_type: str) -> tuple[int, str, bytes]:
        request = urllib.request.Request(self.base + path, body, {"Content-Type": content_type}, method="POST")
        with self.opener.open(request, timeout=60) as answer:  # follows the 303 to the order's page
            return answer.status, answer.url, answer.read()

    def csrf(self, path: str) -> str:
        match = re.search(rb'name="csrf" value="([^"]+)"', self.get(path)[1])
        assert match, f"no CSRF token on {path}"
        return match.group(1).decode()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_kb(pid: int) -> int:
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    match = re.search(r"VmRSS:\s+(\d+)", text)
    return int(match.group(1)) if match else 0


def descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        for task in Path(f"/proc/{p}/task").glob("*"):
            try:
                children = [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
            out += children
            todo += children
    return out


class Memory(threading.Thread):
    """RSS of the server process, and of it with its workers, every half second, in MB."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.samples: list[tuple[float, float]] = []
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            own = rss_kb(self.pid)
            total = own + sum(rss_kb(c) for c in descendants(self.pid))
            self.samples.append((own / 1024, total / 1024))
            self.stop.wait(0.5)


def card_users(
    base: str, users: int, seconds: float, think: float, places: list[str]
) -> tuple[list[float], list[float], dict[str, int], list[float]]:
    """Each user's answers one after the other, `think` seconds apart: the times of answered (200) and of
    refused or failed requests, the errors by kind, and the times of the answered cards no user had asked
    for before (the server cannot have kept them: each was rendered)."""
    times: list[float] = []
    refused: list[float] = []
    errors: dict[str, int] = {}
    first: list[float] = []
    asked: set[tuple[str, str, str, str]] = set()
    lock = threading.Lock()
    end = time.monotonic() + seconds

    def one(n: int) -> None:
        user = User(base)
        choices = itertools.cycle(
            itertools.islice(
                ((c, f, lang, place) for place in places[n:] + places[:n] for lang in LANGS for c, f in CARDS),
                7 * n,
                None,
            )
        )
        for i, (card, fmt, lang, place) in enumerate(choices):
            if time.monotonic() >= end:
                return
            # the emergency card's local help is on its folded format only; the others take no municipality
            local = place if card == "action" or fmt == "folded" else ""
            query = urllib.parse.urlencode({"card": card, "format": fmt, "lang": lang, "municipality": local})
            path = ("/card.pdf?" if i % 10 == 9 else "/card/preview?") + query
            with lock:
                new = (card, fmt, lang, place) not in asked  # a PDF after its preview comes from the same render
                asked.add((card, fmt, lang, place))
            began = time.monotonic()
            try:
                status, _ = user.get(path)
                what = "" if status == 200 else f"HTTP {status}"
                if status == 422:  # the library refuses, as `nodkort render` does (a missing critical string)
                    what = "refused, as the CLI refuses (422)"
            except OSError as error:
                what = type(error).__name__
            took = time.monotonic() - began
            with lock:
                (refused if what else times).append(took)
                if new and not what:
                    first.append(took)
                if what:
                    errors[what] = errors.get(what, 0) + 1
            time.sleep(think)

    threads = [threading.Thread(target=one, args=(n,)) for n in range(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return times, refused, errors, first


def multipart(fields: dict[str, str], name: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="order.csv"\r\n'
        f"Content-Type: text/csv\r\n\r\n".encode()
        + data
        + b"\r\n"
    )
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def one_order(base: str, data: bytes) -> tuple[float, bytes]:
    began = time.monotonic()
    user = User(base)
    body, kind = multipart({"csrf": user.csrf("/orders")}, "orders", data)
    status, page, html = user.post("/orders", body, kind)
    assert status == 200 and b"Ekbacksskolan" in html, html[:500]
    path = urllib.parse.urlparse(page).path
    user.post(
        f"{path}/run", urllib.parse.urlencode({"csrf": user.csrf(path)}).encode(), "application/x-www-form-urlencoded"
    )
    while b"result.zip" not in user.get(path)[1]:
        time.sleep(0.5)
    status, archive = user.get(f"{path}/result.zip")
    assert status == 200
    return time.monotonic() - began, archive


def orders(base: str, count: int) -> tuple[list[float], int]:
    """`count` uploads at once → their ZIPs; how many hold exactly `nodkort batch`'s files."""
    data = b"\xef\xbb\xbf" + ORDER.encode()
    results: list[tuple[float, bytes]] = []
    threads = [threading.Thread(target=lambda: results.append(one_order(base, data))) for _ in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with tempfile.TemporaryDirectory() as tmp:
        order, out = Path(tmp) / "orders.csv", Path(tmp) / "out"
        order.write_bytes(data)
        subprocess.run(
            [*NODKORT, "--data", str(ROOT), "batch", str(order), "-o", str(out)], check=True, capture_output=True
        )
        files = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    same = 0
    for _, archive in results:
        with zipfile.ZipFile(io.BytesIO(archive)) as z:
            zipped = {name: z.read(name) for name in z.namelist()}
        same += zipped.keys() == files.keys() and all(zipped[k] == v for k, v in files.items() if k != "manifest.json")
    return [took for took, _ in results], same


NODKORT = [sys.executable, "-m", "nodkort"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=120, help="how long the users ask for cards (default 120)")
    parser.add_argument("--think", type=float, default=0, help="seconds a user waits between answers (default 0)")
    parser.add_argument("--orders", type=int, default=5)
    args = parser.parse_args()
    port = free_port()
    server = subprocess.Popen(
        [*NODKORT, "--data", str(ROOT), "serve", "--no-open", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if User(base).get("/orders", timeout=5)[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        home = User(base).get("/?card=action")[1].decode()
        datalist = re.search(r'<datalist id="places">(.*?)</datalist>', home, re.S)
        places = re.findall(r'<option value="([^"]+)">', datalist.group(1) if datalist else "")[:10] or ["Västerås"]
        memory = Memory(server.pid)
        memory.start()
        times, refused, errors, first = card_users(base, args.users, args.seconds, args.think, places)
        order_times, same = orders(base, args.orders)
        memory.stop.set()
        memory.join()
    finally:
        server.terminate()
        server.wait(10)
    times = times or [0.0]
    q = statistics.quantiles(times, n=100) if len(times) > 1 else times * 99
    own = [s[0] for s in memory.samples]
    total = [s[1] for s in memory.samples]
    print(
        f"nodkort serve, {os.cpu_count()} cores: {args.users} users for {args.seconds:.0f} s, "
        f"{args.think:g} s between a user's requests, {len(places)} places"
    )
    print()
    print("| measure | value |")
    print("|---|---:|")
    print(f"| cards answered (previews; every tenth a PDF) | {len(times):,} ({len(times) / args.seconds:.1f}/s) |")
    print(f"| answered: median response, s | {statistics.median(times):.2f} |")
    print(f"| answered: 95th percentile response, s | {q[94]:.2f} |")
    print(f"| answered: slowest response, s | {max(times):.2f} |")
    fq = statistics.quantiles(first, n=100)[94] if len(first) > 1 else max(first, default=0.0)
    print(f"| of them asked for the first time (rendered) | {len(first):,} |")
    print(f"| first time: median, 95th percentile response, s | {statistics.median(first or [0]):.2f}, {fq:.2f} |")
    share = f" ({len(refused) / (len(refused) + len(times)):.0%} of requests)" if refused else ""
    print(f"| errors | {sum(errors.values()):,}{share} {dict(sorted(errors.items())) or ''} |")
    print(f"| server process MB: start, peak, end | {own[0]:.0f}, {max(own):.0f}, {own[-1]:.0f} |")
    print(f"| with its workers MB: start, peak, end | {total[0]:.0f}, {max(total):.0f}, {total[-1]:.0f} |")
    minutes = [f"{total[i]:.0f}" for i in range(0, len(total), 120)]  # a sample every half second
    print(f"| with its workers MB, each minute | {', '.join(minutes)} |")
    slowest = max(order_times)
    print(f"| {args.orders} order uploads at once: ZIPs equal to `nodkort batch` | {same}/{args.orders} |")
    print(f"| the same: slowest upload → ZIP downloaded, s | {slowest:.1f} |")
    if any(not kind.startswith("refused") for kind in errors) or same != args.orders:
        sys.exit(1)


if __name__ == "__main__":
    main()
