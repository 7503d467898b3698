"""The summaries give exactly the figures of the raw dossier table, however they were reached.

A seeded random sequence of inserts, completions, supplement requests and returns, withdrawals
and ratings is written through the shared upsert (the change-log triggers capture each old
image) and absorbed by ``summary.refresh`` after every batch. Then, for every level, several
periods (whole months, a quarter, month to date, custom spans, periods judged at a past day end
in the middle of a month) and dimensions, ``dossier_counts`` (summary path) must equal
``raw_dossier_counts`` (the reference), and the delta-maintained tables must equal a rebuild.
Times deliberately sit on the boundaries: receipts at 00:00 and 23:59:59, due dates at 17:00,
23:59:59 and midnight, settlements on the due instant.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import and_, bindparam, case, event, func, select, text, union_all

from data_access.counters import DOSSIER_COUNTERS, valid_dossier
from data_access.load import derive_dossier_columns, upsert
from data_access.queries import dossier_counts, raw_dossier_counts, raw_procedure_counts
from data_access.schema import dossiers, procedures, unit_ancestors
from data_access.summaries import maintain as summary
from data_access.summaries import procedures as summary_procedures
from data_access.summaries.procedures import summary_procedure_counts
from data_access.summaries.read import summary_counts
from data_access.summaries.trend import summary_monthly
from tests.builders import AGENCIES, build, dossier
from timebase.period import last_months, make_period, month_period, month_to_date

NOW = dt.datetime(2026, 11, 18, 10, 30)
UNITS = [a["unit_code"] for a in AGENCIES]
PROCS = ["1.000001", "1.000002", "1.000003"]
CHANNELS = ["online", "direct", "postal"]


def _moment(rng: random.Random, lo: dt.datetime, hi: dt.datetime) -> dt.datetime:
    """A random whole minute in [lo, hi], or a day boundary now and then."""
    span = int((hi - lo).total_seconds() // 60)
    moment = lo + dt.timedelta(minutes=rng.randint(0, max(span, 0)))
    pick = rng.random()
    if pick < 0.1:
        moment = moment.replace(hour=0, minute=0)
    elif pick < 0.2:
        moment = moment.replace(hour=23, minute=59, second=59)
    return min(max(moment, lo), hi)


def _new(rng: random.Random, i: int, lo: dt.datetime, hi: dt.datetime) -> dict[str, Any]:
    received = _moment(rng, lo, hi)
    due_day = received.date() + dt.timedelta(days=rng.choice([0, 1, 3, 5, 10, 40]))
    due = dt.datetime.combine(due_day, rng.choice([dt.time(17), dt.time(23, 59, 59), dt.time(0)]))
    due = max(due, received)
    fee = rng.random() < 0.4
    return dossier(
        f"D{i:05d}", rng.choice(UNITS), received, due,
        procedure_code=rng.choice(PROCS), channel=rng.choice(CHANNELS), fee_required=fee,
        paid_online=fee and rng.random() < 0.5, digitized=rng.random() < 0.5,
        reused_data=rng.random() < 0.3, status=rng.choice(["received", "in_progress"]),
    )  # fmt: skip


def _step(rng: random.Random, row: dict[str, Any], now: dt.datetime) -> None:
    """One life event of an open or waiting dossier, at a moment between its receipt and now."""
    when = _moment(rng, row["received_at"], now)
    if rng.random() < 0.15:
        when = row["due_at"]  # settled on the due instant: on time by the ≤ rule
    if row["status"] == "supplement_requested":
        row.update(status="in_progress")  # the complete dossier came back
        return
    pick = rng.random()
    if pick < 0.5:
        row.update(
            status=rng.choice(["returned", "processed", "stopped"]), finished_at=when,
            e_result=rng.random() < 0.6,
            rating=rng.choice([None, "very_satisfied", "satisfied", "unsatisfied"]),
        )  # fmt: skip
    elif pick < 0.75:
        row.update(
            status="supplement_requested", supplement_requested_at=when,
            supplement_requests=row["supplement_requests"] + 1,
        )  # fmt: skip
    elif pick < 0.85:
        row.update(status="withdrawn", finished_at=rng.choice([None, when]))
    else:
        row.update(status="payment_requested")


def _write(conn: Any, rows: list[dict[str, Any]]) -> None:
    upsert(conn, dossiers, derive_dossier_columns(pd.DataFrame(rows)))


def _history(url: str, seed: int) -> Any:
    """Build the tiny province, summarise it, then live a random history, absorbing each batch."""
    rng = random.Random(seed)
    lo, hi = dt.datetime(2026, 8, 1), NOW
    rows = {r["dossier_code"]: r for r in (_new(rng, i, lo, hi) for i in range(120))}
    for row in rows.values():
        if rng.random() < 0.7:
            _step(rng, row, NOW)
    engine = build(url, list(rows.values()))
    with engine.begin() as conn:
        summary.rebuild(conn)
    next_code = len(rows)
    for _batch in range(8):
        changed = []
        for _ in range(rng.randint(5, 25)):
            if rng.random() < 0.4:
                row = _new(rng, next_code, lo, hi)
                next_code += 1
                rows[row["dossier_code"]] = row
            else:
                row = rng.choice(list(rows.values()))
                if row["status"] in ("returned", "processed", "stopped") and row["rating"] is None:
                    row["rating"] = rng.choice(["very_satisfied", "satisfied", "unsatisfied"])
                elif row["status"] in (
                    "received",
                    "in_progress",
                    "payment_requested",
                    "supplement_requested",
                ):
                    _step(rng, row, NOW)
            changed.append(dict(row))
        with engine.begin() as conn:
            _write(conn, changed)
            assert "absorbed" in summary.refresh(conn)
    return engine


PERIODS = [
    month_period(2026, 10),  # a whole past month, judged at its last second
    month_period(2026, 9),
    make_period(dt.date(2026, 8, 1), dt.date(2026, 10, 31)),  # a quarter-like span of months
    month_to_date(NOW),  # live: judged at now, within the day
    month_period(2026, 11, NOW),
    make_period(dt.date(2026, 10, 1), dt.date(2026, 10, 23)),  # judged at a past mid-month day end
    make_period(dt.date(2026, 9, 12), dt.date(2026, 11, 3)),  # custom span across months
    make_period(dt.date(2026, 10, 15), dt.date(2026, 11, 18), NOW),  # custom span up to now
    make_period(dt.date(2026, 11, 2), dt.date(2026, 11, 2)),  # one day
    # judged at a past moment within a day: later events exist, so today's rows are read raw
    make_period(dt.date(2026, 10, 20), dt.date(2026, 11, 12), dt.datetime(2026, 11, 9, 14, 0)),
    make_period(dt.date(2026, 11, 3), dt.date(2026, 11, 6), dt.datetime(2026, 11, 5, 9, 30)),  # short
]
BYS = [(), ("agency", "channel"), ("field",), ("procedure", "channel")]


def _nonzero(frame: pd.DataFrame) -> pd.DataFrame:
    """Groups where something counted (the raw query may also list a unit whose rows count for
    nothing in the period, e.g. a dossier withdrawn in it; the summary path omits it)."""
    keep = (frame[list(DOSSIER_COUNTERS)] != 0).any(axis=1)
    return (
        frame[keep]
        .sort_values(list(frame.columns[: frame.columns.get_loc("received")]))
        .reset_index(drop=True)
    )


def _assert_same_figures(engine: Any) -> int:
    answered = 0
    for period in PERIODS:
        for level in ("province", "district", "commune"):
            for by in BYS:
                raw = _nonzero(raw_dossier_counts(engine, level, period, by))
                fast = summary_counts(engine, level, period, by)
                if fast is None:
                    continue
                answered += 1
                pd.testing.assert_frame_equal(
                    fast, raw, check_dtype=False, rtol=1e-9, obj=f"{level} {period} {by}"
                )
    return answered


def _assert_same_procedure_counts(engine: Any) -> int:
    """Procedures used, online, full-process, with a fee, paid online: from the day cells, or the
    month cells less the days outside the period, equal to the distinct counts of the raw rows."""
    answered = 0
    for period in PERIODS:
        for level in ("province", "district", "commune", "agency"):
            fast = summary_procedure_counts(engine, level, period)
            if fast is None:
                continue
            answered += 1
            raw = raw_procedure_counts(engine, level, period).sort_values("unit_code").reset_index(drop=True)
            pd.testing.assert_frame_equal(fast, raw, check_dtype=False, obj=f"{level} {period}")
    return answered


def _assert_same_monthly(engine: Any) -> None:
    """The trend query: finished months from the month table plus the open rows judged at each
    month end, the live month through the day table and today's rows."""
    months = last_months(NOW, 4)  # Aug, Sep, Oct whole; Nov to date
    for level in ("district", "commune"):
        for by in ((), ("channel",), ("field",), ("field", "channel")):  # the last: the trend screens
            fast = summary_monthly(engine, level, months, by)
            assert fast is not None
            parts = [
                raw_dossier_counts(engine, level, m, by).assign(month=m.start.year * 100 + m.start.month)
                for m in months
            ]
            raw = pd.concat(parts, ignore_index=True)[list(fast.columns)]
            raw = raw[(raw[list(DOSSIER_COUNTERS)] != 0).any(axis=1)]
            raw = raw.sort_values(["month", "unit_code", *by]).reset_index(drop=True)
            pd.testing.assert_frame_equal(fast, raw, check_dtype=False, rtol=1e-9, obj=f"{level} {by}")


