"""check_consistency: time inconsistencies, stale references and source dates."""

import pandas as pd
import pytest

from newslab.consistency import ConsistencyOptions, check_consistency, check_source_dates
from newslab.findings import FINDING_COLUMNS

JAN = "2024-01-02"  # a Tuesday


def kinds(text, published=JAN, **kw):
    return check_consistency(text, published=published, **kw).kind.tolist()


# ------------------------------------------------------------------ elapsed time


def test_elapsed_time_wrong_is_flagged_with_span():
    f = check_consistency(
        "Russia fired 122 missiles, 11 months after the February 2022 invasion.", published=JAN
    )
    assert list(f.columns) == FINDING_COLUMNS
    assert f.kind.tolist() == ["time_inconsistency"]
    row = f.iloc[0]
    assert row.span == "11 months after the February 2022 invasion"
    assert "about 23 months" in row.evidence
    assert row.severity == "high" and row.sentence == 0


def test_elapsed_time_right_is_not_flagged():
    assert kinds("Russia fired 122 missiles, 22 months after the February 2022 invasion.") == []
    assert kinds("Nearly two years after the February 2022 invasion, the war goes on.") == []


def test_elapsed_time_against_an_event_dated_elsewhere_in_the_text():
    ok = "The invasion began in February 2022. Now, 22 months after the invasion, it fired 122 missiles."
    bad = ok.replace("22 months", "11 months")
    assert kinds(ok) == []
    assert kinds(bad) == ["time_inconsistency"]


def test_elapsed_time_uses_the_sentence_date_before_the_dateline():
    # the sentence's own date (Dec. 29) is the "now", not the dateline
    assert kinds("On Dec. 29, 22 months after the February 2022 invasion, missiles hit Kyiv.") == []
    assert kinds("On Dec. 29, 11 months after the February 2022 invasion, missiles hit Kyiv.") == [
        "time_inconsistency"
    ]


def test_elapsed_time_narrating_the_past_is_not_read_as_now():
    assert kinds("Three days after the February 2022 invasion, Kyiv was nearly encircled.") == []


def test_n_days_later_between_two_dates():
    ok = "Russia struck on Dec. 29. Two days later, on Dec. 31, Ukraine hit Belgorod."
    assert kinds(ok) == [] and kinds(ok, published=None) == []
    f = check_consistency(ok.replace("Dec. 31", "Jan. 2"), published=JAN)
    assert f.span.tolist() == ["Two days later, on Jan. 2"] and "4 days apart" in f.evidence[0]
    # "later" without a second date says nothing checkable
    assert kinds("Russia struck on Dec. 29. Two weeks later, Ukraine hit back.") == []


def test_without_dateline_elapsed_time_is_not_guessed():
    assert kinds("It came 11 months after the February 2022 invasion.", published=None) == []


# ------------------------------------------------------------------ relative vs explicit


def test_last_week_against_an_absolute_date():
    assert kinds("Last week, on Dec. 29, Russia fired 122 missiles.") == []
    f = check_consistency("Last week, on Dec. 12, Russia fired 122 missiles.", published=JAN)
    assert f.kind.tolist() == ["time_inconsistency"]
    assert f.span.iloc[0] == "Last week, on Dec. 12"


def test_weekday_must_match_the_date():
    assert kinds("On Friday, Dec. 29, Russia fired 122 missiles.") == []
    f = check_consistency("On Saturday, Dec. 29, Russia fired 122 missiles.", published=JAN)
    assert f.kind.tolist() == ["time_inconsistency"] and "Friday" in f.evidence.iloc[0]
    # with an explicit year no dateline is needed
    assert kinds("On Saturday, December 29, 2023, missiles hit.", published=None) == [
        "time_inconsistency"
    ]


def test_ago_against_an_explicit_month():
    assert kinds("The war began 22 months ago, in February 2022.") == []
    assert kinds("The war began 11 months ago, in February 2022.") == ["time_inconsistency"]


def test_yesterday_and_last_year():
    assert kinds("Yesterday, Jan. 1, the city mourned.") == []
    assert kinds("Yesterday, Dec. 25, the city mourned.") == ["time_inconsistency"]
    assert kinds("Last year's 2023 floods were the worst.") == []
    assert kinds("Last year's 2022 floods were the worst.") == ["time_inconsistency"]


