"""Render the sample corpus sources into a static mirror of six fictional news sites.

Reads ``source/outlets.json`` and ``source/articles/<outlet>--<slug>.json`` and writes

* ``site/<outlet-slug>/``: one document root per outlet (homepage, section pages, about page,
  article pages in the outlet's own HTML template, ``robots.txt``, an RSS 2.0 or Atom feed and,
  for some outlets, a sitemap);
* ``site/manifest.json``: outlets and article paths, read by :func:`newslab.sample.serve_sample`;
* ``gold.json``: the story label of every article.

The build is deterministic (sorted inputs, no build-time timestamps) and idempotent: it renders
into a scratch folder and then replaces ``site/`` as a whole.

Usage::

    .venv/bin/python data/sample/build_site.py [--source DIR] [--site DIR] [--gold PATH]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from html import escape
from pathlib import Path
from typing import Any

from newslab.io import atomic_write

HERE = Path(__file__).resolve().parent

STORIES = (
    "ukraine-russia-strikes-dec2023",
    "noto-earthquake-jan2024",
    "haneda-runway-collision-jan2024",
    "kerman-bombings-jan2024",
    "alaska-door-plug-jan2024",
    "red-sea-strikes-jan2024",
    "taiwan-election-jan2024",
    "grindavik-eruption-jan2024",
)
REQUIRED_FIELDS = ("outlet", "slug", "title", "published", "section", "summary", "paragraphs")
MONTHS = (
    "January February March April May June July August September October November December"
).split()
AP_MONTHS = "Jan. Feb. March April May June July Aug. Sept. Oct. Nov. Dec.".split()
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()


class SourceError(ValueError):
    """One or more source files are malformed; the message lists every problem."""


# --------------------------------------------------------------------------- model


@dataclass
class Outlet:
    slug: str
    name: str
    domain: str
    template: str
    url_pattern: str
    date_format: str
    utc_offset: str
    tz_label: str
    language: str
    feed: dict[str, str]
    sitemap: str | None
    metadata: dict[str, bool]
    robots: str
    articles: list[Article] = field(default_factory=list)

    @property
    def tz(self) -> timezone:
        sign = -1 if self.utc_offset.startswith("-") else 1
        hours, minutes = self.utc_offset.lstrip("+-").split(":")
        return timezone(sign * timedelta(hours=int(hours), minutes=int(minutes)))

    @property
    def base(self) -> str:
        return f"https://{self.domain}"

    @property
    def handle(self) -> str:
        return re.sub(r"[^a-z]", "", self.name.lower().replace("the ", ""))

    def sections(self) -> list[str]:
        return sorted({a.section for a in self.articles})


@dataclass
class Article:
    key: str
    outlet: Outlet
    slug: str
    story: str | None
    title: str
    authors: list[str]
    published: datetime
    updated: datetime | None
    section: str
    summary: str
    paragraphs: list[str]
    path: str = ""  # URL path on the outlet's host, starts with "/"
    file: str = ""  # file inside the outlet's document root

    @property
    def url(self) -> str:
        return self.outlet.base + self.path

    @property
    def local(self) -> datetime:
        return self.published.astimezone(self.outlet.tz)

    @property
    def number(self) -> int:
        return 10000 + int(hashlib.sha1(self.key.encode()).hexdigest()[:8], 16) % 90000

    def pick(self, salt: str, n: int) -> int:
        """Deterministic pseudo-random choice in ``range(n)`` for this article."""
        return int(hashlib.sha1(f"{self.key}/{salt}".encode()).hexdigest()[:8], 16) % n


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "news"


def fmt_date(dt: datetime, pattern: str, tz_label: str) -> str:
    """Format ``dt`` with the ``{token}`` patterns used in outlets.json."""
    hour12 = dt.hour % 12 or 12
    tokens = {
        "weekday": WEEKDAYS[dt.weekday()],
        "weekday_abbr": WEEKDAYS[dt.weekday()][:3],
        "d": str(dt.day),
        "dd": f"{dt.day:02d}",
        "month": MONTHS[dt.month - 1],
        "mon": MONTHS[dt.month - 1][:3].lower(),
        "Mon": MONTHS[dt.month - 1][:3],
        "mon_ap": AP_MONTHS[dt.month - 1],
        "yyyy": str(dt.year),
        "mm": f"{dt.month:02d}",
        "HH": f"{dt.hour:02d}",
        "MM": f"{dt.minute:02d}",
        "h": str(hour12),
        "ampm": "a.m." if dt.hour < 12 else "p.m.",
        "AMPM": "AM" if dt.hour < 12 else "PM",
        "tz": tz_label,
    }
    return pattern.format(**tokens)


def iso(dt: datetime) -> str:
    return dt.isoformat(timespec="seconds")


def rfc822(dt: datetime) -> str:
    dt = dt.astimezone(UTC)
    return (
        f"{WEEKDAYS[dt.weekday()][:3]}, {dt.day:02d} {MONTHS[dt.month - 1][:3]} {dt.year} "
        f"{dt:%H:%M:%S} GMT"
    )


def byline(names: list[str]) -> str:
    if not names:
        return ""
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def handle_of(name: str) -> str:
    parts = re.sub(r"[^A-Za-z ]", "", name).lower().split()
    return (parts[0][:1] + parts[-1]) if parts else "newsroom"


# --------------------------------------------------------------------------- loading


def load_outlets(path: Path) -> dict[str, Outlet]:
    data = json.loads(path.read_text(encoding="utf-8"))
    fields = Outlet.__dataclass_fields__
    outlets = {}
    for entry in data["outlets"]:
        outlets[entry["slug"]] = Outlet(**{k: v for k, v in entry.items() if k in fields})
    return outlets


def _parse_time(value: Any, what: str, problems: list[str]) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        dt = datetime.fromisoformat(str(value))
    except ValueError:
        problems.append(f"{what}: not an ISO 8601 time: {value!r}")
        return None
    if dt.tzinfo is None:
        problems.append(f"{what}: {value!r} has no UTC offset")
        return None
    return dt


def load_articles(articles_dir: Path, outlets: dict[str, Outlet]) -> list[Article]:
    """Read and check every article JSON; raise :class:`SourceError` listing all problems."""
    files = sorted(articles_dir.glob("*.json"))
    if not files:
        raise SourceError(f"no article files (*.json) in {articles_dir}")
    problems: list[str] = []
    articles = []
    for fp in files:
        name = fp.name
        try:
            raw = json.loads(fp.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            problems.append(f"{name}: unreadable JSON ({exc})")
            continue
        missing = [f for f in REQUIRED_FIELDS if not raw.get(f)]
        if missing:
            problems.append(f"{name}: missing or empty field(s): {', '.join(missing)}")
            continue
        if raw["outlet"] not in outlets:
            problems.append(f"{name}: unknown outlet {raw['outlet']!r}")
            continue
        key = f"{raw['outlet']}--{raw['slug']}"
        if fp.stem != key:
            problems.append(f"{name}: file name should be {key}.json")
        story = raw.get("story")
        if story is not None and story not in STORIES:
            problems.append(f"{name}: unknown story label {story!r}")
        paragraphs = raw["paragraphs"]
        if not isinstance(paragraphs, list) or not all(
            isinstance(p, str) and p.strip() for p in paragraphs
        ):
            problems.append(f"{name}: 'paragraphs' must be a list of non-empty strings")
            continue
        authors = raw.get("authors") or []
        if isinstance(authors, str) or not all(isinstance(a, str) for a in authors):
            problems.append(f"{name}: 'authors' must be a list of names")
            continue
        published = _parse_time(raw["published"], f"{name} published", problems)
        updated = _parse_time(raw.get("updated"), f"{name} updated", problems)
        if published is None:
            continue
        articles.append(
            Article(
                key=key,
                outlet=outlets[raw["outlet"]],
                slug=raw["slug"],
                story=story,
                title=raw["title"].strip(),
                authors=[a.strip() for a in authors],
                published=published,
                updated=updated,
                section=raw["section"].strip(),
                summary=raw["summary"].strip(),
                paragraphs=[p.strip() for p in paragraphs],
            )
        )
    if problems:
        raise SourceError("malformed sample sources:\n  " + "\n  ".join(problems))
    return articles


def assign_paths(articles: list[Article]) -> None:
    seen: dict[str, str] = {}
    for art in articles:
        loc = art.local
        path = art.outlet.url_pattern.format(
            section=slugify(art.section),
            yyyy=loc.year,
            mm=f"{loc.month:02d}",
            dd=f"{loc.day:02d}",
            mon=MONTHS[loc.month - 1][:3].lower(),
            slug=art.slug,
            number=art.number,
        )
        art.path = path
        if path.endswith("/"):
            art.file = path.lstrip("/") + "index.html"
        elif path.endswith(".html"):
            art.file = path.lstrip("/")
        else:  # "pretty" URL: the server maps /a/b to a/b.html
            art.file = path.lstrip("/") + ".html"
        full = f"{art.outlet.slug}{path}"
        if full in seen:
            raise SourceError(f"{art.key} and {seen[full]} render to the same URL {path}")
        seen[full] = art.key


# --------------------------------------------------------------------------- page furniture

COMMENTERS = (
    "harbourwatcher",
    "J. Okafor",
    "MaggieInLeeds",
    "northsider77",
    "Priya_R",
    "old_salt",
    "Kev from Dover",
    "LenaB",
    "quietreader",
    "T. Lindqvist",
)
COMMENTS = (
    "Thoughts with everyone caught up in this.",
    "Why is this only being reported now? I read about it hours ago elsewhere.",
    "Good, clear piece. Thanks for not sensationalising it.",
    "The headline says one thing and the third paragraph says another. Which is it?",
    "Can we get a map with these reports? Hard to follow otherwise.",
    "I'll wait for the official figures before believing any of this.",
    "My cousin lives near there and says the local news has been much more detailed.",
    "Another day, another grim update. Stay safe out there.",
    "Please fix the typo in the second paragraph.",
    "First comment! Seriously though, well reported.",
    "Not sure the paywall on the follow-up is helping anyone.",
    "This is why we need proper funding for local journalism.",
)


def comments_for(art: Article) -> list[tuple[str, datetime, str]]:
    """Two to four reader comments: (name, when, text)."""
    n = 2 + art.pick("ncomments", 3)
    out = []
    for i in range(n):
        who = COMMENTERS[art.pick(f"who{i}", len(COMMENTERS))]
        text = COMMENTS[art.pick(f"text{i}", len(COMMENTS))]
        when = art.local + timedelta(hours=1 + art.pick(f"when{i}", 30))
        out.append((who, when, text))
    return sorted(out, key=lambda c: (c[1], c[0], c[2]))


def related_for(art: Article, n: int = 3) -> list[Article]:
    others = [a for a in art.outlet.articles if a.key != art.key]
    others.sort(key=lambda a: (abs((a.published - art.published).total_seconds()), a.key))
    return others[:n]


def json_ld(art: Article) -> str:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": art.title,
        "description": art.summary,
        "datePublished": iso(art.local),
        "mainEntityOfPage": {"@type": "WebPage", "@id": art.url},
        "articleSection": art.section,
        "inLanguage": art.outlet.language,
        "publisher": {
            "@type": "Organization",
            "name": art.outlet.name,
            "logo": {"@type": "ImageObject", "url": f"{art.outlet.base}/static/logo.png"},
        },
    }
    if art.updated:
        data["dateModified"] = iso(art.updated.astimezone(art.outlet.tz))
    if art.authors:
        data["author"] = [{"@type": "Person", "name": a} for a in art.authors]
    else:
        data["author"] = {"@type": "Organization", "name": art.outlet.name}
    text = json.dumps(data, ensure_ascii=False, indent=2).replace("</", "<\\/")
    return f'<script type="application/ld+json">\n{text}\n</script>'


def head(art_or_title: Article | str, outlet: Outlet, *, path: str, description: str) -> str:
    """The ``<head>`` element, with the metadata the outlet publishes."""
    art = art_or_title if isinstance(art_or_title, Article) else None
    title = art.title if art else str(art_or_title)
    meta = outlet.metadata
    sep = {"broadsheet": " | ", "wire": " | ", "regional": " - ", "daily": " | "}.get(
        outlet.template, " | "
    )
    lines = [
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}{sep}{escape(outlet.name)}</title>",
        f'<meta name="description" content="{escape(description)}">',
        f'<link rel="canonical" href="{escape(outlet.base + path)}">',
        f'<link rel="stylesheet" href="/static/{outlet.template}.css">',
    ]
    if meta.get("application_name"):
        lines.append(f'<meta name="application-name" content="{escape(outlet.name)}">')
    if art and art.authors and outlet.template in ("regional", "tabloid"):
        lines.append(f'<meta name="author" content="{escape(byline(art.authors))}">')
    if meta.get("opengraph"):
        lines += [
            f'<meta property="og:site_name" content="{escape(outlet.name)}">',
            f'<meta property="og:title" content="{escape(title)}">',
            f'<meta property="og:description" content="{escape(description)}">',
            f'<meta property="og:url" content="{escape(outlet.base + path)}">',
            f'<meta property="og:type" content="{"article" if art else "website"}">',
        ]
        if art:
            lines.append(f'<meta property="article:published_time" content="{iso(art.local)}">')
            if art.updated:
                lines.append(
                    '<meta property="article:modified_time" '
                    f'content="{iso(art.updated.astimezone(outlet.tz))}">'
                )
            lines.append(f'<meta property="article:section" content="{escape(art.section)}">')
    if art and meta.get("json_ld"):
        lines.append(json_ld(art))
    if outlet.feed:
        kind = "rss+xml" if outlet.feed["type"] == "rss" else "atom+xml"
        lines.append(
            f'<link rel="alternate" type="application/{kind}" title="{escape(outlet.name)}" '
            f'href="{outlet.feed["path"]}">'
        )
    return "<head>\n" + "\n".join("  " + ln for ln in lines) + "\n</head>"


def nav_links(outlet: Outlet, cls: str = "") -> str:
    items = ['<li><a href="/">Home</a></li>']
    items += [f'<li><a href="/{slugify(s)}/">{escape(s)}</a></li>' for s in outlet.sections()]
    items.append('<li><a href="/about.html">About</a></li>')
    attr = f' class="{cls}"' if cls else ""
    return f"<ul{attr}>" + "".join(items) + "</ul>"


def cookie_banner(style: int) -> str:
    if style == 0:
        return (
            '<div id="cookie-consent" class="consent-banner" role="dialog">'
            "<p>We use cookies to improve your experience and to show you personalised "
            "advertising. You can change your choices at any time.</p>"
            '<button class="accept">Accept all</button> <button class="reject">Reject all</button>'
            ' <a href="/about.html#privacy">Manage preferences</a></div>'
        )
    return (
        '<section class="gdpr"><strong>Your privacy</strong> '
        "<span>This site stores small files on your device. By continuing to browse you agree "
        'to our use of cookies.</span> <a class="btn" href="#">OK, got it</a></section>'
    )


def ad_slot(name: str) -> str:
    return (
        f'<div class="ad-slot" data-slot="{name}" aria-hidden="true">'
        '<span class="ad-label">Advertisement</span><div class="ad-box"></div></div>'
    )


def newsletter(outlet: Outlet) -> str:
    return (
        '<div class="newsletter-signup"><h3>Get the morning briefing</h3>'
        f"<p>Sign up for our free newsletter from {escape(outlet.name)}: the day's top stories in "
        'your inbox before breakfast.</p><form action="/newsletter" method="post">'
        '<input type="email" name="email" placeholder="Your email address">'
        "<button>Sign up</button></form></div>"
    )


def comments_html(art: Article, heading: str, date_pattern: str) -> str:
    items = []
    for who, when, text in comments_for(art):
        stamp = fmt_date(when, date_pattern, art.outlet.tz_label)
        items.append(
            f'<li class="comment"><span class="comment-author">{escape(who)}</span> '
            f'<span class="comment-time">{escape(stamp)}</span>'
            f'<p class="comment-body">{escape(text)}</p></li>'
        )
    return (
        f'<section class="comments" id="comments"><h2>{escape(heading)} ({len(items)})</h2>'
        f'<ol class="comment-list">{"".join(items)}</ol>'
        '<p class="comment-policy">Comments are moderated. Please keep it civil.</p></section>'
    )


def related_html(art: Article, heading: str, cls: str = "related") -> str:
    links = "".join(
        f'<li><a href="{escape(r.path)}">{escape(r.title)}</a></li>' for r in related_for(art)
    )
    return f'<aside class="{cls}"><h2>{escape(heading)}</h2><ul>{links}</ul></aside>'


def paragraphs_html(art: Article, cls: str = "") -> list[str]:
    attr = f' class="{cls}"' if cls else ""
    return [f"<p{attr}>{escape(p)}</p>" for p in art.paragraphs]


def page(outlet: Outlet, head_html: str, body: str, body_cls: str) -> str:
    lang = outlet.language
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n{head_html}\n'
        f'<body class="{body_cls}">\n{body}\n</body>\n</html>\n'
    )


def social_footer(outlet: Outlet) -> str:
    h = outlet.handle
    return (
        '<ul class="social">'
        f'<li><a href="https://social.example/{h}">Follow us</a></li>'
        f'<li><a href="https://video.example/{h}">Watch</a></li>'
        f'<li><a href="{outlet.feed["path"]}">RSS</a></li></ul>'
    )


# --------------------------------------------------------------------------- templates


def tpl_broadsheet(art: Article) -> str:
    """The Harbour Gazette: meta column beside the body holds byline and date."""
    o = art.outlet
    sec = slugify(art.section)
    when = fmt_date(art.local, o.date_format, o.tz_label)
    authors = "".join(
        f'<a rel="author" class="contributor" href="/profile/{slugify(a)}">{escape(a)}</a>'
        + (" and " if i < len(art.authors) - 1 else "")
        for i, a in enumerate(art.authors)
    )
    follow = "".join(
        f'<li><a href="https://social.example/{handle_of(a)}">Follow @{handle_of(a)}</a></li>'
        for a in art.authors
    )
    paras = paragraphs_html(art)
    if len(paras) > 3:
        paras.insert(3, ad_slot("inline-1"))
    by = ("By " + authors) if authors else escape(o.name + " staff")
    updated = ""
    if art.updated:
        updated = (
            '<p class="meta__updated">Last modified on '
            f"{escape(fmt_date(art.updated.astimezone(o.tz), o.date_format, o.tz_label))}</p>"
        )
    body = f"""{cookie_banner(0)}
