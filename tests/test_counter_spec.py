"""Each counter is declared once (data_access/counter_spec.py) and every path follows the
declaration: the raw SQL counters, the summary cells, the trend's month-end sums of open rows and
the summary tables' columns. A rule is varied through ``counter_spec.declare``, the call that
builds the rules in force (``SPEC = declare()``): changing a rule is one argument's default.

Calendar (October 2026): 1 Thu, 2 Fri, 5 Mon, 7 Wed, 9 Fri, 12 Mon, 14 Wed, 15 Thu, 20 Tue,
25 Sun, 31 Sat. Commune 101 is in district 100, commune 201 in district 200.
"""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy import Float, case, func, select

from data_access import counter_spec
from data_access.counter_spec import SPEC, declare
from data_access.counters import DOSSIER_COUNTERS, counter_columns, relevant, render
from data_access.schema import OPEN_NOW, STATUSES, SUSPECT, dossiers, procedures
from data_access.summaries import maintain as summary
from data_access.summaries.cells import cell_columns
from data_access.summaries.tables import GRAINS
from data_access.summaries.trend import _open_ends_statement
from tests.builders import T, build, dossier
from tests.test_counters import BAD_ROWS

START, END_BEFORE, AS_OF = T(2026, 10, 1), T(2026, 11, 1), T(2026, 10, 31, 23, 59, 59)

ROWS = [
    # e2: returned on 14/10, a day before its due day, after two supplement requests.
    dossier(
        "e2",
        "101",
        T(2026, 10, 5, 9),
        T(2026, 10, 15, 17),
        finished_at=T(2026, 10, 14, 10),
        supplement_requests=2,
        supplement_requested_at=T(2026, 10, 6, 9),
    ),
    # w2: two requests, processed on 5/11 (due 10/11): open at the end of October, then gone, so
    # October's open counters hold it in the summary cells (a month-end snapshot).
    dossier(
        "w2",
        "101",
        T(2026, 10, 20, 9),
        T(2026, 11, 10, 17),
        status="processed",
        finished_at=T(2026, 11, 5, 9),
        supplement_requests=2,
        supplement_requested_at=T(2026, 10, 22, 9),
    ),
    # n2: two requests, still in progress (due 20/11): counted from the open rows at the month end.
    dossier(
        "n2",
        "201",
        T(2026, 10, 25, 9),
        T(2026, 11, 20, 17),
        supplement_requests=2,
        supplement_requested_at=T(2026, 10, 26, 9),
    ),
    # z: returned on 2/10, due 6/10, no request: early whatever the rule.
    dossier("z", "201", T(2026, 10, 1, 9), T(2026, 10, 6, 17), finished_at=T(2026, 10, 2, 9)),
    # s1: stopped (refused) on 9/10, due 12/10.
    dossier(
        "s1", "201", T(2026, 10, 7, 9), T(2026, 10, 12, 17), status="stopped", finished_at=T(2026, 10, 9, 9)
    ),
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory):
    eng = build(f"sqlite:///{tmp_path_factory.mktemp('spec') / 'spec.sqlite'}", ROWS)
    yield eng
    eng.dispose()


def _sql(engine, spec) -> dict[str, dict[str, float]]:
    """October's counters per commune from the SQL the spec renders (the raw query's columns)."""
    stmt = (
        select(dossiers.c.unit_code, *counter_columns(START, END_BEFORE, AS_OF, spec))
        .select_from(dossiers.join(procedures, procedures.c.code == dossiers.c.procedure_code))
        .where(relevant(START, AS_OF, spec))
        .group_by(dossiers.c.unit_code)
    )
    with engine.connect() as conn:
        return {r.unit_code: dict(r._mapping) for r in conn.execute(stmt)}


def _cells(engine, spec) -> dict[str, dict[str, float]]:
    """October's month cells per commune, as the summary rebuild computes them under ``spec``."""
    with engine.connect() as conn:
        rows = summary.rows_with_procedures(conn, [r["dossier_code"] for r in ROWS])
    month = cell_columns(rows, spec=spec)["month"]
    out: dict[str, dict[str, float]] = {}
    for i in np.flatnonzero(month["month"] == 202610):
        unit = out.setdefault(month["unit_code"][i], dict.fromkeys(spec.names(), 0))
        for name in spec.names():
            unit[name] += month[name][i]
    return out


def _open_now_at_month_end(engine, spec) -> dict[str, tuple[int, int, int]]:
    """The trend's month-end sums of the rows still open now (open, on time, overdue at 31/10)."""
    params = {"level": "commune", "latest": AS_OF, "a0": AS_OF}
    with engine.connect() as conn:
        return {r[0]: tuple(r[1:]) for r in conn.execute(_open_ends_statement((), 1, spec), params)}


