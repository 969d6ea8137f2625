"""Figure 1 and 3 of issue 3: article body extraction quality and throughput.

On the 91-page Zyte article-extraction benchmark (``../shared/benchmarks/extraction``)
this measures, in one run, the corpus token-shingle F1 / precision / recall / accuracy
(the upstream protocol, see the data README; bootstrap std over 1000 resamples) and
the seconds per page (newslab and trafilatura interleaved page by page, fastest of
``--repeat`` runs per page) of:

- ``nl.extract(html, url).text`` (newslab),
- newspaper4k alone: ``newspaper.article(url, input_html=html)``, ``.text`` (upstream also
  calls ``.parse()`` again, which re-parses for the same text; we skip that double work),
- trafilatura alone: ``trafilatura.extract(html, include_comments=False)``,
- newspaper3k alone, run in its own venv (``benchmarks/out/venv-np3k``, created once
  from PyPI) because it shares the import name ``newspaper`` with newspaper4k.

Then the ratios (our F1 - trafilatura's, our time / trafilatura's) and the extraction
throughput in pages per second with one process and with two (figure 3).

Usage::

    .venv/bin/python benchmarks/extraction.py            # everything
    .venv/bin/python benchmarks/extraction.py --quick    # 30 pages, no newspaper3k, 200 resamples
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newslab.datasets import (  # noqa: E402
    aggregate_extraction_scores,
    extraction_page_scores,
    load_extraction_benchmark,
)
from newslab.paths import benchmark_dir  # noqa: E402

OUT = ROOT / "benchmarks" / "out"


def evaluate(truths: list[str], preds: list[str], n_boot: int, seed: int = 0) -> dict:
    per_page = [extraction_page_scores(t, p) for t, p in zip(truths, preds, strict=True)]
    point = aggregate_extraction_scores(per_page)
    rng = np.random.default_rng(seed)
    boots = collections.defaultdict(list)
    for _ in range(n_boot):
        idx = rng.integers(0, len(per_page), len(per_page))
        for k, v in aggregate_extraction_scores([per_page[i] for i in idx]).items():
            boots[k].append(v)
    return {k: (v, float(np.std(boots[k])) if n_boot else 0.0) for k, v in point.items()}


# --------------------------------------------------------------------------- data and systems


def run_newslab(html: str, url: str | None) -> str:
    import newslab.extraction as nx

    try:
        return nx.extract(html, url).text
    except nx.ExtractionError:
        return ""


def run_trafilatura(html: str, url: str | None) -> str:
    import trafilatura

    return trafilatura.extract(html, include_comments=False) or ""


def run_newspaper4k(html: str, url: str | None) -> str:
    import newspaper

    # the upstream call; newspaper.article() already parses, so the benchmark's extra
    # .parse() would only parse a second time (same text, double time): not repeated here
    art = newspaper.article(url, input_html=html, fetch_images=False)
    return art.text or ""


def timed(func, pages: list[dict]) -> tuple[list[str], float]:
    """Outputs and seconds per page (one untimed warm-up call first)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _safe_call(func, pages[0])
        outputs = []
        start = time.perf_counter()
        for page in pages:
            outputs.append(_safe_call(func, page))
        elapsed = time.perf_counter() - start
    return outputs, elapsed / len(pages)


