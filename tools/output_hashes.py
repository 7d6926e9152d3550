"""Output hashes: every card × language × format × variant × municipality, and the other outputs → SHA-256 each.

    python tools/output_hashes.py > before.json      # before a change that must not alter the output
    python tools/output_hashes.py > after.json
    python tools/output_hashes.py --compare before.json after.json
    python tools/output_hashes.py --golden            # rewrite tests/data/golden.json, the sample tests check

A restructure must change no output byte; a redesign changes them on purpose. The command line is driven in one
process (click's runner), so the same script measures any version of the code behind it. Compare runs made on
the same day: a contact's age, and so a stale mark, moves with the date.

tests/test_golden.py keeps a sample of these hashes (GOLDEN) in tests/data/golden.json and renders them on every
test run. Rewrite that file with --golden whenever the output is meant to change, and commit it with the change.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _runner_invoke(args: list[str]) -> tuple[int, str]:
    from click.testing import CliRunner

    from nodkort.cli import cli

    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    return result.exit_code, result.output


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _render_jobs() -> Iterator[list[str]]:
    langs = [
        line.strip("[]")
        for line in (ROOT / "locales/languages.toml").read_text().splitlines()
        if re.fullmatch(r"\[\w+\]", line)
    ]
    places = [
        "Arboga",
        "Fagersta",
        "Hallstahammar",
        "Kungsör",
        "Köping",
        "Norberg",
        "Sala",
        "Skinnskatteberg",
        "Surahammar",
        "Västerås",
    ]
    for lang in langs:
        for fmt in ("wallet", "folded", "large"):
            for variant in ([], ["--discreet"]):
                yield ["render", "emergency", "--lang", lang, "--format", fmt, "--draft", *variant]
        for fmt in ("folded", "large"):
            for place in places if lang in ("sv", "en") else ["Västerås", "Sala"]:
                yield ["render", "action", "--lang", lang, "--format", fmt, "--draft", "--municipality", place]
    yield ["render", "emergency", "--lang", "sv", "--bleed", "3", "--crop-marks"]
    yield ["render", "emergency", "--lang", "en", "--format", "folded", "--draft", "--bleed", "2", "--crop-marks"]


# The sample tests/test_golden.py renders on every run: each card, language direction and script family, every
# format, both variants, municipalities with their own lines and with a switchboard only, print marks, a sheet
# and a proof. Names are those hashes() gives, so a sample value can be compared with a full run.
GOLDEN = [
    "render emergency --lang sv --format wallet --draft",
    "render emergency --lang sv --format folded --draft --discreet",
    "render emergency --lang sv --format large --draft",
    "render emergency --lang en --format wallet --draft --discreet",
    "render emergency --lang en --format folded --draft",
    "render emergency --lang ar --format wallet --draft",
    "render emergency --lang sv --format large --draft --discreet",
    "render emergency --lang fa --format folded --draft",
    "render emergency --lang th --format wallet --draft",
    "render emergency --lang zh --format wallet --draft",
    "render emergency --lang ti --format wallet --draft",
    "render emergency --lang uk --format large --draft",
    "render action --lang sv --format folded --draft --municipality Västerås",
    "render action --lang sv --format large --draft --municipality Köping",
    "render action --lang en --format folded --draft --municipality Hallstahammar",
    "render action --lang en --format large --draft --municipality Sala",
    "render action --lang ar --format folded --draft --municipality Västerås",
    "render emergency --lang sv --bleed 3 --crop-marks",
    "render emergency --lang en --format folded --draft --bleed 2 --crop-marks",
    "sheet emergency --lang sv --count 25",
    "proof --lang en",
]
GOLDEN_FILE = ROOT / "tests" / "data" / "golden.json"


def _jobs() -> list[tuple[str, list[str], str]]:
    """Every output as (name, command line, file name to write it to)."""
    jobs = [(" ".join(args), args, "card.pdf") for args in _render_jobs()]
    for card, lang, extra in (
        ("emergency", "sv", []),
        ("emergency", "ar", ["--draft"]),
        ("action", "en", ["--municipality", "Sala"]),
    ):
        args = ["sheet", card, "--lang", lang, "--count", "25", *extra]
        jobs.append((" ".join(args), args, "sheet.pdf"))
    for lang in ("sv", "en", "ar", "th"):
        args = ["proof", "--lang", lang]
        jobs.append((" ".join(args), args, "proof.pdf"))
    args = ["preview", "emergency", "--lang", "sv", "--dpi", "100"]
    jobs.append((" ".join(args), args, "preview.png"))
    return jobs


def _hash_jobs(jobs: list[tuple[str, list[str], str]], folder: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, args, file_name in jobs:
        target = folder / file_name
        code, text = _runner_invoke(["--data", str(ROOT), *args, "-o", str(target)])
        if code != 0:
            out[name] = f"exit {code}: {text.strip().splitlines()[-1] if text.strip() else ''}"
            continue
        out[name] = _digest(target)
        target.unlink()
    return out


def hashes() -> dict[str, str]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        out = _hash_jobs(_jobs(), folder)
        batch = folder / "batch"
        code, _ = _runner_invoke(
            ["--data", str(ROOT), "batch", str(ROOT / "examples/orders.csv"), "--draft", "--quiet", "-o", str(batch)]
        )
        out["batch examples/orders.csv --draft"] = f"exit {code}"
        for path in sorted(batch.rglob("*")):
            if path.is_file() and path.name != "manifest.json":
                out[f"batch/{path.relative_to(batch)}"] = _digest(path)
    return out


def golden() -> dict[str, str]:
    """The hashes of the GOLDEN sample, made exactly as hashes() makes them."""
    jobs = {name: (name, args, file_name) for name, args, file_name in _jobs()}
    with tempfile.TemporaryDirectory() as tmp:
        return _hash_jobs([jobs[name] for name in GOLDEN], Path(tmp))


def compare(before: Path, after: Path) -> int:
    old, new = json.loads(before.read_text()), json.loads(after.read_text())
    changed = [k for k in sorted(old.keys() | new.keys()) if old.get(k) != new.get(k)]
    for key in changed:
        print(f"{key}\n  before {old.get(key)}\n  after  {new.get(key)}")
    print(f"{len(old)} outputs before, {len(new)} after, {len(changed)} differ")
    return 1 if changed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("BEFORE", "AFTER"))
    parser.add_argument("--golden", action="store_true", help=f"rewrite {GOLDEN_FILE.relative_to(ROOT)}")
    args = parser.parse_args()
    if args.compare:
        return compare(*args.compare)
    if args.golden:
        sample = golden()
        failed = [name for name, value in sample.items() if value.startswith("exit ")]
        if failed:
            print("not written: " + "; ".join(f"{name}: {sample[name]}" for name in failed), file=sys.stderr)
            return 1
        GOLDEN_FILE.write_text(json.dumps(sample, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"Wrote {GOLDEN_FILE} ({len(sample)} outputs)")
        return 0
    json.dump(hashes(), sys.stdout, indent=1, ensure_ascii=False, sort_keys=True)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