<header class="site-header">
  <a class="logo" href="/">{escape(o.name)}</a>
  <nav class="pillars" aria-label="Sections">{nav_links(o)}</nav>
  <a class="support" href="/about.html#support">Support us</a>
</header>
{ad_slot("top-banner")}
<main id="maincontent">
  <article class="content content--{slugify(art.section)}">
    <div class="content__labels"><a href="/{slugify(art.section)}/">{escape(art.section)}</a></div>
    <div class="content__headline"><h1>{escape(art.title)}</h1></div>
    <div class="content__standfirst"><p>{escape(art.summary)}</p></div>
    <div class="content__columns">
      <aside class="meta">
        <div class="meta__byline">{by}</div>
        <ul class="meta__social">{follow}</ul>
        <p class="meta__date">{escape(when)}</p>
        {updated}
        <div class="meta__share"><a href="#">Share on social</a> <a href="#">Email</a></div>
      </aside>
      <div class="content__article-body" itemprop="articleBody">
        {"".join(paras)}
      </div>
    </div>
    <div class="submeta"><span>Topics</span> <a href="/{sec}/">{escape(art.section)}</a></div>
  </article>
  {related_html(art, "More on this story", "onward related")}
  {comments_html(art, "Comments", "{d} {Mon} {yyyy} {HH}.{MM}")}
