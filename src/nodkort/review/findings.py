"""Findings: what `nodkort check` found → collected without repeats → a readable table, or JSON for tooling.

A finding names its gate (which check), its severity, where (a Location: file:line [key]), what is wrong and
how to fix it. The same problem found in several formats, variants or municipalities is listed once, with where.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from typing import TYPE_CHECKING, Literal, get_args

from nodkort.errors import Location, Problem

if TYPE_CHECKING:
    from nodkort.project import Project

Severity = Literal["error", "warning"]
Gate = Literal[
    "catalog",
    "missing",
    "fuzzy",
    "review",
    "placeholder",
    "glyph",
    "fit",
    "qr",
    "discreet",
    "contact",
    "freshness",
    "template",
    "scan",
]
GATES: tuple[Gate, ...] = get_args(Gate)  # in the order a report lists them


@dataclass(frozen=True)
class Finding:
    gate: Gate
    severity: Severity
    where: Location
    what: str
    fix: str = ""
    lang: str = ""
    card: str = ""
    context: str = ""  # the msgctxt or field the finding is about
    scope: str = ""  # the formats, variants and municipalities where it was found

    def __str__(self) -> str:
        return str(Problem(self.where, self.what, self.fix))


@dataclass(frozen=True)
class LanguageSummary:
    code: str
    english: str
    state: str  # source, reviewed, unreviewed, draft, incomplete, does not fit, glyphs missing, no catalog, broken
    strings: int
    translated: int  # strings with a translation (fuzzy or not)
    fuzzy: int
    missing: int
    overflowing: int | None  # fields that do not fit at the legibility floor; None: not laid out
    glyphs: int  # characters no bundled font can draw
    placeholders: int
    catalog: str  # the .po file, relative to the data folder
    reviewed: int = 0  # signed as they read now, fitting, with every glyph
    unreviewed: int = 0  # translated, not fuzzy, and no valid review signs them
    changed: int = 0  # a review signed an earlier text or Swedish source
    identical: int = 0  # the Swedish text unchanged, not marked by a reviewer as meant to be
    review: str = ""  # "by Amina Yusuf (translator), 2026-12-03", or "no review recorded"


@dataclass
class Report:
    findings: list[Finding]
    languages: list[LanguageSummary]
    cards: list[str]
    layouts: int = 0
    scanned: int = 0
    seconds: float = 0.0

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors


class Collector:
    """Findings without repeats: the same problem in several formats or municipalities is listed once."""

    def __init__(self, root: str) -> None:
        self.root = root.rstrip("/") + "/"
        self.found: dict[tuple[str, str, str, Location, str], tuple[Finding, list[str]]] = {}
        self.misfits: dict[str, set[str]] = {}  # language → contexts that do not fit

    def add(self, finding: Finding, scope: str = "") -> None:
        where = replace(finding.where, file=self._short(finding.where.file))
        finding = Finding(
            finding.gate,
            finding.severity,
            where,
            self._short(finding.what),
            self._short(finding.fix),
            finding.lang,
            finding.card,
            finding.context,
        )
        key = (finding.gate, finding.severity, finding.lang, finding.where, finding.what)
        if key not in self.found:
            self.found[key] = (finding, [])
            if finding.gate == "fit":
                self.misfits.setdefault(finding.lang, set()).add(finding.context)
        if scope and scope not in self.found[key][1]:
            self.found[key][1].append(scope)

    def problems(
        self,
        gate: Gate,
        severity: Severity,
        problems: Iterable[Problem],
        lang: str = "",
        card: str = "",
        scope: str = "",
    ) -> None:
        for p in problems:
            # The key of a location is the msgctxt or field path the finding is about.
            self.add(Finding(gate, severity, p.where, p.what, p.fix, lang, card, p.where.key), scope)

    def _short(self, text: str) -> str:
        return text.replace(self.root, "")

    def result(self) -> list[Finding]:
        out = []
        for finding, scopes in self.found.values():
            shown = ", ".join(scopes[:4]) + (f" and {len(scopes) - 4} more" if len(scopes) > 4 else "")
            out.append(
                Finding(
                    finding.gate,
                    finding.severity,
                    finding.where,
                    finding.what,
                    finding.fix,
                    finding.lang,
                    finding.card,
                    finding.context,
                    shown,
                )
            )
        order = {g: i for i, g in enumerate(GATES)}
        return sorted(out, key=lambda f: (f.severity != "error", f.lang, order[f.gate], str(f.where)))


def as_json(report: Report) -> str:
    """The report for tooling: every finding and every language's counts."""
    return json.dumps(
        {
            "ok": report.ok,
            "errors": len(report.errors),
            "warnings": len(report.warnings),
            "cards": report.cards,
            "layouts": report.layouts,
            "scanned": report.scanned,
            "languages": [asdict(s) for s in report.languages],
            "findings": [{**asdict(f), "where": str(f.where)} for f in report.findings],
        },
        ensure_ascii=False,
        indent=2,
    )


