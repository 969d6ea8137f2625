"""Polite HTTP fetching: robots.txt, per-host rate limits, retries, size caps, charsets.

The :class:`Fetcher` wraps a :class:`requests.Session` (yours, or one it builds from
:class:`FetchOptions`). It retries with exponential backoff on timeouts, connection
resets, HTTP 429 (honouring ``Retry-After``) and 5xx; never on other 4xx. Bodies are
read in chunks and cut off at ``max_bytes`` *after* decompression, so a gzip bomb is
refused like any other huge body. Politeness (robots.txt, crawl-delay and the per-host
delay) is applied by :class:`HostPolicy`, which the crawler in :mod:`newslab.collection`
keeps one of per host.

Examples
--------
>>> opts = FetchOptions(contact="me@lab.example", max_per_host_rps=2.0)
>>> opts.user_agent_string()
'newslab/0.1 (research crawler; +mailto:me@lab.example)'
>>> opts.host_delay()
0.5
>>> decode_html("<p>café</p>".encode("utf-8"), "text/html; charset=iso-8859-1")
'<p>café</p>'
"""

from __future__ import annotations

import dataclasses
import email.utils
import random
import re
import threading
import time
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import charset_normalizer
import requests
from protego import Protego
from requests.adapters import HTTPAdapter

__all__ = [
    "FetchOptions",
    "FetchError",
    "FetchResult",
    "Fetcher",
    "HostPolicy",
    "decode_html",
    "is_html",
    "parse_retry_after",
]

_CONTACT_PLACEHOLDER = "set-FetchOptions.contact"
_HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass
class FetchOptions:
    """HTTP and politeness settings for a crawl.

    Parameters
    ----------
    contact : str
        E-mail or URL a site owner can reach you at; it goes into the User-Agent.
        Set it before crawling real sites.
    user_agent : str, optional
        Full User-Agent string; overrides the default built from ``contact``.
    headers, cookies, proxies : dict, optional
        Extra request headers, cookies, and a requests ``proxies`` mapping.
    session : requests.Session, optional
        Use this session as is (its adapters, auth, cookies...). Headers, cookies and
        proxies above are still added per request.
    connect_timeout, read_timeout : float
        Seconds to wait for the connection, and between bytes of the response.
    total_timeout : float
        Give up on one attempt after this many seconds of reading a body (slow drips).
    max_bytes : int
        Largest body accepted, counted after decompression; bigger ones fail with
        reason ``"too-large"``.
    retries : int
        Extra attempts after the first on timeouts, resets, 429 and 5xx.
    backoff : float
        First backoff in seconds; doubled on each retry (with 10 % jitter).
    max_backoff : float
        Ceiling for one backoff, and for a ``Retry-After`` we are willing to wait.
    max_per_host_rps : float or None
        Requests per second per host (default 1). ``None`` or 0 disables the delay
        (for local tests only).
    respect_robots : bool
        Honour robots.txt (default True) and its ``Crawl-delay``/``Request-rate``.
    max_crawl_delay : float
        Ceiling for a robots.txt crawl-delay, so one site cannot stall a crawl.
    max_redirects : int
        Redirects followed before failing with ``"too-many-redirects"``.
    max_host_failures : int or None
        After this many URLs of one host in a row failed at the network level (timeouts,
        refused or reset connections, after their retries), the host's remaining URLs
        fail at once with ``"host-unreachable"`` instead of each waiting through retries.
    """

    contact: str = _CONTACT_PLACEHOLDER
    user_agent: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    cookies: dict[str, str] = field(default_factory=dict)
    proxies: dict[str, str] = field(default_factory=dict)
    session: requests.Session | None = None
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    total_timeout: float = 120.0
    max_bytes: int = 10_000_000
    retries: int = 3
    backoff: float = 1.0
    max_backoff: float = 60.0
    max_per_host_rps: float | None = 1.0
    respect_robots: bool = True
    max_crawl_delay: float = 60.0
    max_redirects: int = 10
    max_host_failures: int | None = 5

    def user_agent_string(self) -> str:
        """Return the User-Agent sent with every request."""
        if self.user_agent:
            return self.user_agent
        return f"newslab/0.1 (research crawler; +mailto:{self.contact})"

    def robots_agent(self) -> str:
        """Return the product token matched against robots.txt groups."""
        return self.user_agent_string().split("/", 1)[0].split()[0] or "newslab"

    def host_delay(self) -> float:
        """Seconds between two requests to the same host from ``max_per_host_rps``."""
        rps = self.max_per_host_rps
        return 0.0 if not rps else 1.0 / float(rps)

    def replace(self, **changes: Any) -> FetchOptions:
        """Return a copy with some fields changed."""
        return dataclasses.replace(self, **changes)


