"""Development task for the summary-level ``faithfulness``, built without any human label.

Issue #5 figure 2 scores ``faithfulness`` against DiverSumm's binary summary-level labels
(a summary is faithful only when it has no unsupported content at all). Those labels (2
positives of 45) must not be tuned on. This script builds a pooled ranking task whose labels
are known by construction, from the *sources* of DiverSumm's Multi-News part alone (36
articles, 15 stories; every ``summaries`` field is ignored), to decide how the summary-level
score should aggregate its sentences' evidence.

Design
------
For every story and every length k = 2..10 sentences, four *bases* are picked from the
story's sources (``nl.summarize_detailed`` with ``lead``, ``centroid``, ``textrank`` and
``mmr``, first k by rank, in reading order), each written in one style (rotating with k):

- ``extract``: the source sentences verbatim;
- ``compress``: each sentence cut to its first comma clause, or a middle comma clause
  dropped (clauses dropped, nothing added);
- ``fuse``: adjacent sentences joined in one ("A, and B.");
- ``paraphrase``: "X said Y." -> "Y, X said."; "A, while B." -> "While B, A.";
- ``mix``: one of the above per sentence.

Each base gives one faithful summary and two unfaithful copies with 1 or 2 injected errors
(alternating), the kinds rotating over:

- ``fact``: a fact of one sentence corrupted by ``nl.perturb`` (a number, date, name,
  quote or negation the sources give, changed into one they do not);
- ``other_sentence``: a sentence replaced by one of similar length from ANOTHER story;
- ``other_clause``: a short sentence of another story appended as a clause to a (cut)
  supported sentence;
- ``invented``: a sentence replaced by a new claim built from the story's own words: the
  subject of one source sentence with the predicate of another.

The copies keep the base's length, style and story, so length and style cannot give the
label away (the ``words`` row is the sanity check). All summaries of all stories are pooled;
ROC-AUC with faithful = positive. 95% CIs: bootstrap over stories (2,000 resamples), paired
for the differences with ``faithfulness_mean`` (the former definition).

Candidates (fixed before the first run; computed from ``ScoreResult.sentences`` /
``.findings`` / ``.metrics``; "sentences" below skips bare framing lines and lines of fewer
than 3 content words; no synthetic summary has a framing line):

- ``faithfulness_mean``: the former definition (weighted mean of adjusted support,
  finding costs);
- ``support``, ``supported_share``: metrics of the scorer;
- ``min_adjusted``: the lowest sentence ``adjusted_score``;
- ``q25_adjusted``: its 25th percentile;
- ``geomean_adjusted``: prod_i(adjusted_i) ** (1/k) (floor 0.01), "no error anywhere";
- ``geomean_weighted``: the same, weighted by content words;
- ``product_adjusted``: prod_i(adjusted_i), no length normalisation;
- ``inverse_errors``: 1 / (1 + penalised findings + unsupported sentences).

Second stage, declared after the first run put ``min_adjusted`` ahead: a plain minimum ignores
an error on any sentence but the weakest, so ``benchmarks/robustness.py`` (original strictly
above its corrupted copy) would tie. Strictly monotone soft minimums, each times the current
definition's summary-level finding costs: ``min_scaled`` (for reference), and weighted power
means ``powmean_p0`` (geometric), ``powmean_m1`` (harmonic), ``powmean_m2``, ``powmean_m4``.
``powmean_m4``, the best of them on this task, was adopted first; the robustness re-run gave
0.93 on DiverSumm negations (target 0.95), so all of them were checked there and the best on
this task among those that pass every kind was kept: ``powmean_m2`` (negation 0.96), now
``faithfulness`` (``ScoreOptions(softmin_power=-2)``). ``faithfulness_shipped`` is the
package's value, as a check.

Peers in the same run: ROUGE-2 precision against the concatenated sources (rouge-score,
stemming on), and ``words`` (sanity: should be near 0.5).

Usage::

    .venv/bin/python benchmarks/faithfulness_dev.py [--quick] [--root PATH] [--boot N]

``--quick`` uses 4 stories, lengths 2..6 and 300 resamples. Writes
``benchmarks/out/faithfulness_dev.parquet`` (one row per summary) and ``.json`` (the table).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import zlib
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import rankdata
from tqdm.auto import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from newslab.align import content_tokens, segment  # noqa: E402
from newslab.datasets import sources_table  # noqa: E402
from newslab.form import rouge  # noqa: E402
from newslab.io import atomic_write  # noqa: E402
from newslab.paths import benchmark_dir, repo_root  # noqa: E402
from newslab.perturbation import perturb  # noqa: E402
from newslab.scores import (  # noqa: E402
    _PENALISED,
    ScoreOptions,
    StoryScorer,
    _finding_scale,
    _is_claim,
    _power_mean,
)
from newslab.summaries import summarize_detailed  # noqa: E402

METHODS = ("lead", "centroid", "textrank", "mmr")
STYLES = ("extract", "compress", "fuse", "paraphrase", "mix")
ERRORS = ("fact", "other_sentence", "other_clause", "invented")
EPS = 0.01
# candidate name -> higher = more faithful (all are), fixed before the first run
CANDIDATES = (
    "faithfulness_mean",
    "support",
    "supported_share",
    "min_adjusted",
    "q25_adjusted",
    "geomean_adjusted",
    "geomean_weighted",
    "product_adjusted",
    "inverse_errors",
)
# second stage, declared after the first run showed ``min_adjusted`` ahead: a plain minimum
# ignores an error on any sentence but the weakest (ties in benchmarks/robustness.py), so
# these are strictly monotone soft minimums (weighted power means, p < 0), times the
# summary-level finding costs of the current definition
STAGE2 = ("min_scaled", "powmean_p0", "powmean_m1", "powmean_m2", "powmean_m4")
SHIPPED = ("faithfulness_shipped",)
PEERS = ("rouge2_p", "words")

_ANCHORS = frozenset(
    "is was are were has have had will would said says can could did does may might must "
    "should told announced".split()
)
_PRONOUNS = frozenset("he she it they we i you this that there his her their its".split())
_SAID = re.compile(
    r"^(?P<who>[^,\"“”]{3,60}?) (?P<verb>said|says|told [a-z]+) (?:that )?(?P<what>.+)$"
)
_SUBORD = re.compile(
    r"^(?P<a>.+?), (?P<b>(?:while|after|because|as|when|since|though|although) .+)$"
)


# ----------------------------------------------------------------- text edits


def _end(text: str) -> str:
    text = text.strip().rstrip(",;:—-").strip()
    return text if text[-1:] in ".!?\"”'’" else text + "."


def _body(text: str) -> str:
    return text.strip().rstrip(".!?").strip()


def compress(sent: str) -> str:
    """Drop clauses: keep the first comma clause (>= 6 words), else drop a middle one."""
    parts = [p.strip() for p in _body(sent).split(", ")]
    if len(parts) < 2:
        return sent
    if len(parts[0].split()) >= 6:
        return _end(parts[0])
    if len(parts) >= 3:
        return _end(", ".join(parts[:1] + parts[2:]))
    return sent


def fuse(a: str, b: str) -> str:
    """Two supported sentences in one."""
    return _end(f"{_body(a)}, and {_body(b)}")


def paraphrase(sent: str) -> str:
    """Deterministic light paraphrase: reported speech or a subordinate clause moved."""
    body = _body(sent)
    m = _SAID.match(body)
    if m and len(m["what"].split()) >= 4 and '"' not in m["what"]:
        return _end(f"{m['what']}, {m['who']} {m['verb']}")
    m = _SUBORD.match(body)
    if m and len(m["a"].split()) >= 4:
        return _end(f"{m['b']}, {m['a']}")
    return sent


def splice(a: str, b: str) -> str | None:
    """The subject of ``a`` with the predicate of ``b``: a new claim from the story's words."""
    wa, wb = _body(a).split(), _body(b).split()

    def anchor(words: list[str]) -> int | None:
        for j in range(2, len(words) - 2):
            if words[j] in _ANCHORS:
                return j
        return None

    ja, jb = anchor(wa), anchor(wb)
    if ja is None or jb is None:
        return None
    subj_a, subj_b = set(content_tokens(" ".join(wa[:ja]))), set(content_tokens(" ".join(wb[:jb])))
    if not subj_a - subj_b or set(wa[:ja]) <= _PRONOUNS:
        return None
    return _end(" ".join(wa[:ja] + wb[jb:]))


