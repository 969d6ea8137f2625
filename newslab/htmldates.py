"""Find an article's publication date in its HTML, and say where it came from.

Sources are tried in a fixed order of trust: JSON-LD (``datePublished``),
OpenGraph / meta tags, ``<time>`` elements, the URL, the visible text. The first
source giving a plausible date wins; a date later than the fetch time (with 14 hours
of slack, for date-only values written in time zones ahead of UTC) or before 1990 is
rejected and the next source is tried. Times without a time zone are read as UTC.

Examples
--------
>>> import lxml.html
>>> tree = lxml.html.fromstring(
...     '<html><head><meta property="article:published_time" content="2023-12-30T18:45:00+02:00">'
...     '</head><body><p>Hi</p></body></html>')
>>> found = find_published(tree, url="https://a.example/2020/01/01/x.html")
>>> str(found.published), found.source
('2023-12-30 16:45:00+00:00', 'meta')
"""

from __future__ import annotations

import datetime as dt
import json
import re
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

__all__ = [
    "DateFound",
    "find_published",
    "parse_date",
    "date_from_url",
    "date_from_text",
    "iter_jsonld",
    "DATE_SOURCES",
]

#: The order of trust of the date sources (``feed`` and ``fetch`` are filled by the collector).
DATE_SOURCES: tuple[str, ...] = ("json-ld", "meta", "time", "url", "text", "feed", "fetch")

_MIN_DATE = pd.Timestamp("1990-01-01", tz="UTC")

# time-zone abbreviations seen in news datelines (hours from UTC); IST read as India
_TZ_ABBREVIATIONS = {
    "UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "BST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3,
    "MSK": 3, "IST": 5.5, "PKT": 5, "ICT": 7, "WIB": 7, "HKT": 8, "SGT": 8, "JST": 9, "KST": 9,
    "AEST": 10, "AEDT": 11, "NZST": 12, "NZDT": 13, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5,
    "MST": -7, "MDT": -6, "PST": -8, "PDT": -7, "AKST": -9, "AKDT": -8, "HST": -10, "BRT": -3,
}  # fmt: skip

# meta names/properties/itemprops carrying a publication date, most specific first
_META_DATE_KEYS = (
    "article:published_time",
    "og:published_time",
    "og:article:published_time",
    "datepublished",
    "published_time",
    "publish-date",
    "publish_date",
    "publishdate",
    "pubdate",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "date",
    "article.published",
    "article_date_original",
    "originalpublicationdate",
    "cxenseparse:recs:publishtime",
    "displaydate",
    "citation_publication_date",
    "citation_date",
)

_ARTICLE_TYPES = {
    "article",
    "newsarticle",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "reviewnewsarticle",
    "backgroundnewsarticle",
    "blogposting",
    "liveblogposting",
    "socialmediaposting",
    "techarticle",
    "scholarlyarticle",
    "report",
    "webpage",
    "creativework",
    "review",
    "recipe",
}

_URL_DATE_RES = (
    re.compile(r"/((?:19|20)\d{2})[/_-](0?[1-9]|1[0-2])[/_-](0?[1-9]|[12]\d|3[01])(?:/|[_-]|$|\.)"),
    re.compile(r"[/_-]((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?:/|[_-]|$|\.)"),
)
# year/month only, e.g. /2019/11/slug: day 1, weaker but still useful
_URL_MONTH_RE = re.compile(r"/((?:19|20)\d{2})/(0[1-9]|1[0-2])/")


@dataclass
class DateFound:
    """The publication date chosen, its source, and every candidate considered.

    Attributes
    ----------
    published : pandas.Timestamp or None
        Tz-aware (UTC) publication time.
    source : str or None
        One of :data:`DATE_SOURCES`.
    candidates : dict
        ``source -> ISO string`` of the first plausible date each source gave.
    rejected : list of str
        Dates dropped, with the reason (e.g. in the future of the fetch time).
    """

    published: pd.Timestamp | None = None
    source: str | None = None
    candidates: dict[str, str] = field(default_factory=dict)
    rejected: list[str] = field(default_factory=list)


