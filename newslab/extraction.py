"""Article extraction: title, authors, date, body text, language, outlet from one HTML page.

The body text combines several extractors and votes at paragraph level:

1. trafilatura in *recall* mode gives the candidate paragraphs (it rarely misses body text);
2. trafilatura in *precision* mode and, when the two disagree or the text is short,
   newspaper (newspaper4k, or newspaper3k) vote on them: a paragraph is kept when at
   least one other extractor also found it (4-token shingle overlap >= 0.5);
3. a leading run of paragraphs that newspaper did not find (kicker, headline, date
   line) is trimmed when it is small, and paragraphs that only newspaper found
   *between* agreed paragraphs (e.g. link-only "Buy it at ..." lines) are inserted
   where they belong;
4. page furniture any extractor may keep is dropped: headline repeats, promo lines
   ("READ MORE: ...", "MOST READ"), empty-cell table rows at the edges, short trailing
   credits naming the outlet.

These are general rules (agreement, position, link text), not per-site templates.
``extraction_quality`` reports how much the extractors agreed.

Metadata comes from JSON-LD, OpenGraph / meta tags, ``<time>``, the URL and the visible
text, in that order of trust (see :mod:`newslab.htmldates`). Nothing is ever fetched:
images are not downloaded and newspaper runs with ``fetch_images=False`` on the HTML
given.

Examples
--------
>>> html = '''<html lang="en"><head><title>Rain returns - The Daily Example</title>
... <meta property="og:site_name" content="The Daily Example">
... <meta property="article:published_time" content="2023-12-30T18:45:00+02:00">
... <meta name="author" content="By Jane Doe"></head><body><article>
... <h1>Rain returns</h1>
... <p>Heavy rain returned to the coast on Saturday, flooding roads and closing two schools
... in the northern districts, officials said.</p>
... <p>Forecasters expect the storm to move inland overnight, bringing strong winds and
... more rain to the valleys before it clears on Monday morning.</p></article></body></html>'''
>>> opts = ExtractOptions(min_text_words=10)
>>> art = extract(html, url="https://daily.example/2023/12/30/rain.html", options=opts)
>>> art.title, art.outlet, art.authors, art.date_source, art.language
('Rain returns', 'The Daily Example', ['Jane Doe'], 'meta', 'en')
>>> str(art.published)
'2023-12-30 16:45:00+00:00'
>>> print(art.text.split("\\n\\n")[1][:40])
Forecasters expect the storm to move inl
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import dataclasses
import hashlib
import io
import json
import logging
import re
import sys
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import pandas as pd

from newslab.htmldates import article_jsonld, find_published, iter_jsonld, jsonld_types, parse_date
from newslab.language import detect_language, normalize_language

__all__ = [
    "Article",
    "ExtractOptions",
    "ExtractionError",
    "NotAnArticleError",
    "extract",
    "bare_extraction",
    "extract_many",
    "clean_authors",
    "main_extract",
]

_TOKEN_RE = re.compile(r"\w+")
_BOILERPLATE_LINES = {
    "advertisement",
    "advertising",
    "ad",
    "sponsored",
    "this slideshow requires javascript.",
    "continue reading",
    "read more",
    "share",
    "share this",
    "story continues below advertisement",
}
# recirculation / promo lines that sit inside article bodies
_PROMO_LINE = re.compile(
    r"^\W*(?:read more|read next|related|related articles?|see also|also read|more|more from\b.*|"
    r"most read|most popular|trending|recommended|you (?:may|might) also like|watch|listen|"
    r"sign up\b.*|subscribe\b.*|advertisement|sponsored(?: content)?)\W*(?:$|:)",
    re.I,
)
_HTML_HINT = re.compile(
    rb"<\s*(?:!doctype\s+html|html|head|body|p|div|article|title|meta|span|h[1-6]|section|main|br|a)\b",
    re.I,
)


class ExtractionError(Exception):
    """Base class of every error :func:`extract` raises.

    Attributes
    ----------
    reason : str
        Why extraction failed, in words.
    url : str or None
        The page URL, when known.
    """

    def __init__(self, reason: str, url: str | None = None):
        self.reason = reason
        self.url = url
        super().__init__(f"{reason} ({url})" if url else reason)


class NotAnArticleError(ExtractionError):
    """The input is not an article page: empty, binary, not HTML, an index page, too short."""


@dataclass
class ExtractOptions:
    """Settings of :func:`extract`.

    Parameters
    ----------
    extractors : tuple of str
        Body extractors to combine, among ``"trafilatura"`` and ``"newspaper"``.
    newspaper : {"auto", "always", "never"}
        When newspaper runs: ``"auto"`` only when the trafilatura runs disagree on more
        than ``disagreement`` of the tokens or the text is short (keeps extraction
        under 3x trafilatura's time); ``"always"`` on every page (slower, slightly
        better boundaries).
    favor : {"balanced", "precision", "recall"}
        ``"precision"`` keeps only paragraphs every extractor found; ``"recall"`` keeps
        every candidate paragraph; ``"balanced"`` keeps those found by two extractors.
    min_text_words : int
        Pages with a shorter body raise :class:`NotAnArticleError` ("too short").
    short_text_words : int
        Bodies under this many words are flagged ``extraction_quality="short"``.
    language : str, optional
        Force this language instead of detecting it.
    max_link_text_share : float
        A page whose body is mostly teasers (paragraphs starting with a link's text) is
        an index page even if it declares article metadata; without such metadata
        0.4 (two teasers or more) or 0.6 (one) is enough.
    disagreement : float
        Share of candidate tokens the trafilatura runs disagree on above which
        newspaper is consulted (in ``"auto"`` mode).
    support : float
        Shingle overlap above which an extractor "found" a paragraph.
    head_trim : float
        Largest share of the body a leading run of paragraphs unknown to newspaper
        may have and still be trimmed as page furniture.
    include_tables : bool
        Keep table text in the body (trafilatura's option).
    check_index : bool
        Run the index-page test.
    drop_standfirst : bool
        Drop a leading paragraph that repeats the page's description (the dek or
        standfirst). Off by default: annotated benchmarks count it as body text.
    trafilatura_fallbacks : bool
        Let trafilatura also run its readability / jusText fallbacks (slower; the
        vote with the other extractors plays that role by default).
    """

    extractors: tuple[str, ...] = ("trafilatura", "newspaper")
    newspaper: str = "auto"
    favor: str = "balanced"
    min_text_words: int = 50
    short_text_words: int = 150
    language: str | None = None
    max_link_text_share: float = 0.95
    disagreement: float = 0.2
    support: float = 0.5
    head_trim: float = 0.15
    include_tables: bool = True
    check_index: bool = True
    trafilatura_fallbacks: bool = False
    drop_standfirst: bool = False

    def __post_init__(self) -> None:
        if isinstance(self.extractors, str):
            self.extractors = (self.extractors,)
        self.extractors = tuple(self.extractors)
        unknown = set(self.extractors) - {"trafilatura", "newspaper"}
        if unknown or not self.extractors:
            raise ValueError(
                f"ExtractOptions.extractors must be among 'trafilatura', 'newspaper'; got {self.extractors!r}"
            )
        if self.newspaper not in ("auto", "always", "never"):
            raise ValueError(
                f"ExtractOptions.newspaper must be auto/always/never, not {self.newspaper!r}"
            )
        if self.favor not in ("balanced", "precision", "recall"):
            raise ValueError(
                f"ExtractOptions.favor must be balanced/precision/recall, not {self.favor!r}"
            )


@dataclass
class Article:
    """One extracted article. :meth:`to_record` gives a corpus-table row.

    Attributes
    ----------
    url : str or None
        Canonical URL when the page declares one, else the URL given.
    fetched_url : str or None
        The URL given to :func:`extract`.
    published : pandas.Timestamp or None
        Tz-aware UTC publication time; ``date_source`` says where it came from.
    extraction_quality : str
        ``"agree"`` (extractors agree), ``"disagree"``, ``"short"`` or ``"single"``
        (only one extractor produced text).
    """

    url: str | None
    fetched_url: str | None
    title: str | None
    authors: list[str]
    published: pd.Timestamp | None
    date_source: str | None
    text: str
    language: str | None
    outlet: str | None
    top_image: str | None
    extraction_quality: str
    extractor: str
    fetched_at: pd.Timestamp | None = None
    description: str | None = None
    candidates: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def id(self) -> str:
        """Corpus id: :func:`newslab.corpus.make_id` of the URL (a text hash without URL)."""
        if self.url:
            from newslab.corpus import make_id

            return make_id(self.url)
        return hashlib.sha1(self.text.encode("utf-8")).hexdigest()[:16]

    def to_record(self) -> dict[str, Any]:
        """Return the corpus columns as a dict (see :mod:`newslab.corpus`).

        Examples
        --------
        >>> art = Article("https://a.example/x", None, "T", [], None, None, "Body", "en",
        ...               "a.example", None, "short", "trafilatura")
        >>> sorted(art.to_record())[:5]
        ['authors', 'date_source', 'extraction_quality', 'extractor', 'fetched_at']
        """
        return {
            "id": self.id,
            "url": self.url,
            "fetched_url": self.fetched_url,
            "outlet": self.outlet,
            "title": self.title,
            "authors": list(self.authors),
            "published": self.published,
            "date_source": self.date_source,
            "text": self.text,
            "language": self.language,
            "fetched_at": self.fetched_at,
            "extractor": self.extractor,
            "top_image": self.top_image,
            "extraction_quality": self.extraction_quality,
        }


# --------------------------------------------------------------------------- input


def _decode(html: str | bytes | bytearray) -> str:
    """Bytes -> text, or raise NotAnArticleError for empty / binary / non-HTML input."""
    if html is None:
        raise NotAnArticleError("empty input")
    if isinstance(html, str):
        raw_head = html[:20000].encode("utf-8", "replace")
        text = html
    elif isinstance(html, bytes | bytearray | memoryview):
        data = bytes(html)
        if not data.strip():
            raise NotAnArticleError("empty input")
        head = data[:4096]
        if head.startswith((b"\x1f\x8b", b"PK\x03\x04", b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8")):
            raise NotAnArticleError("binary content (compressed file, PDF or image), not HTML")
        if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise NotAnArticleError("binary content (NUL bytes), not HTML")
        raw_head = data[:20000]
        text = _bytes_to_text(data)
    else:
        raise NotAnArticleError(f"input must be str or bytes, not {type(html).__name__}")
    if not text.strip():
        raise NotAnArticleError("empty input")
    controls = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > 0.05 * min(len(text), 4096):
        raise NotAnArticleError("binary content (control characters), not HTML")
    if not _HTML_HINT.search(raw_head):
        raise NotAnArticleError("not HTML (no HTML tags found)")
    return text


def _bytes_to_text(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    m = re.search(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_.:-]+)""", data[:4096], re.I)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if m:
        with contextlib.suppress(LookupError, UnicodeDecodeError):
            return data.decode(m.group(1).decode("ascii"))
    import charset_normalizer

    best = charset_normalizer.from_bytes(data[:200000]).best()
    if best is not None and best.encoding:
        with contextlib.suppress(LookupError):
            return data.decode(best.encoding, "replace")
    return data.decode("latin-1")