# ----------------------------------------------------------------- data


def load_stories(root: Path | None, quick: bool) -> list[dict]:
    """DiverSumm stories: their sources only (the summaries and labels are never read)."""
    path = benchmark_dir("summaries", root) / "diversumm_multinews.jsonl"
    stories = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        stories.append({"id": item["id"], "sources": item["sources"]})  # nothing else kept
    stories = stories[:4] if quick else stories
    counts: dict[str, int] = {}
    for s in stories:
        s["table"] = sources_table(s["sources"], s["id"])
        sents = {
            t.strip()
            for text in s["table"].text
            for _, _, t in segment(text)
            if 8 <= len(t.split()) <= 50 and len(content_tokens(t)) >= 5
        }
        s["pool"] = sorted(sents)
        s["vocab"] = {w for t in s["table"].text for w in content_tokens(t)}
        for t in s["pool"]:
            counts[t.lower()] = counts.get(t.lower(), 0) + 1
    for s in stories:  # boilerplate shared by several stories (crawl notices) is no "other story"
        s["pool"] = [t for t in s["pool"] if counts[t.lower()] == 1]
    return stories


def _foreign(stories: list[dict], i: int, rng, words: int | None = None, short=False) -> str:
    """A sentence of another story, sharing little content with story ``i``."""
    vocab = stories[i]["vocab"]
    cands = []
    for j, s in enumerate(stories):
        if j == i:
            continue
        for t in s["pool"]:
            toks = content_tokens(t)
            if sum(w in vocab for w in toks) / len(toks) < 0.5:
                cands.append(t)
    if short:
        pick = [t for t in cands if len(t.split()) <= 14] or cands
        return pick[int(rng.integers(len(pick)))]
    cands.sort(key=lambda t: abs(len(t.split()) - (words or 20)))
    near = cands[:10]
    return near[int(rng.integers(len(near)))]