@pytest.mark.parametrize(
    ("late_from", "on_time_101", "on_time_201"),
    [
        # The rule in force: two requests make e2, w2 and n2 late.
        # 101: settled e2 (late) → 0; finished e2 → on time 0, early 0; open w2 → on time 0.
        # 201: settled z, s1 → both on time 2; finished 2, both early; open n2 → on time 0.
        (2, dict(settled_on_time=0, finished_on_time=0, finished_early=0, open_on_time=0), 0),
        # Late only from three requests: e2 on time and early (14/10 < 15/10), w2 on time at the
        # month end (due 10/11); n2 on time at the month end (due 20/11).
        (3, dict(settled_on_time=1, finished_on_time=1, finished_early=1, open_on_time=1), 1),
    ],
)
def test_a_changed_supplement_rule_reaches_every_path(engine, late_from, on_time_101, on_time_201) -> None:
    spec = declare(late_from_supplements=late_from)
    sql, cells, open_now = _sql(engine, spec), _cells(engine, spec), _open_now_at_month_end(engine, spec)
    for name, expected in on_time_101.items():
        assert sql["101"][name] == cells["101"][name] == expected, name
    # 101: received e2, w2; settled and finished e2; open w2 (in the cells: it has left since).
    assert (sql["101"]["received"], sql["101"]["settled"], sql["101"]["open_end"]) == (2, 1, 1)
    # 201: z and s1 settled on time and early under either rule; n2 is open now, so the cells
    # hold no open counter for it and the trend's month-end sums of open rows do.
    assert (sql["201"]["settled_on_time"], sql["201"]["finished_early"]) == (2, 2)
    assert cells["201"]["open_end"] == 0
    assert open_now == {"201": (1, on_time_201, 0)}
    assert (sql["201"]["open_end"], sql["201"]["open_on_time"]) == (1, on_time_201)
    # The trend's October figure (cells + open rows at its end) equals the raw SQL, counter by counter.
    for unit in ("101", "201"):
        opened = dict(zip(spec.names("open_at"), open_now.get(unit, (0, 0, 0)), strict=True))
        for name in spec.names():
            assert cells[unit][name] + opened.get(name, 0) == pytest.approx(sql[unit][name]), (unit, name)


def test_a_changed_definition_of_finished_reaches_sql_and_cells(engine) -> None:
    # "Stopped" no longer finished: s1 (stopped 9/10) leaves the settled and finished counts of
    # 201 (z alone: 1 and 1, was 2 and 2) in the SQL and in the summary cells alike.
    for spec, expected in ((SPEC, 2), (declare(finished_statuses=("processed", "returned")), 1)):
        sql, cells = _sql(engine, spec), _cells(engine, spec)
        for name in ("settled", "settled_on_time", "finished", "finished_on_time", "finished_early"):
            assert sql["201"][name] == cells["201"][name] == expected, name


def test_counter_names_come_from_the_spec() -> None:
    assert (
        DOSSIER_COUNTERS == SPEC.names() == tuple(c.name for c in counter_columns(START, END_BEFORE, AS_OF))
    )
    events, opens = SPEC.names("receipt", "settle", "finish"), SPEC.names("open_at")
    assert len(set(SPEC.names())) == len(SPEC.names()) and set(events) | set(opens) == set(SPEC.names())
    assert {c.event for c in SPEC.counters} <= set(counter_spec.EVENTS)
    counters = {name: [c for c in t.columns if not c.primary_key] for name, t in GRAINS.items()}
    assert [c.name for c in counters["month"]] == [c.name for c in counters["procedure_month"]]
    assert [c.name for c in counters["month"]] == [*events, *opens]
    assert [c.name for c in counters["day"]] == [*events, *[f"{o}_change" for o in opens]]
    # Sums of a value are floats, counts integers.
    assert {c.name for c in counters["month"] if isinstance(c.type, Float)} == set(SPEC.float_names)


def test_the_schema_predicates_agree_with_the_spec(tmp_path) -> None:
    """schema.SUSPECT (the quality check's partial index) is exactly the rows the spec's validity
    rule rejects, and schema.OPEN_NOW (the open rows' partial index) exactly the valid rows whose
    ``gone_at`` is NULL: every status with and without a finish and a request time, and the faults.
    """
    rows = [
        dossier(
            f"{status}-{i}",
            "101",
            T(2026, 10, 5, 9),
            T(2026, 10, 8, 17),
            status=status,
            finished_at=T(2026, 10, 7, 9) if i & 1 else None,
            supplement_requested_at=T(2026, 10, 6, 9) if i & 2 else None,
        )
        for status in STATUSES
        for i in range(4)
    ]
    engine = build(f"sqlite:///{tmp_path / 'rules.sqlite'}", rows + BAD_ROWS[:5])
    valid, gone = render(SPEC.valid), render(SPEC.gone_at)

    def flag(condition):
        return func.coalesce(case((condition, 1), else_=0), 0)

    stmt = select(dossiers.c.dossier_code, flag(SUSPECT), flag(valid), flag(OPEN_NOW), flag(gone.is_(None)))
    try:
        with engine.connect() as conn:
            found = conn.execute(stmt).all()
    finally:
        engine.dispose()
    assert len(found) == len(STATUSES) * 4 + 5
    for code, suspect, ok, open_now, never_gone in found:
        assert suspect == 1 - ok, code
        if ok:
            assert open_now == never_gone, code
