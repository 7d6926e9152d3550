"""CLI base: the `nodkort` group, the shared options, and NodkortError → `Error: …` and its exit code.

The cli package is the only one that imports click, and it imports the library inside the commands: `--help`
and `--version` load no layout, fonts, catalogs or PDF code (tests/test_speed.py holds that). Exit codes: 0 done,
1 bad data (the message names file, place and fix), 2 bad usage, 3 a bug: a short note and where to report it;
--debug shows the traceback.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable, Iterable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click

from nodkort import __version__
from nodkort.errors import NodkortError

if TYPE_CHECKING:
    from nodkort.model import Job
    from nodkort.project import Project

F = TypeVar("F", bound=Callable[..., Any])
# No address is printed: nodkort is installed from more than one place, and a guessed one would mislead.
REPORT = (
    "Please report it on the issue tracker of the nodkort you installed, with the command you ran and "
    "what `nodkort --debug ...` prints (nodkort reads no personal data, so that holds none)."
)


class State:
    def __init__(self, data: Path | None, debug: bool) -> None:
        self.data_arg = data
        self.debug = debug

    def project(self) -> Project:
        from nodkort.project import DataDir, Project

        return Project(DataDir.locate(self.data_arg))


def handle_errors(func: F) -> F:
    """Turn library errors into exit codes; hide tracebacks of real bugs unless --debug."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        debug = bool(ctx.find_root().params.get("debug"))
        try:
            return func(*args, **kwargs)
        except NodkortError as exc:
            if debug:
                traceback.print_exc()
            click.echo(f"Error: {exc.message}", err=True)
            sys.exit(exc.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit, BrokenPipeError):
            raise  # click's own exits, and output piped into `head` and closed: main() ends quietly
        except Exception as exc:  # a bug: say so briefly, never a bare traceback for a user
            if debug:
                traceback.print_exc()
            click.echo(f"Internal error: {type(exc).__name__}: {exc}", err=True)
            click.echo(f"This is a bug in nodkort {__version__}, not a problem with your data. {REPORT}", err=True)
            sys.exit(3)

    return wrapper  # type: ignore[return-value]


def handled(func: F) -> F:
    """A command that receives the State and whose errors become exit codes."""
    return cast(F, click.pass_obj(handle_errors(func)))


def echo_lines(lines: Iterable[str]) -> None:
    for line in lines:
        click.echo(line)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--data",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Data folder holding cards/ and locales/ (default: the current folder if it has them, "
    "else the copy installed with nodkort).",
)
@click.option("--debug", is_flag=True, help="Show tracebacks of unexpected errors.")
@click.version_option(__version__, prog_name="nodkort")
@click.pass_context
def cli(ctx: click.Context, data: Path | None, debug: bool) -> None:
    """Print-ready emergency and action cards from templates, translations and verified contacts."""
    ctx.obj = State(data, debug)


LANGS = click.option("--lang", "langs", multiple=True, metavar="CODE", help="Only this language (repeatable).")
CARDS = click.option("--card", "cards", multiple=True, metavar="CARD", help="Only this card (repeatable).")
TABLE_OR_JSON = click.option(
    "--format",
    "output",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="A table to read, or JSON for tools.",
)
FLIP = click.option(
    "--flip",
    type=click.Choice(["long", "short"]),
    default="long",
    show_default=True,
    help="The edge the sheet is turned over for the backs.",
)


def job_options(func: F) -> F:
    """The options every card command shares, handed to the command as one `job`."""

    @wraps(func)
    def with_job(
        *args: Any,
        card: str,
        lang: str,
        fmt: str | None,
        discreet: bool,
        municipality: str | None,
        draft: bool,
        allow_stale: bool,
        **kwargs: Any,
    ) -> Any:
        from nodkort.model import Job

        bleed, crop_marks = kwargs.pop("bleed", 0.0), kwargs.pop("crop_marks", False)
        job = Job(
            card,
            lang,
            fmt,
            "discreet" if discreet else "plain",
            municipality,
            draft,
            bleed,
            crop_marks,
            allow_stale=allow_stale,
        )
        return func(*args, job=job, **kwargs)

    options = [
        click.argument("card"),
        click.option("--lang", "lang", default="sv", show_default=True, help="Language code (nodkort list)."),
        click.option("--format", "fmt", default=None, help="Card format (default: the card's own default)."),
        click.option("--discreet", is_flag=True, help="Neutral outside, file name and metadata."),
        click.option("--municipality", default=None, help="Municipality whose local numbers to print."),
        click.option("--draft", is_flag=True, help="Allow an unreviewed translation, watermarked as a draft."),
        click.option(
            "--allow-stale",
            is_flag=True,
            help="Print contacts verified more than 24 months ago; the card's version stamp then says 'stale'.",
        ),
    ]
    wrapper: Any = with_job
    for option in reversed(options):
        wrapper = option(wrapper)
    return cast(F, wrapper)


def warn_ageing(project: Project, job: Job) -> None:
    """Numbers verified more than 12 months ago still print, with a warning to re-verify them."""
    from nodkort.data.freshness import warnings as freshness_warnings
    from nodkort.pipeline import contact_ages

    for problem in freshness_warnings(contact_ages(project, job), job.allow_stale):
        click.echo(f"Warning: {problem}", err=True)
