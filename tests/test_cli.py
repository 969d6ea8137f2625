"""The command line end to end on the sample pages: collect -> cluster -> summarize -> score -> coverage."""

import json

import numpy as np
import pandas as pd
import pytest

import newslab as nl
from newslab.cli import main


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    d = tmp_path_factory.mktemp("cli")
    pages = list(map(str, nl.sample_pages()["path"]))
    assert main(["collect", *pages, "--out", str(d / "corpus.parquet"), "--quiet"]) == 0
    assert (
        main(["cluster", str(d / "corpus.parquet"), "--out", str(d / "stories.parquet"), "--quiet"])
        == 0
    )
    return d


def test_help_lists_every_subcommand(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for cmd in (
        "collect",
        "extract",
        "cluster",
        "summarize",
        "score",
        "coverage",
        "demo",
        "info",
        "sample-serve",
    ):
        assert f"    {cmd}" in out


def test_info_and_validate(workdir, capsys):
    assert main(["info", str(workdir / "corpus.parquet"), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["articles"] == 64 and info["outlets"] == 6
    assert main(["validate", str(workdir / "stories.parquet")]) == 0


def test_validate_names_the_problem(tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"url": "https://a.example/1", "published": "2024-01-01", "authors": 3}\n')
    assert main(["validate", str(bad)]) == 1
    assert "authors" in capsys.readouterr().err


def test_summarize_score_and_coverage(workdir, capsys, tmp_path):
    stories = nl.read_corpus(workdir / "stories.parquet")
    story = stories["story"].value_counts().index[0]
    capsys.readouterr()
    assert main(["summarize", str(workdir / "stories.parquet"), "--story", str(story)]) == 0
    summary = capsys.readouterr().out.strip()
    assert len(summary.split()) > 20
    (tmp_path / "s.txt").write_text(summary)
    code = main(
        ["score", str(tmp_path / "s.txt"), "--sources", str(workdir / "stories.parquet"),
         "--story", str(story), "--json"]
    )  # fmt: skip
    assert code == 0
    result = json.loads(capsys.readouterr().out)
    assert result["metrics"]["faithfulness"] > 0.8  # an extractive baseline is supported
    png = tmp_path / "c.png"
    assert main(["coverage", str(workdir / "stories.parquet"), "--png", str(png)]) == 0
    assert png.read_bytes().startswith(b"\x89PNG")


def test_unknown_story_is_a_clear_error(workdir, capsys):
    assert main(["summarize", str(workdir / "stories.parquet"), "--story", "nope"]) == 1
    assert "story 'nope' not found" in capsys.readouterr().err


def test_missing_file_is_a_clear_error(capsys, tmp_path):
    assert main(["info", str(tmp_path / "missing.parquet")]) == 1
    assert "missing.parquet" in capsys.readouterr().err


def test_cluster_options_reach_the_clusterer(tmp_path, capsys):
    rows = [
        {"url": f"https://a.example/{i}", "title": t, "published": d}
        for i, (t, d) in enumerate(
            [
                ("Dam bursts in Libya, floods Derna", "2023-09-11"),
                ("Libya dam burst floods Derna", "2023-09-11"),
                ("Derna floods: Libya dam burst toll rises", "2023-09-13"),
            ]
        )
    ]
    nl.write_corpus(nl.to_corpus(rows), tmp_path / "c.parquet")
    out = tmp_path / "s.parquet"
    args = ["cluster", str(tmp_path / "c.parquet"), "--out", str(out), "--quiet"]
    assert main(args) == 0
    assert nl.read_corpus(out)["story"].nunique() == 1
    # a steep time penalty keeps the article two days later apart
    assert main([*args, "--time-penalty", "10", "--semantic-dims", "0"]) == 0
    assert nl.read_corpus(out)["story"].nunique() == 2
    # so does a step between days, without any linear penalty
    assert main([*args, "--time-penalty", "0", "--day-penalty", "10"]) == 0
    assert nl.read_corpus(out)["story"].nunique() == 2


def _cluster_headlines(tmp_path, titles):
    """Write a same-day headline corpus; return the `cluster` arguments and the output path."""
    rows = [
        {"url": f"https://a.example/{i}", "title": t, "published": "2024-05-01"}
        for i, t in enumerate(titles)
    ]
    nl.write_corpus(nl.to_corpus(rows), tmp_path / "c.parquet")
    out = tmp_path / "s.parquet"
    return ["cluster", str(tmp_path / "c.parquet"), "--out", str(out), "--quiet"], out


def test_cluster_embedding_weight_reaches_the_clusterer(tmp_path):
    args, out = _cluster_headlines(
        tmp_path, ["Pot vending machines open", "First marijuana dispenser unveiled"]
    )
    assert main(args) == 0
    assert nl.read_corpus(out)["story"].nunique() == 1  # the word vectors link pot/marijuana
    assert main([*args, "--embedding-weight", "0"]) == 0
    assert nl.read_corpus(out)["story"].nunique() == 2


def test_cluster_sentence_encoder_option(tmp_path, monkeypatch, capsys):
    import newslab.embeddings as emb

    class Topics:  # a stand-in encoder: quake/tremor headlines on one axis, the rest on another
        def encode(self, texts, **kwargs):
            return np.array(
                [[1.0, 0.0] if "Quake" in t or "Tremor" in t else [0, 1] for t in texts]
            )

    args, out = _cluster_headlines(tmp_path, ["Quake shakes Lima", "Tremor rattles Peru capital"])
    assert main([*args, "--embedding-weight", "0"]) == 0
    assert nl.read_corpus(out)["story"].nunique() == 2
    asked = []
    monkeypatch.setattr(
        emb,
        "load_sentence_embedder",
        lambda path, **kw: asked.append(path) or emb.SentenceEmbedder(Topics()),
    )
    assert main([*args, "--sentence-encoder"]) == 0
    assert asked == [None] and nl.read_corpus(out)["story"].nunique() == 1
    # an explicit weight of 0 still switches the vectors off
    assert main([*args, "--sentence-encoder", "/m", "--embedding-weight", "0"]) == 0
    assert asked[-1] == "/m" and nl.read_corpus(out)["story"].nunique() == 2
    monkeypatch.undo()
    assert main([*args, "--sentence-encoder", str(tmp_path / "no-model")]) == 1
    assert "no-model" in capsys.readouterr().err


def test_score_a_table_of_summaries_in_one_batch(workdir, capsys, tmp_path):
    stories = nl.read_corpus(workdir / "stories.parquet")
    top = stories["story"].value_counts().index[:2]
    summaries = [nl.summarize(stories[stories["story"] == s], max_words=60) for s in top]
    table = pd.DataFrame(
        {"id": ["a", "b", "c"], "story": [*map(str, top), "no-such-story"],
         "text": [*summaries, "Rain fell."]}
    )  # fmt: skip
    table.to_parquet(tmp_path / "sums.parquet")
    out = tmp_path / "scores.csv"
    args = ["score", str(tmp_path / "sums.parquet"), "--sources", str(workdir / "stories.parquet")]
    # a bad summary is reported and the others are kept: the table is written, status 1
    assert main([*args, "--out", str(out), "--jobs", "2"]) == 1
    err = capsys.readouterr().err
    assert "scored 2 of 3 summaries" in err and "no-such-story" in err
    scores = pd.read_csv(out)
    assert scores.id.tolist() == ["a", "b", "c"]
    assert (scores.faithfulness[:2] > 0.8).all() and scores.faithfulness.isna().tolist()[2]
    # the same scores in one process
    assert main([*args, "--out", str(tmp_path / "serial.csv")]) == 1
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "serial.csv"), scores)
    # options that apply to one summary are refused, by name
    assert main([*args, "--out", str(out), "--story", "x"]) == 1
    assert "--story applies to one summary" in capsys.readouterr().err
    assert main(args) == 1
    assert "needs --out" in capsys.readouterr().err
