"""Loaders for the shared benchmark sets (``../shared/benchmarks``) as tidy DataFrames.

Each loader finds its data with :func:`newslab.paths.benchmark_dir` (argument >
``$NEWSLAB_BENCHMARKS`` > ``../shared/benchmarks`` next to the checkout) and raises
:class:`~newslab.paths.BenchmarkDataMissing`, naming where it looked, when it is absent.
The data is read in place, never copied. Every set's README gives its format, protocol
and published figures; the loaders follow them:

- :func:`load_news_aggregator`: UCI News Aggregator headlines with the aggregator's story
  labels (``clustering``). By default dates are floored to the UTC day and rows shuffled
  with a fixed seed, the README's evaluation protocol (exact timestamps give the labels
  away).
- :func:`load_extraction_benchmark`: Zyte article-extraction pages with their
  annotated article body (``extraction``); :func:`extraction_scores` is the README's
  token-shingle metric.
- :func:`load_summaries_benchmark`: multi-document summaries with human judgements
  (``summaries``), one row per summary; :func:`sources_table` turns an item's sources
  into a corpus-like table for :func:`newslab.score_summary`.

Examples
--------
>>> import tempfile
>>> load_news_aggregator(root=tempfile.mkdtemp())  # doctest: +IGNORE_EXCEPTION_DETAIL
Traceback (most recent call last):
BenchmarkDataMissing: benchmark data 'clustering' not found; tried ...
>>> sources_table([{"id": "s0", "position": 0, "text": "A quake hit."}])[["id", "outlet"]]
   id    outlet
0  s0  source 0
"""

from __future__ import annotations

import collections
import gzip
import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from newslab.paths import benchmark_dir

__all__ = [
    "extraction_page_scores",
    "aggregate_extraction_scores",
    "CATEGORY_NAMES",
    "SUMMARY_SETS",
    "load_news_aggregator",
    "load_extraction_benchmark",
    "extraction_scores",
    "load_summaries_benchmark",
    "sources_table",
    "scoring_inputs",
    "insight_judgements",
    "published_figures",
]

#: The News Aggregator's category codes, as its readme names them.
CATEGORY_NAMES: dict[str, str] = {
    "b": "business",
    "e": "entertainment",
    "m": "health",
    "t": "science and technology",
}

#: Short name -> file of the ``summaries`` benchmark set.
SUMMARY_SETS: dict[str, str] = {
    "diversumm": "diversumm_multinews.jsonl",
    "summhay": "summhay_news.jsonl",
}

_AGGREGATOR_COLUMNS = [
    "id",
    "url",
    "outlet",
    "title",
    "text",
    "published",
    "language",
    "host",
    "category",
    "story",
]
_TOKEN_RE = re.compile(r"\w+")


# --------------------------------------------------------------------------- clustering


