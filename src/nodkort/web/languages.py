"""Languages page: `nodkort lang status` as a table, each language's proof PDF, and a review recorded exactly as
`nodkort lang review` records it (review/signing.py plans and signs; nothing is signed that was not ticked).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from nodkort.i18n.review import Comment, digest, when_text
from nodkort.review.findings import status_counts
from nodkort.web.html import csrf_field, e, problems, table
from nodkort.web.http import Request, Response, download
from nodkort.web.pool import Failed
from nodkort.web.text import Gettext, gettext
from nodkort.web.work import proof as proof_task
from nodkort.web.work import review_comment, review_plan, review_sign, status, where

if TYPE_CHECKING:
    from nodkort.web.app import App

STATE_CLASS = {"reviewed": "ok", "source": "ok", "does not fit": "bad", "glyphs missing": "bad", "broken": "bad"}


def status_page(app: App, request: Request) -> Response:
    t = gettext(request.ui_lang)
    stamp = app.stamp()
    if app.status is None or app.status[0] != stamp:  # a catalog, template or contact changed on disk
        app.status = (stamp, app.pool.submit(status))
    if not app.status[1].done():
        body = f'<p role="status">{e(t("Kontrollerar alla språk på alla kort (som nodkort lang status) …"))}</p>'
        return app.page(request, t("Språk"), body, refresh=2)
    report = app.status[1].result()
    if isinstance(report, Failed):
        app.status = None
        return app.failed(request, "Språken kunde inte kontrolleras", report)
    head = [
        t("Språk"),
        t("Översatta"),
        t("Granskade"),
        t("Utkast"),
        t("Saknas"),
        t("Ändrade sedan granskning"),
        t("Som svenskan"),
        t("För långa"),
        t("Tecken saknas"),
        t("Läge"),
        t("Granskning"),
        "",
    ]  # the columns of `nodkort lang status`, in the page's language
    rows = [
        [
            *(e(cell) for cell in status_counts(s)),
            e(states(t).get(s.state, s.state)),
            e(review_words(t, s.review)),
            f'<a href="/languages/{e(s.code)}/proof.pdf">{e(t("Korrektur (PDF)"))}</a>'
            + ("" if s.state == "source" else f' · <a href="/languages/{e(s.code)}/review">{e(t("Granska"))}</a>'),
        ]
        for s in report.languages
    ]
    body = table([e(h) for h in head], rows, t("Språk"), (STATE_CLASS.get(s.state, "warn") for s in report.languages))
    broken = [f for f in report.findings if f.gate in ("catalog", "placeholder") and f.severity == "error"]
    body += "".join(problems(t, str(f)) for f in broken)
    return app.page(request, t("Språk"), body)


def states(t: Gettext) -> dict[str, str]:
    """A language's review state (as `lang status` names it) in the page's words."""
    return {
        "source": t("källspråk"),
        "reviewed": t("granskad"),
        "unreviewed": t("ogranskad"),
        "draft": t("utkast"),
        "incomplete": t("ofullständig"),
        "no catalog": t("ingen katalog"),
        "broken": t("trasig katalog"),
        "does not fit": t("får inte plats"),
        "glyphs missing": t("tecken saknas"),
    }


def review_words(t: Gettext, review: str) -> str:
    """Who reviewed a language, as `lang status` gives it ("by Amina Yusuf (translator), 2026-12-03")."""
    if review == "source":
        return t("källspråk")
    if review == "no review recorded":
        return t("ingen granskning registrerad")
    return t("av {who}").format(
        who=review.removeprefix("by ").replace(" and ", " " + t("och") + " ").replace(" more", " " + t("till"))
    )


def _code(request: Request) -> str:
    return request.path.split("/")[2]


def proof(app: App, request: Request) -> Response:
    result = app.pool.call(proof_task, _code(request))
    if isinstance(result, Failed):
        return app.failed(request, "Korrekturen kunde inte göras", result)
    return download(result[0], result[1], "application/pdf")


def review_form(app: App, request: Request, message: str = "", status_code: int = 200) -> Response:
    t = gettext(request.ui_lang)
    code = _code(request)
    csrf = app.tokens.token(request.session)
    body = problems(t, message) if message else ""
    intro = t(
        "Du granskar översättningen mening för mening, bredvid den svenska texten. Det du godkänner sparas i "
        "språkets granskningsregister under ditt namn, precis som med nodkort lang review."
    )
    body += f"""<p>{e(intro)}</p>
<form method="post" action="/languages/{e(code)}/review">{csrf_field(csrf)}
<input type="hidden" name="action" value="plan">
<label for="reviewer">{e(t("Ditt namn och din roll"))}</label>
<input id="reviewer" name="reviewer" required placeholder="{e(t("Amina Yusuf, auktoriserad översättare"))}"
 value="{e(request.form.get("reviewer", ""))}">
