"""The scorer on the sample corpus: corrupted copies of a faithful summary are caught, and the
faithful summaries raise no false alarm of the fact kinds."""

import pandas as pd
import pytest

import newslab as nl
from newslab.perturbation import REPORTED_AS


@pytest.fixture(scope="module")
def sample():
    corpus = nl.collect(nl.sample_pages()["path"].tolist(), progress=False)
    corpus["story"] = nl.gold_labels(corpus)
    return corpus, nl.load_summaries().set_index("id")


def test_every_corruption_of_a_faithful_summary_is_caught(sample):
    corpus, summaries = sample
    s = summaries.loc["ukraine-01-faithful"]
    story = corpus[corpus["story"] == s["story"]]
    base = nl.score_summary(s["text"], story, published=s["dateline"]).metrics["faithfulness"]
    copies = nl.perturb(s["text"], story, published=s["dateline"], seed=0)
    # "about 130" injured -> "about 195" was excused by "at least five [killed]"; "Vladimir
    # Putin said" -> "Dmytro Kuleba said" in a second clause went unseen
    assert {"number", "entity"} <= set(copies["kind"])
    for c in copies.itertuples():
        r = nl.score_summary(c.text, story, published=s["dateline"])
        f = r.findings[r.findings["kind"].isin(REPORTED_AS[c.kind])]
        end = c.start + len(c.replacement) + 1
        assert ((f["start"] < end) & (f["end"] > c.start)).any(), (c.kind, c.detail)
        assert r.metrics["faithfulness"] < base, (c.kind, c.detail)


def test_faithful_summaries_raise_no_fact_alarm(sample):
    corpus, summaries = sample
    for sid, s in summaries[summaries["faithful"]].iterrows():
        story = corpus[corpus["story"] == s["story"]]
        f = nl.score_summary(s["text"], story, published=s["dateline"]).findings
        wrong = f[f["kind"].isin(["number", "quote", "attribution", "date", "merged_event"])]
        swaps = f[f["evidence"].str.startswith("the source names")]
        assert wrong.empty and swaps.empty, (sid, pd.concat([wrong, swaps])[["kind", "span"]])
