"""data_access.parallel.at_once: independent queries of one answer run at once, in order."""

from __future__ import annotations

import threading

import pytest

from data_access.parallel import at_once


def test_calls_overlap_and_results_keep_their_order() -> None:
    """Two calls that wait for each other at a barrier finish only when they run at once."""
    meet = threading.Barrier(2, timeout=10)

    def arrive(value: str) -> str:
        meet.wait()
        return value

    assert at_once(lambda: arrive("dossiers"), lambda: arrive("procedures"), lambda: 3) == [
        "dossiers",
        "procedures",
        3,
    ]
    assert at_once() == []


def test_a_failure_is_raised_to_the_caller() -> None:
    def broken() -> None:
        raise ValueError("no such table: summary_day")

    with pytest.raises(ValueError, match="summary_day"):
        at_once(lambda: 1, broken)


def test_nested_calls_from_pool_threads_do_not_deadlock() -> None:
    """Six outer calls (more than the pool's four threads) that each call at_once again: pool
    threads waiting for the pool would wait forever; from a pool thread the calls run in turn."""
    done: list[list[list[int]]] = []

    def outer() -> None:
        done.append(at_once(*[lambda: at_once(lambda: 1, lambda: 2) for _ in range(6)]))

    runner = threading.Thread(target=outer, daemon=True)
    runner.start()
    runner.join(timeout=20)
    assert not runner.is_alive(), "at_once deadlocked"
    assert done == [[[1, 2]] * 6]


def test_after_a_failure_no_job_is_left_running() -> None:
    """When the first call fails, the pool's jobs have ended (or never started) by the time the
    failure reaches the caller: none keeps a connection busy behind a failed answer."""
    import time

    finished: list[str] = []
    started = threading.Event()

    def slow() -> None:
        started.set()
        time.sleep(0.3)
        finished.append("slow")

    def broken() -> None:
        started.wait(10)  # the pool's job is running: it cannot be cancelled any more
        raise ConnectionError("database unreachable")

    with pytest.raises(ConnectionError):
        at_once(broken, slow)
    assert finished == ["slow"]  # the failure waited for it


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_page_worth_of_concurrent_fetches_reuses_pooled_connections(backend, tmp_path, request) -> None:
    """The overview's five fetches (ui.data.together) while the shared pool's four threads read
    their parts hold nine connections at once; the dashboard's engine keeps them all, so the
    next render opens none (a pool of five opened four anew each render: a PostgreSQL backend
    fork, or a SQLite connection with a cold page cache)."""
    from sqlalchemy import event, text

    from data_access.engine import make_engine
    from tests.builders import build

    url = f"sqlite:///{tmp_path / 'db.sqlite'}" if backend == "sqlite" else request.getfixturevalue("pg_url")
    build(url, []).dispose()
    engine = make_engine(url)
    opened: list[int] = []
    event.listen(engine, "connect", lambda *_: opened.append(1))
    held = threading.Barrier(9, timeout=20)

    def fetch() -> None:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            held.wait()  # all nine are checked out at this moment

    try:
        for _ in range(2):
            opened.clear()
            threads = [threading.Thread(target=fetch) for _ in range(9)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        assert not held.broken
        assert opened == []  # the second render found all nine in the pool
    finally:
        engine.dispose()
