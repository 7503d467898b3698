"""The calls :mod:`bench.answers` asks a code version: every public read the screens, exports and
command line make, over :data:`MOMENTS` × :data:`LEVELS` × four periods (:func:`periods`).

Imported by path inside the child process of one version (never with the project's code of
another): project modules are imported by name there, so they are that version's. A module or
function a version lacks is left out (:func:`_mod` gives None), and ``Period``'s helpers come from
``timebase.period`` or, before issue 21 item 2, ``metrics.period``.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
from collections.abc import Callable, Iterator
from typing import Any

#: Now on the sample (11:00 on 30/11/2026, bench.answers.TODAY), the end of a closed month,
#: mid-year after the two-tier reform, and before it (districts present).
MOMENTS = (
    dt.datetime(2026, 11, 30, 11, 0),
    dt.datetime(2026, 10, 31, 23, 59, 59),
    dt.datetime(2026, 6, 15, 9, 30),
    dt.datetime(2025, 3, 10, 14, 0),
)
LEVELS = ("province", "district", "commune", "agency")
FIRST_DAY = dt.date(2019, 1, 1)
SKIPPED_META = ("generated_at", "sample_version", "last_import_at")
Thunk = Callable[[], Any]


def _mod(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def periods(pm: Any, m: dt.datetime) -> dict[str, Any]:
    """The four periods judged at ``m``: its day, its month, its quarter, everything to it."""
    q = dt.date(m.year, 3 * ((m.month - 1) // 3) + 1, 1)
    q_end = (q.replace(day=28) + dt.timedelta(days=70)).replace(day=1) - dt.timedelta(days=1)
    return {
        "day": pm.make_period(m.date(), m.date(), m),
        "month": pm.month_period(m.year, m.month, m),
        "quarter": pm.make_period(q, q_end, m),
        "all": pm.make_period(FIRST_DAY, m.date(), m),
    }


def calls(e: Any, url: str) -> Iterator[tuple[str, Thunk]]:
    """Every (answer name, call) this version offers."""
    pm = _mod("timebase.period") or _mod("metrics.period")
    q, dd, tr, dk, wl = (
        _mod(f"data_access.{n}") for n in ("queries", "drilldown", "trends", "desks", "wall")
    )
    ql, ds, ol, f6 = (_mod(f"data_access.{n}") for n in ("quality", "due_soon", "outlook", "form06"))
    tables, standing, mds = _mod("metrics.tables"), _mod("metrics.standing"), _mod("metrics.due_soon")
    yield "queries.target_rows", lambda: q.target_rows(e)
    yield (
        "queries.database_meta",
        lambda: {k: v for k, v in q.database_meta(e).items() if k not in SKIPPED_META},
    )
    yield "queries.levels_present|ever", lambda: q.levels_present(e)
    yield "queries.agency_names|ever", lambda: q.agency_names(e)
    yield "trends.first_received_month", lambda: tr.first_received_month(e)
    yield "trends.procedure_fields", lambda: tr.procedure_fields(e)
    yield "quality.excluded_total", lambda: ql.excluded_total(e)
    yield "quality.table_total", lambda: ql.table_total(e)
    for m in MOMENTS:
        mk = f"{m:%Y-%m-%dT%H:%M}"
        months = pm.last_months(m, 12)
        yield f"queries.overdue_open_dossiers|{mk}", lambda m=m: q.overdue_open_dossiers(e, m, 50)
        yield f"wall.intake_by_hour|{mk}", lambda m=m: wl.intake_by_hour(e, m.date(), m)
        yield f"quality.quality_counts|{mk}", lambda m=m: ql.quality_counts(e, m)
        if ds is not None and mds is not None:
            w = mds.due_soon_window(m)
            times = ds.DueSoonTimes(m, w.until, w.apology_from, w.apology_before)
            for lv in LEVELS:
                yield (
                    f"due_soon.due_soon_dossiers|{mk}|{lv}",
                    lambda t=times, lv=lv: ds.due_soon_dossiers(e, t, lv),
                )
                yield f"due_soon.due_soon_total|{mk}|{lv}", lambda t=times, lv=lv: ds.due_soon_total(e, t, lv)
        for lv in LEVELS[:3]:
            yield (
                f"queries.monthly_counters|{mk}|{lv}",
                lambda lv=lv, ms=months: q.monthly_counters(e, lv, ms),
            )
            yield (
                f"queries.monthly_counters|{mk}|{lv}|field,channel",
                lambda lv=lv, ms=months: q.monthly_counters(e, lv, ms, ("field", "channel")),
            )
        for pk, p in periods(pm, m).items():
            yield from _period_calls(e, url, f"{mk}|{pk}", p, locals())


def _period_calls(e: Any, url: str, key: str, p: Any, ns: dict[str, Any]) -> Iterator[tuple[str, Thunk]]:
    q, dd, tr, dk, ol, f6 = (ns[n] for n in ("q", "dd", "tr", "dk", "ol", "f6"))
    tables, standing = ns["tables"], ns["standing"]
    yield f"queries.levels_present|{key}", lambda: q.levels_present(e, p)
    yield f"queries.agency_names|{key}", lambda: q.agency_names(e, p)
    yield f"drilldown.agency_counters|{key}", lambda: dd.agency_counters(e, p)
    yield f"drilldown.agency_procedure_counts|{key}", lambda: dd.agency_procedure_counts(e, p)
    if hasattr(q, "official_scores"):
        yield f"queries.official_scores|{key}", lambda: q.official_scores(e, p)
    if f6 is not None:
        yield f"form06.form_counts|{key}", lambda: f6.form_counts(e, p)
        yield f"form06.form_counts|{key}|field", lambda: f6.form_counts(e, p, by_field=True)
    previous, memo = p.previous_or_none(), {}

    def counters(lv: str, per: Any) -> Any:  # level_counters once for the metric tables below
        if (lv, per) not in memo:
            memo[lv, per] = dd.level_counters(e, lv, per)
        return memo[lv, per].copy()

    # The reads of the dossier table itself (the raw references, the subject drill-downs: full
    # scans of a unit's rows) on one period a moment, the month: the run stays within minutes.
    raw = key.endswith("|month")
    for lv in LEVELS:
        k = f"{key}|{lv}"
        yield f"queries.procedure_counts|{k}", lambda lv=lv: q.procedure_counts(e, lv, p)
        if raw:
            yield f"queries.raw_procedure_counts|{k}", lambda lv=lv: q.raw_procedure_counts(e, lv, p)
        yield f"drilldown.level_counters|{k}", lambda lv=lv: dd.level_counters(e, lv, p)
        yield f"metrics.unit_metrics|{k}", lambda lv=lv: tables.unit_metrics(counters(lv, p), 20)
        if previous is not None:
            for by in ("score_766", "on_time_rate"):
                yield (
                    f"metrics.ranking_table|{k}|{by}",
                    lambda lv=lv, by=by: standing.ranking_table(
                        tables.unit_metrics(counters(lv, p)),
                        tables.unit_metrics(counters(lv, previous)),
                        by,
                        20,
                    ),
                )
        if ol is not None:
            yield (
                f"outlook.open_due_before_close|{k}",
                lambda lv=lv: ol.open_due_before_close(e, lv, p.as_of, p.end_before),
            )
        yield f"ui.ranking_data._level_metrics|{k}", lambda lv=lv: _ui_level_metrics(url, lv, p)
        kind, code = (
            ("agency", _first_agency(q, e, p)) if lv == "agency" else ("unit", _first_unit(q, e, lv, p))
        )
        if raw and code is not None:
            yield (
                f"drilldown.subject_months|{k}",
                lambda kind=kind, c=code: dd.subject_months(e, kind, c, [p]),
            )
            for by in ("subunit", "procedure"):  # of dd.PARTS: the tree's and the finest
                yield (
                    f"drilldown.subject_parts|{k}|{by}",
                    lambda kind=kind, c=code, by=by: dd.subject_parts(e, kind, c, p, by),
                )
        if lv == "agency":
            continue
        yield f"queries.dossier_counts|{k}", lambda lv=lv: q.dossier_counts(e, lv, p)
        if raw:
            yield f"queries.raw_dossier_counts|{k}", lambda lv=lv: q.raw_dossier_counts(e, lv, p)
        for by in (("field",), ("agency", "channel"), ("procedure",)):
            yield (
                f"queries.dossier_counts|{k}|{','.join(by)}",
                lambda lv=lv, by=by: q.dossier_counts(e, lv, p, by),
            )
        yield f"queries.feedback_counts|{k}", lambda lv=lv: q.feedback_counts(e, lv, p)
        yield f"queries.unit_counters|{k}", lambda lv=lv: q.unit_counters(e, lv, p)
        yield f"queries.units_at_level|{k}", lambda lv=lv: q.units_at_level(e, lv, p)
        yield f"ui.data._unit_counters|{k}", lambda lv=lv: _ui("ui.data", "_unit_counters", url, lv, p)
        yield f"desks.desk_counts|{k}", lambda lv=lv: dk.desk_counts(e, lv, p)
        yield f"trends.monthly_feedback|{k}", lambda lv=lv: tr.monthly_feedback(e, lv, p)
        code = _first_unit(q, e, lv, p)
        if code is not None:
            yield f"trends.monthly_provision|{k}", lambda c=code: tr.monthly_provision(e, c, p)
            yield f"trends.mostly_paper_procedures|{k}", lambda c=code: tr.mostly_paper_procedures(e, c, p)
            yield f"trends.processing_by_procedure|{k}", lambda c=code: tr.processing_by_procedure(e, c, p)
            for by in ("field", "agency"):
                yield f"trends.unsatisfied_by|{k}|{by}", lambda c=code, by=by: tr.unsatisfied_by(e, c, p, by)


def _first_unit(q: Any, e: Any, level: str, p: Any) -> str | None:
    codes = q.units_at_level(e, level, p)["code"]
    return str(codes.iloc[0]) if len(codes) else None


def _first_agency(q: Any, e: Any, p: Any) -> str | None:
    codes = q.agency_names(e, p)["code"]
    return str(codes.iloc[0]) if len(codes) else None


def _ui(module: str, name: str, url: str, level: str, p: Any) -> Any:
    return getattr(importlib.import_module(module), name)(url, level, p.start, p.end, p.as_of)


def _ui_level_metrics(url: str, level: str, p: Any) -> Any:
    fn = importlib.import_module("ui.ranking_data")._level_metrics
    extra = ("portal-2026",) if "rules" in inspect.signature(fn.__wrapped__).parameters else ()
    return fn(url, level, p.start, p.end, p.as_of, *extra)