def timed_pair(funcs, pages: list[dict], repeat: int) -> tuple[list[list[str]], list[float]]:
    """Outputs and seconds per page of several extractors, interleaved page by page."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for func in funcs:
            _safe_call(func, pages[0])
        outputs: list[list[str]] = [[] for _ in funcs]
        best = [[float("inf")] * len(pages) for _ in funcs]
        for rep in range(max(1, repeat)):
            for i, page in enumerate(pages):
                for j, func in enumerate(funcs):
                    start = time.perf_counter()
                    out = _safe_call(func, page)
                    best[j][i] = min(best[j][i], time.perf_counter() - start)
                    if rep == 0:
                        outputs[j].append(out)
    return outputs, [sum(b) / len(pages) for b in best]


def _safe_call(func, page: dict) -> str:
    try:
        return func(page["html"], page["url"]) or ""
    except Exception as exc:  # a library crashing on a page scores an empty text
        print(
            f"  {func.__name__} failed on {page['id'][:12]}: {type(exc).__name__}: {exc}"[:200],
            file=sys.stderr,
        )
        return ""


NP3K_WORKER = r"""
import gzip, json, sys, time, warnings
warnings.simplefilter("ignore")
import newspaper
base, ids_urls = sys.argv[1], json.load(open(sys.argv[2]))
def run(key, url):
    html = gzip.decompress(open(f"{base}/html/{key}.html.gz", "rb").read()).decode("utf-8")
    try:
        a = newspaper.Article(url, fetch_images=False)
        a.download(input_html=html)
        a.parse()
        return a.text or ""
    except Exception as exc:
        sys.stderr.write(f"{key[:12]}: {type(exc).__name__}: {exc}\n")
        return ""
htmls = {}
run(*ids_urls[0])
out = {}
t = time.perf_counter()
for key, url in ids_urls:
    out[key] = run(key, url)
