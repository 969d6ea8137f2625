"""The demo end to end on a copy of the sample, with a hostile page title."""

import re
import shutil

import pandas as pd
import pytest

import newslab as nl
from newslab.demo import run_demo
from newslab.paths import sample_dir


@pytest.mark.slow
def test_demo_writes_an_escaped_self_contained_report(tmp_path, monkeypatch):
    sample = tmp_path / "sample"
    shutil.copytree(sample_dir(), sample)
    page = next(p for p in (sample / "site").rglob("*.html") if "noto-quake-death-toll" in str(p))
    html = page.read_text(encoding="utf-8")
    title = nl.extract(html).title
    # the page states its title in HTML (escaped) and maybe in JSON-LD (a JSON string)
    html = html.replace(
        f'"{title}"', f'"{title} \\u003cscript\\u003ealert(1)\\u003c/script\\u003e"'
    )
    html = html.replace(title, f"{title} &lt;script&gt;alert(1)&lt;/script&gt;")
    page.write_text(html, "utf-8")
    assert "<script>alert(1)</script>" in nl.extract(html).title
    monkeypatch.setenv("NEWSLAB_SAMPLE", str(sample))

    report = run_demo(tmp_path / "out", progress=False, verbose=False)

    text = report.read_text(encoding="utf-8")
    assert "<script" not in text.lower()  # the hostile title is shown, escaped
    assert "&lt;script&gt;alert(" in text
    assert text.count("data:image/png;base64,") >= 4  # figures embedded, no external files
    assert not re.search(r'<img[^>]+src="(?!data:)', text)
    for sid in nl.load_summaries()["id"]:
        assert sid in text
    corpus = nl.read_corpus(tmp_path / "out" / "corpus.parquet")
    assert len(corpus) == 64 and corpus["outlet"].nunique() == 6
    stories = nl.read_corpus(tmp_path / "out" / "stories.parquet")
    assert stories["story"].notna().all()
    scores = pd.read_parquet(tmp_path / "out" / "scores.parquet")
    assert set(scores["id"]) == set(nl.load_summaries()["id"])
    faithful = scores.merge(nl.load_summaries()[["id", "faithful"]], on="id")
    assert faithful.loc[faithful["faithful"], "findings"].notna().all()
