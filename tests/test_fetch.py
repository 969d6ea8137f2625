"""HTTP behaviour of the crawler against local servers: politeness, retries, caps, charsets."""

from __future__ import annotations

import pytest
import requests

from newslab.collection import collect_detailed
from newslab.fetch import Fetcher, FetchError, FetchOptions, HostPolicy, decode_html
from tests._servers import Page, Server, article_html, gzip_bomb, servers

# fast settings for local servers: no politeness delay unless a test sets one
FAST = dict(
    max_per_host_rps=None,
    backoff=0.02,
    read_timeout=0.5,
    connect_timeout=0.5,
    contact="tests@newslab.example",
)


def fetcher(**changes) -> Fetcher:
    return Fetcher(FetchOptions(**{**FAST, **changes}))


def run(inputs, **kw):
    return collect_detailed(inputs, progress=False, **{**FAST, **kw})


# -- robots.txt ------------------------------------------------------------------------


def test_robots_disallow_is_skipped_and_recorded():
    pages = {
        "/news/a.html": Page(article_html("Open story")),
        "/private/b.html": Page(article_html("Hidden story")),
    }
    with Server(pages=pages, robots="User-agent: *\nDisallow: /private/\n") as srv:
        res = run([srv.url("/news/a.html"), srv.url("/private/b.html")])
        assert srv.count("/private/b.html") == 0
        assert srv.count("/robots.txt") == 1
    assert res.corpus["title"].tolist() == ["Open story"]
    row = res.log.set_index("url").loc[srv.url("/private/b.html")]
    assert (row["stage"], row["reason"]) == ("robots", "disallowed")
    assert res.summary["skipped_robots"] == 1


def test_robots_for_our_agent_only():
    robots = "User-agent: newslab\nDisallow: /\n\nUser-agent: *\nAllow: /\n"
    with Server(pages={"/a.html": Page(article_html("A"))}, robots=robots) as srv:
        res = run([srv.url("/a.html")])
        assert srv.count("/a.html") == 0
    assert res.summary["skipped_robots"] == 1


def test_robots_ignored_when_asked():
    with Server(
        pages={"/a.html": Page(article_html("A"))}, robots="User-agent: *\nDisallow: /"
    ) as srv:
        res = run([srv.url("/a.html")], respect_robots=False)
        assert srv.count("/robots.txt") == 0
    assert len(res.corpus) == 1


def test_robots_server_error_means_disallow_all():
    pages = {"/robots.txt": Page("oops", status=500), "/a.html": Page(article_html("A"))}
    with Server(pages=pages) as srv:
        res = run([srv.url("/a.html")], retries=1)
        assert srv.count("/a.html") == 0
    assert res.log["reason"].iloc[0].startswith("robots-unreachable")


def test_crawl_delay_is_respected():
    pages = {f"/p{i}.html": Page(article_html(f"Story {i}", n=i)) for i in range(4)}
    with Server(pages=pages, robots="User-agent: *\nCrawl-delay: 0.2\n") as srv:
        res = run([srv.url(p) for p in pages])
        times = srv.times("/p")
    assert len(res.corpus) == 4
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert len(gaps) == 3 and min(gaps) >= 0.18, gaps


def test_per_host_rate_limit_and_hosts_in_parallel():
    a_pages = {f"/a{i}.html": Page(article_html(f"A {i}", n=i)) for i in range(4)}
    b_pages = {f"/b{i}.html": Page(article_html(f"B {i}", n=i)) for i in range(4)}
    with servers(Server("127.0.0.2", a_pages), Server("127.0.0.3", b_pages)) as (a, b):
        res = run([a.url(p) for p in a_pages] + [b.url(p) for p in b_pages], max_per_host_rps=10.0)
        ta, tb = a.times("/a"), b.times("/b")
    assert len(res.corpus) == 8
    assert min(y - x for x, y in zip(ta, ta[1:], strict=False)) >= 0.09
    assert min(y - x for x, y in zip(tb, tb[1:], strict=False)) >= 0.09
    # the second host is not waiting for the first to finish
    assert tb[0] < ta[-1] and ta[0] < tb[-1]


def test_host_policy_spaces_calls():
    pol = HostPolicy("h", delay=0.05)
    import time

    t0 = time.monotonic()
    for _ in range(3):
        pol.wait_turn()
    assert time.monotonic() - t0 >= 0.09


# -- redirects, retries, statuses --------------------------------------------------------


