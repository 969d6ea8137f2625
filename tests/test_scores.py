"""score_summary / score_many / ScoreResult, and the planted defects of the sample summaries."""

import json

import pandas as pd
import pytest

import newslab.scores as scores_mod
from newslab.findings import FINDING_COLUMNS, FINDING_KINDS, findings_frame
from newslab.paths import sample_dir
from newslab.scores import SENTENCE_COLUMNS, ScoreOptions, score_many, score_summary

STORY = pd.DataFrame(
    {
        "url": ["https://a.example/1", "https://b.example/2", "https://c.example/3"],
        "outlet": ["Metro Wire", "Globe Dispatch", "Daily Ledger"],
        "title": ["Russia fires missiles at Ukraine", "Barrage hits Kyiv", "Kyiv counts damage"],
        "published": ["2023-12-29T09:00Z", "2023-12-29T20:00Z", "2023-12-30T08:00Z"],
        "story": ["ukraine"] * 3,
        "text": [
            "Russia fired 122 missiles and 36 drones at Ukrainian cities on Friday, Ukraine's air "
            "force said. Air defences shot down 87 of the missiles.\n\n"
            "“We have not seen an attack on this scale from the air since the first days of the "
            "full-scale invasion,” air force commander Mykola Oleshchuk said.",
            "At least 30 people were killed after Russia fired 122 missiles, officials said. "
            "President Volodymyr Zelenskiy said Moscow had thrown “nearly every kind of weapon it "
            "has” at Ukrainian cities.",
            "Mayor Vitali Klitschko said at least three people died in Kyiv. The 122 missiles "
            "damaged a maternity hospital in Dnipro.",
        ],
    }
)
FAITHFUL = (
    "Russia fired 122 missiles and 36 drones at Ukrainian cities on Friday. "
    "At least 30 people were killed, officials said. "
    "“We have not seen an attack on this scale from the air since the first days of the "
    "full-scale invasion,” air force commander Mykola Oleshchuk said."
)


@pytest.fixture(scope="module")
def good():
    return score_summary(FAITHFUL, STORY, published="2023-12-30")


def test_metrics_keys_and_ranges(good):
    m = good.metrics
    for key in (
        "faithfulness",
        "numbers_supported",
        "quotes_supported",
        "source_coverage",
        "outlet_entropy",
        "coverage",
        "fragment_coverage",
        "fragment_density",
        "compression",
        "novel_1gram",
        "novel_2gram",
        "redundancy",
        "words",
    ):
        assert key in m, key
    assert 0.0 <= m["faithfulness"] <= 1.0
    assert m["numbers_supported"] == 1.0 and m["quotes_supported"] == 1.0
    assert "rouge1" not in m


def test_numbers_supported_counts_quantities_not_durations():
    # "for 12 hours" is a duration (the date checks' business): it must not dilute the share
    # of unsupported figures, as "3 days" already did not.
    text = "Russia fired 150 missiles for 12 hours on Friday. At least 30 people were killed."
    m = score_summary(text, STORY, published="2023-12-30").metrics
    assert m["numbers"] == 2
    assert m["numbers_supported"] == pytest.approx(0.5)


def test_sentences_table(good):
    s = good.sentences
    assert list(s.columns) == SENTENCE_COLUMNS
    assert len(s) == 3
    assert set(s.label) <= {"supported", "partial", "unsupported"}
    assert (s.label == "supported").all()
    ev = s.evidence[0]
    assert isinstance(ev, list) and {"outlet", "url", "text", "score"} <= set(ev[0])
    assert s.outlet[0] == ev[0]["outlet"] and s.source_text[0] == ev[0]["text"]
    assert all(FAITHFUL[a:b] == t for a, b, t in zip(s.start, s.end, s.text, strict=True))


def test_faithful_summary_has_no_defect_findings(good):
    f = good.findings
    assert list(f.columns) == FINDING_COLUMNS
    assert set(f.kind) <= {"missed_consensus"}


@pytest.mark.parametrize(
    ("old", "new", "kind"),
    [
        ("122 missiles", "150 missiles", "number"),
        ("At least 30 people", "At least 300 people", "number"),
        ("air force commander Mykola Oleshchuk", "Mayor Vitali Klitschko", "attribution"),
        ("We have not seen an attack", "We haven't seen an attack", None),  # small edit
        ("first days of the full-scale invasion", "first days of the invasion", None),
        ("from the air since", "from the sea since", "quote"),  # a changed content word
        ("We have not seen an attack on this scale", "We will win this war", "quote"),
    ],
)
def test_corruption_lowers_faithfulness_and_is_found(good, old, new, kind):
    bad = score_summary(FAITHFUL.replace(old, new), STORY, published="2023-12-30")
    if kind:
        assert bad.metrics["faithfulness"] < good.metrics["faithfulness"]
        assert kind in set(bad.findings.kind)
        row = bad.findings[bad.findings.kind == kind].iloc[0]
        assert row.severity == "high"
        assert row.sentence >= 0
    else:
        assert not {"quote", "attribution"} & set(bad.findings.kind)


