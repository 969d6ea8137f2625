"""Flag near-duplicate articles (syndicated wire copies) without dropping them.

Each text becomes the set of its word 3-shingles (lower-cased ``\\w+`` tokens); a
128-permutation MinHash estimates the Jaccard similarity of two sets (standard error
about 0.04) and an LSH index finds candidate pairs without comparing all of them.

**Threshold: 0.7** (Jaccard of word 3-shingles). A wire story republished with another
headline, byline, a dropped or added paragraph, or an outlet's boilerplate line keeps a
similarity of 0.75-0.95; two independent reports of the same event stay below 0.2
because they share facts, not word sequences. Lower it (e.g. 0.5) to also catch heavily
trimmed copies; raise it (0.9) for verbatim copies only. Texts under ``min_tokens``
words are never flagged (too little evidence).

The copy gets ``duplicate_of`` = the id of the original: the earliest published
member of the group (then earliest fetched, then first in the table). Originals and
unique articles have ``duplicate_of`` = None.

Examples
--------
>>> import pandas as pd
>>> wire = " ".join(f"word{i}" for i in range(60))
>>> df = pd.DataFrame({"id": ["a", "b", "c"],
...                    "text": [wire, wire + " Copyright Other Outlet.", "something else " * 30]})
>>> flag_near_duplicates(df)["duplicate_of"].tolist()
[None, 'a', None]
"""

from __future__ import annotations

import re
import zlib

import numpy as np
import pandas as pd
from datasketch import MinHash, MinHashLSH

__all__ = ["flag_near_duplicates", "shingles", "DEFAULT_THRESHOLD"]

DEFAULT_THRESHOLD = 0.7
_TOKEN = re.compile(r"\w+")


def shingles(text: str, size: int = 3) -> set[str]:
    """Word ``size``-grams of a text, lower-cased.

    Examples
    --------
    >>> sorted(shingles("The cat sat on it", 3))
    ['cat sat on', 'sat on it', 'the cat sat']
    """
    tokens = _TOKEN.findall(text.lower())
    if len(tokens) < size:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


def _order(df: pd.DataFrame) -> np.ndarray:
    """Row positions, originals first: earliest published, then fetched, then position."""
    keys = []
    for col in ("published", "fetched_at"):
        if col in df.columns:
            t = pd.to_datetime(df[col], utc=True, errors="coerce")
            keys.append(t.isna().to_numpy())
            keys.append(t.fillna(pd.Timestamp.max.tz_localize("UTC")).to_numpy())
    keys.append(np.arange(len(df)))
    # np.lexsort sorts by the last key first
    return np.lexsort(list(reversed(keys)))


def flag_near_duplicates(
    df: pd.DataFrame,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    num_perm: int = 128,
    shingle_size: int = 3,
    min_tokens: int = 30,
    text_column: str = "text",
    seed: int = 1,
) -> pd.DataFrame:
    """Return a copy of ``df`` with ``duplicate_of`` set on near-duplicate copies.

    Parameters
    ----------
    df : DataFrame
        Needs ``id`` and ``text`` (``published``/``fetched_at`` decide the original).
    threshold : float
        Jaccard similarity of word shingles at or above which two texts are
        near-duplicates (see the module docs for the choice of 0.7).
    num_perm : int
        MinHash permutations (more = more precise, slower).
    shingle_size : int
        Words per shingle.
    min_tokens : int
        Shorter texts are never flagged.
    text_column : str
    seed : int
        MinHash seed (fixed, so the result is reproducible).

    Raises
    ------
    KeyError
        When ``id`` or the text column is missing.
    """
    for col in ("id", text_column):
        if col not in df.columns:
            raise KeyError(f"flag_near_duplicates needs a {col!r} column; got {list(df.columns)}")
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"threshold must be in (0, 1], got {threshold}")
    out = df.copy()
    dup: list[str | None] = [None] * len(df)
    ids = df["id"].tolist()
    texts = df[text_column].tolist()
    order = [int(p) for p in _order(df)]
    eligible, sets = [], []
    for pos in order:
        text = texts[pos]
        if not isinstance(text, str):
            continue
        sh = shingles(text, shingle_size)
        if len(sh) >= max(1, min_tokens - shingle_size + 1):
            eligible.append(pos)
            sets.append([s.encode("utf-8") for s in sh])
    # bulk: the permutations are drawn once; crc32 is a fast, stable 32-bit hash
    sketches = (
        dict(
            zip(
                eligible,
                MinHash.bulk(sets, num_perm=num_perm, seed=seed, hashfunc=zlib.crc32),
                strict=True,
            )
        )
        if sets
        else {}
    )
    del sets
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    for pos in eligible:
        m = sketches[pos]
        best, best_sim = None, -1.0
        for cand in lsh.query(m):
            sim = m.jaccard(sketches[cand])
            if sim >= threshold and (sim > best_sim or (sim == best_sim and cand < best)):
                best, best_sim = cand, sim
        if best is not None:
            dup[pos] = ids[best]
            del sketches[pos]
        else:
            lsh.insert(pos, m)
    out["duplicate_of"] = pd.Series(dup, index=out.index, dtype="object")
    return out
