"""A small in-process client for the staff page's WSGI app: requests without a socket, cookies kept."""

from __future__ import annotations

import io
import re
import secrets
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode
from wsgiref.util import setup_testing_defaults

from nodkort.web.app import App


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


@dataclass
class Client:
    app: App
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, body: bytes = b"", content_type: str = "") -> Reply:
        path, _, query = path.partition("?")
        environ: dict[str, Any] = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "CONTENT_LENGTH": str(len(body)),
            "CONTENT_TYPE": content_type,
            "wsgi.input": io.BytesIO(body),
            "HTTP_COOKIE": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        setup_testing_defaults(environ)
        seen: dict[str, Any] = {}

        def start_response(status: str, headers: list[tuple[str, str]]) -> None:
            seen["status"] = int(status.split()[0])
            seen["headers"] = headers

        chunks = self.app(environ, start_response)
        data = b"".join(chunks)
        close = getattr(chunks, "close", None)
        if close is not None:
            close()
        headers: dict[str, str] = {}
        for name, value in seen["headers"]:
            if name == "Set-Cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";")[0]
            headers[name] = value
        return Reply(seen["status"], headers, data)

    def get(self, path: str) -> Reply:
        return self.request("GET", path)

    def csrf(self) -> str:
        page = self.get("/orders").text
        match = re.search(r'name="csrf" value="([0-9a-f]+)"', page)
        assert match, "no CSRF token on the page"
        return match.group(1)

    def post(self, path: str, fields: dict[str, str], csrf: bool = True) -> Reply:
        data = dict(fields)
        if csrf:
            data["csrf"] = self.csrf()
        return self.request("POST", path, urlencode(data).encode(), "application/x-www-form-urlencoded")

    def upload(self, path: str, name: str, content: bytes, fields: dict[str, str]) -> Reply:
        boundary = secrets.token_hex(8)
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
            for k, v in {"csrf": self.csrf(), **fields}.items()
        ]
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="../../etc/x.csv"\r\n'
            "Content-Type: text/csv\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.request("POST", path, body, f"multipart/form-data; boundary={boundary}")
