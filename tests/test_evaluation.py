"""B-cubed and friends on hand-computed examples."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from newslab.evaluation import bcubed, evaluate_clustering, pairwise_scores


def test_bcubed_hand_computed():
    # pred clusters {0,1,2} {3,4}; gold stories {0,1} {2,3,4}
    pred = [0, 0, 0, 1, 1]
    gold = ["a", "a", "b", "b", "b"]
    p, r, f = bcubed(pred, gold)
    # precision: items 0,1 -> 2/3; item 2 -> 1/3; items 3,4 -> 2/2
    assert p == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1 + 1) / 5)
    # recall: items 0,1 -> 2/2; item 2 -> 1/3; items 3,4 -> 2/3
    assert r == pytest.approx((1 + 1 + 1 / 3 + 2 / 3 + 2 / 3) / 5)
    assert f == pytest.approx(2 * p * r / (p + r))


def test_perfect_and_extremes():
    gold = [1, 1, 2, 2, 3]
    s = evaluate_clustering([7, 7, 8, 8, 9], gold)
    assert s["b3_f1"] == 1.0 and s["ari"] == 1.0 and s["nmi"] == pytest.approx(1.0)
    singletons = evaluate_clustering([0, 1, 2, 3, 4], gold)
    assert singletons["b3_precision"] == 1.0
    assert singletons["b3_recall"] == pytest.approx((0.5 * 4 + 1) / 5)
    lumped = evaluate_clustering([0] * 5, gold)
    assert lumped["b3_recall"] == 1.0
    assert lumped["b3_precision"] == pytest.approx((2 / 5 * 4 + 1 / 5) / 5)
    assert (lumped["n_pred"], lumped["n_gold"], lumped["n_items"]) == (1, 3, 5)


def test_pairwise():
    p, r, f = pairwise_scores([0, 0, 0, 1], [0, 0, 1, 1])
    # predicted pairs: 3, gold pairs: 2, shared: 1
    assert (p, r) == pytest.approx((1 / 3, 1 / 2))


def test_series_align_on_index_and_null_gold_skipped():
    pred = pd.Series([0, 0, 1], index=["x", "y", "z"])
    gold = pd.Series(["b", None, "a", "a"], index=["z", "q", "x", "y"])
    s = evaluate_clustering(pred, gold)
    assert s["b3_f1"] == 1.0 and s["n_items"] == 3
    s = evaluate_clustering([0, 1, 1], ["a", None, "a"])
    assert s["n_items"] == 2 and s["b3_recall"] == 0.5


def test_errors_named():
    with pytest.raises(ValueError, match="pred has 2 labels but gold has 3"):
        evaluate_clustering([0, 1], [0, 1, 2])
    with pytest.raises(ValueError, match="no item has a gold label"):
        evaluate_clustering([0, 1], [None, None])
    with pytest.raises(ValueError, match="no predicted story"):
        evaluate_clustering([0, np.nan], [1, 2])
