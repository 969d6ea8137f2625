"""Local HTTP servers for crawler tests and benchmarks (127.0.0.x only, never the network).

A :class:`Server` serves :class:`Page` objects by path and can misbehave on purpose:
latency, a scripted list of failures for the first attempts of a path (``"503"``,
``"429:2"`` = 429 with Retry-After 2, ``"reset"``, ``"timeout:0.5"``), redirects,
gzip bodies (including bombs), huge streamed bodies and wrong charsets. Every request is
recorded in :attr:`Server.hits` with its time, so tests can count fetches and check the
spacing between them.

Examples
--------
>>> with Server(pages={"/a": Page("<p>hi</p>")}) as srv:
...     import urllib.request
...     urllib.request.urlopen(srv.url("/a")).read()
b'<p>hi</p>'
"""

from __future__ import annotations

import gzip
import random
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

__all__ = ["Page", "Server", "SiteProcess", "article_html", "gzip_bomb", "servers"]


@dataclass
class Page:
    """What a path returns.

    Parameters
    ----------
    body : bytes or str
        Response body (str is encoded with ``encoding``).
    status : int
    content_type : str
    headers : dict
        Extra headers.
    failures : list of str
        Behaviour of the first attempts, one item per attempt, before the normal answer:
        ``"503"``/``"500"``/any status, ``"429:S"`` (Retry-After S seconds),
        ``"reset"`` (TCP RST), ``"timeout:S"`` (wait S seconds, then answer normally).
    redirect : str, optional
        Answer 301 to this location (path or absolute URL).
    gzip : bool
        Send the body gzip-encoded (``Content-Encoding: gzip``).
    raw_gzip : bytes, optional
        Pre-compressed gzip body to send as is (for bombs).
    stream_bytes : int, optional
        Send this many bytes of filler after ``body``, with no Content-Length.
    encoding : str
        How a str body is encoded.
    """

    body: bytes | str = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    redirect: str | None = None
    gzip: bool = False
    raw_gzip: bytes | None = None
    stream_bytes: int | None = None
    encoding: str = "utf-8"

    def payload(self) -> bytes:
        return self.body.encode(self.encoding) if isinstance(self.body, str) else self.body


def gzip_bomb(size: int = 50_000_000) -> bytes:
    """A gzip stream that inflates to ``size`` zero bytes (about size/1000 compressed)."""
    return gzip.compress(b"\0" * size, compresslevel=9)


_WORDS = (
    "council budget school road river mayor vote plan city police report court judge "
    "minister election market price energy storm flood hospital doctor teacher strike "
    "union railway bridge museum festival farmer harvest weather summer winter company "
    "workers factory trade export border treaty army peace talks president parliament "
    "law tax health water housing rent bank loan coach team match goal season player"
).split()


def article_html(
    title: str,
    paragraphs: list[str] | None = None,
    *,
    date: str | None = None,
    author: str | None = None,
    charset: str = "utf-8",
    n: int = 0,
) -> str:
    """A plain news article page with enough text for any extractor."""
    if paragraphs is None:
        rng = random.Random(f"{title}-{n}")
        paragraphs = [
            " ".join(" ".join(rng.sample(_WORDS, 9)).capitalize() + "." for _ in range(4))
            for _ in range(5)
        ]
    meta = f'<meta property="article:published_time" content="{date}">' if date else ""
    byline = f'<p class="byline">By <span class="author">{author}</span></p>' if author else ""
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="{charset}">'
        f"<title>{title}</title>{meta}</head><body>"
        f'<nav><a href="/">Home</a> <a href="/news">News</a></nav>'
        f"<article><h1>{title}</h1>{byline}{body}</article>"
        f"<footer>Copyright Test Outlet</footer></body></html>"
    )