</main>
{newsletter(o)}
<footer class="site-footer">
  {nav_links(o, "footer-links")}
  {social_footer(o)}
  <p>&copy; {art.local.year} {escape(o.name)}. All rights reserved. Registered in England.</p>
</footer>"""
    head_html = head(art, o, path=art.path, description=art.summary)
    return page(o, head_html, body, "gazette article")


def tpl_wire(art: Article) -> str:
    """Metro Wire: terse wire layout, byline at the bottom, 'Updated x ago' junk on top."""
    o = art.outlet
    when = fmt_date(art.local, o.date_format, o.tz_label)
    reporting = (
        f'<p class="story-credits">Reporting by {escape(byline(art.authors))}; '
        "Editing by Desk Staff</p>"
        if art.authors
        else '<p class="story-credits">Compiled by the Metro Wire desk</p>'
    )
    minutes = max(1, sum(len(p.split()) for p in art.paragraphs) // 200)
    ago = 1 + art.pick("ago", 9)
    upd = ""
    if art.updated:
        upd = (
            '<span class="story-updated">Updated '
            f"{escape(fmt_date(art.updated.astimezone(o.tz), o.date_format, o.tz_label))}</span>"
        )
    more = "".join(
        f'<div class="more-item"><a href="{escape(r.path)}">{escape(r.title)}</a></div>'
        for r in related_for(art, 4)
    )
    body = f"""<div id="wrapper">
