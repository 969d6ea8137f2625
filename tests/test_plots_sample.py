"""Every plot function rendered on the sample corpus, checked on what the figure shows."""

import io

import matplotlib.dates as mdates
import pytest

import newslab as nl

UKRAINE = "ukraine-russia-strikes-dec2023"


@pytest.fixture(scope="module")
def sample():
    df = nl.collect(nl.sample_pages()["path"].tolist(), progress=False)
    return df.assign(story=nl.gold_labels(df))


def _render(fig) -> None:
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    assert buf.getvalue().startswith(b"\x89PNG")


def test_coverage_chart_of_the_sample(sample):
    fig = nl.plot_coverage(nl.coverage(sample, by="story"), top=8)
    _render(fig)
    ax = fig.axes[0]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert len(legend) == 9 and legend[-1] == "other"  # 8 largest groups + the rest
    assert UKRAINE in legend
    lo, hi = (mdates.num2date(x).date().isoformat() for x in ax.get_xlim())
    assert (lo, hi) == ("2023-12-26", "2024-01-15")
    assert ax.get_ylabel() == "articles per day"


def test_story_timeline_of_the_sample(sample):
    fig = nl.plot_story_timeline(sample, UKRAINE, summary_time="2024-01-03")
    _render(fig)
    ax = fig.axes[0]
    assert "7 articles, 6 outlets" in ax.get_title()
    assert ax.get_yticklabels()[0].get_text() == "Metro Wire"  # first mover on Dec 29
    assert sum(len(c.get_offsets()) for c in ax.collections) == 7


def test_outlet_story_matrix_of_the_sample(sample):
    fig = nl.plot_outlet_story_matrix(sample)
    _render(fig)
    image = fig.axes[0].images[0].get_array()
    assert image.shape == (6, 8)  # 6 outlets x 8 stories (stand-alones have no story)
    assert image.sum() == 52


def test_summary_support_of_a_sample_summary(sample):
    summ = nl.load_summaries().set_index("id").loc["ukraine-01-faithful"]
    r = nl.score_summary(summ.text, sample[sample.story == UKRAINE], published=summ.dateline)
    fig = nl.plot_summary_support(r)
    _render(fig)
    ax = fig.axes[0]
    assert len(ax.get_yticklabels()) == len(r.sentences)
    outlets = {t.get_text() for t in ax.get_xticklabels()}
    assert outlets and outlets <= set(sample["outlet"])