def load_news_aggregator(
    root: str | os.PathLike | None = None,
    nrows: int | None = None,
    *,
    protocol: bool = True,
    seed: int = 0,
) -> pd.DataFrame:
    """Load the UCI News Aggregator headlines with their gold story labels.

    Parameters
    ----------
    root : path, optional
        Benchmark root (the folder holding ``clustering/``); see
        :func:`newslab.paths.benchmark_dir`.
    nrows : int, optional
        Read only the earliest ``nrows`` items (the file is sorted by time), e.g. for a
        quick run. The last story of the slice may be cut short.
    protocol : bool
        Apply the README's evaluation protocol: floor ``published`` to the UTC day and
        shuffle the rows (seed ``seed``). With ``False`` the exact timestamps and the file
        order are kept; do not report clustering figures from that.
    seed : int
        Seed of the shuffle.

    Returns
    -------
    DataFrame
        Columns ``id`` (the release's ID, str), ``url`` (the release escaped some ``?`` as
        ``\\?``; unescaped here), ``outlet`` (null for 2 items),
        ``title``, ``text`` (always null: headlines only), ``published``
        (datetime64[ns, UTC]), ``language``, ``host``, ``category`` (``business``,
        ``entertainment``, ``health``, ``science and technology``) and ``story`` (the gold
        label), with a fresh index. ``attrs`` records ``source``, ``protocol``, ``seed``.

    Raises
    ------
    BenchmarkDataMissing
        When the ``clustering`` set cannot be found.
    ValueError
        When ``nrows`` is not positive.

    Examples
    --------
    >>> df = load_news_aggregator(nrows=50)  # doctest: +SKIP
    >>> df["published"].dt.hour.unique().tolist()  # doctest: +SKIP
    [0]
    """
    if nrows is not None and nrows <= 0:
        raise ValueError(f"nrows must be a positive number of items, not {nrows!r}")
    path = benchmark_dir("clustering", root) / "stories.jsonl.gz"
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing from the clustering benchmark folder")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        df = pd.read_json(fh, lines=True, nrows=nrows, dtype=False)
    missing = [c for c in ("id", "title", "published", "story", "category") if c not in df]
    if missing:
        raise ValueError(f"{path}: items lack field(s) {', '.join(missing)}")
    df = df.rename(columns={"lang": "language"})
    for col in _AGGREGATOR_COLUMNS:
        if col not in df:
            df[col] = None
    df = df[_AGGREGATOR_COLUMNS].astype(object)
    df["id"] = df["id"].astype(str)
    df["url"] = df["url"].str.replace("\\?", "?", regex=False)  # the release escaped some "?"
    df["text"] = None
    df["outlet"] = df["outlet"].where(df["outlet"].notna(), None)
    df["category"] = df["category"].map(lambda c: CATEGORY_NAMES.get(c, c))
    published = pd.to_datetime(df["published"], utc=True, format="ISO8601")
    df["published"] = published.astype("datetime64[ns, UTC]")
    if protocol:
        df["published"] = df["published"].dt.floor("D")
        order = np.random.default_rng(seed).permutation(len(df))
        df = df.iloc[order]
    df = df.reset_index(drop=True)
    df.attrs.update(source=str(path), protocol=protocol, seed=seed if protocol else None)
    return df


# --------------------------------------------------------------------------- extraction


def load_extraction_benchmark(
    root: str | os.PathLike | None = None, limit: int | None = None
) -> pd.DataFrame:
    """Load the article-extraction benchmark pages with their annotated bodies.

    Parameters
    ----------
    root : path, optional
        Benchmark root (the folder holding ``extraction/``).
    limit : int, optional
        Keep only the first ``limit`` pages (by id).

    Returns
    -------
    DataFrame
        Columns ``id`` (SHA-256 of the URL), ``url``, ``html`` (the decoded page, str)
        and ``truth`` (the annotated ``articleBody``), sorted by id.

    Raises
    ------
    BenchmarkDataMissing
        When the ``extraction`` set cannot be found.
    FileNotFoundError
        When a page listed in ``ground-truth.json`` has no HTML file.

    Examples
    --------
    >>> pages = load_extraction_benchmark(limit=2)  # doctest: +SKIP
    >>> list(pages.columns)  # doctest: +SKIP
    ['id', 'url', 'html', 'truth']
    """
    folder = benchmark_dir("extraction", root)
    truth_path = folder / "ground-truth.json"
    if not truth_path.is_file():
        raise FileNotFoundError(f"{truth_path} is missing from the extraction benchmark folder")
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    if isinstance(truth, dict) and isinstance(truth.get("output"), dict):
        truth = truth["output"]
    ids = sorted(truth)[:limit] if limit is not None else sorted(truth)
    rows = []
    for page_id in ids:
        html_path = folder / "html" / f"{page_id}.html.gz"
        if not html_path.is_file():
            raise FileNotFoundError(f"page {page_id} of {truth_path} has no file {html_path}")
        with gzip.open(html_path, "rb") as fh:
            html = fh.read().decode("utf-8", errors="replace")
        entry = truth[page_id]
        rows.append(
            {
                "id": page_id,
                "url": entry.get("url"),
                "html": html,
                "truth": entry.get("articleBody") or "",
            }
        )
    df = pd.DataFrame(rows, columns=["id", "url", "html", "truth"]).astype(object)
    df.attrs.update(source=str(folder))
    return df


def _shingles(text: str | None) -> tuple[list[str], collections.Counter]:
    tokens = _TOKEN_RE.findall(text or "")
    if not tokens:
        return tokens, collections.Counter()
    if len(tokens) < 4:
        return tokens, collections.Counter([tuple(tokens)])
    return tokens, collections.Counter(tuple(tokens[i : i + 4]) for i in range(len(tokens) - 3))


