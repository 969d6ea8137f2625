"""FactCC-style corrupted copies."""

import difflib

import pandas as pd
import pytest

from newslab.perturbation import PERTURB_COLUMNS, PERTURBATION_KINDS, _entities, _type_of, perturb
from newslab.text import find_dates, find_numbers

SOURCES = pd.DataFrame(
    {
        "text": [
            "Russia fired 122 missiles and 36 drones at Ukraine on Dec. 29, 2023, the air force "
            "said. President Volodymyr Zelensky said Russia had used nearly every weapon in its "
            "arsenal. Air force commander Mykola Oleshchuk said: “We have not seen an attack on "
            "this scale from the air since the first days of the full-scale invasion.”",
            "At least 30 people were killed in Kyiv, Lviv, Odesa and Kharkiv. Mayor Vitali "
            "Klitschko said rescuers were searching the rubble of a warehouse in Kyiv. The "
            "attack came 22 months after the February 2022 invasion. Officials in Dnipro "
            "said a maternity hospital was hit.",
        ]
    }
)
SUMMARY = (
    "Russia fired 122 missiles at Ukraine on Dec. 29, 2023, 22 months after the February 2022 "
    "invasion. At least 30 people were killed in Kyiv and Lviv, where Mayor Vitali Klitschko said "
    "rescuers were searching a warehouse. “We have not seen an attack on this scale from the air "
    "since the first days of the full-scale invasion,” said Mykola Oleshchuk."
)


def _changed_regions(a, b):
    ops = difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
    return [op for op in ops if op[0] != "equal"]


@pytest.fixture(scope="module")
def copies():
    return perturb(SUMMARY, SOURCES, seed=0)


def test_every_kind_once_and_one_change_each(copies):
    assert list(copies.columns) == PERTURB_COLUMNS
    assert copies.kind.tolist() == list(PERTURBATION_KINDS)
    assert copies.attrs["skipped"] == {}
    for _, row in copies.iterrows():
        assert row.text != SUMMARY
        assert SUMMARY[row.start : row.end] == row.original
        assert row.text == SUMMARY[: row.start] + row.replacement + SUMMARY[row.end :]
        # everything outside the one changed span is untouched
        assert row.text[: row.start] == SUMMARY[: row.start]
        assert row.text[row.start + len(row.replacement) :] == SUMMARY[row.end :]


def test_numbers_go_to_values_no_source_gives(copies):
    row = copies.set_index("kind").loc["number"]
    source_values = {m.value for t in SOURCES.text for m in find_numbers(t)}
    new = {m.value for m in find_numbers(row.text)} - {m.value for m in find_numbers(SUMMARY)}
    assert new and not new & source_values


def test_dates_move_to_a_day_no_source_gives(copies):
    row = copies.set_index("kind").loc["date"]
    src = {m.date for t in SOURCES.text for m in find_dates(t)}
    new = {m.date for m in find_dates(row.text)} - {m.date for m in find_dates(SUMMARY)}
    assert new and not new & src


def test_entity_swaps_a_name_from_the_sources(copies):
    row = copies.set_index("kind").loc["entity"]
    assert row.replacement in " ".join(SOURCES.text) and row.replacement not in SUMMARY
    assert row.original[0].isupper() and row.replacement[0].isupper()


def test_quote_changes_the_quote_or_its_speaker():
    details = set()
    for seed in range(6):
        row = perturb(SUMMARY, SOURCES, kinds=["quote"], seed=seed).iloc[0]
        if row.detail.startswith("speaker"):
            assert (
                row.original == "Mykola Oleshchuk"
                and row.replacement in SOURCES.text[0] + SOURCES.text[1]
            )
        else:
            assert row.original.startswith("We have not seen")
            changed = _changed_regions(row.original.split(), row.replacement.split())
            assert 1 <= sum(max(op[2] - op[1], op[4] - op[3]) for op in changed) <= 2
        details.add(row.detail.split()[0])
    assert details == {"speaker", "quote"}


def test_negation_flips_polarity():
    out = perturb("The plant was damaged in the attack.", SOURCES, kinds=["negation"])
    assert out.text.iloc[0] == "The plant was not damaged in the attack."
    out = perturb("Russia did not use drones in the attack.", SOURCES, kinds=["negation"])
    assert out.text.iloc[0] == "Russia did use drones in the attack."
    out = perturb("Kyiv wasn't hit.", SOURCES, kinds=["negation"])
    assert out.text.iloc[0] == "Kyiv was hit."


def test_deterministic_by_seed():
    a = perturb(SUMMARY, SOURCES, seed=7)
    pd.testing.assert_frame_equal(a, perturb(SUMMARY, SOURCES, seed=7))
    others = [perturb(SUMMARY, SOURCES, seed=s) for s in range(1, 6)]
    assert any(not o.text.equals(a.text) for o in others)
    # asking for fewer kinds does not change the copies of the others
    only = perturb(SUMMARY, SOURCES, kinds=["date"], seed=7)
    assert only.text.iloc[0] == a.set_index("kind").loc["date", "text"]


def test_impossible_kinds_are_skipped_with_a_reason():
    out = perturb("Rescuers searched the rubble overnight.", SOURCES)
    assert set(out.attrs["skipped"]) >= {"number", "quote", "date"}
    assert out.attrs["skipped"]["number"] == "no number in the summary"
    assert set(out.kind) | set(out.attrs["skipped"]) == set(PERTURBATION_KINDS)


