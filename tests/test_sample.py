"""The sample news site: rendering, local servers, gold labels and summaries."""

from __future__ import annotations

import hashlib
import http.client
import importlib.util
import json
import re
import sys
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import lxml.html
import pandas as pd
import pytest
from protego import Protego

from newslab.corpus import canonical_url
from newslab.paths import sample_dir
from newslab.sample import (
    DEFECT_KINDS,
    gold_labels,
    load_gold,
    load_summaries,
    sample_pages,
    serve_sample,
)

SAMPLE = sample_dir()
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _load_builder():
    if "newslab_sample_build_site" in sys.modules:
        return sys.modules["newslab_sample_build_site"]
    spec = importlib.util.spec_from_file_location(
        "newslab_sample_build_site", SAMPLE / "build_site.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while building
    spec.loader.exec_module(module)
    return module


def fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with OPENER.open(url, timeout=10) as resp:
            return resp.status, resp.headers["Content-Type"], resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers["Content-Type"], err.read()


@pytest.fixture(scope="module")
def site():
    with serve_sample() as running:
        yield running


@pytest.fixture(scope="module")
def gold() -> pd.DataFrame:
    return load_gold()


@pytest.fixture(scope="module")
def outlets() -> list[dict]:
    return json.loads((SAMPLE / "source" / "outlets.json").read_text("utf-8"))["outlets"]


# --------------------------------------------------------------------------- build


def _tree_digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha1(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_build_is_deterministic_and_matches_committed_site(tmp_path):
    builder = _load_builder()
    for run in ("a", "b"):
        builder.build(SAMPLE / "source", tmp_path / run / "site", tmp_path / run / "gold.json")
    first = _tree_digest(tmp_path / "a")
    assert first == _tree_digest(tmp_path / "b")
    # idempotent: a rebuild over an existing site leaves no stale files behind
    (tmp_path / "a" / "site" / "stale.html").write_text("old")
    builder.build(SAMPLE / "source", tmp_path / "a" / "site", tmp_path / "a" / "gold.json")
    assert _tree_digest(tmp_path / "a") == first
    committed = _tree_digest(SAMPLE / "site")
    committed["gold.json"] = hashlib.sha1((SAMPLE / "gold.json").read_bytes()).hexdigest()
    fresh = {k.removeprefix("site/"): v for k, v in first.items()}
    assert fresh == committed, "data/sample/site is stale: run data/sample/build_site.py"


def test_build_reports_every_bad_source(tmp_path):
    builder = _load_builder()
    arts = tmp_path / "articles"
    arts.mkdir()
    (arts / "metro-wire--ok.json").write_text(
        json.dumps(
            {
                "outlet": "metro-wire",
                "slug": "ok",
                "story": "no-such-story",
                "title": "T",
                "authors": [],
                "published": "2024-01-02T10:00:00",
                "section": "World",
                "summary": "S",
                "paragraphs": ["P"],
            }
        )
    )
    (arts / "nowhere--x.json").write_text(json.dumps({"outlet": "nowhere", "slug": "x"}))
    with pytest.raises(builder.SourceError) as info:
        builder.build(
            tmp_path, tmp_path / "site", tmp_path / "gold.json", SAMPLE / "source" / "outlets.json"
        )
    msg = str(info.value)
    assert "no UTC offset" in msg and "no-such-story" in msg and "nowhere--x.json" in msg
    assert not (tmp_path / "site").exists()


def test_date_formats_follow_house_style():
    builder = _load_builder()
    from datetime import datetime

    dt = datetime.fromisoformat("2023-12-30T18:45:00-05:00")
    outlets = builder.load_outlets(SAMPLE / "source" / "outlets.json")
    got = {s: builder.fmt_date(dt, o.date_format, o.tz_label) for s, o in outlets.items()}
    assert got["northern-courier"] == "Dec. 30, 2023 at 6:45 p.m. EST"
    assert got["daily-ledger"] == "Saturday, December 30, 2023"
    assert got["riverside-post"] == "30/12/2023"
    assert got["globe-dispatch"] == "2023-12-30 18:45 UTC"
    assert got["harbour-gazette"] == "Sat 30 December 2023 18.45 GMT"


# --------------------------------------------------------------------------- gold


def test_gold_covers_every_article(gold):
    pages = sample_pages()
    sources = sorted(p.stem for p in (SAMPLE / "source" / "articles").glob("*.json"))
    assert gold.key.tolist() == sources == pages.key.tolist()
    assert gold.url.tolist() == pages.url.tolist()
    assert gold.url.is_unique
    assert all(canonical_url(u) == u for u in gold.url)
    for rel in gold.path:
        assert (SAMPLE / "site" / rel).is_file(), rel
    assert gold.published.notna().all()
    span = gold.published.max() - gold.published.min()
    assert span >= pd.Timedelta(days=14)
    raw = json.loads((SAMPLE / "gold.json").read_text("utf-8"))
    assert raw["stories"] == gold.story.dropna().value_counts().sort_index().to_dict()


def test_every_story_has_enough_articles_and_outlets(gold):
    assert len(gold) >= 64
    stories = gold.dropna(subset=["story"]).groupby("story")
    assert len(stories) == 8
    for label, grp in stories:
        assert len(grp) >= 4, f"{label}: only {len(grp)} articles"
        assert grp.outlet.nunique() >= 3, f"{label}: only {grp.outlet.nunique()} outlets"
    assert gold.story.isna().sum() >= 8


def test_gold_labels_match_on_canonical_url(gold):
    corpus = pd.DataFrame(
        {"url": [gold.url[0] + "?utm_source=rss", "https://other.example/x", None]},
        index=[10, 11, 12],
    )
    labels = gold_labels(corpus, gold)
    assert labels.index.tolist() == [10, 11, 12]
    assert labels[10] == gold.story[0] and labels[11] is None and labels[12] is None
    solo = gold_labels(pd.DataFrame({"url": gold.url}), gold, solo=True)
    assert solo.notna().all()
    lone = gold.story.isna()
    assert (solo[lone] == "solo:" + gold.key[lone]).all()
    assert solo[lone].is_unique
    with pytest.raises(ValueError, match="'url'"):
        gold_labels(pd.DataFrame({"link": []}), gold)


# --------------------------------------------------------------------------- pages


def _parse(path: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(Path(path).read_bytes())


def test_every_article_page_has_canonical_title_and_outlet_name(gold):
    pages = sample_pages().merge(gold[["key", "outlet"]].rename(columns={"outlet": "name"}))
    for row in pages.itertuples():
        raw = Path(row.path).read_bytes()
        raw.decode("utf-8")  # strict: every page is valid UTF-8
        assert b'<meta charset="utf-8">' in raw
        doc = lxml.html.fromstring(raw)
        assert doc.xpath('//link[@rel="canonical"]/@href') == [row.url], row.key
        names = set(
            doc.xpath('//meta[@property="og:site_name" or @name="application-name"]/@content')
        )
        for script in doc.xpath('//script[@type="application/ld+json"]/text()'):
            names.add(json.loads(script)["publisher"]["name"])
        title = doc.findtext(".//title")
        assert row.name in names or title.endswith(" | " + row.name), row.key
        assert len(doc.xpath("//h1")) == 1


def test_metadata_mix_per_outlet(outlets):
    pages = sample_pages()
    seen = {}
    for slug, grp in pages.groupby("outlet"):
        doc = _parse(grp.path.iloc[0])
        seen[slug] = (
            bool(doc.xpath('//meta[@property="article:published_time"]')),
            bool(doc.xpath('//script[@type="application/ld+json"]')),
        )
    assert (True, True) in seen.values()
    assert (False, False) in seen.values()
    assert any(og and not ld for og, ld in seen.values())
    assert any(ld and not og for og, ld in seen.values())
    for o in outlets:
        if o["slug"] in seen:
            assert seen[o["slug"]] == (o["metadata"]["opengraph"], o["metadata"]["json_ld"])


def _skeleton(doc: lxml.html.HtmlElement, depth: int = 4) -> str:
    def walk(el, d):
        if not isinstance(el.tag, str) or d > depth:
            return ""
        cls = " ".join(sorted((el.get("class") or "").split()))
        inner = ",".join(filter(None, (walk(c, d + 1) for c in el)))
        return f"{el.tag}.{cls}({inner})"

    return walk(doc.find("body"), 0)


def test_templates_really_differ():
    pages = sample_pages()
    skeletons = {slug: _skeleton(_parse(grp.path.iloc[0])) for slug, grp in pages.groupby("outlet")}
    assert len(set(skeletons.values())) == len(skeletons) == 6
    # every template carries the boilerplate an extractor must strip
    for slug, grp in pages.groupby("outlet"):
        text = _parse(grp.path.iloc[0]).text_content()
        assert "Advertisement" in text, slug
        assert "cookies" in text.lower(), slug
        assert "newsletter" in text.lower(), slug


def test_body_text_is_rendered_and_escaped():
    arts = SAMPLE / "source" / "articles"
    for row in sample_pages().itertuples():
        src = json.loads((arts / f"{row.key}.json").read_text("utf-8"))
        doc = _parse(row.path)
        paras = {" ".join(p.text_content().split()) for p in doc.iter("p")}
        for para in src["paragraphs"]:
            assert " ".join(para.split()) in paras, row.key
        assert " ".join(doc.findtext(".//h1").split()) == " ".join(src["title"].split())


# --------------------------------------------------------------------------- servers


def test_servers_each_outlet_on_its_own_port(site, outlets):
    assert sorted(site.outlets) == sorted(o["slug"] for o in outlets)
    netlocs = {urlsplit(u).netloc for u in site.outlets.values()}
    assert len(netlocs) == 6 and all(n.startswith("127.0.0.1:") for n in netlocs)
    for home in site.homepages:
        status, ctype, body = fetch(home)
        assert status == 200 and ctype == "text/html; charset=utf-8"
    assert len(site.sitemaps) >= 2 and len(site.feeds) == 6


def test_robots_txt_differ_and_are_served(site):
    bodies = {}
    for url in site.robots:
        status, ctype, body = fetch(url)
        assert status == 200 and ctype.startswith("text/plain")
        bodies[url] = body.decode()
    assert len(set(bodies.values())) == 6
    texts = "\n".join(bodies.values())
    assert "Crawl-delay: 1" in texts and "Disallow: /private/" in texts
    assert "Sitemap: http://127.0.0.1:" in texts  # rewritten to the served host
    gazette = site.outlets["harbour-gazette"]
    rules = Protego.parse(bodies[gazette + "/robots.txt"])
    assert not rules.can_fetch(gazette + "/private/staff-notes.html", "newslab")
    home = fetch(gazette + "/")[2].decode()
    assert 'href="/private/staff-notes.html"' in home  # the trap is linked
    courier = site.outlets["northern-courier"]
    rules = Protego.parse(bodies[courier + "/robots.txt"])
    assert not rules.can_fetch(courier + "/", "GPTBot") and rules.can_fetch(
        courier + "/", "newslab"
    )


def test_feeds_parse_and_list_every_article(site, gold):
    served = set(site.articles.values())
    listed = set()
    for url in site.feeds:
        status, ctype, body = fetch(url)
        assert status == 200
        parsed = feedparser.parse(body)
        assert not parsed.bozo, (url, parsed.get("bozo_exception"))
        kind = "atom" if parsed.version.startswith("atom") else "rss"
        assert ctype == f"application/{kind}+xml; charset=utf-8"
        for entry in parsed.entries:
            assert entry.title and entry.get("summary") and entry.get("published_parsed")
            listed.add(entry.link)
    assert listed == served
    assert {urlsplit(u).scheme for u in listed} == {"http"}
    versions = {feedparser.parse(fetch(u)[2]).version for u in site.feeds}
    assert "atom10" in versions and "rss20" in versions


def test_sitemaps_list_their_articles(site):
    for url in site.sitemaps:
        status, ctype, body = fetch(url)
        assert status == 200 and ctype == "application/xml; charset=utf-8"
        locs = re.findall(r"<loc>([^<]+)</loc>", body.decode())
        if b"<sitemapindex" in body:
            locs = [
                loc
                for child in locs
                for loc in re.findall(r"<loc>([^<]+)</loc>", fetch(child)[2].decode())
            ]
        base = url.rsplit("/", 1)[0]
        expected = {u for u in site.articles.values() if u.startswith(base + "/")}
        assert set(locs) == expected


def test_articles_served_with_canonical_and_404s(site, gold):
    for key in gold.key:
        status, ctype, body = fetch(site.url_for(key))
        assert status == 200 and ctype == "text/html; charset=utf-8", key
        doc = lxml.html.fromstring(body)
        canonical = doc.xpath('//link[@rel="canonical"]/@href')[0]
        assert canonical == gold.set_index("key").url[key]
        assert site.canonical(site.url_for(key)) == canonical
        assert site.served_url(canonical) == site.url_for(key)
    base = site.outlets["daily-ledger"]
    assert fetch(base + "/no/such/page.html")[0] == 404
    assert fetch(base + "/feed.xml.bak")[0] == 404
    with pytest.raises(KeyError, match="no sample article"):
        site.url_for("nope--nope")
    # path traversal never leaves the outlet's document root
    host, port = urlsplit(base).hostname, urlsplit(base).port
    conn = http.client.HTTPConnection(host, port, timeout=5)
    conn.request("GET", "/../harbour-gazette/robots.txt")
    assert conn.getresponse().status == 404
    conn.close()


def test_close_stops_servers():
    running = serve_sample()
    home = running.homepages[0]
    assert fetch(home)[0] == 200
    running.close()
    running.close()  # idempotent
    with pytest.raises(urllib.error.URLError):
        OPENER.open(home, timeout=2)


def test_missing_site_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="build_site.py"):
        serve_sample(tmp_path)
    with pytest.raises(FileNotFoundError, match="build_site.py"):
        sample_pages(tmp_path)


# --------------------------------------------------------------------------- summaries


def test_summaries_are_well_formed(gold):
    summaries = load_summaries()
    assert len(summaries) >= 8
    assert summaries.id.is_monotonic_increasing and summaries.id.is_unique
    keys = set(gold.key)
    stories = set(gold.story.dropna())
    kinds = Counter()
    for row in summaries.itertuples():
        assert row.story in stories, row.id
        assert isinstance(row.faithful, bool)
        assert len(row.defects) <= 2
        assert row.faithful == (len(row.defects) == 0), row.id
        for defect in row.defects:
            assert defect["kind"] in DEFECT_KINDS, row.id
            assert defect["span"] and defect["span"] in row.text, (row.id, defect["span"])
            kinds[defect["kind"]] += 1
        for sent in row.sentences:
            assert sent["text"] in row.text, (row.id, sent["text"])
            assert set(sent["sources"]) <= keys, (row.id, sent["sources"])
        txt = SAMPLE / "summaries" / f"{row.id}.txt"
        assert txt.read_text("utf-8").strip() == row.text.strip(), row.id
    assert summaries.faithful.sum() >= 3
    assert all(kinds[k] >= 2 for k in DEFECT_KINDS), kinds


def test_load_summaries_rejects_unknown_defect_kind(tmp_path):
    record = {
        "id": "x",
        "story": "s",
        "dateline": "2024-01-03",
        "text": "t",
        "faithful": False,
        "sentences": [],
        "defects": [{"kind": "typo", "span": "t"}],
    }
    (tmp_path / "x.json").write_text(json.dumps(record))
    with pytest.raises(ValueError, match="x.json.*typo"):
        load_summaries(tmp_path)


def test_homepages_link_every_article_and_index_pages(site, gold):
    pages = sample_pages()
    for slug, base in site.outlets.items():
        status, _, body = fetch(base + "/")
        doc = lxml.html.fromstring(body)
        hrefs = {h for h in doc.xpath("//a/@href") if h.startswith("/")}
        paths = {urlsplit(u).path for u in pages[pages.outlet == slug].url}
        assert paths <= hrefs, slug
        sections = {h for h in hrefs if h.endswith("/") and h != "/" and h.count("/") == 2}
        assert sections, slug  # section index pages: linked, served, and not articles
        for section in sections:
            assert fetch(base + section)[0] == 200
            assert base + section not in site.articles.values()
    conn = http.client.HTTPConnection(urlsplit(base).hostname, urlsplit(base).port, timeout=5)
    conn.request("HEAD", "/robots.txt")
    resp = conn.getresponse()
    assert resp.status == 200 and int(resp.getheader("Content-Length")) > 0 and resp.read() == b""
    conn.close()
