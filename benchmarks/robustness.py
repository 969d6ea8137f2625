"""Figure 3: robustness of the scorer to corrupted facts (FactCC-style perturbations).

Data: the DiverSumm Multi-News part in ``../shared/benchmarks/summaries/`` (15 real news
clusters, 45 system summaries; see its README). For every summary and every corruption
kind of ``nl.perturb`` (one copy per kind and seed; a kind impossible for a summary, e.g.
no number, or no number a source gives, since perturb corrupts only supported spots by
default, gives no pair and is counted as skipped with its reason) we score the original and the
corrupted copy against the cluster's articles and report, per kind:

- ``faithfulness``: share of pairs where the original gets a strictly higher
  ``faithfulness`` (``nl.score_summary``) than the corrupted copy;
- ``flagged``: share of pairs where the corrupted copy has a finding of the right kind
  overlapping the changed span (number -> number; quote -> quote/attribution;
  date -> date/time_inconsistency; entity -> unsupported_claim/attribution;
  negation -> unsupported_claim);
- ``new flag``: the same, counting only pairs where the original had no such finding there
  (most DiverSumm summaries are labelled unfaithful, so the original span can already be
  flagged);
- ``faithfulness, clean``: the ``faithfulness`` share over those pairs only (their number in
  brackets): when the original is already wrong at the changed span (a figure no source
  gives, changed into another figure no source gives), both copies carry the same finding
  and may tie;
- ``ROUGE-1 P``: the peer in the same run, share of pairs where the original's ROUGE-1
  precision against the concatenated sources (rouge-score, stemming on) is strictly higher.

The same table is printed for the sample corpus's seven faithful summaries (mixed-case text,
with datelines), which DiverSumm's lower-cased text cannot show: names are found by their
capitals there, and swapped places, people and organisations are typed differently.

Usage::

    .venv/bin/python benchmarks/robustness.py [--seeds 1] [--quick] [--data diversumm|sample|both]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import pandas as pd
from tqdm.auto import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from newslab.datasets import load_summaries_benchmark, sources_table  # noqa: E402
from newslab.io import atomic_write  # noqa: E402
from newslab.paths import repo_root  # noqa: E402
from newslab.perturbation import PERTURBATION_KINDS, REPORTED_AS, perturb  # noqa: E402


def _overlaps(findings: pd.DataFrame, kinds: set[str], start: int, end: int) -> bool:
    f = findings[findings.kind.isin(kinds)]
    end = max(end, start + 1)  # a pure deletion still marks its position
    return bool(((f.start < end) & (f.end > start)).any())


def diversumm_items(quick: bool = False) -> list[dict]:
    """The DiverSumm Multi-News summaries, each with its cluster's articles."""
    data = load_summaries_benchmark("diversumm")
    if quick:
        data = data[data["item"].isin(data["item"].unique()[:4])]
    return [
        {"id": s["id"], "summary": s.summary, "story": sources_table(s.sources, s["item"])}
        for _, s in data.iterrows()
    ]


def sample_items() -> list[dict]:
    """The sample corpus's faithful summaries (mixed-case text), each with its gold story."""
    import newslab as nl

    corpus = nl.collect(nl.sample_pages()["path"].tolist(), progress=False)
    corpus["story"] = nl.gold_labels(corpus)
    summaries = nl.load_summaries()
    return [
        {
            "id": s["id"],
            "summary": s["text"],
            "story": corpus[corpus["story"] == s["story"]],
            "published": s["dateline"],
        }
        for _, s in summaries[summaries["faithful"]].iterrows()
    ]


def run(items: list[dict], seeds: int = 1, progress: bool = True) -> pd.DataFrame:
    from rouge_score import rouge_scorer

    from newslab.scores import score_summary

    rouge = rouge_scorer.RougeScorer(["rouge1"], use_stemmer=True)
    rows = []
    timing = {"score_summary": 0.0, "rouge": 0.0}
    for s in tqdm(items, disable=not progress, desc="summaries"):
        story, published = s["story"], s.get("published")
        source_text = "\n".join(story.text)
        t0 = time.perf_counter()
        orig = score_summary(s["summary"], story, published=published)
        timing["score_summary"] += time.perf_counter() - t0
        t0 = time.perf_counter()
        orig_r1 = rouge.score(source_text, s["summary"])["rouge1"].precision
        timing["rouge"] += time.perf_counter() - t0
        for seed in range(seeds):
            copies = perturb(s["summary"], story, seed=seed, published=published)
            for kind, why in copies.attrs["skipped"].items():
                rows.append({"id": s["id"], "seed": seed, "kind": kind, "skipped": why})
            for _, c in copies.iterrows():
                t0 = time.perf_counter()
                cor = score_summary(c.text, story, published=published)
                timing["score_summary"] += time.perf_counter() - t0
                t0 = time.perf_counter()
                cor_r1 = rouge.score(source_text, c.text)["rouge1"].precision
                timing["rouge"] += time.perf_counter() - t0
                new_end = c.start + len(c.replacement)
                flagged = _overlaps(cor.findings, REPORTED_AS[c.kind], c.start, new_end)
                before = _overlaps(orig.findings, REPORTED_AS[c.kind], c.start, c.end)
                rows.append(
                    {
                        "id": s["id"],
                        "seed": seed,
                        "kind": c.kind,
                        "skipped": None,
                        "detail": c.detail,
                        "faith_orig": orig.metrics["faithfulness"],
                        "faith_cor": cor.metrics["faithfulness"],
                        "faith_win": orig.metrics["faithfulness"] > cor.metrics["faithfulness"],
                        "flagged": flagged,
                        "new_flag": flagged and not before,
                        "clean": not before,
                        "rouge_orig": orig_r1,
                        "rouge_cor": cor_r1,
                        "rouge_win": orig_r1 > cor_r1,
                        "found_kinds": ",".join(
                            sorted(
                                set(
                                    cor.findings[
                                        (cor.findings.start < max(new_end, c.start + 1))
                                        & (cor.findings.end > c.start)
                                    ].kind
                                )
                            )
                        ),
                    }
                )
    out = pd.DataFrame(rows)
    out.attrs["timing"] = timing
    return out