class FetchError(Exception):
    """A URL could not be fetched.

    Attributes
    ----------
    url : str
        The URL requested.
    reason : str
        Short machine-readable cause: ``timeout``, ``connection-error``, ``http-503``,
        ``too-large``, ``too-many-redirects``, ``invalid-url``...
    status : int or None
        The last HTTP status received, if any.
    attempts : int
        How many requests were made.
    """

    def __init__(
        self, url: str, reason: str, status: int | None = None, attempts: int = 1, detail: str = ""
    ):
        self.url, self.reason, self.status, self.attempts = url, reason, status, attempts
        msg = f"could not fetch {url}: {reason}"
        if status is not None:
            msg += f" (HTTP {status})"
        if detail:
            msg += f": {detail}"
        super().__init__(msg)


@dataclass
class FetchResult:
    """One HTTP response, body already decompressed and capped.

    ``headers`` excludes ``Content-Encoding``/``Transfer-Encoding`` (the body is stored
    decoded) and has ``Content-Length`` matching ``body``.
    """

    url: str
    final_url: str
    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes
    fetched_at: float
    attempts: int = 1
    elapsed: float = 0.0

    def header(self, name: str, default: str | None = None) -> str | None:
        """Return the first header called ``name`` (case-insensitive)."""
        low = name.lower()
        for key, value in self.headers:
            if key.lower() == low:
                return value
        return default

    @property
    def content_type(self) -> str:
        return (self.header("Content-Type") or "").split(";", 1)[0].strip().lower()

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def text(self) -> str:
        """Body decoded with :func:`decode_html`."""
        return decode_html(self.body, self.header("Content-Type"))

    def raise_for_status(self) -> FetchResult:
        """Raise :class:`FetchError` carrying the status unless it is 2xx."""
        if not self.ok:
            raise FetchError(self.url, f"http-{self.status}", self.status, self.attempts)
        return self


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def _declared_charset(body: bytes, content_type: str | None) -> str | None:
    if content_type:
        m = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", content_type, re.I)
        if m:
            return m.group(1)
    m = _META_CHARSET.search(body[:4096])
    return m.group(1).decode("ascii", "replace") if m else None


# browsers decode these labels as windows-1252 (WHATWG Encoding Standard)
_WHATWG_ALIASES = {
    "iso-8859-1": "cp1252",
    "latin-1": "cp1252",
    "latin1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
}
# tie-breaking preference among equally plausible guesses: the web's common encodings
_COMMON_ENCODINGS = (
    "utf_8",
    "cp1252",
    "iso8859_15",
    "cp1251",
    "cp1250",
    "shift_jis",
    "cp932",
    "euc_jp",
    "gb18030",
    "gb2312",
    "euc_kr",
    "big5",
    "cp1256",
    "cp1253",
    "cp1254",
    "koi8_r",
    "iso8859_2",
    "cp1255",
    "cp874",
    "cp1257",
)


