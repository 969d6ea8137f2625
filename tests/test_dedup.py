"""Near-duplicate flagging: syndicated copies point to their original, nothing is dropped."""

from __future__ import annotations

import random

import pandas as pd
import pytest

from newslab.dedup import DEFAULT_THRESHOLD, flag_near_duplicates, shingles

WORDS = (
    "port strike union dockers talks operators wages harbour ships cargo minister "
    "government court ruling police protest city council budget vote election "
    "storm flood rescue river bridge damage insurance farmers harvest prices"
).split()


def story(seed: int, n_words: int = 250) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) for _ in range(n_words))


def frame(texts: list[str], published: list[str] | None = None) -> pd.DataFrame:
    df = pd.DataFrame({"id": [f"id{i}" for i in range(len(texts))], "text": texts})
    if published is not None:
        df["published"] = pd.to_datetime(published, utc=True)
    return df


def test_syndicated_copy_points_to_earliest_original():
    wire = story(1)
    words = wire.split()
    edited = " ".join(
        ["LONDON", "(Agency)", "-"] + words[:200] + ["Reporting", "by", "A.", "N."] + words[210:]
    )
    df = frame(
        [edited, wire, story(2)],
        published=["2024-01-02T12:00Z", "2024-01-02T09:00Z", "2024-01-02T10:00Z"],
    )
    out = flag_near_duplicates(df)
    assert out["duplicate_of"].tolist() == ["id1", None, None]
    assert len(out) == 3 and "duplicate_of" not in df.columns  # a copy, nothing dropped


def test_different_stories_on_same_topic_not_flagged():
    df = frame([story(i) for i in range(20)])
    assert flag_near_duplicates(df)["duplicate_of"].isna().all()


def test_threshold_decides():
    wire = story(3).split()
    # keep ~60 % of the text: Jaccard of 3-shingles around 0.55
    trimmed = " ".join(wire[:150])
    df = frame([" ".join(wire), trimmed])
    assert flag_near_duplicates(df)["duplicate_of"].tolist() == [None, None]
    assert flag_near_duplicates(df, threshold=0.4)["duplicate_of"].tolist() == [None, "id0"]
    assert DEFAULT_THRESHOLD == 0.7


def test_groups_point_to_one_original_without_chains():
    base = story(4).split()
    copies = [" ".join(base[: 250 - k]) for k in (0, 5, 10, 15)]
    out = flag_near_duplicates(frame(copies))
    assert out["duplicate_of"].tolist() == [None, "id0", "id0", "id0"]


def test_short_and_missing_texts_never_flagged():
    df = frame(["breaking news now", "breaking news now", None, ""])
    assert flag_near_duplicates(df)["duplicate_of"].isna().all()


def test_order_without_dates_is_table_order_and_deterministic():
    wire = story(5)
    df = frame([wire, wire + " extra words here", story(6)])
    a = flag_near_duplicates(df)["duplicate_of"].tolist()
    assert a == [None, "id0", None]
    assert flag_near_duplicates(df)["duplicate_of"].tolist() == a


def test_bad_input_messages():
    with pytest.raises(KeyError, match="'text'"):
        flag_near_duplicates(pd.DataFrame({"id": ["a"]}))
    with pytest.raises(ValueError, match="threshold"):
        flag_near_duplicates(frame(["x"]), threshold=0)


def test_shingles():
    assert shingles("A b", 3) == {"a b"}
    assert shingles("", 3) == set()
