"""Coverage over time: how much attention each story (or outlet) gets per period.

The result is a tidy table, one row per period and group, with gaps filled by
zeros (never interpolated). Undated articles are counted in ``attrs`` and never
silently dropped; articles dated only by their fetch time are counted apart.

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame({
...     "published": pd.to_datetime(["2024-01-01 10:00", "2024-01-03 09:00", None], utc=True),
...     "story": ["quake", "quake", "quake"], "outlet": ["A", "B", "A"]})
>>> c = coverage(df, freq="D", by="story")
>>> c["articles"].tolist(), [str(p.date()) for p in c["period"]]
([1, 0, 1], ['2024-01-01', '2024-01-02', '2024-01-03'])
>>> c.attrs["undated"]
1
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

__all__ = ["coverage", "COVERAGE_COLUMNS"]

COVERAGE_COLUMNS = (
    "period",
    "articles",
    "outlets",
    "share",
    "relative_to_peak",
    "fetch_dated",
)

Normalize = Literal["count", "share", "peak"]


def coverage(
    df: pd.DataFrame,
    freq: str = "D",
    by: str | None = "story",
    *,
    tz: str = "UTC",
    time_column: str = "published",
    start=None,
    end=None,
    unassigned: str | None = "(no story)",
) -> pd.DataFrame:
    """Count articles per period and group.

    Parameters
    ----------
    df : DataFrame
        Corpus rows with ``published`` (tz-aware) and the ``by`` column.
    freq : str
        Period length as a pandas offset alias: ``"h"``, ``"D"``, ``"W"``, ``"MS"``...
    by : str or None
        Group column, ``"story"`` or ``"outlet"`` (or any column); None for totals only.
    tz : str
        Display time zone; periods are cut in this zone (storage stays UTC).
    time_column : str
        The timestamp column (default ``published``).
    start, end : date-like, optional
        Widen (or cut) the period range; gaps are zeros.
    unassigned : str or None
        Label for rows whose ``by`` value is missing (stand-alone articles); None drops
        them, counting them in ``attrs["unassigned"]``.

    Returns
    -------
    DataFrame
        Columns ``period`` (tz-aware, start of period), the ``by`` column, ``articles``,
        ``outlets`` (distinct outlets), ``share`` (of all articles in the period),
        ``relative_to_peak`` (articles / the group's maximum) and ``fetch_dated``
        (articles whose date came only from the fetch time). ``attrs`` holds
        ``undated`` (rows without a date), ``unassigned`` and ``freq``/``tz``.

    Raises
    ------
    ValueError
        If the time or group column is missing.
    """
    for col in [time_column] + ([by] if by else []):
        if col not in df.columns:
            raise ValueError(
                f"coverage needs a {col!r} column; the table has {', '.join(map(str, df.columns))}"
            )
    times = pd.to_datetime(df[time_column], utc=True)
    dated = times.notna()
    work = pd.DataFrame({"time": times[dated].dt.tz_convert(tz)})
    work["outlet"] = df.loc[dated, "outlet"].to_numpy() if "outlet" in df else "?"
    if "date_source" in df:
        work["fetch_dated"] = (df.loc[dated, "date_source"] == "fetch").to_numpy()
    else:
        work["fetch_dated"] = False
    group = by or "_all"
    n_unassigned = 0
    if by:
        values = df.loc[dated, by]
        n_unassigned = int(values.isna().sum())
        work[group] = values.astype(object).where(values.notna(), unassigned).to_numpy()
        if unassigned is None:
            work = work[work[group].notna()]
    else:
        work[group] = "all"
    work["period"] = work["time"].dt.tz_localize(None).dt.to_period(freq).dt.start_time
    work["period"] = work["period"].dt.tz_localize(tz, ambiguous="NaT", nonexistent="shift_forward")

    lo = pd.Timestamp(start, tz=tz) if start is not None else work["period"].min()
    hi = pd.Timestamp(end, tz=tz) if end is not None else work["period"].max()
    if pd.isna(lo):  # nothing dated
        out = pd.DataFrame(columns=["period", group, *COVERAGE_COLUMNS[1:]])
    else:
        periods = pd.period_range(lo.tz_localize(None), hi.tz_localize(None), freq=freq)
        grid = periods.start_time.tz_localize(tz, ambiguous="NaT", nonexistent="shift_forward")
        agg = work.groupby(["period", group]).agg(
            articles=("time", "size"),
            outlets=("outlet", "nunique"),
            fetch_dated=("fetch_dated", "sum"),
        )
        keys = sorted(work[group].unique(), key=str)
        index = pd.MultiIndex.from_product([grid, keys], names=["period", group])
        out = agg.reindex(index, fill_value=0).reset_index()
        totals = out.groupby("period")["articles"].transform("sum")
        out["share"] = np.where(totals > 0, out["articles"] / totals.where(totals > 0, 1), 0.0)
        peaks = out.groupby(group)["articles"].transform("max")
        out["relative_to_peak"] = np.where(
            peaks > 0, out["articles"] / peaks.where(peaks > 0, 1), 0.0
        )
        out = out[["period", group, *COVERAGE_COLUMNS[1:]]]
        out = out[(out["period"] >= lo) & (out["period"] <= hi)].reset_index(drop=True)
    if not by:
        out = out.drop(columns=[group])
    for col in ("articles", "outlets", "fetch_dated"):
        out[col] = out[col].astype(int)
    out.attrs.update(undated=int((~dated).sum()), unassigned=n_unassigned, freq=freq, tz=tz, by=by)
    return out
