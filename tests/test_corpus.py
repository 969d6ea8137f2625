"""The corpus table: typing, validation errors, round trips and atomic writes."""

import os

import pandas as pd
import pytest

import newslab as nl
from newslab.corpus import CorpusValidationError


def _records(n=3):
    return [
        {
            "url": f"https://outlet{i % 2}.example/2023/12/{20 + i}/story-{i}.html?utm_source=rss",
            "outlet": f"Outlet {i % 2}",
            "title": f"Headline {i}",
            "authors": ["Ana Writer", "Ben Reporter"][: i % 3],
            "published": f"2023-12-{20 + i}T10:00:00+02:00",
            "text": f"First paragraph {i}.\n\nSecond paragraph.",
            "language": "en",
            "fetched_at": "2024-01-15T00:00:00Z",
            "extractor": "test",
        }
        for i in range(n)
    ]


def test_to_corpus_types_and_canonical_ids():
    df = nl.to_corpus(_records())
    assert list(df.columns[:10]) == list(nl.corpus.REQUIRED_COLUMNS)
    assert str(df["published"].dtype) == "datetime64[ns, UTC]"
    assert df.loc[0, "published"] == pd.Timestamp("2023-12-20T08:00:00Z")
    assert df.loc[0, "url"] == "https://outlet0.example/2023/12/20/story-0.html"
    assert df.loc[0, "id"] == nl.make_id("https://outlet0.example/2023/12/20/story-0.html")
    assert df.loc[0, "authors"] == []
    assert df.loc[2, "authors"] == ["Ana Writer", "Ben Reporter"]


def test_outlet_defaults_to_host():
    df = nl.to_corpus([{"url": "https://www.news.example/a"}])
    assert df.loc[0, "outlet"] == "www.news.example"


@pytest.mark.parametrize("suffix", [".parquet", ".jsonl", ".jsonl.gz"])
def test_round_trip(tmp_path, suffix):
    df = nl.to_corpus(_records(5))
    df.loc[1, "published"] = pd.NaT
    df["story"] = ["a", "b", None, "a", "b"]
    path = nl.write_corpus(df, tmp_path / f"corpus{suffix}")
    back = nl.read_corpus(path)
    pd.testing.assert_frame_equal(back, df, check_dtype=False)
    assert str(back["published"].dtype) == "datetime64[ns, UTC]"
    assert pd.isna(back.loc[1, "published"])


def test_write_is_atomic_on_failure(tmp_path, monkeypatch):
    target = tmp_path / "corpus.parquet"
    good = nl.to_corpus(_records(2))
    nl.write_corpus(good, target)
    before = target.read_bytes()

    import pyarrow.parquet as pq

    def crash(table, where, **kw):
        with open(where, "wb") as fh:
            fh.write(b"half a file")
        raise OSError("disk full")

    monkeypatch.setattr(pq, "write_table", crash)
    with pytest.raises(OSError, match="disk full"):
        nl.write_corpus(nl.to_corpus(_records(4)), target)
    assert target.read_bytes() == before
    assert os.listdir(tmp_path) == ["corpus.parquet"], "temporary file left behind"


def test_validation_names_missing_columns():
    df = nl.to_corpus(_records()).drop(columns=["title", "published"])
    with pytest.raises(CorpusValidationError, match="missing column.*title, published"):
        nl.validate_corpus(df)


def test_validation_reports_every_bad_column_at_once():
    df = nl.to_corpus(_records())
    df["published"] = df["published"].dt.tz_localize(None)  # naive times
    df.loc[1, "authors"] = "Ana Writer"  # a string, not a list
    df.loc[2, "id"] = df.loc[0, "id"]  # duplicate id
    with pytest.raises(CorpusValidationError) as err:
        nl.validate_corpus(df)
    message = str(err.value)
    assert "'published'" in message and "UTC" in message
    assert "'authors'" in message and "rows 1" in message
    assert "'id'" in message
    assert len(err.value.failure_cases) >= 3


def test_read_corpus_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="nothing.parquet"):
        nl.read_corpus(tmp_path / "nothing.parquet")
    (tmp_path / "c.csv").write_text("url\n")
    with pytest.raises(ValueError, match="cannot tell the format"):
        nl.read_corpus(tmp_path / "c.csv")


def test_records_without_url_rejected():
    with pytest.raises(CorpusValidationError, match="'url'"):
        nl.to_corpus([{"title": "no url"}])


def test_corpus_summary():
    s = nl.corpus_summary(nl.to_corpus(_records(4)))
    assert s["articles"] == 4 and s["outlets"] == 2
    assert s["first"] == pd.Timestamp("2023-12-20T08:00:00Z")
    assert s["last"] == pd.Timestamp("2023-12-23T08:00:00Z")
