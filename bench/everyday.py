"""Benchmark of the everyday path: whole-process, cold runs of `nodkort` beside their targets, as a table.

    python bench/everyday.py                 # each row the median of 5 runs
    python bench/everyday.py --runs 3 --suite   # also the test suite (one run: it takes minutes)

Each command runs in a fresh process from the repository (the data folder), its output thrown away. Time is
wall clock from start to exit; peak memory is the largest resident set size of the process or of any worker
it waited for, as the kernel reports it (os.wait4). A row whose command fails shows FAILED and its last line.

Python's compiled bytecode is kept in a temporary folder (PYTHONPYCACHEPREFIX) and one unmeasured run of each
command writes it first: an installed nodkort has its bytecode, and PYTHONDONTWRITEBYTECODE (set in some
environments) would otherwise make every measured run compile nodkort's sources anew.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NODKORT = [sys.executable, "-m", "nodkort"]


@dataclass(frozen=True)
class Row:
    name: str
    args: list[str]
    seconds: float  # target, wall clock
    peak_mb: float | None = None  # target, peak RSS


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mb: float
    ok: bool
    last_line: str


def run_once(args: list[str], cwd: Path, env: dict[str, str]) -> Run:
    start = time.perf_counter()
    process = subprocess.Popen(args, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert process.stderr is not None
    err = process.stderr.read().decode(errors="replace")
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    lines = err.strip().splitlines()
    return Run(seconds, usage.ru_maxrss / 1024, code in (0, 1), lines[-1] if lines else f"exit {code}")


def rows(out: Path) -> list[Row]:
    return [
        Row("render emergency --lang sv", [*NODKORT, "render", "emergency", "--lang", "sv", "-o", str(out)], 0.30),
        Row("--help", [*NODKORT, "--help"], 0.15),
        Row("--version", [*NODKORT, "--version"], 0.15),
        Row("check", [*NODKORT, "check"], 10.0, 300.0),
        Row("check --lang ar", [*NODKORT, "check", "--lang", "ar"], 1.5),
        Row("lang status", [*NODKORT, "lang", "status"], 3.0),
        Row("proof --lang ar", [*NODKORT, "proof", "--lang", "ar", "-o", str(out.with_name("proof.pdf"))], 2.0),
        # The reference sheet: every card × format × variant × language (exit 1 when a card has a problem).
        Row("proof --all", [*NODKORT, "proof", "--all", "-o", str(out.with_name("all.pdf"))], 60.0, 500.0),
    ]


def table(results: list[tuple[Row, list[Run]]]) -> list[str]:
    head = ("command", "median s", "min s", "target s", "peak MB", "target MB")
    lines = [
        f"| {head[0]:<28} | {head[1]:>8} | {head[2]:>6} | {head[3]:>8} | {head[4]:>7} | {head[5]:>9} | ok |",
        f"|{'-' * 30}|{'-' * 10}:|{'-' * 7}:|{'-' * 9}:|{'-' * 8}:|{'-' * 10}:|----|",
    ]
    for row, runs in results:
        failed = [r for r in runs if not r.ok]
        median = statistics.median(r.seconds for r in runs)
        peak = max(r.peak_mb for r in runs)
        within = median <= row.seconds and (row.peak_mb is None or peak <= row.peak_mb)
        mark = "FAILED " + failed[0].last_line if failed else ("yes" if within else "no")
        target_mb = f"{row.peak_mb:.0f}" if row.peak_mb else "–"
        lines.append(
            f"| {row.name:<28} | {median:>8.2f} | {min(r.seconds for r in runs):>6.2f} | {row.seconds:>8.2f} "
            f"| {peak:>7.0f} | {target_mb:>9} | {mark} |"
        )
    return lines


def report(runs: int = 5, suite: bool = False, only: str = "") -> list[str]:
    """The everyday table: each command the median of `runs` cold whole-process runs, beside its target."""
    results: list[tuple[Row, list[Run]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        for row in rows(Path(tmp) / "x.pdf"):
            if only not in row.name:
                continue
            run_once(row.args, ROOT, env)  # writes the bytecode; not measured
            measured = [run_once(row.args, ROOT, env) for _ in range(runs)]
            results.append((row, measured))
            print(f"{row.name}: {' '.join(f'{r.seconds:.2f}' for r in measured)}", file=sys.stderr, flush=True)
        if suite:
            tests = Row("test suite (pytest -q)", [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], 180)
            results.append((tests, [run_once(tests.args, ROOT, env)]))
    return table(results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per command; the median is shown")
    parser.add_argument("--suite", action="store_true", help="also time the test suite once (slow)")
    parser.add_argument("--only", default="", help="only rows whose name contains this text")
    args = parser.parse_args()
    print("\n".join(report(args.runs, args.suite, args.only)))


if __name__ == "__main__":
    main()
