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
        self._project: Project | None = None

    def project(self) -> Project:
        """The data folder's project, read once per command."""
        from nodkort.project import DataDir, Project

        if self._project is None:
            self._project = Project(DataDir.locate(self.data_arg))
        return self._project


def find_card(project: Project, text: str) -> str:
    """A card's id from its id or its own name in Swedish or English ("Nödkort", "emergency card"), in any
    case; an unknown name exits 2 with the closest match."""
    import difflib

    from nodkort.errors import UsageError

    if text in project.card_ids:
        return text
    from nodkort.orders.plan import card_names

    names = {**{i.casefold(): i for i in project.card_ids}, **card_names(project)}
    key = text.strip().casefold()
    if key in names:
        return names[key]
    close = difflib.get_close_matches(key, list(names), n=1, cutoff=0.6)
    hint = ""
    if close:
        hint = f"Did you mean {names[close[0]]}{'' if close[0] == names[close[0]] else f' ({close[0]})'}? "
    raise UsageError(f"unknown card '{text}'. {hint}Choose one of: {', '.join(project.card_ids)}")


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
@click.version_option(__version__, "-V", "--version", prog_name="nodkort")
@click.pass_context
def cli(ctx: click.Context, data: Path | None, debug: bool) -> None:
    """Print-ready emergency and action cards from templates, translations and verified contacts."""
    ctx.obj = State(data, debug)


def completions(kind: str) -> Callable[[click.Context, click.Parameter, str], list[str]]:
    """Values the shell offers after TAB (eval "$(_NODKORT_COMPLETE=bash_source nodkort)"): card ids, a
    card's formats, language codes, municipalities, read from the data folder; nothing if it cannot be read."""

    def complete(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
        from nodkort.project import DataDir, Project

        try:
            project = Project(DataDir.locate(ctx.find_root().params.get("data")))
            if kind == "card":
                values = project.card_ids
            elif kind == "format":
                card = ctx.params.get("card")
                ids = [card] if card in project.card_ids else project.card_ids
                values = sorted({f for i in ids for f in project.card(i).formats})
            elif kind == "lang":
                values = list(project.languages)
            else:
                values = [m.name for d in project.regions.values() for m in d.region.municipalities]
        except NodkortError:
            return []
        return [v for v in values if v.casefold().startswith(incomplete.casefold())]

    return complete


LANGS = click.option(
    "--lang",
    "langs",
    multiple=True,
    metavar="LANG",
    shell_complete=completions("lang"),
    help="Only this language, by code or name (repeatable).",
)


def codes(state: State, langs: tuple[str, ...]) -> tuple[str, ...] | None:
    """The codes of the languages named with --lang ("svenska", "Arabic", "ar"); None for every language."""
    from nodkort.i18n.translations import find_language

    languages = state.project().languages
    return tuple(find_language(languages, name) for name in langs) or None


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
    help="The edge the sheets are turned over for the backs.",
)
PRINT_STANDARD_HELP = "x: PDF/X-4 with a FOGRA39 (coated paper) output intent, for a print shop's preflight"


def print_standard(default: str) -> Callable[[F], F]:
    """--pdf-standard of the print commands: sheets and batches go to a print shop (none or PDF/X-4)."""
    return click.option(
        "--pdf-standard",
        type=click.Choice(["none", "x"]),
        default=default,
        show_default=True,
        help=f"{PRINT_STANDARD_HELP}; none: plain PDF.",
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
        from nodkort.i18n.translations import find_language
        from nodkort.model import Job

        state = click.get_current_context().obj
        card, lang = handle_errors(
            lambda: (find_card(state.project(), card), find_language(state.project().languages, lang))
        )()
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
        click.argument("card", shell_complete=completions("card")),
        click.option(
            "--lang",
            "lang",
            default="sv",
            show_default=True,
            metavar="LANG",
            shell_complete=completions("lang"),
            help="Language: its code, or its name in English, Swedish or itself (nodkort list).",
        ),
        click.option(
            "--format",
            "fmt",
            default=None,
            shell_complete=completions("format"),
            help="Card format (default: the card's own default).",
        ),
        click.option("--discreet", is_flag=True, help="Neutral outside, file name and metadata."),
        click.option(
            "--municipality",
            default=None,
            shell_complete=completions("municipality"),
            help="Municipality whose local numbers to print.",
        ),
        click.option("--draft", is_flag=True, help="Allow an unreviewed translation, watermarked as a draft."),
        click.option(
            "--allow-stale",
            is_flag=True,
            help="Print contacts checked more than 24 months ago; the card's version stamp then says 'stale'.",
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
