"""Collect articles into a corpus table: URLs, feeds, sitemaps, local HTML, WARC files.

:func:`collect` fetches politely (see :mod:`newslab.fetch`): robots.txt, one request
per second per host by default, different hosts in parallel, retries with backoff. With
``archive=`` every response goes to a WARC archive (:mod:`newslab.archive`): a re-run
takes already archived URLs from it (an interrupted collection resumes where it
stopped), and ``offline=True`` replays the archive with no network at all.

Nothing is dropped silently: the corpus carries ``df.attrs["log"]`` (url, stage,
reason, status) and ``df.attrs["summary"]``; :func:`collect_detailed` returns both as a
:class:`CollectResult`.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "a.html").write_text("<html><body><p>Hi</p></body></html>")
>>> res = collect_detailed([str(folder / "nope.html")], progress=False)
>>> res.log[["stage", "reason"]].iloc[0].tolist()
['input', 'not-a-url-or-file']
"""

from __future__ import annotations

import argparse
import calendar
import collections
import dataclasses
import datetime as dt
import queue
import sys
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pandas as pd

from newslab.archive import Archive, iter_warc_responses
from newslab.corpus import canonical_url, to_corpus
from newslab.fetch import (
    Fetcher,
    FetchError,
    FetchOptions,
    FetchResult,
    HostPolicy,
    decode_html,
    is_html,
    options_from_kwargs,
    robots_from_response,
)

__all__ = [
    "CollectOptions",
    "CollectResult",
    "CollectLog",
    "collect",
    "collect_detailed",
    "collect_archive",
    "add_collect_arguments",
    "main_collect",
]

LOG_COLUMNS = ["url", "stage", "reason", "status"]
_DEFAULT: Any = object()  # "not given": keep the FetchOptions value (None means no limit)
_FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/feed+json",
)
_XML_TYPES = ("application/xml", "text/xml")


@dataclass
class CollectOptions:
    """What to collect and how (HTTP settings live in :class:`~newslab.fetch.FetchOptions`).

    Parameters
    ----------
    archive : path, optional
        WARC archive folder. Archived URLs are read from it instead of the network.
    offline : bool
        Replay from ``archive`` only; URLs not in it are logged ``not-in-archive``.
    workers : int
        Fetch threads (hosts fetched at the same time; one request at a time per host).
    progress : bool
        Progress bar over URLs and a printed summary.
    dedup : bool
        Flag near-duplicate texts in ``duplicate_of`` (:func:`newslab.dedup.flag_near_duplicates`).
    dedup_threshold : float
        Jaccard similarity of word 3-shingles above which two texts are near-duplicates.
    follow_feeds : bool
        Fetch the links of feeds and sitemaps given as inputs.
    max_feed_entries : int, optional
        Links taken from each feed or sitemap.
    seed_max_age : float or None
        Seconds: feeds/sitemaps/robots.txt archived longer ago than this are fetched
        again when online (new entries appear); articles never are. ``None``: never.
    extract_options : newslab.extraction.ExtractOptions, optional
    on_result : callable, optional
        Called in the main thread as ``on_result(event)`` after each URL is settled;
        ``event`` has url, stage, ok, from_archive, done.
    fsync : bool
        fsync the archive after each record (power-loss safety; slower).
    warc_limit : int, optional
        Response records read from each WARC input.
    """

    archive: str | Path | None = None
    offline: bool = False
    workers: int = 8
    progress: bool = True
    dedup: bool = True
    dedup_threshold: float = 0.7
    follow_feeds: bool = True
    max_feed_entries: int | None = None
    seed_max_age: float | None = 3600.0
    extract_options: Any = None
    on_result: Callable[[dict[str, Any]], None] | None = None
    fsync: bool = False
    warc_limit: int | None = None


class CollectLog(pd.DataFrame):
    """The drop log (url, stage, reason, status): a DataFrame that is safe in ``attrs``.

    pandas compares and deep-copies ``attrs`` on many operations; a plain DataFrame there
    makes ``pd.concat`` of two corpora fail. This one compares with ``.equals`` and is
    shared, not copied: treat it as read-only.
    """

    @property
    def _constructor(self):  # operations on the log give plain DataFrames
        return pd.DataFrame

    def __eq__(self, other: object) -> bool:  # type: ignore[override]
        return self is other or (isinstance(other, pd.DataFrame) and self.equals(other))

    def __ne__(self, other: object) -> bool:  # type: ignore[override]
        return not self.__eq__(other)

    __hash__ = None  # type: ignore[assignment]

    def __deepcopy__(self, memo: dict | None = None) -> CollectLog:
        return self


@dataclass
class CollectResult:
    """Corpus, drop log and summary of one collection."""

    corpus: pd.DataFrame
    log: pd.DataFrame
    summary: dict[str, Any]

    def __repr__(self) -> str:
        return f"CollectResult({len(self.corpus)} articles; {format_summary(self.summary)})"