# ----------------------------------------------------------------- summaries


def base_sentences(story: pd.DataFrame, method: str, k: int) -> list[str]:
    detail = summarize_detailed(story, method=method, max_words=100_000)
    detail = detail[detail["rank"] <= k]
    return [_end(s) for s in detail.sentence]


def style_units(sents: list[str], style: str, rng) -> list[str]:
    if style == "extract":
        return list(sents)
    if style == "compress":
        return [compress(s) for s in sents]
    if style == "paraphrase":
        return [paraphrase(s) for s in sents]
    if style == "fuse":
        out = [fuse(sents[i], sents[i + 1]) for i in range(0, len(sents) - 1, 2)]
        return out + ([sents[-1]] if len(sents) % 2 else [])
    out = []  # mix
    for s in sents:
        c = int(rng.integers(3))
        out.append(s if c == 0 else compress(s) if c == 1 else paraphrase(s))
    return out


def inject(units, kind, stories, i, rng, taken: set[int]):
    """Apply one error of ``kind`` to a fresh unit; returns (units, kind used) or None."""
    free = [j for j in range(len(units)) if j not in taken]
    if not free:
        return None
    j = free[int(rng.integers(len(free)))]
    story = stories[i]
    new = list(units)
    if kind == "fact":
        for jj in [j] + [x for x in free if x != j]:
            copies = perturb(units[jj], story["table"], seed=int(rng.integers(1000)))
            if len(copies):
                pick = copies.iloc[int(rng.integers(len(copies)))]
                new[jj] = pick.text
                return new, jj, f"fact:{pick.kind}"
        return None
    if kind == "other_sentence":
        new[j] = _end(_foreign(stories, i, rng, words=len(units[j].split())))
    elif kind == "other_clause":
        clause = _body(_foreign(stories, i, rng, short=True))
        new[j] = _end(f"{_body(compress(units[j]))}, and {clause}")
    else:  # invented
        pool = story["pool"]
        order = rng.permutation(len(pool))
        for a in order:
            for b in order[:20]:
                if a == b:
                    continue
                s = splice(pool[a], pool[b])
                if s and not any(s.rstrip(".") in p for p in pool):
                    new[j] = s
                    return new, j, kind
        return None
    return new, j, kind


def build(stories: list[dict], lengths, progress: bool) -> pd.DataFrame:
    rows = []
    for i, story in enumerate(tqdm(stories, desc="building", disable=not progress)):
        for k in lengths:
            seen = set()
            for b, method in enumerate(METHODS):
                sents = base_sentences(story["table"], method, k)
                key = tuple(sents)
                if key in seen or len(sents) < 2:
                    continue  # a method that repeats another's pick, or a 1-sentence lead
                seen.add(key)
                style = STYLES[(k + b) % len(STYLES)]
                seed = zlib.crc32(f"{story['id']}|{k}|{method}".encode())
                rng = np.random.default_rng(seed)
                units = style_units(sents, style, rng)
                base = {"story": story["id"], "k": k, "method": method, "style": style}
                rows.append({**base, "label": 1, "errors": 0, "kinds": "", "text": " ".join(units)})
                for c in range(2):
                    n_err = 1 + (k + b + c) % 2
                    new, taken, kinds = units, set(), []
                    for e in range(n_err):
                        kind = ERRORS[(k + 2 * b + c + e) % len(ERRORS)]
                        out = None
                        for alt in [kind] + [x for x in ERRORS if x != kind]:
                            out = inject(new, alt, stories, i, rng, taken)
                            if out is not None:
                                break
                        if out is None:
                            break
                        new, j, used = out
                        taken.add(j)
                        kinds.append(used)
                    if kinds:
                        rows.append(
                            {**base, "label": 0, "errors": len(kinds), "kinds": "+".join(kinds),
                             "text": " ".join(new)}
                        )  # fmt: skip
    df = pd.DataFrame(rows)
    df["words"] = df.text.str.split().str.len()
    return df


