"""Figures: coverage over time, story timelines, who covered what, summary support.

Every function returns a :class:`matplotlib.figure.Figure` built without pyplot
(no global state; nothing is ever shown from inside the package): Jupyter displays it, ``fig.savefig`` saves it.

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame({
...     "published": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-02"], utc=True),
...     "story": ["quake", "quake", "crash"], "outlet": ["A", "B", "A"],
...     "title": ["t1", "t2", "t3"]})
>>> from newslab.attention import coverage
>>> fig = plot_coverage(coverage(df, by="story"))
>>> fig.axes[0].get_ylabel()
'articles per day'
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

__all__ = [
    "plot_story_reach",
    "plot_coverage",
    "plot_story_timeline",
    "plot_outlet_story_matrix",
    "plot_summary_support",
]


def _register_jupyter_display() -> None:
    # Figures built without pyplot have no IPython image display of their own; ask the
    # running kernel (if any) to render Figure objects as PNG, as %matplotlib inline would.
    try:
        from IPython import get_ipython
        from IPython.core.pylabtools import select_figure_formats
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None:
        select_figure_formats(shell, {"png"})


_register_jupyter_display()

_FREQ_NAMES = {"h": "hour", "D": "day", "W": "week", "MS": "month", "M": "month", "ME": "month"}
_VALUE_LABELS = {
    "articles": "articles per {period}",
    "share": "share of the {period}'s coverage",
    "relative_to_peak": "articles relative to the series' peak",
    "outlets": "outlets per {period}",
}


def _short(label: Any, width: int = 32) -> str:
    text = str(label)
    return text if len(text) <= width else text[: width - 1] + "…"


def plot_coverage(
    c: pd.DataFrame,
    top: int = 8,
    *,
    value: str = "articles",
    kind: str = "area",
    group: str | None = None,
    labels: dict | None = None,
    title: str | None = None,
    figsize: tuple[float, float] = (9, 4.5),
) -> Figure:
    """Attention over time: a stacked area (or line) chart of a :func:`~newslab.coverage` table.

    Parameters
    ----------
    c : DataFrame
        Output of :func:`newslab.coverage`.
    top : int
        Show the ``top`` largest groups; the rest are summed into "other".
    value : {"articles", "share", "relative_to_peak", "outlets"}
        Which normalisation to plot.
    kind : {"area", "line"}
        Stacked areas (counts and shares add up) or one line per group.
    group : str, optional
        Group column (default: ``c.attrs["by"]``).
    labels : dict, optional
        Display names for group values (e.g. story id -> top terms from
        :func:`newslab.story_table`).

    Notes
    -----
    Undated articles (``c.attrs["undated"]``) are reported in a note under the axes.
    """
    if value not in _VALUE_LABELS:
        raise ValueError(f"value must be one of {sorted(_VALUE_LABELS)}, not {value!r}")
    if "period" not in c or value not in c:
        raise ValueError("plot_coverage expects the table returned by newslab.coverage()")
    group = group or c.attrs.get("by")
    fig = Figure(figsize=figsize, layout="constrained")
    ax = fig.add_subplot()
    if group:
        wide = c.pivot_table(
            index="period", columns=group, values=value, aggfunc="sum", fill_value=0
        )
        order = c.groupby(group)["articles"].sum().sort_values(ascending=False).index
        keep = list(order[:top])
        rest = [k for k in wide.columns if k not in keep]
        wide = wide[keep]
        if rest and value in ("articles", "share", "outlets"):
            wide["other"] = c[c[group].isin(rest)].groupby("period")[value].sum()
            wide["other"] = wide["other"].fillna(0)
    else:
        wide = c.set_index("period")[[value]].rename(columns={value: "all"})
    x = wide.index.to_pydatetime() if len(wide) else []
    labels = [_short((labels or {}).get(k, k)) for k in wide.columns]
    if kind == "area" and len(wide):
        ax.stackplot(x, wide.to_numpy().T, labels=labels, alpha=0.85, step=None)
    elif kind == "line":
        for col, label in zip(wide.columns, labels, strict=True):
            ax.plot(x, wide[col].to_numpy(), marker="o", ms=3, label=label)
    elif kind != "area":
        raise ValueError(f"kind must be 'area' or 'line', not {kind!r}")
    freq = c.attrs.get("freq", "D")
    period = _FREQ_NAMES.get(freq, freq)
    ax.set_ylabel(_VALUE_LABELS[value].format(period=period))
    ax.set_xlabel(f"time ({c.attrs.get('tz', 'UTC')})")
    ax.set_title(title or (f"Coverage by {group}" if group else "Coverage"))
    if len(wide.columns) > 1:
        ax.legend(loc="upper left", fontsize=8, frameon=False, bbox_to_anchor=(1.0, 1.0))
    ax.margins(x=0)
    fig.autofmt_xdate()
    notes = []
    if c.attrs.get("undated"):
        notes.append(f"{c.attrs['undated']} undated article(s) not shown")
    fetch_dated = int(c["fetch_dated"].sum()) if "fetch_dated" in c else 0
    if fetch_dated:
        notes.append(f"{fetch_dated} dated by fetch time only")
    if notes:
        fig.text(0.01, 0.0, "; ".join(notes), fontsize=8, color="0.35", va="bottom")
    return fig


def plot_story_timeline(
    df: pd.DataFrame,
    story: Any,
    *,
    summary_time: Any = None,
    tz: str = "UTC",
    story_column: str = "story",
    figsize: tuple[float, float] = (9, 4),
) -> Figure:
    """Which outlets published on a story, and when: first mover and followers.

    Parameters
    ----------
    df : DataFrame
        Corpus with ``story``, ``outlet``, ``published`` (and ``date_source`` to mark
        articles dated only by their fetch time, drawn hollow).
    story : label
        The story to draw.
    summary_time : date-like, optional
        When a summary of the story was published: drawn as a vertical line.
    tz : str
        Display time zone.
    """
    for col in (story_column, "outlet", "published"):
        if col not in df:
            raise ValueError(f"plot_story_timeline needs a {col!r} column")
    rows = df[df[story_column] == story]
    if rows.empty:
        raise ValueError(f"story {story!r} has no articles in this table")
    dated = rows[rows["published"].notna()].sort_values("published")
    times = pd.to_datetime(dated["published"], utc=True).dt.tz_convert(tz)
    outlets = list(dict.fromkeys(dated["outlet"]))  # order of first appearance
    ypos = {o: i for i, o in enumerate(outlets)}
    fig = Figure(figsize=figsize, layout="constrained")
    ax = fig.add_subplot()
    fetch_only = (
        (dated["date_source"] == "fetch").to_numpy()
        if "date_source" in dated
        else np.zeros(len(dated), bool)
    )
    y = [ypos[o] for o in dated["outlet"]]
    xs = times.dt.tz_localize(None).to_numpy()
    ax.scatter(xs[~fetch_only], np.array(y)[~fetch_only], s=40, zorder=3, label="article")
    if fetch_only.any():
        ax.scatter(
            xs[fetch_only], np.array(y)[fetch_only], s=40, facecolors="none", edgecolors="C0",
            zorder=3, label="dated by fetch time",
        )  # fmt: skip
    if len(dated):
        ax.annotate("first", (xs[0], y[0]), textcoords="offset points", xytext=(6, 6), fontsize=8)
    if summary_time is not None:
        st = pd.Timestamp(summary_time)
        st = st.tz_localize("UTC") if st.tzinfo is None else st
        ax.axvline(st.tz_convert(tz).tz_localize(None), color="C3", ls="--", label="summary")
    ax.set_yticks(range(len(outlets)), [_short(o, 28) for o in outlets])
    ax.invert_yaxis()
    ax.set_xlabel(f"published ({tz})")
    ax.set_title(f"Story {_short(story, 60)}: {len(rows)} articles, {len(outlets)} outlets")
    undated = len(rows) - len(dated)
    if undated:
        fig.text(0.01, 0.0, f"{undated} undated article(s) not shown", fontsize=8, color="0.35")
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    fig.autofmt_xdate()
    return fig


def plot_outlet_story_matrix(
    df: pd.DataFrame,
    *,
    top_outlets: int = 20,
    top_stories: int = 15,
    story_column: str = "story",
    labels: dict | None = None,
    figsize: tuple[float, float] | None = None,
) -> Figure:
    """Heatmap of article counts, outlets × stories: who covered what.

    Parameters
    ----------
    df : DataFrame
        Corpus with ``outlet`` and ``story``; rows without a story are ignored.
    top_outlets, top_stories : int
        Keep the most prolific outlets and the largest stories.
    labels : dict, optional
        Display names for story ids (e.g. from :func:`newslab.story_table`).
    """
    for col in ("outlet", story_column):
        if col not in df:
            raise ValueError(f"plot_outlet_story_matrix needs a {col!r} column")
    rows = df[df[story_column].notna()]
    if rows.empty:
        raise ValueError("no article has a story: run newslab.cluster_stories first")
    table = pd.crosstab(rows["outlet"], rows[story_column])
    stories = table.sum(axis=0).sort_values(ascending=False).index[:top_stories]
    outlets = table.sum(axis=1).sort_values(ascending=False).index[:top_outlets]
    table = table.loc[outlets, stories]
    size = figsize or (2 + 0.45 * len(stories), 1.5 + 0.35 * len(outlets))
    fig = Figure(figsize=size, layout="constrained")
    ax = fig.add_subplot()
    im = ax.imshow(table.to_numpy(), aspect="auto", cmap="Blues")
    names = [_short((labels or {}).get(s, s), 30) for s in stories]
    ax.set_xticks(range(len(stories)), names, rotation=45, ha="right", fontsize=8)
    ax.set_yticks(range(len(outlets)), [_short(o, 28) for o in outlets], fontsize=8)
    for (i, j), n in np.ndenumerate(table.to_numpy()):
        if n:
            ax.text(j, i, str(n), ha="center", va="center", fontsize=7,
                    color="white" if n > table.to_numpy().max() / 2 else "black")  # fmt: skip
    ax.set_xlabel("story")
    ax.set_ylabel("outlet")
    ax.set_title("Who covered what (articles)")
    fig.colorbar(im, ax=ax, shrink=0.8, label="articles")
    return fig


def plot_summary_support(result: Any, *, figsize: tuple[float, float] | None = None) -> Figure:
    """Which sources each summary sentence relies on, for a :func:`newslab.score_summary` result.

    Rows are summary sentences (coloured by their support label), columns are
    source outlets; cells show the best alignment score of the sentence with
    that outlet's articles.
    """
    sentences = getattr(result, "sentences", None)
    if sentences is None or "evidence" not in sentences:
        raise ValueError("plot_summary_support expects a newslab.score_summary() result")
    records = []
    for i, ev in enumerate(sentences["evidence"]):
        for item in ev or []:
            records.append(
                {"sentence": i, "outlet": item.get("outlet"), "score": item.get("score", 0)}
            )
    grid = (
        pd.DataFrame(records).pivot_table(
            index="sentence", columns="outlet", values="score", aggfunc="max"
        )
        if records
        else pd.DataFrame()
    )
    grid = grid.reindex(range(len(sentences))).fillna(0.0)
    size = figsize or (2.5 + 0.9 * max(len(grid.columns), 1), 1.2 + 0.45 * len(grid))
    fig = Figure(figsize=size, layout="constrained")
    ax = fig.add_subplot()
    data = grid.to_numpy() if grid.size else np.zeros((len(sentences), 1))
    im = ax.imshow(data, aspect="auto", cmap="Greens", vmin=0, vmax=1)
    colours = {"supported": "#1a7f37", "partial": "#9a6700", "unsupported": "#cf222e"}
    ax.set_yticks(range(len(sentences)), [f"S{i + 1}" for i in range(len(sentences))])
    for tick, label in zip(ax.get_yticklabels(), sentences.get("label", []), strict=False):
        tick.set_color(colours.get(label, "black"))
    cols = list(grid.columns) if grid.size else ["(no source)"]
    ax.set_xticks(range(len(cols)), [_short(c, 22) for c in cols], rotation=45, ha="right")
    ax.set_xlabel("source outlet")
    ax.set_ylabel("summary sentence (colour = support label)")
    ax.set_title("Where each summary sentence comes from")
    fig.colorbar(im, ax=ax, shrink=0.8, label="alignment score")
    return fig


def plot_story_reach(
    df: pd.DataFrame,
    *,
    story_column: str = "story",
    outlet_column: str = "outlet",
    bins: Any = None,
    figsize: tuple[float, float] = (7, 4),
) -> Figure:
    """How many outlets each story reaches: histogram of distinct outlets per story (log x).

    Parameters
    ----------
    df : DataFrame
        Corpus with a story and an outlet column; rows without a story are ignored.
    bins : int or sequence, optional
        Histogram bins; by default about 20 logarithmic bins.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"story": ["a", "a", "b"], "outlet": ["X", "Y", "X"]})
    >>> plot_story_reach(df).axes[0].get_title()
    'Story reach: 2 stories, median 1.5 outlets'
    """
    for col in (story_column, outlet_column):
        if col not in df:
            raise ValueError(f"plot_story_reach needs a {col!r} column")
    reach = df[df[story_column].notna()].groupby(story_column)[outlet_column].nunique()
    if reach.empty:
        raise ValueError("no article has a story: run newslab.cluster_stories first")
    if bins is None:
        edges = np.unique(np.geomspace(1, reach.max() + 1, 20).round().astype(int))
        bins = edges if len(edges) > 1 else np.array([1, 2])
    fig = Figure(figsize=figsize, layout="constrained")
    ax = fig.add_subplot()
    ax.hist(reach.to_numpy(), bins=bins, color="C0", edgecolor="white")
    ax.set_xscale("log")
    ax.set_xlabel("distinct outlets per story (log scale)")
    ax.set_ylabel("stories")
    ax.set_title(f"Story reach: {len(reach):,} stories, median {reach.median():g} outlets")
    return fig
