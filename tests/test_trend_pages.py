"""AppTest of the four trend screens on a seeded SQLite file, run through the real router
(app.py): the exact figures that ``metrics`` gives for the data (worked out by hand below), the
Vega-Lite specs (targets drawn as rules, the first month met, Vietnamese titles, the vi number
locale), URL deep links that reproduce a view and are carried across the four screens, and clear
messages instead of tracebacks for bad parameters or a missing database."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from data_access.engine import make_engine
from data_access.queries import dossier_counts, monthly_counters
from metrics.compute import compute
from metrics.registry import get_metric
from metrics.trends import month_periods, monthly_rates
from tests.builders import T, build, dossier
from timebase.period import parse_period
from timebase.workdays import due_date, elapsed

ROOT = Path(__file__).resolve().parent.parent
NOW = dt.datetime(2026, 11, 23, 10, 0)
PERIOD = "2026-09-01..2026-11-23"
LAND, BUILD = "1.000003", "1.000002"  # Đất đai (limit 5), Xây dựng (partial online, limit 10)
SCREENS = ("satisfaction", "online", "feedback", "processing")


def _done(
    code: str, unit: str, received: dt.datetime, due: dt.datetime, finished: dt.datetime, **kw: Any
) -> Any:
    return dossier(code, unit, received, due, finished_at=finished, **kw)


ROWS = [
    # September, commune 101, Hộ tịch (limit 3), in person: 1 satisfied, 1 unsatisfied → 50%.
    _done("s1", "101", T(2026, 9, 7, 9), T(2026, 9, 10, 17), T(2026, 9, 9, 9), rating="satisfied"),
    _done("s2", "101", T(2026, 9, 7, 9), T(2026, 9, 10, 17), T(2026, 9, 10, 10), rating="unsatisfied"),
    # October: one online dossier, finished, not rated → satisfaction N/A (not 0%).
    _done("o1", "201", T(2026, 10, 5, 9), T(2026, 10, 8, 17), T(2026, 10, 6, 9), channel="online"),
    # November: 4 ratings, all satisfied → 100%, the first month at the 90% target.
    _done("n1", "101", T(2026, 11, 2, 9), T(2026, 11, 5, 17), T(2026, 11, 3, 9), channel="online",
          rating="very_satisfied"),
    _done("n2", "102", T(2026, 11, 2, 9), T(2026, 11, 5, 17), T(2026, 11, 4, 9), channel="online",
          rating="satisfied"),
    _done("n3", "201", T(2026, 11, 2, 9), T(2026, 11, 5, 17), T(2026, 11, 5, 9), rating="very_satisfied"),
    _done("n4", "201", T(2026, 11, 9, 9), T(2026, 11, 16, 17), T(2026, 11, 11, 9), procedure_code=LAND,
          rating="satisfied", fee_required=True),
    # A building permit (offered partly online) received on paper, still open and within its time.
    dossier("p1", "101", T(2026, 11, 16, 9), T(2026, 11, 30, 17), procedure_code=BUILD, fee_required=True),
]  # fmt: skip


def _fb(code: str, unit: str, received: dt.datetime, category: str, **kw: Any) -> dict[str, Any]:
    row = dict(
        feedback_code=code,
        unit_code=unit,
        category=category,
        channel="web",
        received_at=received,
        due_at=due_date(received, 15),
        handled_at=None,
        status="in_progress",
        rating=None,
    )
    row.update(kw)
    return row  # fmt: skip


FEEDBACK = [
    # Due 28/9 (15 working days after 7/9; 1–2/9 are holidays); handled 20/9: on time, satisfied.
    _fb("k1", "101", T(2026, 9, 7, 10), "Đất đai", handled_at=T(2026, 9, 20, 9), status="handled",
        rating="satisfied"),
    # Due 26/10, handled 10/11: late, rated unsatisfied.
    _fb("k2", "201", T(2026, 10, 5, 10), "Môi trường", handled_at=T(2026, 11, 10, 9), status="handled",
        rating="unsatisfied"),
    # Open and past its due date (16/11) now; open and within its due date (December).
    _fb("k3", "102", T(2026, 10, 26, 10), "Đất đai"),
    _fb("k4", "201", T(2026, 11, 16, 10), "Đất đai"),
]  # fmt: skip


def _target(metric: str, value: float, field: str = "") -> dict[str, Any]:
    return dict(metric=metric, unit_code="", level="", field=field, year=2026, value=value, source="test")


TARGETS = [
    _target("satisfaction_rate", 0.9),
    _target("satisfaction_rate", 0.85, "Đất đai"),
    _target("online_share", 0.5),
    _target("feedback_on_time_rate", 1.0),
]


@pytest.fixture
def seeded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'ioc.sqlite'}"
    build(url, ROWS, feedback_rows=FEEDBACK, target_rows=TARGETS, sample=True).dispose()
    monkeypatch.setenv("IOC_DATABASE_URL", url)
    monkeypatch.setenv("IOC_NOW", NOW.isoformat())
    return url


def _open(screen: str, **params: str) -> AppTest:
    """Run app.py on ``screen``. AppTest.switch_page only resolves file pages; st.navigation keys
    a callable page by the hash of its url path, which is what a browser on /<screen> asks for."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    at._page_hash = calc_hash(screen)
    return at.run()