class _Quiet(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def handle_error(self, request, client_address):  # noqa: D401 - resets/timeouts on purpose
        pass


class Server:
    """A threaded HTTP server on ``host`` (127.0.0.x) and a free port.

    Parameters
    ----------
    host : str
        A loopback address.
    pages : dict, optional
        path (with query string, or without to match any query) -> :class:`Page`.
    latency : float
        Seconds added before every answer.
    robots : str, optional
        robots.txt body (404 when None).
    default : callable, optional
        ``default(path) -> Page | None`` for paths not in ``pages``.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        pages: dict[str, Page] | None = None,
        *,
        latency: float = 0.0,
        robots: str | None = None,
        default: Callable[[str], Page | None] | None = None,
    ):
        self.host = host
        self.pages: dict[str, Page] = dict(pages or {})
        if robots is not None:
            self.pages["/robots.txt"] = Page(robots, content_type="text/plain")
        self.latency = latency
        self.default = default
        self.hits: list[tuple[float, str]] = []
        self.request_headers: list[dict[str, str]] = []
        self._attempts: dict[str, int] = {}
        self._lock = threading.Lock()
        self._httpd: _Quiet | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------
    def start(self) -> Server:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, *args):  # silence
                pass

            def do_GET(self):  # noqa: N802
                server._handle(self)

        self._httpd = _Quiet((self.host, 0), Handler)
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- helpers -----------------------------------------------------------------------
    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def count(self, path: str | None = None) -> int:
        """Requests received (for ``path``, query included, if given)."""
        with self._lock:
            return sum(1 for _, p in self.hits if path is None or p == path)

    def times(self, path_prefix: str = "/") -> list[float]:
        with self._lock:
            return [t for t, p in self.hits if p.startswith(path_prefix)]

    def reset(self) -> None:
        """Forget hits and failure counters (scripted failures happen again)."""
        with self._lock:
            self.hits.clear()
            self.request_headers.clear()
            self._attempts.clear()

    # -- request handling ----------------------------------------------------------------
    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        with self._lock:
            self.hits.append((time.monotonic(), h.path))
            self.request_headers.append(dict(h.headers.items()))
            n = self._attempts.get(h.path, 0)
            self._attempts[h.path] = n + 1
        if self.latency:
            time.sleep(self.latency)
        page = self.pages.get(h.path) or self.pages.get(urlsplit(h.path).path)
        if page is None and self.default is not None:
            page = self.default(h.path)
        if page is None:
            return self._send(h, 404, b"not found", "text/plain")
        if n < len(page.failures):
            what = page.failures[n]
            if what == "reset":
                h.connection.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                )
                h.connection.close()
                h.close_connection = True
                return
            if what.startswith("timeout"):
                time.sleep(float(what.split(":", 1)[1]) if ":" in what else 5.0)
            elif what.startswith("429"):
                after = what.split(":", 1)[1] if ":" in what else "1"
                return self._send(h, 429, b"slow down", "text/plain", {"Retry-After": after})
            else:
                return self._send(h, int(what), b"server error", "text/plain")
        if page.redirect:
            return self._send(h, 301, b"", "text/plain", {"Location": page.redirect})
        body = page.payload()
        headers = dict(page.headers)
        if page.raw_gzip is not None:
            body, headers["Content-Encoding"] = page.raw_gzip, "gzip"
        elif page.gzip:
            body, headers["Content-Encoding"] = gzip.compress(body), "gzip"
        if page.stream_bytes:
            return self._stream(h, page, body)
        self._send(h, page.status, body, page.content_type, headers)

    @staticmethod
    def _send(
        h: BaseHTTPRequestHandler,
        status: int,
        body: bytes,
        ctype: str,
        headers: dict[str, str] | None = None,
    ) -> None:
        try:
            h.send_response(status)
            h.send_header("Content-Type", ctype)
            h.send_header("Content-Length", str(len(body)))
            for k, v in (headers or {}).items():
                h.send_header(k, v)
            h.end_headers()
            h.wfile.write(body)
        except OSError:
            h.close_connection = True

    @staticmethod
    def _stream(h: BaseHTTPRequestHandler, page: Page, head: bytes) -> None:
        h.close_connection = True
        try:
            h.send_response(page.status)
            h.send_header("Content-Type", page.content_type)
            h.send_header("Connection", "close")
            h.end_headers()
            h.wfile.write(head)
            chunk = b"<p>" + b"x" * 65_000 + b"</p>"
            sent = 0
            while sent < (page.stream_bytes or 0):
                h.wfile.write(chunk)
                sent += len(chunk)
        except OSError:
            pass


class servers:  # noqa: N801 - used as a context manager
    """Start several servers at once: ``with servers(a, b) as (a, b): ...``."""

    def __init__(self, *items: Server):
        self.items = items

    def __enter__(self) -> tuple[Server, ...]:
        for s in self.items:
            s.start()
        return self.items

    def __exit__(self, *exc: object) -> None:
        for s in self.items:
            s.stop()


# -- servers in another process (benchmarks: keeps their CPU and memory out of the crawler's) --


def _site_default(label: str, n_pages: int, failures: dict[str, list[str]]):
    def default(path: str) -> Page | None:
        clean = urlsplit(path).path
        if not (clean.startswith("/p") and clean.endswith(".html")):
            return None
        try:
            n = int(clean[2:-5])
        except ValueError:
            return None
        if n >= n_pages:
            return None
        return Page(article_html(f"{label} story {n}", n=n), failures=failures.get(clean, []))

    return default


def _serve_forever(specs: list[dict], conn) -> None:  # runs in the child process
    started = []
    for spec in specs:
        srv = Server(
            spec["host"],
            latency=spec.get("latency", 0.0),
            robots=spec.get("robots"),
            default=_site_default(
                spec.get("label", spec["host"]), spec["n_pages"], spec.get("failures", {})
            ),
        )
        srv.start()
        started.append(srv.base)
    conn.send(started)
    try:
        conn.recv()  # block until the parent says stop (or dies)
    except EOFError:
        pass


class SiteProcess:
    """Run generated news sites in a child process: ``/p{n}.html`` for n < n_pages.

    Each spec: ``host``, ``n_pages``, optional ``latency``, ``robots``, ``label`` and
    ``failures`` ({path: [behaviours]}, see :class:`Page`). ``bases`` lists each site's
    ``http://host:port``.
    """

    def __init__(self, specs: list[dict]):
        import multiprocessing as mp

        ctx = mp.get_context("fork")
        self._conn, child = ctx.Pipe()
        self._proc = ctx.Process(target=_serve_forever, args=(specs, child), daemon=True)
        self._proc.start()
        self.bases: list[str] = self._conn.recv()

    def stop(self) -> None:
        try:
            self._conn.send("stop")
        except OSError:
            pass
        self._proc.join(2)
        if self._proc.is_alive():
            self._proc.kill()
            self._proc.join()

    def __enter__(self) -> SiteProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