@pytest.mark.parametrize("seed", [1, 2])
def test_deltas_keep_summary_figures_equal_to_raw(seed: int, any_url: str) -> None:
    if any_url.startswith("duckdb"):
        pytest.skip("DuckDB has no triggers: covered by the rebuild and explicit-delta tests")
    engine = _history(any_url, seed)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM dossier_changes")).scalar() == 0
    # 9 periods × 3 levels × 4 groupings; by procedure/field the mid-month and custom spans fall
    # back to the raw query, everything else is answered from the summaries.
    assert _assert_same_figures(engine) >= 9 * 3 * 2
    # Every period and level from the procedure summaries (month and day cells).
    assert _assert_same_procedure_counts(engine) == len(PERIODS) * 4
    _assert_same_monthly(engine)
    # The public function takes the summary path and gives the same frame.
    period = month_period(2026, 10)
    pd.testing.assert_frame_equal(
        dossier_counts(engine, "district", period), _nonzero(raw_dossier_counts(engine, "district", period)),
        check_dtype=False,
    )  # fmt: skip


def test_procedure_parts_add_up_to_the_period_receipts(any_url: str) -> None:
    """The month cells, day cells and the rest of a cut day (summary_procedures.receipt_plan) sum to
    exactly the period's valid receipts, fees and online payments per unit and procedure, for
    both ways of assembling them (the period's own days, or its months less the other days).
    The distinct counts compared above would miss an off-by-one day; these counts do not."""
    if any_url.startswith("duckdb"):
        pytest.skip("DuckDB has no triggers")
    engine = _history(any_url, 4)
    d, ua = dossiers, unit_ancestors
    fee = d.c.fee_required.is_(True)
    reference = (
        select(
            ua.c.ancestor_code.label("unit_code"),
            d.c.procedure_code,
            func.count().label("n"),
            func.sum(case((fee, 1), else_=0)).label("fee"),
            func.sum(case((and_(fee, d.c.paid_online.is_(True)), 1), else_=0)).label("paid"),
        )
        .select_from(
            d.join(ua, and_(ua.c.unit_code == d.c.unit_code, ua.c.ancestor_level == "commune")).join(
                procedures, procedures.c.code == d.c.procedure_code
            )
        )
        .where(
            valid_dossier,
            d.c.received_at >= bindparam("start", type_=d.c.received_at.type),
            d.c.received_at < bindparam("end_before", type_=d.c.received_at.type),
            d.c.received_at <= bindparam("as_of", type_=d.c.received_at.type),
        )
        .group_by(ua.c.ancestor_code, d.c.procedure_code)
    )
    ways = {"as chosen": None, "own days": True, "months less days": False}
    checked = 0
    for period in PERIODS:
        params = {"start": period.start_at, "end_before": period.end_before, "as_of": period.as_of}
        with engine.connect() as conn:
            expected = _counts(conn.execute(reference, params))
        for way in ways.values():
            shape, bound = summary_procedures.receipt_plan("commune", period, own_days=way)
            parts = union_all(*summary_procedures.part_statements("level", shape)).subquery()
            stmt = select(
                parts.c.unit_code,
                parts.c.procedure_code,
                *[func.sum(parts.c[c]).label(c) for c in ("n", "fee_required", "paid_online")],
            ).group_by(parts.c.unit_code, parts.c.procedure_code)
            with engine.connect() as conn:
                got = _counts(conn.execute(stmt, bound))
            assert got == expected, (period, way)
            checked += 1
    assert checked == len(PERIODS) * 3


