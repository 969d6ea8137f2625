"""Shared text utilities: sentences, tokens, numbers and dates."""

import datetime as dt
import math

import pytest

from newslab.text import (
    find_dates,
    find_durations,
    find_numbers,
    split_sentences,
    tokenize,
    url_words,
)


def test_sentences_keep_abbreviations_and_paragraphs():
    text = "KYIV, Dec. 29 — Russia fired 122 missiles, Mr. Zelensky said. U.S. officials agreed.\n\nNew paragraph"
    assert split_sentences(text) == [
        "KYIV, Dec. 29 — Russia fired 122 missiles, Mr. Zelensky said.",
        "U.S. officials agreed.",
        "New paragraph",
    ]
    assert split_sentences("") == [] and split_sentences("   \n ") == []


def test_tokenize():
    assert tokenize("Belgorod's 25 dead") == ["belgorod's", "25", "dead"]
    assert tokenize("Belgorod", lower=False) == ["Belgorod"]


@pytest.mark.parametrize(
    "text, value, low, high, unit",
    [
        ("over 70 missiles", 70, 70, math.inf, "missiles"),
        ("Ukraine counted 122 missiles", 122, 122, 122, "missiles"),
        ("1.5 million people", 1.5e6, 1.5e6, 1.5e6, "people"),
        ("dozens of people were hurt", 24, 24, 99, "people"),
        ("at least 30 civilians", 30, 30, math.inf, "civilians"),
        ("nearly 100 drones", 100, 85, 100, "drones"),
        ("twenty-five children", 25, 25, 25, "children"),
        ("1,200 troops", 1200, 1200, 1200, "troops"),
        ("a 40% rise", 40, 40, 40, "%"),
        ("40 kilometres away", 40, 40, 40, "kilometres"),
    ],
)
def test_numbers(text, value, low, high, unit):
    (m,) = find_numbers(text)
    assert (m.value, m.low, m.high, m.unit) == (value, low, high, unit)
    assert text[m.start : m.end] == m.text


def test_numbers_skip_dates_years_and_times():
    assert find_numbers("On Dec. 31, 2023 at 6:45 p.m. and 2023-12-31") == []
    assert [m.value for m in find_numbers("in 2022, 14 people", include_years=True)] == [2022, 14]


def test_numbers_designations_and_short_money_scales():
    # "5G", "3D", "4K" name things; they are not 5 grams or 3 days
    assert find_numbers("A 5G network, a 3D printer and a 4K screen.") == []
    assert [(m.value, m.unit) for m in find_numbers("It weighs 5g.")] == [(5.0, "g")]
    money = find_numbers("a $4.5bn deal, a £4m fine and a $4K bonus")
    assert [(m.text, m.value, m.unit) for m in money] == [
        ("4.5bn", 4.5e9, "usd"),
        ("4m", 4e6, "gbp"),
        ("4K", 4e3, "usd"),
    ]


def test_number_compatibility():
    over = find_numbers("over 70")[0]
    assert over.compatible(122) and not over.compatible(70 - 1)
    exact = find_numbers("122")[0]
    assert exact.compatible(122) and not exact.compatible(121)


@pytest.mark.parametrize(
    "text, expected, explicit",
    [
        ("Dec. 31", dt.date(2023, 12, 31), False),
        ("December 31", dt.date(2023, 12, 31), False),
        ("31 December 2023", dt.date(2023, 12, 31), True),
        ("December 31, 2023", dt.date(2023, 12, 31), True),
        ("2023-12-31", dt.date(2023, 12, 31), True),
        ("31/12/2023", dt.date(2023, 12, 31), True),
        ("Jan 2", dt.date(2024, 1, 2), False),
    ],
)
def test_absolute_dates(text, expected, explicit):
    (m,) = find_dates(f"It happened on {text}.", reference="2024-01-03")
    assert m.kind == "absolute" and m.date == expected and m.year_explicit is explicit


def test_year_less_date_without_reference_is_unresolved():
    (m,) = find_dates("on Dec. 31")
    assert m.date is None and not m.year_explicit


@pytest.mark.parametrize(
    "text, expected",
    [
        ("yesterday", dt.date(2024, 1, 2)),
        ("on Saturday", dt.date(2023, 12, 30)),
        ("three days ago", dt.date(2023, 12, 31)),
        ("last week", dt.date(2023, 12, 27)),
        ("next year", dt.date(2025, 1, 1)),
        ("11 months ago", dt.date(2023, 2, 2)),
    ],
)
def test_relative_dates(text, expected):
    (m,) = find_dates(text, reference="2024-01-03")  # a Wednesday
    assert m.date == expected


def test_month_and_year_mentions():
    ms = find_dates("the February 2022 invasion, ahead of the 2023 elections")
    assert [(m.kind, m.date) for m in ms] == [
        ("month", dt.date(2022, 2, 1)),
        ("year", dt.date(2023, 1, 1)),
    ]


def test_durations():
    (d,) = find_durations("22 months after the invasion")
    assert (d.amount, d.unit) == (22, "month") and 660 < d.days < 680


def test_url_words_keep_accented_words_and_drop_ids():
    url = "https://www.example.fr/international/2024/01/02/s%C3%A9isme-au-japon_6208.html?x=1"
    assert url_words(url) == "international séisme au japon"
    assert url_words("https://a.example/Politics/H2EvwJSK2VE6OF7iK1g3PP/a1b2") == "politics"
    assert url_words("not a url") == "not a url" and url_words(3) == ""


# ------------------------------------------------------------------ session 9: false alarms on set b


def test_lower_case_may_is_a_date_where_the_verb_cannot_be():
    # lower-cased sources (Multi-News) write "on may 17"; "may 5 people" stays a verb
    assert [
        m.text for m in find_dates("offered at the evening sale on may 17, christie's said")
    ] == ["may 17"]
    assert [m.text for m in find_dates("the warhol sells may 17.")] == ["may 17"]
    assert find_dates("the storm may 5 people have died") == []
    assert [m.text for m in find_dates("It opens May 17 in Paris")] == ["May 17"]


def test_ascending_hyphen_range_gives_both_numbers_with_the_unit():
    found = find_numbers("the island sits in water perhaps 100-200 meters (328-656 feet) deep")
    assert [(m.value, m.unit) for m in found] == [
        (100.0, "meters"), (200.0, "meters"), (328.0, "feet"), (656.0, "feet")
    ]  # fmt: skip
    # scores, votes and dates are not ranges
    assert find_numbers("a 5-4 ruling and a 3-1 win") == []
    assert find_numbers("on 2024-01-02") == []
    assert find_numbers("from 2014-2016") == []


def test_a_pair_counts_two():
    assert [(m.value, m.unit) for m in find_numbers("a pair of picasso paintings")] == [
        (2.0, "picasso")
    ]
    assert find_numbers("he will repair it") == []