def test_unsupported_claim_found_and_preamble_ignored():
    text = "Here is the latest on the war. " + FAITHFUL + " Iran recalled its ambassador to Paris."
    r = score_summary(text, STORY)
    un = r.findings[r.findings.kind == "unsupported_claim"]
    assert un.span.tolist() == ["Iran recalled its ambassador to Paris."]
    assert un.sentence.tolist() == [4]
    assert r.sentences.label.iloc[-1] == "unsupported"


def test_reference_adds_rouge():
    r = score_summary(FAITHFUL, STORY, reference=FAITHFUL)
    assert r.metrics["rouge1"] == pytest.approx(1.0) and "rougeL" in r.metrics


def test_insights_add_insight_coverage():
    r = score_summary(
        FAITHFUL, STORY, insights=["Russia fired 122 missiles", "Schools reopened in Lviv"]
    )
    assert r.insights.label.tolist() == ["full", "none"]
    assert r.metrics["insight_coverage"] == 0.5
    assert score_summary(FAITHFUL, STORY).insights is None


def test_to_html_escapes_everything():
    r = score_summary(
        "<script>alert('x')</script> Russia fired 122 missiles at Ukrainian cities.",
        STORY.assign(text=STORY.text + " <b>bold</b> & <script>evil()</script>"),
    )
    page = r.to_html()
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page and "<b>bold" not in page
    assert "&lt;script&gt;" in page
    assert "background:#d8f3dc" in page or "background:#fff3bf" in page


def test_to_dict_is_json_serialisable(good):
    json.dumps(good.to_dict())


def test_bad_inputs_raise_clear_errors():
    with pytest.raises(ValueError, match="empty"):
        score_summary("   ", STORY)
    with pytest.raises(ValueError, match="no sentences"):
        score_summary("- * ...", STORY)
    with pytest.raises(ValueError, match="story_df is empty"):
        score_summary(FAITHFUL, STORY.iloc[0:0])
    with pytest.raises(ValueError, match="no text"):
        score_summary(FAITHFUL, STORY.assign(text="", title=None))
    with pytest.raises(ValueError, match="'text' column"):
        score_summary(FAITHFUL, STORY.drop(columns="text"))
    with pytest.raises(ValueError, match="language 'de'"):
        score_summary(
            "Russland hat in der Nacht mehr als hundert Raketen auf ukrainische Städte "
            "abgefeuert, sagte die Luftwaffe am Freitag.",
            STORY,
        )
    with pytest.raises(ValueError, match="published must be a date"):
        score_summary(FAITHFUL, STORY, published="yesterday-ish")
    for ok in ("2024-01-02", "2024-01-02T10:00+02:00", pd.Timestamp("2024-01-02", tz="UTC")):
        assert score_summary(FAITHFUL, STORY, published=ok).metrics["faithfulness"] > 0
    with pytest.raises(ValueError, match="sources are in"):
        score_summary(FAITHFUL, STORY.assign(language="fr"))
    r = score_summary(
        FAITHFUL, STORY.assign(language="fr"), options=ScoreOptions(check_language=False)
    )
    assert r.metrics["faithfulness"] > 0


def test_consistency_findings_are_merged(monkeypatch):
    calls = []

    class Fake:
        @staticmethod
        def check_consistency(text, published=None, sources=None):
            calls.append(published)
            start = text.index("Friday")
            return findings_frame(
                [{"kind": "date", "span": "Friday", "start": start, "end": start + 6,
                  "severity": "high", "sentence": 0}]
            )  # fmt: skip

    monkeypatch.setattr(scores_mod, "_consistency_module", lambda: Fake)
    r = score_summary(FAITHFUL, STORY, published="2023-12-30")
    assert calls == ["2023-12-30"]
    assert r.findings[r.findings.kind == "date"].sentence.tolist() == [0]
    assert r.sentences.adjusted_score[0] < r.sentences.score[0]
    monkeypatch.setattr(scores_mod, "_consistency_module", lambda: None)
    assert "date" not in set(score_summary(FAITHFUL, STORY).findings.kind)


def test_score_many_columns_and_errors():
    corpus = pd.concat([STORY, STORY.assign(story="other", url=STORY.url + "x")], ignore_index=True)
    sums = pd.DataFrame(
        {
            "id": ["a", "b", "c"],
            "story": ["ukraine", "ukraine", "other"],
            "text": [FAITHFUL, FAITHFUL.replace("122", "150"), FAITHFUL],
            "published": ["2023-12-30", None, "2023-12-30"],
        }
    )
    out = score_many(sums, corpus, progress=False)
    assert out.id.tolist() == ["a", "b", "c"]
    assert out.columns[:3].tolist() == ["id", "story", "faithfulness"]
    for kind in FINDING_KINDS:
        assert f"n_{kind}" in out.columns
    assert out.n_number.tolist()[:2] == [0, 1]
    assert out.faithfulness[0] > out.faithfulness[1]
    assert out.error.isna().all()
    bad = pd.concat(
        [
            sums,
            pd.DataFrame(
                {"id": ["d", "e"], "story": ["missing", "ukraine"], "text": ["x y z.", ""]}
            ),
        ],
        ignore_index=True,
    )
    with pytest.raises(ValueError, match="'missing' is not in corpus_df"):
        score_many(bad, corpus, progress=False)
    coerced = score_many(bad, corpus, progress=False, errors="coerce")
    assert coerced.error.notna().tolist() == [False, False, False, True, True]
    assert coerced.faithfulness[3:].isna().all()
    with pytest.raises(ValueError, match="'story' column"):
        score_many(sums, STORY.drop(columns="story"), progress=False)


