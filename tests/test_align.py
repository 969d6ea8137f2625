"""Sentence alignment: labels, evidence, tokenisation helpers."""

import pandas as pd
import pytest

from newslab.align import (
    ALIGN_COLUMNS,
    AlignOptions,
    SourceIndex,
    align_summary,
    content_tokens,
    find_names,
    find_quotes,
    segment,
)

STORY = pd.DataFrame(
    {
        "url": ["https://a.example/1", "https://b.example/2"],
        "outlet": ["Metro Wire", "Globe Dispatch"],
        "title": ["Quake hits Japan", "Tsunami warning lifted"],
        "published": ["2024-01-01T09:00Z", "2024-01-02T09:00Z"],
        "text": [
            "A magnitude 7.6 earthquake struck the Noto peninsula on Monday. "
            "At least 30 people were killed in Ishikawa prefecture.\n\n"
            "A fire razed the area around the Wajima morning market.",
            "Japan lifted its tsunami warning on Tuesday. Rescuers searched collapsed houses "
            "in Suzu as aftershocks continued.",
        ],
    }
)


@pytest.fixture(scope="module")
def index():
    return SourceIndex(STORY)


def test_index_sentences_keep_article_metadata(index):
    sents = index.sentences
    assert {"doc", "outlet", "url", "published", "text", "is_title"} <= set(sents.columns)
    assert sents.is_title.sum() == 2
    fire = sents[sents.text.str.startswith("A fire")].iloc[0]
    assert fire.outlet == "Metro Wire" and fire.url == "https://a.example/1"
    assert STORY.text[0][fire.start : fire.end] == fire.text


def test_labels_supported_partial_unsupported(index):
    t = index.align(
        [
            "At least 30 people were killed in Ishikawa prefecture.",
            "At least 30 people died when a volcano erupted in Ishikawa.",
            "The stock market in New York rallied on bank earnings.",
        ]
    )
    assert list(t.columns) == ALIGN_COLUMNS
    assert t.label.tolist() == ["supported", "partial", "unsupported"]
    assert t.score.is_monotonic_decreasing
    top = t.evidence[0][0]
    assert top["outlet"] == "Metro Wire" and "Ishikawa" in top["text"]
    assert set(top) >= {"outlet", "url", "text", "score"}
    assert t.loc[0, "source_text"] == top["text"] and t.loc[0, "url"] == top["url"]


def test_fusion_sentence_uses_several_evidence_sentences(index):
    t = index.align(["Japan lifted its tsunami warning as rescuers searched houses in Suzu."])
    assert t.label[0] == "supported"
    assert len(t.evidence[0]) >= 2


def test_changed_fact_lowers_support(index):
    base = "A magnitude 7.6 earthquake struck the Noto peninsula on Monday."
    variants = [
        base.replace("7.6", "8.1"),
        base.replace("Noto", "Boso"),
        base.replace("struck", "did not strike"),
    ]
    scores = index.align([base, *variants]).score.tolist()
    assert all(s < scores[0] for s in scores[1:])


def test_numbers_and_names_matched(index):
    t = index.align(["At least 30 people were killed in Ishikawa prefecture."])
    assert t.numbers_matched[0] == 1.0 and t.names_matched[0] == 1.0


def test_options_change_labels(index):
    strict = SourceIndex(STORY, AlignOptions(supported=0.99, partial=0.98))
    assert strict.align(["Rescuers searched houses in Suzu."]).label[0] == "unsupported"


def test_empty_sources_raise():
    with pytest.raises(ValueError, match="no text"):
        SourceIndex(pd.DataFrame({"text": ["", None]}))
    with pytest.raises(ValueError, match="'text' column"):
        SourceIndex(pd.DataFrame({"body": ["x"]}))


def test_helpers():
    assert content_tokens("The missiles weren't intercepted") == ["missil", "not", "intercept"]
    assert [
        n for _, _, n in find_names("After the quake, Prime Minister Fumio Kishida spoke.")
    ] == ["Prime Minister Fumio Kishida"]
    assert find_names("all lower case text, no names") == []
    assert [q for _, _, q in find_quotes('He said "it is over" and ‘we will rebuild it all’.')] == [
        "it is over",
        "we will rebuild it all",
    ]
    # apostrophes are not quotes
    assert find_quotes("Japan's prime minister and the region's governor") == []
    spans = segment("- First point. Second one.\n\n* Third")
    assert [s for _, _, s in spans] == ["- First point.", "Second one.", "* Third"]
    text = "- First point. Second one.\n\n* Third"
    assert all(text[a:b] == s for a, b, s in spans)


def test_align_summary_convenience():
    t = align_summary("A fire razed the area around the market.\nJapan lifted the warning.", STORY)
    assert len(t) == 2 and t.start.tolist()[0] == 0
