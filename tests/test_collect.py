"""Collection inputs, archive, resume and offline replay, against local servers."""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

import newslab.collection as nc
from newslab.archive import Archive, read_warc
from newslab.collection import collect, collect_archive, collect_detailed
from newslab.corpus import read_corpus, validate_corpus
from newslab.fetch import FetchResult
from tests._servers import Page, Server, article_html, servers

FAST = dict(
    max_per_host_rps=None,
    backoff=0.02,
    read_timeout=0.5,
    connect_timeout=0.5,
    contact="tests@newslab.example",
    progress=False,
)
REPO = Path(__file__).resolve().parent.parent


def site(n: int = 6, **page_kw) -> dict[str, Page]:
    return {f"/news/{i}.html": Page(article_html(f"Story {i}", n=i), **page_kw) for i in range(n)}


def rss(srv: Server, paths: list[str], dates: bool = True) -> Page:
    items = "".join(
        f"<item><title>t{i}</title><link>{srv.url(p)}?utm_source=rss</link>"
        + (f"<pubDate>Sat, {10 + i} Dec 2023 10:00:00 GMT</pubDate>" if dates else "")
        + "</item>"
        for i, p in enumerate(paths)
    )
    return Page(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{items}</channel></rss>',
        content_type="application/rss+xml",
    )


def article_counts(srv: Server) -> dict[str, int]:
    out: dict[str, int] = {}
    for _, path in srv.hits:
        if path.startswith("/news/"):
            key = path.split("?", 1)[0]
            out[key] = out.get(key, 0) + 1
    return out


# -- inputs ----------------------------------------------------------------------------


def test_rss_feed_links_fetched_and_feed_date_used():
    pages = site(3)
    # page 0 has its own date, the others have none: they take the feed's
    pages["/news/0.html"] = Page(article_html("Story 0", n=0, date="2023-12-01T08:00:00Z"))
    with Server(pages=pages) as srv:
        srv.pages["/feed.xml"] = rss(srv, list(pages))
        df = collect([srv.url("/feed.xml")], **FAST)
    assert df["title"].tolist() == ["Story 0", "Story 1", "Story 2"]
    assert df["date_source"].tolist() == ["meta", "feed", "feed"]
    assert str(df.loc[1, "published"]) == "2023-12-11 10:00:00+00:00"
    assert str(df.loc[0, "published"]) == "2023-12-01 08:00:00+00:00"
    assert df.attrs["summary"]["feeds"] == 1
    validate_corpus(df)


def test_atom_feed():
    pages = site(2)
    with Server(pages=pages) as srv:
        entries = "".join(
            f'<entry><title>e</title><link href="{p}"/><id>{p}</id>'
            f"<updated>2024-01-0{i + 1}T00:00:00Z</updated></entry>"
            for i, p in enumerate(pages)
        )
        srv.pages["/atom"] = Page(
            f'<?xml version="1.0" encoding="utf-8"?><feed '
            f'xmlns="http://www.w3.org/2005/Atom"><title>A</title>{entries}</feed>',
            content_type="application/atom+xml",
        )
        df = collect(srv.url("/atom"), **FAST)
    assert sorted(df["title"]) == ["Story 0", "Story 1"]  # relative links resolved
    assert set(df["date_source"]) == {"feed"}


