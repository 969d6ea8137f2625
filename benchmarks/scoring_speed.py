"""Figure 4: speed of scoring 1,000 summaries against 10-article stories.

Stories: the sample corpus stories (``data/sample/source/articles``), each brought to 10
articles by repeating its articles under new URLs (a story with fewer articles is cycled).
Summaries: the sample summaries (``data/sample/summaries``), cycled to ``--n`` and made
distinct by numbering every sentence ("Update 17: ..."), so no per-text cache is reused
across summaries; each is scored against its own story.

Peers in the same run, same summaries and stories:

* ``nl.score_many`` with every check (including ``newslab.consistency`` when present);
* ``nl.score_many`` without the date/time checks (``ScoreOptions(consistency=False)``);
* ``nl.score_many`` with every check on ``--jobs`` local worker processes (dask), whose
  table must equal the serial one;
* ``rouge-score`` alone: ROUGE-1/2/L of each summary against its story's concatenated
  articles (stemming on), the reference point.

Usage::

    .venv/bin/python benchmarks/scoring_speed.py [--n 1000] [--quick] [--jobs 2]

``--quick`` scores 200 summaries. The machine is shared: compare the ratios.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from newslab.align import _segment, numbers_in  # noqa: E402
from newslab.form import rouge  # noqa: E402
from newslab.paths import sample_dir  # noqa: E402
from newslab.scores import ScoreOptions, score_many  # noqa: E402


def stories(size: int = 10) -> pd.DataFrame:
    rows = []
    for fp in sorted((sample_dir() / "source" / "articles").glob("*.json")):
        a = json.loads(fp.read_text(encoding="utf-8"))
        rows.append(
            {
                "url": f"https://{a['outlet']}.example/{a['slug']}",
                "outlet": a["outlet"],
                "title": a["title"],
                "text": "\n\n".join(a["paragraphs"]),
                "published": a["published"],
                "story": a["story"],
            }
        )
    corpus = pd.DataFrame(rows)
    out = []
    for _, g in corpus.groupby("story", sort=True):
        for k in range(size):
            row = g.iloc[k % len(g)].copy()
            row["url"] = f"{row['url']}?copy={k}"
            out.append(row)
    return pd.DataFrame(out).reset_index(drop=True)


def summaries(n: int, corpus: pd.DataFrame) -> pd.DataFrame:
    recs = [
        json.loads(fp.read_text(encoding="utf-8"))
        for fp in sorted((sample_dir() / "summaries").glob("*.json"))
    ]
    recs = [r for r in recs if r["story"] in set(corpus.story)]
    rows = []
    for i in range(n):
        r = recs[i % len(recs)]
        text = re.sub(
            r"(^|(?<=[.!?]) )(?=[A-Z“\"])", lambda m, i=i: f"{m.group(1)}Update {i}: ", r["text"]
        )
        rows.append({"id": f"s{i}", "story": r["story"], "text": text, "published": r["dateline"]})
    return pd.DataFrame(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--quick", action="store_true", help="200 summaries")
    ap.add_argument("--jobs", type=int, default=2, help="worker processes for the dask row")
    args = ap.parse_args(argv)
    n = 200 if args.quick else args.n
    corpus = stories()
    sums = summaries(n, corpus)
    n_stories = sums.story.nunique()
    print(
        f"{n} summaries (mean {sums.text.str.split().str.len().mean():.0f} words), "
        f"{n_stories} stories of {corpus.groupby('story').size().iloc[0]} articles "
        f"(mean {corpus.text.str.split().str.len().mean():.0f} words each)\n"
    )
    results = []

    def run(name, fn):
        _segment.cache_clear()
        numbers_in.cache_clear()
        t0 = time.perf_counter()
        out = fn()
        results.append((name, time.perf_counter() - t0))
        return out

    joined = corpus.groupby("story")["text"].apply(lambda s: "\n\n".join(s)).to_dict()
    run(
        "rouge-score alone (R-1/2/L vs concatenated sources)",
        lambda: [rouge(t, joined[s]) for t, s in zip(sums.text, sums.story, strict=True)],
    )
    full = run("nl.score_many, all checks", lambda: score_many(sums, corpus, progress=False))
    run(
        "nl.score_many, no date/time checks",
        lambda: score_many(sums, corpus, options=ScoreOptions(consistency=False), progress=False),
    )
    par = run(
        f"nl.score_many, all checks, n_jobs={args.jobs} (dask worker processes)",
        lambda: score_many(sums, corpus, progress=False, n_jobs=args.jobs),
    )
    pd.testing.assert_frame_equal(par, full)  # the same table, however it is computed
    base = results[0][1]
    print("| scorer | seconds | ms / summary | x rouge-score | 1,000 summaries in |")
    print("|---|---|---|---|---|")
    for name, sec in results:
        print(
            f"| {name} | {sec:.1f} | {1000 * sec / n:.1f} | {sec / base:.1f} | "
            f"{sec * 1000 / n:.0f} s |"
        )
    print(f"\nfindings per summary (all checks): {full.n_findings.mean():.1f}; "
          f"errors: {full.error.notna().sum()}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