def parse_date(value: Any, *, default_tz: dt.tzinfo = dt.UTC) -> pd.Timestamp | None:
    """Parse a date string (ISO 8601 or common free forms) into a UTC timestamp.

    Naive times are taken to be UTC. Returns None when the value is not a date.

    Examples
    --------
    >>> str(parse_date("2023-12-30T18:45:00+02:00"))
    '2023-12-30 16:45:00+00:00'
    >>> str(parse_date("Nov 18, 2019"))
    '2019-11-18 00:00:00+00:00'
    >>> parse_date("not a date") is None, parse_date(pd.NaT) is None
    (True, True)
    """
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, float) and value != value:  # NaN
        return None
    if isinstance(value, pd.Timestamp | dt.datetime | dt.date):
        ts = pd.Timestamp(value)
    else:
        text = str(value).strip()
        if not text or len(text) > 80 or not re.search(r"\d", text):
            return None
        if re.fullmatch(r"\d{10}(\d{3})?", text):  # epoch seconds or milliseconds
            try:
                num = int(text)
                ts = pd.Timestamp(num / 1000 if len(text) == 13 else num, unit="s", tz="UTC")
            except (ValueError, OverflowError):
                return None
        else:
            ts = _parse_text_date(text)
            if ts is None:
                return None
    try:
        if ts.tzinfo is None:
            ts = ts.tz_localize(default_tz)
        return ts.tz_convert("UTC")
    except (ValueError, TypeError, OverflowError):
        return None


def _parse_text_date(text: str) -> pd.Timestamp | None:
    from dateutil import parser as du_parser

    try:
        return pd.Timestamp(dt.datetime.fromisoformat(text.replace("Z", "+00:00")))
    except (ValueError, TypeError):
        pass
    tzinfos = {k: int(v * 3600) for k, v in _TZ_ABBREVIATIONS.items()}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # unknown time-zone names: read as UTC
            parsed = du_parser.parse(
                text, fuzzy=False, default=dt.datetime(1900, 1, 1), tzinfos=tzinfos
            )
    except (ValueError, OverflowError, TypeError):
        return None
    if parsed.year == 1900:  # no year in the string
        return None
    try:
        return pd.Timestamp(parsed)
    except (ValueError, OverflowError):
        return None


def iter_jsonld(tree: Any) -> Iterator[dict]:
    """Yield every JSON-LD object of a parsed page (``@graph`` and lists flattened).

    Malformed blocks are skipped.

    Examples
    --------
    >>> import lxml.html
    >>> t = lxml.html.fromstring('<html><head><script type="application/ld+json">'
    ...     '{"@graph": [{"@type": "NewsArticle", "headline": "H"}]}</script></head></html>')
    >>> [o["headline"] for o in iter_jsonld(t)]
    ['H']
    """
    for script in tree.xpath('//script[contains(translate(@type, "LDJSON", "ldjson"), "ld+json")]'):
        raw = (script.text or "").strip()
        if not raw:
            continue
        try:
            data = json.loads(raw)
        except ValueError:
            try:  # common breakage: raw control characters inside strings
                data = json.loads(re.sub(r"[\x00-\x1f]+", " ", raw))
            except ValueError:
                continue
        yield from _flatten_jsonld(data)


def _flatten_jsonld(data: Any, depth: int = 0) -> Iterator[dict]:
    if depth > 5:
        return
    if isinstance(data, list):
        for item in data:
            yield from _flatten_jsonld(item, depth + 1)
    elif isinstance(data, dict):
        if set(data) - {"@context", "@graph"}:
            yield data
        graph = data.get("@graph")
        if graph is not None:
            yield from _flatten_jsonld(graph, depth + 1)
        main = data.get("mainEntity")
        if isinstance(main, dict | list):
            yield from _flatten_jsonld(main, depth + 1)


def jsonld_types(obj: dict) -> set[str]:
    """Lower-cased ``@type`` values of a JSON-LD object."""
    types = obj.get("@type") or []
    if isinstance(types, str):
        types = [types]
    return {str(t).lower().rsplit("/", 1)[-1] for t in types if t}


def article_jsonld(objects: Iterable[dict]) -> list[dict]:
    """The JSON-LD objects that describe an article, most specific types first."""
    objs = [o for o in objects if jsonld_types(o) & _ARTICLE_TYPES]

    def rank(o: dict) -> int:
        t = jsonld_types(o)
        return 2 if t & {"webpage", "creativework"} else (0 if "datePublished" in o else 1)

    return sorted(objs, key=rank)


