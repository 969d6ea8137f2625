"""The bundled sample corpus: six fictional news sites served locally, plus gold labels.

``data/sample/site/<outlet>/`` holds a static mirror of each outlet (rendered by
``data/sample/build_site.py``); :func:`serve_sample` serves every outlet as its own host on
127.0.0.1, so crawlers, robots.txt handling, feeds and extractors can be exercised without
network access. ``gold.json`` gives the story of every article and ``summaries/`` holds
hand-written summaries with planted defects.

Examples
--------
>>> gold = load_gold()
>>> list(gold.columns)
['key', 'url', 'path', 'outlet', 'story', 'published']
>>> pages = sample_pages()
>>> len(pages) == len(gold)
True
"""

from __future__ import annotations

import json
import os
import posixpath
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import unquote, urlsplit

import pandas as pd

from newslab.corpus import canonical_url
from newslab.paths import sample_dir

__all__ = [
    "SampleSite",
    "serve_sample",
    "run_sample_server",
    "load_gold",
    "gold_labels",
    "load_summaries",
    "sample_pages",
    "DEFECT_KINDS",
]

DEFECT_KINDS: tuple[str, ...] = (
    "number",
    "time_inconsistency",
    "stale_reference",
    "quote",
    "attribution",
    "unsupported_claim",
    "merged_event",
)
_GOLD_COLUMNS = ["key", "url", "path", "outlet", "story", "published"]
_SUMMARY_COLUMNS = ["id", "story", "dateline", "text", "faithful", "sentences", "defects"]
_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".json": "application/json",
    ".css": "text/css; charset=utf-8",
}
_FEED_TYPES = {
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
}


def _site_dir(site_dir: str | os.PathLike | None) -> Path:
    return Path(site_dir) if site_dir is not None else sample_dir() / "site"


def _manifest(site_dir: Path) -> dict[str, Any]:
    path = site_dir / "manifest.json"
    if not path.is_file():
        raise FileNotFoundError(
            f"no sample site at {site_dir} (missing manifest.json); "
            "build it with: python data/sample/build_site.py"
        )
    return json.loads(path.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- server


class _OutletServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], root: Path, feed: Mapping[str, str]):
        super().__init__(address, _Handler)
        self.root = root.resolve()
        self.feed_path = feed.get("path", "")
        self.feed_type = _FEED_TYPES.get(feed.get("type", ""), _TYPES[".xml"])
        self.replacements: dict[str, str] = {}  # canonical origin -> served origin