<div class="top-bar"><a class="brand" href="/">METRO WIRE</a>
  <div class="menu">{nav_links(o)}</div>
  <form class="search" action="/search"><input name="q" placeholder="Search"></form></div>
{cookie_banner(1)}
<div class="story">
  <div class="story-kicker">{escape(art.section.upper())}</div>
  <h1 class="story-headline">{escape(art.title)}</h1>
  <div class="story-meta"><span class="story-date">{escape(when)}</span>
    <span class="dot">&middot;</span> <span>{minutes} min read</span>
    <span class="dot">&middot;</span> <span class="story-ago">Updated {ago} hours ago</span> {upd}</div>
  <div class="story-body">
    {"".join(paragraphs_html(art, "story-para"))}
  </div>
  {reporting}
  <p class="trust">Our Standards: The Metro Wire Trust Principles.</p>
</div>
{ad_slot("wire-right-rail")}
{newsletter(o)}
<div class="more-from"><h3>More from Metro Wire</h3>{more}</div>
<div class="bottom-bar">{social_footer(o)}<span>All quotes delayed a minimum of 15 minutes.</span>
  <span>&copy; {art.local.year} Metro Wire</span></div>
</div>"""
    head_html = head(art, o, path=art.path, description=art.summary)
    return page(o, head_html, body, "wire")


def tpl_regional(art: Article) -> str:
    """The Northern Courier: old CMS grid, byline box in the right sidebar."""
    o = art.outlet
    sec = slugify(art.section)
    when = fmt_date(art.local, o.date_format, o.tz_label)
    names = byline(art.authors) or "Courier staff"
    emails = "".join(
        f'<a class="email-author" href="mailto:{handle_of(a)}@{o.domain}">Email the author</a>'
        for a in art.authors[:1]
    )
    paras = paragraphs_html(art, "body-text")
    if len(paras) > 2:
        paras.insert(2, '<div class="inline-promo">' + newsletter(o) + "</div>")
    updated = ""
    if art.updated:
        updated = (
            f'<div class="updated">Updated: '
            f"{escape(fmt_date(art.updated.astimezone(o.tz), o.date_format, o.tz_label))}</div>"
        )
    body = f"""<table class="masthead" width="100%"><tr>
  <td class="logo-cell"><a href="/"><img src="/static/logo.gif" alt="{escape(o.name)}"></a></td>
  <td class="weather-cell">Today: 2&deg;C, light snow</td></tr></table>
