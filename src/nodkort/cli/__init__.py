"""CLI: command-line options → library calls; NodkortError → `Error: …` and its exit code (1 data, 2 usage).

In: argv. Out: files written through the library, lines on stdout and stderr, an exit code. The only package that
imports click: `base` holds the group and what every command shares; `cards`, `data`, `languages`, `printing`
and `web` each add the commands of one kind of work. Exit codes: 0 done, 1 bad data (the message names file,
place and fix), 2 bad usage, 3 a bug (a short note; --debug shows the traceback).
"""

from __future__ import annotations

import sys

from nodkort.cli import cards, data, languages, printing, web
from nodkort.cli.base import cli

__all__ = ["cards", "cli", "data", "languages", "main", "printing", "web"]


def main() -> None:
    try:
        cli(prog_name="nodkort")
    except BrokenPipeError:  # output piped into `head` and closed: not an error worth a message
        sys.stderr.close()
        sys.exit(0)