class _Handler(BaseHTTPRequestHandler):
    server: _OutletServer
    server_version = "newslab-sample/1.0"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet server
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server naming
        self._serve(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve(send_body=False)

    def _resolve(self, url_path: str) -> tuple[Path | None, str | None]:
        """Return (file, None), or (None, redirect target), or (None, None) for 404."""
        parts = [p for p in url_path.split("/") if p]
        if any(p in (".", "..") or "\\" in p or "\0" in p for p in parts):
            return None, None
        base = self.server.root.joinpath(*parts)
        if url_path.endswith("/"):
            candidates = [base / "index.html"]
        else:
            candidates = [base, base.with_name(base.name + ".html")] if parts else []
        for cand in candidates:
            if cand.is_file():
                return cand, None
        if parts and base.is_dir() and (base / "index.html").is_file():
            return None, url_path + "/"
        return None, None

    def _serve(self, send_body: bool) -> None:
        url_path = posixpath.normpath(unquote(urlsplit(self.path).path))
        if self.path.split("?")[0].endswith("/") and not url_path.endswith("/"):
            url_path += "/"
        file, redirect = self._resolve(url_path)
        if redirect:
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", redirect)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if file is None:
            body = b"<!DOCTYPE html><title>404 Not Found</title><h1>Not Found</h1>"
            self.send_response(HTTPStatus.NOT_FOUND)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if send_body:
                self.wfile.write(body)
            return
        data = file.read_bytes()
        suffix = file.suffix.lower()
        if url_path == self.server.feed_path:
            ctype = self.server.feed_type
        else:
            ctype = _TYPES.get(suffix, "application/octet-stream")
        if suffix in (".xml", ".txt") and self.server.replacements:
            # Feeds, sitemaps and robots.txt name absolute canonical URLs; point them at the
            # local servers so a crawler can follow them. HTML keeps its canonical links.
            text = data.decode("utf-8")
            for origin, served in self.server.replacements.items():
                text = text.replace(origin, served)
            data = text.encode("utf-8")
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if send_body:
            self.wfile.write(data)


@dataclass
class SampleSite:
    """Running local servers for the sample outlets; use as a context manager.

    Attributes
    ----------
    outlets : dict
        Outlet slug -> base URL (``http://127.0.0.1:PORT``, no trailing slash).
    names : dict
        Outlet slug -> outlet name.
    domains : dict
        Canonical origin (``https://harbourgazette.example``) -> served base URL.
    feeds, homepages, sitemaps, robots : list of str
        Served URLs, in outlet-slug order.
    articles : dict
        Article key (``<outlet>--<slug>``) -> served URL.
    site_dir : Path
        The folder being served.

    Examples
    --------
    >>> key = next(k for k in load_gold().key if k.startswith("metro-wire--"))
    >>> with serve_sample() as site:
    ...     served = site.url_for(key)
    ...     canonical = site.canonical(served)
    ...     assert site.served_url(canonical) == served
    >>> served.startswith("http://127.0.0.1:"), canonical.startswith("https://metrowire.example/news/")
    (True, True)
    """

    outlets: dict[str, str]
    names: dict[str, str]
    domains: dict[str, str]
    feeds: list[str]
    homepages: list[str]
    sitemaps: list[str]
    robots: list[str]
    articles: dict[str, str]
    site_dir: Path
    _servers: list[_OutletServer] = field(default_factory=list, repr=False)
    _threads: list[threading.Thread] = field(default_factory=list, repr=False)

    def url_for(self, key: str) -> str:
        """Return the served URL of article ``key`` (``<outlet-slug>--<slug>``).

        Raises
        ------
        KeyError
            If no article has that key.
        """
        try:
            return self.articles[key]
        except KeyError:
            raise KeyError(f"no sample article with key {key!r}") from None

    def served_url(self, url: str) -> str:
        """Map a canonical ``https://<domain>/path`` URL to the local server serving it."""
        for origin, base in self.domains.items():
            if url == origin or url.startswith(origin + "/"):
                return base + url[len(origin) :]
        raise KeyError(f"{url!r} is not on a sample outlet's domain")

    def canonical(self, url: str) -> str:
        """Map a served URL back to its canonical ``https://<domain>/path`` form."""
        for origin, base in self.domains.items():
            if url == base or url.startswith(base + "/"):
                return origin + url[len(base) :]
        raise KeyError(f"{url!r} is not served by this SampleSite")

    def __repr__(self) -> str:
        state = "running" if self._servers else "closed"
        return f"<SampleSite {len(self.outlets)} outlets, {len(self.articles)} articles, {state}>"

    def close(self) -> None:
        """Stop every server (idempotent)."""
        for server in self._servers:
            server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._servers.clear()
        self._threads.clear()

    def __enter__(self) -> SampleSite:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def serve_sample(
    site_dir: str | os.PathLike | None = None,
    host: str = "127.0.0.1",
    *,
    rewrite_links: bool = True,
) -> SampleSite:
    """Serve each sample outlet as its own host: one HTTP server per outlet on a free port.

    Each outlet's folder ``site/<slug>/`` is the document root, so ``/robots.txt`` is the
    outlet's own. ``/a/b`` also serves ``a/b.html`` and ``/a/b/`` serves ``a/b/index.html``;
    missing files give 404. Servers run in daemon threads and log nothing.

    Parameters
    ----------
    site_dir : path, optional
        A rendered site (default ``sample_dir() / "site"``).
    host : str
        Address to bind (``127.0.0.1``; other loopback addresses work too).
    rewrite_links : bool
        Rewrite the canonical ``https://<domain>`` origins inside feeds, sitemaps and
        robots.txt to the served base URLs, so they can be followed. HTML pages are served
        verbatim: their ``<link rel="canonical">`` keeps the stable corpus URL.

    Returns
    -------
    SampleSite
        Close it (or use ``with``) to stop the servers.

    Examples
    --------
    >>> import urllib.request
    >>> opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    >>> with serve_sample() as site:
    ...     robots = opener.open(site.outlets["metro-wire"] + "/robots.txt").read().decode()
    ...     page = opener.open(site.url_for(load_gold().key[0]))
    >>> "Crawl-delay: 1" in robots, page.headers["Content-Type"]
    (True, 'text/html; charset=utf-8')
    """
    root = _site_dir(site_dir)
    manifest = _manifest(root)
    servers: list[_OutletServer] = []
    try:
        for entry in manifest["outlets"]:
            doc_root = root / entry["slug"]
            if not doc_root.is_dir():
                raise FileNotFoundError(f"outlet folder {doc_root} is missing; rebuild the site")
            servers.append(_OutletServer((host, 0), doc_root, entry.get("feed") or {}))
    except BaseException:
        for server in servers:
            server.server_close()
        raise
    outlets, names, domains = {}, {}, {}
    feeds, homepages, sitemaps, robots = [], [], [], []
    for entry, server in zip(manifest["outlets"], servers, strict=True):
        bound_host, port = server.server_address[:2]
        base = f"http://{bound_host}:{port}"
        outlets[entry["slug"]] = base
        names[entry["slug"]] = entry["name"]
        domains[f"https://{entry['domain']}"] = base
        homepages.append(base + entry.get("homepage", "/"))
        robots.append(base + "/robots.txt")
        if entry.get("feed"):
            feeds.append(base + entry["feed"]["path"])
        if entry.get("sitemap"):
            sitemaps.append(base + entry["sitemap"])
    articles = {a["key"]: outlets[a["outlet"]] + a["url_path"] for a in manifest["articles"]}
    threads = []
    for server in servers:
        if rewrite_links:
            server.replacements = dict(domains)
        thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.1},
            name=f"sample-server-{server.root.name}",
            daemon=True,
        )
        thread.start()
        threads.append(thread)
    return SampleSite(
        outlets=outlets,
        names=names,
        domains=domains,
        feeds=feeds,
        homepages=homepages,
        sitemaps=sitemaps,
        robots=robots,
        articles=articles,
        site_dir=root,
        _servers=servers,
        _threads=threads,
    )


