"""App: a WSGI request → the route that answers it → a page or a file; errors → messages, never a traceback.

Thin, like the cli package: each route reads the form, calls a task in `work` (the library call a command
makes) and hands the result to a page module. A NodkortError shows its message as the command line words it;
anything else is a short apology on the page and a traceback in the server's log only. The access log has the
method, the path without its query, the status and the time: no address, no order rows, no file contents.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from nodkort.project import DataDir
from nodkort.web import card, languages, orders
from nodkort.web.cache import Renders, Replaced
from nodkort.web.html import document, e, problems, table
from nodkort.web.http import UI_LANG, Request, Response, Tokens, TooLarge, download, parse, redirect, start
from nodkort.web.pool import Busy, Failed
from nodkort.web.text import gettext
from nodkort.web.uploads import LIFETIME, Store
from nodkort.web.work import Info, contacts, data_stamp, info, pool

log = logging.getLogger("nodkort.web")
STATIC = Path(__file__).parent / "static"
ASSETS = {"app.css": "text/css; charset=utf-8", "app.js": "text/javascript; charset=utf-8"}
Handler = Callable[["App", Request], Response]


class App:
    def __init__(self, data: DataDir, workers: int | None = None, lifetime: float = LIFETIME) -> None:
        self.data = data
        self.pool = pool(data, workers)
        self.renders = Renders(self.pool, data, card.PREVIEW_DPI)
        self.tokens = Tokens()
        self.store = Store(lifetime)
        self._info: tuple[str, Info] | None = None  # with the data stamp it was read at
        self._request = threading.local()  # what one request has looked at once (each runs in its own thread)
        # `lang status` takes seconds: it runs while the page waits (with the data stamp it was asked at)
        self.status: tuple[str, Future[Any]] | None = None

    # --- shared -------------------------------------------------------------------------------------------

    def stamp(self) -> str:
        """The data folder's stamp (`work.data_stamp`), looked at once per request (outside one: each time)."""
        if not getattr(self._request, "open", False):
            return data_stamp(self.data)
        if self._request.stamp is None:
            self._request.stamp = data_stamp(self.data)
        return str(self._request.stamp)

    def info(self) -> Info:
        """What the forms offer and the footer shows, read again whenever the data folder changed on disk."""
        stamp = self.stamp()
        if self._info is None or self._info[0] != stamp:
            result = self.pool.call(info)
            if isinstance(result, Failed):
                raise RuntimeError(result.message)  # the data folder cannot be read: nothing can be shown
            self._info = (stamp, result)
        return self._info[1]

    def changed(self) -> None:
        """A review was recorded: review states and the status report are read again."""
        self._info = None
        self.status = None

    def page(self, request: Request, title: str, body: str, status: int = 200, refresh: int = 0) -> Response:
        t = gettext(request.ui_lang)
        i = self.info()
        html = document(
            t,
            request.ui_lang,
            request.path,
            self.tokens.token(request.session),
            (i.root, i.why, i.data),
            title,
            body,
            refresh,
        )
        return Response(html, status)

    def failed(self, request: Request, title: str, result: Failed) -> Response:
        t = gettext(request.ui_lang)
        lines = [(str(p.where), p.what, p.fix) for p in result.problems] if len(result.problems) > 1 else []
        return self.page(request, t(title), problems(t, result.message, lines), 400 if result.usage else 422)

    # --- WSGI ---------------------------------------------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        began = time.monotonic()
        request: Request | None = None
        self._request.open, self._request.stamp = True, None
        try:
            request = parse(environ)
            response = self.dispatch(request)
        except TooLarge:
            response = Response(
                "Filen är för stor (högst 5 MB). / The file is too large (5 MB at most).".encode(),
                413,
                "text/plain; charset=utf-8",
            )
        except Replaced:
            # The page asked for a newer preview and has stopped listening for this one.
            response = Response(b"Replaced by a newer request.", 409, "text/plain; charset=utf-8")
        except Busy:
            response = Response(
                "Upptaget, försök igen om en stund. / Busy, try again in a moment.".encode(),
                503,
                "text/plain; charset=utf-8",
                [("Retry-After", "5")],
            )
        except Exception:
            log.exception("unexpected error in %s %s", environ.get("REQUEST_METHOD"), environ.get("PATH_INFO"))
            response = Response(
                "Något gick fel i nodkort. Felet är loggat på servern. / "
                "Something went wrong in nodkort; it is logged on the server.".encode(),
                500,
                "text/plain; charset=utf-8",
            )
        finally:
            self._request.open = False
        log.info(
            "%s %s %d %.0f ms",
            environ.get("REQUEST_METHOD"),
            environ.get("PATH_INFO"),
            response.status,
            (time.monotonic() - began) * 1000,
        )
        return start(response, request, start_response)

    def dispatch(self, request: Request) -> Response:
        for method, pattern, handler in ROUTES:
            if re.fullmatch(pattern, request.path):
                if request.method != method:
                    continue
                if method == "POST" and not self.tokens.valid(request):
                    t = gettext(request.ui_lang)
                    return self.page(
                        request,
                        t("Formuläret har gått ut"),
                        problems(
                            t,
                            t(
                                "formuläret kom inte från den här sidan eller har gått ut; "
                                "ladda om sidan och försök igen"
                            ),
                        ),
                        403,
                    )
                return handler(self, request)
        if any(re.fullmatch(p, request.path) for _, p, _ in ROUTES):
            return Response(b"Method not allowed", 405, "text/plain; charset=utf-8", [("Allow", "GET, POST")])
        t = gettext(request.ui_lang)
        return self.page(request, t("Sidan finns inte"), f'<p><a href="/">{e(t("Till startsidan"))}</a></p>', 404)

    def close(self) -> None:
        self.pool.close()
        self.store.close()