def _counts(result: Any) -> dict[tuple[str, str], tuple[int, int, int]]:
    """(unit, procedure) → (receipts, with a fee, paid online), leaving out all-zero sums."""
    out = {}
    for unit, procedure, n, fee, paid in result:
        if (n, fee, paid) != (0, 0, 0):
            out[(unit, procedure)] = (int(n), int(fee), int(paid))
    return out


def _tables(engine: Any) -> dict[str, pd.DataFrame]:
    out = {}
    with engine.connect() as conn:
        for name, table in summary.GRAINS.items():
            keys = [c.name for c in table.primary_key.columns]
            frame = pd.DataFrame(conn.execute(select(table)).all(), columns=[c.name for c in table.columns])
            counters = [c for c in frame.columns if c not in keys]
            frame = frame[(frame[counters] != 0).any(axis=1)]
            out[name] = frame.sort_values(keys).reset_index(drop=True)
    return out


def test_deltas_equal_a_rebuild(any_url: str) -> None:
    if any_url.startswith("duckdb"):
        pytest.skip("DuckDB has no triggers")
    engine = _history(any_url, 3)
    by_delta = _tables(engine)
    with engine.begin() as conn:
        summary.rebuild(conn)
    rebuilt = _tables(engine)
    assert len(rebuilt["month"]) > 0
    for name in summary.GRAINS:
        pd.testing.assert_frame_equal(by_delta[name], rebuilt[name], check_dtype=False, obj=name)