def format_summary(s: dict[str, Any]) -> str:
    """One line: articles, fetched, from archive, skipped by robots, failures by reason."""
    failed = ", ".join(f"{k}: {v}" for k, v in sorted(s.get("failed", {}).items()))
    return (
        f"{s.get('articles', 0)} articles; fetched {s.get('fetched', 0)}, "
        f"from archive {s.get('from_archive', 0)}, skipped by robots {s.get('skipped_robots', 0)}, "
        f"failed {sum(s.get('failed', {}).values())}"
        + (f" ({failed})" if failed else "")
        + f"; near-duplicates {s.get('near_duplicates', 0)}; {s.get('seconds', 0):.1f}s"
    )


@dataclass(order=True)
class _Task:
    order: tuple
    url: str = field(compare=False)
    key: str = field(compare=False)
    role: str = field(compare=False)  # "seed" (feed, sitemap or page) or "article"
    meta: dict[str, Any] = field(default_factory=dict, compare=False)


# -- parsing feeds and sitemaps ----------------------------------------------------------


def _sniff(res: FetchResult) -> str:
    ct = res.content_type
    if ct in ("text/html", "application/xhtml+xml"):
        return "html"
    head = res.body[:4096].lower()
    if ct in _FEED_TYPES or b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head:
        return "feed"
    if b"<urlset" in head or b"<sitemapindex" in head:
        return "sitemap"
    if res.body[:2] == b"\x1f\x8b":
        return "gzip"
    if is_html(ct, res.body):
        return "html"
    return "other"


def _struct_to_iso(value: Any) -> str | None:
    if not value:
        return None
    try:
        return dt.datetime.fromtimestamp(calendar.timegm(value), dt.UTC).isoformat()
    except (TypeError, ValueError, OverflowError):
        return None


def parse_feed(body: bytes, base_url: str | None = None) -> list[tuple[str, dict[str, Any]]]:
    """Links of an RSS/Atom feed with their dates: ``[(url, {"feed_published": iso})]``.

    Examples
    --------
    >>> rss = b'''<rss version="2.0"><channel><item><link>https://a.example/1</link>
    ... <pubDate>Sat, 30 Dec 2023 10:00:00 GMT</pubDate></item></channel></rss>'''
    >>> parse_feed(rss)
    [('https://a.example/1', {'feed_published': '2023-12-30T10:00:00+00:00'})]
    """
    from urllib.parse import urljoin

    import feedparser

    parsed = feedparser.parse(body)
    out = []
    for entry in parsed.entries:
        link = entry.get("link")
        if not link:
            continue
        if base_url:
            link = urljoin(base_url, link)
        meta: dict[str, Any] = {}
        when = _struct_to_iso(entry.get("published_parsed") or entry.get("updated_parsed"))
        if when:
            meta["feed_published"] = when
        out.append((link, meta))
    return out


def parse_sitemap(body: bytes) -> tuple[list[tuple[str, dict[str, Any]]], list[str]]:
    """``(article links with news publication dates, child sitemaps)`` of a sitemap.

    Examples
    --------
    >>> sm = b'''<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    ... <url><loc>https://a.example/1</loc></url></urlset>'''
    >>> parse_sitemap(sm)
    ([('https://a.example/1', {})], [])
    """
    from lxml import etree

    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError:
        return [], []
    if root is None:
        return [], []
    links: list[tuple[str, dict[str, Any]]] = []
    children: list[str] = []
    for node in root:
        if not isinstance(node.tag, str):
            continue
        tag = etree.QName(node).localname
        loc = next(
            (
                c.text
                for c in node.iter()
                if isinstance(c.tag, str) and etree.QName(c).localname == "loc" and c.text
            ),
            None,
        )
        if not loc:
            continue
        if tag == "sitemap":
            children.append(loc.strip())
        elif tag == "url":
            meta: dict[str, Any] = {}
            for c in node.iter():
                if isinstance(c.tag, str) and etree.QName(c).localname == "publication_date":
                    when = pd.to_datetime(c.text, utc=True, errors="coerce")
                    if not pd.isna(when):
                        meta["feed_published"] = when.isoformat()
            links.append((loc.strip(), meta))
    return links, children


def _gunzip(body: bytes, cap: int) -> bytes | None:
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = d.decompress(body, cap + 1)
    except zlib.error:
        return None
    return None if len(out) > cap else out


# -- extraction -----------------------------------------------------------------------


class _Dropped(Exception):
    def __init__(self, stage: str, reason: str, status: int | None = None):
        super().__init__(reason)
        self.stage, self.reason, self.status = stage, reason, status


def _ts(value: Any) -> pd.Timestamp | None:
    if value is None:
        return None
    if isinstance(value, int | float):
        return pd.Timestamp(value, unit="s", tz="UTC")
    t = pd.to_datetime(value, utc=True, errors="coerce")
    return None if pd.isna(t) else t


