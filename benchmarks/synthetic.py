"""Synthetic full-text news stream with known stories (deterministic by seed).

Each story draws a handful of "entity" words (names, places) and event words from a
Zipf-distributed shared vocabulary; each article mixes ~300 words from the story's words,
its topic's words and common background words, so stories overlap in vocabulary the way real
coverage does. Story sizes follow a power law (Pareto, heavy tail), start dates are spread
over ``days`` days, and a story's articles are spread over its own few-day lifetime.

Importable: ``from benchmarks.synthetic import synthetic_stream``; or run
``python benchmarks/synthetic.py N OUT.parquet``.

Examples
--------
>>> df = synthetic_stream(200, seed=1)
>>> len(df), sorted(df.columns)[:3]
(200, ['id', 'language', 'outlet'])
>>> df.equals(synthetic_stream(200, seed=1))
True
"""

from __future__ import annotations

import argparse
import sys

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
    """Return ``n`` articles as a corpus-like DataFrame with a gold ``story`` column.

    Columns: ``id``, ``url``, ``outlet``, ``title``, ``text``, ``published`` (UTC),
    ``language``, ``story`` (gold int), ``topic``.
    """
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
    common = np.arange(200)
    outlets = np.array([f"outlet{i:03d}" for i in range(300)])
    words = np.asarray(vocab, dtype=object)
    cdf = np.cumsum(zipf)
    pools = np.stack([np.concatenate([entities[i], events[i]]) for i in range(k)])  # k x 16
    topics = np.stack(topic_words)  # n_topics x 300
    m = words_per_article
    titles: list[str] = []
    texts: list[str] = []
    for lo in range(0, n, 20_000):  # vectorised in chunks to bound memory
        st = story_of[lo : lo + 20_000]
        c = len(st)
        kind = rng.random((c, m))  # story words 18%, topic words 18%, background otherwise
        story_w = pools[st[:, None], rng.integers(0, pools.shape[1], (c, m))]
        topic_w = topics[topic[st][:, None], rng.integers(0, topics.shape[1], (c, m))]
        bg = np.where(
            rng.random((c, m)) < 0.5,
            rng.integers(0, len(common), (c, m)),
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
    published = base + pd.to_timedelta(np.round(t_days * 86400), unit="s")
    ids = [f"{seed:04d}{i:012x}" for i in range(n)]
    df = pd.DataFrame(
        {
            "id": ids,
            "url": [
                f"https://news{j % 300}.example/a/{i}"
                for i, j in enumerate(rng.integers(0, 300, n))
            ],
            "outlet": outlets[rng.integers(0, 300, size=n)],
            "title": titles,
            "text": texts,
            "published": published,
            "language": "en",
            "story": story_of.astype(np.int64),
            "topic": topic[story_of].astype(np.int64),
        }
    )
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
