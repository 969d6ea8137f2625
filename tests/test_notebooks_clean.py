"""The notebooks are documentation that runs: stored clean, narrative, logic in the package.

``make test`` executes them (nbmake); these checks cover what execution cannot: that each
is stored without outputs, opens with a paragraph and ends with a conclusion, has a
papermill ``parameters`` cell, keeps functions and classes out of its cells, and skips
cleanly (with a message) when the shared benchmark data is absent.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import nbformat
import pytest

NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"
EXPECTED = ["01_collect", "02_stories", "03_summaries", "04_coverage", "05_benchmarks"]
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
MAX_DEF_LINES = 5  # "a few lines": anything longer belongs in newslab/
BENCHMARK_LOADERS = re.compile(
    r"load_news_aggregator|load_extraction_benchmark|load_summaries_benchmark|benchmark_dir"
)


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def _code(cell: nbformat.NotebookNode) -> str:
    """Cell source with IPython magics and shell escapes blanked out, so ast can parse it."""
    return "\n".join(
        "" if line.lstrip().startswith(("%", "!")) else line for line in cell.source.splitlines()
    )


def test_the_five_notebooks_exist_and_are_listed_in_the_readme():
    assert [p.stem for p in NOTEBOOKS] == EXPECTED
    readme = (NOTEBOOK_DIR / "README.md").read_text(encoding="utf-8")
    for name in EXPECTED:
        assert f"{name}.ipynb" in readme, f"notebooks/README.md does not list {name}.ipynb"


@pytest.fixture(params=NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def notebook(request):
    return request.param, _read(request.param)


def test_stored_without_outputs(notebook):
    path, nb = notebook
    nbformat.validate(nb)
    # nbformat adds missing cell ids on read (with a warning), so look at the stored JSON
    stored = json.loads(path.read_text(encoding="utf-8"))["cells"]
    assert [i for i, c in enumerate(stored) if "id" not in c] == [], f"{path.name}: cells lack ids"
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name} cell {i} has stored outputs"
            assert cell.execution_count is None, f"{path.name} cell {i} has an execution count"


def test_opens_with_a_paragraph_and_ends_with_a_conclusion(notebook):
    path, nb = notebook
    first, last = nb.cells[0], nb.cells[-1]
    assert first.cell_type == "markdown", f"{path.name} must open with a markdown cell"
    assert first.source.startswith("# "), f"{path.name}: the first cell needs a title"
    intro = first.source.split("\n", 1)[1].strip() if "\n" in first.source else ""
    assert len(intro.split()) >= 30, f"{path.name}: the opening paragraph is missing or too short"
    assert "?" in intro, f"{path.name}: the opening paragraph should state the question answered"
    assert last.cell_type == "markdown", f"{path.name} must end with a markdown conclusion"
    assert re.match(r"#+ Conclusion", last.source), f"{path.name}: last cell is not a conclusion"
    assert len(last.source.split()) >= 20, f"{path.name}: the conclusion is too short"


def test_has_a_papermill_parameters_cell(notebook):
    path, nb = notebook
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, f"{path.name} needs exactly one cell tagged 'parameters'"
    cell = tagged[0]
    assert cell.cell_type == "code"
    tree = ast.parse(_code(cell))
    assert tree.body and all(isinstance(node, ast.Assign) for node in tree.body), (
        f"{path.name}: the parameters cell should only assign values"
    )


def test_cells_hold_no_logic(notebook):
    path, nb = notebook
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        tree = ast.parse(_code(cell), filename=f"{path.name} cell {i}")
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                length = node.end_lineno - node.lineno + 1
                assert length <= MAX_DEF_LINES, (
                    f"{path.name} cell {i} defines {node.name!r} over {length} lines: "
                    "move it into the newslab package"
                )
        assert "plt.show" not in cell.source, f"{path.name} cell {i}: return the Figure instead"
        if "serve_sample(" in cell.source:
            assert "with nl.serve_sample(" in cell.source, (
                f"{path.name} cell {i}: use serve_sample() as a context manager"
            )


def test_benchmark_data_is_optional(notebook):
    path, nb = notebook
    source = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    if BENCHMARK_LOADERS.search(source):
        assert "BenchmarkDataMissing" in source, (
            f"{path.name} reads ../shared/benchmarks but does not handle its absence"
        )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "parts"),
    [("04_coverage", ["real-data"]), ("05_benchmarks", ["extraction", "clustering", "summaries"])],
)
def test_skips_cleanly_without_benchmark_data(name, parts, tmp_path, monkeypatch):
    from nbclient import NotebookClient

    monkeypatch.setenv("NEWSLAB_BENCHMARKS", str(tmp_path / "absent"))
    nb = _read(NOTEBOOK_DIR / f"{name}.ipynb")
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={
        "metadata": {"path": str(NOTEBOOK_DIR)}}).execute()  # fmt: skip
    printed = "".join(
        out.get("text", "") for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs
    )
    for part in parts:
        assert f"Skipping the {part} part" in printed
    assert str(tmp_path / "absent") in printed  # the message says where it looked
