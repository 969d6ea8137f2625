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

__all__ = ["map_parts", "split_even", "workers"]


def split_even(n: int, parts: int) -> list[range]:
    """Cut ``range(n)`` into at most ``parts`` contiguous ranges of near-equal length.

    Examples
    --------
    >>> split_even(5, 2)
    [range(0, 3), range(3, 5)]
    >>> split_even(2, 8)
    [range(0, 1), range(1, 2)]
    """
    if n <= 0:
        return []
    parts = max(1, min(int(parts), n))
    size, extra = divmod(n, parts)
    out, lo = [], 0
    for k in range(parts):
        hi = lo + size + (k < extra)
        out.append(range(lo, hi))
        lo = hi
    return out


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