def test_redirect_final_url_kept():
    pages = {"/old.html": Page(redirect="/new.html"), "/new.html": Page(article_html("Moved"))}
    with Server(pages=pages) as srv:
        res = fetcher().fetch(srv.url("/old.html"))
        assert res.status == 200 and res.final_url == srv.url("/new.html")
        out = run([srv.url("/old.html")])
    assert out.corpus.loc[0, "fetched_url"] == srv.url("/new.html")
    assert out.corpus.loc[0, "url"] == srv.url("/new.html")


def test_too_many_redirects_is_a_failure():
    with Server(pages={"/loop": Page(redirect="/loop")}) as srv:
        with pytest.raises(FetchError) as err:
            fetcher(max_redirects=3).fetch(srv.url("/loop"))
    assert err.value.reason == "too-many-redirects"


def test_429_with_retry_after_then_success():
    with Server(pages={"/a.html": Page(article_html("A"), failures=["429:0.3"])}) as srv:
        res = fetcher().fetch(srv.url("/a.html"))
        t = srv.times("/a.html")
    assert res.status == 200 and res.attempts == 2
    assert t[1] - t[0] >= 0.28  # honoured Retry-After, not the 0.02 s backoff


def test_retry_after_too_long_gives_up_with_status():
    with Server(pages={"/a.html": Page("x", failures=["429:3600"])}) as srv:
        res = fetcher(max_backoff=1.0).fetch(srv.url("/a.html"))
        assert srv.count("/a.html") == 1
    assert res.status == 429
    with pytest.raises(FetchError) as err:
        res.raise_for_status()
    assert err.value.status == 429


def test_503_then_success():
    with Server(pages={"/a.html": Page(article_html("A"), failures=["503", "503"])}) as srv:
        res = fetcher().fetch(srv.url("/a.html"))
        assert srv.count("/a.html") == 3
    assert res.status == 200 and res.attempts == 3


def test_5xx_exhausts_retries_and_logs_status():
    with Server(pages={"/a.html": Page("x", failures=["502"] * 10)}) as srv:
        out = run([srv.url("/a.html")], retries=2)
        assert srv.count("/a.html") == 3
    assert out.log.loc[0, "reason"] == "http-502" and out.log.loc[0, "status"] == 502


def test_connection_reset_then_success():
    with Server(pages={"/a.html": Page(article_html("A"), failures=["reset"])}) as srv:
        res = fetcher().fetch(srv.url("/a.html"))
        assert srv.count("/a.html") == 2
    assert res.status == 200


def test_timeout_then_success():
    with Server(pages={"/a.html": Page(article_html("A"), failures=["timeout:0.8"])}) as srv:
        res = fetcher(read_timeout=0.3).fetch(srv.url("/a.html"))
    assert res.status == 200 and res.attempts == 2


def test_connection_refused_fails_after_retries():
    with Server() as srv:
        url = srv.url("/x")
    with pytest.raises(FetchError) as err:
        fetcher(retries=1).fetch(url)
    assert err.value.reason.startswith("connection") and err.value.attempts == 2


def test_no_retry_on_404_and_status_is_carried():
    with Server() as srv:
        res = fetcher().fetch(srv.url("/missing.html"))
        assert srv.count("/missing.html") == 1
        out = run([srv.url("/missing.html")])
        assert srv.count("/missing.html") == 2
    assert res.status == 404
    with pytest.raises(FetchError) as err:
        res.raise_for_status()
    assert err.value.status == 404 and "404" in str(err.value)
    assert out.log.loc[0, ["stage", "reason", "status"]].tolist() == ["fetch", "http-404", 404]


# -- bodies ----------------------------------------------------------------------------


def test_page_lying_about_charset_is_decoded():
    paras = [
        f"Le café de la gare numéro {i} a rouvert mardi, déjà très fréquenté, à la grande "
        f"joie des habitués qui attendaient depuis {i + 2} ans cette réouverture."
        for i in range(5)
    ]
    body = article_html("Réouverture du café", paras).encode("cp1252")
    lie = Page(body, content_type="text/html; charset=utf-8")
    paras_de = [
        f"Größer und schöner als je zuvor, sagt der Bürgermeister über Projekt {i}, "
        f"das nach {i + 3} Jahren Bauzeit in München eröffnet wurde."
        for i in range(5)
    ]
    utf8_as_latin1 = Page(
        article_html("Über München", paras_de), content_type="text/html; charset=iso-8859-1"
    )
    with Server(pages={"/fr.html": lie, "/de.html": utf8_as_latin1}) as srv:
        out = run([srv.url("/fr.html"), srv.url("/de.html")])
    by_title = out.corpus.set_index("title")
    assert "café de la gare" in by_title.loc["Réouverture du café", "text"]
    assert "Bürgermeister" in by_title.loc["Über München", "text"]


