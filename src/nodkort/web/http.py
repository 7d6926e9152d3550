"""HTTP: a WSGI environ → a Request; a Response → status, headers (security headers always) and body.

The standard library's wsgiref serves it; nothing here knows a page. Every response carries a Content-Security-
Policy of 'self' (no inline script, no framing), no referrer and nosniff. A session is a random cookie; its CSRF
token is an HMAC of it, so every form that changes something proves it came from a page this server made.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http import HTTPStatus
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs, quote

MAX_UPLOAD = 5 * 1024 * 1024  # an order file of a few thousand rows is well under 1 MB
MAX_BODY = MAX_UPLOAD + 64 * 1024  # the form fields around the file
SESSION = "nodkort_session"
UI_LANG = "nodkort_lang"
READ_HEADERS = ("X-Nodkort-View",)  # the preview script names its page, so a newer request replaces an older one
SECURITY_HEADERS = [
    (
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'",
    ),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),
    ("X-Content-Type-Options", "nosniff"),
    ("Cache-Control", "no-store"),
]


class TooLarge(Exception):
    """The request body is over the upload limit."""


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    form: dict[str, str]
    files: dict[str, bytes]
    session: str
    new_session: bool
    ui_lang: str  # "sv" or "en"
    headers: dict[str, str] = field(default_factory=dict)  # the few the page reads, by their HTTP names

    def arg(self, name: str, default: str = "") -> str:
        return self.query.get(name, default).strip()

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")


@dataclass
class Response:
    body: bytes | Iterable[bytes]
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: list[tuple[str, str]] = field(default_factory=list)


def download(data: bytes, name: str, content_type: str) -> Response:
    """A file to save. `name` is always made by nodkort (output.py's neutral names), never taken from a request."""
    ascii_name = name.encode("ascii", "replace").decode("ascii").replace("?", "_")
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    return Response(data, 200, content_type, [("Content-Disposition", disposition)])


def redirect(location: str) -> Response:
    return Response(b"", 303, "text/plain", [("Location", location)])


def _single(values: dict[str, list[str]]) -> dict[str, str]:
    return {key: items[-1] for key, items in values.items()}


def parse(environ: dict[str, Any]) -> Request:
    """Read method, path, query, form fields, uploaded files and the session and language cookies."""
    method = str(environ.get("REQUEST_METHOD", "GET")).upper()
    query = _single(parse_qs(str(environ.get("QUERY_STRING", "")), keep_blank_values=True))
    cookies: SimpleCookie = SimpleCookie()
    cookies.load(str(environ.get("HTTP_COOKIE", "")))
    session = cookies[SESSION].value if SESSION in cookies else ""
    new = not (len(session) == 43 and session.replace("-", "").replace("_", "").isalnum())
    if new:
        session = secrets.token_urlsafe(32)
    lang = cookies[UI_LANG].value if UI_LANG in cookies else "sv"
    form: dict[str, str] = {}
    files: dict[str, bytes] = {}
    if method == "POST":
        form, files = _body(environ)
    path = str(environ.get("PATH_INFO", "/")) or "/"
    headers = {name.lower(): str(environ.get("HTTP_" + name.upper().replace("-", "_"), "")) for name in READ_HEADERS}
    return Request(method, path, query, form, files, session, new, lang if lang in ("sv", "en") else "sv", headers)


def _body(environ: dict[str, Any]) -> tuple[dict[str, str], dict[str, bytes]]:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY:
        raise TooLarge
    data = environ["wsgi.input"].read(length) if length > 0 else b""
    kind = str(environ.get("CONTENT_TYPE", ""))
    if kind.startswith("multipart/form-data"):
        return _multipart(kind, data)
    return _single(parse_qs(data.decode("utf-8", "replace"), keep_blank_values=True)), {}


def _multipart(kind: str, data: bytes) -> tuple[dict[str, str], dict[str, bytes]]:
    """Form fields and files of a multipart body (the `cgi` module is deprecated; `email` reads MIME)."""
    message = BytesParser(policy=HTTP).parsebytes(b"Content-Type: " + kind.encode("latin-1") + b"\r\n\r\n" + data)
    form: dict[str, str] = {}
    files: dict[str, bytes] = {}
    if not message.is_multipart():
        return form, files
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        payload = part.get_payload(decode=True)
        content = payload if isinstance(payload, bytes) else b""
        if part.get_param("filename", header="content-disposition"):  # "" is a file input left empty
            if len(content) > MAX_UPLOAD:
                raise TooLarge
            files[name] = content  # the browser's file name is never used
        else:
            form[name] = content.decode("utf-8", "replace")
    return form, files


class Tokens:
    """CSRF tokens: an HMAC of the session id under a key that lives as long as the server."""

    def __init__(self) -> None:
        self._key = secrets.token_bytes(32)

    def token(self, session: str) -> str:
        return hmac.new(self._key, session.encode("ascii"), hashlib.sha256).hexdigest()

    def valid(self, request: Request) -> bool:
        given = request.form.get("csrf", "")
        return not request.new_session and hmac.compare_digest(given, self.token(request.session))


def start(response: Response, request: Request | None, start_response: Any) -> Iterator[bytes] | Iterable[bytes]:
    """Send the status and headers (security headers and the session cookie always), then the body."""
    headers = [("Content-Type", response.content_type), *SECURITY_HEADERS, *response.headers]
    if request is not None and request.new_session:
        headers.append(("Set-Cookie", f"{SESSION}={request.session}; Path=/; HttpOnly; SameSite=Strict"))
    body = response.body
    if isinstance(body, bytes):
        headers.append(("Content-Length", str(len(body))))
        body = [body]
    phrase = HTTPStatus(response.status).phrase
    start_response(f"{response.status} {phrase}", headers)
    return body
