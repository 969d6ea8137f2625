"""Run independent pieces of work in parallel, locally or on a dask cluster.

One helper, :func:`map_parts`, used by the batch calls (``score_many``): it applies a
function to each part of the work, in order, either in this process (the default), in
local worker processes (``n_jobs``), or with any dask scheduler (``scheduler``: a name
such as ``"processes"``, or a ``dask.distributed.Client`` for a cluster). Results come
back in the order of the parts whatever the scheduler, so a parallel run returns exactly
what a serial one does.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["map_parts", "plan_blocks", "workers"]


def plan_blocks(
    groups: Sequence[Any], n_blocks: int, *, min_blocks: int = 1, block_size: int | None = None
) -> list[np.ndarray]:
    """Positions of the items, cut into blocks that keep each group together if they can.

    A group (a story, for ``score_many``) shares work between its items, so it is split
    only when it must be: when ``block_size`` is given and the group is larger, or when
    there are fewer groups than ``min_blocks`` (workers would sit idle). Small groups that
    follow each other share a block up to the target size (``len / n_blocks`` items, or
    ``block_size``).

    Examples
    --------
    >>> [b.tolist() for b in plan_blocks(["a", "b", "a", "c"], 2)]
    [[0, 2], [1, 3]]
    >>> [b.tolist() for b in plan_blocks(["a"] * 4, 2, min_blocks=2)]
    [[0, 1], [2, 3]]
    """
    codes = pd.factorize(pd.Series(list(groups), dtype=object))[0]
    n = len(codes)
    if n == 0:
        return []
    order = np.argsort(codes, kind="stable")
    pieces = np.split(order, np.flatnonzero(np.diff(codes[order])) + 1)
    split = block_size is not None or len(pieces) < min_blocks
    if block_size is not None:
        size = int(block_size)
    elif len(pieces) < min_blocks:
        size = -(-n // min_blocks)
    else:
        size = -(-n // max(1, n_blocks))
    if split:
        pieces = [p[i : i + size] for p in pieces for i in range(0, len(p), size)]
    blocks: list[np.ndarray] = []
    current: list[np.ndarray] = []
    filled = 0
    for piece in pieces:
        if current and filled + len(piece) > size:
            blocks.append(np.concatenate(current))
            current, filled = [], 0
        current.append(piece)
        filled += len(piece)
    blocks.append(np.concatenate(current))
    return blocks


def workers(n_jobs: int | None) -> int:
    """Number of local workers ``n_jobs`` stands for (``-1``: all cores; ``None``: one).

    Examples
    --------
    >>> workers(None), workers(3), workers(-1) >= 1
    (1, 3, True)
    """
    if n_jobs is None:
        return 1
    n_jobs = int(n_jobs)
    if n_jobs == 0 or n_jobs < -1:
        raise ValueError(f"n_jobs must be a positive number or -1 (all cores), not {n_jobs}")
    return (os.cpu_count() or 1) if n_jobs == -1 else n_jobs


def map_parts(
    func: Callable[[Any], Any],
    parts: Sequence[Any],
    *,
    n_jobs: int | None = None,
    scheduler: Any = None,
    progress: bool = False,
    desc: str | None = None,
    weight: Callable[[Any], int] | None = None,
    total: int | None = None,
) -> list[Any]:
    """Apply ``func`` to every part, serially or with dask; results in part order.

    Parameters
    ----------
    func : callable
        A module-level function (worker processes must be able to import it).
    parts : sequence
        The inputs, one call each.
    n_jobs : int or None
        Local worker processes (``-1``: one per core). ``None`` or 1 runs in this process,
        unless ``scheduler`` is given.
    scheduler : str, dask Client or None
        Any dask scheduler: ``"processes"``, ``"threads"``, ``"synchronous"``, or a
        ``dask.distributed.Client`` to run on a cluster. Default: ``"processes"`` when
        ``n_jobs`` > 1.
    progress : bool
        Show a tqdm bar (local schedulers; a distributed cluster has its own dashboard).
    desc : str, optional
        Label of the bar.
    weight : callable, optional
        What a finished part adds to the bar, from its result (default: 1).
    total : int, optional
        Length of the bar (default: the number of parts).

    Returns
    -------
    list
        ``[func(p) for p in parts]``.

    Raises
    ------
    ImportError
        A parallel run was asked for and dask is not installed.

    Examples
    --------
    >>> map_parts(sum, [[1, 2], [3]])
    [3, 3]
    >>> map_parts(sum, [[1, 2], [3]], scheduler="synchronous")
    [3, 3]
    """
    from tqdm.auto import tqdm

    jobs = workers(n_jobs)
    weight = weight or (lambda _: 1)
    if scheduler is None and jobs <= 1:
        out = []
        with tqdm(total=total or len(parts), desc=desc, disable=not progress) as bar:
            for part in parts:
                res = func(part)
                bar.update(weight(res))
                out.append(res)
        return out
    try:
        import dask
        from dask.callbacks import Callback
    except ImportError as exc:  # pragma: no cover - dask is installed by `make`
        raise ImportError(
            "running in parallel (n_jobs > 1 or scheduler=...) needs dask: "
            "pip install 'dask[dataframe]' (the newslab[scale] extra)"
        ) from exc
    scheduler = scheduler or "processes"
    tasks = [dask.delayed(func, pure=False)(part) for part in parts]
    keys = {t.key for t in tasks}
    with tqdm(total=total or len(parts), desc=desc, disable=not progress) as bar:

        def done(key: Any, result: Any, *_: Any) -> None:
            if key in keys:
                bar.update(weight(result))

        kwargs: dict[str, Any] = {}
        if isinstance(scheduler, str) and jobs > 1:
            kwargs["num_workers"] = jobs
        if scheduler in ("processes", "multiprocessing"):
            # the parts are coarse: hand them out one by one (dask's default batches 6)
            kwargs["chunksize"] = 1
        with Callback(posttask=done):
            return list(dask.compute(*tasks, scheduler=scheduler, **kwargs))