def test_rebuild_and_explicit_delta_on_every_backend(any_url: str) -> None:
    """On DuckDB too (no triggers): a rebuild gives the raw figures, and apply_delta with the old
    and new versions of changed dossiers keeps them equal."""
    rng = random.Random(7)
    rows = [_new(rng, i, dt.datetime(2026, 9, 1), NOW) for i in range(60)]
    engine = build(any_url, rows)
    with engine.begin() as conn:
        summary.rebuild(conn)
        summary_state = conn.execute(text("SELECT version FROM summary_state")).scalar()
    assert summary_state == summary.SUMMARY_VERSION
    assert _assert_same_figures(engine) > 0
    codes = [r["dossier_code"] for r in rows[:20]]
    with engine.begin() as conn:
        old = summary.rows_with_procedures(conn, codes)
        for row in rows[:20]:
            _step(rng, row, NOW)
        if summary.has_change_log(conn):
            conn.execute(text("DROP TABLE dossier_changes"))  # this test drives the deltas by hand
            summary.dossier_changes.create(conn)
        _write(conn, rows[:20])
        new = summary.rows_with_procedures(conn, codes)
        summary.apply_delta(conn, old, new)
        if summary.has_change_log(conn):
            conn.execute(text("DELETE FROM dossier_changes"))
    assert _assert_same_figures(engine) > 0


def test_pending_changes_make_readers_use_the_raw_table(tmp_path: Any) -> None:
    """A sync that wrote rows without refreshing must not be hidden by stale summaries."""
    rng = random.Random(11)
    engine = build(
        f"sqlite:///{tmp_path / 'db.sqlite'}",
        [_new(rng, i, dt.datetime(2026, 10, 1), NOW) for i in range(10)],
    )
    period = month_period(2026, 10)
    assert summary_counts(engine, "district", period) is None  # no summaries yet
    with engine.begin() as conn:
        summary.rebuild(conn)
    assert summary_counts(engine, "district", period) is not None
    with engine.begin() as conn:
        _write(conn, [_new(rng, 99, dt.datetime(2026, 10, 2), dt.datetime(2026, 10, 3))])
    assert summary_counts(engine, "district", period) is None  # a change waits in the log
    raw = raw_dossier_counts(engine, "district", period)
    pd.testing.assert_frame_equal(dossier_counts(engine, "district", period), raw)
    with engine.begin() as conn:
        assert summary.refresh(conn) == "absorbed 1 changed dossiers"
    pd.testing.assert_frame_equal(
        summary_counts(engine, "district", period), _nonzero(raw), check_dtype=False
    )


