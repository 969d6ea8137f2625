"""Figure 1: does the scorer find the defects planted in the sample corpus summaries?

Every sample summary (``data/sample/summaries/*.json``) lists its planted defects as
``{kind, span, note}``. We score each summary with ``nl.score_summary`` against the sample
articles and match its findings to the annotations: a finding matches a defect when the
kinds agree and the character spans overlap (the annotated span is located in the summary
text). Per kind: recall = matched defects / annotated defects, precision = findings that
match a defect / findings of that kind. Finding kinds that are never annotated
(``missed_consensus``: the sample summaries are not annotated for omissions; ``date``
when no summary carries one) are listed separately and left out of the overall precision.

Peers in the same run: the full scorer, and ``check_consistency`` alone (date and time
kinds only), so the share found by the internal checks is visible.

Usage::

    .venv/bin/python benchmarks/defects.py [--scope story|corpus] [--quick]

``--scope story`` (default) scores each summary against its own story's articles;
``corpus`` against all sample articles (merged events from other stories can then be seen).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from newslab.consistency import check_consistency  # noqa: E402
from newslab.io import atomic_write  # noqa: E402
from newslab.paths import repo_root, sample_dir  # noqa: E402
from newslab.sample import load_summaries  # noqa: E402

NOT_ANNOTATED = {"missed_consensus"}


def sample_corpus() -> pd.DataFrame:
    """The sample articles as a corpus-like table (text = paragraphs joined by blank lines)."""
    root = sample_dir()
    gold = {a["key"]: a for a in json.loads((root / "gold.json").read_text())["articles"]}
    rows = []
    for fp in sorted((root / "source" / "articles").glob("*.json")):
        a = json.loads(fp.read_text(encoding="utf-8"))
        key = fp.stem
        g = gold.get(key, {})
        rows.append(
            {
                "id": key,
                "url": g.get("url", f"https://{a['outlet']}.example/{a['slug']}"),
                "outlet": g.get("outlet", a["outlet"]),
                "title": a["title"],
                "published": pd.Timestamp(a["published"]).tz_convert("UTC"),
                "text": "\n\n".join(a["paragraphs"]),
                "story": a["story"],
            }
        )
    return pd.DataFrame(rows)


def _locate(text: str, span: str) -> tuple[int, int]:
    i = text.find(span)
    if i < 0:
        i = text.lower().find(span.lower())
    return (i, i + len(span)) if i >= 0 else (-1, -1)


def match(summaries: pd.DataFrame, findings: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Per-kind counts: annotated, found (matched annotations), findings, correct findings."""
    stats: dict[str, dict[str, int]] = {}

    def bump(kind, key, n=1):
        stats.setdefault(kind, {"annotated": 0, "found": 0, "findings": 0, "correct": 0})
        stats[kind][key] += n

    misses, false_pos = [], []
    for _, s in summaries.iterrows():
        f = findings[s.id]
        defects = []
        for d in s.defects:
            start, end = _locate(s.text, d["span"])
            defects.append((d["kind"], start, end, d["span"]))
            bump(d["kind"], "annotated")
        for kind, start, end, span in defects:
            hit = f[(f.kind == kind) & (f.start < end) & (f.end > start)]
            if len(hit):
                bump(kind, "found")
            else:
                misses.append((s.id, kind, span))
        for _, row in f.iterrows():
            bump(row.kind, "findings")
            ok = any(k == row.kind and row.start < e and row.end > st for k, st, e, _ in defects)
            if ok:
                bump(row.kind, "correct")
            elif row.kind not in NOT_ANNOTATED:
                false_pos.append((s.id, row.kind, row.span, row.evidence[:120]))
    table = pd.DataFrame.from_dict(stats, orient="index").fillna(0).astype(int)
    table.index.name = "kind"
    table["recall"] = table.found / table.annotated.where(table.annotated > 0)
    table["precision"] = table.correct / table.findings.where(table.findings > 0)
    table.attrs["misses"], table.attrs["false_positives"] = misses, false_pos
    return table.sort_index()


def overall(table: pd.DataFrame) -> dict[str, float]:
    annotated = table[table.annotated > 0]
    judged = table[~table.index.isin(NOT_ANNOTATED)]
    return {
        "recall": annotated.found.sum() / max(annotated.annotated.sum(), 1),
        "precision": judged.correct.sum() / max(judged.findings.sum(), 1),
        "kinds_found": int((annotated.found > 0).sum()),
        "kinds": int(len(annotated)),
    }


def _markdown(table: pd.DataFrame) -> str:
    cols = ["annotated", "found", "findings", "correct", "recall", "precision"]
    lines = ["| kind | " + " | ".join(cols) + " |", "|---" * (len(cols) + 1) + "|"]
    for kind, row in table.iterrows():
        cells = []
        for c in cols:
            v = row[c]
            if pd.isna(v):
                cells.append("-")
            else:
                cells.append(f"{v:.2f}" if c in ("recall", "precision") else str(int(v)))
        note = " (not annotated)" if kind in NOT_ANNOTATED else ""
        lines.append(f"| {kind}{note} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scope", choices=("story", "corpus"), default="story")
    ap.add_argument("--quick", action="store_true", help="first 5 summaries only")
    args = ap.parse_args(argv)

    summaries = load_summaries()
    if args.quick:
        summaries = summaries.head(5)
    corpus = sample_corpus()
    try:
        from newslab.scores import score_summary
    except ImportError:  # the scorer core is another module; run the date checks alone
        score_summary = None

    runs: dict[str, dict[str, pd.DataFrame]] = {"check_consistency": {}}
    timings = {"check_consistency": 0.0}
    if score_summary is not None:
        runs["score_summary"], timings["score_summary"] = {}, 0.0
    for _, s in summaries.iterrows():
        story = corpus if args.scope == "corpus" else corpus[corpus.story == s.story]
        t0 = time.perf_counter()
        runs["check_consistency"][s.id] = check_consistency(s.text, s.dateline, sources=story)
        timings["check_consistency"] += time.perf_counter() - t0
        if score_summary is not None:
            t0 = time.perf_counter()
            runs["score_summary"][s.id] = score_summary(
                s.text, story, published=s.dateline
            ).findings
            timings["score_summary"] += time.perf_counter() - t0

    out_dir = repo_root() / "benchmarks" / "out"
    report = {}
    print(f"# Planted defects: {len(summaries)} sample summaries, scope={args.scope}\n")
    for name, findings in runs.items():
        table = match(summaries, findings)
        if name == "check_consistency":
            table = table[table.index.isin(["time_inconsistency", "stale_reference", "date"])]
        tot = overall(table)
        print(f"## {name} ({timings[name]:.1f} s)\n")
        print(_markdown(table))
        print(
            f"\noverall: recall {tot['recall']:.2f}, precision {tot['precision']:.2f}, "
            f"kinds found {tot['kinds_found']}/{tot['kinds']}\n"
        )
        for sid, kind, span in table.attrs["misses"]:
            if kind in table.index:
                print(f"- missed {kind} in {sid}: {span!r}")
        for sid, kind, span, ev in table.attrs["false_positives"]:
            if kind in table.index:
                print(f"- false positive {kind} in {sid}: {span!r} ({ev})")
        print()
        report[name] = {"table": table.reset_index().to_dict("records"), "overall": tot}
    if len(timings) == 2 and timings["check_consistency"] > 0:
        print(
            f"time ratio score_summary / check_consistency: "
            f"{timings['score_summary'] / timings['check_consistency']:.1f}"
        )
    with atomic_write(out_dir / "defects.json", "w") as fh:
        json.dump(report, fh, indent=2, default=float)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