def test_decode_html_prefers_declared_when_consistent():
    body = "Привет, мир! Новости дня.".encode("koi8_r")
    assert decode_html(body, "text/html; charset=koi8-r") == "Привет, мир! Новости дня."


def test_huge_body_is_capped_and_recorded():
    pages = {
        "/big.html": Page("<html><body>", stream_bytes=5_000_000),
        "/declared.html": Page(b"x" * 300_000),
    }
    with Server(pages=pages) as srv:
        with pytest.raises(FetchError) as err:
            fetcher(max_bytes=200_000).fetch(srv.url("/big.html"))
        out = run([srv.url("/big.html"), srv.url("/declared.html")], max_bytes=200_000)
        assert srv.count("/big.html") == 2  # not retried
    assert err.value.reason == "too-large"
    assert out.log["reason"].tolist() == ["too-large", "too-large"]
    assert len(out.corpus) == 0


def test_gzip_bomb_is_capped():
    bomb = gzip_bomb(50_000_000)
    assert len(bomb) < 100_000
    with Server(pages={"/bomb.html": Page(raw_gzip=bomb)}) as srv:
        with pytest.raises(FetchError) as err:
            fetcher(max_bytes=1_000_000).fetch(srv.url("/bomb.html"))
    assert err.value.reason == "too-large"


def test_gzip_body_is_stored_decoded():
    with Server(pages={"/a.html": Page(article_html("Zipped"), gzip=True)}) as srv:
        res = fetcher().fetch(srv.url("/a.html"))
    assert b"Zipped" in res.body and res.header("Content-Encoding") is None
    assert res.header("X-Newslab-Original-Content-Encoding") == "gzip"


def test_non_html_is_a_recorded_failure():
    pages = {
        "/doc.pdf": Page(b"%PDF-1.4 binary", content_type="application/pdf"),
        "/data.json": Page(b'{"a": 1}', content_type="application/json"),
    }
    with Server(pages=pages) as srv:
        out = run([srv.url("/doc.pdf"), srv.url("/data.json")])
    assert len(out.corpus) == 0
    assert out.log["reason"].tolist() == ["not-html: application/pdf", "not-html: application/json"]
    assert out.summary["failed"] == {"not-html": 2}


def test_not_an_article_is_a_recorded_failure():
    with Server(pages={"/empty.html": Page("<html><body><p>Hi</p></body></html>")}) as srv:
        out = run([srv.url("/empty.html")])
    assert len(out.corpus) == 0 and out.log.loc[0, "stage"] == "extract"


# -- URLs and hooks -------------------------------------------------------------------


def test_tracking_parameter_variants_fetched_once():
    with Server(pages={"/a.html": Page(article_html("Once"))}) as srv:
        urls = [
            srv.url("/a.html"),
            srv.url("/a.html?utm_source=twitter&utm_medium=social"),
            srv.url("/a.html?fbclid=XYZ"),
            srv.url("/a.html#comments"),
        ]
        out = run(urls)
        assert srv.count() - srv.count("/robots.txt") == 1
    assert len(out.corpus) == 1
    assert out.summary["duplicate_urls"] == 3


def test_user_agent_headers_cookies_and_session():
    with Server(pages={"/a.html": Page(article_html("A"))}) as srv:
        run(
            [srv.url("/a.html")],
            headers={"X-Project": "p1"},
            cookies={"consent": "yes"},
            contact="lab@uni.example",
        )
        sent = srv.request_headers[-1]
        assert "newslab" in sent["User-Agent"] and "lab@uni.example" in sent["User-Agent"]
        assert sent["X-Project"] == "p1" and "consent=yes" in sent["Cookie"]
        session = requests.Session()
        session.headers["User-Agent"] = "custom-agent/1.0"
        session.headers["Authorization"] = "Bearer t"
        srv.reset()
        run([srv.url("/a.html")], session=session, respect_robots=False)
        sent = srv.request_headers[-1]
    assert sent["User-Agent"] == "custom-agent/1.0" and sent["Authorization"] == "Bearer t"


def test_unknown_option_is_an_error():
    with pytest.raises(TypeError, match="max_per_hots_rps"):
        collect_detailed([], progress=False, max_per_hots_rps=2)


def test_dead_host_fails_fast_after_a_few_urls():
    with Server() as srv:
        urls = [srv.url(f"/p{i}.html") for i in range(8)]
    out = run(urls, retries=1, max_host_failures=3, respect_robots=False)
    reasons = out.log["reason"].tolist()
    assert reasons[:3] == ["connection-error"] * 3
    assert reasons[3:] == ["host-unreachable"] * 5