def test_sitemap_and_sitemap_index():
    pages = site(4)
    with Server(pages=pages) as srv:

        def urlset(paths):
            locs = "".join(
                f"<url><loc>{srv.url(p)}</loc><news:news><news:publication_date>2024-02-0{i + 1}"
                f"</news:publication_date></news:news></url>"
                for i, p in enumerate(paths)
            )
            return Page(
                '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/'
                'sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
                f"{locs}</urlset>",
                content_type="application/xml",
            )

        srv.pages["/sm1.xml"] = urlset(["/news/0.html", "/news/1.html"])
        srv.pages["/sm2.xml.gz"] = Page(
            gzip.compress(urlset(["/news/2.html", "/news/3.html"]).payload()),
            content_type="application/x-gzip",
        )
        srv.pages["/sitemap.xml"] = Page(
            '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>{srv.url('/sm1.xml')}</loc></sitemap>"
            f"<sitemap><loc>{srv.url('/sm2.xml.gz')}</loc></sitemap></sitemapindex>",
            content_type="application/xml",
        )
        res = collect_detailed([srv.url("/sitemap.xml")], **FAST)
    assert res.corpus["title"].tolist() == [f"Story {i}" for i in range(4)]
    assert res.summary["sitemaps"] == 3
    assert set(res.corpus["date_source"]) == {"feed"}


