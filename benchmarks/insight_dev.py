"""Development task for ``nl.insight_coverage``, built without any human judgement.

SummHay's news Haystack (``../shared/benchmarks/summaries/summhay_news.jsonl``) lists, for
every reference insight, the documents that contain it by construction (``source_ids``). This
script asks each variant of the insight matcher to tell those documents from the other
documents of the same subtopic (the ones holding some other insight of its query): every
document's sentences are the "bullets", its best match is its score, and the ROC-AUC is pooled
over all (insight, document) pairs. The human coverage labels are never read: the weights and
the IDF of ``insight_coverage`` were chosen here, then scored once against the humans by
``benchmarks/summaries_humans.py``.

Variants, in the same run:

- ``former``: 0.5 words + 0.2 word pairs + 0.3 numbers, every word alike (session 1 and 2);
- ``current, no IDF``: ``insight_coverage`` without ``sources`` (0.65 / 0.2 / 0.15);
- ``current, IDF``: ``insight_coverage(..., sources=haystack)`` (the default in
  ``summaries_humans.py`` and in ``score_summary(..., insights=)``).

Usage::

    .venv/bin/python benchmarks/insight_dev.py [--root PATH]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from newslab.align import SourceIndex, content_tokens, segment  # noqa: E402
from newslab.facts import _numbers_text, insight_coverage  # noqa: E402
from newslab.paths import benchmark_dir  # noqa: E402


def former_scores(doc_text: str, insights: list[str]) -> list[float]:
    """The matcher as it was before this task existed (flat weights 0.5 / 0.2 / 0.3)."""
    units = [s for line in doc_text.split("\n") if line.strip() for _, _, s in segment(line)]
    feats = []
    for text in units:
        toks = content_tokens(text)
        feats.append((set(toks), set(zip(toks, toks[1:], strict=False)), _numbers_text(text)))
    out = []
    for ins in insights:
        toks = content_tokens(ins)
        tset, bset, nset = set(toks), set(zip(toks, toks[1:], strict=False)), _numbers_text(ins)
        best = 0.0
        for ut, ub, un in feats:
            uni = len(tset & ut) / len(tset) if tset else 0.0
            bi = len(bset & ub) / len(bset) if bset else uni
            if nset:
                score = 0.5 * uni + 0.2 * bi + 0.3 * len(nset & un) / len(nset)
            else:
                score = 0.7 * uni + 0.3 * bi
            best = max(best, score)
        out.append(best)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", default=None, help="benchmark root (default: as newslab.paths)")
    args = ap.parse_args()
    path = benchmark_dir("summaries", args.root) / "summhay_news.jsonl"
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    docs = items[0]["sources"]  # the same 100 documents in every item
    t0 = time.perf_counter()
    index = SourceIndex(pd.DataFrame({"text": [d["text"] for d in docs]}))
    # one line per sentence, so every sentence of a document is a candidate "bullet"
    doc_lines = ["\n".join(s for _, _, s in segment(d["text"])) for d in docs]
    labels: list[int] = []
    scores: dict[str, list[float]] = {"former": [], "current, no IDF": [], "current, IDF": []}
    for item in items:
        refs = item["references"]
        texts = [r["text"] for r in refs]
        topic = {x for r in refs for x in r["source_ids"]}
        for d, lines in zip(docs, doc_lines, strict=True):
            if d["id"] not in topic:
                continue
            labels += [int(d["id"] in r["source_ids"]) for r in refs]
            scores["former"] += former_scores(lines, texts)
            scores["current, no IDF"] += insight_coverage(lines, texts).score.tolist()
            scores["current, IDF"] += insight_coverage(lines, texts, sources=index).score.tolist()
    y = np.array(labels)
    print(
        f"# insight_coverage development task: {len(y)} (insight, document) pairs, "
        f"{int(y.sum())} positive; {time.perf_counter() - t0:.0f} s\n"
    )
    print("| matcher | pooled ROC-AUC | 1 - AUC |")
    print("|---|---|---|")
    base = None
    for name, s in scores.items():
        auc = roc_auc_score(y, s)
        base = base if base is not None else 1 - auc
        print(f"| {name} | {auc:.4f} | {1 - auc:.4f} ({(1 - auc) / base:.2f} x former) |")


if __name__ == "__main__":
    main()
