"""How much do "twin" gold stories cost? An analysis of the News Aggregator labels, not a method.

The aggregator sometimes files one event as two stories on the same day. If those twins were
the reason no headline clusterer reaches B-cubed F1 0.90 on some slices, a clusterer that is
perfect except that it merges every pair of same-day gold stories whose centroids are closer
than ``tau`` (cosine of the TF-IDF centroids, newslab's headline vectors) would score far
below 1. This script scores exactly that labelling, on the four reported slices (same protocol
as ``clustering_quality.py``: dates floored to the day, rows shuffled with seed 0).

Run: ``.venv/bin/python benchmarks/clustering_twins.py``
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from sklearn.preprocessing import normalize

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from clustering_quality import compact, load_stories, protocol, slice_starts  # noqa: E402

from newslab.evaluation import evaluate_clustering  # noqa: E402
from newslab.stories import StoryClusterer  # noqa: E402

TAUS = (0.95, 0.9, 0.8, 0.7, 0.6)


def twins_merged(s: pd.DataFrame, taus=TAUS) -> dict[float, dict]:
    """B-cubed scores of the gold labels with same-day twin stories (centroid cosine >= tau)
    merged, for each tau."""
    x = compact(StoryClusterer(progress=False).fit(s).transform(s))
    codes, uniq = pd.factorize(s["story"])
    member = sp.csr_matrix((np.ones(len(codes)), (codes, np.arange(len(codes)))))
    cent = normalize(member @ x)
    sim = (cent @ cent.T).toarray()
    day = s.groupby(codes)["published"].agg(lambda v: v.mode().iloc[0])
    day = day.reindex(range(len(uniq))).to_numpy()
    same_day = day[:, None] == day[None, :]
    out = {}
    for tau in taus:
        _, comp = connected_components(sp.csr_matrix((sim >= tau) & same_day), directed=False)
        out[tau] = evaluate_clustering(comp[codes], s["story"])
    return out


def main() -> None:
    df = load_stories()
    print("| slice | " + " | ".join(f"twins merged, cosine ≥ {t}" for t in TAUS) + " |")
    print("|---" * (len(TAUS) + 1) + "|")
    for name, start in slice_starts(df).items():
        r = twins_merged(protocol(df, start, 10_000))
        cells = [f"{r[t]['b3_f1']:.3f} (P {r[t]['b3_precision']:.3f})" for t in TAUS]
        print(f"| {name} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
