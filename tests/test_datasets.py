"""Benchmark loaders: tidy columns, the clustering protocol, the extraction metric.

Most tests build a tiny benchmark root in ``tmp_path`` so the loaders are checked
without the shared data; the ``TestSharedData`` tests read the real sets (skipped,
with the reason, when ``../shared/benchmarks`` is absent).
"""

from __future__ import annotations

import gzip
import json

import pandas as pd
import pytest

from newslab.datasets import (
    extraction_scores,
    insight_judgements,
    load_extraction_benchmark,
    load_news_aggregator,
    load_summaries_benchmark,
    published_figures,
    scoring_inputs,
    sources_table,
)
from newslab.paths import BenchmarkDataMissing
from tests._bench import requires_benchmark


def _item(i: int, story: str, ts: str, cat: str = "b") -> dict:
    return {
        "id": str(i),
        "title": f"headline {i}",
        "text": None,
        "published": ts,
        "outlet": None if i == 3 else f"Outlet {i % 2}",
        "url": f"http://o{i}.example/a",
        "story": story,
        "lang": "en",
        "host": f"o{i}.example",
        "category": cat,
    }


@pytest.fixture
def fake_root(tmp_path):
    clus = tmp_path / "clustering"
    clus.mkdir()
    items = [
        _item(1, "s1", "2014-03-10T16:52:50.698Z"),
        _item(2, "s1", "2014-03-10T16:52:51.207Z"),
        _item(3, "s2", "2014-03-10T23:59:59.999Z", "e"),
        _item(4, "s3", "2014-03-11T00:00:00.001Z", "m"),
        _item(5, "s3", "2014-03-11T05:00:00.000Z", "t"),
    ]
    items[1]["url"] = "http://o2.example/a\\?track=rss"  # escaped as in the release
    with gzip.open(clus / "stories.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.writelines(json.dumps(it) + "\n" for it in items)

    ext = tmp_path / "extraction"
    (ext / "html").mkdir(parents=True)
    truth = {
        "bb": {"articleBody": "Second page body.", "url": "https://b.example/2"},
        "aa": {"articleBody": "First page body text.", "url": "https://a.example/1"},
    }
    (ext / "ground-truth.json").write_text(json.dumps(truth), encoding="utf-8")
    for key in truth:
        html = f"<html><body><p>{truth[key]['articleBody']} café</p></body></html>"
        (ext / "html" / f"{key}.html.gz").write_bytes(gzip.compress(html.encode("utf-8")))

    summ = tmp_path / "summaries"
    summ.mkdir()
    sources = [{"id": "s0", "position": 0, "title": None, "date": None, "outlet": None,
                "text": "A quake hit the town."}]  # fmt: skip
    dv = {"id": "diversumm-multinews-00", "dataset": "diversumm-multinews", "query": None,
          "sources": sources, "references": [],
          "summaries": [{"system": "gpt3", "text": "A quake.", "human": {"faithful": 0},
                         "extra": {}},
                        {"system": "unisumm", "text": "A quake hit.", "human": {"faithful": 1},
                         "extra": {}}]}  # fmt: skip
    (summ / "diversumm_multinews.jsonl").write_text(json.dumps(dv) + "\n", encoding="utf-8")
    return tmp_path


def test_news_aggregator_protocol_floors_days_and_shuffles(fake_root):
    raw = load_news_aggregator(root=fake_root, protocol=False)
    assert raw["id"].tolist() == ["1", "2", "3", "4", "5"]  # file order kept
    assert raw.loc[0, "published"] == pd.Timestamp("2014-03-10 16:52:50.698", tz="UTC")

    df = load_news_aggregator(root=fake_root, seed=1)
    assert str(df["published"].dtype) == "datetime64[ns, UTC]"
    by_id = df.set_index("id")["published"]
    # 23:59:59.999 stays on the 10th, 00:00:00.001 lands on the 11th
    assert by_id["3"] == pd.Timestamp("2014-03-10", tz="UTC")
    assert by_id["4"] == by_id["5"] == pd.Timestamp("2014-03-11", tz="UTC")
    assert sorted(df["id"]) == ["1", "2", "3", "4", "5"]
    orders = {tuple(load_news_aggregator(root=fake_root, seed=s)["id"]) for s in range(6)}
    assert len(orders) > 1  # the seed changes the order...
    assert tuple(load_news_aggregator(root=fake_root, seed=1)["id"]) == tuple(
        df["id"]
    )  # ...only it


def test_news_aggregator_columns_and_labels(fake_root):
    df = load_news_aggregator(root=fake_root, protocol=False)
    assert list(df.columns) == [
        "id", "url", "outlet", "title", "text", "published", "language", "host", "category",
        "story",
    ]  # fmt: skip
    assert df["category"].tolist() == [
        "business", "business", "entertainment", "health", "science and technology",
    ]  # fmt: skip
    assert df["story"].tolist() == ["s1", "s1", "s2", "s3", "s3"]
    assert df["text"].isna().all() and df.loc[2, "outlet"] is None
    assert df["language"].eq("en").all()
    assert df.loc[1, "url"] == "http://o2.example/a?track=rss"


def test_news_aggregator_nrows_takes_the_earliest(fake_root):
    df = load_news_aggregator(root=fake_root, nrows=2)
    assert sorted(df["id"]) == ["1", "2"]
    with pytest.raises(ValueError, match="nrows"):
        load_news_aggregator(root=fake_root, nrows=0)


def test_missing_data_names_where_it_looked(tmp_path):
    with pytest.raises(BenchmarkDataMissing, match=str(tmp_path / "clustering")):
        load_news_aggregator(root=tmp_path)
    with pytest.raises(BenchmarkDataMissing, match="extraction"):
        load_extraction_benchmark(root=tmp_path)
    with pytest.raises(BenchmarkDataMissing, match="summaries"):
        load_summaries_benchmark("diversumm", root=tmp_path)


def test_extraction_benchmark_decodes_pages(fake_root):
    pages = load_extraction_benchmark(root=fake_root)
    assert pages["id"].tolist() == ["aa", "bb"]  # sorted by id
    assert list(pages.columns) == ["id", "url", "html", "truth"]
    assert "café" in pages.loc[0, "html"] and pages.loc[0, "url"] == "https://a.example/1"
    assert pages.loc[1, "truth"] == "Second page body."
    assert load_extraction_benchmark(root=fake_root, limit=1)["id"].tolist() == ["aa"]
    (fake_root / "extraction" / "html" / "bb.html.gz").unlink()
    with pytest.raises(FileNotFoundError, match="bb"):
        load_extraction_benchmark(root=fake_root)


def test_extraction_scores_follow_the_protocol():
    truth = "The quick brown fox jumps over the lazy dog"  # 9 tokens, 6 shingles
    perfect = extraction_scores([truth], ["The quick, brown fox jumps over the lazy dog!"])
    assert perfect == {"f1": 1.0, "precision": 1.0, "recall": 1.0, "accuracy": 1.0, "n": 1}
    # case is kept: "the" != "The", so the first shingle is missed
    half = extraction_scores([truth], ["the quick brown fox jumps over the lazy dog"])
    assert half["recall"] == pytest.approx(5 / 6) and half["accuracy"] == 0.0
    # an empty prediction counts 0 toward recall and is left out of precision
    two = extraction_scores([truth, truth], [truth, None])
    assert two["precision"] == 1.0 and two["recall"] == 0.5
    assert two["f1"] == pytest.approx(2 * 0.5 / 1.5)  # harmonic mean of corpus P and R
    # 1 to 3 tokens make a single shingle
    assert extraction_scores(["Hello world"], ["Hello world"])["f1"] == 1.0
    assert extraction_scores(["Hello world"], ["Hello"])["recall"] == 0.0
    with pytest.raises(ValueError, match="2 truths but 1"):
        extraction_scores(["a", "b"], ["a"])


def test_summaries_benchmark_one_row_per_summary(fake_root):
    df = load_summaries_benchmark("diversumm", root=fake_root)
    assert df["id"].tolist() == ["diversumm-multinews-00/gpt3", "diversumm-multinews-00/unisumm"]
    assert df["faithful"].tolist() == [0, 1]
    assert df["summary"].tolist() == ["A quake.", "A quake hit."]
    assert df.loc[0, "sources"] is df.loc[1, "sources"]  # shared, not copied
    same = load_summaries_benchmark("diversumm_multinews.jsonl", root=fake_root)
    assert same["id"].tolist() == df["id"].tolist()
    with pytest.raises(ValueError, match="unknown summaries set 'cnn'"):
        load_summaries_benchmark("cnn", root=fake_root)


def test_sources_table_is_corpus_like():
    t = sources_table(
        [
            {"id": "x", "position": 0, "text": "One.", "outlet": "Wire", "date": "2024-01-02"},
            {"id": "y", "position": 1, "text": None, "outlet": None, "date": None},
        ],
        item="it-1",
    )
    assert t["outlet"].tolist() == ["Wire", "source 1"]
    assert t["url"].tolist() == ["benchmark://it-1/x", "benchmark://it-1/y"]
    assert t["text"].tolist() == ["One.", ""]
    assert str(t["published"].dtype) == "datetime64[ns, UTC]"
    assert t["published"].isna().tolist() == [False, True]


def test_scoring_inputs_index_each_item_once(fake_root):
    bench = load_summaries_benchmark("diversumm", root=fake_root)
    summaries, corpus = scoring_inputs(bench)
    assert summaries.columns.tolist() == ["id", "story", "text"]
    assert summaries["story"].tolist() == ["diversumm-multinews-00"] * 2
    assert len(corpus) == 1  # the item's single source, not once per summary
    assert corpus.loc[0, "story"] == "diversumm-multinews-00"
    assert corpus.loc[0, "text"] == "A quake hit the town."
    with pytest.raises(ValueError, match="sources"):
        scoring_inputs(bench.drop(columns="sources"))


def test_insight_judgements_pair_human_newslab_and_judges():
    judge = {"coverage": [{"insight_id": "i1", "label": "partial"}]}  # says nothing on i2
    bench = pd.DataFrame(
        {
            "id": ["q/s"],
            "summary": ["- Sales rose 4.2% in Q4.\n- The CEO resigned."],
            "references": [
                [
                    {"id": "i1", "text": "Q4 sales rose 4.2%"},
                    {"id": "i2", "text": "The dividend was cut to $0.40"},
                    {"id": "i3", "text": "not judged by the annotators"},
                ]
            ],
            "coverage": [
                [{"insight_id": "i1", "label": "full"}, {"insight_id": "i2", "label": "none"}]
            ],
            "extra": [{"llm_judges": {"j1": judge}}],
        }
    )
    t = insight_judgements(bench)
    assert t["key"].tolist() == ["q/s#i1", "q/s#i2"]  # only insights people judged
    assert t["human"].tolist() == [1.0, 0.0]
    assert t["newslab"].tolist() == [1.0, 0.0]
    assert t.loc[0, "j1"] == 0.5 and pd.isna(t.loc[1, "j1"])
    assert "j1" not in insight_judgements(bench, judges=False)
    with pytest.raises(ValueError, match="coverage"):
        insight_judgements(bench.drop(columns="coverage"))


def test_published_figures_name_their_source():
    for name, column in [
        ("extraction", "f1"),
        ("diversumm", "auc"),
        ("summhay", "pearson_insight"),
    ]:
        table = published_figures(name)
        assert len(table) >= 5 and table[column].between(0, 1).all()
        assert table["source"].str.contains("README").all()
    assert (
        published_figures("extraction").set_index("system").loc["trafilatura 2.0.0", "f1"] == 0.963
    )
    with pytest.raises(ValueError, match="no published figures for 'cnn'"):
        published_figures("cnn")


@requires_benchmark("clustering")
def test_shared_news_aggregator_slice():
    df = load_news_aggregator(nrows=3000)
    assert len(df) == 3000 and df["id"].is_unique
    assert (df["published"] == df["published"].dt.floor("D")).all()
    assert set(df["category"]) <= {"business", "entertainment", "health", "science and technology"}
    assert df["story"].notna().all() and df["title"].notna().all()
    # each story has exactly one category (README)
    assert df.groupby("story")["category"].nunique().max() == 1


@requires_benchmark("extraction")
def test_shared_extraction_benchmark():
    pages = load_extraction_benchmark()
    assert len(pages) == 91 and pages["id"].is_unique
    assert pages["html"].str.contains("<", regex=False).all()
    assert (pages["truth"].str.len() >= 369).all()  # README: 369 to 20,477 characters


@requires_benchmark("summaries")
def test_shared_summaries_benchmark():
    dv = load_summaries_benchmark("diversumm")
    assert len(dv) == 45 and dv["id"].is_unique and int(dv["faithful"].sum()) == 2
    sh = load_summaries_benchmark("summhay")
    assert len(sh) == 48 and sh["id"].is_unique
    assert sh["coverage_score"].between(0, 100).all()
    assert sh["sources"].map(len).eq(100).all()
    assert len(sources_table(sh.loc[0, "sources"], sh.loc[0, "item"])) == 100


@requires_benchmark("summaries")
def test_shared_summhay_judges_reproduce_the_readme():
    t = insight_judgements(load_summaries_benchmark("summhay"))
    assert len(t) == 413  # README: 413 insight-level human judgements
    # README, "Figures for this copy": insight-level Pearson of two released judges
    assert round(t["human"].corr(t["gemini-1.5-pro"]), 3) == 0.744
    assert round(t["human"].corr(t["claude-3-haiku"]), 3) == 0.326