<div class="navbar">{nav_links(o, "nav")}</div>
{cookie_banner(0)}
<div class="container">
 <div class="row">
  <div class="col-main">
    <div class="breadcrumb"><a href="/">Home</a> &raquo; <a href="/{sec}/">{escape(art.section)}</a></div>
    <h1 class="headline">{escape(art.title)}</h1>
    <h2 class="subhead">{escape(art.summary)}</h2>
    <div class="posted">Posted {escape(when)}</div>
    {updated}
    <div class="story-text">
      {"".join(paras)}
    </div>
    {comments_html(art, "Reader comments", "{mon_ap} {d}, {yyyy} {h}:{MM} {ampm}")}
  </div>
  <div class="col-side">
    <div class="author-box"><span class="by">By {escape(names)}</span>
      <span class="role">The Northern Courier</span> {emails}</div>
    {ad_slot("sidebar-300x250")}
    {related_html(art, "Related stories", "related-box")}
    <div class="most-popular"><h3>Most popular</h3>{nav_links(o)}</div>
  </div>
 </div>
</div>
<div id="footer"><p>The Northern Courier &bull; Serving the north since 1872</p>
  {social_footer(o)}<p>Copyright &copy; {art.local.year}. All rights reserved.</p></div>"""
    head_html = head(art, o, path=art.path, description=art.summary)
    return page(o, head_html, body, "courier story-page")


def tpl_daily(art: Article) -> str:
    """The Daily Ledger: no machine metadata at all, the date is only in visible text."""
    o = art.outlet
    when = fmt_date(art.local, o.date_format, o.tz_label)
    names = byline(art.authors)
    paras = paragraphs_html(art, "story-text")
    rel = related_for(art, 2)
    if len(paras) > 2 and rel:
        paras.insert(
            2,
            f'<p class="read-more"><strong>READ MORE:</strong> <a href="{escape(rel[0].path)}">'
            f"{escape(rel[0].title)}</a></p>",
        )
    if len(paras) > 4:
        paras.insert(4, ad_slot("mid-article"))
    who = (
        f'<div class="byline-block">By <span class="author-name">{escape(names)}</span>'
        '<span class="role"> | Ledger staff writers</span></div>'
        if names
        else '<div class="byline-block">From staff and wire reports</div>'
    )
    body = f"""<div class="ledger-top">{ad_slot("leaderboard")}</div>
<header><div class="brand"><a href="/">The Daily Ledger</a></div>
  <nav class="main-nav">{nav_links(o)}</nav>
  <a class="subscribe" href="/about.html#subscribe">Subscribe for $1</a></header>
{cookie_banner(1)}
<section class="story-wrap">
  <p class="section-label">{escape(art.section)}</p>
  <h1>{escape(art.title)}</h1>
  {who}
  <div class="dateline">{escape(when)}</div>
  <section class="story-body">
    {"".join(paras)}
  </section>
  <p class="corrections">Have a correction? <a href="/about.html#corrections">Tell us</a>.</p>