# --- the card page and its files ----------------------------------------------------------------------------


def card_page(app: App, request: Request) -> Response:
    t = gettext(request.ui_lang)
    i = app.info()
    job = card.job(request, i)
    result = app.renders.card(job, card.PREVIEW_DPI, stamp=app.stamp())
    body = card.form(t, request, i, job) + card.preview(t, result)
    return app.page(request, t("Kort"), body)


def card_preview(app: App, request: Request) -> Response:
    t = gettext(request.ui_lang)
    result = app.renders.card(card.job(request, app.info()), card.PREVIEW_DPI, view(request), app.stamp())
    return Response(card.preview(t, result).encode("utf-8"))


def view(request: Request) -> str:
    """The page a preview request comes from (the script names it; a newer request from it replaces this one),
    within the session, so that no other session can replace it."""
    name = request.header("X-Nodkort-View")
    return f"{request.session}/{name}" if re.fullmatch(r"[A-Za-z0-9_-]{8,64}", name) else ""


def card_pdf(app: App, request: Request) -> Response:
    result = app.renders.card(card.job(request, app.info()), 0, stamp=app.stamp())
    return (
        app.failed(request, "Kortet kunde inte göras", result)
        if isinstance(result, Failed)
        else card.pdf_response(result)
    )


def sheets_pdf(app: App, request: Request) -> Response:
    from nodkort.web.work import sheets

    t = gettext(request.ui_lang)
    count = card.count(request)
    if count is None:
        return app.failed(
            request,
            "Utskriftsarken kunde inte göras",
            Failed((), t("antal kort måste vara ett heltal från 1 till {n}").format(n=card.MAX_COUNT), True),
        )
    result = app.pool.call(sheets, card.job(request, app.info()), count, request.arg("paper") or "A4")
    if isinstance(result, Failed):
        return app.failed(request, "Utskriftsarken kunde inte göras", result)
    return download(result[0], result[1], "application/pdf")