def extract_response(
    res: FetchResult, meta: dict[str, Any] | None = None, extract_options: Any = None
) -> dict[str, Any]:
    """Turn one archived or fetched response into a corpus record, or raise ``_Dropped``."""
    if not res.ok:
        raise _Dropped("fetch", f"http-{res.status}", res.status)
    if not is_html(res.content_type, res.body):
        raise _Dropped("fetch", f"not-html: {res.content_type or 'unknown type'}", res.status)
    html = decode_html(res.body, res.header("Content-Type"))
    return _extract_html(
        html, res.final_url or res.url, _ts(res.fetched_at), meta, extract_options, res.status
    )


def _extract_html(
    html: str,
    url: str | None,
    fetched_at: pd.Timestamp | None,
    meta: dict[str, Any] | None,
    extract_options: Any,
    status: int | None = None,
) -> dict[str, Any]:
    from newslab.extraction import ExtractionError, extract

    try:
        art = extract(html, url=url, fetched_at=fetched_at, options=extract_options)
    except ExtractionError as exc:
        raise _Dropped("extract", str(getattr(exc, "reason", None) or exc), status) from None
    except (KeyboardInterrupt, MemoryError):
        raise
    except Exception as exc:  # noqa: BLE001 - one bad page must not stop a collection
        raise _Dropped("extract", f"error: {type(exc).__name__}: {exc}"[:200], status) from None
    rec = dict(art.to_record())
    if not rec.get("url"):
        rec["url"] = url
    if not rec.get("fetched_url"):
        rec["fetched_url"] = url
    if rec.get("fetched_at") is None and fetched_at is not None:
        rec["fetched_at"] = fetched_at
    return rec


def _apply_feed_date(rec: dict[str, Any], feed_iso: str | None) -> None:
    """Use the feed's date when the page has none (and it is not after the fetch)."""
    feed_date = _ts(feed_iso)
    pub = rec.get("published")
    if feed_date is None or not (pub is None or pd.isna(pub)):
        return
    fetched = _ts(rec.get("fetched_at"))
    if fetched is None or feed_date <= fetched + pd.Timedelta(days=1):
        rec["published"], rec["date_source"] = feed_date, "feed"


# -- the crawler ----------------------------------------------------------------------


class _Host:
    __slots__ = ("policy", "tasks", "busy", "robots_ready", "base", "failures")

    def __init__(self, policy: HostPolicy, base: str):
        self.policy = policy
        self.tasks: collections.deque[_Task] = collections.deque()
        self.busy = False
        self.robots_ready = False
        self.base = base
        self.failures = 0  # URLs in a row that failed at the network level


class _Crawler:
    """Worker threads taking one URL at a time from per-host queues.

    A host is handled by at most one thread at a time, and :class:`HostPolicy` spaces its
    requests; threads pick the host that becomes ready first, so different hosts overlap.
    Results go to ``self.out`` for the main thread (archive + extraction).
    """

    def __init__(
        self,
        fetcher: Fetcher,
        options: FetchOptions,
        workers: int,
        robots_source: Callable[[str], FetchResult | None],
    ):
        self.fetcher = fetcher
        self.options = options
        self.out: queue.Queue = queue.Queue()
        self._hosts: dict[str, _Host] = {}
        self._active: set[str] = set()
        self._cond = threading.Condition()
        self._stop = False
        self._robots_source = robots_source
        self._threads = [
            threading.Thread(target=self._run, daemon=True, name=f"newslab-fetch-{i}")
            for i in range(max(1, workers))
        ]
        for t in self._threads:
            t.start()

    def submit(self, task: _Task) -> None:
        parts = urlsplit(task.url)
        host = parts.netloc.lower()
        with self._cond:
            h = self._hosts.get(host)
            if h is None:
                h = self._hosts[host] = _Host(
                    HostPolicy(host, self.options.host_delay()), f"{parts.scheme}://{parts.netloc}/"
                )
                h.robots_ready = not self.options.respect_robots
            h.tasks.append(task)
            self._active.add(host)
            self._cond.notify()

    def stop(self) -> None:
        with self._cond:
            self._stop = True
            self._cond.notify_all()

    def _pick(self) -> _Host | None:
        best, best_t = None, None
        for name in self._active:
            h = self._hosts[name]
            if h.busy:
                continue
            t = h.policy.ready_at()
            if best_t is None or t < best_t:
                best, best_t = h, t
        return best

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._stop and (host := self._pick()) is None:
                    self._cond.wait(0.5)
                if self._stop:
                    return
                host.busy = True
                need_robots = not host.robots_ready
                task = None if need_robots else host.tasks.popleft()
                if task is not None and not host.tasks:
                    self._active.discard(host.policy.host)
            try:
                if need_robots:
                    self._load_robots(host)
                else:
                    self._fetch(host, task)
            except BaseException as exc:  # noqa: BLE001 - report, never kill the worker silently
                if task is not None:
                    self.out.put(("error", task, FetchError(task.url, f"internal: {exc!r}")))
            finally:
                with self._cond:
                    host.busy = False
                    if not host.tasks:
                        self._active.discard(host.policy.host)
                    self._cond.notify_all()

    def _load_robots(self, host: _Host) -> None:
        try:
            cached = self._robots_source(host.base + "robots.txt")
            if cached is not None:
                rules, error, _ = robots_from_response(cached)
            else:
                rules, error, resp = self.fetcher.fetch_robots(host.base, host.policy)
                if resp is not None:
                    self.out.put(("robots", None, resp))
            host.policy.set_robots(rules, self.options, error)
        except Exception as exc:  # noqa: BLE001 - an unreadable robots.txt must not loop
            host.policy.set_robots(None, self.options, f"robots-unreadable: {exc!r}"[:200])
        finally:
            host.robots_ready = True

    def _fetch(self, host: _Host, task: _Task) -> None:
        if not host.policy.allowed(task.url, self.options.robots_agent()):
            self.out.put(("robots", task, host.policy.robots_error or "disallowed"))
            return
        limit = self.options.max_host_failures
        if limit and host.failures >= limit:
            detail = f"{host.failures} URLs in a row failed"
            self.out.put(("error", task, FetchError(task.url, "host-unreachable", None, 0, detail)))
            return
        try:
            res = self.fetcher.fetch(task.url, host.policy)
        except FetchError as exc:
            if exc.reason in ("timeout", "connection-error", "connection-reset"):
                host.failures += 1
            self.out.put(("error", task, exc))
        else:
            host.failures = 0
            self.out.put(("response", task, res))

    def join(self, timeout: float = 2.0) -> None:
        for t in self._threads:
            t.join(timeout / max(1, len(self._threads)))


