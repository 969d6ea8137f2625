"""Extractive baseline summaries of a story (a group of articles about one event).

Four classic sentence extractors, all on TF-IDF sentence vectors (scikit-learn) and numpy:

``"lead"``
    The first sentences of the earliest article (ties and undated stories: the article
    closest to the story centroid). The strong news baseline (Lead-3).
``"centroid"``
    MEAD (Radev, Jing, Styś and Tam 2004, *Information Processing & Management* 40):
    score = centroid value + position value + overlap with the article's first sentence;
    a sentence too similar to one already chosen is skipped (their cross-sentence
    redundancy filter).
``"textrank"``
    TextRank (Mihalcea and Tarau, EMNLP 2004): PageRank (power iteration, damping 0.85)
    over the graph of sentences weighted by TF-IDF cosine similarity.
``"mmr"``
    Maximal Marginal Relevance (Carbonell and Goldstein, SIGIR 1998) with the story
    centroid as the query: ``lambda * sim(s, centroid) - (1 - lambda) * max sim(s, chosen)``.

Chosen sentences are verbatim source sentences, printed in story order (article date,
then position in the article), never more than ``max_words`` words in all.

Examples
--------
>>> story = pd.DataFrame({"outlet": ["a", "b"], "url": ["u1", "u2"],
...     "published": ["2024-01-01", "2024-01-02"],
...     "text": ["Russia fired 122 missiles at Ukraine. Officials said 30 people died.",
...              "Ukraine said Russia fired 122 missiles overnight. Schools closed."]})
>>> summarize(story, method="lead", max_words=12)
'Russia fired 122 missiles at Ukraine. Officials said 30 people died.'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from newslab.text import sentence_spans

__all__ = ["METHODS", "SummarizeOptions", "summarize", "summarize_detailed"]

METHODS: tuple[str, ...] = ("lead", "centroid", "textrank", "mmr")

_DETAIL_COLUMNS = [
    "rank",
    "sentence",
    "score",
    "article",
    "position",
    "outlet",
    "url",
    "published",
    "words",
]


@dataclass(frozen=True)
class SummarizeOptions:
    """Settings of the baseline summarizers.

    Attributes
    ----------
    min_words : int
        Source sentences shorter than this are not candidates (datelines, captions).
    redundancy : float
        A sentence whose TF-IDF cosine with an already chosen one reaches this is skipped
        (centroid, textrank and mmr).
    damping : float
        PageRank damping factor (textrank).
    mmr_lambda : float
        Relevance/novelty trade-off of MMR (1 = relevance only).
    position_weight, first_weight : float
        MEAD weights of the position and first-sentence-overlap features (the centroid
        feature has weight 1).
    strip_datelines : bool
        Remove wire datelines ("KYIV, Dec 29 (Metro Wire) - ") from the start of an
        article's first sentence: they belong to the source, not to a summary.
    """

    min_words: int = 5
    redundancy: float = 0.7
    damping: float = 0.85
    mmr_lambda: float = 0.7
    position_weight: float = 0.5
    first_weight: float = 0.5
    strip_datelines: bool = True


# "KYIV, Dec 29 (Metro Wire) - ", "WASHINGTON (AP) — ", "TOKYO, Jan. 2 - "
_DATELINE = re.compile(
    r"^[A-Z][A-Z .'’-]{1,40}(?:,\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2})?\s*(?:\([^)]{1,40}\))?\s*[-—–]+\s+"
)


def _sentences(story_df: pd.DataFrame, opts: SummarizeOptions) -> pd.DataFrame:
    if not isinstance(story_df, pd.DataFrame):
        raise TypeError(f"story_df must be a DataFrame, not {type(story_df).__name__}")
    if story_df.empty:
        raise ValueError("cannot summarize an empty story: story_df has no articles")
    if "text" not in story_df.columns:
        raise ValueError(
            f"story_df has no 'text' column (columns: {', '.join(map(str, story_df.columns))})"
        )
    df = story_df.reset_index(drop=True)
    published = (
        pd.to_datetime(df["published"], utc=True, errors="coerce")
        if "published" in df.columns
        else pd.Series(pd.NaT, index=df.index, dtype="datetime64[ns, UTC]")
    )
    rows = []
    for i, art in df.iterrows():
        text = art["text"]
        if not isinstance(text, str) or not text.strip():
            continue
        spans = [s for _, _, s in sentence_spans(text)]
        if opts.strip_datelines and spans:
            spans[0] = _DATELINE.sub("", spans[0], count=1) or spans[0]
        for pos, sent in enumerate(spans):
            words = len(sent.split())
            rows.append(
                {
                    "article": i,
                    "position": pos,
                    "n_in_article": len(spans),
                    "sentence": sent,
                    "words": words,
                    "outlet": art.get("outlet", None),
                    "url": art.get("url", None),
                    "published": published.iloc[i],
                }
            )
    if not rows:
        raise ValueError("cannot summarize: no article of the story has any text")
    sents = pd.DataFrame(rows)
    keep = sents.words >= opts.min_words
    if keep.any():
        sents = sents[keep]
    # the same sentence syndicated by several outlets counts once (first occurrence)
    norm = sents.sentence.str.lower().str.replace(r"\W+", " ", regex=True).str.strip()
    return sents[~norm.duplicated()].reset_index(drop=True)


def _vectors(sentences: pd.Series):
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(stop_words="english", sublinear_tf=True)
    try:
        return vec.fit_transform(sentences)
    except ValueError:  # only stop words: fall back to every token
        return TfidfVectorizer(sublinear_tf=True, token_pattern=r"(?u)\b\w+\b").fit_transform(
            sentences
        )


def _pagerank(sim: np.ndarray, damping: float, tol: float = 1e-8, max_iter: int = 200):
    n = sim.shape[0]
    w = sim.copy()
    np.fill_diagonal(w, 0.0)
    out = w.sum(axis=1)
    # dangling sentences (no similar neighbour) spread their weight uniformly
    trans = np.where(out[:, None] > 0, w / np.where(out[:, None] > 0, out[:, None], 1), 1.0 / n)
    r = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        new = (1 - damping) / n + damping * trans.T @ r
        if np.abs(new - r).sum() < tol:
            return new
        r = new
    return r


def _greedy(order, sim, words, max_words, redundancy):
    chosen, total = [], 0
    for j in order:
        if total + words[j] > max_words:
            continue
        if chosen and redundancy is not None and sim[j, chosen].max() >= redundancy:
            continue
        chosen.append(j)
        total += words[j]
    return chosen


def summarize_detailed(
    story_df: pd.DataFrame,
    method: str = "centroid",
    max_words: int = 150,
    *,
    options: SummarizeOptions | None = None,
) -> pd.DataFrame:
    """Choose source sentences for an extractive summary, with where each comes from.

    Parameters
    ----------
    story_df : DataFrame
        The story's articles (corpus columns; ``text`` required; ``published``, ``outlet``
        and ``url`` used when present).
    method : {"lead", "centroid", "textrank", "mmr"}
    max_words : int
        Length budget in whitespace-separated words.
    options : SummarizeOptions, optional

    Returns
    -------
    DataFrame
        One row per chosen sentence in reading order, columns ``rank`` (1 = chosen first),
        ``sentence``, ``score``, ``article`` (row of ``story_df``), ``position`` (sentence
        index in the article), ``outlet``, ``url``, ``published``, ``words``.
        ``attrs["truncated"]`` is True when no whole sentence fitted and the best one was cut.

    Raises
    ------
    ValueError
        For an empty story, one without text, an unknown method or ``max_words < 1``.

    Examples
    --------
    >>> story = pd.DataFrame({"outlet": ["a", "b"], "text": [
    ...     "Russia fired 122 missiles at Ukraine on Friday. Schools were closed in Kyiv.",
    ...     "Ukraine said Russia fired 122 missiles at its cities. The mayor spoke later on."]})
    >>> summarize_detailed(story, "textrank", max_words=10)[["outlet", "words"]].values.tolist()
    [['a', 8]]
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    if not isinstance(max_words, int | np.integer) or max_words < 1:
        raise ValueError(f"max_words must be a positive integer, not {max_words!r}")
    opts = options or SummarizeOptions()
    sents = _sentences(story_df, opts)
    x = _vectors(sents.sentence)
    sim = (x @ x.T).toarray()
    words = sents.words.to_numpy()
    n_articles = sents.article.nunique()
    centroid = np.asarray(x.mean(axis=0)).ravel()
    norm = np.linalg.norm(centroid)
    relevance = x @ (centroid / norm) if norm > 0 else np.zeros(len(sents))
    relevance = np.asarray(relevance).ravel()

    if method == "lead":
        art_rel = sents.groupby("article").apply(
            lambda g: relevance[g.index].mean(), include_groups=False
        )
        pub = sents.groupby("article").published.first()
        dated = pub.dropna()
        if len(dated):
            earliest = dated[dated == dated.min()].index
            article = max(earliest, key=lambda a: art_rel[a])
        else:
            article = art_rel.idxmax()
        idx = sents.index[sents.article == article].to_numpy()
        scores = np.zeros(len(sents))
        scores[idx] = 1.0 - sents.position.to_numpy()[idx] / max(len(idx), 1)
        chosen, total = [], 0
        for j in idx:
            if total + words[j] > max_words:
                break
            chosen.append(j)
            total += words[j]
    elif method == "centroid":
        pos = 1.0 - sents.position / sents.n_in_article.clip(lower=1)
        first = np.zeros(len(sents))
        for _art, g in sents.groupby("article"):
            j0 = g.index[g.position.argmin()]
            first[g.index] = sim[g.index, j0]
        scores = relevance + opts.position_weight * pos.to_numpy() + opts.first_weight * first
        chosen = _greedy(np.argsort(-scores, kind="stable"), sim, words, max_words, opts.redundancy)
    elif method == "textrank":
        scores = _pagerank(sim, opts.damping)
        chosen = _greedy(np.argsort(-scores, kind="stable"), sim, words, max_words, opts.redundancy)
    else:  # mmr
        lam = opts.mmr_lambda
        scores = np.full(len(sents), np.nan)
        chosen, total = [], 0
        left = set(range(len(sents)))
        while left:
            cand = [
                j
                for j in left
                if total + words[j] <= max_words
                and not (chosen and sim[j, chosen].max() >= opts.redundancy)
            ]
            if not cand:
                break
            novelty = np.array([sim[j, chosen].max() if chosen else 0.0 for j in cand])
            mmr = lam * relevance[cand] - (1 - lam) * novelty
            best = cand[int(np.argmax(mmr))]
            scores[best] = float(mmr.max())
            chosen.append(best)
            total += words[best]
            left.discard(best)
        scores = np.nan_to_num(scores, nan=0.0)

    truncated = False
    if not chosen:
        best = int(np.argmax(scores)) if method != "lead" else int(idx[0])
        chosen, truncated = [best], True
    out = sents.loc[chosen].copy()
    out["rank"] = np.arange(1, len(chosen) + 1)
    out["score"] = scores[chosen]
    if truncated:
        cut = out.iloc[0].sentence.split()[:max_words]
        out.loc[out.index[0], "sentence"] = " ".join(cut)
        out.loc[out.index[0], "words"] = len(cut)
    out = out.sort_values(["published", "article", "position"], kind="stable", na_position="last")
    out = out[_DETAIL_COLUMNS].reset_index(drop=True)
    out.attrs.update(method=method, max_words=max_words, truncated=truncated, articles=n_articles)
    return out


def summarize(
    story_df: pd.DataFrame,
    method: str = "centroid",
    max_words: int = 150,
    *,
    options: SummarizeOptions | None = None,
) -> str:
    """Write an extractive baseline summary of a story.

    Parameters
    ----------
    story_df : DataFrame
        The story's articles (``text`` column required).
    method : {"lead", "centroid", "textrank", "mmr"}
        See the module docstring for each method and its reference.
    max_words : int
        Length budget in words; the summary never exceeds it.
    options : SummarizeOptions, optional

    Returns
    -------
    str
        The chosen source sentences joined by spaces, in story order.

    Raises
    ------
    ValueError
        For an empty story, a story with no text, or an unknown method.

    Examples
    --------
    >>> story = pd.DataFrame({"text": ["Russia fired 122 missiles at Ukraine on Friday.",
    ...                                "Ukraine said 122 missiles were fired at its cities."]})
    >>> summarize(story, "mmr", max_words=9)
    'Russia fired 122 missiles at Ukraine on Friday.'
    """
    detail = summarize_detailed(story_df, method=method, max_words=max_words, options=options)
    return " ".join(detail.sentence)
