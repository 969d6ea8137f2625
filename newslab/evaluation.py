"""Score a story clustering against gold labels: B-cubed, pairwise, ARI and NMI.

B-cubed (Bagga and Baldwin, 1998): for each item, precision is the share of its predicted
cluster (itself included) that shares its gold story, recall the share of its gold story that
is in its predicted cluster; both are averaged over items and F1 is their harmonic mean.

Examples
--------
>>> scores = evaluate_clustering([0, 0, 1, 1], ["a", "a", "a", "b"])
>>> round(scores["b3_precision"], 4), round(scores["b3_recall"], 4)
(0.75, 0.6667)
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score
from sklearn.metrics.cluster import contingency_matrix

__all__ = ["bcubed", "pairwise_scores", "evaluate_clustering"]


def _labels(pred: Any, gold: Any) -> tuple[np.ndarray, np.ndarray]:
    if isinstance(pred, pd.Series) and isinstance(gold, pd.Series):
        if not pred.index.equals(gold.index):
            if pred.index.has_duplicates or gold.index.has_duplicates:
                raise ValueError("pred and gold Series have different, non-unique indexes")
            missing = pred.index.difference(gold.index)
            if len(missing):
                raise ValueError(f"{len(missing)} predicted items have no gold label row")
            gold = gold.reindex(pred.index)
    p = pd.Series(
        np.asarray(pred, dtype=object) if not isinstance(pred, pd.Series) else pred.to_numpy()
    )
    g = pd.Series(
        np.asarray(gold, dtype=object) if not isinstance(gold, pd.Series) else gold.to_numpy()
    )
    if len(p) != len(g):
        raise ValueError(f"pred has {len(p)} labels but gold has {len(g)}")
    keep = g.notna().to_numpy()
    if not keep.any():
        raise ValueError("no item has a gold label")
    if p[keep].isna().any():
        raise ValueError(
            f"{int(p[keep].isna().sum())} items with a gold label have no predicted story"
        )
    return pd.factorize(p[keep])[0], pd.factorize(g[keep])[0]


def bcubed(pred: Any, gold: Any) -> tuple[float, float, float]:
    """Return B-cubed (precision, recall, F1); items whose gold label is null are skipped.

    Examples
    --------
    >>> [round(v, 4) for v in bcubed([1, 1, 1], [1, 1, 2])]  # P = (2/3 + 2/3 + 1/3) / 3, R = 1
    [0.5556, 1.0, 0.7143]
    """
    p, g = _labels(pred, gold)
    c = contingency_matrix(g, p, sparse=True).tocoo()  # rows gold, cols pred
    n = len(p)
    gold_sizes = np.bincount(g)
    pred_sizes = np.bincount(p)
    nij = c.data.astype(float)
    precision = float(np.sum(nij * nij / pred_sizes[c.col]) / n)
    recall = float(np.sum(nij * nij / gold_sizes[c.row]) / n)
    f1 = 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)
    return precision, recall, f1


def pairwise_scores(pred: Any, gold: Any) -> tuple[float, float, float]:
    """Return pairwise (precision, recall, F1) over item pairs (large stories dominate).

    Examples
    --------
    >>> pairwise_scores([0, 0, 1], [0, 0, 0])
    (1.0, 0.3333333333333333, 0.5)
    """
    p, g = _labels(pred, gold)
    c = contingency_matrix(g, p, sparse=True)

    def pairs(x: np.ndarray) -> float:
        x = x.astype(float)
        return float(np.sum(x * (x - 1) / 2))

    tp = pairs(c.data)
    pred_pairs = pairs(np.bincount(p))
    gold_pairs = pairs(np.bincount(g))
    precision = tp / pred_pairs if pred_pairs else 1.0
    recall = tp / gold_pairs if gold_pairs else 1.0
    f1 = 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)
    return precision, recall, f1


def evaluate_clustering(pred: Any, gold: Any) -> dict[str, float | int]:
    """Score predicted story labels against gold ones.

    Parameters
    ----------
    pred, gold : array-like or Series
        One label per item. Two Series are aligned on their index; otherwise the order is
        used. Items whose gold label is null are left out (``n_items`` counts the scored ones).

    Returns
    -------
    dict
        ``b3_precision``, ``b3_recall``, ``b3_f1``, ``pair_precision``, ``pair_recall``,
        ``pair_f1``, ``ari``, ``nmi``, ``n_pred`` (predicted clusters), ``n_gold`` (gold
        stories), ``n_items``.

    Examples
    --------
    >>> s = evaluate_clustering([0, 0, 1, 2], [5, 5, 6, 6])
    >>> s["b3_precision"], round(s["b3_recall"], 3), s["n_pred"], s["n_gold"]
    (1.0, 0.75, 3, 2)
    """
    p, g = _labels(pred, gold)
    bp, br, bf = bcubed(p, g)
    pp, pr, pf = pairwise_scores(p, g)
    return {
        "b3_precision": bp,
        "b3_recall": br,
        "b3_f1": bf,
        "pair_precision": pp,
        "pair_recall": pr,
        "pair_f1": pf,
        "ari": float(adjusted_rand_score(g, p)),
        "nmi": float(normalized_mutual_info_score(g, p)),
        "n_pred": int(p.max()) + 1,
        "n_gold": int(g.max()) + 1,
        "n_items": len(p),
    }