class _Run:
    """State of one collection (main thread only)."""

    def __init__(self, options: CollectOptions, fetch_options: FetchOptions):
        self.o = options
        self.f = fetch_options
        self.archive: Archive | None = None
        if options.archive is not None:
            if options.offline:
                self.archive = Archive(options.archive, readonly=True)
            else:
                self.archive = Archive(options.archive, fsync=options.fsync)
        elif options.offline:
            raise ValueError("offline=True needs archive= (the folder to replay from)")
        self.records: dict[str, tuple[tuple, dict[str, Any]]] = {}
        self.log: list[dict[str, Any]] = []
        self.seen: dict[str, tuple] = {}
        self.feed_dates: dict[str, str] = {}
        self.seen_url: dict[str, str] = {}
        self.variants: dict[str, list[tuple[tuple, str]]] = {}
        self.counts = collections.Counter()
        self.failed: collections.Counter = collections.Counter()
        self.pending = 0
        self.crawler: _Crawler | None = None
        self.fetcher: Fetcher | None = None
        self.bar = None
        self.done = 0
        self.started = time.monotonic()

    # -- bookkeeping ----------------------------------------------------------------
    def drop(self, url: str, stage: str, reason: str, status: int | None = None) -> None:
        self.log.append({"url": url, "stage": stage, "reason": reason, "status": status})
        if stage == "robots":
            self.counts["skipped_robots"] += 1
        else:
            self.failed[reason.split(":", 1)[0]] += 1

    def settle(self, url: str, stage: str, ok: bool, from_archive: bool = False) -> None:
        self.done += 1
        if self.bar is not None:
            self.bar.update(1)
        if self.o.on_result is not None:
            self.o.on_result(
                {
                    "url": url,
                    "stage": stage,
                    "ok": ok,
                    "from_archive": from_archive,
                    "done": self.done,
                }
            )

    def add_record(self, task_key: str, rec: dict[str, Any]) -> None:
        key = canonical_url(rec["url"])
        old = self.records.get(key)
        if old is not None:
            mine = self.seen.get(task_key, ())
            if self.seen.get(old[0], ()) <= mine:
                first, later = old, (task_key, rec)
            else:
                first, later = (task_key, rec), old
            self.records[key] = first
            self.log.append(
                {
                    "url": later[1].get("fetched_url") or later[1]["url"],
                    "stage": "extract",
                    "reason": f"same-article: {first[1]['url']}",
                    "status": None,
                }
            )
            self.counts["same_article"] += 1
            return
        self.records[key] = (task_key, rec)

    def note_feed_date(self, key: str, meta: dict[str, Any] | None) -> None:
        when = (meta or {}).get("feed_published")
        if when and (key not in self.feed_dates or when < self.feed_dates[key]):
            self.feed_dates[key] = when

    def finish(self) -> list[dict[str, Any]]:
        """Records in input order (the smallest order among a URL's variants)."""
        out = []
        for task_key, rec in sorted(self.records.values(), key=lambda kr: self.seen.get(kr[0], ())):
            _apply_feed_date(
                rec, self.feed_dates.get(task_key) or self.feed_dates.get(canonical_url(rec["url"]))
            )
            out.append(rec)
        for variants in self.variants.values():
            variants.sort()
            for _, url in variants[1:]:
                self.log.append(
                    {
                        "url": url,
                        "stage": "input",
                        "reason": f"duplicate-url: {variants[0][1]}",
                        "status": None,
                    }
                )
        return out

    def grow(self, n: int) -> None:
        if self.bar is not None and n:
            self.bar.total = (self.bar.total or 0) + n
            self.bar.refresh()

    # -- inputs -----------------------------------------------------------------------
    def add_url(
        self,
        url: str,
        order: tuple,
        role: str,
        meta: dict[str, Any] | None = None,
    ) -> None:
        key = canonical_url(url)
        self.note_feed_date(key, meta)
        if key in self.seen:
            # logged at the end, once the first variant (in input order) is known
            self.variants.setdefault(key, [(self.seen[key], self.seen_url[key])]).append(
                (order, url)
            )
            self.counts["duplicate_urls"] += 1
            self.seen[key] = min(self.seen[key], order)
            return
        self.seen[key] = order
        self.seen_url[key] = url
        self.grow(1)
        task = _Task(order, url, key, role, dict(meta or {}))
        if self._from_archive(task):
            return
        if self.o.offline:
            reason = self._offline_robots(url) or "not-in-archive"
            self.drop(url, "robots" if reason == "disallowed" else "fetch", reason)
            self.settle(url, "fetch", False)
            return
        if self.crawler is None:
            self.fetcher = Fetcher(self.f)
            self.crawler = _Crawler(self.fetcher, self.f, self.o.workers, self._robots_from_archive)
        self.pending += 1
        self.crawler.submit(task)

    def _fresh(self, fetched_at: float) -> bool:
        if self.o.offline or self.o.seed_max_age is None:
            return True
        return time.time() - fetched_at <= self.o.seed_max_age

    def _from_archive(self, task: _Task) -> bool:
        if self.archive is None or task.key not in self.archive:
            return False
        entry = self.archive.entry(task.key)
        if not self.o.offline and entry is not None and entry.status is not None:
            if entry.status == 429 or entry.status >= 500:
                return False  # a transient failure was archived: try the network again
        res, meta = self.archive.load_meta(task.url)
        if task.role == "seed" and not self._fresh(res.fetched_at):
            return False
        self.counts["from_archive"] += 1
        self.note_feed_date(task.key, meta)
        self.handle_response(task, res, {**meta, **task.meta}, from_archive=True)
        return True

    def _robots_from_archive(self, robots_url: str) -> FetchResult | None:
        if self.archive is None or robots_url not in self.archive:
            return None
        res = self.archive.load(robots_url)
        return res if self._fresh(res.fetched_at) else None

    def _offline_robots(self, url: str) -> str | None:
        if not self.f.respect_robots or self.archive is None:
            return None
        parts = urlsplit(url)
        robots = self._robots_from_archive(f"{parts.scheme}://{parts.netloc}/robots.txt")
        if robots is None:
            return None
        rules, error, _ = robots_from_response(robots)
        if error:
            return error
        if rules is not None and not rules.can_fetch(url, self.f.robots_agent()):
            return "disallowed"
        return None

    def add_input(self, item: Any, i: int) -> None:
        text = str(item).strip()
        if text.startswith(("http://", "https://")):
            self.add_url(text, (i,), "seed")
            return
        if text.startswith("file://"):
            text = urlsplit(text).path
        path = Path(text).expanduser()
        if path.is_dir():
            files = sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in (".html", ".htm", ".xhtml")
            )
            if not files:
                self.drop(text, "input", "no-html-files-in-folder")
            self.grow(len(files))
            for j, p in enumerate(files):
                self.add_local(p, (i, j))
            return
        if not path.is_file():
            self.drop(text, "input", "not-a-url-or-file")
            return
        name = path.name.lower()
        if name.endswith((".warc", ".warc.gz", ".arc.gz")):
            self.add_warc(path, i)
        elif name.endswith((".html", ".htm", ".xhtml")):
            self.grow(1)
            self.add_local(path, (i,))
        elif name.endswith(".txt"):
            for j, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
                if line.strip() and not line.lstrip().startswith("#"):
                    self._add_txt(line, i, j)
        else:
            body = path.read_bytes()
            res = FetchResult(
                path.as_uri(),
                path.as_uri(),
                200,
                "OK",
                [("Content-Type", "application/xml")],
                body,
                path.stat().st_mtime,
            )
            self.grow(1)
            self.handle_response(
                _Task((i,), path.as_uri(), path.as_uri(), "seed"),
                res,
                {},
                from_archive=False,
                local=True,
            )

    def _add_txt(self, line: str, i: int, j: int) -> None:
        line = line.strip()
        if line.startswith(("http://", "https://")):
            self.add_url(line, (i, j), "seed")
        else:
            self.drop(line, "input", "not-a-url")

    def add_local(self, path: Path, order: tuple) -> None:
        uri = path.resolve().as_uri()
        try:
            body = path.read_bytes()
            html = decode_html(body)
            rec = _extract_html(html, None, _ts(path.stat().st_mtime), None, self.o.extract_options)
        except _Dropped as d:
            self.drop(str(path), d.stage, d.reason)
            self.settle(str(path), d.stage, False)
            return
        except OSError as exc:
            self.drop(str(path), "input", f"unreadable: {exc}")
            self.settle(str(path), "input", False)
            return
        if not rec.get("url") or rec["url"] == "None":
            rec["url"] = uri
        rec["fetched_url"] = uri
        self.counts["local_files"] += 1
        self.seen.setdefault(uri, order)
        self.add_record(uri, rec)
        self.settle(str(path), "extract", True)

    def add_warc(self, path: Path, i: int) -> None:
        n = 0
        for j, item in enumerate(iter_warc_responses(path, max_bytes=self.f.max_bytes)):
            if self.o.warc_limit is not None and n >= self.o.warc_limit:
                break
            n += 1
            self.grow(1)
            if isinstance(item, tuple):
                self.drop(item[0], "fetch", item[1])
                self.settle(item[0], "fetch", False)
                continue
            self.counts["warc_records"] += 1
            task = _Task((i, j), item.final_url, canonical_url(item.final_url), "article")
            self.seen.setdefault(task.key, task.order)
            self.handle_response(task, item, {}, from_archive=True, count=False)

    # -- results ----------------------------------------------------------------------
    def handle_response(
        self,
        task: _Task,
        res: FetchResult,
        meta: dict[str, Any],
        *,
        from_archive: bool,
        local: bool = False,
        count: bool = True,
    ) -> None:
        if task.role == "seed" and res.ok:
            kind = _sniff(res)
            body = res.body
            if kind == "gzip":
                body = _gunzip(body, self.f.max_bytes) or b""
                kind = _sniff(dataclasses.replace(res, body=body))
            if kind in ("feed", "sitemap"):
                self.counts["feeds" if kind == "feed" else "sitemaps"] += 1
                self.expand(task, res.final_url, body, kind)
                self.settle(task.url, kind, True, from_archive)
                return
        try:
            rec = extract_response(res, meta, self.o.extract_options)
        except _Dropped as d:
            self.drop(task.url, d.stage, d.reason, d.status)
            self.settle(task.url, d.stage, False, from_archive)
            return
        self.add_record(task.key, rec)
        self.settle(task.url, "extract", True, from_archive)

    def expand(self, task: _Task, base: str, body: bytes, kind: str) -> None:
        if not self.o.follow_feeds:
            return
        if kind == "feed":
            links, children = parse_feed(body, base if base.startswith("http") else None), []
        else:
            links, children = parse_sitemap(body)
        if not links and not children:
            self.drop(task.url, "input", f"empty-{kind}")
        limit = self.o.max_feed_entries
        for j, sub in enumerate(children):
            self.add_url(sub, (*task.order, j), "seed")
        for j, (link, meta) in enumerate(links[:limit] if limit else links):
            self.add_url(link, (*task.order, len(children) + j), "article", meta)

    def on_network(self, kind: str, task: _Task | None, payload: Any) -> None:
        if kind == "robots" and task is None:  # a robots.txt response to archive
            if self.archive is not None:
                self.archive.add(payload)
            return
        self.pending -= 1
        if kind == "robots":
            self.drop(task.url, "robots", payload)
            self.settle(task.url, "robots", False)
        elif kind == "error":
            self.drop(task.url, "fetch", payload.reason, payload.status)
            if self.archive is not None:
                self.archive.add_failure(task.url, payload.reason, payload.status)
            self.settle(task.url, "fetch", False)
        else:
            self.counts["fetched"] += 1
            if self.archive is not None:
                self.archive.add(payload, task.meta or None)
            self.handle_response(task, payload, task.meta, from_archive=False)

    def drain(self) -> None:
        """Archive responses already received (used when interrupted)."""
        assert self.crawler is not None
        while True:
            try:
                kind, task, payload = self.crawler.out.get_nowait()
            except queue.Empty:
                return
            if (
                self.archive is not None
                and kind in ("response", "robots")
                and isinstance(payload, FetchResult)
            ):
                self.archive.add(payload, (task.meta or None) if task else None)

    def close(self) -> None:
        if self.crawler is not None:
            self.crawler.stop()
        if self.fetcher is not None:
            self.fetcher.close()
        if self.archive is not None:
            self.archive.close()
        if self.bar is not None:
            self.bar.close()


