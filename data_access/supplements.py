"""A supplement log (supplements.csv) turned into what the on-time rule needs per dossier.

Without a log, a dossier carries the count of supplement requests and the latest request's time;
the second request's time is then inferred (``schema.late_request_from_count``, exact up to two
requests). With a log, one row per request (``dossier_code, requested_at, returned_at``), the
figures are exact (docs/rules.md §1): the count and latest request, the time of the second
request (from which "more than one request" makes the dossier late), and the time the citizen
took to supplement, which is subtracted from a finished dossier's finish before it is compared
with its due date.
"""

from __future__ import annotations

import pandas as pd

#: Per dossier code: requests, latest request, second request, days the citizen took (returned ones).
FACT_COLUMNS = ("supplement_requests", "supplement_requested_at", "late_request_at", "supplement_wait")


def facts(log: pd.DataFrame) -> pd.DataFrame:
    """The log's facts per dossier (index ``dossier_code``; columns :data:`FACT_COLUMNS`).

    ``log`` holds ``dossier_code``, ``requested_at`` and ``returned_at`` (NaT: not returned yet)
    as timestamps; ``supplement_wait`` is a Timedelta (0 when nothing was returned).
    """
    if log.empty:
        return pd.DataFrame(columns=list(FACT_COLUMNS), index=pd.Index([], name="dossier_code"))
    frame = log.sort_values(["dossier_code", "requested_at"])
    by = frame.groupby("dossier_code", sort=True)
    wait = (frame["returned_at"] - frame["requested_at"]).where(frame["returned_at"].notna())
    out = pd.DataFrame(
        {
            "supplement_requests": by.size(),
            "supplement_requested_at": by["requested_at"].max(),
            "late_request_at": _second(frame),
            "supplement_wait": wait.groupby(frame["dossier_code"]).sum(min_count=0),
        }
    )
    out["supplement_wait"] = out["supplement_wait"].fillna(pd.Timedelta(0))
    return out


def _second(frame: pd.DataFrame) -> pd.Series:
    """The second request's time per dossier (NaT with one request); ``frame`` sorted by time."""
    rank = frame.groupby("dossier_code").cumcount()
    second = frame.loc[rank == 1].set_index("dossier_code")["requested_at"]
    codes = frame["dossier_code"].unique()
    return second.reindex(pd.Index(codes, name="dossier_code"))


def apply(dossiers: pd.DataFrame, log_facts: pd.DataFrame) -> pd.DataFrame:
    """``dossiers`` (typed, one chunk) with the log's facts for the codes the log holds: the
    request count and latest request replaced, ``late_request_at`` set, and ``judged_finish_at``
    = finish − supplement time for a finished dossier whose citizen took any time. Rows the log
    does not hold are unchanged (their ``late_request_at`` is inferred on write).
    """
    if log_facts.empty:
        return dossiers
    found = log_facts.reindex(dossiers["dossier_code"].to_numpy())
    has = found["supplement_requests"].notna().to_numpy()
    if not has.any():
        return dossiers
    out = dossiers.copy()
    for column in ("supplement_requests", "supplement_requested_at", "late_request_at"):
        if column not in out.columns:
            out[column] = pd.NaT if column != "supplement_requests" else 0
        values = found[column].to_numpy()
        out.loc[has, column] = values[has]
    finished = pd.to_datetime(out["finished_at"])
    wait = pd.to_timedelta(found["supplement_wait"]).fillna(pd.Timedelta(0)).to_numpy()
    judged = (finished - wait).where(has & finished.notna().to_numpy() & (wait > pd.Timedelta(0)))
    if "judged_finish_at" in out.columns:  # an earlier log's figure stays for the rows this one lacks
        judged = judged.where(has, pd.to_datetime(out["judged_finish_at"]))
    out["judged_finish_at"] = judged
    out["supplement_requests"] = pd.to_numeric(out["supplement_requests"]).astype("int64")
    return out


def from_text(codes: pd.Series, logs: pd.Series) -> pd.DataFrame:
    """The log of rows that carry it as text (a national record's steps,
    :data:`data_access.portal_records.LOG_COLUMN`: ``requested|returned`` pairs joined by ``;``),
    as :func:`facts` takes it. Times that do not parse are left out (the row's own columns are
    checked by the import's rules).
    """
    has = logs.to_numpy(dtype=object) != ""
    if not has.any():
        return pd.DataFrame({"dossier_code": [], "requested_at": [], "returned_at": []})
    pairs = pd.Series(logs.to_numpy(dtype=object)[has], index=codes.to_numpy(dtype=object)[has])
    pairs = pairs.str.split(";").explode()
    parts = pairs.str.split("|", n=1, expand=True).reindex(columns=[0, 1])
    log = pd.DataFrame(
        {
            "dossier_code": pairs.index.to_numpy(dtype=object),
            "requested_at": pd.to_datetime(parts[0].to_numpy(), errors="coerce", format="ISO8601"),
            "returned_at": pd.to_datetime(
                parts[1].replace("", None).to_numpy(), errors="coerce", format="ISO8601"
            ),
        }
    )
    return log[log["requested_at"].notna()].reset_index(drop=True)