def _specs(at: AppTest) -> dict[str, dict[str, Any]]:
    """Each Vega-Lite chart's spec by its title (a long one is wrapped into lines: joined
    again), with its datasets decoded into frames."""
    out = {}
    for chart in at.get("vega_lite_chart"):
        spec = json.loads(chart.proto.spec)
        spec["_data"] = {
            d.name: pa.ipc.open_stream(d.data.data).read_all().to_pandas() for d in chart.proto.datasets
        }
        title = spec["title"]
        out[" ".join(title) if isinstance(title, list) else title] = spec
    return out


def _layers(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Every unit view of a layered spec, each with the data it draws."""
    found = []

    def walk(node: dict[str, Any], data: str | None) -> None:
        data = node.get("data", {}).get("name", data)
        if "layer" in node:
            for child in node["layer"]:
                walk(child, data)
        else:
            found.append({**node, "_frame": spec["_data"].get(data)})

    walk(spec, None)
    return found


def _mark(layer: dict[str, Any]) -> str:
    mark = layer["mark"]
    return mark if isinstance(mark, str) else mark["type"]


def _table(at: AppTest, column: str) -> pd.DataFrame:
    """The first table on screen with ``column``."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def _tiles(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_satisfaction_figures_and_chart_specs(seeded: str) -> None:
    at = _open("satisfaction", period=PERIOD)
    assert not at.exception
    assert at.title[0].value == "Mức độ hài lòng"
    assert "Dữ liệu mẫu" in " ".join(m.value for m in at.markdown)
    # The metrics' figures for the same data and period.
    engine = make_engine(seeded)
    period_rows = dossier_counts(engine, "province", parse_period(PERIOD, NOW), ("field",))
    expected = compute(period_rows.sum(numeric_only=True).to_frame().T, [get_metric("satisfaction_766")])
    # Ratings s1, s2, n1–n4: 5 satisfied of 6 = 83,3%. 766 variant: handled = 7 finished + p1 open,
    # all on time; minus 1 unsatisfied → 7/8 = 87,5%.
    assert expected.iloc[0]["satisfaction_766"] == pytest.approx(7 / 8)
    tiles = _tiles(at)
    assert tiles["Tỷ lệ hài lòng"] == "83,3%"
    assert tiles["Mức độ hài lòng (cách tính 766)"] == "87,5%"
    assert tiles["Lượt đánh giá"] == "6" and tiles["Không hài lòng"] == "1"
    assert "Mục tiêu năm 2026: chung 90,0%; riêng theo lĩnh vực: Đất đai 85,0%." in _captions(at)

    specs = _specs(at)
    trend = specs["Tỷ lệ hài lòng theo tháng"]
    assert trend["config"]["locale"]["number"]["decimal"] == ","
    assert trend["config"]["locale"]["number"]["thousands"] == "."
    line = next(lay for lay in _layers(trend) if _mark(lay) == "line")
    assert line["encoding"]["x"]["title"] == "Tháng"
    assert line["encoding"]["y"]["axis"]["format"] == ".0%"
    values = line["_frame"].set_index("month")["value"]
    # September 1/2; October no rating → null (a gap, not 0%); November 4/4.
    monthly = monthly_rates(
        monthly_counters(engine, "province", month_periods(parse_period(PERIOD, NOW))),
        ["satisfaction_rate"],
        [202609, 202610, 202611],
    )
    assert list(monthly["satisfaction_rate"]) == [0.5, None, 1.0]
    assert values[202609] == 0.5 and pd.isna(values[202610]) and values[202611] == 1.0
    assert list(line["_frame"].set_index("month")["text"]) == ["50,0%", "—", "100,0%"]
    rule = next(lay for lay in _layers(trend) if _mark(lay) == "rule")
    assert list(rule["_frame"]["target"]) == [0.9]
    assert list(rule["_frame"]["text"]) == ["Mục tiêu 90,0%"]
    notes = [lay for lay in _layers(trend) if _mark(lay) == "text" and "note" in lay["_frame"].columns]
    assert list(notes[0]["_frame"]["note"]) == ["Lần đầu đạt mục tiêu: 11/2026"]
    # The month pick that filters the page.
    assert trend["params"][0]["name"] == "pick_month"
    assert trend["params"][0]["select"]["fields"] == ["month"]

    # By field: each bar carries its own target tick (land has the separate 85% target).
    fields = specs["Tỷ lệ hài lòng theo lĩnh vực"]
    tick = next(lay for lay in _layers(fields) if _mark(lay) == "tick")
    goals = tick["_frame"].set_index("key")["target"].to_dict()
    assert goals == {"Hộ tịch": 0.9, "Đất đai": 0.85}
    # Ratings: 2 very satisfied, 3 satisfied, 1 unsatisfied of 6.
    ratings = next(lay for lay in _layers(specs["Phân bố mức đánh giá"]) if _mark(lay) == "bar")
    assert list(ratings["_frame"]["text"]) == ["33,3% (2)", "50,0% (3)", "16,7% (1)"]


def _captions(at: AppTest) -> str:
    return " | ".join(c.value for c in at.caption)


def test_deep_link_to_a_unit_is_carried_across_the_four_screens(seeded: str) -> None:
    params = {"level": "district", "unit": "200", "period": PERIOD}
    at = _open("satisfaction", **params)
    assert not at.exception
    # Huyện Hai (200): o1 not rated, n3 very satisfied, n4 satisfied → 2 of 2.
    assert _tiles(at)["Tỷ lệ hài lòng"] == "100,0%"
    line = next(lay for lay in _layers(_specs(at)["Tỷ lệ hài lòng theo tháng"]) if _mark(lay) == "line")
    assert set(line["_frame"]["series"]) == {"Tỉnh Thử", "Huyện Hai"}
    # The links to the other three screens carry exactly these filters.
    links = {p.proto.page: p.proto.query_string for p in at.get("page_link")}
    carried = "level=district&unit=200&period=2026-09-01..2026-11-23"
    assert links == {"online": carried, "feedback": carried, "processing": carried}
    # Following them reproduces the same view on every screen.
    for screen in SCREENS:
        other = _open(screen, **params)
        assert not other.exception, screen
        assert "Huyện Hai · 01/09/2026–23/11/2026" in _captions(other), screen
        assert other.selectbox(key="trend_unit").value == "200"
        assert other.selectbox(key="trend_period").value == PERIOD


def test_field_filter_uses_the_land_target(seeded: str) -> None:
    at = _open("satisfaction", period=PERIOD, field="Đất đai")
    assert not at.exception
    # Only n4 (Đất đai) was rated: 1 of 1.
    assert _tiles(at)["Tỷ lệ hài lòng"] == "100,0%"
    rule = next(lay for lay in _layers(_specs(at)["Tỷ lệ hài lòng theo tháng"]) if _mark(lay) == "rule")
    assert list(rule["_frame"]["target"]) == [0.85]


def test_a_picked_month_filters_the_rest_of_the_page(seeded: str) -> None:
    at = _open("satisfaction", period=PERIOD, month="202609")
    assert not at.exception
    # September alone: s1 satisfied, s2 unsatisfied.
    assert _tiles(at)["Tỷ lệ hài lòng"] == "50,0%"
    assert "Tháng đã chọn: 09/2026" in _captions(at)
    # The monthly chart still shows the whole period.
    line = next(lay for lay in _layers(_specs(at)["Tỷ lệ hài lòng theo tháng"]) if _mark(lay) == "line")
    assert list(line["_frame"]["month"]) == [202609, 202610, 202611]


def test_widgets_write_the_url(seeded: str) -> None:
    at = _open("satisfaction", period=PERIOD)
    at.selectbox(key="trend_unit").select("100").run()
    assert not at.exception
    assert at.query_params["unit"] == "100"
    # Huyện Một (100): s1 satisfied, s2 unsatisfied, n1, n2 satisfied → 3 of 4.
    assert _tiles(at)["Tỷ lệ hài lòng"] == "75,0%"
    at.selectbox(key="trend_level").select("commune").run()
    assert "unit" not in at.query_params  # a unit of another level no longer applies
    assert at.query_params["level"] == "commune"


def test_bad_parameters_get_a_message_and_the_default(seeded: str) -> None:
    at = _open("satisfaction", unit="999", period="garbage", level="planet", field="x'<b>", month="190001")
    assert not at.exception
    warned = " ".join(w.value for w in at.warning)
    for name in ("unit", "period", "level", "field", "month"):
        assert f"Tham số '{name}' không hợp lệ" in warned, name
    # The default: the whole province over the last 12 months.
    assert "Tỉnh Thử · 01/12/2025–23/11/2026" in _captions(at)


def test_online_screen(seeded: str) -> None:
    at = _open("online", period=PERIOD)
    assert not at.exception
    tiles = _tiles(at)
    # Received s1, s2, o1, n1–n4, p1 = 8; online o1, n1, n2 → 37,5%. Fees n4, p1; none paid online.
    assert tiles["Tỷ lệ hồ sơ trực tuyến"] == "37,5%"
    assert tiles["Tỷ lệ thanh toán trực tuyến"] == "0,0%"
    specs = _specs(at)
    trend = specs["Tỷ lệ hồ sơ trực tuyến theo tháng"]
    rule = next(lay for lay in _layers(trend) if _mark(lay) == "rule")
    assert list(rule["_frame"]["target"]) == [0.5]
    # September 0 of 2 online, October 1 of 1 → the 50% target first met in October.
    note = next(lay for lay in _layers(trend) if _mark(lay) == "text" and "note" in lay["_frame"].columns)
    assert list(note["_frame"]["note"]) == ["Lần đầu đạt mục tiêu: 10/2026"]
    mix = specs["Cơ cấu kênh nộp hồ sơ theo tháng"]
    bars = next(lay for lay in _layers(mix) if _mark(lay) == "bar")["_frame"]
    november = bars[bars["month"] == 202611].set_index("part")["value"].to_dict()
    assert november == {"Trực tuyến": 2.0, "Trực tiếp": 3.0, "Bưu chính công ích": 0.0}
    pin = next(lay for lay in _layers(mix) if _mark(lay) == "text")["_frame"]
    assert list(pin["note"]) == ["Tăng mạnh nhất: 10/2026 (+100,0 điểm %)"]
    # Procedures offered online still receiving mostly paper: the building permit (1 of 1 on
    # paper); Hộ tịch is at exactly 50% online (3 of 6), so not "mostly paper".
    paper = _table(at, "Hồ sơ giấy")
    assert list(paper["Thủ tục hành chính"]) == ["Cấp giấy phép xây dựng"]
    assert list(paper["Hồ sơ giấy"]) == ["1"]


def test_feedback_screen(seeded: str) -> None:
    at = _open("feedback", period=PERIOD)
    assert not at.exception
    tiles = _tiles(at)
    # k1 on time, k2 late, k3 open past its due date, k4 open within it; k1, k2 rated.
    assert tiles["PAKN tiếp nhận"] == "4"
    # On time: (k1 answered on time + k4 open within due) / 4 = 50% (an open item past due is late).
    assert tiles["Tỷ lệ PAKN xử lý đúng hạn"] == "50,0%"
    assert tiles["Chưa xử lý, quá hạn"] == "1"
    assert tiles["Tỷ lệ hài lòng với trả lời PAKN"] == "50,0%"
    specs = _specs(at)
    rule = next(lay for lay in _layers(specs["Tỷ lệ PAKN xử lý đúng hạn theo tháng"]) if _mark(lay) == "rule")
    assert list(rule["_frame"]["target"]) == [1.0]
    categories = next(lay for lay in _layers(specs["PAKN theo nhóm nội dung"]) if _mark(lay) == "bar")[
        "_frame"
    ]
    assert categories.set_index("key")["value"].to_dict() == {"Đất đai": 3.0, "Môi trường": 1.0}
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    assert deck["layers"][0]["@@type"] == "ScatterplotLayer"
    # No basemap provider: nothing to fetch from outside (the wall is offline).
    assert "mapProvider" not in deck
    assert not any(host in json.dumps(deck) for host in ("carto", "mapbox", "googleapis"))
    assert len(deck["layers"][0]["data"]) == 2  # the two districts, at their seats


def test_processing_screen(seeded: str) -> None:
    at = _open("processing", period=PERIOD)
    assert not at.exception
    # Working days: s1 2, s2 3, o1 1, n1 1, n2 2, n3 3, n4 2 = 14 over 7 dossiers = 2,0; limits
    # 6 × 3 (Hộ tịch) + 5 (Đất đai) = 23 → 3,3 a dossier; saved 1 − 14/23 = 39,1%.
    finished = [r for r in ROWS if r["finished_at"] is not None]
    assert sum(elapsed(r["received_at"], r["finished_at"]) for r in finished) == 14
    tiles = _tiles(at)
    assert tiles["Thời gian giải quyết TB (ngày làm việc)"] == "2,0"
    assert tiles["Thời hạn quy định TB (ngày làm việc)"] == "3,3"
    assert tiles["Tỷ lệ thời gian tiết kiệm"] == "39,1%"
    assert tiles["Hồ sơ đã giải quyết"] == "7"
    assert "Thời gian giải quyết ngắn hơn 39% so với quy định." in at.success[0].value
    fields = _specs(at)["Thời gian giải quyết TB theo lĩnh vực"]
    tick = next(lay for lay in _layers(fields) if _mark(lay) == "tick")["_frame"].set_index("key")
    assert tick["target"].to_dict() == {"Hộ tịch": 3.0, "Đất đai": 5.0}
    listing = _table(at, "Thời hạn quy định (ngày)")
    assert list(listing["Thủ tục hành chính"]) == ["Đăng ký khai sinh", "Đăng ký đất đai"]
    assert list(listing["Tỷ lệ thời gian tiết kiệm"]) == ["33,3%", "60,0%"]  # 1 − 12/18, 1 − 2/5


def test_english(seeded: str) -> None:
    at = _open("satisfaction", period=PERIOD, lang="en")
    assert not at.exception
    assert at.title[0].value == "Satisfaction"
    assert _tiles(at)["Satisfaction"] == "83.3%"
    trend = _specs(at)["Satisfaction by month"]
    assert trend["config"]["locale"]["number"]["decimal"] == "."
    links = {p.proto.page: p.proto.query_string for p in at.get("page_link")}
    assert links["online"].endswith("&lang=en")


@pytest.mark.parametrize("screen", SCREENS)
def test_missing_database_gives_a_message(
    screen: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IOC_DATABASE_URL", f"sqlite:///{tmp_path / 'absent.sqlite'}")
    at = _open(screen)
    assert not at.exception
    assert "Không đọc được cơ sở dữ liệu" in at.error[0].value


NA_TILE = {
    "satisfaction": "Tỷ lệ hài lòng",
    "online": "Tỷ lệ hồ sơ trực tuyến",
    "feedback": "Tỷ lệ PAKN xử lý đúng hạn",
    "processing": "Tỷ lệ thời gian tiết kiệm",
}


@pytest.mark.parametrize("screen", SCREENS)
def test_a_database_without_dossiers_shows_na(
    screen: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    build(url, [], sample=True).dispose()
    monkeypatch.setenv("IOC_DATABASE_URL", url)
    monkeypatch.setenv("IOC_NOW", NOW.isoformat())
    at = _open(screen, period="all")
    assert not at.exception, screen
    # Nothing received: rates are N/A ("—"), never 0%.
    tiles = _tiles(at)
    assert tiles[NA_TILE[screen]] == "—", tiles


@pytest.mark.parametrize("screen", ["satisfaction", "online", "feedback", "processing"])
def test_every_chart_drawn_is_a_valid_vega_lite_spec(seeded: str, screen: str) -> None:
    """The pages draw their charts' specs unchecked, for speed (written as Vega-Lite dicts by
    ``ui.trend_charts``): each spec a screen sends is checked here against the Vega-Lite schema
    Altair ships."""
    from altair.utils.schemapi import validate_jsonschema
    from altair.vegalite.v6.schema import load_schema

    schema = load_schema()
    charts = _open(screen).get("vega_lite_chart")
    assert len(charts) >= 4, screen
    for chart in charts:
        spec = json.loads(chart.proto.spec)
        validate_jsonschema(spec, schema, rootschema=schema)  # raises on the first error
