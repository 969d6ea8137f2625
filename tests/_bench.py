"""Shared helper: skip tests that need ../shared/benchmarks when it is absent."""

from __future__ import annotations

import pytest

from newslab.paths import BenchmarkDataMissing, benchmark_dir


def requires_benchmark(name: str) -> pytest.MarkDecorator:
    """Return a skip marker for tests that need benchmark set ``name``."""
    try:
        benchmark_dir(name)
    except BenchmarkDataMissing as exc:
        return pytest.mark.skip(reason=f"needs shared benchmark data: {exc}")
    return pytest.mark.benchmark_data