def _log_frame(rows: list[dict[str, Any]]) -> CollectLog:
    df = pd.DataFrame(rows, columns=LOG_COLUMNS)
    df["status"] = pd.array(df["status"].tolist(), dtype="Int64")
    return CollectLog(df)


def collect_detailed(
    inputs: str | Path | Iterable[str | Path],
    *,
    archive: str | Path | None = None,
    max_per_host_rps: float | None = _DEFAULT,
    offline: bool | None = None,
    progress: bool | None = None,
    options: CollectOptions | None = None,
    fetch_options: FetchOptions | None = None,
    **kwargs: Any,
) -> CollectResult:
    """Collect articles and return the corpus with its drop log and a summary.

    Parameters are those of :func:`collect`.

    Returns
    -------
    CollectResult
        ``corpus`` (also carrying ``attrs["log"]`` and ``attrs["summary"]``), ``log``
        (url, stage, reason, status) and ``summary`` (fetched, from_archive,
        skipped_robots, failed by reason...).
    """
    fopts, rest = options_from_kwargs(fetch_options, kwargs)
    if max_per_host_rps is not _DEFAULT:
        fopts = fopts.replace(max_per_host_rps=max_per_host_rps)
    copts = options or CollectOptions()
    names = {f.name for f in dataclasses.fields(CollectOptions)}
    unknown = [k for k in rest if k not in names]
    if unknown:
        raise TypeError(f"collect() got unknown option(s): {', '.join(unknown)}")
    changes = dict(rest)
    for name, value in (("archive", archive), ("offline", offline), ("progress", progress)):
        if value is not None:
            changes[name] = value
    copts = dataclasses.replace(copts, **changes)
    if isinstance(inputs, str | Path):
        inputs = [inputs]
    inputs = list(inputs)

    run = _Run(copts, fopts)
    if copts.progress:
        from tqdm.auto import tqdm

        run.bar = tqdm(total=0, unit="url", desc="collect", dynamic_ncols=True)
    try:
        for i, item in enumerate(inputs):
            run.add_input(item, i)
        while run.pending > 0:
            assert run.crawler is not None
            kind, task, payload = run.crawler.out.get()
            run.on_network(kind, task, payload)
    except BaseException:
        if run.crawler is not None:
            run.crawler.stop()
            run.drain()
        raise
    finally:
        run.close()

    corpus = to_corpus(run.finish())
    if "fetched_url" not in corpus.columns:
        corpus["fetched_url"] = pd.Series(dtype="object")
    n_dup = 0
    if copts.dedup and len(corpus):
        from newslab.dedup import flag_near_duplicates

        corpus = flag_near_duplicates(corpus, threshold=copts.dedup_threshold)
        n_dup = int(corpus["duplicate_of"].notna().sum())
    log = _log_frame(run.log)
    summary = {
        "articles": int(len(corpus)),
        "fetched": run.counts["fetched"],
        "from_archive": run.counts["from_archive"] + run.counts["warc_records"],
        "local_files": run.counts["local_files"],
        "feeds": run.counts["feeds"],
        "sitemaps": run.counts["sitemaps"],
        "skipped_robots": run.counts["skipped_robots"],
        "duplicate_urls": run.counts["duplicate_urls"],
        "same_article": run.counts["same_article"],
        "failed": dict(run.failed),
        "near_duplicates": n_dup,
        "seconds": round(time.monotonic() - run.started, 3),
    }
    corpus.attrs["log"] = log
    corpus.attrs["summary"] = summary
    if copts.progress:
        print(f"newslab.collection: {format_summary(summary)}", file=sys.stderr)
    return CollectResult(corpus, log, summary)