# ----------------------------------------------------------------- candidates


def finding_scale(res) -> float:
    """The scorer's summary-level factor for penalised findings (default costs)."""
    w = np.array([max(1, len(content_tokens(t))) for t in res.sentences.text], dtype=float)
    return _finding_scale(res.findings, w, ScoreOptions().finding_costs)


def candidates(res) -> dict[str, float]:
    """Every candidate summary-level score, from one ScoreResult."""
    sents = res.sentences
    keep = np.array([_is_claim(t) for t in sents.text]) if len(sents) else np.array([])
    if not keep.any():
        keep = np.ones(len(sents), dtype=bool)
    adj = np.clip(sents.adjusted_score.to_numpy(float)[keep], EPS, 1.0)
    w = np.array([max(1, len(content_tokens(t))) for t in sents.text[keep]], dtype=float)
    n_pen = int(res.findings.kind.isin(_PENALISED).sum())
    n_uns = int((sents.label.to_numpy()[keep] == "unsupported").sum())
    scale = finding_scale(res)
    return {
        # the former definition (``faithfulness`` until session 4)
        "faithfulness_mean": res.metrics.get("faithfulness_mean", res.metrics["faithfulness"]),
        "support": res.metrics["support"],
        "supported_share": res.metrics["supported_share"],
        "min_adjusted": float(adj.min()),
        "q25_adjusted": float(np.quantile(adj, 0.25)),
        "geomean_adjusted": float(np.exp(np.log(adj).mean())),
        "geomean_weighted": float(np.exp((w * np.log(adj)).sum() / w.sum())),
        "product_adjusted": float(np.prod(adj)),
        "inverse_errors": 1.0 / (1 + n_pen + n_uns),
        "min_scaled": float(adj.min()) * scale,
        "powmean_p0": _power_mean(adj, w, 0) * scale,
        "powmean_m1": _power_mean(adj, w, -1) * scale,
        "powmean_m2": _power_mean(adj, w, -2) * scale,
        "powmean_m4": _power_mean(adj, w, -4) * scale,
        "faithfulness_shipped": res.metrics["faithfulness"],
    }


def score_all(df: pd.DataFrame, stories: list[dict], progress: bool) -> pd.DataFrame:
    by_id = {s["id"]: s for s in stories}
    scorers = {}
    rows = []
    for rec in tqdm(
        df.itertuples(index=False), total=len(df), desc="scoring", disable=not progress
    ):
        s = by_id[rec.story]
        if rec.story not in scorers:
            scorers[rec.story] = StoryScorer(s["table"])
        res = scorers[rec.story].score(rec.text)
        joined = "\n\n".join(s["table"].text)
        rows.append({**candidates(res), "rouge2_p": rouge(rec.text, joined)["rouge2_p"]})
    return pd.concat([df.reset_index(drop=True), pd.DataFrame(rows)], axis=1)


# ----------------------------------------------------------------- evaluation