def extraction_page_scores(
    truth: str | None, prediction: str | None
) -> tuple[float | None, float | None, bool]:
    """One page of the extraction metric: (precision, recall, exact token match).

    Precision is None when the prediction has no tokens, recall when the truth has none
    (such pages are left out of the corpus mean, as the README says).

    Examples
    --------
    >>> extraction_page_scores("one two three four five", "one two three four")
    (1.0, 0.5, False)
    """
    t_tok, t = _shingles(truth)
    p_tok, p = _shingles(prediction)
    tp = fp = fn = 0
    for key in t.keys() | p.keys():
        a, b = t.get(key, 0), p.get(key, 0)
        tp, fp, fn = tp + min(a, b), fp + max(0, b - a), fn + max(0, a - b)
    if fp == 0 and fn == 0:
        return 1.0, 1.0, t_tok == p_tok
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    return precision, recall, t_tok == p_tok


def aggregate_extraction_scores(pages: Sequence[tuple[float | None, float | None, bool]]) -> dict:
    """Corpus scores from :func:`extraction_page_scores` results (the README's protocol).

    Examples
    --------
    >>> aggregate_extraction_scores([(1.0, 0.5, False), (None, 0.0, False)])["recall"]
    0.25
    """
    precisions = [p for p, _, _ in pages if p is not None]
    recalls = [r for _, r, _ in pages if r is not None]
    precision = float(np.mean(precisions)) if precisions else 0.0
    recall = float(np.mean(recalls)) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    accuracy = float(np.mean([exact for _, _, exact in pages])) if pages else 0.0
    return {
        "f1": f1,
        "precision": precision,
        "recall": recall,
        "accuracy": accuracy,
        "n": len(pages),
    }


def extraction_scores(truths: Iterable[str | None], predictions: Iterable[str | None]) -> dict:
    """Score extracted bodies with the extraction benchmark's token-shingle metric.

    The README's protocol: tokens are runs of ``\\w`` (case kept); 4-token shingles as a
    multiset; per page TP/FP/FN; corpus precision is the mean over pages with a
    prediction, recall the mean over pages with a truth, F1 their harmonic mean (not a
    mean of per-page F1); accuracy is the share of exact token matches.

    Parameters
    ----------
    truths, predictions : iterables of str or None
        Annotated and extracted bodies, page by page (None counts as empty).

    Returns
    -------
    dict
        ``f1``, ``precision``, ``recall``, ``accuracy`` and ``n`` (pages).

    Raises
    ------
    ValueError
        When the two inputs differ in length or are empty.

    Examples
    --------
    >>> s = extraction_scores(["one two three four five"], ["one two three four"])
    >>> round(s["precision"], 3), round(s["recall"], 3), s["accuracy"]
    (1.0, 0.5, 0.0)
    """
    truths, predictions = list(truths), list(predictions)
    if len(truths) != len(predictions):
        raise ValueError(f"{len(truths)} truths but {len(predictions)} predictions")
    if not truths:
        raise ValueError("extraction_scores needs at least one page")
    return aggregate_extraction_scores(
        [extraction_page_scores(t, p) for t, p in zip(truths, predictions, strict=True)]
    )


# --------------------------------------------------------------------------- summaries