def test_lowercase_text_entities():
    src = pd.DataFrame(
        {
            "text": [
                "police say benjamin ullestad, 25, and sheriff john miller found it in "
                "huntington beach, california. a neighbor, anna lee, said she heard shots."
            ]
        }
    )
    pool = perturb.__globals__["_lower_pool"](list(src.text))
    assert pool["benjamin ullestad"] == pool["john miller"] == pool["anna lee"] == "person"
    assert pool["huntington beach"] == pool["california"] == "place"
    assert "police say" not in pool and "a neighbor" not in pool
    seen = set()
    for seed in range(8):
        out = perturb("officials say ullestad, 25, died.", src, kinds=["entity"], seed=seed)
        seen.add(out.text.iloc[0])
    assert seen == {"officials say miller, 25, died."}
    out = perturb("Benjamin Ullestad died in Huntington Beach.", src, kinds=["entity"])
    assert out.text.iloc[0] in {
        "John Miller died in Huntington Beach.",
        "Anna Lee died in Huntington Beach.",
        "Benjamin Ullestad died in California.",
    }


def test_entity_swap_avoids_the_place_that_holds_the_name():
    # "atlanta" -> "georgia" would still be true where the sources say "atlanta, georgia"
    src = pd.DataFrame({"text": ["the show is in atlanta, georgia. fans came from ohio."]})
    low = {
        perturb("the show is in atlanta next week.", src, kinds=["entity"], seed=seed).text.iloc[0]
        for seed in range(8)
    }
    assert low == {"the show is in ohio next week."}


def test_errors():
    with pytest.raises(ValueError, match="unknown perturbation kind"):
        perturb(SUMMARY, SOURCES, kinds=["pronoun"])
    with pytest.raises(ValueError, match="empty summary"):
        perturb("  ", SOURCES)
    with pytest.raises(ValueError, match="no 'text' column"):
        perturb(SUMMARY, pd.DataFrame({"body": ["x"]}))


def test_find_names_types_and_titles():
    from newslab.perturbation import find_names

    names = find_names(SUMMARY, list(SOURCES.text))
    by_name = {n: t for n, _s, _e, t in names}
    assert by_name["Vitali Klitschko"] == by_name["Mykola Oleshchuk"] == "person"
    assert by_name["Kyiv"] == "place"
    assert "Mayor Vitali Klitschko" not in by_name  # titles are not part of the name
    for n, s, e, _t in names:
        assert SUMMARY[s:e] == n
    # lower-cased text: only names the sources give by pattern
    low = find_names("police say ullestad died in huntington beach.", [
        "benjamin ullestad, 25, was found in huntington beach, california."
    ])  # fmt: skip
    assert [(n, t) for n, *_, t in low] == [("ullestad", "surname"), ("huntington beach", "place")]


def test_only_spots_the_sources_give_are_corrupted_by_default():
    # 95 missiles, Dec. 12 and Marseille: none of them in the sources
    wrong = "Moscow fired 95 missiles on Dec. 12, 2023, at targets in Marseille."
    out = perturb(wrong, SOURCES, kinds=("number", "date", "entity"))
    assert out.empty
    assert out.attrs["skipped"] == {
        "number": "no number in the summary that a source gives",
        "date": "no date in the summary that a source gives",
        "entity": "no name in the summary that the sources use",
    }
    loose = perturb(wrong, SOURCES, kinds=("number", "date", "entity"), supported_only=False)
    assert set(loose.kind) == {"number", "date", "entity"}
    # with a supported spot next to an unsupported one, the supported one is changed
    mixed = perturb("Russia fired 95 missiles and 36 drones.", SOURCES, kinds=("number",))
    assert mixed.original.tolist() == ["36"]


def test_entity_swaps_leave_framing_lines_adjectives_and_datelines_alone():
    src = pd.DataFrame(
        {
            "text": [
                "SANAA, Jan 12 (Metro Wire) - Strikes hit the capital Sanaa at 0200 GMT, and "
                "ships kept away from the Red Sea and the Gulf of Aden. Officials in Hodeidah "
                "said the port was hit. Russian and Iranian officials condemned the strikes."
            ]
        }
    )
    summary = (
        "Here is the latest on Sanaa. Russian officials condemned strikes on the Red Sea coast."
    )
    names = {n for n, _ in _entities(summary)} | {n for n, _ in _entities(src.text[0])}
    assert {"SANAA", "GMT"}.isdisjoint(names)
    assert _type_of("Red Sea", src.text[0]) == "place"
    assert _type_of("Russian", src.text[0]) == "other"
    # a flight designation is no place, even after "on"/"from"
    assert (
        _type_of("Alaska Airlines Flight", "passengers on Alaska Airlines Flight 1282") == "other"
    )
    out = perturb(summary, src, kinds=("entity",))
    # "Sanaa" only in the framing line, "Russian" an adjective: the Red Sea is the one to swap
    assert out.original.tolist() == ["Red Sea"] and out.start.iloc[0] > summary.index(".")


def test_negation_leaves_a_framing_line_alone():
    text = "Here is what we know about the vote. The result is final."
    out = perturb(text, pd.DataFrame({"text": ["The result is final, officials said."]}),
                  kinds=("negation",))  # fmt: skip
    assert out.text.tolist() == ["Here is what we know about the vote. The result is not final."]


def test_a_place_is_not_swapped_for_one_the_sources_name_with_it():
    src = pd.DataFrame(
        {
            "text": [
                "Crowds gathered in Taipei, Taiwan, on Saturday. In Taipei, Taiwan's capital, "
                "voters queued early. Officials in Kaohsiung said turnout was high."
            ]
        }
    )
    # Taipei may stand for Taiwan (named together twice): the swap goes elsewhere, whatever the seed
    for seed in range(8):
        out = perturb("Voters queued early in Taiwan.", src, kinds=("entity",), seed=seed)
        assert out.replacement.tolist() == ["Kaohsiung"]
