"""Figure 2: agreement of our scores with human judgements of multi-source news summaries.

Data: ``../shared/benchmarks/summaries/`` (read its README; nothing was tuned on it).

DiverSumm, Multi-News part (45 summaries, 2 labelled faithful)
    Every summary is scored with ``nl.score_summary`` against its story's articles
    (default options). ROC-AUC of each score as a detector of the human binary label
    (faithful = 1), pooled over all summaries, as in Zhong and Litman (2025) Table 4.
    Peers in the same run: ROUGE-1/2/L precision and F1 of the summary against the
    concatenated sources (rouge-score, stemming on). 95% CI: stratified bootstrap over
    summaries (faithful and unfaithful resampled separately so both classes are present),
    2,000 resamples. Published figures (their 20% test split of the full 90, so not the
    same summaries) are printed alongside.
SummHay, news Haystack (48 summaries, 413 insight judgements)
    ``nl.insight_coverage`` matches each reference insight with the summary's bullets
    (full / partial / none by fixed thresholds, no fitting), its words weighted by IDF over
    the Haystack's documents (weights chosen on ``benchmarks/insight_dev.py``, a task built
    from the documents alone). Pearson correlation with the
    human labels (full = 1, partial = 0.5, none = 0), pooled over (summary, insight) pairs
    (the paper's measure), and at summary level (mean coverage x 100 vs the human score);
    linking accuracy (same bullet as the annotator when both say covered). Peer in the
    same run: ROUGE-1 recall of the insight against its best bullet (insight level) and
    its mean (summary level). 95% CI: bootstrap over summaries (pairs of a summary stay
    together), 2,000 resamples.

Usage::

    .venv/bin/python benchmarks/summaries_humans.py [--quick] [--root PATH]

``--quick`` uses 300 bootstrap resamples. Writes ``benchmarks/out/summaries_humans.json``.
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from newslab.datasets import _haystack_index  # noqa: E402
from newslab.facts import insight_coverage  # noqa: E402
from newslab.form import rouge  # noqa: E402
from newslab.io import atomic_write  # noqa: E402
from newslab.paths import benchmark_dir, repo_root  # noqa: E402
from newslab.scores import ScoreOptions, score_summary  # noqa: E402

# scores shown, fixed before looking at results: name -> (column, sign: +1 higher = faithful)
OUR_SCORES = {
    "faithfulness (ours)": ("faithfulness", 1),
    "faithfulness_mean (ours, former definition)": ("faithfulness_mean", 1),
    "supported_share (ours)": ("supported_share", 1),
    "unsupported_share (ours, negated)": ("unsupported_share", -1),
    "numbers_supported (ours)": ("numbers_supported", 1),
    "fragment_coverage (ours, Grusky)": ("fragment_coverage", 1),
    "novel_2gram (ours, negated)": ("novel_2gram", -1),
}
ROUGE_SCORES = {
    "ROUGE-1 precision vs sources": ("rouge1_p", 1),
    "ROUGE-2 precision vs sources": ("rouge2_p", 1),
    "ROUGE-L precision vs sources": ("rougeL_p", 1),
    "ROUGE-1 F1 vs sources": ("rouge1", 1),
    "ROUGE-2 F1 vs sources": ("rouge2", 1),
    "ROUGE-L F1 vs sources": ("rougeL", 1),
}
PUBLISHED_AUC = {
    "LongDocFACTScore": 61.20,
    "MiniCheck-FT5 (SENT)": 57.67,
    "MC-FT5 (SENT) + discourse": 56.79,
    "Bespoke-MiniCheck-7B": 55.38,
    "InFusE": 54.14,
    "InFusE + discourse": 53.44,
    "GPT-4o": 51.11,
    "MiniCheck-FT5": 48.68,
    "StructScore (best variant)": 47.80,
    "AlignScore": 46.74,
    "AlignScore + discourse": 45.33,
}
PUBLISHED_SUMMHAY = {  # this copy, computed by the data's curators (README)
    "Gemini-1.5-pro": (0.744, 0.800),
    "GPT-4o, 9-shot": (0.653, 0.760),
    "GPT-4o": (0.650, 0.698),
    "Claude 3 Opus": (0.648, 0.645),
    "GPT-3.5": (0.401, 0.575),
    "Claude 3 Haiku": (0.326, 0.380),
}
LABEL_VALUE = {"full": 1.0, "partial": 0.5, "none": 0.0}


def _auc(score: np.ndarray, label: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    ok = ~np.isnan(score)
    if len(set(label[ok])) < 2:
        return float("nan")
    return float(roc_auc_score(label[ok], score[ok]))


def _interval(vals: list[float]) -> tuple[float, float]:
    arr = np.array(vals)
    arr = arr[~np.isnan(arr)]
    return float(np.percentile(arr, 2.5)), float(np.percentile(arr, 97.5))


def _stratified_ci(stat, label: np.ndarray, n: int, rng) -> tuple[float, float]:
    """95% CI of ``stat(rows)`` over resamples that keep both classes' sizes."""
    pos, neg = np.flatnonzero(label == 1), np.flatnonzero(label == 0)
    vals = []
    for _ in range(n):
        idx = np.concatenate([rng.choice(pos, len(pos)), rng.choice(neg, len(neg))])
        vals.append(stat(idx))
    return _interval(vals)


