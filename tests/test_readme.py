"""The README's ten-line tour runs as written, against the bundled sample sites."""

import os
import re

import pytest

from newslab.paths import repo_root


def _python_blocks() -> list[str]:
    text = (repo_root() / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)


def test_readme_has_the_tour():
    blocks = _python_blocks()
    assert blocks and "nl.serve_sample()" in blocks[0]


@pytest.mark.slow
def test_readme_tour_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TQDM_DISABLE", "1")
    scope: dict = {}
    exec(compile(_python_blocks()[0], "README.md (tour)", "exec"), scope)  # noqa: S102
    df, r = scope["df"], scope["r"]
    assert len(df) == 64 and "story" in df.columns
    assert 0.0 <= r.metrics["faithfulness"] <= 1.0
    assert os.path.getsize(tmp_path / "corpus.parquet") > 0
    assert any((tmp_path / "archive").iterdir())  # the crawl kept its raw pages