def _parse_tree(text: str):
    import lxml.html
    from lxml import etree

    cleaned = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)  # lxml refuses str with an XML declaration
    try:
        return lxml.html.document_fromstring(cleaned)
    except (etree.ParserError, ValueError, TypeError) as exc:
        raise NotAnArticleError(f"unparseable HTML ({exc})") from None


# --------------------------------------------------------------------------- paragraphs


def _tokens(text: str | None) -> list[str]:
    return _TOKEN_RE.findall(text or "")


def _shingles(tokens: list[str]) -> collections.Counter:
    if not tokens:
        return collections.Counter()
    if len(tokens) < 4:
        return collections.Counter([tuple(tokens)])
    return collections.Counter(tuple(tokens[i : i + 4]) for i in range(len(tokens) - 3))


def _paragraphs(text: str | None) -> list[str]:
    return [p.strip() for p in re.split(r"\n+", text or "") if p.strip()]


class _Voter:
    """Answers: how much of a paragraph does this extractor's text contain?"""

    def __init__(self, text: str | None):
        self.tokens = _tokens(text)
        self.shingles = _shingles(self.tokens)
        self.joined = " " + " ".join(self.tokens) + " "

    def __bool__(self) -> bool:
        return bool(self.tokens)

    def support(self, paragraph: str) -> float:
        toks = _tokens(paragraph)
        if not toks:
            return 1.0
        if len(toks) < 4:
            return 1.0 if (" " + " ".join(toks) + " ") in self.joined else 0.0
        sh = _shingles(toks)
        return sum(min(c, self.shingles.get(k, 0)) for k, c in sh.items()) / sum(sh.values())


