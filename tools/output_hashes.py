"""Output hashes: every card × language × format × variant × municipality, and the other outputs → SHA-256 each.

    python tools/output_hashes.py > before.json      # before a change that must not alter the output
    python tools/output_hashes.py > after.json
    python tools/output_hashes.py --compare before.json after.json

A restructure must change no output byte; a redesign changes them on purpose. The command line is driven in one
process (click's runner), so the same script measures any version of the code behind it. Compare runs made on
the same day: a contact's age, and so a stale mark, moves with the date.
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
    langs = [line.strip("[]") for line in (ROOT / "locales/languages.toml").read_text().splitlines()
             if re.fullmatch(r"\[\w+\]", line)]
    places = ["Arboga", "Fagersta", "Hallstahammar", "Kungsör", "Köping", "Norberg", "Sala", "Skinnskatteberg",
              "Surahammar", "Västerås"]
    for lang in langs:
        for fmt in ("wallet", "folded", "large"):
            for variant in ([], ["--discreet"]):
                yield ["render", "emergency", "--lang", lang, "--format", fmt, "--draft", *variant]
        for fmt in ("folded", "large"):
            for place in places if lang in ("sv", "en") else ["Västerås", "Sala"]:
                yield ["render", "action", "--lang", lang, "--format", fmt, "--draft", "--municipality", place]
    yield ["render", "emergency", "--lang", "sv", "--bleed", "3", "--crop-marks"]
    yield ["render", "emergency", "--lang", "en", "--format", "folded", "--bleed", "2", "--crop-marks"]


def hashes() -> dict[str, str]:
    out: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        jobs: list[tuple[str, list[str], Path]] = []
        for args in _render_jobs():
            name = " ".join(args)
            jobs.append((name, args, folder / "card.pdf"))
        for card, lang, extra in (("emergency", "sv", []), ("emergency", "ar", ["--draft"]),
                                  ("action", "en", ["--municipality", "Sala"])):
            args = ["sheet", card, "--lang", lang, "--count", "25", *extra]
            jobs.append((" ".join(args), args, folder / "sheet.pdf"))
        for lang in ("sv", "en", "ar", "th"):
            args = ["proof", "--lang", lang]
            jobs.append((" ".join(args), args, folder / "proof.pdf"))
        args = ["preview", "emergency", "--lang", "sv", "--dpi", "100"]
        jobs.append((" ".join(args), args, folder / "preview.png"))
        for name, args, target in jobs:
            code, text = _runner_invoke(["--data", str(ROOT), *args, "-o", str(target)])
            if code != 0:
                out[name] = f"exit {code}: {text.strip().splitlines()[-1] if text.strip() else ''}"
                continue
            out[name] = _digest(target)
            target.unlink()
        batch = folder / "batch"
        code, text = _runner_invoke(["--data", str(ROOT), "batch", str(ROOT / "examples/orders.csv"), "--draft",
                                     "--quiet", "-o", str(batch)])
        out["batch examples/orders.csv --draft"] = f"exit {code}"
        for path in sorted(batch.rglob("*")):
            if path.is_file() and path.name != "manifest.json":
                out[f"batch/{path.relative_to(batch)}"] = _digest(path)
    return out


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
    args = parser.parse_args()
    if args.compare:
        return compare(*args.compare)
    json.dump(hashes(), sys.stdout, indent=1, ensure_ascii=False, sort_keys=True)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
