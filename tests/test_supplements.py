"""A supplement log (supplements.csv) as the on-time rule reads it: counts, the second request,
the citizen's time subtracted from the finish (docs/rules.md §1), worked by hand."""

from __future__ import annotations

import pandas as pd

from data_access import supplements

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
