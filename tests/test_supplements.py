"""A supplement log (supplements.csv) as the on-time rule reads it: counts, the second request,
the citizen's time subtracted from the finish (docs/rules.md §1), worked by hand."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
from sqlalchemy import select

from data_access import supplements
from data_access.engine import make_engine
from data_access.importer import import_folder
from data_access.queries import dossier_counts
from data_access.schema import dossiers
from metrics.compute import compute
from tests.import_fixtures import base_files, dossier_row, query, write_folder
from timebase.period import month_period

NOW = dt.datetime(2026, 11, 23, 10, 0)

T = pd.Timestamp


def test_facts_and_their_application_by_hand() -> None:
    log = pd.DataFrame(
        {
            "dossier_code": ["a", "b", "a"],
            # a: asked 2/10 09:00, back 4/10 09:00 (2 days); asked again 6/10, not back yet.
            # b: asked 3/10 10:00, back 16:00 the same day (6 hours).
            "requested_at": [T("2026-10-02 09:00"), T("2026-10-03 10:00"), T("2026-10-06 09:00")],
            "returned_at": [T("2026-10-04 09:00"), T("2026-10-03 16:00"), pd.NaT],
        }
    )
    facts = supplements.facts(log)
    assert facts.loc["a", "supplement_requests"] == 2 and facts.loc["b", "supplement_requests"] == 1
    assert facts.loc["a", "supplement_requested_at"] == T("2026-10-06 09:00")  # the latest
    assert facts.loc["a", "late_request_at"] == T("2026-10-06 09:00")  # the second request
    assert pd.isna(facts.loc["b", "late_request_at"])  # one request: never late by requests
    assert facts.loc["a", "supplement_wait"] == pd.Timedelta(days=2)
    assert facts.loc["b", "supplement_wait"] == pd.Timedelta(hours=6)
    chunk = pd.DataFrame(
        {
            "dossier_code": ["a", "b", "c"],
            "finished_at": [pd.NaT, T("2026-10-09 10:00"), T("2026-10-09 11:00")],
            "supplement_requests": [0, 0, 1],
            "supplement_requested_at": [pd.NaT, pd.NaT, T("2026-10-01 08:00")],
        }
    )
    out = supplements.apply(chunk, facts).set_index("dossier_code")
    # b finished 9/10 10:00 after 6 hours with the citizen → judged as finished 9/10 04:00.
    assert out.loc["b", "judged_finish_at"] == T("2026-10-09 04:00")
    # a is not finished; c is not in the log and keeps its own count and time.
    assert pd.isna(out.loc["a", "judged_finish_at"]) and pd.isna(out.loc["c", "judged_finish_at"])
    assert out.loc["a", "supplement_requests"] == 2 and out.loc["c", "supplement_requests"] == 1
    assert out.loc["c", "supplement_requested_at"] == T("2026-10-01 08:00")


def test_an_empty_log_changes_nothing() -> None:
    chunk = pd.DataFrame({"dossier_code": ["x"], "finished_at": [pd.NaT], "supplement_requests": [0]})
    empty = supplements.facts(pd.DataFrame({"dossier_code": [], "requested_at": [], "returned_at": []}))
    assert supplements.apply(chunk, empty) is chunk


def _import(tmp_path, url: str, name: str, log: list[dict[str, str]], extra: list[dict[str, str]]):
    files = base_files()
    files["dossiers.csv"] += extra
    files["supplements.csv"] = log
    return import_folder(write_folder(tmp_path / name, files), url)


# D5: received Mon 5/10 09:00, due Thu 8/10 17:00, processed Fri 9/10 10:00: 17 hours late by the
# clock, but the citizen took 24 hours (6/10 09:00 → 7/10 09:00) to supplement → judged as
# finished Thu 8/10 10:00, on time. D3 (base file: one request on 21/10) in fact had two: 6/10
# (back 8/10) and 21/10 → its second request was made on 21/10.
D5 = dossier_row(
    "D5", received_at="2026-10-05T09:00", due_at="2026-10-08T17:00", finished_at="2026-10-09T10:00",
    status="processed", supplement_requests="1", supplement_requested_at="2026-10-06T09:00",
)  # fmt: skip
LOG = [
    {"dossier_code": "D5", "requested_at": "2026-10-06T09:00", "returned_at": "2026-10-07T09:00"},
    {"dossier_code": "D3", "requested_at": "2026-10-21T09:00", "returned_at": ""},
    {"dossier_code": "D3", "requested_at": "2026-10-06T09:00", "returned_at": "2026-10-08T09:00"},
]


def test_a_supplement_log_imports_and_the_rule_reads_it(tmp_path: Path, any_url: str) -> None:
    done = _import(tmp_path, any_url, "a", LOG, [D5])
    assert done.fatal is None and not done.rejected, done.messages()
    d = dossiers.c
    rows = dict(
        (r[0], r[1:])
        for r in query(
            any_url,
            select(d.dossier_code, d.supplement_requests, d.late_request_at, d.judged_finish_at).where(
                d.dossier_code.in_(["D3", "D5"])
            ),
        )
    )
    assert rows["D5"] == (1, None, dt.datetime(2026, 10, 8, 10, 0))
    assert rows["D3"] == (2, dt.datetime(2026, 10, 21, 9, 0), None)
    engine = make_engine(any_url)
    try:
        october = compute(dossier_counts(engine, "province", month_period(2026, 10, NOW))).iloc[0]
    finally:
        engine.dispose()
    # Finished in October: D1 (on time) and D4 (on time) and D5 (on time once the citizen's day
    # is subtracted) → 3 of 3.
    assert (october["finished"], october["finished_on_time"]) == (3, 3)
    # Re-imported with D3's first request gone from the log: D3 changes, the rest does not.
    again = _import(tmp_path, any_url, "b", [LOG[0], LOG[1]], [D5])
    assert (again.new, again.changed) == (0, 1), again.messages()


def test_a_log_row_of_an_unknown_dossier_is_refused(tmp_path: Path, any_url: str) -> None:
    bad = [*LOG, {"dossier_code": "NOPE", "requested_at": "2026-10-06T09:00", "returned_at": ""}]
    result = _import(tmp_path, any_url, "c", bad, [D5])
    assert result.rejected == 1 and not result.loaded
    assert any("'NOPE' không có trong dossiers.csv" in m for m in result.messages())
