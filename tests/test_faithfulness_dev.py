"""The summary-level ``faithfulness`` aggregation (issue #5) and its development task."""

from __future__ import annotations

import json
import os

import numpy as np
import pandas as pd
import pytest

from newslab.scores import ScoreOptions, score_summary
from tests._bench import load_script, requires_benchmark

STORY = pd.DataFrame(
    {
        "outlet": ["A", "B"],
        "text": [
            "Heavy rain flooded the northern city of Porto Alegre on Monday. The mayor said 40 "
            "schools would stay closed until Friday. Rescue teams evacuated 2,000 residents "
            "from the river banks.",
            "Power was cut to 80,000 homes after the storm, the utility said. The army sent 12 "
            "helicopters to help the rescue effort. Forecasters expect more rain later in the "
            "week.",
        ],
    }
)
# four sentences copied from the sources and one short claim no source makes
COPIED_PLUS_ONE_CLAIM = (
    "Heavy rain flooded the northern city of Porto Alegre on Monday. The mayor said 40 schools "
    "would stay closed until Friday. Rescue teams evacuated 2,000 residents from the river "
    "banks. The army sent 12 helicopters to help the rescue effort. The governor blamed loggers."
)
# every sentence supported, but reworded (lower lexical support everywhere)
REWORDED = (
    "On Monday heavy rain flooded Porto Alegre, a northern city. Schools, 40 of them, would stay "
    "closed until Friday, the mayor said. From the river banks, rescue teams evacuated 2,000 "
    "residents. To help the rescue effort, the army sent 12 helicopters. More rain is expected "
    "later in the week by forecasters."
)


def _dev():
    return load_script("benchmarks/faithfulness_dev.py")


def test_one_unsupported_claim_outweighs_reworded_but_supported_sentences():
    bad = score_summary(COPIED_PLUS_ONE_CLAIM, STORY)
    good = score_summary(REWORDED, STORY)
    assert bad.sentences.label.tolist()[-1] == "unsupported"
    assert (good.sentences.label == "supported").all()
    # the mean of the support ranks the summary with an invented claim first: wrong
    assert bad.metrics["faithfulness_mean"] > good.metrics["faithfulness_mean"]
    # the soft minimum (the default) ranks the fully supported one first
    assert good.metrics["faithfulness"] > bad.metrics["faithfulness"]
    assert good.metrics["faithfulness"] == good.metrics["faithfulness_softmin"]
    assert bad.metrics["faithfulness"] < 0.1 < 0.7 < good.metrics["faithfulness"]


def test_aggregation_option_selects_the_former_definition():
    mean = ScoreOptions(aggregation="mean")
    bad = score_summary(COPIED_PLUS_ONE_CLAIM, STORY, options=mean)
    good = score_summary(REWORDED, STORY, options=mean)
    assert bad.metrics["faithfulness"] == bad.metrics["faithfulness_mean"]
    assert bad.metrics["faithfulness"] > good.metrics["faithfulness"]
    # a power close to 0 behaves like a (geometric) mean, a very negative one like the minimum
    low = score_summary(COPIED_PLUS_ONE_CLAIM, STORY, options=ScoreOptions(softmin_power=-50))
    soft = score_summary(COPIED_PLUS_ONE_CLAIM, STORY, options=ScoreOptions(softmin_power=-0.5))
    assert (
        low.metrics["faithfulness"]
        < bad.metrics["faithfulness_softmin"]
        < soft.metrics["faithfulness"]
    )
    assert low.metrics["faithfulness"] == pytest.approx(0.01, abs=0.002)  # the support floor


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"aggregation": "max"}, "aggregation must be"),
        ({"softmin_power": 1.0}, "softmin_power must be negative"),
        ({"support_floor": 0.0}, "support_floor must be in"),
    ],
)
def test_bad_options_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        ScoreOptions(**kwargs)


def test_an_error_on_a_sentence_that_is_not_the_weakest_still_lowers_the_score():
    # the last sentence is already unsupported; corrupting a figure elsewhere must still count
    wrong = COPIED_PLUS_ONE_CLAIM.replace("2,000 residents", "9,000 residents")
    base = score_summary(COPIED_PLUS_ONE_CLAIM, STORY)
    worse = score_summary(wrong, STORY)
    assert "number" in set(worse.findings.kind)
    assert worse.metrics["faithfulness"] < base.metrics["faithfulness"]


def test_a_framing_line_is_not_a_claim():
    plain = score_summary(REWORDED, STORY)
    framed = score_summary("Here is what we know about the floods. " + REWORDED, STORY)
    assert framed.sentences.label.tolist()[0] == "unsupported"
    assert framed.metrics["faithfulness"] == pytest.approx(plain.metrics["faithfulness"])
    # ...but what follows its colon is a claim, and an unsupported one counts
    claim = score_summary("Here is what we know: the governor blamed loggers. " + REWORDED, STORY)
    assert claim.metrics["faithfulness"] < 0.5 * plain.metrics["faithfulness"]
    # and it is reported as an unsupported claim, as the bare framing line is not
    assert "unsupported_claim" not in set(framed.findings.kind)
    assert claim.findings.query("kind == 'unsupported_claim'").sentence.tolist() == [0]


