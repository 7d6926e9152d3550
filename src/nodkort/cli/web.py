"""CLI: `nodkort serve` — the staff page on this machine (docs/web.md)."""

from __future__ import annotations

import logging
import signal
import threading
import webbrowser
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import click

from nodkort.cli.base import State, cli, handled
from nodkort.errors import UsageError

LOCAL = ("127.0.0.1", "localhost", "::1")


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """The app logs each request itself, without the address or the query string."""


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (see docs/web.md).")
@click.option("--port", type=click.IntRange(1, 65535), default=8765, show_default=True, help="Port to listen on.")
@click.option("--no-open", is_flag=True, help="Do not open the page in the browser.")
@handled
def serve_cmd(state: State, host: str, port: int, no_open: bool) -> None:
    """Serve the staff page: pick a card, see it, print it; school orders, contacts and languages.

    Listens on this machine only unless --host says otherwise. Stop it with Ctrl+C.
    """
    from nodkort.project import DataDir
    from nodkort.web.app import App

    data = DataDir.locate(state.data_arg)
    if host not in LOCAL:
        click.echo(
            f"Warning: --host {host} lets other machines on the network open this page, and it has no sign-in "
            "of its own: anyone who reaches it can print cards and record reviews. Put it behind the "
            "organisation's reverse proxy and sign-in (docs/web.md).",
            err=True,
        )
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    app = App(data)
    try:
        server = make_server(host, port, app, server_class=_Server, handler_class=_Quiet)
    except OSError as exc:
        app.close()
        raise UsageError(f"cannot listen on {host}:{port} ({exc.strerror}): choose another --port") from None
    signal.signal(signal.SIGTERM, _stop)  # `kill`, a service manager: close the pool as Ctrl+C does
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/"
    click.echo(f"nodkort serves {data.root} ({data.why}) on {url} — stop it with Ctrl+C")
    if not no_open:
        threading.Timer(0.5, webbrowser.open, (url,)).start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("Stopped.")
    finally:
        server.server_close()
        app.close()
