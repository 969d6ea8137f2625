"""Form of a summary: how extractive, how compressed, how repetitive, how long, and ROUGE.

Extractive fragments (Grusky, Naaman and Artzi 2018, "Newsroom", NAACL)
    The greedy matching of the paper finds, left to right, the longest shared token
    sequences between summary and sources. With fragments F, summary tokens S and
    source tokens A:

    * ``fragment_coverage`` = sum |f| / |S|: share of summary words inside a fragment;
    * ``fragment_density`` = sum |f|^2 / |S|: average length of the fragment each word
      belongs to (high = long copied passages);
    * ``compression`` = |A| / |S|.

    With several sources, fragments are matched against each article (no fragment spans
    two articles) and every article counts in |A|.
Novel n-grams
    ``novel_1gram`` ... ``novel_3gram``: share of the summary's distinct n-grams (lower-cased
    tokens) found in no source (See et al. 2017; Narayan et al. 2018).
Redundancy
    For each summary sentence, the largest Jaccard overlap of its content words (stemmed)
    with another summary sentence; ``redundancy`` is their mean (0 = no repetition).
Length
    ``words`` and ``sentences`` of the summary.
ROUGE (Lin 2004)
    ``rouge1``, ``rouge2``, ``rougeL`` F-measures against a reference, via the
    ``rouge-score`` package with Porter stemming (:func:`rouge`).

Examples
--------
>>> fragments("the cat sat on the mat".split(), [["a", "cat", "sat", "on", "the", "mat"]])
[['the'], ['cat', 'sat', 'on', 'the', 'mat']]
>>> m = form_metrics("The cat sat on the mat.", ["A cat sat on the mat today."])
>>> round(m["fragment_coverage"], 3), round(m["fragment_density"], 3)
(1.0, 4.333)
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from newslab.align import content_tokens, segment
from newslab.text import tokenize

__all__ = [
    "fragments",
    "fragment_metrics",
    "novel_ngrams",
    "redundancy",
    "form_metrics",
    "rouge",
    "SourceTokens",
]


class SourceTokens:
    """Token lists, token positions and n-gram sets of a story's articles, computed once.

    Parameters
    ----------
    texts : list of str
        The articles (title and body joined by the caller if wanted).
    """

    def __init__(self, texts: Sequence[str]):
        self.docs = [tokenize(t or "") for t in texts]
        self.positions: list[dict[str, list[int]]] = []
        for toks in self.docs:
            pos: dict[str, list[int]] = defaultdict(list)
            for k, t in enumerate(toks):
                pos[t].append(k)
            self.positions.append(dict(pos))
        self.n_tokens = sum(len(d) for d in self.docs)
        self._ngrams: dict[int, set[tuple[str, ...]]] = {}

    def ngrams(self, n: int) -> set[tuple[str, ...]]:
        """Distinct n-grams over all articles (cached)."""
        if n not in self._ngrams:
            out: set[tuple[str, ...]] = set()
            for d in self.docs:
                out.update(zip(*(d[i:] for i in range(n)), strict=False))
            self._ngrams[n] = out
        return self._ngrams[n]


def _as_sources(sources: Sequence[Sequence[str]] | SourceTokens) -> SourceTokens:
    if isinstance(sources, SourceTokens):
        return sources
    obj = SourceTokens([])
    obj.docs = [list(d) for d in sources]
    for toks in obj.docs:
        pos: dict[str, list[int]] = defaultdict(list)
        for k, t in enumerate(toks):
            pos[t].append(k)
        obj.positions.append(dict(pos))
    obj.n_tokens = sum(len(d) for d in obj.docs)
    return obj


def fragments(
    summary: Sequence[str], sources: Sequence[Sequence[str]] | SourceTokens
) -> list[list[str]]:
    """Greedy extractive fragments of Grusky et al. (2018), over several source documents.

    Parameters
    ----------
    summary : list of str
        Summary tokens.
    sources : list of token lists, or SourceTokens

    Returns
    -------
    list of token lists
    """
    src = _as_sources(sources)
    out: list[list[str]] = []
    i, n = 0, len(summary)
    while i < n:
        best = 0
        for doc, pos in zip(src.docs, src.positions, strict=True):
            for j in pos.get(summary[i], ()):
                k = 0
                while i + k < n and j + k < len(doc) and summary[i + k] == doc[j + k]:
                    k += 1
                best = max(best, k)
        if best:
            out.append(list(summary[i : i + best]))
            i += best
        else:
            i += 1
    return out


def fragment_metrics(
    summary: Sequence[str], sources: Sequence[Sequence[str]] | SourceTokens
) -> dict[str, float]:
    """``fragment_coverage``, ``fragment_density`` and ``compression`` (Grusky et al. 2018).

    Examples
    --------
    >>> fragment_metrics(["a", "b", "x"], [["a", "b", "c", "d", "e", "f"]])
    {'fragment_coverage': 0.6666666666666666, 'fragment_density': 1.3333333333333333, 'compression': 2.0}
    """
    src = _as_sources(sources)
    frags = fragments(summary, src)
    n = len(summary)
    if n == 0:
        return {"fragment_coverage": 0.0, "fragment_density": 0.0, "compression": float("nan")}
    return {
        "fragment_coverage": sum(len(f) for f in frags) / n,
        "fragment_density": sum(len(f) ** 2 for f in frags) / n,
        "compression": src.n_tokens / n,
    }


def novel_ngrams(
    summary: Sequence[str], sources: Sequence[Sequence[str]] | SourceTokens, ns=(1, 2, 3)
) -> dict[str, float]:
    """Share of the summary's distinct n-grams found in no source, for each n.

    Examples
    --------
    >>> novel_ngrams(["a", "b", "z"], [["a", "b", "c"]], ns=(1, 2))
    {'novel_1gram': 0.3333333333333333, 'novel_2gram': 0.5}
    """
    src = _as_sources(sources)
    out = {}
    for n in ns:
        grams = set(zip(*(summary[i:] for i in range(n)), strict=False))
        out[f"novel_{n}gram"] = len(grams - src.ngrams(n)) / len(grams) if grams else float("nan")
    return out


def redundancy(sentences: Sequence[str]) -> float:
    """Mean, over summary sentences, of the largest content-word Jaccard with another one.

    Examples
    --------
    >>> redundancy(["Rain hit Tokyo.", "Tokyo was hit by rain.", "Markets fell."])
    0.6666666666666666
    """
    sets = [set(content_tokens(s)) for s in sentences]
    if len(sets) < 2:
        return 0.0
    vals = []
    for i, a in enumerate(sets):
        best = 0.0
        for j, b in enumerate(sets):
            if i != j and (a or b):
                best = max(best, len(a & b) / len(a | b))
        vals.append(best)
    return sum(vals) / len(vals)


@functools.lru_cache(maxsize=2)
def _rouge_scorer(types: tuple[str, ...]):
    from rouge_score import rouge_scorer

    return rouge_scorer.RougeScorer(list(types), use_stemmer=True)


def rouge(summary: str, reference: str, types=("rouge1", "rouge2", "rougeL")) -> dict[str, float]:
    """ROUGE F-measures (Lin 2004) via ``rouge-score``, stemming on; also ``*_p``/``*_r``.

    Examples
    --------
    >>> r = rouge("the cat sat on the mat", "the cat sat on a mat")
    >>> round(r["rouge1"], 3), round(r["rouge1_p"], 3)
    (0.833, 0.833)
    """
    scores = _rouge_scorer(tuple(types)).score(reference, summary)
    out: dict[str, float] = {}
    for t in types:
        s = scores[t]
        out[t] = s.fmeasure
        out[f"{t}_p"] = s.precision
        out[f"{t}_r"] = s.recall
    return out


def form_metrics(
    summary_text: str,
    sources: Sequence[str] | SourceTokens,
    *,
    reference: str | None = None,
    sentences: Sequence[str] | None = None,
) -> dict[str, Any]:
    """Every form metric of a summary against its source texts (and a reference if given).

    Parameters
    ----------
    summary_text : str
    sources : list of str, or SourceTokens
    reference : str, optional
        A reference summary: adds ``rouge1``, ``rouge2``, ``rougeL`` (F) and their
        ``_p``/``_r``.
    sentences : list of str, optional
        The summary's sentences, if already split.

    Returns
    -------
    dict
        ``fragment_coverage``, ``fragment_density``, ``compression``, ``novel_1gram``,
        ``novel_2gram``, ``novel_3gram``, ``redundancy``, ``words``, ``sentences``
        (+ ROUGE).
    """
    src = sources if isinstance(sources, SourceTokens) else SourceTokens(list(sources))
    toks = tokenize(summary_text)
    sents = list(sentences) if sentences is not None else [s for _, _, s in segment(summary_text)]
    out: dict[str, Any] = {}
    out.update(fragment_metrics(toks, src))
    out.update(novel_ngrams(toks, src))
    out["redundancy"] = redundancy(sents)
    out["words"] = len(toks)
    out["sentences"] = len(sents)
    if reference is not None:
        out.update(rouge(summary_text, reference))
    return out