def _n_words(paragraphs: list[str]) -> int:
    return sum(len(_tokens(p)) for p in paragraphs)


# --------------------------------------------------------------------------- extractors


def _run_trafilatura(text: str, url: str | None, mode: str, options: ExtractOptions) -> str:
    import trafilatura

    kwargs: dict[str, Any] = {
        "url": url,
        "include_comments": False,
        "include_tables": options.include_tables,
        "output_format": "txt",
    }
    if mode == "precision":
        kwargs["favor_precision"] = True
    else:
        kwargs["favor_recall"] = True
    if not options.trafilatura_fallbacks:
        kwargs["no_fallback"] = True
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            out = trafilatura.extract(text, **kwargs)
        except TypeError:  # older trafilatura without some keyword
            kwargs.pop("no_fallback", None)
            out = trafilatura.extract(text, **kwargs)
    return out or ""


def _run_newspaper(text: str, url: str | None) -> dict[str, Any]:
    """newspaper4k or newspaper3k on the given HTML; never fetches anything."""
    import newspaper

    art = newspaper.Article(url or "", fetch_images=False)
    art.config.fetch_images = False
    art.download(input_html=text)  # same call in newspaper3k and newspaper4k; no network
    art.parse()
    return {
        "text": art.text or "",
        "title": art.title or None,
        "authors": list(art.authors or []),
        "top_image": getattr(art, "meta_img", None) or None,
    }


def _safe(func, *args) -> tuple[Any, str | None]:
    logger = logging.getLogger("newspaper")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            return func(*args), None
    except Exception as exc:  # third-party extractors fail in many ways; record and go on
        return None, f"{type(exc).__name__}: {exc}"[:300]
    finally:
        logger.setLevel(level)


# --------------------------------------------------------------------------- body combination


def _same_text(a: str | None, b: str | None) -> bool:
    ta, tb = _tokens(a), _tokens(b)
    return bool(ta) and ta == tb


def _combine(
    recall: str,
    precision: str,
    news: str | None,
    title: str | None,
    options: ExtractOptions,
) -> tuple[list[str], dict[str, Any]]:
    """Paragraph-level vote between the extractor outputs.

    Returns the kept paragraphs and counts used for the quality flag: candidate words,
    kept words, and kept words found by at least one other extractor.
    """
    base = _paragraphs(recall) or _paragraphs(precision) or _paragraphs(news)
    if title:
        base = [p for i, p in enumerate(base) if not (i < 3 and _same_text(p, title))]
    voters = [v for v in (_Voter(precision), _Voter(news)) if v]
    if not _paragraphs(recall):  # the base is itself one of the voters
        voters = voters[1:]
    lengths = [len(_tokens(p)) for p in base]
    votes = [sum(v.support(p) >= options.support for v in voters) for p in base]
    if not voters or options.favor == "recall":
        keep = [True] * len(base)
    elif options.favor == "precision":
        keep = [n == len(voters) for n in votes]
    else:
        keep = [n >= 1 for n in votes]
    kept = [p for p, k in zip(base, keep, strict=True) if k]
    info: dict[str, Any] = {
        "candidate_words": sum(lengths),
        "kept_words": sum(n for n, k in zip(lengths, keep, strict=True) if k),
        "confirmed_words": sum(
            n for n, k, v in zip(lengths, keep, votes, strict=True) if k and v >= 1
        ),
        "voters": len(voters),
    }
    news_voter = _Voter(news) if news else None
    if news_voter and kept:
        # leading paragraphs newspaper did not see: kicker, headline, dek, date line
        i = 0
        while i < len(kept) and news_voter.support(kept[i]) < options.support:
            i += 1
        head_words = _n_words(kept[:i])
        if 0 < i < len(kept) and head_words <= options.head_trim * info["kept_words"]:
            info["head_trimmed"] = i
            info["kept_words"] -= head_words
            kept = kept[i:]
        kept = _insert_missing(kept, _paragraphs(news), options)
    return kept, info


