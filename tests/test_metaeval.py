"""correlate: agreement of metric scores with human judgements."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from newslab.metaeval import correlate


@pytest.fixture
def toy():
    rng = np.random.default_rng(3)
    human = rng.normal(size=30)
    scores = pd.DataFrame(
        {
            "id": [f"s{i}" for i in range(30)],
            "good": human + rng.normal(scale=0.5, size=30),
            "noise": rng.normal(size=30),
        }
    )
    # rows in another order, and one id without a human judgement
    hum = pd.DataFrame({"id": [f"s{i}" for i in range(30)], "quality": human}).iloc[::-1]
    return scores, pd.concat([hum, pd.DataFrame({"id": ["zz"], "quality": [0.0]})])


def test_matches_scipy(toy):
    scores, human = toy
    r = correlate(scores, human, bootstrap=200).set_index("metric")
    x, y = scores.good.to_numpy(), human.set_index("id").loc[scores.id, "quality"].to_numpy()
    assert r.loc["good", "n"] == 30
    assert r.loc["good", "kendall"] == pytest.approx(stats.kendalltau(x, y).statistic)
    assert r.loc["good", "spearman"] == pytest.approx(stats.spearmanr(x, y).statistic)
    assert r.loc["good", "pearson"] == pytest.approx(stats.pearsonr(x, y).statistic)
    assert r.loc["good", "pearson_p"] == pytest.approx(stats.pearsonr(x, y).pvalue)
    for m in ("kendall", "spearman", "pearson"):
        assert r.loc["good", f"{m}_lo"] < r.loc["good", m] < r.loc["good", f"{m}_hi"]
    # the informative metric's interval excludes 0, the noise one's includes it
    assert r.loc["good", "spearman_lo"] > 0.3
    assert r.loc["noise", "spearman_lo"] < 0 < r.loc["noise", "spearman_hi"]
    assert np.isnan(r.loc["good", "auc"])  # not a binary label


def test_auc_hand_example_and_determinism():
    scores = pd.DataFrame({"id": range(5), "m": [0.9, 0.6, 0.7, 0.2, 0.4]})
    human = pd.DataFrame({"id": range(5), "faithful": [1, 0, 1, 0, 1]})
    # positive scores 0.9, 0.7, 0.4 vs negatives 0.6, 0.2: pairs won 2 + 2 + 1 = 5 of 6
    r = correlate(scores, human, bootstrap=300, seed=1)
    assert r.auc.iloc[0] == pytest.approx(5 / 6)
    assert r.auc_lo.iloc[0] <= 5 / 6 <= r.auc_hi.iloc[0]
    again = correlate(scores, human, bootstrap=300, seed=1)
    pd.testing.assert_frame_equal(r, again)
    flipped = correlate(scores, human, bootstrap=0, positive=0)
    assert flipped.auc.iloc[0] == pytest.approx(1 / 6)


def test_errors(toy):
    scores, human = toy
    with pytest.raises(ValueError, match="no key column 'key'"):
        correlate(scores, human, on="key")
    with pytest.raises(ValueError, match="pass human="):
        correlate(scores, human.assign(other=1.0))
    with pytest.raises(ValueError, match="no 'id' value is shared"):
        correlate(scores, human.assign(id="x"))
    with pytest.raises(ValueError, match="no metric column"):
        correlate(scores, human, metrics=["bleu"])
