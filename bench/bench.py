"""Benchmark of imposed printing: whole-process, cold runs of `nodkort`, printed as a table.

    python bench/bench.py               # the issue's figures, each the median of 3 runs
    python bench/bench.py --runs 1 --anew 200

Measures, each in a fresh process started from the repository (the data folder):
  1. 10,000 wallet cards imposed 10-up duplex on A4 (`nodkort sheet`): time (≤ 2 s) and file size (≤ 2 MB);
  2. the example school order (`nodkort batch examples/orders.csv --draft`): time (≤ 10 s);
  3. peak memory of 100,000 cards against 1,000 (≤ 1.2 ×);
  4. drawing every card anew on the same sheets, without forms, against placing forms: time, size, ratio
     (in one process after start-up, the layout shared: only the drawing differs).
Peak memory is the child's maximum resident set size as the kernel reports it (wait4).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Measure:
    seconds: float  # wall clock, start to exit
    cpu: float  # user + system time of the process: what a busy machine does not inflate
    peak_mb: float
    ok: bool
    output: str


def measure(args: list[str]) -> Measure:
    """Run a command from the repository; wall time and peak RSS of that one child process."""
    start = time.perf_counter()
    process = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert process.stdout is not None
    output = process.stdout.read().decode(errors="replace")
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.stdout.close()
    process.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    return Measure(seconds, cpu, usage.ru_maxrss / 1024, process.returncode == 0, output.strip())


def median(args: list[str], runs: int) -> Measure:
    results = [measure(args) for _ in range(runs)]
    failed = [r for r in results if not r.ok]
    if failed:
        return failed[0]
    return Measure(
        statistics.median(r.seconds for r in results),
        statistics.median(r.cpu for r in results),
        max(r.peak_mb for r in results),
        True,
        results[-1].output,
    )


def nodkort(*args: str) -> list[str]:
    return [sys.executable, "-c", "from nodkort.cli import main; main()", *args]


def compare(count: int, folder: Path) -> None:
    """In one process, after start-up: the imposed file (forms) against drawing every card anew."""
    from nodkort.impose.grid import plan
    from nodkort.impose.imposition import Run, impose
    from nodkort.impose.paper import paper
    from nodkort.model import Job
    from nodkort.pdf.render import draw_side, new_canvas
    from nodkort.pdf.sheets import write_pdf
    from nodkort.pipeline import lay_out
    from nodkort.project import DataDir, Project

    project = Project(DataDir.locate())
    laid = lay_out(project, Job("emergency", "sv"))
    face = project.fonts.face("sans")
    font = face.name
    result: dict[str, float] = {}

    start = time.perf_counter()
    run = Run("r0", laid.sides, None, count, "emergency · sv · bench", "emergency/wallet")
    with (folder / "forms.pdf").open("wb") as handle:
        write_pdf(impose([(run, paper("A4"))], 0.0, "long", False, face), handle, laid.title, False)
    result["forms"] = time.perf_counter() - start

    start = time.perf_counter()
    front, back = laid.sides
    grid = plan(paper("A4"), front.width, front.height, 0.0, "emergency/wallet")
    with (folder / "anew.pdf").open("wb") as handle:
        canvas = new_canvas(handle, grid.width, grid.height, font)
        for first in range(0, count, grid.per_sheet):
            slots = range(min(grid.per_sheet, count - first))
            for side, boxes in (
                (front, [grid.slot(i) for i in slots]),
                (back, [grid.back(i, "long")[0] for i in slots]),
            ):
                for box in boxes:  # the same sheets, but every card's sides drawn again at every slot
                    canvas.saveState()
                    canvas.translate(box.x, box.y)
                    draw_side(canvas, side, 0.0)
                    canvas.restoreState()
                canvas.showPage()
        canvas.save()
    result["anew"] = time.perf_counter() - start
    print(json.dumps(result))


def mb(path: Path) -> float:
    return path.stat().st_size / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per figure; the median is shown")
    parser.add_argument("--anew", type=int, default=1000, help="cards drawn anew for the comparison")
    parser.add_argument("--compare", nargs=2, metavar=("COUNT", "FOLDER"), help=argparse.SUPPRESS)
    parser.add_argument("--no-everyday", action="store_true", help="only the batch figures, not bench/everyday.py's")
    args = parser.parse_args()
    if args.compare:
        compare(int(args.compare[0]), Path(args.compare[1]))
        return

    rows: list[tuple[str, str, str, str, str]] = []

    def row(name: str, target: str, value: str, ok: bool | None, cpu: float | None = None) -> None:
        cpu_text = "" if cpu is None else f"{cpu:.2f} s"
        rows.append((name, target, value, cpu_text, "" if ok is None else ("yes" if ok else "NO")))
        print(f"  {name}: {value}", file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="nodkort-bench-") as tmp:
        tmp_path = Path(tmp)
        out = tmp_path / "10k.pdf"
        m = median(
            nodkort("sheet", "emergency", "--lang", "sv", "--count", "10000", "--paper", "A4", "-o", str(out)),
            args.runs,
        )
        if m.ok:
            row("10,000 wallet cards, 10-up duplex A4: time", "≤ 2 s", f"{m.seconds:.2f} s", m.seconds <= 2, m.cpu)
            row("10,000 wallet cards: output size", "≤ 2 MB", f"{mb(out):.2f} MB", mb(out) <= 2)
        else:
            row("10,000 wallet cards", "≤ 2 s, ≤ 2 MB", f"failed: {m.output.splitlines()[-1]}", False)

        runs = []
        for i in range(args.runs):
            folder = str(tmp_path / f"order-{i}")
            order = nodkort("batch", "examples/orders.csv", "-o", folder, "--draft", "--quiet")
            runs.append(measure(order))
        if all(r.ok for r in runs):
            seconds = statistics.median(r.seconds for r in runs)
            files = sum(1 for _ in (tmp_path / "order-0").rglob("*.pdf"))
            row(
                f"example school order ({files} files): time",
                "≤ 10 s",
                f"{seconds:.2f} s",
                seconds <= 10,
                statistics.median(r.cpu for r in runs),
            )
        else:
            failed = next(r for r in runs if not r.ok)
            row("example school order", "≤ 10 s", f"failed: {failed.output.splitlines()[0][:70]}", False)

        peaks = {}
        for count in (1_000, 100_000):
            m = median(
                nodkort(
                    "sheet", "emergency", "--lang", "sv", "--count", str(count), "-o", str(tmp_path / f"{count}.pdf")
                ),
                args.runs,
            )
            peaks[count] = m.peak_mb
            row(
                f"{count:,} cards: peak memory",
                "",
                f"{m.peak_mb:.1f} MB ({m.seconds:.2f} s, {mb(tmp_path / f'{count}.pdf'):.2f} MB file)",
                None,
                m.cpu,
            )
        ratio = peaks[100_000] / peaks[1_000]
        row("peak memory, 100,000 / 1,000 cards", "≤ 1.2 ×", f"{ratio:.2f} ×", ratio <= 1.2)

        n = args.anew
        m = measure([sys.executable, str(Path(__file__).resolve()), "--compare", str(n), str(tmp_path)])
        if m.ok:
            times = json.loads(m.output.splitlines()[-1])
            forms_mb, anew_mb = mb(tmp_path / "forms.pdf"), mb(tmp_path / "anew.pdf")
            row(f"{n:,} cards, each side drawn once as a form", "", f"{times['forms']:.2f} s, {forms_mb:.2f} MB", None)
            row(f"{n:,} cards, every card drawn anew", "", f"{times['anew']:.2f} s, {anew_mb:.2f} MB", None)
            row(
                "drawn anew / forms (after start-up, same process)",
                "",
                f"{times['anew'] / times['forms']:.0f} × the time, {anew_mb / forms_mb:.1f} × the size",
                None,
            )
        else:
            row("drawn anew against forms", "", f"failed: {m.output[-90:]}", False)

    width = max(len(r[0]) for r in rows)
    value_width = max(len(r[2]) for r in rows)
    print(f"{'figure':<{width}}  {'target':<9}  {'measured (wall)':<{value_width}}  {'CPU':>7}  met")
    print(f"{'-' * width}  {'-' * 9}  {'-' * value_width}  {'-' * 7}  ---")
    for name, target, value, cpu, ok in rows:
        print(f"{name:<{width}}  {target:<9}  {value:<{value_width}}  {cpu:>7}  {ok}")
    print(f"\n{os.cpu_count()} CPUs, Python {sys.version.split()[0]}, {args.runs} run(s) per figure (median)")
    if not args.no_everyday:
        # The everyday path (one card, --help, check, lang status, proof), each the median of 5 cold runs.
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import everyday

        print()
        print("\n".join(everyday.report(runs=5)))


if __name__ == "__main__":
    main()
