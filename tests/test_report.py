"""``cli.py report`` on a generated sample: its output matches the metric functions, and the
on-time rate matches an independent Python reading of docs/rules.md §1 over the raw rows."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import select

import cli
from data_access.engine import make_engine
from data_access.queries import unit_counters
from data_access.schema import dossiers, unit_ancestors
from metrics.tables import unit_metrics
from sample_data.generate import build_sample
from timebase.period import make_period

TODAY = dt.date(2026, 11, 23)
ARGS = ["--level", "district", "--start", "2026-10-01", "--end", "2026-10-31"]


@pytest.fixture(scope="module")
def sample_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('sample') / 'sample.sqlite'}"
    build_sample(url, seed=7, scale=0.05, today=TODAY)
    return url


def _report(url: str, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str, str]:
    code = cli.main(["report", "--database", url, *ARGS, *extra])
    out, err = capsys.readouterr()
    return code, out, err


def _reference_on_time(url: str, start: dt.datetime, end_before: dt.datetime, as_of: dt.datetime) -> dict:
    """Metric 1 per district, read straight from docs/rules.md §1 over the raw rows (test-only)."""
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = pd.DataFrame(conn.execute(select(dossiers)).mappings().all())
        anc = pd.DataFrame(conn.execute(select(unit_ancestors)).mappings().all())
    district = anc[anc["ancestor_level"] == "district"].set_index("unit_code")["ancestor_code"]
    out: dict[str, list[int]] = {}
    for r in rows.itertuples():
        if r.unit_code not in district.index:
            continue  # a provincial department's dossier: in the province only
        finished_at = None if pd.isna(r.finished_at) else r.finished_at
        if r.status in ("processed", "returned", "stopped"):
            settled = finished_at
        elif r.status == "withdrawn":  # a withdrawal finishes the dossier at its time
            settled = finished_at or r.received_at
        elif r.status == "supplement_requested":
            settled = r.supplement_requested_at
        else:
            settled = None
        # Requests made by a moment: all of them, less the latest when it came after the moment.
        latest = None if pd.isna(r.supplement_requested_at) else r.supplement_requested_at

        def made_by(moment: dt.datetime, r=r, latest=latest) -> int:
            return r.supplement_requests - (1 if latest is not None and latest > moment else 0)

        if settled is not None and start <= settled < end_before and settled <= as_of:
            on_time = settled <= r.due_at and made_by(settled) < 2
        elif r.received_at <= as_of and (settled is None or settled > as_of):
            on_time = r.due_at >= as_of and made_by(as_of) < 2
        else:
            continue
        counts = out.setdefault(district[r.unit_code], [0, 0])
        counts[0] += int(on_time)
        counts[1] += 1
    return {code: num / den for code, (num, den) in out.items()}


def test_report_matches_the_metric_functions(sample_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _report(sample_url, capsys)
    assert code == 0
    rows = json.loads(out)
    districts = [r for r in rows if r["level"] == "district"]
    province = [r for r in rows if r["level"] == "province"]
    assert len(districts) == 11 and len(province) == 1
    period = make_period(dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    engine = make_engine(sample_url)
    expected = unit_metrics(unit_counters(engine, "district", period), 20).set_index("unit_code")
    for r in districts:
        e = expected.loc[r["unit_code"]]
        assert r["unit_name"] == e["unit_name"]
        assert r["received"] == int(e["received"])
        for key in (
            "on_time_rate",
            "on_time_rate_finished",
            "online_share",
            "online_payment_share",
            "satisfaction_rate",
        ):
            assert r[key] == pytest.approx(e[key]), key
        assert r["overdue_in_progress"] == int(e["overdue_in_progress"])
        assert r["score_766"] == pytest.approx(e["score_766"], abs=1e-4)
        # The portal's 2026 groups (the default rule set): their points add up to the score.
        groups = ("progress", "online", "payment", "digitisation", "satisfaction")
        assert sum(r[f"points_{g}"] for g in groups) == pytest.approx(r["score_766"], abs=1e-3)
        assert r["score_max"] == 72 and 0 <= r["points_progress"] <= 20
        assert r["rank"] == (None if pd.isna(e["rank"]) else int(e["rank"]))
        assert r["small"] == bool(e["small"])
    # The province's dossiers are the sum of its districts' and its own departments'.
    assert province[0]["received"] >= sum(r["received"] for r in districts)
    assert province[0]["rank"] is None
    # Ranks run from 1 and are ordered by score (ties share a rank).
    ranks = [r["rank"] for r in districts if r["rank"] is not None]
    assert ranks == sorted(ranks) and ranks[0] == 1
    scores = [r["score_766"] for r in districts if r["rank"] is not None]
    assert scores == sorted(scores, reverse=True)
    # Independent check of metric 1 from the raw rows.
    reference = _reference_on_time(sample_url, period.start_at, period.end_before, period.as_of)
    for r in districts:
        assert r["on_time_rate"] == pytest.approx(reference[r["unit_code"]]), r["unit_code"]


def test_report_csv_and_as_of(sample_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _report(sample_url, capsys, "--format", "csv", "--as-of", "2026-10-15T12:00:00")
    assert code == 0
    lines = out.strip().splitlines()
    header = lines[0].split(",")
    for key in ("unit_code", "unit_name", "received", "on_time_rate", "score_766", "rank"):
        assert key in header
    assert len(lines) == 1 + 11 + 1


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--level", "ward"], "level 'ward' is not in this database"),
        (["--start", "2026-13-01"], "--start must be a date"),
        (["--end", "2026-09-01"], "ends (2026-09-01) before it starts"),
        (["--as-of", "yesterday"], "--as-of must be an ISO time"),
    ],
)
def test_report_bad_arguments_get_a_clear_message(
    sample_url: str, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    code, out, err = _report(sample_url, capsys, *extra)
    assert code == 2
    assert message in err
    assert out == ""


def test_report_unreachable_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["report", "--database", f"sqlite:///{tmp_path / 'none.sqlite'}", *ARGS])
    _, err = capsys.readouterr()
    assert code == 2
    assert "cannot read the database" in err