# reading + gunzipping a page is timed too; it is ~0.1 ms of the total
print(json.dumps({"seconds_per_page": (time.perf_counter() - t) / len(ids_urls), "texts": out}))
"""


def run_newspaper3k(pages: list[dict]) -> tuple[list[str], float] | None:
    """newspaper3k in benchmarks/out/venv-np3k (created once with pip from PyPI)."""
    venv = OUT / "venv-np3k"
    py = venv / "bin" / "python"
    if (
        not py.exists()
        or subprocess.run([py, "-c", "import newspaper"], capture_output=True).returncode
    ):
        print(
            "creating benchmarks/out/venv-np3k (pip install newspaper3k lxml_html_clean)...",
            file=sys.stderr,
        )
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        res = subprocess.run([py, "-m", "pip", "install", "-q", "newspaper3k", "lxml_html_clean"])
        if res.returncode:
            print("newspaper3k install failed; skipping it", file=sys.stderr)
            return None
    OUT.mkdir(parents=True, exist_ok=True)
    worker = OUT / "np3k_worker.py"
    worker.write_text(NP3K_WORKER, encoding="utf-8")
    ids = OUT / "np3k_ids.json"
    ids.write_text(json.dumps([[p["id"], p["url"]] for p in pages]), encoding="utf-8")
    proc = subprocess.run(
        [py, str(worker), str(benchmark_dir("extraction")), str(ids)],
        capture_output=True,
        text=True,
    )
    if proc.returncode:
        print(f"newspaper3k worker failed: {proc.stderr[-2000:]}", file=sys.stderr)
        return None
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    return [data["texts"].get(p["id"], "") for p in pages], data["seconds_per_page"]


def np3k_version() -> str:
    py = OUT / "venv-np3k" / "bin" / "python"
    res = subprocess.run(
        [py, "-c", "import importlib.metadata as m; print(m.version('newspaper3k'))"],
        capture_output=True,
        text=True,
    )
    return res.stdout.strip() or "?"


# --------------------------------------------------------------------------- throughput (figure 3)


def _cpu_seconds() -> float:
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)  # finished worker processes
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def throughput(pages: list[dict], workers: int) -> tuple[float, float]:
    """Pages per second of ``newslab.extraction.extract_many`` with ``workers`` processes,
    and CPU seconds used per page (all processes)."""
    from newslab.extraction import extract_many

    items = [(p["html"], p["url"]) for p in pages]
    extract_many(items[: max(2, workers)], workers=1)  # warm caches of this process
    cpu, start = _cpu_seconds(), time.perf_counter()
    extract_many(items, workers=workers)
    wall = time.perf_counter() - start
    return len(items) / wall, (_cpu_seconds() - cpu) / len(items)


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="30 pages, no newspaper3k, 200 resamples"
    )
    parser.add_argument("--no-np3k", action="store_true", help="skip newspaper3k")
    parser.add_argument("--boot", type=int, default=1000, help="bootstrap resamples")
    parser.add_argument(
        "--repeat", type=int, default=2, help="timing runs of newslab/trafilatura (min kept)"
    )
    args = parser.parse_args(argv)
    limit = 30 if args.quick else None
    n_boot = 200 if args.quick else args.boot
    pages = load_extraction_benchmark(limit=limit).to_dict("records")
    truths = [p["truth"] for p in pages]
    import newspaper
    import trafilatura

    import newslab.extraction  # noqa: F401  (import cost not timed)

    results: dict[str, tuple[list[str], float]] = {}
    versions = {
        "newslab nl.extract": "this checkout",
        "trafilatura": trafilatura.__version__,
        "newspaper4k": getattr(newspaper, "__version__", "?"),
    }
    # newslab and trafilatura alternate page by page (so load changes on this shared
    # machine hit both alike), `repeat` times; each page counts its fastest time
    outs_pair, spp_pair = timed_pair((run_newslab, run_trafilatura), pages, args.repeat)
    best = {
        "newslab nl.extract": (outs_pair[0], spp_pair[0]),
        "trafilatura": (outs_pair[1], spp_pair[1]),
    }
    results.update(best)
    results["newspaper4k"] = timed(run_newspaper4k, pages)
    if not (args.quick or args.no_np3k):
        np3 = run_newspaper3k(pages)
        if np3 is not None:
            results["newspaper3k"] = np3
            versions["newspaper3k"] = np3k_version()

    print(
        f"\n## Article extraction, {len(pages)} pages of the Zyte benchmark ({n_boot} bootstrap resamples)\n"
    )
    print("| system | version | F1 | precision | recall | accuracy | s/page |")
    print("|---|---|---|---|---|---|---|")
    scores = {}
    for name, (outs, spp) in results.items():
        sc = evaluate(truths, outs, n_boot)
        scores[name] = (sc, spp)
        cells = " | ".join(
            f"{sc[k][0]:.3f} ± {sc[k][1]:.3f}" for k in ("f1", "precision", "recall", "accuracy")
        )
        print(f"| {name} | {versions.get(name, '')} | {cells} | {spp:.4f} |")

    ours, t_ours = scores["newslab nl.extract"]
    traf, t_traf = scores["trafilatura"]
    print("\n| ratio | value | target |")
    print("|---|---|---|")
    print(f"| F1(newslab) - F1(trafilatura) | {ours['f1'][0] - traf['f1'][0]:+.4f} | >= +0.01 |")
    print(f"| F1(newslab) | {ours['f1'][0]:.4f} | >= 0.97 |")
    for name in ("newspaper4k", "newspaper3k"):
        if name in scores:
            print(
                f"| F1(newslab) - F1({name}) | {ours['f1'][0] - scores[name][0]['f1'][0]:+.4f} | > 0 |"
            )
    print(f"| time per page newslab / trafilatura | {t_ours / t_traf:.2f}x | <= 3x |")

    # best of `repeat` runs each: the machine is shared, the best run is the least disturbed
    one = max((throughput(pages, 1) for _ in range(max(1, args.repeat))), key=lambda r: r[0])
    two = max((throughput(pages, 2) for _ in range(max(1, args.repeat))), key=lambda r: r[0])
    print(
        f"\n## Extraction throughput (figure 3), nl.extract on {len(pages)} pages, "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}\n"
    )
    print("| processes | pages/s | speed-up | CPU s/page |")
    print("|---|---|---|---|")
    print(f"| 1 | {one[0]:.1f} | 1.00x | {one[1]:.4f} |")
    print(f"| 2 | {two[0]:.1f} | {two[0] / one[0]:.2f}x | {two[1]:.4f} |")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "extraction.json").write_text(
        json.dumps(
            {
                "pages": len(pages),
                "scores": {
                    k: {"metrics": v[0], "seconds_per_page": v[1]} for k, v in scores.items()
                },
                "throughput": {"1": one[0], "2": two[0]},
                "cpu_seconds_per_page": {"1": one[1], "2": two[1]},
            },
            indent=2,
        ),
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