def _meta_candidates(tree: Any) -> Iterator[str]:
    found: dict[str, str] = {}
    for el in tree.xpath("//meta[@content]"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        if key in _META_DATE_KEYS and key not in found:
            found[key] = el.get("content") or ""
    for el in tree.xpath('//*[@itemprop="datePublished"]'):
        val = el.get("content") or el.get("datetime")
        if val and "datepublished" not in found:
            found["datepublished"] = val
    for key in _META_DATE_KEYS:
        if key in found:
            yield found[key]


def _time_candidates(tree: Any) -> Iterator[str]:
    times = tree.xpath("//time[@datetime]")

    def score(el: Any) -> int:
        attrs = " ".join(
            (el.get(a) or "") for a in ("class", "itemprop", "pubdate", "id", "data-testid")
        ).lower()
        if el.get("pubdate") is not None or "publish" in attrs or "pubdate" in attrs:
            return 0
        if "modif" in attrs or "update" in attrs:
            return 2
        return 1

    for el in sorted(times, key=score):
        yield el.get("datetime") or ""


def date_from_url(url: str | None) -> pd.Timestamp | None:
    """Find a ``/YYYY/MM/DD/`` (or ``YYYY-MM-DD``, ``YYYYMMDD``) date in a URL path.

    Examples
    --------
    >>> str(date_from_url("https://a.example/news/2019/11/18/story.html"))
    '2019-11-18 00:00:00+00:00'
    >>> date_from_url("https://a.example/about") is None
    True
    """
    if not url:
        return None
    path = re.sub(r"^[a-z]+://[^/]+", "", str(url), flags=re.I).split("?", 1)[0]
    for pattern in _URL_DATE_RES:
        m = pattern.search(path)
        if m:
            try:
                return pd.Timestamp(int(m.group(1)), int(m.group(2)), int(m.group(3)), tz="UTC")
            except ValueError:
                continue
    m = _URL_MONTH_RE.search(path)
    if m:
        return pd.Timestamp(int(m.group(1)), int(m.group(2)), 1, tz="UTC")
    return None


def date_from_text(text: str | None, *, max_chars: int = 3000) -> pd.Timestamp | None:
    """The first full date (day, month, year) written in the start of a text.

    Examples
    --------
    >>> str(date_from_text("Posted on 30 December 2023 by Ann. Body..."))
    '2023-12-30 00:00:00+00:00'
    """
    if not text:
        return None
    from newslab.text import find_dates

    for mention in find_dates(text[:max_chars]):
        if mention.date is not None and mention.year_explicit and mention.granularity == "day":
            return pd.Timestamp(mention.date, tz="UTC")
    return None


def find_published(
    tree: Any,
    url: str | None = None,
    *,
    fetched_at: Any = None,
    jsonld: list[dict] | None = None,
    visible_text: str | Callable[[], str] | None = None,
) -> DateFound:
    """Choose the publication date of a page, trying sources in order of trust.

    Parameters
    ----------
    tree : lxml.html.HtmlElement
        The parsed page.
    url : str, optional
        The page URL (a date in its path is the fourth source).
    fetched_at : datetime-like, optional
        When the page was fetched; later dates are rejected. Default: now.
    jsonld : list of dict, optional
        Already parsed JSON-LD objects (parsed from ``tree`` when None).
    visible_text : str or callable, optional
        Text to search last (e.g. the byline area and start of the body); a callable
        is called only when no other source gave a date.

    Returns
    -------
    DateFound
    """
    limit = parse_date(fetched_at) if fetched_at is not None else None
    if limit is None:
        limit = pd.Timestamp.now(tz="UTC")
    # a page fetched "today" may carry today's date in a later time zone
    limit = limit + pd.Timedelta(hours=14)
    found = DateFound()
    if jsonld is None:
        jsonld = list(iter_jsonld(tree))

    def jsonld_values() -> Iterator[str]:
        for obj in article_jsonld(jsonld):
            for key in ("datePublished", "dateCreated", "uploadDate"):
                if obj.get(key):
                    yield obj[key]

    sources: list[tuple[str, Any]] = [
        ("json-ld", jsonld_values()),
        ("meta", _meta_candidates(tree)),
        ("time", _time_candidates(tree)),
        ("url", iter([date_from_url(url)])),
    ]
    for source, values in sources:
        for raw in values:
            ts = parse_date(raw)
            if ts is None:
                continue
            if ts > limit:
                found.rejected.append(f"{source}: {ts.isoformat()} is after the fetch time")
                continue
            if ts < _MIN_DATE:
                found.rejected.append(f"{source}: {ts.isoformat()} is implausibly old")
                continue
            found.candidates.setdefault(source, ts.isoformat())
            if found.published is None:
                found.published, found.source = ts, source
            break
    if found.published is None and visible_text is not None:
        text = visible_text() if callable(visible_text) else visible_text
        ts = date_from_text(text)
        if ts is not None and _MIN_DATE <= ts <= limit:
            found.candidates["text"] = ts.isoformat()
            found.published, found.source = ts, "text"
        elif ts is not None:
            found.rejected.append(f"text: {ts.isoformat()} is outside 1990..fetch time")
    return found