def load_summaries_benchmark(name: str, root: str | os.PathLike | None = None) -> pd.DataFrame:
    """Load a multi-document summary set with its human judgements, one row per summary.

    Parameters
    ----------
    name : {"diversumm", "summhay"}
        ``diversumm``: DiverSumm's Multi-News part (binary faithfulness labels);
        ``summhay``: SummHay's news Haystack (insight coverage judgements).
        The file names (``diversumm_multinews``...) are accepted too.
    root : path, optional
        Benchmark root (the folder holding ``summaries/``).

    Returns
    -------
    DataFrame
        ``id`` (``<item>/<system>``, unique), ``item``, ``dataset``, ``system``,
        ``summary`` (the text), ``query`` (SummHay's subtopic question, else None),
        ``sources`` (list of source dicts: id, position, title, date, outlet, text; the
        same list object for every summary of an item), ``references`` (SummHay's
        insights), then the human labels: ``faithful`` (int 0/1) for ``diversumm``;
        ``coverage_score`` (0-100) and ``coverage`` (per-insight labels) for ``summhay``.
        The other per-summary extras are in ``extra``.

    Raises
    ------
    BenchmarkDataMissing
        When the ``summaries`` set cannot be found.
    ValueError
        For an unknown ``name`` or an item without summaries.

    Examples
    --------
    >>> load_summaries_benchmark("cnn")
    Traceback (most recent call last):
    ...
    ValueError: unknown summaries set 'cnn'; choose one of diversumm, summhay
    """
    key = name.removesuffix(".jsonl")
    key = {v.removesuffix(".jsonl"): k for k, v in SUMMARY_SETS.items()}.get(key, key)
    if key not in SUMMARY_SETS:
        raise ValueError(
            f"unknown summaries set {name!r}; choose one of {', '.join(sorted(SUMMARY_SETS))}"
        )
    path = benchmark_dir("summaries", root) / SUMMARY_SETS[key]
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing from the summaries benchmark folder")
    rows = []
    with open(path, encoding="utf-8") as fh:
        for line_no, line in enumerate(fh, 1):
            if not line.strip():
                continue
            item = json.loads(line)
            if not item.get("summaries"):
                raise ValueError(f"{path.name} line {line_no}: item has no summaries")
            for s in item["summaries"]:
                human = s.get("human") or {}
                row = {
                    "id": f"{item['id']}/{s['system']}",
                    "item": item["id"],
                    "dataset": item.get("dataset"),
                    "system": s["system"],
                    "summary": s["text"],
                    "query": item.get("query"),
                    "sources": item.get("sources") or [],
                    "references": item.get("references") or [],
                }
                if key == "diversumm":
                    row["faithful"] = int(human["faithful"])
                else:
                    row["coverage_score"] = float(human["coverage_score"])
                    row["coverage"] = human.get("coverage") or []
                row["extra"] = s.get("extra") or {}
                rows.append(row)
    df = pd.DataFrame(rows)
    df.attrs.update(source=str(path), name=key)
    return df


def sources_table(sources: Iterable[Mapping[str, Any]], item: str | None = None) -> pd.DataFrame:
    """Turn a benchmark item's source list into a corpus-like table for the scorer.

    Parameters
    ----------
    sources : iterable of dict
        The ``sources`` cell of :func:`load_summaries_benchmark` (``id``, ``position``,
        ``title``, ``date``, ``outlet``, ``text``).
    item : str, optional
        Item id, used to build placeholder URLs (``benchmark://<item>/<source id>``).

    Returns
    -------
    DataFrame
        ``id``, ``url``, ``outlet`` (``source <position>`` when the set gives none, so
        per-outlet views still tell sources apart), ``title``, ``text`` and ``published``
        (UTC; NaT when the set gives no date), one row per source.

    Examples
    --------
    >>> t = sources_table([{"id": "a", "position": 3, "text": "x", "outlet": None}], "it")
    >>> t.loc[0, "outlet"], t.loc[0, "url"], str(t.loc[0, "published"])
    ('source 3', 'benchmark://it/a', 'NaT')
    """
    rows = []
    for i, src in enumerate(sources):
        pos = src.get("position", i)
        sid = str(src.get("id", pos))
        rows.append(
            {
                "id": sid,
                "url": f"benchmark://{item or 'item'}/{sid}",
                "outlet": src.get("outlet") or f"source {pos}",
                "title": src.get("title"),
                "text": src.get("text") or "",
                "published": src.get("date"),
            }
        )
    df = pd.DataFrame(rows, columns=["id", "url", "outlet", "title", "text", "published"])
    df = df.astype({"id": object, "url": object, "outlet": object, "title": object})
    df["published"] = pd.to_datetime(df["published"], utc=True).astype("datetime64[ns, UTC]")
    return df