def test_local_html_folder_and_file(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.html").write_text(article_html("Local A", n=1), encoding="utf-8")
    (tmp_path / "sub" / "b.htm").write_text(article_html("Local B", n=2), encoding="utf-8")
    (tmp_path / "empty.html").write_text("<html><body></body></html>", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("ignored", encoding="utf-8")
    res = collect_detailed([str(tmp_path)], **FAST)
    assert res.corpus["title"].tolist() == ["Local A", "Local B"]
    assert res.corpus["fetched_url"].str.startswith("file://").all()
    assert res.log["url"].str.endswith("empty.html").tolist() == [True]
    single = collect(tmp_path / "a.html", **FAST)
    assert single["title"].tolist() == ["Local A"]


def test_bad_inputs_are_logged_not_raised(tmp_path):
    res = collect_detailed(["not a url", str(tmp_path / "missing.html"), str(tmp_path)], **FAST)
    assert len(res.corpus) == 0
    assert res.log["reason"].tolist() == [
        "not-a-url-or-file",
        "not-a-url-or-file",
        "no-html-files-in-folder",
    ]


def _write_warc(path: Path, use_gzip: bool) -> None:
    with open(path, "wb") as fh:
        w = WARCWriter(fh, gzip=use_gzip)
        w.write_record(w.create_warcinfo_record(path.name, {"software": "test"}))
        for i, (ctype, status, body) in enumerate(
            [
                ("text/html; charset=utf-8", "200 OK", article_html("Warc one", n=1).encode()),
                ("image/png", "200 OK", b"\x89PNG...."),
                ("text/html", "404 Not Found", b"<html>gone</html>"),
                ("text/html; charset=utf-8", "200 OK", article_html("Warc two", n=2).encode()),
            ]
        ):
            url = f"https://cc.example/{i}.html"
            req = w.create_warc_record(
                url,
                "request",
                payload=io.BytesIO(b""),
                http_headers=StatusAndHeaders("GET / HTTP/1.1", [], is_http_request=True),
            )
            w.write_record(req)
            headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            w.write_record(
                w.create_warc_record(
                    url,
                    "response",
                    payload=io.BytesIO(body),
                    http_headers=headers,
                    warc_headers_dict={"WARC-Date": "2023-12-31T10:00:00Z"},
                )
            )


@pytest.mark.parametrize("use_gzip", [True, False])
def test_read_warc_gzip_and_plain(tmp_path, use_gzip):
    path = tmp_path / ("x.warc.gz" if use_gzip else "x.warc")
    _write_warc(path, use_gzip)
    df = read_warc(path, progress=False)
    assert df["title"].tolist() == ["Warc one", "Warc two"]
    assert df["url"].tolist() == ["https://cc.example/0.html", "https://cc.example/3.html"]
    assert str(df.loc[0, "fetched_at"]) == "2023-12-31 10:00:00+00:00"
    log = df.attrs["log"]
    assert log["reason"].tolist() == ["not-html: image/png", "http-404"]
    assert log["status"].tolist() == [200, 404]
    # the same file as a collect() input
    assert collect([str(path)], **FAST)["title"].tolist() == ["Warc one", "Warc two"]


# -- archive, resume, replay --------------------------------------------------------------


def test_archive_offline_replay_is_identical(tmp_path):
    pages = site(5)
    pages["/news/4.html"] = Page(article_html("Story 4", n=4), failures=["503"])
    pages["/private/x.html"] = Page(article_html("Private"))
    pages["/doc.pdf"] = Page(b"%PDF", content_type="application/pdf")
    with Server(pages=pages, robots="User-agent: *\nDisallow: /private/") as srv:
        srv.pages["/feed.xml"] = rss(srv, [p for p in pages if p.startswith("/news/")])
        inputs = [
            srv.url("/feed.xml"),
            srv.url("/news/0.html"),
            srv.url("/private/x.html"),
            srv.url("/doc.pdf"),
        ]
        online = collect_detailed(inputs, archive=tmp_path / "arc", **FAST)
        hits = srv.count()
    # server is gone: offline replay needs no network
    offline = collect_detailed(inputs, archive=tmp_path / "arc", offline=True, **FAST)
    assert hits == 1 + 1 + 5 + 1 + 1  # robots, feed, 5 pages (+1 retry), pdf
    assert len(online.corpus) == 5
    pd.testing.assert_frame_equal(online.corpus, offline.corpus)
    assert offline.summary["fetched"] == 0 and offline.summary["from_archive"] == 7
    assert (
        online.log[["url", "stage", "reason"]].sort_values("url").values.tolist()
        == offline.log[["url", "stage", "reason"]].sort_values("url").values.tolist()
    )
    rebuilt = collect_archive(tmp_path / "arc", progress=False)
    key = ["id"]
    pd.testing.assert_frame_equal(
        online.corpus.sort_values(key).reset_index(drop=True),
        rebuilt.sort_values(key).reset_index(drop=True),
    )


def test_offline_needs_archive_and_logs_missing(tmp_path):
    with pytest.raises(ValueError, match="archive"):
        collect(["https://a.example/x"], offline=True, **FAST)
    Archive(tmp_path / "arc").close()
    res = collect_detailed(["https://a.example/x"], archive=tmp_path / "arc", offline=True, **FAST)
    assert res.log["reason"].tolist() == ["not-in-archive"]


def test_interrupted_collection_resumes_without_refetching(tmp_path):
    pages = site(8)
    seen = []

    def stop_after_three(event):
        seen.append(event["url"])
        if len(seen) == 3:
            raise KeyboardInterrupt

    with Server(pages=pages) as srv:
        urls = [srv.url(p) for p in pages]
        with pytest.raises(KeyboardInterrupt):
            collect(
                urls,
                archive=tmp_path / "arc",
                on_result=stop_after_three,
                **{**FAST, "max_per_host_rps": 20.0},
            )
        first = article_counts(srv)
        assert 3 <= sum(first.values()) < 8
        archived = Archive(tmp_path / "arc", readonly=True)
        df = collect(urls, archive=tmp_path / "arc", **FAST)
        total = article_counts(srv)
    assert sorted(df["title"]) == sorted(f"Story {i}" for i in range(8))
    for path in pages:
        if srv.url(path) in archived:  # archived before the interrupt: never fetched again
            assert total[path] == 1, path
    n_arch = sum(srv.url(p) in archived for p in pages)
    assert n_arch >= 3
    assert df.attrs["summary"]["from_archive"] == n_arch
    assert df.attrs["summary"]["fetched"] == 8 - n_arch


def test_killed_process_loses_nothing(tmp_path):
    """SIGKILL a collecting subprocess mid-crawl; a rerun fetches only what is missing."""
    pages = site(12)
    arc = tmp_path / "arc"
    with Server(pages=pages) as srv:
        urls = [srv.url(p) for p in pages]
        script = textwrap.dedent(f"""
            import newslab.collection as nc
            nc.collect({urls!r}, archive={str(arc)!r}, max_per_host_rps=8.0, progress=False,
                       contact="tests@newslab.example", dedup=False)
        """)
        proc = subprocess.Popen(
            [sys.executable, "-c", script],
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        index = arc / "index.jsonl"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            lines = index.read_text().splitlines() if index.exists() else []
            if sum('"response"' in line and "/news/" in line for line in lines) >= 4:
                break
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        archived = Archive(arc, readonly=True)
        n_arch = sum(1 for u in urls if u in archived)
        assert 3 <= n_arch < 12
        before = article_counts(srv)
        df = collect(urls, archive=arc, **FAST)
        after = article_counts(srv)
    assert len(df) == 12
    for path in pages:
        if srv.url(path) in archived:
            assert after.get(path) == before.get(path), path
    assert df.attrs["summary"]["fetched"] == 12 - n_arch


def test_archive_recovers_records_missing_from_index(tmp_path):
    arc = Archive(tmp_path / "arc")
    for i in range(3):
        arc.add(
            FetchResult(
                f"https://a.example/{i}",
                f"https://a.example/{i}",
                200,
                "OK",
                [("Content-Type", "text/html")],
                b"<html>%d</html>" % i,
                1.7e9,
            )
        )
    arc.close()
    index = tmp_path / "arc" / "index.jsonl"
    lines = index.read_text().splitlines()
    # as if killed after the WARC write of record 2, in the middle of its index line
    index.write_text("\n".join(lines[:2]) + "\n" + lines[2][:20])
    again = Archive(tmp_path / "arc")
    assert again.load("https://a.example/2").body == b"<html>2</html>"
    assert len(again) == 3
    again.close()
    rows = []
    for line in index.read_text().splitlines():
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError:
            assert line == lines[2][:20]  # the torn line, skipped
    assert [r["url"] for r in rows] == [f"https://a.example/{i}" for i in range(3)]


def test_archive_is_locked_against_a_second_writer(tmp_path):
    from newslab.archive import ArchiveLockedError

    first = Archive(tmp_path / "arc")
    script = f"from newslab.archive import Archive; Archive({str(tmp_path / 'arc')!r})"
    out = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True)
    first.close()
    assert out.returncode != 0 and "in use by another process" in out.stderr
    assert ArchiveLockedError.__name__ in out.stderr


def test_stale_feed_is_refetched_articles_are_not(tmp_path):
    pages = site(2)
    with Server(pages=pages) as srv:
        srv.pages["/feed.xml"] = rss(srv, ["/news/0.html"])
        collect([srv.url("/feed.xml")], archive=tmp_path / "arc", **FAST)
        srv.pages["/feed.xml"] = rss(srv, ["/news/0.html", "/news/1.html"])
        fresh = collect([srv.url("/feed.xml")], archive=tmp_path / "arc", **FAST)
        assert srv.count("/feed.xml") == 1 and len(fresh) == 1  # archived feed still fresh
        df = collect([srv.url("/feed.xml")], archive=tmp_path / "arc", seed_max_age=0, **FAST)
        assert srv.count("/feed.xml") == 2
        assert article_counts(srv) == {"/news/0.html": 1, "/news/1.html": 1}
    assert df["title"].tolist() == ["Story 0", "Story 1"]


# -- near-duplicates and the result ------------------------------------------------------


def test_syndicated_copy_flagged_not_dropped():
    wire = [
        f"Paragraph {i} of the wire story about the harbour strike: dockers in the port "
        f"walked out for the {i + 2}th day as talks with the operators stalled again, "
        "union leaders said on Monday."
        for i in range(6)
    ]
    a_pages = {"/w.html": Page(article_html("Dockers strike", wire, date="2024-03-01T09:00:00Z"))}
    b_pages = {
        "/copy.html": Page(
            article_html(
                "Port strike goes on",
                wire + ["Reporting by the agency."],
                date="2024-03-01T11:00:00Z",
            )
        ),
        "/own.html": Page(article_html("Own story", n=7)),
    }
    with servers(Server("127.0.0.2", a_pages), Server("127.0.0.3", b_pages)) as (a, b):
        df = collect([b.url("/copy.html"), a.url("/w.html"), b.url("/own.html")], **FAST)
    by_title = df.set_index("title")
    assert len(df) == 3
    assert (
        by_title.loc["Port strike goes on", "duplicate_of"] == by_title.loc["Dockers strike", "id"]
    )
    assert by_title.loc["Dockers strike", "duplicate_of"] is None
    assert by_title.loc["Own story", "duplicate_of"] is None
    assert df.attrs["summary"]["near_duplicates"] == 1


def test_result_log_survives_concat_and_copy():
    with Server(pages=site(2)) as srv:
        a = collect([srv.url("/news/0.html"), srv.url("/missing")], **FAST)
        b = collect([srv.url("/news/1.html")], **FAST)
    both = pd.concat([a, b], ignore_index=True)
    assert len(both) == 2
    assert isinstance(a.attrs["log"], pd.DataFrame)
    assert a.attrs["log"]["reason"].tolist() == ["http-404"]
    assert a.copy().attrs["log"]["url"].tolist() == [srv.url("/missing")]


def test_nothing_lost_every_url_in_corpus_or_log():
    pages = site(6)
    pages["/news/2.html"] = Page(article_html("Story 2", n=2), failures=["timeout:0.8"] * 5)
    pages["/news/3.html"] = Page("<html></html>")
    with Server(pages=pages) as srv:
        urls = [srv.url(p) for p in pages] + [srv.url("/gone.html")]
        res = collect_detailed(
            urls,
            retries=1,
            read_timeout=0.2,
            **{k: v for k, v in FAST.items() if k != "read_timeout"},
        )
    accounted = set(res.corpus["fetched_url"]) | set(res.log["url"])
    assert set(urls) <= accounted
    assert (
        res.summary["failed"] == {"timeout": 1, "text too short": 1, "http-404": 1}
        or sum(res.summary["failed"].values()) == 3
    )


def test_cli_collect_writes_corpus(tmp_path):
    p = argparse.ArgumentParser()
    nc.add_collect_arguments(p)
    with Server(pages=site(2)) as srv:
        args = p.parse_args(
            [
                srv.url("/news/0.html"),
                srv.url("/news/1.html"),
                "--archive",
                str(tmp_path / "arc"),
                "--out",
                str(tmp_path / "c.parquet"),
                "--rps",
                "50",
                "--contact",
                "tests@newslab.example",
                "--quiet",
                "--log",
                str(tmp_path / "log.csv"),
            ]
        )
        assert nc.main_collect(args) == 0
    args = p.parse_args(
        [
            srv.url("/news/0.html"),
            srv.url("/news/1.html"),
            "--archive",
            str(tmp_path / "arc"),
            "--out",
            str(tmp_path / "d.parquet"),
            "--offline",
            "--quiet",
        ]
    )
    assert nc.main_collect(args) == 0
    pd.testing.assert_frame_equal(
        read_corpus(tmp_path / "c.parquet"), read_corpus(tmp_path / "d.parquet")
    )


def test_transient_failures_are_retried_on_resume_not_404(tmp_path):
    pages = {"/busy.html": Page(article_html("Busy"), failures=["503"] * 3)}
    with Server(pages=pages) as srv:
        urls = [srv.url("/busy.html"), srv.url("/gone.html")]
        first = collect_detailed(urls, archive=tmp_path / "arc", retries=1, **FAST)
        assert first.log["reason"].tolist() == ["http-503", "http-404"]
        again = collect_detailed(urls, archive=tmp_path / "arc", retries=1, **FAST)
        assert srv.count("/gone.html") == 1  # a 404 is an answer: replayed from the archive
        assert srv.count("/busy.html") == 4  # 2 attempts, then 2 more on the second run
    assert again.corpus["title"].tolist() == ["Busy"]
    assert again.log["reason"].tolist() == ["http-404"]