def _pearson(x: np.ndarray, y: np.ndarray) -> float:
    if np.std(x) == 0 or np.std(y) == 0:
        return float("nan")
    return float(np.corrcoef(x, y)[0, 1])


def _r(df: pd.DataFrame, col: str) -> float:
    """Pearson of ``col`` with the human column."""
    return _pearson(df[col].to_numpy(float), df["human"].to_numpy(float))


def _cluster_ci(df: pd.DataFrame, stat, n: int, rng) -> tuple[float, float]:
    """95% CI of ``stat(sample)`` over resamples of whole summaries (their rows together)."""
    groups = [g for _, g in df.groupby("summary", sort=False)]
    vals = []
    for _ in range(n):
        pick = rng.integers(0, len(groups), len(groups))
        vals.append(stat(pd.concat([groups[i] for i in pick])))
    return _interval(vals)


def _read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


# ----------------------------------------------------------------- DiverSumm


def diversumm(root: Path, n_boot: int, rng) -> dict:
    items = _read(root / "diversumm_multinews.jsonl")
    rows = []
    t0 = time.perf_counter()
    for item in items:
        story = pd.DataFrame(
            {
                "url": [f"{item['id']}/{s['id']}" for s in item["sources"]],
                "outlet": [f"source {s['position']}" for s in item["sources"]],
                "title": [s["title"] for s in item["sources"]],
                "text": [s["text"] for s in item["sources"]],
            }
        )
        joined = "\n\n".join(s["text"] for s in item["sources"])
        for summ in item["summaries"]:
            res = score_summary(summ["text"], story, options=ScoreOptions())
            row = {
                "item": item["id"],
                "system": summ["system"],
                "faithful": int(summ["human"]["faithful"]),
                "words": res.metrics["words"],
                **{c: res.metrics.get(c, np.nan) for c, _ in OUR_SCORES.values()},
                **rouge(summ["text"], joined),
            }
            rows.append(row)
    elapsed = time.perf_counter() - t0
    df = pd.DataFrame(rows)
    label = df.faithful.to_numpy()
    table = []
    for group, scores in (("ours", OUR_SCORES), ("ROUGE (same run)", ROUGE_SCORES)):
        for name, (col, sign) in scores.items():
            s = sign * df[col].to_numpy(dtype=float)
            auc = _auc(s, label)
            lo, hi = _stratified_ci(lambda i, s=s: _auc(s[i], label[i]), label, n_boot, rng)
            table.append({"group": group, "score": name, "auc": auc, "lo": lo, "hi": hi})
    ours = df["faithfulness"].to_numpy(dtype=float)

    def gap(other: np.ndarray, i: np.ndarray) -> float:
        return _auc(ours[i], label[i]) - _auc(other[i], label[i])

    diffs = {}
    for name, (col, _sign) in ROUGE_SCORES.items():
        if col.endswith("_p"):
            other = df[col].to_numpy(dtype=float)
            everyone = np.arange(len(df))
            # paired: both scores on the same resamples
            ci = _stratified_ci(functools.partial(gap, other), label, n_boot, rng)
            diffs[name] = {"diff": gap(other, everyone), "ci": ci}
    return {
        "n": len(df),
        "positives": int(label.sum()),
        "faithfulness_minus_rouge": diffs,
        "seconds": elapsed,
        "table": table,
        "by_system": df.groupby("system")[["faithfulness", "rouge1_p"]].mean().round(3).to_dict(),
        "confounds": _confounds(df, label),
    }


