"""Baseline extractive summaries."""

import pandas as pd
import pytest

from newslab.summaries import METHODS, SummarizeOptions, summarize, summarize_detailed
from newslab.text import split_sentences


@pytest.fixture
def story():
    return pd.DataFrame(
        {
            "outlet": ["wire", "paper", "daily"],
            "url": ["https://w/1", "https://p/2", "https://d/3"],
            "published": pd.to_datetime(
                ["2023-12-29T10:00Z", "2023-12-29T08:00Z", "2023-12-30T08:00Z"], utc=True
            ),
            "text": [
                "Russia fired 122 missiles and 36 drones at Ukrainian cities on Friday. "
                "Air defences shot down 87 of the missiles, the air force said. "
                "At least 30 people were killed across the country.",
                "Russia launched its largest air attack of the war on Ukraine early on Friday. "
                "The barrage of 122 missiles hit Kyiv, Lviv, Odesa and Kharkiv. "
                "A maternity hospital in Dnipro was damaged by the strikes.",
                "The death toll from the Russian missile barrage rose to 39 on Saturday. "
                "Ukraine's president called for more air defence systems from allies. "
                "Rescuers searched the rubble of a warehouse in Kyiv overnight.",
            ],
        }
    )


def _source_sentences(story):
    return {s for t in story.text for s in split_sentences(t)}


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("max_words", [15, 40, 150])
def test_methods_respect_budget_and_copy_source_sentences(story, method, max_words):
    text = summarize(story, method=method, max_words=max_words)
    assert 0 < len(text.split()) <= max_words
    sources = _source_sentences(story)
    assert all(s in sources for s in split_sentences(text))


@pytest.mark.parametrize("method", METHODS)
def test_detailed_has_provenance(story, method):
    d = summarize_detailed(story, method=method, max_words=60)
    assert {"sentence", "score", "outlet", "url", "article", "position"} <= set(d.columns)
    for _, row in d.iterrows():
        assert row.sentence in story.text.iloc[row.article]
        assert row.outlet == story.outlet.iloc[row.article]
    assert d.words.sum() <= 60
    assert sorted(d["rank"]) == list(range(1, len(d) + 1))


def test_lead_takes_the_earliest_article(story):
    d = summarize_detailed(story, "lead", max_words=30)
    assert set(d.outlet) == {"paper"} and d.position.tolist() == [0, 1]


def test_centroid_and_textrank_skip_redundant_sentences():
    dup = "Russia fired 122 missiles at Ukrainian cities on Friday morning."
    story = pd.DataFrame(
        {
            "text": [
                dup,
                dup.replace("Friday morning", "Friday"),
                "Rescuers searched the rubble overnight.",
            ]
        }
    )
    for method in ("centroid", "textrank", "mmr"):
        text = summarize(story, method, max_words=100, options=SummarizeOptions(redundancy=0.5))
        assert text.count("122 missiles") == 1, method


def test_textrank_prefers_the_central_sentence():
    story = pd.DataFrame(
        {
            "text": [
                "Russia fired missiles at Kyiv on Friday night.",
                "Missiles fired by Russia hit Kyiv and Lviv on Friday.",
                "Russia fired more missiles at Kyiv, Lviv and Odesa.",
                "A local football club postponed its weekend match.",
            ]
        }
    )
    d = summarize_detailed(story, "textrank", max_words=11)
    assert "football" not in " ".join(d.sentence)


def test_too_small_budget_truncates_the_best_sentence(story):
    d = summarize_detailed(story, "centroid", max_words=3)
    assert d.attrs["truncated"] and len(d) == 1 and d.words.iloc[0] == 3


def test_errors(story):
    with pytest.raises(ValueError, match="empty story"):
        summarize(story.iloc[:0])
    with pytest.raises(ValueError, match="no article of the story has any text"):
        summarize(story.assign(text=["", None, "  "]))
    with pytest.raises(ValueError, match="no 'text' column"):
        summarize(story.drop(columns="text"))
    with pytest.raises(ValueError, match="unknown method 'best'"):
        summarize(story, method="best")
    with pytest.raises(ValueError, match="max_words"):
        summarize(story, max_words=0)


def test_wire_datelines_are_not_copied_into_summaries():
    story = pd.DataFrame(
        {
            "url": ["https://wire.example/1"],
            "outlet": ["Wire"],
            "published": pd.to_datetime(["2023-12-29T08:00:00Z"]),
            "text": [
                "KYIV, Dec 29 (Metro Wire) - Russia launched a large missile attack on Ukrainian "
                "cities on Friday, officials said. Air defences shot down most of the drones."
            ],
        }
    )
    lead = summarize(story, method="lead", max_words=40)
    assert lead.startswith("Russia launched a large missile attack")
    kept = summarize(
        story, method="lead", max_words=40, options=SummarizeOptions(strip_datelines=False)
    )
    assert kept.startswith("KYIV, Dec 29 (Metro Wire) -")
