"""Meta-evaluation: how well automatic scores agree with human judgements.

:func:`correlate` joins a table of metric scores with a table of human judgements and
reports, per metric column, Kendall's tau-b, Spearman's rho and Pearson's r (scipy), each
with a percentile bootstrap 95 % confidence interval (resampling summaries with
replacement), and, when the human label is binary, the ROC-AUC of the score as a detector
of the positive label (scikit-learn), with its bootstrap interval. This is the protocol of
the summarization meta-evaluation literature (e.g. Laban et al. 2022, SummaC; Deutsch,
Dror and Roth 2021 on bootstrap intervals for summary metrics).

Examples
--------
>>> scores = pd.DataFrame({"id": list("abcdef"), "m": [0.9, 0.8, 0.7, 0.3, 0.2, 0.1]})
>>> human = pd.DataFrame({"id": list("abcdef"), "faithful": [1, 1, 0, 1, 0, 0]})
>>> r = correlate(scores, human, bootstrap=200)
>>> float(r.loc[0, "auc"])
0.888...
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

__all__ = ["correlate"]

_COLUMNS = [
    "metric",
    "human",
    "n",
    "kendall",
    "kendall_lo",
    "kendall_hi",
    "kendall_p",
    "spearman",
    "spearman_lo",
    "spearman_hi",
    "spearman_p",
    "pearson",
    "pearson_lo",
    "pearson_hi",
    "pearson_p",
    "auc",
    "auc_lo",
    "auc_hi",
]


def _corr(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    if np.ptp(x) == 0 or np.ptp(y) == 0:
        return np.nan, np.nan, np.nan
    return (
        stats.kendalltau(x, y).statistic,
        stats.spearmanr(x, y).statistic,
        stats.pearsonr(x, y).statistic,
    )


def _auc(score: np.ndarray, label: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    if len(np.unique(label)) < 2:
        return np.nan
    return float(roc_auc_score(label, score))


def correlate(
    scores_df: pd.DataFrame,
    human_df: pd.DataFrame,
    on: str = "id",
    bootstrap: int = 1000,
    seed: int = 0,
    *,
    human: str | None = None,
    metrics: list[str] | None = None,
    positive=None,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Correlate every metric column with a human judgement, with bootstrap intervals.

    Parameters
    ----------
    scores_df : DataFrame
        One row per summary: the key column ``on`` and numeric metric columns.
    human_df : DataFrame
        The key column ``on`` and the human judgement column.
    on : str
        Key column present in both tables.
    bootstrap : int
        Bootstrap resamples for the confidence intervals (0 = no intervals).
    seed : int
        Seed of the bootstrap.
    human : str, optional
        The human column; by default the only non-key numeric column of ``human_df``.
    metrics : list of str, optional
        Metric columns; by default every numeric column of ``scores_df`` except ``on``.
    positive : optional
        For a binary label, the value counted as positive (default: the larger value).
    alpha : float
        1 - confidence level of the intervals.

    Returns
    -------
    DataFrame
        One row per metric: ``metric, human, n``, then ``kendall, spearman, pearson`` each
        with ``_lo``, ``_hi`` (percentile bootstrap interval) and ``_p`` (scipy p-value),
        and ``auc, auc_lo, auc_hi`` (NaN when the label is not binary). Resamples in which
        a statistic is undefined (a constant column) are left out of its interval.

    Raises
    ------
    ValueError
        When ``on`` or a named column is missing, or no rows match.

    Examples
    --------
    >>> s = pd.DataFrame({"id": [1, 2, 3, 4], "rouge": [0.1, 0.4, 0.3, 0.9]})
    >>> h = pd.DataFrame({"id": [1, 2, 3, 4], "score": [1, 3, 2, 4]})
    >>> correlate(s, h, bootstrap=0)[["metric", "spearman"]].values.tolist()
    [['rouge', 1.0]]
    """
    for name, df in (("scores_df", scores_df), ("human_df", human_df)):
        if on not in df.columns:
            raise ValueError(f"{name} has no key column {on!r} (columns: {list(df.columns)})")
    if human is None:
        cands = [
            c for c in human_df.columns if c != on and pd.api.types.is_numeric_dtype(human_df[c])
        ]
        if len(cands) != 1:
            raise ValueError(
                f"pass human=...: human_df has {len(cands)} numeric columns besides {on!r}: {cands}"
            )
        human = cands[0]
    elif human not in human_df.columns:
        raise ValueError(f"human_df has no column {human!r}")
    if metrics is None:
        metrics = [
            c
            for c in scores_df.columns
            if c != on and c != human and pd.api.types.is_numeric_dtype(scores_df[c])
        ]
    missing = [m for m in metrics if m not in scores_df.columns]
    if missing:
        raise ValueError(f"scores_df has no metric column(s) {missing}")
    hcol = "__human__"
    merged = scores_df[[on, *metrics]].merge(
        human_df[[on, human]].rename(columns={human: hcol}), on=on, how="inner"
    )
    if merged.empty:
        raise ValueError(f"no {on!r} value is shared by scores_df and human_df")
    values = merged[hcol].dropna().unique()
    binary = len(values) == 2
    if binary:
        pos = max(values) if positive is None else positive
    rng = np.random.default_rng(seed)
    rows = []
    for metric in metrics:
        sub = merged[[metric, hcol]].dropna()
        x = sub[metric].to_numpy(float)
        y = sub[hcol].to_numpy()
        yn = (y == pos).astype(int) if binary else y.astype(float)
        n = len(sub)
        row = {"metric": metric, "human": human, "n": n}
        point = _corr(x, yn.astype(float)) if n >= 3 else (np.nan,) * 3
        pvals = (np.nan,) * 3
        if n >= 3 and np.ptp(x) > 0 and np.ptp(yn) > 0:
            pvals = (
                stats.kendalltau(x, yn).pvalue,
                stats.spearmanr(x, yn).pvalue,
                stats.pearsonr(x, yn).pvalue,
            )
        auc = _auc(x, yn) if binary and n else np.nan
        boots = np.full((bootstrap, 4), np.nan)
        for b in range(bootstrap if n >= 3 else 0):
            idx = rng.integers(0, n, n)
            bx, by = x[idx], yn[idx].astype(float)
            boots[b, :3] = _corr(bx, by)
            if binary:
                boots[b, 3] = _auc(bx, by)
        for k, name in enumerate(("kendall", "spearman", "pearson", "auc")):
            row[name] = point[k] if k < 3 else auc
            col = boots[:, k]
            col = col[~np.isnan(col)]
            lo, hi = np.quantile(col, [alpha / 2, 1 - alpha / 2]) if len(col) else (np.nan, np.nan)
            row[f"{name}_lo"], row[f"{name}_hi"] = float(lo), float(hi)
            if k < 3:
                row[f"{name}_p"] = pvals[k]
        rows.append(row)
    out = pd.DataFrame(rows, columns=_COLUMNS)
    out.attrs.update(binary=binary, bootstrap=bootstrap, seed=seed, on=on)
    return out