def _confounds(df: pd.DataFrame, label: np.ndarray) -> dict:
    """What else separates the faithful summaries here: length, and which system wrote them.

    Reported to read the table above, never used to choose anything. Within one system the
    AUC no longer rewards a score for telling the systems apart (their lengths and how much
    they copy differ); only systems with both labels can be scored that way.
    """
    words = df["words"].to_numpy(float)
    out = {"words": _auc(words, label), "positives_by_system": {}, "within_system": {}}
    cols = {"faithfulness (ours)": "faithfulness", "ROUGE-2 precision vs sources": "rouge2_p",
            "ROUGE-1 precision vs sources": "rouge1_p", "words": "words"}  # fmt: skip
    for system, g in df.groupby("system"):
        y = g.faithful.to_numpy()
        out["positives_by_system"][system] = int(y.sum())
        if 0 < y.sum() < len(y):
            out["within_system"][system] = {
                "n": len(y),
                "positives": int(y.sum()),
                **{k: _auc(g[c].to_numpy(float), y) for k, c in cols.items()},
            }
    return out


# ----------------------------------------------------------------- SummHay


def summhay(root: Path, n_boot: int, rng) -> dict:
    items = _read(root / "summhay_news.jsonl")
    pairs = []
    link_same = link_total = 0
    t0 = time.perf_counter()
    indexes: dict = {}  # one SourceIndex (IDF weights) per document set: the same 100 in all
    for item in items:
        index = _haystack_index(item["sources"], indexes)
        insights = {r["id"]: r["text"] for r in item["references"]}
        for k, summ in enumerate(item["summaries"]):
            sid = f"{item['id']}#{k}"
            judged = summ["human"]["coverage"]
            gemini = {
                c["insight_id"]: LABEL_VALUE[c["label"]]
                for c in summ["extra"]["llm_judges"]["gemini-1.5-pro"]["coverage"]
            }
            ids = [j["insight_id"] for j in judged]
            ours = insight_coverage(summ["text"], [insights[i] for i in ids], sources=index)
            bullets = [b for b in summ["text"].split("\n")]
            for j, o in zip(judged, ours.itertuples(index=False), strict=True):
                best_rouge = max(
                    (rouge(b, insights[j["insight_id"]], types=("rouge1",))["rouge1_r"])
                    for b in bullets
                    if b.strip()
                )
                pairs.append(
                    {
                        "summary": sid,
                        "human": LABEL_VALUE[j["label"]],
                        "gemini": gemini.get(j["insight_id"], np.nan),
                        "ours_label": o.value,
                        "ours_score": o.score,
                        "rouge1_r": best_rouge,
                    }
                )
                if j["label"] != "none" and o.label != "none" and j["bullet"] is not None:
                    link_total += 1
                    # the line index in the text equals the bullet index when lines match
                    link_same += int(o.bullet == j["bullet"])
    elapsed = time.perf_counter() - t0
    df = pd.DataFrame(pairs)
    summ_df = df.groupby("summary", sort=False).mean(numeric_only=True).reset_index()
    table = []
    for name, col in (
        ("insight_coverage labels (ours)", "ours_label"),
        ("insight_coverage score (ours)", "ours_score"),
        ("ROUGE-1 recall, best bullet (same run)", "rouge1_r"),
    ):
        r_ins = _r(df, col)
        ci_ins = _cluster_ci(df, lambda d, c=col: _r(d, c), n_boot, rng)
        r_sum = _r(summ_df, col)
        ci_sum = _cluster_ci(summ_df, lambda d, c=col: _r(d, c), n_boot, rng)
        table.append(
            {"score": name, "insight_r": r_ins, "insight_ci": ci_ins, "summary_r": r_sum,
             "summary_ci": ci_sum}
        )  # fmt: skip
    ours_r, gem_r = _r(df, "ours_score"), _r(df, "gemini")
    return {
        "pairs": len(df),
        "gemini_insight_r": gem_r,
        "ours_minus_gemini": {
            "diff": ours_r - gem_r,
            "ci": _cluster_ci(  # paired: both on the same resampled summaries
                df, lambda d: _r(d, "ours_score") - _r(d, "gemini"), n_boot, rng
            ),
        },
        "summaries": len(summ_df),
        "seconds": elapsed,
        "linking_accuracy": link_same / link_total if link_total else float("nan"),
        "linking_pairs": link_total,
        "table": table,
    }


