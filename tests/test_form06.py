"""Biểu 06/VPCP/KSTT: every cell of a hand-worked province (by unit and by field, three-tier and
two-tier; the working is in ``tests/form06_seed.py``), the identities on every row of the
generated sample for every month, and the form against the wall's own counters."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import func, select

from data_access import queries
from data_access.engine import make_engine
from data_access.schema import dossiers
from exports.form06 import FormError, build_form, parse_form_period, period_words
from metrics.form06 import identities_hold
from sample_data.generate import build_sample
from tests.form06_seed import NOW, seed
from timebase.period import Period, PeriodError, month_period, parse_period

OCTOBER = parse_period("2026-10", NOW)
# Columns 3–13 of the rows named in form06_seed's docstring.
S1 = (4, 1, 1, 2, 3, 1, 1, 1, 1, 1, 0)
H100 = (2, 1, 1, 0, 1, 1, 0, 0, 1, 0, 1)
X101 = (3, 1, 1, 1, 2, 1, 0, 1, 1, 0, 1)
ZERO = (0,) * 11
X201 = (2, 1, 1, 0, 1, 1, 0, 0, 1, 0, 1)
H200 = (1, 0, 0, 1, 1, 0, 1, 0, 0, 0, 0)


def _add(*rows: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(sum(col) for col in zip(*rows, strict=True))


D100 = _add(H100, X101, ZERO)  # (5, 2, 2, 1, 3, 2, 0, 1, 2, 0, 2)
D200 = _add(H200, X201)  # (3, 1, 1, 1, 2, 1, 1, 0, 1, 0, 1)


@pytest.fixture(scope="module")
def three(tmp_path_factory: pytest.TempPathFactory) -> str:
    return seed(f"sqlite:///{tmp_path_factory.mktemp('f06') / 'three.sqlite'}")


@pytest.fixture(scope="module")
def two(tmp_path_factory: pytest.TempPathFactory) -> str:
    return seed(f"sqlite:///{tmp_path_factory.mktemp('f06') / 'two.sqlite'}", two_tier=True)


def _table(url: str, by: str, level: str | None = None) -> list[tuple[str, str, str, tuple[int, ...]]]:
    doc = build_form(make_engine(url), OCTOBER, by, level, today=dt.date(2026, 11, 2))
    return [(r.number, r.label, r.kind, r.values) for r in doc.rows]


def test_by_unit_three_tier_every_cell(three: str) -> None:
    assert _table(three, "unit") == [
        ("", "TỔNG CỘNG TOÀN TỈNH", "total", _add(S1, D100, D200)),  # 12 = 8 + 4
        ("I", "Sở, ban, ngành cấp tỉnh", "group", S1),
        ("1", "Sở Một", "row", S1),
        ("II", "Các đơn vị cấp huyện", "group", _add(D100, D200)),
        ("1", "Huyện Một", "group", D100),
        ("1.1", "Các cơ quan cấp huyện", "row", H100),
        ("1.2", "Xã Một A", "row", X101),
        ("1.3", "Xã Một B", "row", ZERO),
        ("2", "Huyện Hai", "group", D200),
        ("2.1", "Các cơ quan cấp huyện", "row", H200),
        ("2.2", "Xã Hai A", "row", X201),
    ]
    assert _add(S1, D100, D200) == (12, 4, 4, 4, 8, 4, 2, 2, 4, 1, 3)


def test_by_unit_down_to_districts_rolls_the_communes_in(three: str) -> None:
    assert _table(three, "unit", "district")[3:] == [
        ("II", "Các đơn vị cấp huyện", "group", _add(D100, D200)),
        ("1", "Huyện Một", "row", D100),
        ("2", "Huyện Hai", "row", D200),
    ]


def test_by_field_three_tier_every_cell(three: str) -> None:
    # Province: Hộ tịch a1 (online, early) + a4 (carried, open within due); Xây dựng a2 (direct,
    # on time); Đất đai a3 (carried, late). District: Hộ tịch b1 (postal, withdrawn: early);
    # Xây dựng b2 (online, open overdue) + d4 (carried, on time). Commune: Hộ tịch c1, c2, d1, d2;
    # Đất đai c3 (carried, open overdue).
    assert _table(three, "field") == [
        ("", "TỔNG CỘNG TOÀN TỈNH", "total", (12, 4, 4, 4, 8, 4, 2, 2, 4, 1, 3)),
        ("I", "Đơn vị cấp tỉnh", "group", S1),
        ("1", "Hộ tịch", "row", (2, 1, 0, 1, 1, 1, 0, 0, 1, 1, 0)),
        ("2", "Xây dựng", "row", (1, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0)),
        ("3", "Đất đai", "row", (1, 0, 0, 1, 1, 0, 0, 1, 0, 0, 0)),
        ("II", "Đơn vị cấp huyện", "group", _add(H100, H200)),
        ("1", "Hộ tịch", "row", (1, 0, 1, 0, 1, 1, 0, 0, 0, 0, 0)),
        ("2", "Xây dựng", "row", (2, 1, 0, 1, 1, 0, 1, 0, 1, 0, 1)),
        ("III", "Đơn vị cấp xã", "group", _add(X101, X201)),
        # c1 direct early, c2 online late (two requests), d1 online open (two requests: overdue),
        # d2 direct withdrawn at receipt: early → 4 = 2 + 2 + 0 | 3 = 2 + 0 + 1 | 1 = 0 + 1.
        ("1", "Hộ tịch", "row", (4, 2, 2, 0, 3, 2, 0, 1, 1, 0, 1)),
        ("2", "Đất đai", "row", (1, 0, 0, 1, 0, 0, 0, 0, 1, 0, 1)),
    ]


def test_two_tier_by_unit_and_by_field(two: str) -> None:
    communes = _add(X101, ZERO, X201)  # (5, 2, 2, 1, 3, 2, 0, 1, 2, 0, 2)
    total = _add(S1, communes)  # (9, 3, 3, 3, 6, 3, 1, 2, 3, 1, 2): 9 = 6 + 3
    assert _table(two, "unit") == [
        ("", "TỔNG CỘNG TOÀN TỈNH", "total", total),
        ("I", "Sở, ban, ngành cấp tỉnh", "group", S1),
        ("1", "Sở Một", "row", S1),
        ("II", "Các đơn vị cấp xã", "group", communes),
        ("1", "Xã Một A", "row", X101),
        ("2", "Xã Một B", "row", ZERO),
        ("3", "Xã Hai A", "row", X201),
    ]
    by_field = _table(two, "field")
    assert by_field[0][3] == total
    assert by_field[5:] == [
        ("II", "Đơn vị cấp xã", "group", communes),
        ("1", "Hộ tịch", "row", (4, 2, 2, 0, 3, 2, 0, 1, 1, 0, 1)),
        ("2", "Đất đai", "row", (1, 0, 0, 1, 0, 0, 0, 0, 1, 0, 1)),
    ]


def test_bad_layout_level_and_period(three: str) -> None:
    engine = make_engine(three)
    with pytest.raises(FormError, match="district, commune"):
        build_form(engine, OCTOBER, "unit", "agency")
    with pytest.raises(FormError, match="unit hoặc field"):
        build_form(engine, OCTOBER, "channel")
    with pytest.raises(PeriodError):
        parse_form_period("2026-H3")


def test_period_words_and_half_years() -> None:
    half = parse_form_period("2026-H2", NOW)
    assert (half.start, half.end) == (dt.date(2026, 7, 1), dt.date(2026, 12, 31))
    assert period_words(half, "vi") == "6 tháng cuối năm 2026"
    assert period_words(parse_form_period("2026-H1", NOW), "vi") == "6 tháng đầu năm 2026"
    assert period_words(parse_period("2026-Q3", NOW), "vi") == "Quý III năm 2026"
    assert period_words(parse_period("2026-10", NOW), "vi") == "Tháng 10 năm 2026"
    assert period_words(parse_period("2025", NOW), "vi") == "Năm 2025"
    assert period_words(parse_period("2026-01-15..2026-02-20", NOW), "vi") == "Từ 15/01/2026 đến 20/02/2026"


# --- The generated sample --------------------------------------------------------------------

SAMPLE_DAY = dt.date(2026, 11, 23)
SAMPLE_NOW = dt.datetime(2026, 11, 23, 10, 0)


@pytest.fixture(scope="module", params=["three_tier", "two_tier"])
def sample(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('f06s') / 'sample.sqlite'}"
    scale = 0.05 if request.param == "three_tier" else 0.02
    build_sample(url, seed=7, scale=scale, profile=request.param, today=SAMPLE_DAY)
    return url


def _months(url: str) -> list[Period]:
    """Every month from the sample's first receipt to today's (judged now for the current one)."""
    with make_engine(url).connect() as conn:
        first = pd.Timestamp(conn.execute(select(func.min(dossiers.c.received_at))).scalar_one()).date()
    months, day = [], first.replace(day=1)
    while day <= SAMPLE_DAY:
        months.append(month_period(day.year, day.month, SAMPLE_NOW))
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return months


def test_identities_hold_on_every_row_of_the_sample_every_month(sample: str) -> None:
    engine = make_engine(sample)
    months = _months(sample)
    assert len(months) >= 12
    for period in months:
        for by in ("unit", "field"):
            doc = build_form(engine, period, by)
            broken = [(r.number, r.label, r.values) for r in doc.rows if not identities_hold(r)]
            assert not broken, (period.start, by, broken)
            assert doc.rows[0].column(3) > 0, period.start


def test_the_form_reads_the_walls_counters(sample: str) -> None:
    """Columns 4, 5, 7, 10, 11, 12 are the wall's received (online / the rest), settled, settled
    late, open and open within due; column 6 is the wall's "open" at the end of the month before
    (all read from the summaries)."""
    engine = make_engine(sample)
    for period in _months(sample)[-6:]:
        total = build_form(engine, period, "unit").rows[0]
        wall = queries.dossier_counts(engine, "province", period).iloc[0]
        before = queries.dossier_counts(engine, "province", period.previous()).iloc[0]
        assert total.column(4) == wall["received_online"]
        assert total.column(4) + total.column(5) == wall["received"]
        assert (total.column(11), total.column(12)) == (wall["open_end"], wall["open_on_time"])
        assert total.column(6) == before["open_end"]
        # Resolved is the wall's settled (withdrawals included), late = settled − settled on time.
        assert (total.column(7), total.column(10)) == (
            wall["settled"],
            wall["settled"] - wall["settled_on_time"],
        )