def _guess_charset(body: bytes) -> str | None:
    """charset-normalizer's guess, ties broken towards common web encodings.

    On short texts many single-byte code pages decode with the same low "chaos"; among
    those within 0.05 chaos and 0.1 language coherence of the best we take the most
    common on the web, so French in cp1252 is not read as Baltic cp1257.
    """
    matches = list(charset_normalizer.from_bytes(body[:200_000]))
    if not matches:
        return None
    best_chaos = min(m.chaos for m in matches)
    near = [m for m in matches if m.chaos <= best_chaos + 0.05]
    best_coherence = max(m.coherence for m in near)
    near = [m for m in near if m.coherence >= best_coherence - 0.1]

    def rank(m: Any) -> tuple[int, float]:
        enc = m.encoding
        return (_COMMON_ENCODINGS.index(enc) if enc in _COMMON_ENCODINGS else 99, m.chaos)

    return min(near, key=rank).encoding


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """Decode an HTML body, trusting the bytes over a declared charset that lies.

    Order: a BOM; valid UTF-8 with non-ASCII bytes (mis-labelled UTF-8 is the common
    lie, and Latin text is almost never valid UTF-8 by accident); the declared
    charset (header, then ``<meta>``) if the bytes decode with it; otherwise
    charset-normalizer's best guess.

    Examples
    --------
    >>> decode_html("naïve café".encode("cp1252"), "text/html; charset=utf-8")
    'naïve café'
    >>> decode_html(b"plain ascii")
    'plain ascii'
    """
    if body.startswith(b"\xef\xbb\xbf"):
        return body[3:].decode("utf-8", "replace")
    if body.startswith((b"\xff\xfe", b"\xfe\xff")):
        return body.decode("utf-16", "replace")
    try:
        text = body.decode("utf-8")
        return text
    except UnicodeDecodeError:
        pass
    declared = _declared_charset(body, content_type)
    if declared:
        declared = _WHATWG_ALIASES.get(declared.lower().replace("_", "-"), declared)
    if declared and declared.lower().replace("_", "-") not in ("utf-8", "utf8"):
        try:
            return body.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    guess = _guess_charset(body)
    if guess:
        try:
            return body.decode(guess, "replace")
        except LookupError:
            pass
    return body.decode("cp1252", "replace")


