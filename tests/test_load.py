"""The load run (``ops.load``) works end to end, small: 3 viewers for 10 seconds on a tiny sample.

It starts its own server, the viewers speak Streamlit's websocket protocol (a page run each, the
fragment reruns the server schedules, a reopened session), and it writes its figures. The real
measurement (20 viewers, 5 minutes) is in docs/load.md; this only proves the tool measures.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from ops import load
from tests.browser_fixtures import free_port

SAMPLE_DAY = dt.date(2026, 11, 23)


def test_three_viewers_get_timed_runs_without_errors(tmp_path: Path) -> None:
    from sample_data.generate import build_sample

    url = f"sqlite:///{tmp_path / 'tiny.sqlite'}"
    build_sample(url, scale=0.01, today=SAMPLE_DAY)
    argv = ["--viewers", "3", "--minutes", str(10 / 60), "--port", str(free_port()), "--database", url]
    argv += ["--reopen-seconds", "5", "--sample-seconds", "2", "--name", "test", "--results", str(tmp_path)]
    # A fragment rerun every 3 s, on the sample's own day (11:00), so every figure is there.
    argv += ["--server-env", "IOC_REFRESH_SECONDS=3", "--server-env", "IOC_NOW=2026-11-23T11:00:00"]

    result = load.main(argv)

    assert result["errors"] == 0, result["error_lines"]
    assert result["by_kind"]["page"]["n"] >= 3  # one page run per viewer at least
    assert result["runs"] > 3  # and the fragment reruns or reopened sessions besides
    assert result["server_mb_min_median_max"] is not None
    saved = json.loads((tmp_path / "load-test.json").read_text())
    assert saved["runs"] == result["runs"]
    assert "server time per run" in (tmp_path / "load-test.md").read_text()