def test_recompute_months_restores_damaged_cells(tmp_path: Any) -> None:
    """The nightly safety net: cells of the open months recomputed from the dossier table."""
    rng = random.Random(5)
    engine = build(
        f"sqlite:///{tmp_path / 'db.sqlite'}", [_new(rng, i, dt.datetime(2026, 9, 1), NOW) for i in range(80)]
    )
    with engine.begin() as conn:
        summary.rebuild(conn)
        conn.execute(text("UPDATE summary_month SET received = received + 5 WHERE month = 202611"))
        conn.execute(text("UPDATE summary_day SET settled = settled + 1 WHERE day >= 20261101"))
    with pytest.raises(AssertionError):
        _assert_same_figures(engine)
    with engine.begin() as conn:
        summary.recompute_months(conn, [202610, 202611])
    assert _assert_same_figures(engine) > 0


def test_refresh_adds_indexes_a_newer_version_introduced(tmp_path: Any) -> None:
    """A database built before ``ix_dossiers_open_now`` existed gains it at ``cli.py refresh``,
    so the live wall reads its open rows through the covering index after an upgrade."""
    import cli

    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    rng = random.Random(5)
    engine = build(url, [_new(rng, i, dt.datetime(2026, 10, 1), NOW) for i in range(20)])
    with engine.begin() as conn:
        conn.execute(text("DROP INDEX ix_dossiers_open_now"))
    engine.dispose()
    assert cli.main(["refresh", "--database", url]) == 0
    with engine.connect() as conn:
        names = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'index'")).scalars().all()
    assert "ix_dossiers_open_now" in names


