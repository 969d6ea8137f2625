"""The demo: the whole pipeline on the bundled sample corpus, ending in an HTML report.

collect (real crawler against the sample sites served on 127.0.0.1) → corpus → stories
→ baseline summaries → scores of the sample's AI-style summaries → coverage → report.

Run it with ``make demo`` or ``newslab demo --out reports/demo``.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

__all__ = ["run_demo", "DemoOptions"]


@dataclass
class DemoOptions:
    """Settings of :func:`run_demo` (every default overridable).

    Attributes
    ----------
    rps : float
        Requests per second per host for the crawl of the local sample sites.
    summary_method : str
        Baseline summarizer for each story.
    max_words : int
        Length of the baseline summaries.
    freq : str
        Period of the coverage chart.
    """

    rps: float = 50.0
    summary_method: str = "centroid"
    max_words: int = 120
    freq: str = "D"
    contact: str = "newslab-demo@localhost"
    timings: dict = field(default_factory=dict)


def _stage(opts: DemoOptions, name: str, t0: float) -> float:
    now = time.perf_counter()
    opts.timings[name] = round(now - t0, 2)
    return now


def run_demo(
    out: str | os.PathLike = "reports/demo",
    *,
    options: DemoOptions | None = None,
    progress: bool = True,
    verbose: bool = True,
) -> Path:
    """Run the pipeline on the sample corpus and write ``out/index.html``.

    Also writes ``corpus.parquet``, ``stories.parquet`` and ``scores.parquet`` to
    ``out``. Returns the path of the report.
    """
    import newslab as nl

    opts = options or DemoOptions()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    say = print if verbose else (lambda *a, **k: None)
    t = time.perf_counter()

    # 1. collect: the real crawler against the sample sites, archived to WARC
    with nl.serve_sample() as site:
        result = nl.collect_detailed(
            site.feeds,
            archive=out / "archive",
            max_per_host_rps=opts.rps,
            progress=progress,
            contact=opts.contact,
        )
    corpus = result.corpus
    nl.write_corpus(corpus, out / "corpus.parquet")
    summary = nl.corpus_summary(corpus)
    say(
        f"corpus: {summary['articles']} articles from {summary['outlets']} outlets, "
        f"{summary['first']:%Y-%m-%d} to {summary['last']:%Y-%m-%d}"
    )
    t = _stage(opts, "collect", t)

    # 2. stories
    stories = nl.cluster_stories(corpus)
    gold = nl.gold_labels(stories, solo=True)
    quality = nl.evaluate_clustering(stories["story"], gold)
    table = nl.story_table(stories)
    nl.write_corpus(stories, out / "stories.parquet")
    say(f"stories: {quality['n_pred']} found, B-cubed F1 {quality['b3_f1']:.3f} against gold")
    t = _stage(opts, "stories", t)

    # 3. baseline summaries for each multi-outlet story
    big = table[table["n_outlets"] >= 3]
    baselines = []
    for story_id in big["story"]:
        arts = stories[stories["story"] == story_id]
        text = nl.summarize(arts, method=opts.summary_method, max_words=opts.max_words)
        r = nl.score_summary(text, arts, published=arts["published"].max())
        baselines.append(
            {"story": story_id, "summary": text, **{k: r.metrics.get(k) for k in _KEY_METRICS}}
        )
    baselines = pd.DataFrame(baselines)
    t = _stage(opts, "summaries", t)

    # 4. score the sample's AI-style summaries against the articles of their (gold) story
    ai = nl.load_summaries()
    stories["gold_story"] = nl.gold_labels(stories)
    results = {}
    for row in ai.itertuples():
        sources = stories[stories["gold_story"] == row.story]
        results[row.id] = nl.score_summary(row.text, sources, published=row.dateline)
    scores = pd.DataFrame(
        [
            {
                "id": sid,
                "story": ai.set_index("id").loc[sid, "story"],
                "planted_defects": len(ai.set_index("id").loc[sid, "defects"]),
                "findings": len(r.findings),
                **{k: r.metrics.get(k) for k in _KEY_METRICS},
            }
            for sid, r in results.items()
        ]
    )
    scores.to_parquet(out / "scores.parquet")
    t = _stage(opts, "scores", t)

    # 5. coverage and the report
    report = _build_report(
        corpus, stories, table, quality, baselines, ai, results, scores, opts, result
    )
    path = report.write(out / "index.html")
    _stage(opts, "report", t)
    say("timings (s): " + ", ".join(f"{k} {v}" for k, v in opts.timings.items()))
    return path.resolve()


_KEY_METRICS = (
    "faithfulness",
    "coverage",
    "outlets_used",
    "fragment_density",
    "compression",
    "words",
)


def _build_report(corpus, stories, table, quality, baselines, ai, results, scores, opts, crawl):
    import newslab as nl
    from newslab.report import Report

    summary = nl.corpus_summary(corpus)
    rep = Report("newslab demo: the sample corpus, end to end")
    rep.paragraph(
        f"{summary['articles']} articles from {summary['outlets']} outlets, "
        f"{summary['first']:%d %b %Y} to {summary['last']:%d %b %Y}, collected by the crawler "
        "from the sample sites served on 127.0.0.1 (archived as WARC: re-run offline with "
        "newslab.collect_archive)."
    )
    rep.heading("1. Collection")
    rep.table(pd.DataFrame([crawl.summary]), caption="Crawl summary")
    if len(crawl.log):
        rep.table(crawl.log, caption="Dropped or failed items, with the reason")
    rep.table(
        corpus[["outlet", "title", "published", "date_source"]].sort_values("published"),
        max_rows=80,
        caption="The corpus",
    )
    rep.heading("2. Stories")
    rep.paragraph(
        "Against the gold labels: "
        + ", ".join(f"{k} {v:.3f}" for k, v in quality.items() if isinstance(v, float))
    )
    rep.table(table, caption="One row per story")
    labels = {
        row.story: f"{row.story}: {', '.join(list(row.top_terms)[:3])}"
        for row in table.itertuples()
    }
    rep.figure(nl.plot_outlet_story_matrix(stories, labels=labels), "Who covered what")
    rep.heading("3. Coverage over time")
    cov = nl.coverage(stories, freq=opts.freq, by="story")
    rep.figure(
        nl.plot_coverage(cov, top=8, labels=labels),
        "Articles per day, by story (top 8, rest summed)",
    )
    rep.figure(
        nl.plot_coverage(cov, top=8, value="relative_to_peak", kind="line", labels=labels),
        "Each story relative to its own peak",
    )
    rep.heading("4. Baseline summaries")
    rep.table(baselines, caption=f"method={opts.summary_method}, max_words={opts.max_words}")
    rep.heading("5. AI-style summaries scored against their sources")
    rep.table(scores, caption="One row per summary: planted defects vs findings")
    for row in ai.itertuples():
        r = results[row.id]
        rep.heading(f"{row.id} ({row.story}, dateline {row.dateline})", level=3)
        rep.raw(r.to_html())
        rep.figure(nl.plot_summary_support(r), f"Sources behind each sentence of {row.id}")
    return rep