</section>
{newsletter(o)}
{comments_html(art, "Conversation", "{month} {d}, {yyyy}")}
{related_html(art, "You might also like", "recirc")}
<footer><div class="footer-brand">The Daily Ledger</div>{nav_links(o)}
  <small>&copy; {art.local.year} The Daily Ledger Company</small></footer>"""
    head_html = head(art, o, path=art.path, description=art.summary)
    return page(o, head_html, body, "ledger")


def tpl_digital(art: Article) -> str:
    """Globe Dispatch: app-like markup with hashed class names and a ``<time>`` element."""
    o = art.outlet
    when = fmt_date(art.local, o.date_format, o.tz_label)
    chips = "".join(
        f'<a class="AuthorChip_chip__7Qx2" href="/authors/{slugify(a)}/">{escape(a)}</a>'
        for a in art.authors
    )
    bios = "".join(
        f'<div class="AuthorBio_bio__k1"><strong>{escape(a)}</strong> is a correspondent for '
        f'Globe Dispatch. <a href="https://social.example/{handle_of(a)}">Follow @'
        f"{handle_of(a)}</a></div>"
        for a in art.authors
    )
    paras = [f'<p class="Paragraph_p__3f9a">{escape(p)}</p>' for p in art.paragraphs]
    if len(paras) > 3:
        paras.insert(3, ad_slot("gd-inline"))
    upd = ""
    if art.updated:
        u = art.updated.astimezone(o.tz)
        upd = (
            f'<span class="Meta_updated__x">Updated <time datetime="{iso(u)}">'
            f"{escape(fmt_date(u, o.date_format, o.tz_label))}</time></span>"
        )
    body = f"""<div id="__next"><div class="Layout_root__a81">
<header class="Header_header__Zr2"><a class="Header_logo__p0" href="/">Globe Dispatch</a>
  <nav class="Header_nav__Q1">{nav_links(o)}</nav>
  <button class="Header_menu__z">Menu</button></header>
{cookie_banner(0)}
<main class="Article_main__W3">
  <div class="Article_grid__9b">
    <div class="Article_content__f4">
      <span class="Tag_tag__1">{escape(art.section)}</span>
      <h1 class="Headline_h1__Lw" data-testid="headline">{escape(art.title)}</h1>
      <p class="Dek_dek__2y">{escape(art.summary)}</p>
      <div class="Meta_meta__Vt"><div class="Meta_authors__c">{chips}</div>
        <time datetime="{iso(art.local)}">{escape(when)}</time> {upd}</div>
      <div class="ArticleBody_body__Hh" data-testid="article-body">{"".join(paras)}</div>
      <div class="AuthorBio_wrap__0">{bios}</div>
    </div>
    <aside class="Rail_rail__6m">{ad_slot("rail-top")}{newsletter(o)}
      {related_html(art, "Read next", "Rail_related__N")}</aside>
  </div>
  {comments_html(art, "Join the discussion", "{yyyy}-{mm}-{dd} {HH}:{MM} {tz}")}
</main>
<footer class="Footer_footer__m2">{nav_links(o)}{social_footer(o)}
  <p>Globe Dispatch &copy; {art.local.year}</p></footer>
</div></div>"""
    head_html = head(art, o, path=art.path, description=art.summary)
    return page(o, head_html, body, "gd")


def tpl_tabloid(art: Article) -> str:
    """Riverside Post: shouty tabloid; byline + follow link on top, 'Most read' mid-article."""
    o = art.outlet
    when = fmt_date(art.local, o.date_format, o.tz_label)
    names = byline(art.authors)
    who = (
        f'<div class="author">By <a href="/authors/{slugify(art.authors[0])}">{escape(names)}</a>'
        f', Reporter <a class="follow" href="https://social.example/{handle_of(art.authors[0])}">'
        f"Follow @{handle_of(art.authors[0])}</a></div>"
        if names
        else '<div class="author">By Riverside Post reporters</div>'
    )
    paras = paragraphs_html(art)
    most = "".join(
        f'<li><a href="{escape(r.path)}">{escape(r.title)}</a></li>' for r in related_for(art, 3)
    )
    if len(paras) > 2:
        paras.insert(2, f'<div class="most-read"><h4>MOST READ</h4><ol>{most}</ol></div>')
    stamp = f"{art.local:%H:%M}, {escape(when)}"
    tip = f"news@{o.domain}"
    updated = ""
    if art.updated:
        u = art.updated.astimezone(o.tz)
        updated = f' | Updated: <time datetime="{iso(u)}">{u:%H:%M}, {u:%d/%m/%Y}</time>'
    body = f"""<div class="page">
{cookie_banner(1)}
<div class="header"><a href="/" class="logo">RIVERSIDE POST</a>
  <div class="nav">{nav_links(o)}</div></div>
{ad_slot("billboard")}
<div class="article">
  <h1 class="article-title">{escape(art.title)}</h1>
  <ul class="share"><li>Share</li><li><a href="#">Facebook</a></li><li><a href="#">X</a></li>
    <li><a href="#">WhatsApp</a></li></ul>
  {who}
  <div class="dates">Published: <time datetime="{iso(art.local)}">{stamp}</time>{updated}</div>
  <div class="article-body">
    {"".join(paras)}
  </div>
  <div class="got-a-story">Got a story? Email <a href="mailto:{tip}">{tip}</a></div>
</div>
{comments_html(art, "Comments", "{dd}/{mm}/{yyyy} {HH}:{MM}")}
<div class="footer">{newsletter(o)}{social_footer(o)}
  <p>&copy; Riverside Post {art.local.year}</p></div>