def thumb(app: App, request: Request) -> Response:
    i = app.info()
    card_id = card.thumb_name(request.path, i)
    if card_id is None:
        return Response(b"", 404, "image/png")
    result = app.renders.card(card.thumb_job(card_id, i), card.THUMB_DPI, stamp=app.stamp())
    if isinstance(result, Failed):
        return Response(b"", 404, "image/png")
    return Response(result.preview, 200, "image/png", [("Cache-Control", "max-age=3600")])


# --- contacts, static files, the page language -------------------------------------------------------------

STATUS_CLASS = {"stale": "bad", "unverified": "bad", "ageing": "warn", "future": "bad"}


def contacts_page(app: App, request: Request) -> Response:
    from nodkort.review.listing import CONTACT_HEADER

    t = gettext(request.ui_lang)
    rows = _contacts(app)
    shown = [i for i, name in enumerate(CONTACT_HEADER) if name not in ("owned_by", "evidence", "url")]
    body = f'<p><a class="button" href="/contacts.csv">{e(t("Ladda ner som CSV"))}</a></p>'
    note = t("Gamla (12 månader eller mer) och ogranskade nummer är markerade. Gå igenom listan en gång om året.")
    body += f"<p>{e(note)}</p>"
    body += table(
        [e(CONTACT_HEADER[i]) for i in shown],
        ([e(row[i]) for i in shown] for row in rows),
        t("Kontakter"),
        (STATUS_CLASS.get(row[4], "") for row in rows),
    )
    return app.page(request, t("Kontakter"), body)


def _contacts(app: App) -> list[tuple[str, ...]]:
    result = app.pool.call(contacts)
    if isinstance(result, Failed):
        raise RuntimeError(result.message)
    return result


def contacts_csv(app: App, request: Request) -> Response:
    from nodkort.review.listing import contacts_csv as as_csv

    return download(as_csv(_contacts(app)).encode("utf-8"), "contacts.csv", "text/csv; charset=utf-8")


def static(app: App, request: Request) -> Response:
    name = request.path.removeprefix("/static/")
    if name not in ASSETS:  # a fixed list: a request never names a file
        return Response(b"", 404, "text/plain")
    return Response((STATIC / name).read_bytes(), 200, ASSETS[name], [("Cache-Control", "max-age=600")])


def ui_language(app: App, request: Request) -> Response:
    to = request.form.get("to", "sv")
    back = request.form.get("next", "/")
    target = back if back in ("/", "/orders", "/contacts", "/languages") else "/"
    response = redirect(target)
    response.headers.append(("Set-Cookie", f"{UI_LANG}={'en' if to == 'en' else 'sv'}; Path=/; SameSite=Strict"))
    return response


ROUTES: list[tuple[str, str, Handler]] = [
    ("GET", r"/", card_page),
    ("GET", r"/card/preview", card_preview),
    ("GET", r"/card\.pdf", card_pdf),
    ("GET", r"/sheets\.pdf", sheets_pdf),
    ("GET", r"/thumb/[^/]+", thumb),
    ("GET", r"/contacts", contacts_page),
    ("GET", r"/contacts\.csv", contacts_csv),
    ("GET", r"/static/[^/]+", static),
    ("POST", r"/ui-language", ui_language),
    ("GET", r"/orders", orders.form_page),
    ("POST", r"/orders", orders.upload),
    ("GET", r"/orders/[A-Za-z0-9_-]+", orders.show),
    ("POST", r"/orders/[A-Za-z0-9_-]+/run", orders.run),
    ("GET", r"/orders/[A-Za-z0-9_-]+/result\.zip", orders.result),
    ("GET", r"/languages", languages.status_page),
    ("GET", r"/languages/[a-z]{2,3}/proof\.pdf", languages.proof),
    ("GET", r"/languages/[a-z]{2,3}/review", languages.review_form),
    ("POST", r"/languages/[a-z]{2,3}/review", languages.review_post),
    ("GET", r"/languages/[a-z]{2,3}/where\.png", languages.where_png),
]