def _check_bullets(root: Path) -> bool:
    """Whether the text's lines are the released bullets (so bullet indices compare)."""
    for item in _read(root / "summhay_news.jsonl"):
        for summ in item["summaries"]:
            if summ["text"].split("\n") != summ["extra"]["bullets"]:
                return False
    return True


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="300 bootstrap resamples")
    ap.add_argument("--root", default=None, help="benchmark root (default: shared benchmarks)")
    args = ap.parse_args(argv)
    root = benchmark_dir("summaries", root=args.root)
    n_boot = 300 if args.quick else 2000
    rng = np.random.default_rng(0)

    d = diversumm(root, n_boot, rng)
    print(f"## DiverSumm Multi-News: {d['n']} summaries, {d['positives']} faithful "
          f"(scored in {d['seconds']:.1f} s)\n")  # fmt: skip
    print("| score | ROC-AUC x 100 | 95% CI (stratified bootstrap) |")
    print("|---|---|---|")
    for r in d["table"]:
        print(
            f"| {r['score']} | {100 * r['auc']:.1f} | {100 * r['lo']:.1f} to {100 * r['hi']:.1f} |"
        )
    print("\nPublished (Zhong and Litman 2025, Table 4; test split of the full 90 summaries):\n")
    print("| metric | ROC-AUC x 100 |")
    print("|---|---|")
    for k, v in PUBLISHED_AUC.items():
        print(f"| {k} | {v:.2f} |")
    ours = next(r for r in d["table"] if r["score"] == "faithfulness (ours)")
    rouge_best = max(r["auc"] for r in d["table"] if r["group"] != "ours")
    print(
        f"\nfaithfulness AUC - best published = {100 * ours['auc'] - max(PUBLISHED_AUC.values()):+.1f}; "
        f"faithfulness AUC - best ROUGE in this run = {100 * (ours['auc'] - rouge_best):+.1f}"
    )
    for name, v in d["faithfulness_minus_rouge"].items():
        print(
            f"faithfulness - {name}: {100 * v['diff']:+.1f} AUC points, paired bootstrap 95% CI "
            f"{100 * v['ci'][0]:+.1f} to {100 * v['ci'][1]:+.1f}"
        )

    c = d["confounds"]
    print(
        f"\nWhat else the labels follow: summary length alone (words) scores {100 * c['words']:.1f}; "
        f"faithful summaries by system: {c['positives_by_system']}."
    )
    for system, w in c["within_system"].items():
        shown = ", ".join(f"{k} {100 * v:.1f}" for k, v in w.items() if k not in ("n", "positives"))
        print(f"Within {system} only ({w['n']} summaries, {w['positives']} faithful): {shown}")

    s = summhay(root, n_boot, rng)
    same = _check_bullets(root)
    print(f"\n## SummHay news: {s['summaries']} summaries, {s['pairs']} insight judgements "
          f"(scored in {s['seconds']:.1f} s)\n")  # fmt: skip
    print("| score | insight-level Pearson [95% CI] | summary-level Pearson [95% CI] |")
    print("|---|---|---|")
    for r in s["table"]:
        print(
            f"| {r['score']} | {r['insight_r']:.3f} [{r['insight_ci'][0]:.3f}, "
            f"{r['insight_ci'][1]:.3f}] | {r['summary_r']:.3f} [{r['summary_ci'][0]:.3f}, "
            f"{r['summary_ci'][1]:.3f}] |"
        )
    for k, (a, b) in PUBLISHED_SUMMHAY.items():
        print(f"| {k} (LLM judge, README figures for this copy) | {a:.3f} | {b:.3f} |")
    g = s["ours_minus_gemini"]
    print(
        f"\ninsight-level Pearson, ours - Gemini-1.5-pro (its released labels, same pairs): "
        f"{g['diff']:+.3f}, paired bootstrap 95% CI {g['ci'][0]:+.3f} to {g['ci'][1]:+.3f} "
        f"(Gemini recomputed: {s['gemini_insight_r']:.3f})"
    )
    print(
        f"\nlinking accuracy (ours): {100 * s['linking_accuracy']:.1f}% over {s['linking_pairs']} "
        f"insights both call covered (text lines {'=' if same else '!='} released bullets)"
    )

    out = repo_root() / "benchmarks" / "out" / "summaries_humans.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(out, mode="w") as fh:
        json.dump({"diversumm": d, "summhay": s}, fh, indent=2, default=float)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