def test_summary_tables_recreate_without_warnings(any_url: str) -> None:
    """``create_tables`` runs at every rebuild; it used ``checkfirst`` reflection, which on SQLite
    warned "Skipped unsupported reflection of expression-based index ix_dossiers_procedure_key"
    into the sample build's output. It must add the supplement index quietly, and twice."""
    import warnings

    if any_url.startswith("duckdb"):
        pytest.skip("DuckDB has no change log, so create_tables adds no index there")
    rng = random.Random(9)
    engine = build(any_url, [_new(rng, i, dt.datetime(2026, 10, 1), NOW) for i in range(5)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for _ in range(2):
            with engine.begin() as conn:
                summary.create_tables(conn)
    with engine.connect() as conn:
        listing = (
            "SELECT name FROM sqlite_master WHERE type = 'index'"
            if conn.dialect.name == "sqlite"
            else "SELECT indexname FROM pg_indexes WHERE tablename = 'dossiers'"
        )
        names = set(conn.execute(text(listing)).scalars())
    assert "ix_dossiers_supplement_at" in names


def _summarised_and_watched(tmp_path: Any, seed: int) -> tuple[Any, list[str]]:
    """80 random dossiers since August on SQLite, summarised; and the list that gathers every
    statement that reads a summary table from then on."""
    rng = random.Random(seed)
    rows = [_new(rng, i, dt.datetime(2026, 8, 1), NOW) for i in range(80)]
    engine = build(f"sqlite:///{tmp_path / f'watched-{seed}.sqlite'}", rows)
    with engine.begin() as conn:
        summary.rebuild(conn)
    seen: list[str] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _log(conn: Any, cursor: Any, statement: str, *rest: Any) -> None:
        if "FROM summary_" in statement:
            seen.append(statement)

    return engine, seen


def test_summary_reads_filter_counters_only_where_ranges_differ(tmp_path: Any) -> None:
    """A finished month (its receipts and its snapshot at the end) and the first days of a month
    (their receipts and their open changes) read one set of ranges: the summary statements then
    sum plainly, without a CASE a counter (half of the query's time on PostgreSQL), and still
    give the raw figures. A span whose ranges differ keeps its CASEs."""
    engine, seen = _summarised_and_watched(tmp_path, 11)

    shared = [month_period(2026, 10), make_period(dt.date(2026, 10, 1), dt.date(2026, 10, 23))]
    for period in shared:
        seen.clear()
        fast = summary_counts(engine, "district", period)
        assert fast is not None and seen
        assert not any("CASE" in s for s in seen), (period, seen)
        pd.testing.assert_frame_equal(
            fast, _nonzero(raw_dossier_counts(engine, "district", period)), check_dtype=False
        )
    seen.clear()
    assert (
        summary_counts(engine, "district", make_period(dt.date(2026, 11, 2), dt.date(2026, 11, 2)))
        is not None
    )
    assert any("CASE" in s for s in seen)


def test_most_of_a_month_is_read_as_the_month_less_its_other_days(tmp_path: Any) -> None:
    """The same days of last month (1–24 October, judged at the end of the 24th) read October's
    month cells and its end-of-month snapshot, less the day cells of 25–31 October — seven days
    instead of twenty-four — and a few days at a month's start stay day cells; the figures equal
    the raw query's either way."""
    from data_access.summaries.cells import CHANGE_COUNTERS, OPEN_COUNTERS
    from data_access.summaries.plan import OpenRead, Read, plan, reads

    last_month = make_period(dt.date(2026, 10, 1), dt.date(2026, 10, 24))
    assert reads(plan(last_month, (), settled=False), fine=False) == [
        Read("month", 1, ((202610, 202610),), OpenRead(((202610, 202610),), OPEN_COUNTERS)),
        Read("day", -1, ((20261025, 20261031),), OpenRead(((20261025, 20261031),), CHANGE_COUNTERS)),
    ]
    early = make_period(dt.date(2026, 10, 1), dt.date(2026, 10, 5))
    assert reads(plan(early, (), settled=False), fine=False) == [
        Read("month", 1, (), OpenRead(((202609, 202609),), OPEN_COUNTERS)),
        Read("day", 1, ((20261001, 20261005),), OpenRead(((20261001, 20261005),), CHANGE_COUNTERS)),
    ]
    # A span from mid-September to 3 November: September from the 12th is its month less 1–11,
    # October whole, 1–3 November as days; the months join into one range.
    span = make_period(dt.date(2026, 9, 12), dt.date(2026, 11, 3))
    assert reads(plan(span, (), settled=False), fine=False) == [
        Read("month", 1, ((202609, 202610),), OpenRead(((202610, 202610),), OPEN_COUNTERS)),
        Read("day", 1, ((20261101, 20261103),), OpenRead(((20261101, 20261103),), CHANGE_COUNTERS)),
        Read("day", -1, ((20260901, 20260911),), None),
    ]
    rng = random.Random(5)
    engine = build(
        f"sqlite:///{tmp_path / 'm.sqlite'}", [_new(rng, i, dt.datetime(2026, 8, 1), NOW) for i in range(150)]
    )
    with engine.begin() as conn:
        summary.rebuild(conn)
    for period in (last_month, early, span):
        for level in ("province", "district", "commune"):
            fast = summary_counts(engine, level, period)
            assert fast is not None and len(fast) > 0
            pd.testing.assert_frame_equal(
                fast, _nonzero(raw_dossier_counts(engine, level, period)), check_dtype=False, rtol=1e-9
            )


def test_series_by_field_read_the_field_table_without_the_catalogue(tmp_path: Any) -> None:
    """The trend screens' monthly series by field and channel, and any count by field, read
    ``summary_field_month`` (fewer cells, no join to the catalogue a cell); by procedure they
    still read ``summary_procedure_month``. The figures stay the raw ones."""
    engine, seen = _summarised_and_watched(tmp_path, 12)

    months = last_months(NOW, 4)
    assert summary_monthly(engine, "district", months, ("field", "channel")) is not None
    assert summary_counts(engine, "district", month_period(2026, 10), ("field",)) is not None
    month_reads = [s for s in seen if "summary_state" not in s and "summary_day" not in s]
    assert month_reads and all("FROM summary_field_month" in s for s in month_reads), month_reads
    assert not any("JOIN procedures" in s for s in month_reads)
    seen.clear()
    assert summary_counts(engine, "district", month_period(2026, 10), ("procedure",)) is not None
    assert any("FROM summary_procedure_month" in s for s in seen)
    _assert_same_monthly(engine)
