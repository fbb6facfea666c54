"""The Dask client of a run: none, a ``LocalCluster`` started for it, or a running scheduler.

``compute.scheduler`` (:class:`~pipeline.params.ComputeParams`) picks it: None runs the whole
pipeline in this process; ``local`` starts a ``dask.distributed.LocalCluster`` of
``compute.workers`` processes (one thread each) and closes it after the run; anything else is
the address of a scheduler that is already running (``tcp://10.0.0.5:8786``), whose workers must
have Balsis and the embedding model at the same path (README, "Dask").
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from pipeline.errors import BalsisError
from pipeline.params import ComputeParams

logger = logging.getLogger(__name__)

LOCAL = "local"
CONNECT_TIMEOUT = 10
"""Seconds to wait for a scheduler to answer before giving up."""


@contextlib.contextmanager
def dask_client(params: ComputeParams, *, timeout: float = CONNECT_TIMEOUT) -> Iterator[Any]:
    """A ``distributed.Client`` for the run (None when ``compute.scheduler`` is null).

    Raises:
        BalsisError: No scheduler answered at the address within ``timeout`` seconds, or
            ``dask.distributed`` is not installed.
    """
    if params.scheduler is None:
        yield None
        return
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - a dependency of the package
        raise BalsisError(
            "compute.scheduler needs dask.distributed: pip install dask distributed"
        ) from exc
    if params.scheduler.strip() == LOCAL:
        workers = params.workers or os.cpu_count() or 1
        logger.info("compute: starting a local Dask cluster of %d worker processes", workers)
        with (
            _environment_kept(),
            LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
            ) as cluster,
            Client(cluster) as client,
        ):
            yield client
        return
    address = params.scheduler.strip()
    try:
        client = Client(address, timeout=timeout)
    except ValueError as exc:
        raise BalsisError(
            f"compute.scheduler: {address!r} is not a Dask scheduler address ({exc}); give "
            "one such as tcp://10.0.0.5:8786, or local, or null"
        ) from exc
    except (OSError, TimeoutError) as exc:
        raise BalsisError(
            f"compute.scheduler: no Dask scheduler answered at {address} within {timeout:g} s "
            f"({exc}); start one (dask scheduler) or set compute.scheduler to null or local"
        ) from exc
    with client:
        try:  # a scheduler without workers would hold the run's tasks for ever
            client.wait_for_workers(1, timeout=timeout)
        except (OSError, TimeoutError) as exc:
            raise BalsisError(
                f"compute.scheduler: the Dask scheduler at {address} has no workers (none "
                f"joined within {timeout:g} s); start some (dask worker {address})"
            ) from exc
        n_workers = len(client.scheduler_info().get("workers", {}))
        logger.info("compute: Dask scheduler %s with %d workers", address, n_workers)
        yield client


@contextlib.contextmanager
def _environment_kept() -> Iterator[None]:
    """Give this process its environment back after a ``LocalCluster``.

    Each of its nannies sets ``distributed.nanny.pre-spawn-environ`` (``OMP_NUM_THREADS=1``,
    ``MKL_NUM_THREADS=1``, ...) in the environment of the process that starts it, so that its
    worker inherits them, and leaves them there: every process started later (a benchmark's
    next run, a notebook's next pipeline) would have one thread for torch and BLAS.
    """
    saved = dict(os.environ)
    try:
        yield
    finally:
        for name in set(os.environ) - set(saved):
            del os.environ[name]
        for name, value in saved.items():
            if os.environ.get(name) != value:
                os.environ[name] = value


def spread_size(client: Any, n_rows: int, size: int) -> int:
    """``size``, made smaller when that leaves a worker of ``client`` without a partition.

    ``compute.partition_size`` is the most a worker gets at a time; 2,000 texts on a 2-worker
    cluster would otherwise be one partition, and one worker idle.
    """
    n_workers = max(1, len(client.scheduler_info().get("workers", {})))
    return max(1, min(size, -(-n_rows // n_workers)))


def partitions(n_rows: int, size: int) -> list[slice]:
    """Consecutive slices of ``size`` rows covering ``range(n_rows)`` (the last may be shorter).

    >>> partitions(5, 2)
    [slice(0, 2, None), slice(2, 4, None), slice(4, 5, None)]
    """
    return [slice(start, min(start + size, n_rows)) for start in range(0, n_rows, size)]


def gather_in_order(
    client: Any, futures: Sequence[Any], step: str, *, on_done: Callable[[int], None] | None = None
) -> list[Any]:
    """The results of ``futures`` in their order, logging each partition as it finishes.

    Logs "``step``: partition 3/12 done (2.1 s since the first was sent)".
    """
    from distributed import as_completed

    position = {future.key: i for i, future in enumerate(futures)}
    results: list[Any] = [None] * len(futures)
    start = time.perf_counter()
    for done, (future, result) in enumerate(as_completed(futures, with_results=True), start=1):
        i = position[future.key]
        results[i] = result
        logger.info(
            "%s: partition %d/%d done (%.1f s since the first was sent)",
            step,
            done,
            len(futures),
            time.perf_counter() - start,
        )
        if on_done is not None:
            on_done(i)
    return results