def is_html(content_type: str, body: bytes) -> bool:
    """True for an HTML content type, or no type and a body that looks like HTML."""
    if content_type in _HTML_TYPES:
        return True
    if content_type in ("", "application/octet-stream", "text/plain"):
        head = body[:1024].lstrip().lower()
        return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head
    return False


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP date).

    Examples
    --------
    >>> parse_retry_after("3")
    3.0
    >>> parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0)
    10.0
    >>> parse_retry_after("soon") is None
    True
    """
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))  # delta-seconds (fractions tolerated)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    now = time.time() if now is None else now
    return max(0.0, when.timestamp() - now)


class HostPolicy:
    """Politeness state for one host: its robots.txt rules and the next allowed time.

    Thread-safe: :meth:`wait_turn` blocks until a request to this host is allowed and
    books the slot, so concurrent callers are spaced by :attr:`delay`.
    """

    def __init__(self, host: str, delay: float, robots: Protego | None = None):
        self.host = host
        self.delay = delay
        self.robots = robots
        self.robots_error: str | None = None
        self._next = 0.0
        self._lock = threading.Lock()

    def set_robots(
        self, robots: Protego | None, options: FetchOptions, error: str | None = None
    ) -> None:
        """Install parsed robots.txt rules and widen the delay to its crawl-delay."""
        self.robots, self.robots_error = robots, error
        if robots is None:
            return
        agent = options.robots_agent()
        extra = robots.crawl_delay(agent)
        rate = robots.request_rate(agent)
        if rate is not None and rate.requests:
            extra = max(extra or 0.0, rate.seconds / rate.requests)
        if extra:
            self.delay = max(self.delay, min(float(extra), options.max_crawl_delay))

    def allowed(self, url: str, agent: str) -> bool:
        if self.robots_error:
            return False
        return self.robots is None or self.robots.can_fetch(url, agent)

    def ready_at(self) -> float:
        return self._next

    def wait_turn(self, min_gap: float = 0.0) -> None:
        """Sleep until this host may be requested again, then book the next slot."""
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next)
            self._next = start + max(self.delay, min_gap)
        if start > now:
            time.sleep(start - now)

    def push_back(self, seconds: float) -> None:
        """Delay the next request to this host by at least ``seconds`` from now."""
        with self._lock:
            self._next = max(self._next, time.monotonic() + seconds)


_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504, 507, 508, 509, 520, 521, 522, 523, 524})
_DROP_HEADERS = frozenset({"content-encoding", "transfer-encoding", "content-length"})


class Fetcher:
    """Fetch URLs politely with one shared :class:`requests.Session`.

    Parameters
    ----------
    options : FetchOptions, optional

    Examples
    --------
    >>> f = Fetcher(FetchOptions(contact="me@lab.example"))
    >>> f.session.headers["User-Agent"]
    'newslab/0.1 (research crawler; +mailto:me@lab.example)'
    >>> f.close()
    """

    def __init__(self, options: FetchOptions | None = None):
        self.options = options or FetchOptions()
        opts = self.options
        if opts.contact == _CONTACT_PLACEHOLDER and not opts.user_agent:
            warnings.warn(
                "newslab is crawling without a contact in its User-Agent: pass "
                "contact='you@example.org' (or FetchOptions(contact=...)) so site owners can "
                "reach you",
                stacklevel=3,
            )
        self._own_session = opts.session is None
        if opts.session is not None:
            self.session = opts.session
        else:
            self.session = requests.Session()
            adapter = HTTPAdapter(pool_connections=32, pool_maxsize=4, max_retries=0)
            self.session.mount("http://", adapter)
            self.session.mount("https://", adapter)
            self.session.headers["User-Agent"] = opts.user_agent_string()
            self.session.headers["Accept"] = (
                "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
            )
        self.session.max_redirects = opts.max_redirects
        self._headers = dict(opts.headers)
        if opts.session is not None and "User-Agent" not in self._headers:
            if "python-requests" in str(self.session.headers.get("User-Agent", "")):
                self._headers["User-Agent"] = opts.user_agent_string()

    def close(self) -> None:
        """Close the session if this fetcher created it."""
        if self._own_session:
            self.session.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- one attempt -------------------------------------------------------------------
    def _attempt(self, url: str, max_bytes: int) -> FetchResult:
        opts = self.options
        started = time.monotonic()
        fetched_at = float(int(time.time()))  # whole seconds, as archived in WARC-Date
        resp = self.session.get(
            url,
            headers=self._headers or None,
            cookies=opts.cookies or None,
            proxies=opts.proxies or None,
            timeout=(opts.connect_timeout, opts.read_timeout),
            stream=True,
            allow_redirects=True,
        )
        try:
            declared = resp.headers.get("Content-Length")
            encoded = resp.headers.get("Content-Encoding", "").strip().lower()
            if declared and declared.isdigit() and not encoded and int(declared) > max_bytes:
                raise FetchError(
                    url,
                    "too-large",
                    resp.status_code,
                    detail=f"Content-Length {declared} > max_bytes {max_bytes}",
                )
            chunks: list[bytes] = []
            size = 0
            for chunk in resp.iter_content(chunk_size=65536):
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(
                        url,
                        "too-large",
                        resp.status_code,
                        detail=f"body exceeds max_bytes {max_bytes}",
                    )
                if time.monotonic() - started > opts.total_timeout:
                    raise FetchError(
                        url,
                        "timeout",
                        resp.status_code,
                        detail=f"body not read within {opts.total_timeout}s",
                    )
                chunks.append(chunk)
            body = b"".join(chunks)
        finally:
            resp.close()
        headers = [(k, v) for k, v in resp.headers.items() if k.lower() not in _DROP_HEADERS]
        headers.append(("Content-Length", str(len(body))))
        if encoded and encoded != "identity":
            headers.append(("X-Newslab-Original-Content-Encoding", encoded))
        return FetchResult(
            url=url,
            final_url=resp.url,
            status=resp.status_code,
            reason=resp.reason or "",
            headers=headers,
            body=body,
            fetched_at=fetched_at,
            elapsed=time.monotonic() - started,
        )

    # -- with retries ----------------------------------------------------------------
    def fetch(
        self, url: str, policy: HostPolicy | None = None, *, max_bytes: int | None = None
    ) -> FetchResult:
        """Fetch ``url`` with retries; return the final response whatever its status.

        Parameters
        ----------
        url : str
        policy : HostPolicy, optional
            When given, every attempt waits for its turn on the host (rate limit) and a
            ``Retry-After`` pushes back the whole host.
        max_bytes : int, optional
            Override :attr:`FetchOptions.max_bytes` for this request.

        Returns
        -------
        FetchResult
            Also for 4xx, and for 429/5xx once retries are exhausted: check ``.ok`` or
            call ``.raise_for_status()``.

        Raises
        ------
        FetchError
            Network failure after all retries, body too large, too many redirects, or an
            invalid URL. ``.status`` holds the HTTP status when one was received.
        """
        opts = self.options
        cap = opts.max_bytes if max_bytes is None else max_bytes
        attempts = 0
        gap = 0.0
        result: FetchResult | None = None
        while True:
            attempts += 1
            if policy is not None:
                if gap:
                    policy.push_back(gap)  # the retry waits `gap` after the failure...
                policy.wait_turn()  # ...and its turn on the host
            elif gap:
                time.sleep(gap)
            retry_reason: str | None = None
            status: int | None = None
            result = None
            try:
                result = self._attempt(url, cap)
            except FetchError as exc:
                if exc.reason != "timeout":
                    exc.attempts = attempts
                    raise
                retry_reason, status = "timeout", exc.status
            except requests.exceptions.TooManyRedirects as exc:
                raise FetchError(url, "too-many-redirects", None, attempts, str(exc)) from None
            except (
                requests.exceptions.InvalidURL,
                requests.exceptions.MissingSchema,
                requests.exceptions.InvalidSchema,
                requests.exceptions.URLRequired,
            ) as exc:
                raise FetchError(url, "invalid-url", None, attempts, str(exc)) from None
            except requests.exceptions.Timeout:
                retry_reason = "timeout"
            except requests.exceptions.ContentDecodingError as exc:
                raise FetchError(url, "bad-content-encoding", None, attempts, str(exc)) from None
            except (
                requests.exceptions.ConnectionError,
                requests.exceptions.ChunkedEncodingError,
            ) as exc:
                retry_reason = "connection-error"
                if "reset" in str(exc).lower():
                    retry_reason = "connection-reset"
            else:
                result.attempts = attempts
                if result.status not in _RETRY_STATUSES:
                    return result
                retry_reason, status = f"http-{result.status}", result.status
                if attempts > opts.retries:
                    return result
            if attempts > opts.retries:
                raise FetchError(url, retry_reason, status, attempts)
            gap = min(opts.backoff * (2 ** (attempts - 1)), opts.max_backoff)
            gap *= 1.0 + 0.1 * random.random()
            if result is not None and status in (429, 503):
                after = parse_retry_after(result.header("Retry-After"))
                if after is not None:
                    if after > opts.max_backoff:
                        return result
                    gap = after
                    if policy is not None:
                        policy.push_back(after)

    def fetch_robots(
        self, base_url: str, policy: HostPolicy | None = None
    ) -> tuple[Protego | None, str | None, FetchResult | None]:
        """Fetch and parse ``/robots.txt`` for the host of ``base_url``.

        Returns ``(rules, error, response)``: rules ``None`` means allow everything
        (robots.txt missing, 4xx); ``error`` set means the host is treated as fully
        disallowed (5xx or unreachable, as RFC 9309 asks).
        """
        from urllib.parse import urlsplit, urlunsplit

        parts = urlsplit(base_url)
        robots_url = urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))
        try:
            resp = self.fetch(robots_url, policy, max_bytes=512_000)
        except FetchError as exc:
            if exc.reason == "too-large":
                return None, None, None
            return None, f"robots-unreachable: {exc.reason}", None
        return robots_from_response(resp)


def robots_from_response(resp: FetchResult) -> tuple[Protego | None, str | None, FetchResult]:
    """Interpret a robots.txt response (see :meth:`Fetcher.fetch_robots`)."""
    if resp.status >= 500:
        return None, f"robots-unreachable: http-{resp.status}", resp
    if not resp.ok:
        return None, None, resp
    text = resp.body.decode("utf-8", "replace")
    return Protego.parse(text), None, resp


def options_from_kwargs(
    options: FetchOptions | None, kwargs: Mapping[str, Any]
) -> tuple[FetchOptions, dict[str, Any]]:
    """Split keyword arguments into FetchOptions fields and the rest."""
    names = {f.name for f in dataclasses.fields(FetchOptions)}
    mine = {k: v for k, v in kwargs.items() if k in names}
    rest = {k: v for k, v in kwargs.items() if k not in names}
    base = options or FetchOptions()
    return (base.replace(**mine) if mine else base), rest