def collect(
    inputs: str | Path | Iterable[str | Path],
    *,
    archive: str | Path | None = None,
    max_per_host_rps: float | None = _DEFAULT,
    offline: bool | None = None,
    progress: bool | None = None,
    options: CollectOptions | None = None,
    fetch_options: FetchOptions | None = None,
    **kwargs: Any,
) -> pd.DataFrame:
    """Collect articles from URLs, feeds, sitemaps, local HTML and WARC files.

    Parameters
    ----------
    inputs : str, path, or list of them
        ``http(s)://`` URLs (article pages, RSS/Atom feeds, sitemaps: told apart by
        their content), local ``.html`` files or folders of them, ``.warc[.gz]`` files,
        local feed/sitemap ``.xml`` files, and ``.txt`` files listing URLs.
    archive : path, optional
        WARC archive folder: responses are saved there; URLs already in it are not
        fetched again (so an interrupted run resumes).
    max_per_host_rps : float or None, optional
        Requests per second per host (default 1.0; a robots.txt crawl-delay can only
        slow it down). ``None`` removes the limit: only for servers you run.
    offline : bool
        Replay from ``archive`` without any network access.
    progress : bool
        Progress bar and printed summary (default True).
    options : CollectOptions, optional
    fetch_options : FetchOptions, optional
        HTTP settings: contact/user agent, headers, cookies, proxies, session, timeouts,
        retries, max_bytes, robots...
    **kwargs
        Any field of :class:`CollectOptions` or :class:`~newslab.fetch.FetchOptions`,
        e.g. ``contact="me@lab.example"``, ``headers={...}``, ``workers=16``.

    Returns
    -------
    pandas.DataFrame
        The corpus table (see :mod:`newslab.corpus`) with ``duplicate_of`` and
        ``fetched_url``; ``attrs["log"]`` lists every URL dropped (url, stage, reason,
        status) and ``attrs["summary"]`` the counts.

    Examples
    --------
    >>> df = collect([], progress=False)
    >>> len(df), list(df.attrs["log"].columns)
    (0, ['url', 'stage', 'reason', 'status'])
    """
    return collect_detailed(
        inputs,
        archive=archive,
        max_per_host_rps=max_per_host_rps,
        offline=offline,
        progress=progress,
        options=options,
        fetch_options=fetch_options,
        **kwargs,
    ).corpus


