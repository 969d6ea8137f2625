"""Corpus read/write round trip: Parquet vs JSON Lines on synthetic articles.

Usage: .venv/bin/python benchmarks/corpus_io.py [--n 100000] [--words 300]
Prints a markdown table (seconds to write, to read, file size) and the ratios.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

import newslab as nl


def synthetic_corpus(n: int, words: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    vocab = np.array([f"w{i}" for i in range(20_000)])
    # Zipf-like word frequencies make the text compress like prose does.
    probs = 1.0 / np.arange(1, len(vocab) + 1)
    probs /= probs.sum()
    bodies = [" ".join(rng.choice(vocab, size=words, p=probs)) for _ in range(n)]
    start = pd.Timestamp("2023-01-01", tz="UTC")
    return nl.to_corpus(
        pd.DataFrame(
            {
                "url": [f"https://outlet{i % 500}.example/news/{i}.html" for i in range(n)],
                "outlet": [f"Outlet {i % 500}" for i in range(n)],
                "title": [f"Headline number {i}" for i in range(n)],
                "authors": [["A. Writer"] if i % 3 else [] for i in range(n)],
                "published": start + pd.to_timedelta(rng.integers(0, 365 * 24 * 3600, n), "s"),
                "text": bodies,
                "language": "en",
                "fetched_at": start,
                "extractor": "synthetic",
            }
        )
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--words", type=int, default=300)
    args = ap.parse_args()
    t0 = time.perf_counter()
    df = synthetic_corpus(args.n, args.words)
    print(f"generated {len(df):,} articles in {time.perf_counter() - t0:.1f} s")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("c.parquet", "c.jsonl", "c.jsonl.gz"):
            path = Path(tmp) / name
            t0 = time.perf_counter()
            nl.write_corpus(df, path)
            t_write = time.perf_counter() - t0
            t0 = time.perf_counter()
            back = nl.read_corpus(path)
            t_read = time.perf_counter() - t0
            assert len(back) == len(df) and back["id"].equals(df["id"])
            rows.append((name, t_write, t_read, path.stat().st_size / 2**20))
    print(f"\n| format | write s | read s | size MiB |  ({args.n:,} articles, {args.words} words)")
    print("|---|---|---|---|")
    for name, w, r, size in rows:
        print(f"| {name} | {w:.2f} | {r:.2f} | {size:.1f} |")
    pq, js = rows[0], rows[1]
    print(
        f"\nParquet vs JSON Lines: write {js[1] / pq[1]:.1f}x faster, read {js[2] / pq[2]:.1f}x "
        f"faster, {js[3] / pq[3]:.1f}x smaller"
    )


if __name__ == "__main__":
    main()
