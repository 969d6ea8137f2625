"""Memory over a long crawl: RSS of newslab.collection over 10k pages from local servers.

Eight local sites on 127.0.0.2 ... 127.0.0.9 served from a child process (their memory
is not counted), no politeness delay (local servers only), archive on. The crawler's
resident set size is sampled every 1,000 settled pages (``on_result`` hook).

Some growth is expected and legitimate: the corpus being built (one record of text and
metadata per page) and the archive index (one small tuple per URL). The figure that
matters is the slope of RSS per page compared with the size of what is kept per page:
caches, connection pools or per-request leftovers would show as a slope well above it.

Run: ``.venv/bin/python benchmarks/crawl_memory.py [--quick]`` (quick: 2k pages, every 250)
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from newslab.collection import collect_detailed  # noqa: E402
from tests._servers import SiteProcess  # noqa: E402

HOSTS = [f"127.0.0.{i}" for i in range(2, 10)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="2,000 pages, sampled every 250")
    ap.add_argument("--pages", type=int, default=None)
    args = ap.parse_args(argv)
    total = args.pages or (2_000 if args.quick else 10_000)
    every = 250 if args.quick else 1_000
    per_host = -(-total // len(HOSTS))
    proc = psutil.Process()

    from newslab.extraction import extract
    from tests._servers import article_html

    extract(article_html("Warm up"), url="http://127.0.0.1/w.html")  # load models first
    gc.collect()

    samples: list[tuple[int, float, float]] = []  # (pages, rss MB, seconds)
    t0 = time.perf_counter()
    samples.append((0, proc.memory_info().rss / 1e6, 0.0))

    def on_result(event: dict) -> None:
        if event["done"] % every == 0:
            samples.append((event["done"], proc.memory_info().rss / 1e6, time.perf_counter() - t0))

    specs = [{"host": h, "n_pages": per_host, "label": f"Site {k}"} for k, h in enumerate(HOSTS)]
    with SiteProcess(specs) as sites, tempfile.TemporaryDirectory() as tmp:
        urls = [f"{b}/p{n}.html" for n in range(per_host) for b in sites.bases][:total]
        res = collect_detailed(
            urls,
            archive=Path(tmp) / "archive",
            max_per_host_rps=None,
            respect_robots=False,
            progress=False,
            on_result=on_result,
            contact="bench@newslab.example",
            dedup=False,  # dedup runs once at the end; measured separately below
        )
        end_rss = proc.memory_info().rss / 1e6
        elapsed = time.perf_counter() - t0
        kept = res.corpus.memory_usage(deep=True).sum() / 1e6

    assert len(res.corpus) + len(res.log) >= total, "pages lost"
    rss = np.array([s[1] for s in samples])
    pages = np.array([s[0] for s in samples])
    # slope after the first sample block (warm-up: pools, first WARC buffers)
    fit = samples[1:] if len(samples) > 3 else samples
    slope_mb_per_k = float(np.polyfit([p for p, _, _ in fit], [r for _, r, _ in fit], 1)[0]) * 1000
    kept_per_k = kept / max(1, len(res.corpus)) * 1000

    print(
        f"\n## Crawl memory: {total} pages over {len(HOSTS)} local hosts "
        f"({elapsed:.0f} s, {total / elapsed:.0f} pages/s)\n"
    )
    print("| pages settled | RSS (MB) | seconds |")
    print("|---:|---:|---:|")
    for p, r, t in samples:
        print(f"| {p} | {r:.1f} | {t:.1f} |")
    print()
    print("| figure | value |")
    print("|---|---:|")
    print(f"| RSS start (after warm-up) | {rss[0]:.1f} MB |")
    print(f"| RSS end (corpus built) | {end_rss:.1f} MB |")
    print(f"| RSS peak | {max(rss.max(), end_rss):.1f} MB |")
    print(f"| slope after first {every} pages | {slope_mb_per_k:.2f} MB per 1k pages |")
    print(
        f"| corpus kept in memory (DataFrame, deep) | {kept:.1f} MB = {kept_per_k:.2f} MB per 1k pages |"
    )
    ratio = slope_mb_per_k / kept_per_k if kept_per_k else float("nan")
    print(
        f"\nslope / data kept per page = {ratio:.2f} (about 1-3 means: growth is the corpus "
        "itself (records, then DataFrame), no caches)"
    )
    print(f"corpus {len(res.corpus)} articles, log {len(res.log)} rows, pages {int(pages[-1])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