def auc(score: np.ndarray, label: np.ndarray) -> float:
    """ROC-AUC via ranks (ties count half)."""
    pos = label == 1
    n1, n0 = pos.sum(), (~pos).sum()
    if n1 == 0 or n0 == 0:
        return float("nan")
    r = rankdata(score)
    return float((r[pos].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def evaluate(df: pd.DataFrame, n_boot: int, seed: int = 0) -> dict:
    names = list(CANDIDATES) + list(STAGE2) + list(SHIPPED) + list(PEERS)
    label = df.label.to_numpy()
    cols = {n: df[n].to_numpy(float) for n in names}
    point = {n: auc(cols[n], label) for n in names}
    groups = [np.flatnonzero(df.story.to_numpy() == s) for s in df.story.unique()]
    rng = np.random.default_rng(seed)
    boot = {n: [] for n in names}
    for _ in range(n_boot):
        idx = np.concatenate([groups[g] for g in rng.integers(0, len(groups), len(groups))])
        for n in names:
            boot[n].append(auc(cols[n][idx], label[idx]))
    out = {}
    base = np.array(boot["faithfulness_mean"])
    for n in names:
        b = np.array(boot[n])
        d = b - base
        out[n] = {
            "auc": point[n],
            "ci": [float(np.percentile(b, 2.5)), float(np.percentile(b, 97.5))],
            "diff": point[n] - point["faithfulness_mean"],
            "diff_ci": [float(np.percentile(d, 2.5)), float(np.percentile(d, 97.5))],
        }
    return out


def by_group(df: pd.DataFrame, names) -> pd.DataFrame:
    """AUC of each score for faithful vs each error kind / count, and per style."""
    rows = []
    pos = df[df.label == 1]
    neg = df[df.label == 0]
    first = neg.kinds.str.split("+").str[0].str.split(":").str[0]
    slices = {f"error {k}": neg[(first == k) & (neg.errors == 1)] for k in ERRORS}
    slices["2 errors"] = neg[neg.errors == 2]
    for name, part in slices.items():
        sub = pd.concat([pos, part])
        rows.append({"slice": name, "n_neg": len(part),
                     **{n: auc(sub[n].to_numpy(float), sub.label.to_numpy()) for n in names}})  # fmt: skip
    for style in STYLES:
        sub = df[df["style"] == style]
        rows.append({"slice": f"style {style}", "n_neg": int((sub.label == 0).sum()),
                     **{n: auc(sub[n].to_numpy(float), sub.label.to_numpy()) for n in names}})  # fmt: skip
    return pd.DataFrame(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="4 stories, lengths 2..6, 300 resamples")
    ap.add_argument("--root", default=None, help="benchmark root (default: shared benchmarks)")
    ap.add_argument("--boot", type=int, default=None, help="bootstrap resamples (default 2000)")
    ap.add_argument("--no-progress", action="store_true")
    args = ap.parse_args(argv)
    n_boot = args.boot or (300 if args.quick else 2000)
    t0 = time.perf_counter()
    stories = load_stories(args.root, args.quick)
    lengths = range(2, 7) if args.quick else range(2, 11)
    df = build(stories, lengths, not args.no_progress)
    t1 = time.perf_counter()
    df = score_all(df, stories, not args.no_progress)
    t2 = time.perf_counter()
    res = evaluate(df, n_boot)
    n_pos, n_neg = int((df.label == 1).sum()), int((df.label == 0).sum())
    print(f"# Summary-level faithfulness, development task: {len(stories)} stories, {len(df)} "
          f"summaries ({n_pos} faithful, {n_neg} with 1-2 injected errors); built in "
          f"{t1 - t0:.0f} s, scored in {t2 - t1:.0f} s\n")  # fmt: skip
    print("| score | pooled ROC-AUC | 95% CI (stories) | minus faithfulness_mean | paired 95% CI |")
    print("|---|---|---|---|---|")
    for n, r in res.items():
        print(f"| {n} | {r['auc']:.3f} | {r['ci'][0]:.3f} to {r['ci'][1]:.3f} | "
              f"{r['diff']:+.3f} | {r['diff_ci'][0]:+.3f} to {r['diff_ci'][1]:+.3f} |")  # fmt: skip
    names = list(CANDIDATES) + list(STAGE2) + ["rouge2_p"]
    print("\nBy slice (faithful vs that slice of unfaithful summaries; styles: both classes):\n")
    g = by_group(df, names)
    print("| slice | n unfaithful | " + " | ".join(names) + " |")
    print("|---|---|" + "---|" * len(names))
    for r in g.itertuples(index=False):
        vals = " | ".join(f"{getattr(r, n):.3f}" for n in names)
        print(f"| {r.slice} | {r.n_neg} | {vals} |")
    w1, w0 = df.words[df.label == 1].mean(), df.words[df.label == 0].mean()
    print(f"\nMean words: faithful {w1:.1f}, unfaithful {w0:.1f}")
    out = repo_root() / "benchmarks" / "out"
    out.mkdir(parents=True, exist_ok=True)
    with atomic_write(out / "faithfulness_dev.json", mode="w") as fh:
        json.dump({"n": len(df), "faithful": n_pos, "table": res,
                   "slices": g.to_dict("records")}, fh, indent=2)  # fmt: skip
    with atomic_write(out / "faithfulness_dev.parquet") as fh:
        df.to_parquet(fh)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