def run_sample_server(
    site_dir: str | os.PathLike | None = None,
    host: str = "127.0.0.1",
    *,
    stop: threading.Event | None = None,
) -> None:
    """Serve the sample outlets, print their URLs, and block until Ctrl-C (or ``stop`` is set).

    For demos and a ``newslab sample-serve`` command.

    Examples
    --------
    >>> done = threading.Event()
    >>> done.set()
    >>> run_sample_server(stop=done)  # doctest: +ELLIPSIS
    daily-ledger      http://127.0.0.1:.../  feed http://127.0.0.1:.../feed.xml
    ...
    """
    stop = stop or threading.Event()
    with serve_sample(site_dir, host) as site:
        feeds = {urlsplit(f).netloc: f for f in site.feeds}
        for slug, base in site.outlets.items():
            print(f"{slug:<17} {base}/  feed {feeds.get(urlsplit(base).netloc, '-')}")
        try:
            while not stop.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass


# --------------------------------------------------------------------------- gold & pages


def load_gold(path: str | os.PathLike | None = None) -> pd.DataFrame:
    """Load the gold story labels of the sample articles.

    Parameters
    ----------
    path : path, optional
        A ``gold.json`` (default ``sample_dir() / "gold.json"``).

    Returns
    -------
    pandas.DataFrame
        Columns ``key``, ``url`` (canonical), ``path`` (relative to ``site/``), ``outlet``
        (name), ``story`` (``None`` for stand-alone articles) and ``published`` (UTC),
        sorted by key.

    Examples
    --------
    >>> gold = load_gold()
    >>> bool(gold.story.notna().any() and gold.story.isna().any())
    True
    """
    path = Path(path) if path is not None else sample_dir() / "gold.json"
    if not path.is_file():
        raise FileNotFoundError(f"gold file {path} not found; run data/sample/build_site.py")
    data = json.loads(path.read_text(encoding="utf-8"))
    rows = data.get("articles")
    if not isinstance(rows, list):
        raise ValueError(f"{path}: expected an 'articles' list")
    df = pd.DataFrame(rows, columns=_GOLD_COLUMNS).astype(object)
    df["story"] = df["story"].where(df["story"].notna(), None)
    df["published"] = pd.to_datetime(df["published"], utc=True).astype("datetime64[ns, UTC]")
    return df.sort_values("key", kind="stable").reset_index(drop=True)