def collect_archive(
    archive: str | Path, *, progress: bool = True, dedup: bool = True, extract_options: Any = None
) -> pd.DataFrame:
    """Re-extract every archived HTML page, with no network access.

    Use it after improving the extractor: the corpus is rebuilt from the exact bytes
    fetched. Feeds, sitemaps and robots.txt in the archive are skipped (logged as
    ``not-an-article``); error responses are logged like in :func:`collect`.

    Examples
    --------
    >>> collect_archive("no/such/archive")
    Traceback (most recent call last):
    ...
    FileNotFoundError: no archive index at no/such/archive/index.jsonl: not a newslab archive folder
    """
    arc = Archive(archive, readonly=True)
    opts = CollectOptions(
        progress=progress,
        dedup=dedup,
        extract_options=extract_options,
    )
    run = _Run(opts, FetchOptions())
    run.archive = arc
    if progress:
        from tqdm.auto import tqdm

        run.bar = tqdm(total=0, unit="page", desc="collect_archive", dynamic_ncols=True)
    try:
        for i, key in enumerate(arc.urls()):
            run.grow(1)
            res, meta = arc.load_meta(key)
            task = _Task((i,), res.url, key, "article", meta)
            path = urlsplit(res.url).path
            kind = _sniff(res) if res.ok else "error"
            if kind == "gzip":
                res = dataclasses.replace(res, body=_gunzip(res.body, 50_000_000) or b"")
                kind = _sniff(res)
            if path == "/robots.txt" or kind in ("feed", "sitemap"):
                if kind == "feed":
                    links = parse_feed(res.body, res.final_url)
                else:
                    links = parse_sitemap(res.body)[0] if kind == "sitemap" else []
                for link, link_meta in links:
                    run.note_feed_date(canonical_url(link), link_meta)
                what = "robots.txt" if path == "/robots.txt" else kind
                run.drop(res.url, "input", f"not-an-article: {what}")
                run.settle(res.url, "input", False, True)
                continue
            run.counts["from_archive"] += 1
            run.seen.setdefault(key, (i,))
            run.note_feed_date(key, meta)
            run.handle_response(task, res, meta, from_archive=True)
    finally:
        run.close()
    corpus = to_corpus(run.finish())
    if dedup and len(corpus):
        from newslab.dedup import flag_near_duplicates

        corpus = flag_near_duplicates(corpus)
    corpus.attrs["log"] = _log_frame(run.log)
    corpus.attrs["summary"] = {
        "articles": len(corpus),
        "from_archive": run.counts["from_archive"],
        "failed": dict(run.failed),
    }
    return corpus


