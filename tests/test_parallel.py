"""Parallel batch runs (dask) give exactly what a serial run gives."""

import multiprocessing
import os

import numpy as np
import pandas as pd
import pytest

from newslab.parallel import map_parts, plan_blocks, workers
from newslab.scores import score_many
from tests.test_scores import FAITHFUL, STORY


def _wait_together(barrier) -> int:
    # Returns only once the other part is running at the same time, in another process.
    barrier.wait(timeout=60)
    return os.getpid()


@pytest.mark.parametrize(
    "n_blocks, min_blocks, block_size", [(8, 2, None), (3, 1, None), (8, 2, 2)]
)
def test_plan_blocks_keeps_stories_whole_unless_it_must_split(n_blocks, min_blocks, block_size):
    rng = np.random.default_rng(0)
    for _ in range(30):
        groups = rng.choice(list("abcdefg"), size=int(rng.integers(1, 40)))
        blocks = plan_blocks(groups, n_blocks, min_blocks=min_blocks, block_size=block_size)
        assert sorted(i for b in blocks for i in b.tolist()) == list(range(len(groups)))
        homes = {}
        for k, b in enumerate(blocks):
            for i in b:
                homes.setdefault(groups[i], set()).add(k)
        if block_size is not None:
            assert max(len(b) for b in blocks) <= block_size
        elif len(set(groups)) >= min_blocks:
            assert all(len(h) == 1 for h in homes.values())  # no story split
        else:
            assert len(blocks) >= min(min_blocks, len(groups))  # too few stories: split


def test_workers_rejects_zero_and_large_negatives():
    assert workers(-1) == (os.cpu_count() or 1)
    for bad in (0, -2):
        with pytest.raises(ValueError, match="n_jobs"):
            workers(bad)


def test_map_parts_keeps_order_with_every_scheduler():
    parts = [[k, k] for k in range(7)]
    want = [2 * k for k in range(7)]
    assert map_parts(sum, parts) == want
    assert map_parts(sum, parts, scheduler="threads", n_jobs=2) == want
    assert map_parts(sum, parts, n_jobs=2) == want


def test_map_parts_spreads_parts_over_worker_processes():
    # dask's process pool hands out 6 tasks per batch by default, which put both parts on
    # one worker: the first would then wait here for the second until the timeout.
    with multiprocessing.Manager() as manager:
        barrier = manager.Barrier(2)
        pids = map_parts(_wait_together, [barrier, barrier], n_jobs=2)
    assert len(set(pids)) == 2 and os.getpid() not in pids


def test_map_parts_progress_bar_counts_results(monkeypatch):
    import tqdm.auto

    seen = []

    class Bar:
        def __init__(self, *a, total=None, **k):
            seen.append(("total", total))

        def update(self, n):
            seen.append(("update", n))

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(tqdm.auto, "tqdm", Bar)
    out = map_parts(list, ["ab", "cde"], scheduler="threads", progress=True, weight=len)
    assert out == [["a", "b"], ["c", "d", "e"]]
    assert seen[0] == ("total", 2)
    assert sorted(n for k, n in seen if k == "update") == [2, 3]


def _corpus_and_summaries() -> tuple[pd.DataFrame, pd.DataFrame]:
    corpus = pd.concat([STORY, STORY.assign(story="other", url=STORY.url + "x")], ignore_index=True)
    sums = pd.DataFrame(
        {
            "id": list("abcdef"),
            # stories interleaved, one missing: blocks regroup them, the output must not
            "story": ["ukraine", "other", "missing", "ukraine", "other", "ukraine"],
            "text": [
                FAITHFUL,
                FAITHFUL.replace("122", "150"),
                "x y z.",
                FAITHFUL.replace("122", "90"),
                FAITHFUL,
                "",
            ],
            "published": ["2023-12-30", None, None, "2023-12-30", "2023-12-31", None],
        },
        index=[10, 11, 12, 13, 14, 15],
    )
    return corpus, sums


@pytest.mark.parametrize(
    "kwargs",
    [
        {"n_jobs": 2},
        {"scheduler": "threads", "block_size": 1},
        {"scheduler": "synchronous", "block_size": 4},
    ],
)
def test_score_many_in_parallel_equals_serial(kwargs):
    corpus, sums = _corpus_and_summaries()
    serial = score_many(sums, corpus, progress=False, errors="coerce")
    assert serial.id.tolist() == list("abcdef")
    assert serial.error.notna().tolist() == [False, False, True, False, False, True]
    parallel = score_many(sums, corpus, progress=False, errors="coerce", **kwargs)
    pd.testing.assert_frame_equal(parallel, serial)


def test_score_many_in_parallel_names_the_bad_summary():
    corpus, sums = _corpus_and_summaries()
    with pytest.raises(ValueError, match="summary 'c': story 'missing' is not in corpus_df"):
        score_many(sums, corpus, progress=False, n_jobs=2)
    with pytest.raises(ValueError, match="block_size"):
        score_many(sums, corpus, progress=False, n_jobs=2, block_size=0)
    with pytest.raises(ValueError, match="n_jobs"):
        score_many(sums, corpus, progress=False, n_jobs=0)


class FakeClient:
    """Stands in for a dask.distributed Client (dask knows one by its class name and .get)."""

    asynchronous = False

    def __init__(self):
        self.calls = 0

    def get(self, dsk, keys, **kwargs):
        import dask.local

        self.calls += 1
        return dask.local.get_sync(dsk, keys, **kwargs)


def test_score_many_runs_on_a_cluster_client():
    corpus, sums = _corpus_and_summaries()
    client = FakeClient()
    out = score_many(sums, corpus, progress=False, errors="coerce", scheduler=client)
    assert client.calls == 1
    pd.testing.assert_frame_equal(out, score_many(sums, corpus, progress=False, errors="coerce"))