# ------------------------------------------------------------------ sample summaries

SUMMARIES = sample_dir() / "summaries"
ARTICLES = sample_dir() / "source" / "articles"
OUR_KINDS = {"number", "quote", "attribution", "unsupported_claim", "merged_event"}
_have_sample = SUMMARIES.is_dir() and ARTICLES.is_dir() and any(SUMMARIES.glob("*.json"))


def _sample_corpus() -> pd.DataFrame:
    rows = []
    for fp in sorted(ARTICLES.glob("*.json")):
        a = json.loads(fp.read_text(encoding="utf-8"))
        rows.append(
            {
                "url": f"https://{a['outlet']}.example/{a['slug']}",
                "outlet": a["outlet"],
                "title": a["title"],
                "text": "\n\n".join(a["paragraphs"]),
                "published": a["published"],
                "story": a["story"],
            }
        )
    return pd.DataFrame(rows)


def _overlaps(finding_span: str, gold_span: str) -> bool:
    a, b = finding_span.lower(), gold_span.lower()
    return a in b or b in a or len(set(a.split()) & set(b.split())) >= 2


@pytest.mark.skipif(not _have_sample, reason="sample summaries not present")
def test_sample_planted_defects_are_found():
    corpus = _sample_corpus()
    missed, false = [], []
    for fp in sorted(SUMMARIES.glob("*.json")):
        rec = json.loads(fp.read_text(encoding="utf-8"))
        r = score_summary(rec["text"], corpus[corpus.story == rec["story"]], rec["dateline"])
        found = r.findings[r.findings.kind.isin(OUR_KINDS)]
        gold = [d for d in rec["defects"] if d["kind"] in OUR_KINDS]
        for d in gold:
            hits = found[found.kind == d["kind"]]
            if not any(_overlaps(s, d["span"]) for s in hits.span):
                missed.append((rec["id"], d["kind"], d["span"]))
        if rec["faithful"]:
            false += [(rec["id"], k, s) for k, s in zip(found.kind, found.span, strict=True)]
    assert missed == []
    assert false == []


# ------------------------------------------------------------------ command line


def test_cli_score_command(tmp_path, capsys):
    import argparse

    from newslab.corpus import to_corpus, write_corpus
    from newslab.scores import add_score_arguments, run_score_command

    corpus = to_corpus(STORY.to_dict("records"))
    corpus["story"] = "ukraine"
    path = tmp_path / "stories.parquet"
    write_corpus(corpus, path)
    summary = tmp_path / "s.txt"
    summary.write_text(FAITHFUL.replace("122 missiles", "150 missiles"), encoding="utf-8")
    parser = argparse.ArgumentParser()
    add_score_arguments(parser)

    args = parser.parse_args([str(summary), "--sources", str(path), "--story", "ukraine", "--json",
                              "--html", str(tmp_path / "r.html")])  # fmt: skip
    assert run_score_command(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert 0 <= out["metrics"]["faithfulness"] <= 1
    assert "number" in {f["kind"] for f in out["findings"]}
    assert (tmp_path / "r.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")

    args = parser.parse_args([str(summary), "--sources", str(path), "--story", "ukraine"])
    assert run_score_command(args) == 0
    assert capsys.readouterr().out.startswith("faithfulness ")

    # --aggregation mean reports the former definition as 'faithfulness'
    args = parser.parse_args([str(summary), "--sources", str(path), "--story", "ukraine", "--json",
                              "--aggregation", "mean"])  # fmt: skip
    assert run_score_command(args) == 0
    mean = json.loads(capsys.readouterr().out)["metrics"]
    assert mean["faithfulness"] == mean["faithfulness_mean"] == out["metrics"]["faithfulness_mean"]
    assert mean["faithfulness"] != out["metrics"]["faithfulness"]

    args = parser.parse_args([str(summary), "--sources", str(path), "--story", "nope"])
    assert run_score_command(args) == 1
    assert "no article of story 'nope'" in capsys.readouterr().err


def test_finding_on_an_unsupported_sentence_still_lowers_faithfulness():
    story = pd.DataFrame({"text": ["Rain fell on Tokyo on Monday. Trains stopped."]})
    text = "Rain fell on Tokyo on Monday. Aliens landed 500 ships near Paris."
    free = score_summary(text, story, options=ScoreOptions(finding_costs={}))
    r = score_summary(text, story)
    assert r.sentences.label.tolist()[1] == "unsupported"
    assert {"unsupported_claim", "number"} <= set(r.findings.kind)
    assert r.metrics["faithfulness"] < free.metrics["faithfulness"]
    assert 0 < r.metrics["faithfulness"] <= 1
