"""Independent queries of one answer, run at once on a small shared pool of threads.

SQLite and psycopg release the GIL while a query runs, so the dossier, procedure and feedback
parts of a screen (or a trend's months and its open rows) overlap on the machine's two cores
instead of queuing. The pool is fixed and shared by every session, so its threads, their
connections and their malloc arenas stay few and warm.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from typing import Any

_POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="ioc-query")
_local = threading.local()


def _on_worker(call: Callable[[], Any]) -> Any:
    _local.worker = True
    return call()


def at_once(*calls: Callable[[], Any]) -> list[Any]:
    """The results of ``calls`` in order: the first runs on this thread, the others on the pool.

    The first failure, in call order, is raised once every call has ended (those not yet started
    are cancelled): no job keeps a connection busy behind a failed answer. Called from a pool
    thread, the calls run one after the other: a pool thread waiting for the pool could
    otherwise wait for itself.
    """
    if getattr(_local, "worker", False):
        return [call() for call in calls]
    jobs = [_POOL.submit(_on_worker, call) for call in calls[1:]]
    results: list[Any] = []
    error: BaseException | None = None
    try:
        results.append(calls[0]() if calls else None)
    except BaseException as exc:  # raised below, once the pool's jobs are done or cancelled
        error = exc
        for job in jobs:
            job.cancel()
    wait(jobs)  # never leave a job holding a connection behind a failed answer
    for job in jobs:
        if job.cancelled():
            continue
        if job.exception() is not None:
            error = error or job.exception()
        else:
            results.append(job.result())
    if error is not None:
        raise error
    return results[: len(calls)]