STATUS_COLUMNS = (
    "language",
    "translated",
    "reviewed",
    "fuzzy",
    "missing",
    "changed",
    "identical",
    "overflowing",
    "glyph problems",
    "state",
    "review",
)


def status_counts(s: LanguageSummary) -> tuple[str, ...]:
    """The cells of a language's row up to its state, as `lang status` and the staff page show them."""
    return (
        f"{s.code} {s.english}",
        f"{s.translated}/{s.strings}",
        f"{s.reviewed}/{s.strings}",
        str(s.fuzzy),
        str(s.missing),
        str(s.changed),
        str(s.identical),
        "–" if s.overflowing is None else str(s.overflowing),  # – : not laid out (lang status without --layout)
        str(s.glyphs),
    )


def status_table(summaries: Sequence[LanguageSummary]) -> str:
    """`lang status`: one row per language; overflowing strings are never counted as reviewed."""
    rows = [STATUS_COLUMNS] + [(*status_counts(s), s.state, s.review) for s in summaries]
    return _table(rows)


def _table(rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows)


def as_text(report: Report, every: bool = False) -> str:
    """The readable summary: a table per language and gate, then the problems (missing and fuzzy strings
    one by one only when `every`, else counted)."""
    gates = ("missing", "fuzzy", "review", "placeholder", "glyph", "fit", "qr", "discreet")
    rows: list[tuple[str, ...]] = [("language", *gates, "state", "review record")]
    for s in report.languages:
        mine = [f for f in report.findings if f.lang == s.code and f.severity == "error"]
        counts = [sum(1 for f in mine if f.gate == g) for g in gates]
        counts[0], counts[1], counts[2] = s.missing, s.fuzzy, s.unreviewed + s.changed
        rows.append((s.code, *[str(c) if c else "." for c in counts], s.state, s.review))
    scanned = f", {report.scanned} pages scanned" if report.scanned else ""
    head = (
        f"Checked {', '.join(report.cards)} in {len(report.languages)} language(s): "
        f"{report.layouts} layouts{scanned} in {report.seconds:.1f} s"
    )
    lines = [head, "", _table(rows), ""]
    listed = [f for f in report.findings if every or f.gate not in ("missing", "fuzzy", "review")]
    hidden = len(report.findings) - len(listed)
    for finding in listed:
        lang = f" {finding.lang}" if finding.lang else ""
        scope = f" (in {finding.scope})" if finding.scope else ""
        lines.append(f"{finding.severity.upper():7} {finding.gate}{lang}: {finding}{scope}")
    if hidden:
        lines.append(f"… and {hidden} missing, fuzzy or unreviewed strings: `nodkort check --lang CODE` lists them")
    verdict = "FAILED" if not report.ok else "OK"
    lines.append(f"{verdict}: {len(report.errors)} error(s), {len(report.warnings)} warning(s)")
    return "\n".join(lines)


def comment_lines(project: Project, code: str) -> list[str]:
    """Reviewers' comments to the translator of one language, oldest first: none of them is a review."""
    from nodkort.i18n.review import comments_path, digest, load_comments, when_text

    comments = load_comments(project.data.locales, code)
    if not comments:
        return []
    lang = project.language(code)
    tr = project.translations(lang, draft=True)
    msgids = {m.context: m.msgid for m in project.messages}
    path = comments_path(project.data.locales, code)
    shown = path.relative_to(project.data.root) if path.is_relative_to(project.data.root) else path
    out = ["", f"{lang.english}: comments to the translator ({shown}); a comment is not a review:"]
    for c in comments:
        status = tr.status(c.context, msgids.get(c.context, ""))
        now = digest(status.text if status.state != "missing" else "")
        older = "" if c.digest == now else " [on an earlier translation]"
        out.append(f"  {c.context}  {c.reviewer}, {when_text(c.when)}{older}:")
        out += [f"    {line}" for line in c.text.split("\n")]
    return out
