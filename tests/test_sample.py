"""The sample generator: real SQLite files in a temporary folder, small scales, a fixed "today".

Checks the shape of the province (three tiers: 11 districts 688–698 and 111 communes; two tiers:
no district anywhere), referential consistency, the dossier clock, the story's key figures,
determinism, and that a SQLite build never leaves a half-built file behind.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select, text
from sqlalchemy.engine import Engine

from data_access.engine import make_engine
from data_access.schema import (
    CHANNELS,
    OPEN_STATUSES,
    RATINGS,
    STATUSES,
    agencies,
    dossiers,
    feedback,
    meta,
    procedures,
    unit_ancestors,
    units,
)
from sample_data.generate import build_sample, sample_is_current

TODAY = dt.date(2026, 11, 23)
NOW = dt.datetime(2026, 11, 23, 11, 0)
REFERENCE = Path(__file__).resolve().parent.parent / "sample_data" / "reference"
DISTRICT_WORDS = ("huyện", "quận", "thị xã", "thành phố", "thị trấn")


def _build(path: Path, **kwargs: object) -> Engine:
    build_sample(f"sqlite:///{path}", today=TODAY, **kwargs)  # type: ignore[arg-type]
    return make_engine(f"sqlite:///{path}")


@pytest.fixture(scope="module")
def three_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Engine, list[tuple[float, object]]]:
    """Three tiers at scale 0.2 (about 60,000 dossiers), and the progress its build reported."""
    steps: list[tuple[float, object]] = []
    engine = _build(
        tmp_path_factory.mktemp("three") / "s.sqlite",
        seed=11,
        scale=0.2,
        progress=lambda done, step: steps.append((done, step)),
    )
    return engine, steps


@pytest.fixture(scope="module")
def three(three_build: tuple[Engine, list[tuple[float, object]]]) -> Engine:
    return three_build[0]


@pytest.fixture(scope="module")
def two(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """Two tiers (after 1 July 2025) at scale 0.5 (about 10,000 dossiers)."""
    return _build(tmp_path_factory.mktemp("two") / "t.sqlite", seed=11, scale=0.5, profile="two_tier")


def _scalar(engine: Engine, stmt: object) -> object:
    with engine.connect() as conn:
        return conn.execute(stmt).scalar()  # type: ignore[call-overload]


def _sql(engine: Engine, sql: str, **params: object) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql), params)]


def test_three_tier_has_the_real_units(three: Engine) -> None:
    rows = _sql(three, "SELECT code, level, parent_code FROM units")
    districts = sorted(r[0] for r in rows if r[1] == "district")
    communes = [r for r in rows if r[1] == "commune"]
    assert districts == [str(c) for c in range(688, 699)]
    assert len(communes) == 111
    assert {r[2] for r in communes} == set(districts)
    assert [r for r in rows if r[1] == "province"] == [("70", "province", None)]
    # closure: the province itself, each district with 2 rows, each commune with 3
    assert _scalar(three, select(func.count()).select_from(unit_ancestors)) == 1 + 11 * 2 + 111 * 3
    assert _sql(three, "SELECT level, count(*) FROM agencies GROUP BY level ORDER BY level") == [
        ("commune", 111),
        ("district", 11),
        ("province", 20),
    ]


def test_two_tier_has_no_district_after_the_change(two: Engine) -> None:
    # From 1 July 2025: the province and 20 new communes under it, no district.
    after = "(valid_to IS NULL OR valid_to >= '2025-07-01')"
    levels = _sql(two, f"SELECT level, count(*) FROM units WHERE {after} GROUP BY level ORDER BY level")
    assert levels == [("commune", 20), ("province", 1)]
    assert _sql(two, f"SELECT DISTINCT parent_code FROM units WHERE level = 'commune' AND {after}") == [
        ("70",)
    ]
    assert _sql(
        two, "SELECT DISTINCT valid_from FROM units WHERE valid_to IS NULL AND level = 'commune'"
    ) == [("2025-07-01",)]
    assert _sql(two, f"SELECT DISTINCT level FROM agencies WHERE {after} ORDER BY level") == [
        ("commune",),
        ("province",),
    ]
    names = [
        r[0].lower()
        for r in _sql(
            two,
            f"SELECT name FROM units WHERE {after} AND level != 'province' "
            f"UNION ALL SELECT name FROM agencies WHERE {after} "
            "UNION ALL SELECT DISTINCT p.name FROM procedures p JOIN dossiers d ON d.procedure_code = p.code "
            "WHERE d.received_at >= '2025-07-01'",
        )
    ]
    assert [n for n in names if any(w in n for w in DISTRICT_WORDS)] == []
    assert _scalar(two, select(meta.c.value).where(meta.c.key == "profile")) == "two_tier"
    after_change = select(func.count()).where(dossiers.c.received_at >= dt.datetime(2025, 7, 1))
    assert 8_000 < _scalar(two, after_change) < 12_000


def test_two_tier_crosses_the_change(two: Engine) -> None:
    """The three-tier province until 30/6/2025 (districts, communes and their desks end that day),
    the new communes from 1/7/2025; old desks handle what they received, even when finished after."""
    assert _scalar(two, select(func.min(dossiers.c.received_at))) < dt.datetime(2025, 1, 10)
    ended = "valid_to = '2025-06-30'"
    assert _sql(two, f"SELECT level, count(*) FROM units WHERE {ended} GROUP BY level ORDER BY level") == [
        ("commune", 111),
        ("district", 11),
    ]
    assert _sql(two, f"SELECT count(*) FROM agencies WHERE {ended}") == [(122,)]  # 11 + 111 desks
    old_agency = f"SELECT a.code FROM agencies a WHERE a.{ended}"
    new_agency = "SELECT a.code FROM agencies a WHERE a.valid_from = '2025-07-01'"
    # No desk handles a dossier received outside its life …
    assert _sql(
        two,
        f"SELECT count(*) FROM dossiers WHERE received_at >= '2025-07-01' AND agency_code IN ({old_agency})",
    ) == [(0,)]
    assert _sql(
        two,
        f"SELECT count(*) FROM dossiers WHERE received_at < '2025-07-01' AND agency_code IN ({new_agency})",
    ) == [(0,)]
    # … and old desks keep the dossiers received before the change and finished after it.
    across = _sql(
        two,
        f"SELECT count(*) FROM dossiers WHERE received_at < '2025-07-01' AND finished_at >= '2025-07-01' "
        f"AND agency_code IN ({old_agency})",
    )[0][0]
    assert across > 0
    both = "SELECT count(*) FROM dossiers WHERE received_at >= :start AND received_at < :end"
    assert _sql(two, both, start=dt.datetime(2025, 6, 1), end=dt.datetime(2025, 7, 1))[0][0] > 0
    assert _sql(two, both, start=dt.datetime(2025, 7, 1), end=dt.datetime(2025, 8, 1))[0][0] > 0


@pytest.mark.parametrize("which", ["three", "two"])
def test_some_dossiers_are_received_at_another_units_desk(which: str, request: pytest.FixtureRequest) -> None:
    engine: Engine = request.getfixturevalue(which)
    # A district's dossiers at its communes' desks, a department's at a district or commune desk.
    rows = dict(
        _sql(
            engine,
            "SELECT a.level, avg(d.desk_unit_code != d.unit_code) FROM dossiers d "
            "JOIN agencies a ON a.code = d.agency_code GROUP BY a.level",
        )
    )
    assert 0.02 < rows["province"] < 0.12
    assert rows["commune"] == 0  # a commune's own desk
    if which == "three":
        assert 0.06 < rows["district"] < 0.2
    # Every desk is a unit that existed when the dossier was received, and a district's dossier
    # is received at its own desk or one of its communes'.
    assert _sql(
        engine,
        "SELECT count(*) FROM dossiers d JOIN units u ON u.code = d.desk_unit_code "
        "WHERE (u.valid_from IS NOT NULL AND date(d.received_at) < u.valid_from) "
        "OR (u.valid_to IS NOT NULL AND date(d.received_at) > u.valid_to)",
    ) == [(0,)]
    assert _sql(
        engine,
        "SELECT count(*) FROM dossiers d JOIN agencies a ON a.code = d.agency_code "
        "JOIN units u ON u.code = d.desk_unit_code WHERE a.level = 'district' "
        "AND d.desk_unit_code != d.unit_code AND u.parent_code != d.unit_code",
    ) == [(0,)]


@pytest.mark.parametrize("which", ["three", "two"])
def test_every_reference_exists(which: str, request: pytest.FixtureRequest) -> None:
    engine: Engine = request.getfixturevalue(which)
    orphans = _sql(
        engine,
        """
        SELECT count(*) FROM dossiers d
        LEFT JOIN units u ON u.code = d.unit_code
        LEFT JOIN agencies a ON a.code = d.agency_code
        LEFT JOIN procedures p ON p.code = d.procedure_code
        WHERE u.code IS NULL OR a.code IS NULL OR p.code IS NULL OR a.unit_code != d.unit_code
           OR d.fee_required != p.fee_required""",
    )
    assert orphans == [(0,)]
    assert _sql(
        engine,
        "SELECT count(*) FROM feedback f LEFT JOIN units u ON u.code = f.unit_code WHERE u.code IS NULL",
    ) == [(0,)]
    # a procedure offered only at the desk is never received online
    assert _sql(
        engine,
        "SELECT count(*) FROM dossiers d JOIN procedures p ON p.code = d.procedure_code "
        "WHERE p.online_level = 'none' AND d.channel = 'online'",
    ) == [(0,)]


@pytest.mark.parametrize("which", ["three", "two"])
def test_dossier_clock_and_codes(which: str, request: pytest.FixtureRequest) -> None:
    engine: Engine = request.getfixturevalue(which)
    d = dossiers.c
    open_list = ", ".join(f"'{s}'" for s in (*OPEN_STATUSES, "supplement_requested"))
    checks = _sql(
        engine,
        f"""
        SELECT sum(due_at <= received_at), sum(finished_at < received_at),
               sum((finished_at IS NULL) != (status IN ({open_list}))),
               sum((supplement_requested_at IS NULL) != (supplement_requests = 0)),
               sum(paid_online AND NOT fee_required), sum(rating IS NOT NULL AND status != 'returned')
        FROM dossiers""",
    )
    assert checks == [(0, 0, 0, 0, 0, 0)]
    after_now = select(func.count()).where((d.received_at > NOW) | (d.finished_at > NOW))
    assert _scalar(engine, after_now) == 0
    with engine.connect() as conn:
        assert {r[0] for r in conn.execute(select(d.status).distinct())} <= set(STATUSES)
        assert {r[0] for r in conn.execute(select(d.channel).distinct())} == set(CHANNELS)
        assert {r[0] for r in conn.execute(select(d.rating).distinct())} == {*RATINGS, None}
        assert {r[0] for r in conn.execute(select(feedback.c.rating).distinct())} == {*RATINGS, None}
    codes = _sql(engine, "SELECT count(*), count(DISTINCT dossier_code) FROM dossiers")
    assert codes[0][0] == codes[0][1]


@pytest.mark.parametrize("which", ["three", "two"])
def test_due_dates_around_new_year_2026_follow_the_official_swap(
    which: str, request: pytest.FixtureRequest
) -> None:
    """Official Letter 12729/VPCP-KGVX (timebase/calendar_vn.csv): Friday 2/1/2026 off, Saturday
    10/1/2026 worked. A dossier received before 15:00 counts from its day (day 0)."""
    engine: Engine = request.getfixturevalue(which)
    d, p = dossiers.c, procedures.c

    def due_of(day: dt.date, limit: float) -> set[dt.datetime]:
        start = dt.datetime.combine(day, dt.time(0, 0))
        stmt = (
            select(d.due_at)
            .join(procedures, p.code == d.procedure_code)
            .where(p.time_limit_days == limit, d.received_at >= start)
            .where(d.received_at < start + dt.timedelta(hours=15))
        )
        with engine.connect() as conn:
            return {row[0] for row in conn.execute(stmt)}

    # Wed 31/12/2025, 3 days: Thu 1/1 and Fri 2/1 off, 3–4/1 weekend; 5/1 (1), 6/1 (2), 7/1 (3).
    assert due_of(dt.date(2025, 12, 31), 3) == {dt.datetime(2026, 1, 7, 17)}
    # Thu 8/1/2026, 3 days: Fri 9/1 (1), Sat 10/1 worked (2), Mon 12/1 (3).
    assert due_of(dt.date(2026, 1, 8), 3) == {dt.datetime(2026, 1, 12, 17)}
    # Thu 8/1/2026, 2 days: Fri 9/1 (1), Sat 10/1 (2): due on the worked Saturday.
    assert due_of(dt.date(2026, 1, 8), 2) <= {dt.datetime(2026, 1, 10, 17)}


def test_online_share_story(three: Engine) -> None:
    sql = "SELECT avg(channel = 'online') FROM dossiers WHERE received_at >= :start AND received_at < :end"
    before = _sql(three, sql, start=dt.datetime(2019, 1, 1), end=dt.datetime(2020, 5, 19))[0][0]
    in_2024 = _sql(three, sql, start=dt.datetime(2024, 1, 1), end=dt.datetime(2025, 1, 1))[0][0]
    assert before < 0.15
    assert in_2024 > 0.40


def test_open_overdue_dossiers_exist_now(three: Engine) -> None:
    overdue = select(func.count()).where(dossiers.c.status.in_(OPEN_STATUSES), dossiers.c.due_at < NOW)
    assert _scalar(three, overdue) > 0
    # and only recent dossiers are still open
    oldest = _scalar(three, select(func.min(dossiers.c.received_at)).where(dossiers.c.finished_at.is_(None)))
    assert oldest > NOW - dt.timedelta(days=120)


def test_meta_labels_the_sample(three: Engine) -> None:
    with three.connect() as conn:
        facts = dict(conn.execute(select(meta.c.key, meta.c.value)).all())
    assert facts["is_sample"] == "1"
    assert facts["province_name"] == "Bình Phước"
    assert facts["profile"] == "three_tier"
    assert facts["seed"] == "11"
    assert facts["data_until"] == "2026-11-23T11:00:00"


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[float]]:
    """A small sample (seed 5, scale 0.02) and the progress its build reported; tests that
    change it work on a copy."""
    path = tmp_path_factory.mktemp("small") / "s.sqlite"
    steps: list[float] = []
    _build(path, seed=5, scale=0.02, progress=lambda done, _msg: steps.append(done)).dispose()
    return path, steps


def test_a_sample_of_an_earlier_generator_is_not_current(
    tmp_path: Path, small: tuple[Path, list[float]]
) -> None:
    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    shutil.copy(small[0], tmp_path / "s.sqlite")
    assert sample_is_current(url)  # app.py keeps it
    engine = make_engine(url, read_only=False)
    with engine.begin() as conn:  # as a sample built before the version was recorded
        conn.execute(delete(meta).where(meta.c.key == "sample_version"))
    engine.dispose()
    assert not sample_is_current(url)  # app.py builds it again
    assert not sample_is_current(f"sqlite:///{tmp_path / 'none.sqlite'}")


def _checksum(engine: Engine) -> tuple[object, ...]:
    return _sql(
        engine,
        """
        SELECT count(*), sum(channel = 'online'), sum(status = 'returned'), sum(supplement_requests),
               sum(processing_days), min(dossier_code), max(dossier_code), sum(rating = 'unsatisfied'),
               (SELECT count(*) FROM feedback), (SELECT max(received_at) FROM feedback)
        FROM dossiers""",
    )[0]


def test_same_seed_same_data_and_no_half_built_file(tmp_path: Path, small: tuple[Path, list[float]]) -> None:
    path = tmp_path / "d.sqlite"
    shutil.copy(small[0], path)
    steps = small[1]
    first = make_engine(f"sqlite:///{path}")
    a = _checksum(first)
    first.dispose()
    again = _build(path, seed=5, scale=0.02)  # rebuilt over the existing file
    b = _checksum(again)
    again.dispose()
    other = _build(tmp_path / "e.sqlite", seed=6, scale=0.02)
    c = _checksum(other)
    other.dispose()
    assert a == b
    assert a[0] > 0
    assert c != a
    assert steps == sorted(steps)
    assert steps[-1] == 1.0
    assert sorted(p.name for p in tmp_path.iterdir() if ".building" in p.name) == []


def test_reference_csvs_have_the_exchange_columns() -> None:
    def read(name: str) -> list[dict[str, str]]:
        with (REFERENCE / name).open(encoding="utf-8") as fh:
            return list(csv.DictReader(fh))

    units_csv, procs = read("units.csv"), read("procedures.csv")
    assert list(units_csv[0]) == ["code", "name", "level", "parent_code", "lat", "lon"]
    assert list(read("agencies.csv")[0]) == ["code", "name", "unit_code"]
    assert list(procs[0]) == ["code", "name", "field", "online_level", "fee_required", "time_limit_days"]
    target_columns = ["metric", "unit_code", "level", "field", "year", "value", "source"]
    assert list(read("targets.csv")[0]) == target_columns
    assert len({p["code"] for p in procs}) == len(procs)
    assert {p["online_level"] for p in procs} == {"full", "partial", "none"}
    assert all(0 <= float(p["time_limit_days"]) <= 30 for p in procs)
    levels = read("procedure_levels.csv")
    assert {r["code"] for r in levels} == {p["code"] for p in procs}
    assert {r["level"] for r in levels} == {"province", "district", "commune"}
    assert {t["metric"] for t in read("targets.csv")} == {
        "on_time_rate",
        "online_share",
        "online_payment_share",
        "satisfaction_rate",
        "e_result_rate",
        "digitized_rate",
        "reuse_rate",
        "full_process_online_share",
        "feedback_on_time_rate",
    }


def test_agencies_sit_at_their_units_level(three: Engine) -> None:
    mismatched = (
        select(func.count())
        .select_from(agencies.join(units, units.c.code == agencies.c.unit_code))
        .where(agencies.c.level != units.c.level)
    )
    assert _scalar(three, mismatched) == 0


def test_build_progress_reads_in_vietnamese_with_vietnamese_numbers(
    three_build: tuple[Engine, list[tuple[float, object]]],
) -> None:
    """The first start's bar (the build of :func:`three`): from 0 at once, month by month, then
    the indexes and the summary tables (not stuck at 100 % while they are built), in the
    interface language."""
    from ui.sample_progress import build_step_text

    seen = [(done, build_step_text(step, "vi")) for done, step in three_build[1]]  # type: ignore[arg-type]
    fractions = [f for f, _ in seen]
    assert fractions[0] == 0.0 and fractions[-1] == 1.0 and fractions == sorted(fractions)
    texts = [text for _, text in seen]
    assert texts[0] == "đang bắt đầu"
    months = [text for text in texts if text.startswith("tháng ")]
    assert months and all(" hồ sơ (tổng " in text for text in months)
    assert any("." in text.split("tổng ")[1] for text in months)  # thousands with a dot: 1.234
    assert not any("dossiers" in text or "," in text for text in months)
    summaries = next(f for f, text in seen if text.startswith("đang tính các bảng tổng hợp"))
    assert summaries < 1.0  # the bar is not at 100 % while the summaries are built