def scoring_inputs(bench: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split a :func:`load_summaries_benchmark` table into the inputs of ``score_many``.

    Parameters
    ----------
    bench : DataFrame
        One row per summary, with ``id``, ``item``, ``summary`` and ``sources``.

    Returns
    -------
    summaries : DataFrame
        ``id``, ``story`` (the item id) and ``text``, one row per summary.
    corpus : DataFrame
        Every item's sources once (:func:`sources_table`), with ``story`` = item id.

    Examples
    --------
    >>> bench = pd.DataFrame({"id": ["it/a", "it/b"], "item": ["it", "it"],
    ...     "summary": ["One.", "Two."], "sources": [[{"id": "s0", "text": "One."}]] * 2})
    >>> summaries, corpus = scoring_inputs(bench)
    >>> summaries.columns.tolist(), corpus[["story", "text"]].values.tolist()
    (['id', 'story', 'text'], [['it', 'One.']])
    """
    missing = [c for c in ("id", "item", "summary", "sources") if c not in bench.columns]
    if missing:
        raise ValueError(f"scoring_inputs needs column(s) {', '.join(missing)}")
    summaries = pd.DataFrame(
        {"id": bench["id"], "story": bench["item"], "text": bench["summary"]}
    ).reset_index(drop=True)
    firsts = bench.drop_duplicates("item")
    frames = [
        sources_table(src, item).assign(story=item)
        for item, src in zip(firsts["item"], firsts["sources"], strict=True)
    ]
    corpus = pd.concat(frames, ignore_index=True) if frames else sources_table([])
    return summaries, corpus


_LABEL_VALUE = {"full": 1.0, "partial": 0.5, "none": 0.0}


def _haystack_index(sources: Any, cache: dict[tuple[str, ...], Any]) -> Any:
    """The item's documents as a SourceIndex (for IDF weights), built once per document set."""
    from newslab.align import SourceIndex

    if not isinstance(sources, list) or not sources:
        return None
    texts = tuple(s.get("text") or "" for s in sources)
    if texts not in cache:
        cache[texts] = SourceIndex(pd.DataFrame({"text": list(texts)}))
    return cache[texts]


def insight_judgements(
    bench: pd.DataFrame, *, judges: bool = True, full: float = 0.6, partial: float = 0.35
) -> pd.DataFrame:
    """SummHay coverage, insight by insight: the human label, newslab's, and the LLM judges'.

    Each summary is compared with each reference insight of its query by
    :func:`newslab.facts.insight_coverage`, with the item's documents (``sources``, when
    present) for its IDF weights. Labels become values as in
    Laban et al. (2024): full = 1, partial = 0.5, none = 0.

    Parameters
    ----------
    bench : DataFrame
        ``load_summaries_benchmark("summhay")``.
    judges : bool
        Add one column per LLM judge released with the set (``extra["llm_judges"]``), the
        peers of the README's table.
    full, partial : float
        Thresholds of :func:`newslab.facts.insight_coverage`.

    Returns
    -------
    DataFrame
        One row per (summary, insight) judged by the annotators: ``key``
        (``<summary id>#<insight id>``), ``id``, ``insight_id``, ``human``, ``newslab``
        (values 0/0.5/1), ``newslab_score`` (the match score, 0..1), then the judges.
        Summary-level coverage (0-100) is ``100 * mean`` per ``id``.

    Raises
    ------
    ValueError
        When ``bench`` lacks the SummHay columns.

    Examples
    --------
    >>> bench = pd.DataFrame({"id": ["q/s"], "summary": ["- Sales rose 4.2% in Q4."],
    ...     "references": [[{"id": "i1", "text": "Q4 sales rose 4.2%"},
    ...                     {"id": "i2", "text": "The dividend was cut"}]],
    ...     "coverage": [[{"insight_id": "i1", "label": "full"},
    ...                   {"insight_id": "i2", "label": "partial"}]]})
    >>> insight_judgements(bench, judges=False)[["insight_id", "human", "newslab"]].values.tolist()
    [['i1', 1.0, 1.0], ['i2', 0.5, 0.0]]
    """
    from newslab.facts import insight_coverage

    missing = [c for c in ("id", "summary", "references", "coverage") if c not in bench.columns]
    if missing:
        raise ValueError(
            f"insight_judgements needs the SummHay columns; missing {', '.join(missing)}"
        )
    rows = []
    indexes: dict[tuple[str, ...], Any] = {}  # one SourceIndex per distinct document set
    for rec in bench.itertuples(index=False):
        human = {c["insight_id"]: c["label"] for c in rec.coverage}
        refs = [r for r in rec.references if r["id"] in human]
        if not refs:
            continue
        ours = insight_coverage(
            rec.summary,
            [r["text"] for r in refs],
            sources=_haystack_index(getattr(rec, "sources", None), indexes),
            full=full,
            partial=partial,
        )
        llm = (getattr(rec, "extra", None) or {}).get("llm_judges", {}) if judges else {}
        for ref, value, score in zip(refs, ours["value"], ours["score"], strict=True):
            row = {
                "key": f"{rec.id}#{ref['id']}",
                "id": rec.id,
                "insight_id": ref["id"],
                "human": _LABEL_VALUE[human[ref["id"]]],
                "newslab": float(value),
                "newslab_score": float(score),
            }
            for judge, out in llm.items():
                labels = {c["insight_id"]: c["label"] for c in out.get("coverage", [])}
                row[judge] = _LABEL_VALUE.get(labels.get(ref["id"]), np.nan)
            rows.append(row)
    return pd.DataFrame(rows)


# Figures quoted from each set's README (see the README for sources and protocol).
_PUBLISHED: dict[str, list[dict[str, Any]]] = {
    "extraction": [  # token-shingle metric, this 91-page subset, from upstream outputs
        dict(zip(("system", "f1", "precision", "recall", "accuracy"), row, strict=True), n=91)
        for row in [
            ("trafilatura 2.0.0", 0.963, 0.940, 0.987, 0.275),
            ("newspaper4k 0.9.3.1", 0.950, 0.965, 0.936, 0.330),
            ("news-please 1.6.16", 0.950, 0.965, 0.936, 0.330),
            ("newspaper3k 0.2.8", 0.937, 0.935, 0.939, 0.308),
            ("readability-lxml 0.8.4.1", 0.919, 0.900, 0.939, 0.352),
            ("goose3 3.1.20", 0.894, 0.940, 0.852, 0.176),
            ("justext 3.0.2", 0.807, 0.849, 0.769, 0.088),
        ]
    ],
    "diversumm": [  # Zhong and Litman 2025, Table 4: ROC-AUC x 100, Multi-News part
        {"system": "LongDocFACTScore", "auc": 0.6120},
        {"system": "MiniCheck-FT5 (SENT)", "auc": 0.5767},
        {"system": "Bespoke-MiniCheck-7B", "auc": 0.5538},
        {"system": "InFusE", "auc": 0.5414},
        {"system": "GPT-4o", "auc": 0.5111},
        {"system": "MiniCheck-FT5", "auc": 0.4868},
        {"system": "AlignScore", "auc": 0.4674},
    ],
    "summhay": [  # LLM judges on this copy: insight-level and summary-level Pearson
        dict(zip(("system", "pearson_insight", "pearson_summary"), row, strict=True))
        for row in [
            ("Gemini-1.5-pro judge", 0.744, 0.800),
            ("GPT-4o 9-shot judge", 0.653, 0.760),
            ("GPT-4o judge", 0.650, 0.698),
            ("Claude 3 Opus judge", 0.648, 0.645),
            ("GPT-3.5 judge", 0.401, 0.575),
            ("Claude 3 Haiku judge", 0.326, 0.380),
        ]
    ],
    # The README found no published scores for these labels; issue 4 quotes reference runs
    # of scikit-learn peers on a comparable 10,000-item slice (B-cubed F1).
    "clustering": [
        {"system": "agglomerative, average linkage, best threshold", "b3_f1": 0.68},
        {"system": "agglomerative within each day, threshold 0.95", "b3_f1": 0.87},
        {"system": "MiniBatchKMeans, true k", "b3_f1": 0.58},
    ],
}


def published_figures(name: str) -> pd.DataFrame:
    """The published (or README-derived) figures a benchmark notebook compares against.

    Parameters
    ----------
    name : {"extraction", "diversumm", "summhay", "clustering"}
        ``extraction``: F1/precision/recall on the 91-page subset; ``diversumm``: ROC-AUC
        (0..1) of faithfulness metrics on the Multi-News part (full set, test split);
        ``summhay``: Pearson of LLM judges' coverage with the human one on this copy,
        insight-level (the paper's measure) and summary-level;
        ``clustering``: no published scores exist for these labels, so these are the
        reference runs of scikit-learn peers quoted in the project's issue 4 (B-cubed F1
        on a comparable 10,000-item slice).

    Returns
    -------
    DataFrame
        One row per system, with a ``source`` column naming where the figures come from.

    Examples
    --------
    >>> float(published_figures("extraction").set_index("system").loc["trafilatura 2.0.0", "f1"])
    0.963
    """
    if name not in _PUBLISHED:
        raise ValueError(f"no published figures for {name!r}; choose one of {sorted(_PUBLISHED)}")
    where = {
        "extraction": "extraction README, 91-page subset (from upstream outputs)",
        "diversumm": "Zhong and Litman 2025, Table 4 (summaries README)",
        "summhay": "summaries README, figures for this copy",
        "clustering": "issue 4 reference runs, 10,000-item slice (none published)",
    }[name]
    df = pd.DataFrame(_PUBLISHED[name])
    if len(df):
        df["source"] = where
    return df