def _drop_furniture(
    paragraphs: list[str], title: str | None, description: str | None, outlet: str | None
) -> tuple[list[str], int]:
    """Remove page furniture any extractor may keep: headline and standfirst repeats,
    "READ MORE: ..." promos, recirculation headings, empty-cell table rows and short
    trailing credits naming the outlet. Returns the paragraphs and how many were dropped.
    """
    out: list[str] = []
    n = len(paragraphs)
    outlet_l = (outlet or "").strip().lower()
    for i, p in enumerate(paragraphs):
        words = len(_tokens(p))
        if i < 3 and (_same_text(p, title) or _same_text(p, description)):
            continue
        if words <= 25 and _PROMO_LINE.match(p):
            continue
        if (i == 0 or i == n - 1) and p.lstrip().startswith("|"):
            cells = [c for c in p.strip().strip("|").split("|") if c.strip()]
            if len(cells) <= 1 and words < 10:
                continue
        if i >= n - 2 and words <= 12 and outlet_l and outlet_l in p.lower() and n > 3:
            continue
        out.append(p)
    return out, n - len(out)


def _insert_missing(kept: list[str], news_pars: list[str], options: ExtractOptions) -> list[str]:
    """Insert paragraphs only newspaper found, when they sit between agreed paragraphs."""
    kept_voter = _Voter("\n".join(kept))
    found = [kept_voter.support(p) >= options.support for p in news_pars]
    anchors = [i for i, f in enumerate(found) if f]
    if len(anchors) < 2:
        return kept
    kept_sh = [_Voter(p) for p in kept]
    inserts: dict[int, list[str]] = {}
    for i, p in enumerate(news_pars):
        if found[i] or i < anchors[0] or i > anchors[-1]:
            continue
        if p.strip().lower() in _BOILERPLATE_LINES or not _tokens(p):
            continue
        prev = max(a for a in anchors if a < i)
        j = max(range(len(kept)), key=lambda k: kept_sh[k].support(news_pars[prev]))
        inserts.setdefault(j, []).append(p)
    if not inserts:
        return kept
    out: list[str] = []
    for j, p in enumerate(kept):
        out.append(p)
        out.extend(inserts.get(j, []))
    return out


# --------------------------------------------------------------------------- metadata