def _clean(d: pd.DataFrame) -> str:
    """Faithfulness share over the pairs whose original has no finding of the kind there."""
    c = d[d.clean.astype(bool)]
    return f"{c.faith_win.mean():.2f} ({len(c)})" if len(c) else "-"


def table(pairs: pd.DataFrame) -> pd.DataFrame:
    done = pairs[pairs.skipped.isna()]
    rows = []
    for kind in PERTURBATION_KINDS:
        d = done[done.kind == kind]
        skipped = int((pairs.kind == kind).sum() - len(d))
        rows.append(
            {
                "kind": kind,
                "pairs": len(d),
                "skipped": skipped,
                "faithfulness": d.faith_win.mean() if len(d) else float("nan"),
                "flagged": d.flagged.mean() if len(d) else float("nan"),
                "new flag": d.new_flag.mean() if len(d) else float("nan"),
                "faithfulness, clean": _clean(d),
                "ROUGE-1 P": d.rouge_win.mean() if len(d) else float("nan"),
            }
        )
    d = done
    rows.append(
        {
            "kind": "all",
            "pairs": len(d),
            "skipped": int(pairs.skipped.notna().sum()),
            "faithfulness": d.faith_win.mean(),
            "flagged": d.flagged.mean(),
            "new flag": d.new_flag.mean(),
            "faithfulness, clean": _clean(d),
            "ROUGE-1 P": d.rouge_win.mean(),
        }
    )
    return pd.DataFrame(rows)


def _markdown(t: pd.DataFrame) -> str:
    cols = list(t.columns)
    lines = ["| " + " | ".join(cols) + " |", "|---" * len(cols) + "|"]
    for _, r in t.iterrows():
        cells = [f"{r[c]:.2f}" if isinstance(r[c], float) else str(r[c]) for c in cols]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def report(pairs: pd.DataFrame, title: str) -> pd.DataFrame:
    """Print the table, timing, skipped kinds and missed pairs of one data set."""
    t = table(pairs)
    print(f"# {title}: {pairs.id.nunique()} summaries\n")
    print(_markdown(t))
    timing = pairs.attrs["timing"]
    print(
        f"\ntime: score_summary {timing['score_summary']:.1f} s, rouge-score "
        f"{timing['rouge']:.1f} s (ratio {timing['score_summary'] / max(timing['rouge'], 1e-9):.0f}x)"
    )
    skipped = pairs[pairs.skipped.notna()].groupby(["kind", "skipped"]).size()
    if len(skipped):
        print("\nskipped (no pair could be made):")
        for (kind, why), n in skipped.items():
            print(f"- {kind}: {why} ({n})")
    misses = pairs[
        pairs.skipped.isna() & (~pairs.flagged.astype(bool) | ~pairs.faith_win.astype(bool))
    ]
    if len(misses):
        print("\nmissed pairs (not flagged or faithfulness not lower):")
        for _, m in misses.iterrows():
            print(
                f"- {m.id} {m.kind}: {m.detail} | flagged={m.flagged} "
                f"faith {m.faith_orig:.3f}->{m.faith_cor:.3f} found=[{m.found_kinds}]"
            )
    print()
    return t


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=1, help="corrupted copies per kind and summary")
    ap.add_argument("--quick", action="store_true", help="first 4 DiverSumm clusters only")
    ap.add_argument(
        "--data",
        choices=["diversumm", "sample", "both"],
        default="both",
        help="DiverSumm Multi-News (the issue's figure), the sample corpus, or both",
    )
    ap.add_argument("--no-progress", action="store_true")
    args = ap.parse_args(argv)
    print(
        "Share of pairs where the original beats the corrupted copy (faithfulness, ROUGE-1 "
        f"precision vs sources) and where the corruption is flagged with the right kind; "
        f"{args.seeds} seed(s).\n"
    )
    results = {}
    sets = {
        "diversumm": ("Robustness to corrupted facts: DiverSumm Multi-News", diversumm_items),
        "sample": (
            "Robustness to corrupted facts: sample corpus, faithful summaries",
            sample_items,
        ),
    }
    for name, (title, items) in sets.items():
        if args.data not in (name, "both"):
            continue
        kwargs = {"quick": args.quick} if name == "diversumm" else {}
        pairs = run(items(**kwargs), seeds=args.seeds, progress=not args.no_progress)
        t = report(pairs, title)
        results[name] = {"table": t.to_dict("records"), "pairs": pairs.to_dict("records")}
    out_dir = repo_root() / "benchmarks" / "out"
    with atomic_write(out_dir / "robustness.json", "w") as fh:
        json.dump(results, fh, indent=1, default=str)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
