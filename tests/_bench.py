"""Shared helpers: skip tests that need ../shared/benchmarks when it is absent; load a
benchmark script as a module."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

import pytest

from newslab.paths import BenchmarkDataMissing, benchmark_dir, repo_root


def requires_benchmark(name: str) -> pytest.MarkDecorator:
    """Return a skip marker for tests that need benchmark set ``name``."""
    try:
        benchmark_dir(name)
    except BenchmarkDataMissing as exc:
        return pytest.mark.skip(reason=f"needs shared benchmark data: {exc}")
    return pytest.mark.benchmark_data


def load_script(relpath: str) -> ModuleType:
    """Import a script of the repository (e.g. ``benchmarks/synthetic.py``) once, as a module."""
    name = "_newslab_" + relpath.replace("/", "_").removesuffix(".py")
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, repo_root() / relpath)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up while building
        spec.loader.exec_module(module)
    return sys.modules[name]
