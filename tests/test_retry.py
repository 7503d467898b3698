"""The back-off a failing screen retries on: shared by every screen of the server, doubling
once per back-off (not once per screen that tried), and what a screen waits for."""

from __future__ import annotations

import pytest

from ui import data

URL = "sqlite:////nowhere/retry.sqlite"


@pytest.fixture
def clean(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.setenv("IOC_DATABASE_URL", URL)
    monkeypatch.setenv("IOC_RETRY_MIN_SECONDS", "2")
    monkeypatch.setattr(data, "_failures", {})
    clock = [1000.0]
    monkeypatch.setattr(data.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(data, "_clock", clock, raising=False)  # the tests move it
    return monkeypatch


def test_ten_screens_failing_at_once_count_as_one_failure(clean: pytest.MonkeyPatch) -> None:
    clock = data._clock  # type: ignore[attr-defined]
    key = ("levels:None:None", URL)
    for _ in range(10):  # ten screens' attempts within the first back-off
        data._note_failure(key)
    assert data._failures[key] == (1, 1002.0)
    assert data.retry_delay() == 2.0
    clock[0] = 1002.5  # the back-off has passed: the next failure doubles it
    data._note_failure(key)
    assert data._failures[key] == (2, 1006.5)
    assert data.retry_delay() == pytest.approx(4.0)
    clock[0] = 1006.0
    assert data.retry_delay() == pytest.approx(2.0)  # never less than IOC_RETRY_MIN_SECONDS


def test_the_wait_grows_to_a_minute_at_most(clean: pytest.MonkeyPatch) -> None:
    clock = data._clock  # type: ignore[attr-defined]
    key = ("meta", URL)
    waits = []
    for _ in range(8):  # each failure after the previous back-off has passed
        data._note_failure(key)
        waits.append(data._failures[key][1] - clock[0])
        clock[0] = data._failures[key][1]
    assert waits == [2.0, 4.0, 8.0, 16.0, 32.0, 60.0, 60.0, 60.0]