def gold_labels(
    df: pd.DataFrame, gold: pd.DataFrame | None = None, *, solo: bool = False
) -> pd.Series:
    """Gold story label for each row of a corpus table, matched on the canonical ``url``.

    Parameters
    ----------
    df : DataFrame
        Needs a ``url`` column (canonical URLs, as in the corpus table).
    gold : DataFrame, optional
        From :func:`load_gold` (loaded by default).
    solo : bool
        Give each stand-alone article its own singleton label ``solo:<key>`` instead of
        ``None`` (handy for clustering metrics that need a label on every item).

    Returns
    -------
    pandas.Series
        Same index as ``df``, named ``story``. Rows whose URL is not a sample article
        (section pages, foreign pages) get ``None``.

    Examples
    --------
    >>> import pandas as pd
    >>> gold = load_gold()
    >>> standalone = gold[gold.story.isna()].iloc[0]
    >>> corpus = pd.DataFrame({"url": [standalone.url, "https://elsewhere.example/x"]})
    >>> gold_labels(corpus).tolist()
    [None, None]
    >>> gold_labels(corpus, solo=True)[0] == "solo:" + standalone.key
    True
    """
    if "url" not in df.columns:
        raise ValueError("gold_labels needs a 'url' column in the corpus table")
    gold = load_gold() if gold is None else gold
    labels = gold["story"].astype(object).copy()
    if solo:
        labels = labels.where(labels.notna(), "solo:" + gold["key"].astype(str))
    by_url = dict(zip(gold["url"].map(canonical_url), labels, strict=True))
    out = [by_url.get(canonical_url(u)) if isinstance(u, str) else None for u in df["url"].tolist()]
    return pd.Series(out, index=df.index, name="story", dtype=object)


def sample_pages(site_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """List the article pages of a rendered site, for offline extraction (no server).

    Parameters
    ----------
    site_dir : path, optional
        A rendered site (default ``sample_dir() / "site"``).

    Returns
    -------
    pandas.DataFrame
        Columns ``key``, ``outlet`` (slug), ``path`` (absolute file path, str) and ``url``
        (canonical), sorted by key.

    Examples
    --------
    >>> pages = sample_pages()
    >>> html = open(pages.path[0], encoding="utf-8").read()
    >>> f'rel="canonical" href="{pages.url[0]}"' in html
    True
    """
    root = _site_dir(site_dir)
    rows = [
        {
            "key": a["key"],
            "outlet": a["outlet"],
            "path": str((root / a["file"]).resolve()),
            "url": a["url"],
        }
        for a in _manifest(root)["articles"]
    ]
    df = pd.DataFrame(rows, columns=["key", "outlet", "path", "url"]).astype(object)
    return df.sort_values("key", kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- summaries


def load_summaries(path: str | os.PathLike | None = None) -> pd.DataFrame:
    """Load the hand-written sample summaries (``summaries/*.json``).

    Parameters
    ----------
    path : path, optional
        Folder of summary JSON files (default ``sample_dir() / "summaries"``).

    Returns
    -------
    pandas.DataFrame
        Columns ``id``, ``story``, ``dateline``, ``text``, ``faithful`` (bool),
        ``sentences`` (list of ``{"text", "sources"}``), ``defects`` (list of
        ``{"kind", "span", "note"}``), then any extra fields (``style``), sorted by id.

    Raises
    ------
    ValueError
        Naming the file and the missing field or the unknown defect kind.

    Examples
    --------
    >>> summaries = load_summaries()
    >>> list(summaries.columns[:7])
    ['id', 'story', 'dateline', 'text', 'faithful', 'sentences', 'defects']
    >>> bool(summaries.defects.map(len).max() <= 2)
    True
    """
    folder = Path(path) if path is not None else sample_dir() / "summaries"
    if not folder.is_dir():
        raise FileNotFoundError(f"summaries folder {folder} not found")
    rows = []
    for fp in sorted(folder.glob("*.json")):
        try:
            rec = json.loads(fp.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ValueError(f"summary file {fp.name} is not valid JSON: {exc}") from None
        missing = [c for c in _SUMMARY_COLUMNS if c not in rec]
        if missing:
            raise ValueError(f"summary file {fp.name} lacks field(s): {', '.join(missing)}")
        bad = [d.get("kind") for d in rec["defects"] if d.get("kind") not in DEFECT_KINDS]
        if bad:
            raise ValueError(f"summary file {fp.name} has unknown defect kind(s): {bad}")
        rows.append(rec)
    extra = sorted({k for r in rows for k in r} - set(_SUMMARY_COLUMNS))
    df = pd.DataFrame(rows, columns=_SUMMARY_COLUMNS + extra).astype(object)
    df["faithful"] = df["faithful"].astype(bool)
    return df.sort_values("id", kind="stable").reset_index(drop=True)