</div>"""
    head_html = head(art, o, path=art.path, description=art.summary)
    return page(o, head_html, body, "rp")


TEMPLATES = {
    "broadsheet": tpl_broadsheet,
    "wire": tpl_wire,
    "regional": tpl_regional,
    "daily": tpl_daily,
    "digital": tpl_digital,
    "tabloid": tpl_tabloid,
}


# --------------------------------------------------------------------------- index pages


def listing(outlet: Outlet, articles: list[Article]) -> str:
    items = []
    for a in sorted(articles, key=lambda a: (a.published, a.key), reverse=True):
        when = fmt_date(a.local, outlet.date_format, outlet.tz_label)
        items.append(
            f'<li class="teaser"><a class="teaser-link" href="{escape(a.path)}">{escape(a.title)}'
            f'</a><p class="teaser-standfirst">{escape(a.summary)}</p>'
            f'<span class="teaser-date">{escape(when)}</span></li>'
        )
    return '<ul class="teasers">' + "".join(items) + "</ul>"


def index_page(outlet: Outlet, title: str, path: str, intro: str, content: str) -> str:
    extra = ""
    if outlet.slug == "harbour-gazette" and path == "/":
        extra = '<p class="staff"><a href="/private/staff-notes.html">Staff area</a></p>'
    body = f"""{cookie_banner(0)}
<header class="site-header"><a class="logo" href="/">{escape(outlet.name)}</a>
  <nav>{nav_links(outlet)}</nav></header>
<main class="front">
  <h1 class="front-title">{escape(title)}</h1>
  <p class="intro">{escape(intro)}</p>
  {content}
  {extra}
</main>
{newsletter(outlet)}
<footer>{nav_links(outlet)}{social_footer(outlet)}</footer>"""
    return page(outlet, head(title, outlet, path=path, description=intro), body, "index-page")


def render_indexes(outlet: Outlet) -> dict[str, str]:
    files = {}
    first = max(outlet.articles, key=lambda a: a.published).local.year
    files["index.html"] = index_page(
        outlet,
        f"{outlet.name}: latest news",
        "/",
        f"The latest from {outlet.name}.",
        listing(outlet, outlet.articles),
    )
    for section in outlet.sections():
        arts = [a for a in outlet.articles if a.section == section]
        path = f"/{slugify(section)}/"
        files[f"{slugify(section)}/index.html"] = index_page(
            outlet, section, path, f"{section} news from {outlet.name}.", listing(outlet, arts)
        )
    files["about.html"] = index_page(
        outlet,
        f"About {outlet.name}",
        "/about.html",
        f"{outlet.name} is a fictional news outlet created for the newslab sample corpus.",
        f'<p id="privacy">Privacy: we use cookies.</p><p id="corrections">Corrections: write to '
        f"corrections@{outlet.domain}.</p><p>&copy; {first} {escape(outlet.name)}</p>",
    )
    if outlet.slug == "harbour-gazette":
        files["private/staff-notes.html"] = index_page(
            outlet,
            "Staff notes (internal)",
            "/private/staff-notes.html",
            "Internal page: disallowed for crawlers by robots.txt; not part of the corpus.",
            "<p>Rota changes and embargoed drafts. Robots must not fetch this page.</p>",
        )
    return files


# --------------------------------------------------------------------------- feeds, sitemaps


def rss_feed(outlet: Outlet) -> str:
    arts = sorted(outlet.articles, key=lambda a: (a.published, a.key), reverse=True)
    items = []
    for a in arts:
        creator = (
            f"\n      <dc:creator>{escape(byline(a.authors))}</dc:creator>" if a.authors else ""
        )
        items.append(
            f"""    <item>
      <title>{escape(a.title)}</title>
      <link>{escape(a.url)}</link>
      <guid isPermaLink="true">{escape(a.url)}</guid>
      <pubDate>{rfc822(a.published)}</pubDate>{creator}
      <category>{escape(a.section)}</category>
      <description>{escape(a.summary)}</description>
    </item>"""
        )
    latest = rfc822(arts[0].published)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>{escape(outlet.name)}</title>
    <link>{outlet.base}/</link>
    <description>Latest news from {escape(outlet.name)}</description>
    <language>{outlet.language}</language>
    <lastBuildDate>{latest}</lastBuildDate>
    <atom:link href="{outlet.base}{outlet.feed["path"]}" rel="self" type="application/rss+xml"/>
{chr(10).join(items)}
  </channel>
</rss>
"""