# ----------------------------------------------------------------- the development task


def test_dev_task_text_edits():
    dev = _dev()
    # a middle clause dropped; a long first clause kept alone; a short sentence left as is
    assert dev.compress("The mayor, who spoke on Monday, said schools would close.") == (
        "The mayor, said schools would close."
    )
    assert dev.compress("Rescue teams evacuated 2,000 people from the banks, officials said.") == (
        "Rescue teams evacuated 2,000 people from the banks."
    )
    assert dev.compress("Teams evacuated 2,000 people, officials said.") == (
        "Teams evacuated 2,000 people, officials said."
    )
    assert dev.paraphrase("The mayor said 40 schools would stay closed.") == (
        "40 schools would stay closed, The mayor said."
    )
    assert dev.fuse("Rain fell.", "Trains stopped.") == "Rain fell, and Trains stopped."
    spliced = dev.splice(
        "the mayor of the city said schools would stay closed until friday.",
        "rescue teams in boats were sent to the river banks.",
    )
    assert spliced == "the mayor of the city were sent to the river banks."
    assert dev.splice("he said it.", "they were sent home.") is None  # no subject to reuse


def test_dev_task_auc_matches_sklearn():
    from sklearn.metrics import roc_auc_score

    dev = _dev()
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, 200)
    s = np.round(rng.random(200) + 0.3 * y, 1)  # with ties
    assert dev.auc(s, y) == pytest.approx(roc_auc_score(y, s))


@requires_benchmark("summaries")
def test_dev_task_builds_matched_faithful_and_corrupted_summaries():
    dev = _dev()
    stories = dev.load_stories(None, quick=True)[:2]
    df = dev.build(stories, range(2, 4), progress=False)
    assert set(df.label) == {0, 1}
    for _, group in df.groupby(["story", "k", "method"]):
        faithful = group[group.label == 1]
        assert len(faithful) == 1
        corrupted = group[group.label == 0]
        assert len(corrupted) >= 1 and (corrupted.text != faithful.text.iloc[0]).all()
        assert corrupted.errors.between(1, 2).all()
    # an extractive faithful summary is made of the story's own sentences
    ext = df[(df.label == 1) & (df["style"] == "extract")]
    sources = {s["id"]: " ".join(s["table"].text).lower() for s in stories}
    for r in ext.itertuples():
        first = r.text.split(". ")[0].lower()
        assert first in sources[r.story]


def test_abstractive_set_is_well_formed(tmp_path):
    ab = load_script("benchmarks/faithfulness_abstractive.py")
    df = ab.load_set()
    assert len(df) == 120 and df.story.nunique() == 15
    assert (df.groupby("story").size() == 8).all()
    assert (df.groupby("story").label.sum() == 4).all()
    by_id = df.set_index("id")
    pairs = df[df.derived_from.notna()]
    assert len(pairs) == 30
    for r in pairs.itertuples():
        orig = by_id.loc[f"{r.story}-{r.derived_from}"].text
        assert r.label == 0 and len(r.errors) == 1
        # a minimal pair differs from its faithful original only where the error went in
        p = os.path.commonprefix([orig, r.text])
        q = os.path.commonprefix([orig[::-1], r.text[::-1]])
        p, q = len(p), len(q)
        a = r.text.index(r.errors[0]["span"])
        assert p <= a + len(r.errors[0]["span"]) and len(r.text) - q >= a, r.id
    bad = by_id.reset_index().iloc[[4]].to_dict("records")[0]
    bad["errors"] = [{"kind": "number", "span": "not in the text", "why": "-"}]
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({k: bad[k] for k in ("story", "id", "faithful", "case",
                    "derived_from", "text", "errors")}) + "\n")  # fmt: skip
    with pytest.raises(ValueError, match="bad error annotation"):
        ab.load_set(path)


def test_abstractive_test_set_b_is_well_formed():
    ab = load_script("benchmarks/faithfulness_abstractive.py")
    df = ab.load_set(ab.DATA_B)
    assert len(df) == 90 and df.story.nunique() == 15
    assert (df.groupby("story").size() == 6).all()
    assert (df.groupby("story").label.sum() == 3).all()
    assert df.derived_from.isna().all()
    # one error per unfaithful summary, every kind 7 or 8 times
    unfaithful = df[df.label == 0]
    assert (unfaithful.errors.map(len) == 1).all()
    kinds = unfaithful.errors.map(lambda es: es[0]["kind"]).value_counts()
    assert set(kinds.index) == set(ab.KINDS) and kinds.between(7, 8).all()
    assert set(df["case"]) == {"normal", "lower"}
    lower = df[df["case"] == "lower"]
    assert (lower.text == lower.text.str.lower()).all()
