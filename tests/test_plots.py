"""Figures are checked on their content: labels, series, date range (rendered to PNG)."""

import io
from types import SimpleNamespace

import matplotlib.dates as mdates
import pandas as pd
import pytest

import newslab as nl


@pytest.fixture
def corpus():
    stories = ["quake"] * 5 + ["crash"] * 3 + ["storm"] * 2 + [None]
    outlets = ["A", "B", "C", "A", "B", "A", "C", "C", "B", "A", "D"]
    days = [1, 1, 2, 3, 5, 2, 2, 3, 4, 4, 5]
    return pd.DataFrame(
        {
            "published": pd.to_datetime([f"2024-01-0{d} 12:00" for d in days], utc=True),
            "story": stories,
            "outlet": outlets,
            "title": [f"headline {i}" for i in range(11)],
            "date_source": ["meta"] * 10 + ["fetch"],
        }
    )


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    data = buf.getvalue()
    assert data.startswith(b"\x89PNG") and len(data) > 5000
    return data


def test_plot_coverage_series_and_range(corpus):
    c = nl.coverage(corpus, by="story")
    fig = nl.plot_coverage(c, top=2)
    _png(fig)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["quake", "crash", "other"]  # top 2, rest summed
    assert len(ax.collections) == 3
    lo, hi = (mdates.num2date(x).date().isoformat() for x in ax.get_xlim())
    assert (lo, hi) == ("2024-01-01", "2024-01-05")
    assert ax.get_ylabel() == "articles per day"


def test_plot_coverage_share_lines(corpus):
    fig = nl.plot_coverage(nl.coverage(corpus, by="outlet"), value="share", kind="line")
    ax = fig.axes[0]
    assert len(ax.lines) == 4 and "share" in ax.get_ylabel()
    for line in ax.lines:
        assert max(line.get_ydata()) <= 1.0


def test_plot_coverage_notes_undated():
    df = pd.DataFrame(
        {
            "published": pd.to_datetime(["2024-01-01", None], utc=True),
            "story": ["a", "a"],
            "outlet": ["X", "Y"],
        }
    )
    fig = nl.plot_coverage(nl.coverage(df))
    assert any("1 undated" in t.get_text() for t in fig.texts)


def test_plot_story_timeline(corpus):
    fig = nl.plot_story_timeline(corpus, "quake", summary_time="2024-01-04")
    _png(fig)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["A", "B", "C"]
    assert "5 articles, 3 outlets" in ax.get_title()
    assert len(ax.lines) == 1  # the summary marker
    with pytest.raises(ValueError, match="'nope' has no articles"):
        nl.plot_story_timeline(corpus, "nope")


def test_plot_outlet_story_matrix(corpus):
    fig = nl.plot_outlet_story_matrix(corpus)
    _png(fig)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["quake", "crash", "storm"]
    image = ax.images[0].get_array()
    assert image.shape == (3, 3) and image.sum() == 10


def test_plot_summary_support_from_result_shape():
    sentences = pd.DataFrame(
        {
            "sentence": ["One.", "Two."],
            "label": ["supported", "unsupported"],
            "evidence": [[{"outlet": "A", "score": 0.9}, {"outlet": "B", "score": 0.4}], []],
        }
    )
    fig = nl.plot_summary_support(SimpleNamespace(sentences=sentences))
    _png(fig)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["A", "B"]
    assert ax.images[0].get_array()[1].sum() == 0
    with pytest.raises(ValueError, match="score_summary"):
        nl.plot_summary_support(object())


def test_plot_story_reach_counts_distinct_outlets(corpus):
    fig = nl.plot_story_reach(corpus)
    _png(fig)
    ax = fig.axes[0]
    assert ax.get_title() == "Story reach: 3 stories, median 2 outlets"  # 3, 2, 2 outlets
    heights = [p.get_height() for p in ax.patches]
    assert sum(heights) == 3  # one count per story
    with pytest.raises(ValueError, match="cluster_stories"):
        nl.plot_story_reach(corpus.assign(story=None))


def test_plot_coverage_uses_display_labels(corpus):
    fig = nl.plot_coverage(nl.coverage(corpus, by="story"), top=2, labels={"quake": "Noto quake"})
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend == ["Noto quake", "crash", "other"]