def atom_feed(outlet: Outlet) -> str:
    arts = sorted(outlet.articles, key=lambda a: (a.published, a.key), reverse=True)
    entries = []
    for a in arts:
        upd = a.updated or a.published
        authors = "".join(f"<author><name>{escape(n)}</name></author>" for n in a.authors) or (
            f"<author><name>{escape(outlet.name)}</name></author>"
        )
        entries.append(
            f"""  <entry>
    <title>{escape(a.title)}</title>
    <link rel="alternate" type="text/html" href="{escape(a.url)}"/>
    <id>tag:{outlet.domain},{a.local:%Y-%m-%d}:{a.number}</id>
    <published>{iso(a.published.astimezone(UTC)).replace("+00:00", "Z")}</published>
    <updated>{iso(upd.astimezone(UTC)).replace("+00:00", "Z")}</updated>
    {authors}
    <category term="{escape(a.section)}"/>
    <summary type="text">{escape(a.summary)}</summary>
  </entry>"""
        )
    latest = max((a.updated or a.published) for a in arts).astimezone(UTC)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{outlet.language}">
  <title>{escape(outlet.name)}</title>
  <subtitle>Top news from {escape(outlet.name)}</subtitle>
  <link rel="self" type="application/atom+xml" href="{outlet.base}{outlet.feed["path"]}"/>
  <link rel="alternate" type="text/html" href="{outlet.base}/"/>
  <id>{outlet.base}/</id>
  <updated>{iso(latest).replace("+00:00", "Z")}</updated>
{chr(10).join(entries)}
</feed>
"""


def urlset(outlet: Outlet, arts: list[Article], news: bool) -> str:
    ns = ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"' if news else ""
    rows = []
    for a in sorted(arts, key=lambda a: (a.published, a.key)):
        extra = ""
        if news:
            extra = (
                f"<news:news><news:publication><news:name>{escape(outlet.name)}</news:name>"
                f"<news:language>{outlet.language[:2]}</news:language></news:publication>"
                f"<news:publication_date>{iso(a.local)}</news:publication_date>"
                f"<news:title>{escape(a.title)}</news:title></news:news>"
            )
        lastmod = iso((a.updated or a.published).astimezone(outlet.tz))
        rows.append(f"  <url><loc>{escape(a.url)}</loc><lastmod>{lastmod}</lastmod>{extra}</url>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"{ns}>\n'
        + "\n".join(rows)
        + "\n</urlset>\n"
    )


def render_sitemaps(outlet: Outlet) -> dict[str, str]:
    if not outlet.sitemap:
        return {}
    name = outlet.sitemap.lstrip("/")
    if outlet.template != "digital":
        return {name: urlset(outlet, outlet.articles, news=outlet.template == "broadsheet")}
    # Globe Dispatch publishes a sitemap index with one child sitemap per month.
    months: dict[str, list[Article]] = {}
    for a in outlet.articles:
        months.setdefault(f"{a.local:%Y-%m}", []).append(a)
    files, refs = {}, []
    for month in sorted(months):
        child = f"sitemaps/sitemap-{month}.xml"
        files[child] = urlset(outlet, months[month], news=False)
        last = max((a.updated or a.published) for a in months[month]).astimezone(outlet.tz)
        refs.append(
            f"  <sitemap><loc>{outlet.base}/{child}</loc><lastmod>{iso(last)}</lastmod></sitemap>"
        )
    files[name] = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "\n".join(refs)
        + "\n</sitemapindex>\n"
    )
    return files


# --------------------------------------------------------------------------- build


def render_outlet(outlet: Outlet) -> dict[str, str]:
    files: dict[str, str] = {"robots.txt": outlet.robots}
    files.update(render_indexes(outlet))
    files.update(render_sitemaps(outlet))
    feed = atom_feed(outlet) if outlet.feed["type"] == "atom" else rss_feed(outlet)
    files[outlet.feed["path"].lstrip("/")] = feed
    render = TEMPLATES[outlet.template]
    for art in outlet.articles:
        if art.file in files:
            raise SourceError(f"{art.key}: its page {art.file} clashes with a site page")
        files[art.file] = render(art)
    return files


def build(source: Path, site: Path, gold: Path, outlets_path: Path | None = None) -> dict:
    """Render ``source`` into ``site`` and write ``gold``; return the gold dict."""
    outlets_path = outlets_path or (
        source / "outlets.json"
        if (source / "outlets.json").exists()
        else HERE / "source" / "outlets.json"
    )
    outlets = load_outlets(outlets_path)
    articles = load_articles(source / "articles", outlets)
    for art in sorted(articles, key=lambda a: (a.published, a.key)):
        art.outlet.articles.append(art)
    assign_paths(articles)
    empty = [o.slug for o in outlets.values() if not o.articles]
    if empty:
        print(f"note: no articles yet for {', '.join(empty)}; their sites are skipped")

    scratch = site.with_name(site.name + ".building")
    if scratch.exists():
        shutil.rmtree(scratch)
    scratch.mkdir(parents=True)
    manifest: dict[str, Any] = {"outlets": [], "articles": []}
    for slug in sorted(outlets):
        outlet = outlets[slug]
        if not outlet.articles:
            continue
        for rel, text in sorted(render_outlet(outlet).items()):
            target = scratch / slug / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", newline="\n")
        manifest["outlets"].append(
            {
                "slug": slug,
                "name": outlet.name,
                "domain": outlet.domain,
                "homepage": "/",
                "feed": outlet.feed,
                "sitemap": outlet.sitemap,
            }
        )
    ordered = sorted(articles, key=lambda a: a.key)
    for art in ordered:
        manifest["articles"].append(
            {
                "key": art.key,
                "outlet": art.outlet.slug,
                "url_path": art.path,
                "file": f"{art.outlet.slug}/{art.file}",
                "url": art.url,
            }
        )
    (scratch / "manifest.json").write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    stories: dict[str, int] = {}
    for art in ordered:
        if art.story:
            stories[art.story] = stories.get(art.story, 0) + 1
    gold_data = {
        "articles": [
            {
                "key": art.key,
                "url": art.url,
                "path": f"{art.outlet.slug}/{art.file}",
                "outlet": art.outlet.name,
                "story": art.story,
                "published": iso(art.published.astimezone(UTC)),
            }
            for art in ordered
        ],
        "stories": dict(sorted(stories.items())),
    }
    if site.exists():
        shutil.rmtree(site)
    os.replace(scratch, site)
    with atomic_write(gold, "w", newline="\n") as fh:
        fh.write(json.dumps(gold_data, indent=2, ensure_ascii=False) + "\n")
    return gold_data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=HERE / "source")
    parser.add_argument("--site", type=Path, default=HERE / "site")
    parser.add_argument("--gold", type=Path, default=HERE / "gold.json")
    parser.add_argument("--outlets", type=Path, default=None, help="default: <source>/outlets.json")
    args = parser.parse_args(argv)
    try:
        gold = build(args.source, args.site, args.gold, args.outlets)
    except SourceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    n = len(gold["articles"])
    print(f"rendered {n} articles into {args.site}; stories: {gold['stories']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