# -- command line -----------------------------------------------------------------------


def add_collect_arguments(p: argparse.ArgumentParser) -> None:
    """Arguments of ``newslab collect``."""
    p.add_argument(
        "inputs",
        nargs="+",
        metavar="URL_OR_FEED",
        help="article URLs, feeds, sitemaps, HTML files/folders, WARC files",
    )
    p.add_argument("--archive", help="WARC archive folder (resume and offline replay)")
    p.add_argument("--out", required=True, help="corpus file to write (.parquet or .jsonl)")
    p.add_argument("--log", help="also write the drop log here (.csv)")
    p.add_argument("--offline", action="store_true", help="replay from --archive, no network")
    p.add_argument(
        "--rps", type=float, default=1.0, help="requests per second per host (default: %(default)s)"
    )
    p.add_argument("--contact", help="your e-mail or URL, sent in the User-Agent")
    p.add_argument("--workers", type=int, default=8, help="hosts fetched at once")
    p.add_argument(
        "--no-robots", action="store_true", help="ignore robots.txt (only for sites you own)"
    )
    p.add_argument("--no-dedup", action="store_true", help="do not flag near-duplicates")
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def main_collect(args: argparse.Namespace) -> int:
    """Run ``newslab collect``; returns the exit code (1 when nothing was collected)."""
    from newslab.corpus import write_corpus

    kwargs: dict[str, Any] = {
        "workers": args.workers,
        "dedup": not args.no_dedup,
        "respect_robots": not args.no_robots,
    }
    if args.contact:
        kwargs["contact"] = args.contact
    try:
        res = collect_detailed(
            args.inputs,
            archive=args.archive,
            offline=args.offline,
            max_per_host_rps=args.rps,
            progress=not args.quiet,
            **kwargs,
        )
    except (ValueError, FileNotFoundError) as exc:
        print(f"newslab collect: {exc}", file=sys.stderr)
        return 2
    corpus = res.corpus.copy()
    corpus.attrs = {}  # the log goes to --log, not into the file's metadata
    write_corpus(corpus, args.out)
    if args.log:
        from newslab.io import atomic_write

        with atomic_write(args.log, "w") as fh:
            res.log.to_csv(fh, index=False)
    print(f"{args.out}: {len(res.corpus)} articles; {format_summary(res.summary)}")
    return 0 if len(res.corpus) else 1


def _main(argv: Sequence[str] | None = None) -> int:  # pragma: no cover - for manual runs
    p = argparse.ArgumentParser(prog="newslab collect")
    add_collect_arguments(p)
    return main_collect(p.parse_args(argv))


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(_main())