def test_relative_and_date_far_apart_are_not_paired():
    # "22 months ago" is not about Dec. 29: no adjacency, no finding
    assert kinds("On Dec. 29 Russia fired 122 missiles at cities it first hit 22 months ago.") == []


# ------------------------------------------------------------------ stale references


@pytest.mark.parametrize(
    "text",
    [
        "Ukraine is preparing ahead of the 2023 election.",
        "Kyiv will hold presidential elections in 2023.",
        "Parties campaign for next year's 2023 elections.",
        "The upcoming 2023 vote worries Brussels.",
    ],
)
def test_stale_reference_flagged(text):
    assert kinds(text, published="2024-03-01") == ["stale_reference"]


@pytest.mark.parametrize(
    "text",
    [
        "After the 2023 election, the party fell apart.",
        "The 2023 election was won by the opposition.",
        "Ukraine is preparing ahead of the 2024 election.",
        'In 2022 he said: "we will vote in 2023".',
        "Kyiv postponed the elections it had planned for 2023.",
    ],
)
def test_stale_reference_not_flagged(text):
    assert kinds(text, published="2024-03-01") == []


def test_stale_reference_span_and_month_granularity():
    f = check_consistency(
        "Ukraine is preparing ahead of the 2023 election.", published="2024-03-01"
    )
    assert f.span.iloc[0] == "ahead of the 2023 election"
    # a month that has not ended yet is not stale, one that has is
    assert kinds("Voters gather ahead of the March 2024 vote.", published="2024-03-10") == []
    assert kinds("Voters gather ahead of the January 2024 vote.", published="2024-03-10") == [
        "stale_reference"
    ]
    assert kinds("Ukraine is preparing ahead of the 2023 election.", published=None) == []


# ------------------------------------------------------------------ against sources


@pytest.fixture
def story():
    return pd.DataFrame(
        {
            "outlet": ["wire", "paper"],
            "published": ["2023-12-29T09:00:00Z", "2023-12-30T09:00:00Z"],
            "text": [
                "Russia fired 122 missiles and 36 drones at Ukrainian cities on Friday.",
                "The Dec. 29 barrage killed at least 39 people. Belgorod was shelled on Dec. 30.",
            ],
        }
    )


def test_source_date_contradiction(story):
    f = check_consistency(
        "Russia fired 122 missiles and 36 drones at Ukrainian cities on Dec. 28.",
        published=JAN,
        sources=story,
    )
    assert f.kind.tolist() == ["date"] and f.span.tolist() == ["Dec. 28"]
    assert "(Friday 29 December 2023)" in f.evidence.iloc[0]


def test_source_date_agreement_and_undated_events(story):
    ok = "Russia fired 122 missiles and 36 drones at Ukrainian cities on Dec. 29."
    assert kinds(ok, sources=story) == []
    # a day the sources give for another event is not flagged
    assert kinds("Schools in Lviv reopened on Dec. 30.", sources=story) == []
    # a day no source gives at all, for an event no source dates: medium, or off by option
    f = check_consistency("Schools in Lviv reopened on Dec. 20.", published=JAN, sources=story)
    assert f[["kind", "severity"]].values.tolist() == [["date", "medium"]]
    assert "no source gives" in f.evidence.iloc[0]
    lenient = ConsistencyOptions(flag_unsupported_dates=False)
    assert kinds("Schools in Lviv reopened on Dec. 20.", sources=story, options=lenient) == []


def test_source_dates_without_datelines_years_months_weekdays():
    story = pd.DataFrame(
        {
            "text": [
                "the band will play super bowl liii on feb. 3 in atlanta.",
                "levine told howard stern in 2015 that the band wanted to play.",
                "the girls attacked their classmate in may 2014 in the woods.",
                "police found the bodies on sunday in the apartment.",
            ]
        }
    )
    for ok in ("the band will play super bowl liii on feb. 3.",
               "levine told stern in 2015 the band wanted to play.",
               "the girls attacked their classmate in may 2014.",
               "police found the bodies on sunday."):  # fmt: skip
        assert kinds(ok, published=None, sources=story) == [], ok
    for bad, span in (
        ("the band will play super bowl liii on feb. 5.", "feb. 5"),
        ("levine told stern in 2017 the band wanted to play.", "2017"),
        ("the girls attacked their classmate in august 2014.", "august 2014"),
        ("police found the bodies on tuesday.", "tuesday"),
    ):
        f = check_consistency(bad, published=None, sources=story)
        assert f.kind.tolist() == ["date"] and f.span.tolist() == [span], bad
    # a year the sources give for something else is not flagged
    assert kinds("the band played in 2015 in atlanta.", published=None, sources=story) == []


