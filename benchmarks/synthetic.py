"""Synthetic full-text news stream with known stories (deterministic by seed).

Each story draws a handful of "entity" words (names, places) and event words from a
Zipf-distributed shared vocabulary; each article mixes ~300 words from the story's words,
its topic's words and common background words, so stories overlap in vocabulary the way real
coverage does. Story sizes follow a power law (Pareto, heavy tail), start dates are spread
over ``days`` days, and a story's articles are spread over its own few-day lifetime.

Importable: ``from benchmarks.synthetic import synthetic_stream, synthetic_chunks`` (the
latter yields the stream in time order, one chunk at a time); or run
``python benchmarks/synthetic.py N OUT.parquet``.

Examples
--------
>>> df = synthetic_stream(200, seed=1)
>>> len(df), sorted(df.columns)[:3]
(200, ['id', 'language', 'outlet'])
>>> df.equals(synthetic_stream(200, seed=1))
True
>>> chunks = list(synthetic_chunks(200, 64, seed=1))
>>> [len(c) for c in chunks], chunks[0]["published"].is_monotonic_increasing
([64, 64, 64, 8], True)
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator

import numpy as np
import pandas as pd

_SYLLABLES = [
    "ka", "lo", "mi", "ra", "ten", "vo", "sha", "dri", "mon", "bel", "cor", "ak", "zu", "pe",
    "nor", "ith", "gal", "ser", "un", "ba", "tor", "el", "fi", "gru", "om", "qua", "hes", "yl",
]  # fmt: skip


def _words(rng: np.random.Generator, n: int, lo: int, hi: int) -> np.ndarray:
    """Make ``n`` distinct pronounceable pseudo-words of ``lo``..``hi`` syllables."""
    out: dict[str, None] = {}
    while len(out) < n:
        k = rng.integers(lo, hi + 1, size=n)
        for j in k:
            w = "".join(rng.choice(_SYLLABLES, size=j))
            out.setdefault(w, None)
            if len(out) >= n:
                break
    return np.array(list(out))


def _plan(
    n: int,
    seed: int,
    days: int,
    vocab_size: int,
    n_topics: int,
    mean_story_size: float,
    story_span_days: float,
) -> dict:
    """Draw everything but the words: stories, sizes, topics, times (small arrays only)."""
    rng = np.random.default_rng(seed)
    vocab = _words(rng, vocab_size, 2, 4)
    zipf = 1.0 / np.arange(1, vocab_size + 1) ** 1.07
    zipf /= zipf.sum()
    topic_words = [rng.choice(vocab_size, size=300, replace=False, p=zipf) for _ in range(n_topics)]
    # Power-law story sizes (Pareto, alpha 1.6), rescaled to the requested mean.
    sizes: list[int] = []
    total = 0
    while total < n:
        s = int(np.ceil((rng.pareto(1.6) + 1) * mean_story_size * 0.4))
        s = min(s, n - total)
        sizes.append(s)
        total += s
    k = len(sizes)
    story_of = np.repeat(np.arange(k), sizes)
    start = rng.uniform(0, days, size=k)
    offset = rng.exponential(story_span_days / 3, size=n)
    t_days = start[story_of] + offset
    topic = rng.integers(0, n_topics, size=k)
    # Story-specific words: rare "entities" plus event words from the topic.
    entities = [
        rng.choice(vocab_size // 2, size=6, replace=False) + vocab_size // 2 for _ in range(k)
    ]
    events = [rng.choice(topic_words[topic[i]], size=10, replace=False) for i in range(k)]
    return {
        "rng": rng,
        "words": np.asarray(vocab, dtype=object),
        "cdf": np.cumsum(zipf),
        "pools": np.stack([np.concatenate([entities[i], events[i]]) for i in range(k)]),
        "topics": np.stack(topic_words),
        "topic": topic,
        "story_of": story_of,
        "t_days": t_days,
        "outlet_of": rng.integers(0, 300, size=n),
        "host_of": rng.integers(0, 300, size=n),
    }


def _articles(plan: dict, rows: np.ndarray, seed: int, words_per_article: int) -> pd.DataFrame:
    """Write the articles ``rows`` of ``plan`` (draws from the plan's generator, in order)."""
    rng, words, pools, topics = plan["rng"], plan["words"], plan["pools"], plan["topics"]
    topic, cdf, vocab_size = plan["topic"], plan["cdf"], len(plan["words"])
    m = words_per_article
    titles: list[str] = []
    texts: list[str] = []
    for lo in range(0, len(rows), 20_000):  # vectorised in pieces to bound memory
        st = plan["story_of"][rows[lo : lo + 20_000]]
        c = len(st)
        kind = rng.random((c, m))  # story words 18%, topic words 18%, background otherwise
        story_w = pools[st[:, None], rng.integers(0, pools.shape[1], (c, m))]
        topic_w = topics[topic[st][:, None], rng.integers(0, topics.shape[1], (c, m))]
        bg = np.where(
            rng.random((c, m)) < 0.5,
            rng.integers(0, 200, (c, m)),  # the 200 most common words
            np.minimum(np.searchsorted(cdf, rng.random((c, m))), vocab_size - 1),
        )
        idx = np.where(kind < 0.18, story_w, np.where(kind < 0.36, topic_w, bg))
        title_idx = np.concatenate(
            [
                pools[st[:, None], rng.integers(0, pools.shape[1], (c, 3))],
                topics[topic[st][:, None], rng.integers(0, topics.shape[1], (c, 2))],
            ],
            axis=1,
        )
        texts.extend(" ".join(row) for row in words[idx])
        titles.extend(" ".join(row).capitalize() for row in words[title_idx])
    base = pd.Timestamp("2024-01-01", tz="UTC")
    story_of = plan["story_of"][rows]
    return pd.DataFrame(
        {
            "id": [f"{seed:04d}{i:012x}" for i in rows],
            "url": [
                f"https://news{j}.example/a/{i}"
                for i, j in zip(rows, plan["host_of"][rows], strict=True)
            ],
            "outlet": np.char.add("outlet", np.char.zfill(plan["outlet_of"][rows].astype(str), 3)),
            "title": titles,
            "text": texts,
            "published": base + pd.to_timedelta(np.round(plan["t_days"][rows] * 86400), unit="s"),
            "language": "en",
            "story": story_of.astype(np.int64),
            "topic": topic[story_of].astype(np.int64),
        }
    )


def synthetic_chunks(
    n: int,
    chunk_size: int = 50_000,
    *,
    seed: int = 0,
    days: int = 180,
    words_per_article: int = 300,
    vocab_size: int = 50_000,
    n_topics: int = 40,
    mean_story_size: float = 12.0,
    story_span_days: float = 3.0,
) -> Iterator[pd.DataFrame]:
    """Yield the stream of :func:`synthetic_stream` in time order, ``chunk_size`` rows at a time.

    Only one chunk of text exists at a time, so a consumer such as
    :meth:`~newslab.stories.StoryClusterer.partial_fit` sees an arbitrarily long stream in
    bounded memory. Deterministic for a given ``seed`` and ``chunk_size``.
    """
    plan = _plan(n, seed, days, vocab_size, n_topics, mean_story_size, story_span_days)
    order = np.argsort(plan["t_days"], kind="stable")
    for lo in range(0, n, chunk_size):
        yield _articles(plan, order[lo : lo + chunk_size], seed, words_per_article)


def synthetic_stream(
    n: int,
    *,
    seed: int = 0,
    days: int = 180,
    words_per_article: int = 300,
    vocab_size: int = 50_000,
    n_topics: int = 40,
    mean_story_size: float = 12.0,
    story_span_days: float = 3.0,
) -> pd.DataFrame:
    """Return ``n`` articles as a corpus-like DataFrame with a gold ``story`` column, shuffled.

    Columns: ``id``, ``url``, ``outlet``, ``title``, ``text``, ``published`` (UTC),
    ``language``, ``story`` (gold int), ``topic``. For large ``n`` prefer
    :func:`synthetic_chunks`, which never holds the whole stream.
    """
    plan = _plan(n, seed, days, vocab_size, n_topics, mean_story_size, story_span_days)
    df = _articles(plan, np.arange(n), seed, words_per_article)
    return df.sample(frac=1.0, random_state=seed).reset_index(drop=True)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int)
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent.parent))
    from newslab.io import atomic_path

    df = synthetic_stream(args.n, seed=args.seed)
    with atomic_path(args.out) as tmp:
        df.to_parquet(tmp)


if __name__ == "__main__":
    main()
