"""Sentence alignment of a summary to its sources (no model, no download).

Each summary sentence is compared with every source sentence of the story:

* **TF-IDF cosine** over stemmed word unigrams and bigrams, fitted once per story
  (:class:`SourceIndex`), picks the candidate evidence sentences (top ``top_k``);
* **content coverage**: the share of the summary sentence's content words (stemmed,
  stop words removed, negations and digits kept) found in the evidence sentences;
* **bigram coverage**: the share of its content bigrams found there, so a swapped
  name, number or an inserted "not" lowers the score even when every word occurs
  somewhere in the evidence;
* **exact overlap** of numbers, names and quoted spans, reported as columns.

``support = 0.4 * content coverage + 0.4 * bigram coverage + 0.2 * cosine``, in [0, 1];
a sentence is ``supported`` (support >= 0.5), ``partial`` (>= 0.3) or ``unsupported``.
The idea of scoring a summary sentence by its best-aligned source sentences, rather than
the whole document at once, follows SummaC (Laban et al. 2022, TACL); here the
alignment is lexical (NLI-free), which makes it fast and transparent.

Examples
--------
>>> import pandas as pd
>>> story = pd.DataFrame({"url": ["u1"], "outlet": ["A"], "title": ["Strikes"],
...     "text": ["Russia fired 122 missiles at Ukraine on Friday. Schools were closed."]})
>>> index = SourceIndex(story)
>>> t = index.align(["Russia fired 122 missiles at Ukraine.", "Aliens landed in Paris."])
>>> t.label.tolist()
['supported', 'unsupported']
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from newslab.text import find_numbers, sentence_spans

__all__ = [
    "AlignOptions",
    "SourceIndex",
    "segment",
    "content_tokens",
    "find_names",
    "find_quotes",
    "numbers_in",
    "align_summary",
    "ALIGN_COLUMNS",
]

ALIGN_COLUMNS: list[str] = [
    "sentence",
    "text",
    "start",
    "end",
    "label",
    "score",
    "cosine",
    "content_coverage",
    "bigram_coverage",
    "numbers_matched",
    "names_matched",
    "evidence",
    "outlet",
    "url",
    "source_text",
    "published",
    "story",
]


@dataclass(frozen=True)
class AlignOptions:
    """Settings of the alignment.

    Attributes
    ----------
    top_k : int
        Source sentences kept as evidence per summary sentence.
    min_relative : float
        Evidence beyond the best must reach this share of the best cosine.
    supported, partial : float
        Support thresholds for the ``supported`` and ``partial`` labels.
    weights : tuple of float
        Weights of (content coverage, bigram coverage, cosine) in the support score.
    """

    top_k: int = 3
    min_relative: float = 0.5
    supported: float = 0.5
    partial: float = 0.3
    weights: tuple[float, float, float] = (0.4, 0.4, 0.2)


# ----------------------------------------------------------------- tokens

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
_NEGATIONS = frozenset({"not", "no", "never", "nor", "none", "nobody", "nothing", "neither"})


@functools.lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    extra = {"said", "says", "say", "also", "would", "could", "told", "s", "t", "mr", "ms"}
    # sklearn's list holds content words that matter in news ("fire", "bill", "top"...)
    content = {
        "fire", "bill", "call", "find", "found", "system", "describe", "detail", "mill",
        "side", "interest", "thick", "thin", "cry", "amount", "bottom", "top", "front", "back",
        "empty", "full", "move", "name", "part", "put", "show", "take", "give", "get", "keep",
        "made", "fill", "serious", "first", "last", "third", "twelve", "fifteen", "fifty",
        "forty", "sixty", "hundred", "eleven", "twenty", "three", "four", "five", "six",
        "eight", "nine", "ten", "two", "one",
    }  # fmt: skip
    return frozenset((set(ENGLISH_STOP_WORDS) | extra) - _NEGATIONS - content)


@functools.lru_cache(maxsize=1)
def _stemmer():
    from nltk.stem.porter import PorterStemmer  # the stemmer rouge-score uses; no data needed

    return PorterStemmer()


@functools.lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    return _stemmer().stem(word)


def content_tokens(text: str) -> list[str]:
    """Lower-cased, stemmed content words (stop words dropped; negations, digits kept).

    Examples
    --------
    >>> content_tokens("The missiles were not intercepted, 87 of them")
    ['missil', 'not', 'intercept', '87']
    """
    stop = _stopwords()
    out = []
    for w in _WORD.findall(text.lower().replace("n't", " not")):
        w = w.replace("’", "'")
        if w.endswith("'s"):
            w = w[:-2]
        if w in stop or not w:
            continue
        out.append(_stem(w))
    return out


def _bigrams(tokens: Sequence[str]) -> set[tuple[str, str]]:
    return set(zip(tokens, tokens[1:], strict=False))


_NAME_WORD = r"[A-Z][\w'’.-]*[\w]"
_NAME = re.compile(rf"\b{_NAME_WORD}(?:\s+(?:(?:de|van|von|al|bin|da|del|la|le)\s+)?{_NAME_WORD})*")
_NOT_NAMES = frozenset(
    """a an the in on at of for and but or if as by to with from after before when while this that
    these those he she it they we i you his her its their our my there here what who which where
    why how mr mrs ms dr monday tuesday wednesday thursday friday saturday sunday january february
    march april may june july august september october november december jan feb mar apr jun jul
    aug sep sept oct nov dec some many more most no not one two three four five six seven eight
    nine ten all both each every other another several few such officials despite during since
    until yet so than then however meanwhile also according""".split()
)


def find_names(text: str) -> list[tuple[int, int, str]]:
    """Capitalised word sequences that look like names (people, places, organisations).

    A sentence-initial capitalised function word ("The", "After") is not a name. Lower-cased
    text has no names.

    Examples
    --------
    >>> [n for _, _, n in find_names("On Friday President Volodymyr Zelenskiy met NATO.")]
    ['President Volodymyr Zelenskiy', 'NATO']
    """
    out = []
    for m in _NAME.finditer(text):
        words = m.group(0).split()
        # drop leading/trailing words that are not names ("The Kremlin" -> "Kremlin")
        start = m.start()
        while words and words[0].lower().strip(".") in _NOT_NAMES:
            start = text.index(words[1], start + len(words[0])) if len(words) > 1 else m.end()
            words = words[1:]
        while words and words[-1].lower().strip(".") in _NOT_NAMES:
            words = words[:-1]
        if not words:
            continue
        name = " ".join(words)
        out.append((start, start + len(name), name))
    return out


_QUOTE = re.compile(r"“([^”“]{2,}?)”|\"([^\"]{2,}?)\"|‘([^’‘]{8,}?)’(?![a-z])")


def find_quotes(text: str) -> list[tuple[int, int, str]]:
    """Quoted spans (curly or straight double quotes; curly single quotes of 8+ chars).

    Returns (start, end, inner text) with offsets of the whole quoted span, quotes included.

    Examples
    --------
    >>> find_quotes('He said “we will respond” and left.')
    [(8, 25, 'we will respond')]
    """
    out = []
    for m in _QUOTE.finditer(text):
        inner = next(g for g in m.groups() if g is not None)
        out.append((m.start(), m.end(), inner.strip()))
    return out


def segment(text: str) -> list[tuple[int, int, str]]:
    """Split a text into sentences with offsets; every line break ends a sentence.

    Bullet markers (``-``, ``*``, ``•``, ``1.``) at the start of a line are kept in the
    span but do not count as words.

    Examples
    --------
    >>> [s for _, _, s in segment("- First point. Second.\\n- Third point")]
    ['- First point.', 'Second.', '- Third point']
    """
    return list(_segment(text or ""))


@functools.lru_cache(maxsize=4096)
def _segment(text: str) -> tuple[tuple[int, int, str], ...]:
    out: list[tuple[int, int, str]] = []
    for line in re.finditer(r"[^\n]+", text):
        if not line.group(0).strip():
            continue
        for start, end, sent in sentence_spans(line.group(0)):
            if _WORD.search(sent):
                out.append((line.start() + start, line.start() + end, sent))
    return tuple(out)


@functools.lru_cache(maxsize=8192)
def numbers_in(text: str) -> tuple:
    """``find_numbers(text)`` as a tuple, cached (summary sentences are checked repeatedly)."""
    return tuple(find_numbers(text))


def _numbers(text: str) -> frozenset[float]:
    return frozenset(m.value for m in numbers_in(text) if m.qualifier != "vague")


# ----------------------------------------------------------------- index


class SourceIndex:
    """The sentences of a story's sources, with their TF-IDF matrix and token sets.

    Build it once per story and reuse it for every summary of that story.

    Parameters
    ----------
    story_df : DataFrame
        Corpus rows of the story; needs ``text``. Uses ``url``, ``outlet``, ``title``,
        ``published`` and ``story`` when present. The title counts as a sentence.
    options : AlignOptions, optional

    Raises
    ------
    ValueError
        If ``story_df`` lacks ``text`` or has no sentence at all.

    Attributes
    ----------
    sentences : DataFrame
        One row per source sentence: ``doc`` (row position in ``story_df``), ``outlet``,
        ``url``, ``published``, ``story``, ``text``, ``start``, ``end``, ``is_title``.
    docs : DataFrame
        The story rows (reset index), with the text used.
    """

    def __init__(self, story_df: pd.DataFrame, options: AlignOptions | None = None):
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.options = options or AlignOptions()
        if not isinstance(story_df, pd.DataFrame):
            raise TypeError(f"story_df must be a DataFrame, not {type(story_df).__name__}")
        if "text" not in story_df.columns:
            raise ValueError(f"story_df needs a 'text' column; it has {list(story_df.columns)}")
        docs = story_df.reset_index(drop=True).copy()
        for col, default in (("url", None), ("outlet", None), ("title", None)):
            if col not in docs.columns:
                docs[col] = default
        if "published" not in docs.columns:
            docs["published"] = pd.NaT
        docs["published"] = pd.to_datetime(docs["published"], utc=True, errors="coerce")
        if "story" not in docs.columns:
            docs["story"] = None
        docs["url"] = [
            u if isinstance(u, str) and u else f"source-{i}" for i, u in enumerate(docs.url)
        ]
        docs["outlet"] = [
            o if isinstance(o, str) and o else docs.url[i] for i, o in enumerate(docs.outlet)
        ]
        self.docs = docs
        rows: list[dict[str, Any]] = []
        for i, doc in enumerate(docs.itertuples(index=False)):
            base = {
                "doc": i,
                "outlet": doc.outlet,
                "url": doc.url,
                "published": doc.published,
                "story": doc.story,
            }
            title = doc.title if isinstance(doc.title, str) else ""
            if title.strip():
                rows.append(
                    {**base, "text": title.strip(), "start": -1, "end": -1, "is_title": True}
                )
            text = doc.text if isinstance(doc.text, str) else ""
            for start, end, sent in segment(text):
                rows.append({**base, "text": sent, "start": start, "end": end, "is_title": False})
        if not rows:
            raise ValueError("the sources have no text: every 'text' (and 'title') is empty")
        self.sentences = pd.DataFrame(rows)
        self.tokens = [content_tokens(s) for s in self.sentences.text]
        self.token_sets = [frozenset(t) for t in self.tokens]
        self.bigram_sets = [frozenset(_bigrams(t)) for t in self.tokens]
        self.vocabulary = frozenset().union(*self.token_sets)
        self.vectorizer = TfidfVectorizer(
            analyzer=_analyzer, sublinear_tf=True, norm="l2", dtype=np.float32
        )
        if any(self.tokens):
            self.matrix = self.vectorizer.fit_transform(self.tokens)
        else:
            self.matrix = None
        # plain lists: per-row pandas access is too slow in the alignment loop
        self._cols = {
            c: self.sentences[c].tolist() for c in ("outlet", "url", "text", "story", "doc")
        }
        self._cols["published"] = list(self.sentences["published"])
        self._numbers: list[frozenset[float]] | None = None
        self._lower = [s.lower() for s in self.sentences.text]
        self.cache: dict[str, Any] = {}  # room for per-story features of other checkers

    @property
    def numbers(self) -> list[frozenset[float]]:
        """Numeric values stated in each source sentence (lazy)."""
        if self._numbers is None:
            self._numbers = [_numbers(s) for s in self.sentences.text]
        return self._numbers

    def similarities(self, token_lists: Sequence[Sequence[str]]) -> np.ndarray:
        """Cosine similarity (summary sentences x source sentences)."""
        if self.matrix is None or not token_lists:
            return np.zeros((len(token_lists), len(self.sentences)), dtype=np.float32)
        q = self.vectorizer.transform(list(token_lists))
        return (q @ self.matrix.T).toarray()

    def align(self, sentences: Sequence[str] | Sequence[tuple[int, int, str]]) -> pd.DataFrame:
        """Align summary sentences to the source sentences.

        Parameters
        ----------
        sentences : list of str, or list of (start, end, text)

        Returns
        -------
        DataFrame
            Columns :data:`ALIGN_COLUMNS`; ``evidence`` is a list of dicts
            (``outlet``, ``url``, ``text``, ``score``, ``published``, ``story``, ``doc``),
            best first; ``outlet``/``url``/``source_text`` repeat the best one.
        """
        return pd.DataFrame(self.align_records(sentences), columns=ALIGN_COLUMNS)

    def align_records(
        self, sentences: Sequence[str] | Sequence[tuple[int, int, str]]
    ) -> list[dict[str, Any]]:
        """Like :meth:`align`, as a list of row dicts (faster for internal use)."""
        opts = self.options
        spans = [s if isinstance(s, tuple) else (-1, -1, s) for s in sentences]
        toks = [content_tokens(t) for _, _, t in spans]
        sims = self.similarities(toks)
        w_uni, w_bi, w_cos = opts.weights
        rows = []
        cols = self._cols
        for i, ((start, end, text), tk) in enumerate(zip(spans, toks, strict=True)):
            sim = sims[i]
            order = np.argsort(-sim, kind="stable")[: opts.top_k]
            best = float(sim[order[0]]) if len(order) else 0.0
            keep = [j for j in order if sim[j] > 0 and sim[j] >= opts.min_relative * best]
            uni_ev: set[str] = set()
            bi_ev: set[tuple[str, str]] = set()
            for j in keep:
                uni_ev |= self.token_sets[j]
                bi_ev |= self.bigram_sets[j]
            tset = set(tk)
            content = len(tset & uni_ev) / len(tset) if tset else 0.0
            bis = _bigrams(tk)
            bigram = len(bis & bi_ev) / len(bis) if bis else content
            score = w_uni * content + w_bi * bigram + w_cos * min(1.0, best)
            label = (
                "supported"
                if score >= opts.supported
                else "partial"
                if score >= opts.partial
                else "unsupported"
            )
            nums = _numbers(text)
            ev_nums = frozenset().union(*(self.numbers[j] for j in keep)) if keep else frozenset()
            names = {n.lower() for _, _, n in find_names(text)}
            ev_text = " ".join(self._lower[j] for j in keep)
            evidence = [
                {
                    "outlet": cols["outlet"][j],
                    "url": cols["url"][j],
                    "text": cols["text"][j],
                    "score": round(float(sim[j]), 4),
                    "published": cols["published"][j],
                    "story": cols["story"][j],
                    "doc": int(cols["doc"][j]),
                }
                for j in keep
            ]
            top = evidence[0] if evidence else {}
            rows.append(
                {
                    "sentence": i,
                    "text": text,
                    "start": start,
                    "end": end,
                    "label": label,
                    "score": round(float(score), 6),
                    "cosine": round(best, 6),
                    "content_coverage": round(content, 6),
                    "bigram_coverage": round(bigram, 6),
                    "numbers_matched": (len(nums & ev_nums) / len(nums)) if nums else np.nan,
                    "names_matched": (sum(n in ev_text for n in names) / len(names))
                    if names
                    else np.nan,
                    "evidence": evidence,
                    "outlet": top.get("outlet"),
                    "url": top.get("url"),
                    "source_text": top.get("text"),
                    "published": top.get("published", pd.NaT),
                    "story": top.get("story"),
                }
            )
        return rows


def _analyzer(tokens: Sequence[str]) -> list[str]:
    return list(tokens) + [f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)]


def align_summary(
    summary_text: str, story_df: pd.DataFrame, options: AlignOptions | None = None
) -> pd.DataFrame:
    """Segment ``summary_text`` and align each sentence to the story's sources.

    Examples
    --------
    >>> import pandas as pd
    >>> story = pd.DataFrame({"text": ["Rain fell on Tokyo. Trains stopped."]})
    >>> align_summary("Trains stopped in Tokyo.", story)[["label", "source_text"]].values.tolist()
    [['supported', 'Trains stopped.']]
    """
    return SourceIndex(story_df, options).align(segment(summary_text))