def _meta_map(tree) -> dict[str, str]:
    out: dict[str, str] = {}
    for el in tree.xpath("//meta[@content]"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        val = (el.get("content") or "").strip()
        if key and val and key not in out:
            out[key] = val
    return out


def _clean_space(text: str | None) -> str | None:
    if text is None:
        return None
    text = re.sub(r"\s+", " ", str(text)).strip()
    return text or None


def _jsonld_name(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        name = value.get("name")
        if isinstance(name, list):
            return [str(n) for n in name if n]
        return [str(name)] if name else []
    if isinstance(value, list):
        return [n for v in value for n in _jsonld_name(v)]
    return []


def _jsonld_url(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return _jsonld_url(value.get("url") or value.get("contentUrl") or value.get("@id"))
    if isinstance(value, list) and value:
        return _jsonld_url(value[0])
    return None


_BYLINE_JUNK = [
    r"\b(?:e-?mail|contact|message)\s+(?:the\s+)?(?:author|reporter|writer)s?\b.*",
    r"\b(?:updated|published|posted|modified|last\s+updated)\b.*",
    r"\bfollow\b.*",
    r"\b(?:twitter|facebook|instagram|linkedin)\b.*",
    r"\b\d+\s*(?:min(?:ute)?s?|hours?|hrs?|days?)\b.*",
    r"https?://\S+|www\.\S+",
    r"\S+@\S+",
    r"@\w+",
    r"\bread\s+more\b.*",
    r"\bview\s+(?:all\s+)?(?:posts|articles|profile)\b.*",
    r"\bsee\s+(?:all|more)\b.*",
    r"\bmore\s+(?:from|by|articles)\b.*",
]
_BYLINE_PREFIX = re.compile(
    r"^\s*(?:(?:written|posted|reported|story|words|text|photos?)\s+)?(?:by|from|von|por|par|di|door)\b[:\s]*",
    re.I,
)
# "and" in a few languages, lower case only ("Sarah E. Needleman" must stay whole)
_AUTHOR_SPLIT = re.compile(r"\s*(?:,|;|\||&|·|•|/)\s*|\s+(?:and|AND|And|und|et|y|e)\s+")
_NOT_NAMES = {
    "staff",
    "admin",
    "editor",
    "editors",
    "author",
    "authors",
    "by",
    "correspondent",
    "reporter",
    "contributor",
    "guest",
    "anonymous",
    "unknown",
    "share",
    "comments",
}
_ROLE_WORDS = re.compile(
    r"\b(?:staff|writers?|correspondents?|reporters?|editors?|contributors?|columnist|desk|"
    r"bureau|newsroom|team|photographer|producer|analyst)\b",
    re.I,
)


def clean_authors(values: list[str] | str | None, *, max_authors: int = 10) -> list[str]:
    """Turn raw bylines into a clean list of names.

    Drops byline junk ("By", "Email the author", "Updated 2 hours ago", "Follow @x",
    URLs, e-mails, dates), splits on commas / "and" / "&", removes duplicates.

    Examples
    --------
    >>> clean_authors(["By Jane Doe and John Smith Updated 2 hours ago", "Email the author"])
    ['Jane Doe', 'John Smith']
    >>> clean_authors("BY ANA LIMA | Follow @ana")
    ['Ana Lima']
    """
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    names: list[str] = []
    seen: set[str] = set()
    for raw in values:
        if not raw:
            continue
        text = re.sub(r"\s+", " ", str(raw)).strip()
        for pattern in _BYLINE_JUNK:
            text = re.sub(pattern, " ", text, flags=re.I)
        for part in _AUTHOR_SPLIT.split(text):
            part = _BYLINE_PREFIX.sub("", part).strip(" \t-–—:|,.()[]\"'")
            part = re.sub(r"\s+", " ", part)
            if not part or len(part) > 60 or re.search(r"\d", part):
                continue
            words = part.split()
            if not 1 <= len(words) <= 5 or part.lower() in _NOT_NAMES:
                continue
            if _ROLE_WORDS.search(part):
                continue
            if not any(w[:1].isupper() for w in words):
                continue
            if part.isupper() and len(part) > 4:
                part = part.title()
            if part.lower() not in seen:
                seen.add(part.lower())
                names.append(part)
    return names[:max_authors]


def _contains_run(haystack: list[str], needle: list[str]) -> bool:
    n = len(needle)
    return bool(n) and any(haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))


def _drop_organisations(authors: list[str], outlet: str | None) -> list[str]:
    """Drop credits that are organisations rather than people: the outlet itself
    ("CNN Business" at CNN, "Cleveland.com"), web domains, and credentials ("MS", "RDN")
    that follow a person's name.

    Examples
    --------
    >>> _drop_organisations(["Jill Disis", "CNN Business", "MS"], "CNN")
    ['Jill Disis']
    >>> _drop_organisations(["PTI"], "Deccan Herald")
    ['PTI']
    """

    def key(text: str) -> list[str]:
        toks = [t.lower() for t in _tokens(text)]
        if toks and toks[0] == "the":
            toks = toks[1:]
        return [t for t in toks if t not in ("com", "www")]

    outlet_toks = key(outlet or "")
    people = [a for a in authors if len(a.split()) >= 2]
    kept = []
    for name in authors:
        toks = key(name)
        if re.search(r"\.(?:com|co|org|net|news)\b", name, re.I):
            continue
        if outlet_toks and (_contains_run(toks, outlet_toks) or _contains_run(outlet_toks, toks)):
            continue
        if people and name not in people and name.isupper() and len(name) <= 4:
            continue
        kept.append(name)
    return kept


def _byline_texts(tree) -> list[str]:
    found: list[str] = []
    paths = (
        '//*[@itemprop="author"]//*[@itemprop="name"]',
        '//*[@rel="author"]',
        '//*[@itemprop="author"]',
        '//*[contains(concat(" ", normalize-space(@class), " "), " byline")'
        ' or contains(@class, "byline__name") or contains(@class, "author-name")'
        ' or contains(@class, "author__name") or contains(@class, "article-author")]',
    )
    for path in paths:
        for el in tree.xpath(path)[:5]:
            if el.tag in ("meta", "link"):
                val = el.get("content")
            else:
                val = el.text_content()
            if val and len(val) < 200:
                found.append(val)
        if found:
            break
    return found


def _strip_suffix(title: str | None, outlet: str | None) -> str | None:
    if not title:
        return title
    if outlet:
        # "Headline | Outlet | Section | ...": cut at the outlet's name
        m = re.search(
            r"\s+[|\-–—:·•]\s+" + re.escape(outlet.strip()) + r"(?:\s+[|\-–—:·•]\s+.*)?$", title
        )
        if m and m.start() > 0:
            return title[: m.start()].strip()
    parts = re.split(r"\s+[|\-–—:·•]\s+", title)
    if len(parts) > 1:
        last = parts[-1]
        if (outlet and last.strip().lower() == outlet.strip().lower()) or len(last.split()) <= 4:
            if outlet and last.strip().lower() != outlet.strip().lower() and len(parts) == 2:
                # "Rain returns - Daily": keep when the suffix may be part of the headline
                if len(last.split()) > 3:
                    return title
            return " - ".join(parts[:-1]) if len(parts) > 2 else parts[0]
    return title


def _title_suffix_outlet(title: str | None) -> str | None:
    if not title:
        return None
    parts = re.split(r"\s+[|\-–—·•]\s+", title)
    if len(parts) > 1 and 1 <= len(parts[-1].split()) <= 5:
        return parts[-1].strip()
    return None


def _host(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


def _abs_url(href: str | None, base: str | None) -> str | None:
    if not href:
        return None
    href = href.strip()
    try:
        full = urljoin(base or "", href)
    except ValueError:
        return None
    return full if re.match(r"https?://", full, re.I) else None


def _canonical(tree, meta: dict[str, str], url: str | None) -> str | None:
    hrefs = tree.xpath('//link[translate(@rel, "CANONICAL", "canonical")="canonical"]/@href')
    candidates = [*hrefs, meta.get("og:url")]
    for href in candidates:
        full = _abs_url(href, url)
        if not full:
            continue
        path = urlsplit(full).path
        if url and path in ("", "/") and urlsplit(url).path not in ("", "/"):
            continue  # a site-wide canonical pointing at the home page is a template bug
        return full
    return None


def _teaser_share(tree, paragraphs: list[str]) -> tuple[float, int]:
    """Share of body words in paragraphs that are, or start with, a link's text.

    Index pages are lists of teasers: a linked headline, then maybe a standfirst and a
    date. Returns (share of words, number of teaser paragraphs).
    """
    total = _n_words(paragraphs)
    if not total:
        return 0.0, 0
    anchors: dict[int, set[tuple[str, ...]]] = {}
    for a in tree.iter("a"):
        toks = tuple(t.lower() for t in _tokens(a.text_content()))
        if len(toks) >= 3:
            anchors.setdefault(len(toks), set()).add(toks)
    if not anchors:
        return 0.0, 0
    words = count = 0
    for p in paragraphs:
        toks = [t.lower() for t in _tokens(p)]
        if any(tuple(toks[:n]) in keys for n, keys in anchors.items() if n <= len(toks)):
            words += len(toks)
            count += 1
    return words / total, count


def _metadata(tree, url: str | None) -> dict[str, Any]:
    meta = _meta_map(tree)
    jsonld = list(iter_jsonld(tree))
    arts = article_jsonld(jsonld)
    art0 = arts[0] if arts else {}

    publisher = None
    for obj in [*arts, *jsonld]:
        names = _jsonld_name(obj.get("publisher"))
        if names:
            publisher = names[0]
            break
    if publisher is None:
        for obj in jsonld:
            if jsonld_types(obj) & {"newsmediaorganization", "organization", "website"}:
                names = _jsonld_name(obj)
                if names:
                    publisher = names[0]
                    break

    html_title = _clean_space(" ".join(tree.xpath("//title//text()"))[:500])
    outlet = (
        _clean_space(meta.get("og:site_name"))
        or _clean_space(publisher)
        or _clean_space(meta.get("application-name"))
        or _title_suffix_outlet(html_title)
        or _host(url)
    )
    h1 = tree.xpath("//h1")
    h1_text = _clean_space(h1[0].text_content()) if h1 else None
    headline = art0.get("headline") or art0.get("name")
    title = (
        _clean_space(meta.get("og:title"))
        or _clean_space(headline if isinstance(headline, str) else None)
        or _clean_space(meta.get("twitter:title"))
        or h1_text
        or html_title
    )
    title = _strip_suffix(title, outlet)

    authors: list[str] = []
    for obj in arts:
        authors = clean_authors(_jsonld_name(obj.get("author") or obj.get("creator")))
        if authors:
            break
    if not authors:
        raw = [
            meta[k]
            for k in ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator")
            if k in meta and not re.match(r"https?://", meta[k])
        ]
        authors = clean_authors(raw)
    if not authors:
        authors = clean_authors(_byline_texts(tree))

    image = None
    for key in (
        "og:image",
        "og:image:url",
        "og:image:secure_url",
        "twitter:image",
        "twitter:image:src",
    ):
        image = _abs_url(meta.get(key), url)
        if image:
            break
    if not image and art0:
        image = _abs_url(_jsonld_url(art0.get("image") or art0.get("thumbnailUrl")), url)
    if not image:
        hrefs = tree.xpath('//link[@rel="image_src"]/@href')
        image = _abs_url(hrefs[0], url) if hrefs else None

    declared = (
        tree.get("lang")
        or meta.get("og:locale")
        or meta.get("content-language")
        or (art0.get("inLanguage") if isinstance(art0.get("inLanguage"), str) else None)
    )
    for el in tree.xpath(
        '//meta[translate(@http-equiv, "CONTENTLANGUAGE", "contentlanguage")="content-language"]'
    ):
        declared = declared or el.get("content")
    og_type = (meta.get("og:type") or "").lower()
    return {
        "meta": meta,
        "jsonld": jsonld,
        "article_jsonld": bool(arts and not (jsonld_types(art0) & {"webpage", "creativework"})),
        "index_jsonld": any(
            jsonld_types(o) & {"collectionpage", "itemlist", "searchresultspage"} for o in jsonld
        ),
        "og_type": og_type,
        "title": title,
        "html_title": html_title,
        "outlet": outlet,
        "authors": authors,
        "top_image": image,
        "declared_language": normalize_language(declared),
        "description": _clean_space(meta.get("og:description") or meta.get("description")),
        "canonical": _canonical(tree, meta, url),
    }


# --------------------------------------------------------------------------- main entry points


def _empty_result(url: str | None, fetched_at: Any, reason: str) -> dict[str, Any]:
    return {
        "url": url,
        "fetched_url": url,
        "title": None,
        "authors": [],
        "published": None,
        "date_source": None,
        "text": "",
        "language": None,
        "outlet": _host(url),
        "top_image": None,
        "extraction_quality": "failed",
        "extractor": None,
        "fetched_at": parse_date(fetched_at) if fetched_at is not None else None,
        "description": None,
        "candidates": {},
        "reason": reason,
    }


def _extract_all(html: Any, url: str | None, fetched_at: Any, options: ExtractOptions) -> dict:
    text_html = _decode(html)
    tree = _parse_tree(text_html)
    md = _metadata(tree, url)
    candidates: dict[str, Any] = {}
    errors: dict[str, str] = {}

    use_traf = "trafilatura" in options.extractors
    use_news = "newspaper" in options.extractors and options.newspaper != "never"
    recall = precision = ""
    if use_traf:
        out, err = _safe(_run_trafilatura, text_html, url, "recall", options)
        recall = out or ""
        if err:
            errors["trafilatura"] = err
        out, err = _safe(_run_trafilatura, text_html, url, "precision", options)
        precision = out or ""
        if err:
            errors["trafilatura_precision"] = err
        candidates["trafilatura"] = recall
        candidates["trafilatura_precision"] = precision

    news: dict[str, Any] | None = None
    if use_news:
        run_news = options.newspaper == "always" or not use_traf
        if not run_news:
            rec_pars = _paragraphs(recall)
            pv = _Voter(precision)
            total = _n_words(rec_pars)
            unsupported = sum(len(_tokens(p)) for p in rec_pars if pv.support(p) < options.support)
            run_news = (
                not total
                or unsupported > options.disagreement * total
                or len(pv.tokens) < options.short_text_words
            )
        if run_news:
            news, err = _safe(_run_newspaper, text_html, url)
            if err:
                errors["newspaper"] = err
            candidates["newspaper"] = (news or {}).get("text", "")
    news_text = (news or {}).get("text") or None

    paragraphs, info = _combine(recall, precision, news_text, md["title"], options)
    paragraphs, info["furniture_dropped"] = _drop_furniture(
        paragraphs,
        md["title"],
        md["description"] if options.drop_standfirst else None,
        md["outlet"],
    )
    body = "\n\n".join(paragraphs)
    producers = [
        k for k in ("trafilatura", "trafilatura_precision", "newspaper") if candidates.get(k)
    ]
    if not producers:
        extractor = None
    elif news_text and (recall or precision):
        extractor = "trafilatura+newspaper"
    elif news_text:
        extractor = "newspaper"
    else:
        extractor = "trafilatura"

    if not md["title"] and news and news.get("title"):
        md["title"] = news["title"]
    if not md["authors"] and news and news.get("authors"):
        md["authors"] = clean_authors(news["authors"])
    md["authors"] = _drop_organisations(md["authors"], md["outlet"])

    language = normalize_language(options.language) or detect_language(
        body, declared=md["declared_language"]
    )

    def visible() -> str:
        date_area = " ".join(
            t.text_content()
            for t in tree.xpath(
                '//*[contains(@class, "date") or contains(@class, "time")'
                ' or contains(@class, "byline")][not(self::html or self::body)]'
            )[:10]
        )
        return f"{' '.join(_byline_texts(tree))}\n{date_area[:2000]}\n{body[:1500]}"

    date = find_published(
        tree, url, fetched_at=fetched_at, jsonld=md["jsonld"], visible_text=visible
    )

    n_words = len(_tokens(body))
    kept_words = info["kept_words"] or 1
    if n_words < options.short_text_words:
        quality = "short"
    elif len(producers) <= 1 or not info["voters"]:
        quality = "single"
    elif (
        info["kept_words"] >= 0.9 * info["candidate_words"]
        and info["confirmed_words"] >= 0.9 * kept_words
    ):
        quality = "agree"
    else:
        quality = "disagree"

    reason = None
    if options.check_index:
        share, teasers = _teaser_share(tree, paragraphs)
        page_level = md["article_jsonld"] or md["og_type"] == "article"
        page_level = page_level or date.source in ("json-ld", "meta")
        if page_level:  # the page says it is an article: only a near-pure link list is not
            is_index = teasers >= 2 and share > options.max_link_text_share
        else:
            is_index = (teasers >= 2 and share > 0.4) or (teasers >= 1 and share > 0.6)
        if is_index:
            reason = (
                f"index page ({teasers} teasers, {share:.0%} of the text is links to other pages)"
            )
    if reason is None and n_words < options.min_text_words:
        reason = f"too short ({n_words} words < min_text_words={options.min_text_words})"

    canonical = md["canonical"]
    result = {
        "url": canonical or url,
        "fetched_url": url,
        "title": md["title"],
        "authors": md["authors"],
        "published": date.published,
        "date_source": date.source,
        "text": body,
        "language": language,
        "outlet": md["outlet"],
        "top_image": md["top_image"],
        "extraction_quality": quality,
        "extractor": extractor,
        "fetched_at": parse_date(fetched_at) if fetched_at is not None else None,
        "description": md["description"],
        "candidates": {
            **candidates,
            "dates": date.candidates,
            "dates_rejected": date.rejected,
            "declared_language": md["declared_language"],
            "canonical": canonical,
            "errors": errors,
            **info,
        },
        "reason": reason,
    }
    return result


def bare_extraction(
    html: str | bytes,
    url: str | None = None,
    *,
    fetched_at: Any = None,
    options: ExtractOptions | None = None,
) -> dict[str, Any]:
    """Extract everything from a page into a dict; never raises on bad input.

    Returns the :class:`Article` fields plus ``candidates`` (each extractor's text,
    date candidates per source, errors) and ``reason``: None for an article, else why
    the page is not one (the same reason :func:`extract` raises with).

    Examples
    --------
    >>> d = bare_extraction(b"\\x00\\x01\\x02 binary")
    >>> d["reason"], d["text"]
    ('binary content (NUL bytes), not HTML', '')
    """
    options = options or ExtractOptions()
    try:
        return _extract_all(html, url, fetched_at, options)
    except ExtractionError as exc:
        return _empty_result(url, fetched_at, exc.reason)
    except Exception as exc:  # any library failure becomes a recorded reason, never a crash
        return _empty_result(
            url, fetched_at, f"extraction failed: {type(exc).__name__}: {exc}"[:300]
        )


def extract(
    html: str | bytes,
    url: str | None = None,
    *,
    fetched_at: Any = None,
    options: ExtractOptions | None = None,
) -> Article:
    """Extract an article (title, authors, date, text, language, outlet...) from HTML.

    Parameters
    ----------
    html : str or bytes
        The page. Bytes are decoded (BOM, ``<meta charset>``, UTF-8, detection).
    url : str, optional
        Where the page came from: used for relative links, the URL date and the outlet.
    fetched_at : datetime-like, optional
        When the page was fetched; publication dates after it are rejected.
    options : ExtractOptions, optional

    Returns
    -------
    Article

    Raises
    ------
    NotAnArticleError
        Empty, binary or non-HTML input, index pages, text shorter than
        ``options.min_text_words``; ``.reason`` says which.
    ExtractionError
        Any other failure (never another exception type).

    Examples
    --------
    >>> extract(b"%PDF-1.4 ...")  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    NotAnArticleError: binary content (compressed file, PDF or image), not HTML
    """
    d = bare_extraction(html, url, fetched_at=fetched_at, options=options)
    reason = d.pop("reason")
    if reason:
        if reason.startswith("extraction failed"):
            raise ExtractionError(reason, url)
        raise NotAnArticleError(reason, url)
    fields = {f.name for f in dataclasses.fields(Article)}
    return Article(**{k: v for k, v in d.items() if k in fields})


def _bare_item(item: tuple) -> dict[str, Any]:
    html, url, fetched_at, options = item
    return bare_extraction(html, url, fetched_at=fetched_at, options=options)


def extract_many(
    pages: Iterable[tuple],
    *,
    options: ExtractOptions | None = None,
    workers: int = 1,
    progress: bool = False,
    chunksize: int = 4,
) -> list[dict[str, Any]]:
    """Run :func:`bare_extraction` over many pages, optionally in worker processes.

    Parameters
    ----------
    pages : iterable of tuples
        ``(html, url)`` or ``(html, url, fetched_at)``.
    options : ExtractOptions, optional
    workers : int
        Processes to use (1: in this process). Extraction is CPU-bound, so use up to
        the number of cores.
    progress : bool
        Show a progress bar.
    chunksize : int
        Pages sent to a worker at a time.

    Returns
    -------
    list of dict
        One :func:`bare_extraction` result per page, in input order (failures carry
        their ``reason``; nothing raises).

    Examples
    --------
    >>> out = extract_many([(b"", "https://a.example/x"), ("<p>hi</p>", None)])
    >>> [d["reason"].split(" (")[0] for d in out]
    ['empty input', 'too short']
    """
    from tqdm.auto import tqdm

    options = options or ExtractOptions()
    items = [
        (p[0], p[1] if len(p) > 1 else None, p[2] if len(p) > 2 else None, options) for p in pages
    ]
    bar = tqdm(total=len(items), desc="extract", unit="page", disable=not progress)
    results: list[dict[str, Any]] = []
    try:
        if workers <= 1 or len(items) < 2:
            for item in items:
                results.append(_bare_item(item))
                bar.update()
        else:
            import concurrent.futures as cf

            with cf.ProcessPoolExecutor(workers) as pool:
                for res in pool.map(_bare_item, items, chunksize=chunksize):
                    results.append(res)
                    bar.update()
    finally:
        bar.close()
    return results


# --------------------------------------------------------------------------- CLI


def main_extract(args: argparse.Namespace | list[str] | None = None) -> int:
    """``newslab extract FILE.html [--url U] [--fetched-at T] [--json]``.

    Prints the article as JSON (``--json``) or as a short text summary. Returns 0 on
    success, 2 when the page is not an article (reason on stderr), 1 on a read error.

    Examples
    --------
    >>> main_extract(["/nonexistent.html"])
    1
    """
    if not isinstance(args, argparse.Namespace):
        parser = argparse.ArgumentParser(prog="newslab extract")
        add_extract_arguments(parser)
        args = parser.parse_args(args)
    try:
        with open(args.file, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        print(f"newslab extract: cannot read {args.file}: {exc}", file=sys.stderr)
        return 1
    if args.file.endswith(".gz"):
        import gzip

        with contextlib.suppress(OSError):
            data = gzip.decompress(data)
    opts = ExtractOptions(language=getattr(args, "language", None))
    try:
        art = extract(
            data, url=args.url, fetched_at=getattr(args, "fetched_at", None), options=opts
        )
    except ExtractionError as exc:
        print(f"newslab extract: {args.file}: {exc.reason}", file=sys.stderr)
        return 2
    rec = art.to_record()
    if getattr(args, "json", False):
        rec = {k: (v.isoformat() if isinstance(v, pd.Timestamp) else v) for k, v in rec.items()}
        print(json.dumps(rec, ensure_ascii=False, indent=2))
    else:
        print(
            f"title:     {art.title}\noutlet:    {art.outlet}\nauthors:   {', '.join(art.authors)}"
        )
        print(f"published: {art.published} ({art.date_source})\nlanguage:  {art.language}")
        print(f"quality:   {art.extraction_quality}\n\n{art.text}")
    return 0


def add_extract_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add the ``newslab extract`` arguments to an argparse (sub)parser."""
    parser.add_argument("file", help="HTML file (.html or .html.gz)")
    parser.add_argument("--url", default=None, help="the page's URL")
    parser.add_argument("--fetched-at", default=None, help="fetch time (ISO 8601)")
    parser.add_argument("--language", default=None, help="force the language code")
    parser.add_argument("--json", action="store_true", help="print the corpus record as JSON")
    return parser
