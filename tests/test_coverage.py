"""Coverage tables: gaps are zeros, shares add up, undated rows are counted, tz honoured."""

import pandas as pd
import pytest

import newslab as nl


@pytest.fixture
def corpus():
    return pd.DataFrame(
        {
            "published": pd.to_datetime(
                [
                    "2024-01-01 10:00",
                    "2024-01-01 23:30",
                    "2024-01-04 08:00",
                    "2024-01-04 09:00",
                    None,
                ],
                utc=True,
            ),
            "story": ["quake", "crash", "quake", None, "quake"],
            "outlet": ["A", "A", "B", "C", "A"],
            "date_source": ["json-ld", "fetch", "meta", "meta", None],
        }
    )


def test_gaps_are_zero_and_shares_add_up(corpus):
    c = nl.coverage(corpus, freq="D", by="story")
    days = sorted(c["period"].dt.strftime("%m-%d").unique())
    assert days == ["01-01", "01-02", "01-03", "01-04"]
    quake = c[c["story"] == "quake"].set_index(c[c["story"] == "quake"]["period"].dt.day)
    assert quake["articles"].to_dict() == {1: 1, 2: 0, 3: 0, 4: 1}
    per_day = c.groupby("period")["share"].sum()
    assert per_day[per_day > 0].round(9).eq(1.0).all()
    assert c.attrs["undated"] == 1
    assert c.attrs["unassigned"] == 1
    assert "(no story)" in set(c["story"])


def test_drop_unassigned_and_relative_to_peak(corpus):
    c = nl.coverage(corpus, by="story", unassigned=None)
    assert "(no story)" not in set(c["story"]) and c.attrs["unassigned"] == 1
    assert c.groupby("story")["relative_to_peak"].max().eq(1.0).all()


def test_display_timezone_moves_day_boundaries(corpus):
    utc = nl.coverage(corpus, by=None)
    tokyo = nl.coverage(corpus, by=None, tz="Asia/Tokyo")
    assert utc.loc[utc["period"].dt.day == 1, "articles"].item() == 2
    # 23:30 UTC on Jan 1 is Jan 2 in Tokyo
    assert tokyo.loc[tokyo["period"].dt.day == 2, "articles"].item() == 1
    assert str(tokyo["period"].dt.tz) == "Asia/Tokyo"


def test_fetch_dated_counted_and_outlets(corpus):
    c = nl.coverage(corpus, by="outlet")
    assert c["fetch_dated"].sum() == 1
    day4 = nl.coverage(corpus, by=None)
    assert day4.loc[day4["period"].dt.day == 4, "outlets"].item() == 2


def test_missing_column_named(corpus):
    with pytest.raises(ValueError, match="'story'"):
        nl.coverage(corpus.drop(columns="story"), by="story")