def test_source_dates_need_similar_sentences(story):
    assert len(check_source_dates("Belgorod was shelled on Dec. 30.", story, published=JAN)) == 0
    f = check_source_dates("Belgorod was shelled on Dec. 31.", story, published=JAN)
    assert f.span.tolist() == ["Dec. 31"]
    # nothing counts as the same event, and unsupported dates are not flagged on their own
    strict = ConsistencyOptions(min_similarity=1.01, flag_unsupported_dates=False)
    assert len(check_source_dates("Belgorod was shelled on Dec. 31.", story, JAN, strict)) == 0


def test_day_given_for_another_figure_is_flagged():
    # every day below is given by some source, so only the figure told with it can tell
    story = pd.DataFrame(
        {
            "outlet": ["wire", "paper", "post"],
            "published": ["2024-01-02T09:00:00Z", "2024-01-04T09:00:00Z", "2024-01-06T09:00:00Z"],
            "text": [
                "At least 30 people were confirmed dead on January 2 after the quake.",
                "The death toll rose to 84 on Thursday, officials said.",
                "By January 6 the toll had reached 126.",
            ],
        }
    )
    ok = "The death toll climbed from 30 on January 2 to 126 on January 6."
    assert kinds(ok, published="2024-01-10", sources=story) == []
    assert kinds("The toll rose to 84 on January 4.", published="2024-01-10", sources=story) == []
    bad = "The death toll climbed from 30 on January 4 to 126 on January 6."
    f = check_source_dates(bad, story, published="2024-01-10")
    assert f.span.tolist() == ["January 4"] and f.severity.tolist() == ["high"]
    assert "'30'" in f.evidence.iloc[0] and "2 January" in f.evidence.iloc[0]
    # the day of another figure (or a figure no source dates) is left alone
    assert kinds("Schools reopened with 12 teachers on January 4.", sources=story) == []
    off = ConsistencyOptions(bound_words=0)
    assert len(check_source_dates(bad, story, published="2024-01-10", options=off)) == 0


def test_bad_input():
    assert check_consistency("", published=JAN).empty
    assert list(check_consistency("   ").columns) == FINDING_COLUMNS
    with pytest.raises(TypeError, match="string"):
        check_consistency(None)
    with pytest.raises(ValueError, match="'text' column"):
        check_consistency("On Dec. 28 it rained.", JAN, sources=pd.DataFrame({"x": [1]}))


def test_missing_dateline_values_are_ignored():
    # NaT (an undated source, a missing dateline) means "no reference", not a crash
    from newslab.text import find_dates

    assert find_dates("on Friday", reference=pd.NaT)[0].date is None
    story = pd.DataFrame(
        {"text": ["Russia fired 122 missiles on Friday, Dec. 29."], "published": [pd.NaT]}
    )
    assert kinds("Russia fired 122 missiles on Friday.", published=pd.NaT, sources=story) == []


def test_month_checked_against_sources_dated_by_year_only():
    src = pd.DataFrame(
        {"text": ["Since 1996, Alexa Internet has donated crawl data to the archive."]}
    )
    assert len(check_source_dates("Crawl data have been donated since 1996.", src)) == 0
    f = check_source_dates("Crawl data have been donated since July 1996.", src)
    assert f.kind.tolist() == ["date"] and f.span.tolist() == ["July 1996"]


def test_elapsed_time_from_a_yearless_date_without_dateline_does_not_crash():
    # "Jan 13" cannot be placed in a year without a dateline: nothing to check, no error
    found = check_consistency("Nauru cut ties just two days after the Jan 13 election.")
    assert found.empty
