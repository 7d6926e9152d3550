"""School orders page: an uploaded order file → its bad rows (as `nodkort batch` words them) or a summary → a
batch run with progress → one ZIP, after which nothing of the upload is kept.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from nodkort.errors import Problem
from nodkort.web.html import csrf_field, e, problems, table
from nodkort.web.http import MAX_UPLOAD, Request, Response, redirect
from nodkort.web.pool import Failed
from nodkort.web.text import Gettext, gettext
from nodkort.web.uploads import Upload
from nodkort.web.work import order_plan, order_run

if TYPE_CHECKING:
    from nodkort.web.app import App


def form_page(app: App, request: Request, message: str = "", status: int = 200) -> Response:
    t = gettext(request.ui_lang)
    csrf = app.tokens.token(request.session)
    error = problems(t, message) if message else ""
    intro = t("Ladda upp beställningen som skolans samordnare skickade (CSV eller Excel, högst 5 MB).")
    kept = t("Filen och allt som görs av den raderas när ZIP-filen har laddats ner, och senast efter en timme.")
    body = f"""{error}<p>{e(intro)}</p>
<form method="post" action="/orders" enctype="multipart/form-data">{csrf_field(csrf)}
<label for="orders-file">{e(t("Beställningsfil"))}</label>
<input id="orders-file" name="orders" type="file" accept=".csv,.xlsx,text/csv" required>
<div class="check"><input type="checkbox" id="draft" name="draft" value="1">
<label for="draft">{e(t("Tillåt ogranskade översättningar som vattenmärkta utkast"))}</label></div>
<button type="submit">{e(t("Kontrollera beställningen"))}</button></form>
<p class="hint">{e(kept)}</p>"""
    return app.page(request, t("Skolbeställningar"), body, status)


def upload(app: App, request: Request) -> Response:
    t = gettext(request.ui_lang)
    data = request.files.get("orders")
    if data is None:  # no file chosen; a file with nothing in it is refused by the library, in its words
        return form_page(app, request, t("välj en beställningsfil (CSV eller XLSX)"), 400)
    if len(data) > MAX_UPLOAD:
        return form_page(app, request, t("filen är större än 5 MB"), 413)
    item = app.store.add(request.session, data, request.form.get("draft") == "1")
    item.plan = app.pool.call(order_plan, str(item.order_file), item.draft)
    return redirect(f"/orders/{item.id}")


def _upload(app: App, request: Request) -> Upload | None:
    return app.store.get(request.session, request.path.split("/")[2])


def gone(app: App, request: Request) -> Response:
    t = gettext(request.ui_lang)
    return form_page(
        app, request, t("beställningen finns inte längre (den raderas efter nedladdning eller en timme)"), 404
    )


def show(app: App, request: Request) -> Response:
    t = gettext(request.ui_lang)
    item = _upload(app, request)
    if item is None:
        return gone(app, request)
    csrf = app.tokens.token(request.session)
    if isinstance(item.plan, Failed):
        body = bad_rows(t, item, item.plan)
        body += f'<p><a class="button" href="/orders">{e(t("Ladda upp den rättade filen"))}</a></p>'
        return app.page(request, t("Beställningen har fel"), body, 422)
    refresh = 0
    if item.run is None:
        body = summary(t, item.plan or [])
        body += f'<form method="post" action="/orders/{item.id}/run">{csrf_field(csrf)}'
        body += f'<button type="submit">{e(t("Gör utskriftsfilerna"))}</button></form>'
    elif not item.run.done():
        done, total = item.progress()
        body = f'<p role="status">{e(t("Gör utskriftsfilerna …"))} {done}/{total or "?"}</p>'
        body += f'<progress max="{total or 1}" value="{done}" aria-label="{e(t("Förlopp"))}"></progress>'
        refresh = 1
    else:
        result = item.run.result()
        if isinstance(result, Failed):
            return app.failed(request, "Utskriftsfilerna kunde inte göras", result)
        body = f'<p role="status">{e(t("Klart."))}</p><p><a class="button" href="/orders/{item.id}/result.zip">'
        body += f'{e(t("Ladda ner ZIP-filen"))}</a></p><p class="hint">'
        body += f"{e(t('Filen raderas från servern när den har laddats ner.'))}</p>"
    return app.page(request, t("Skolbeställningar"), body, refresh=refresh)


def bad_rows(t: Gettext, item: Upload, failed: Failed) -> str:
    """Every problem of the file in a table, and the whole message as `nodkort batch` prints it, both with the
    uploaded file's neutral name (orders.csv) where the command line names the file."""
    named = [Problem(replace(p.where, file=item.order_file.name), p.what, p.fix) for p in failed.problems]
    rows = [([e(_place(p)), e(p.what), e(p.fix)]) for p in named]
    head = failed.message.replace(str(item.order_file), item.order_file.name)
    out = f'<div class="error" role="alert"><p><strong>{e(t("Fel"))}:</strong> '
    out += f"{e(t('{n} problem i beställningsfilen').format(n=len(named)))}</p></div>"
    out += table([e(t("Var")), e(t("Vad")), e(t("Så rättar du det"))], rows, t("Fel"))
    out += f"<details><summary>{e(t('Som kommandoraden skriver det'))}</summary>"
    out += f'<pre class="cli">Error: {e(head)}</pre></details>'
    return out


def _place(problem: Problem) -> str:
    where = problem.where
    return str(replace(where, file="")) or where.file


def summary(t: Gettext, rows: list[tuple[str, str, str, str, str, int, int, bool]]) -> str:
    cells = [
        [e(order), e(school), e(lang), e(card), e(fmt), f"{printed:,}", f"{sheets:,}", e(t("utkast")) if draft else ""]
        for order, school, lang, card, fmt, printed, sheets, draft in rows
    ]
    head = [t("Beställning"), t("Skola"), t("Språk"), t("Kort"), t("Format"), t("Antal"), t("Ark"), t("Utkast")]
    total = sum(r[6] for r in rows)
    return table([e(h) for h in head], cells, t("Beställning"), caption=t("Det här skrivs ut: {n} ark").format(n=total))


def run(app: App, request: Request) -> Response:
    item = _upload(app, request)
    if item is None:
        return gone(app, request)
    if item.run is None and not isinstance(item.plan, Failed):
        item.run = app.pool.submit(order_run, str(item.order_file), str(item.folder), item.draft)
    return redirect(f"/orders/{item.id}")


def result(app: App, request: Request) -> Response:
    item = _upload(app, request)
    if item is None or item.run is None or not item.run.done() or isinstance(item.run.result(), Failed):
        return gone(app, request)
    path = item.folder / "result.zip"
    headers = [
        ("Content-Disposition", 'attachment; filename="orders.zip"'),
        ("Content-Length", str(path.stat().st_size)),
    ]
    return Response(app.store.stream_then_remove(item, path), 200, "application/zip", headers)
