"""Where newslab finds its bundled sample corpus and the shared benchmark data.

Examples
--------
>>> from newslab.paths import sample_dir
>>> sample_dir().name
'sample'
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["repo_root", "sample_dir", "benchmark_dir", "BenchmarkDataMissing"]


class BenchmarkDataMissing(FileNotFoundError):
    """Raised when a shared benchmark folder cannot be found."""


def repo_root() -> Path:
    """Return the checkout that contains the ``newslab`` package.

    Examples
    --------
    >>> (repo_root() / "newslab").is_dir()
    True
    """
    return Path(__file__).resolve().parent.parent


def sample_dir() -> Path:
    """Return the bundled sample corpus folder (``$NEWSLAB_SAMPLE`` overrides it).

    Examples
    --------
    >>> sample_dir().parent.name
    'data'
    """
    env = os.environ.get("NEWSLAB_SAMPLE")
    return Path(env) if env else repo_root() / "data" / "sample"


def benchmark_dir(name: str | None = None, root: str | os.PathLike | None = None) -> Path:
    """Locate the shared benchmark data, or one of its sets.

    The root is, in order of preference: the ``root`` argument, the
    ``NEWSLAB_BENCHMARKS`` environment variable, ``../shared/benchmarks`` next
    to the checkout, then ``../shared/benchmarks`` relative to the working folder.

    Parameters
    ----------
    name : str, optional
        A set inside the root: ``"extraction"``, ``"clustering"`` or ``"summaries"``.
    root : path, optional
        Explicit location of the benchmark root.

    Raises
    ------
    BenchmarkDataMissing
        Naming every place that was tried.

    Examples
    --------
    >>> benchmark_dir("clustering", root="/nonexistent")  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    BenchmarkDataMissing: benchmark data 'clustering' not found; tried /nonexistent/clustering
    """
    if root is not None:
        candidates = [Path(root)]
    elif os.environ.get("NEWSLAB_BENCHMARKS"):
        candidates = [Path(os.environ["NEWSLAB_BENCHMARKS"])]
    else:
        candidates = [
            repo_root().parent / "shared" / "benchmarks",
            Path.cwd().parent / "shared" / "benchmarks",
        ]
    tried = []
    for base in candidates:
        path = base / name if name else base
        tried.append(str(path))
        if path.is_dir():
            return path
    raise BenchmarkDataMissing(
        f"benchmark data {name or ''!r} not found; tried {', '.join(tried)} "
        "(pass a path, or set NEWSLAB_BENCHMARKS)"
    )