<button type="submit">{e(t("Visa texterna"))}</button></form>
<p><a href="/languages/{e(code)}/proof.pdf">{e(t("Korrektur (PDF)"))}</a></p>"""
    return app.page(request, t("Granska {code}").format(code=code), body, status_code)


def review_post(app: App, request: Request) -> Response:
    t = gettext(request.ui_lang)
    code = _code(request)
    reviewer = request.form.get("reviewer", "")
    if request.form.get("action") == "sign":
        chosen = tuple(k.removeprefix("sign:") for k, v in request.form.items() if k.startswith("sign:") and v == "1")
        same = tuple(k.removeprefix("same:") for k, v in request.form.items() if k.startswith("same:") and v == "1")
        notes = tuple(
            (k.removeprefix("comment:"), v.strip())
            for k, v in request.form.items()
            if k.startswith("comment:") and v.strip()
        )
        if not chosen and not notes:
            return review_form(app, request, t("kryssa i de texter du har läst och godkänner; inget sparades"), 400)
        both = sorted({c for c, _ in notes} & set(chosen))
        if both:
            why = t("en text godkänns eller kommenteras, inte båda: {ctx}; inget sparades").format(ctx=", ".join(both))
            return review_form(app, request, why, 400)
        body = ""
        if notes:
            commented = app.pool.call(review_comment, code, reviewer, notes)
            if isinstance(commented, Failed):
                return review_form(app, request, commented.message, 400 if commented.usage else 422)
            done = t("Sparat i {path}: {n} kommentar(er) till översättaren från {who}.")
            body += f'<p role="status">{e(done.format(path=commented[0], n=commented[1], who=reviewer))}</p>'
        if not chosen:
            body += f'<p><a href="/languages">{e(t("Till språken"))}</a></p>'
            return app.page(request, t("Granska {code}").format(code=code), body)
        signed = app.pool.call(review_sign, code, reviewer, chosen, tuple(c for c in same if c in chosen))
        if isinstance(signed, Failed):
            return review_form(app, request, signed.message, 400 if signed.usage else 422)
        app.changed()
        path, count = signed
        done = t("Sparat i {path}: {n} text(er) godkända av {who}.").format(path=path, n=count, who=reviewer)
        body += f'<p role="status">{e(done)}</p>'
        body += f'<p><a href="/languages">{e(t("Till språken"))}</a></p>'
        return app.page(request, t("Granska {code}").format(code=code), body)
    planned = app.pool.call(review_plan, code, reviewer, (), ())
    if isinstance(planned, Failed):
        return review_form(app, request, planned.message, 400 if planned.usage else 422)
    page = _items(app, request, code, reviewer, planned[0], planned[2], planned[3])
    return app.page(request, t("Granska {code}").format(code=code), page)


def where_png(app: App, request: Request) -> Response:
    result = app.pool.call(where, _code(request), request.arg("context"))
    if isinstance(result, Failed) or not result:
        return Response(b"", 404, "image/png")
    return Response(result, 200, "image/png")


def _comments(t: Gettext, comments: list[Comment], item: Any) -> str:
    """The comments on a string, latest last; one made on an earlier translation says so."""
    current = digest(item.status.text) if item.status.state != "missing" else digest("")
    out = []
    for c in comments:
        if c.context == item.message.context:
            older = "" if c.digest == current else f" ({t('om en tidigare översättning')})"
            who = f"{c.reviewer}, {when_text(c.when)}{older}"
            out.append(f'<p class="comment"><strong>{e(who)}:</strong> <span dir="auto">{e(c.text)}</span></p>')
    return "".join(out)


def _items(
    app: App, request: Request, code: str, reviewer: str, plan: Any, comments: list[Comment], placed: set[str]
) -> str:
    t = gettext(request.ui_lang)
    rows: list[list[str]] = []
    for item in plan.items:
        ctx = item.message.context
        identical_only = item.blockers == ("identical to Swedish",)
        tick = (
            f'<input type="checkbox" name="sign:{e(ctx)}" value="1" aria-label="{e(t("Godkänn"))} {e(ctx)}">'
            if item.signable or identical_only
            else ""
        )
        if identical_only:
            same = e(t("ska vara som svenskan"))
            tick += f' <label><input type="checkbox" name="same:{e(ctx)}" value="1"> {same}</label>'
        text = item.status.text if item.status.state != "missing" else t("(inte översatt)")
        # the translation in its own language, so that a screen reader reads it so (WCAG 3.1.2)
        own = f' lang="{e(code)}"' if item.status.state != "missing" else ""
        notes = list(item.blockers)
        if item.status.state == "reviewed":
            notes.append(f"already reviewed by {item.status.signed}")
        query = urlencode({"context": ctx})
        picture = (
            f'<img class="where" loading="lazy" src="/languages/{e(code)}/where.png?{e(query)}" '
            f'alt="{e(t("Kortet med texten markerad"))}">'
            if ctx in placed
            else ""
        )
        field = f"comment-{len(rows)}"
        comment = (
            f'<label for="{field}">{e(t("Kommentar till översättaren"))}</label>'
            f'<textarea id="{field}" name="comment:{e(ctx)}" rows="2" dir="auto"></textarea>'
        )
        rows.append(
            [
                tick,
                f"<code>{e(ctx)}</code>{picture}",
                e(item.message.msgid),
                f'<span{own} dir="auto">{e(text)}</span>' + _comments(t, comments, item),
                e("; ".join(notes)),
                comment,
            ]
        )
    head = [e(t("Godkänn")), e(t("Var på kortet")), e(t("Svenska")), e(t("Översättning")), e(t("Hinder"))]
    head.append(e(t("Kommentar")))
    csrf = app.tokens.token(request.session)
    return (
        f"<p>{e(t('Granskare'))}: <strong>{e(str(plan.reviewer))}</strong> · "
        f"{e(t('Översatt av'))}: {e(plan.translator)}</p>"
        f'<form method="post" action="/languages/{e(code)}/review">{csrf_field(csrf)}'
        f'<input type="hidden" name="action" value="sign"><input type="hidden" name="reviewer" value="{e(reviewer)}">'
        + table(head, rows, t("Granska"))
        + f"<p>{e(t('En kommentar är ingen granskning: texten förblir ogranskad tills någon godkänner den.'))}</p>"
        + f'<button type="submit">{e(t("Spara granskningen"))}</button></form>'
    )
