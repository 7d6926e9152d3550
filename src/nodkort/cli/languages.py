"""CLI: languages and their review — lang list/status/update/add/review, check, proof."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from nodkort.cli.base import (
    CARDS,
    LANGS,
    TABLE_OR_JSON,
    State,
    cli,
    codes,
    completions,
    echo_lines,
    handled,
)
from nodkort.errors import UsageError


@cli.group("lang")
def lang_group() -> None:
    """Languages and their catalogs: list, status, add, update (docs/translating.md)."""


@lang_group.command("list")
@handled
def lang_list(state: State) -> None:
    """Code, name, script, direction, review state and coverage of every language."""
    from nodkort.review import listing

    echo_lines(listing.language_coverage(state.project()))


@lang_group.command("status")
@LANGS
@TABLE_OR_JSON
@click.option("--layout", is_flag=True, help="Also lay every card out and count the fields that overflow.")
@handled
def lang_status(state: State, langs: tuple[str, ...], output: str, layout: bool) -> None:
    """Per language: translated, fuzzy and missing strings, glyph problems, state; with --layout, fields that
    overflow (else shown as –: `nodkort check` lays every card out).

    Exits 1 when a catalog cannot be used (syntax, header, duplicates, placeholders), listing each problem.
    """
    from nodkort.review.check import run_checks
    from nodkort.review.findings import as_json, comment_lines, status_table

    report = run_checks(state.project(), langs=codes(state, langs), layout=layout)
    click.echo(as_json(report) if output == "json" else status_table(report.languages))
    broken = [f for f in report.findings if f.gate in ("catalog", "placeholder") and f.severity == "error"]
    for code in langs if output != "json" and not broken else ():  # reviewers' comments, for the translator
        echo_lines(comment_lines(state.project(), code))
    for finding in broken:
        click.echo(f"Error: {finding}", err=True)
    for finding in report.findings if output != "json" else []:  # JSON holds them among its findings
        if finding.gate == "catalog" and finding.severity == "warning":
            click.echo(f"Warning: {finding}", err=True)
    sys.exit(1 if broken else 0)


@lang_group.command("update")
@handled
def lang_update(state: State) -> None:
    """Re-extract strings from cards/ into locales/nodkort.pot and merge them into every catalog.

    Every catalog is checked first: if one is broken, nothing is written.
    """
    from nodkort.cli.data import refuse_installed
    from nodkort.i18n.catalogs import update_all

    refuse_installed(state, "lang update")
    project = state.project()
    version = max(project.card(c).version for c in project.card_ids)
    pot, changed = update_all(
        list(project.languages.values()), project.messages, project.data.root, project.data.locales, version
    )
    click.echo(f"Wrote {pot} ({len(project.messages)} strings)")
    for code, did in changed.items():
        click.echo(f"  {code}: {'updated' if did else 'up to date'}")


@lang_group.command("add")
@click.argument("code")
@handled
def lang_add(state: State, code: str) -> None:
    """Create the catalog of a language: every string present and empty.

    A language not yet in locales/languages.toml is added to it from Unicode CLDR (name, script, direction,
    fonts for its script). An existing catalog or an unknown code exits 2 and changes nothing.
    """
    from nodkort.cli.data import refuse_installed
    from nodkort.i18n.catalogs import add_language, check_new_code, overlaps, register_language

    refuse_installed(state, f"lang add {code}")
    project = state.project()
    known = project.languages.get(code)
    if known is not None and known.source:
        raise UsageError(f"'{code}' is the source language: it has no catalog")
    check_new_code(code, project.data.locales)
    for warning in overlaps(code, project.languages.values()):
        click.echo(f"Warning: {warning}", err=True)
    version = max(project.card(c).version for c in project.card_ids)
    if known is None:
        known = register_language(project.data.locales, code, project.fonts.families)
        click.echo(
            f"Added [{code}] {known.english} ({known.script}, {known.direction}) to "
            f"{project.data.locales / 'languages.toml'}: check its names and add its draft_notice"
        )
    path = add_language(known, project.messages, project.data.root, project.data.locales, version)
    click.echo(f"Wrote {path} ({len(project.messages)} strings to translate)")


@lang_group.command("review")
@click.argument("code")
@click.option("--reviewer", required=True, metavar='"NAME, ROLE"', help='Who reviews, e.g. "Amina Yusuf, translator".')
@click.option("--context", "contexts", multiple=True, metavar="CTX", help="Sign only this string (repeatable).")
@click.option(
    "--same-as-source",
    "same",
    multiple=True,
    metavar="CTX",
    help="This string is meant to read as the Swedish (a name, a number): it may be signed (repeatable).",
)
@click.option("--yes", is_flag=True, help="Sign without asking (the list is still shown).")
@handled
def lang_review(
    state: State, code: str, reviewer: str, contexts: tuple[str, ...], same: tuple[str, ...], yes: bool
) -> None:
    """Sign a language's strings as reviewed, in locales/CODE/review.toml.

    Shows every string with its Swedish source and what keeps it from being signed (missing, fuzzy,
    identical to Swedish, overflowing, missing glyphs), then asks. The reviewer cannot be the catalog's
    Last-Translator. A signed string that is edited later is unreviewed again. Without a terminal, --yes is
    required (exit 2).
    """
    from datetime import datetime

    from nodkort.i18n.review import parse_reviewer
    from nodkort.review.signing import describe, plan_review, sign

    project = state.project()
    who = parse_reviewer(reviewer)
    plan = plan_review(project, project.language(code), who, contexts, same)
    when = datetime.now().astimezone().replace(second=0, microsecond=0)
    echo_lines(describe(plan, when, project.data.root))
    if plan.signable and not yes:
        if not sys.stdin.isatty():
            raise UsageError("no terminal to confirm the review: read the list above, then run it again with --yes")
        click.confirm(f"Sign {len(plan.signable)} string(s) as {who}?", abort=True)
    path = sign(project, plan, when)
    click.echo(f"Wrote {path}: {len(plan.signable)} string(s) signed by {who}")


@cli.command("check")
@LANGS
@CARDS
@click.option(
    "--scan", is_flag=True, help="Also render each card and read its QR codes back at 150 dpi (needs nodkort[verify])."
)
@TABLE_OR_JSON
@handled
def check_cmd(state: State, langs: tuple[str, ...], cards: tuple[str, ...], scan: bool, output: str) -> None:
    """Run every gate on every card × language × format × variant × municipality; exit 1 if any fails.

    Gates: catalog syntax, missing and fuzzy strings, placeholders, glyphs, text that does not fit at the
    legibility floor, QR targets, the discreet gate, contact data and its age. Nothing is written.
    """
    from nodkort.review.check import run_checks
    from nodkort.review.findings import as_json, as_text

    report = run_checks(state.project(), langs=codes(state, langs), cards=cards or None, scan=scan)
    click.echo(as_json(report) if output == "json" else as_text(report, every=bool(langs)))
    sys.exit(0 if report.ok else 1)


@cli.command("proof")
@click.option(
    "--lang",
    default=None,
    metavar="LANG",
    shell_complete=completions("lang"),
    help="Language: its code or its name (nodkort lang list).",
)
@click.option(
    "--all",
    "every",
    is_flag=True,
    help="A reference sheet instead: every card, format, variant and language, problems beside each card.",
)
@CARDS
@click.option(
    "--municipality",
    default=None,
    help="Municipality for cards with local numbers (default: the first one with a verified number).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Output PDF (default: proof-CODE.pdf, or proof-all.pdf with --all).",
)
@handled
def proof_cmd(
    state: State, lang: str | None, every: bool, cards: tuple[str, ...], municipality: str | None, output: Path | None
) -> None:
    """A proof sheet for a reviewer: every string with its context, the Swedish source, the translation and
    its state, then the card sides in that language (watermarked while unreviewed). With --all, a reference
    sheet of every card in every language; it exits 1 when a card has a problem (listed on the sheet)."""
    from nodkort.i18n.translations import find_language
    from nodkort.output import write_atomic
    from nodkort.review.proof import proof_sheet

    if every == (lang is not None):
        raise UsageError("give --lang LANG for one language's proof, or --all for the reference sheet")
    project = state.project()
    if every:
        if cards:
            raise UsageError("--all shows every card: leave out --card")
        from nodkort.review.proof_all import reference_sheet

        sheet = reference_sheet(project, municipality)
        path = output or Path("proof-all.pdf")
        write_atomic(path, sheet.pdf)
        click.echo(f"Wrote {path} ({sheet.pages} pages, {sheet.cards} cards, {sheet.failed} with a problem)")
        if sheet.failed:
            click.echo(f"Error: {sheet.failed} cards have a problem: each is listed on {path}", err=True)
            sys.exit(1)
        return
    assert lang is not None
    pdf, pages = proof_sheet(
        project, project.language(find_language(project.languages, lang)), list(cards) or None, municipality
    )
    path = output or Path(f"proof-{lang}.pdf")
    write_atomic(path, pdf)
    click.echo(f"Wrote {path} ({pages} pages)")
