"""The ranking and my-unit screens on seeded databases (``tests/ranking_seed.py``): ranks, ties,
rank changes, small units, the score breakdown worked out by hand, deep links, a three-tier and
a two-tier province, and optional sign-in with AppTest's fake user."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from data_access.engine import make_engine
from data_access.load import upsert
from data_access.queries import unit_counters
from data_access.schema import portal_scores
from metrics import score766
from tests.ranking_seed import NOW, build_three_tier, build_two_tier
from timebase.period import parse_period
from ui.access import Viewer, lineage, may_drill

OCTOBER = parse_period("2026-10", NOW)


def _page_script(page: str) -> None:
    """One screen on its own (app.py registers callables, which AppTest cannot switch to)."""
    import importlib

    importlib.import_module(f"app_pages.{page}").render()


def _run(page: str, user: dict | None = None, secrets: dict | None = None, **params: str) -> AppTest:
    at = AppTest.from_function(_page_script, args=(page,), default_timeout=60)
    at.query_params.update(params)
    if user is not None:
        at.user = user
    if secrets is not None:
        at.secrets = secrets
    return at.run()


def _frames(at: AppTest, column: str) -> list[pd.DataFrame]:
    return [d.value for d in at.dataframe if column in d.value.columns]


def _rows(frame: pd.DataFrame, *columns: str) -> list[tuple[str, ...]]:
    return [tuple(str(r[c]) for c in columns) for _, r in frame.iterrows()]


@pytest.fixture
def three(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'three.sqlite'}"
    build_three_tier(url)
    monkeypatch.setenv("IOC_DATABASE_URL", url)
    monkeypatch.setenv("IOC_NOW", NOW.isoformat())
    monkeypatch.delenv("IOC_AUTH_REQUIRED", raising=False)
    return url


@pytest.fixture
def two(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'two.sqlite'}"
    build_two_tier(url)
    monkeypatch.setenv("IOC_DATABASE_URL", url)
    monkeypatch.setenv("IOC_NOW", NOW.isoformat())
    monkeypatch.delenv("IOC_AUTH_REQUIRED", raising=False)
    return url


# Scores in October (points = max × min(1, rate / target)); a plain commune has no fee, no rating,
# no PAKN, no electronic result: online payment 6 + 2, PAKN 12 and satisfaction 6 by the 766
# convention = 26, plus progress 20 × rate / 98%, plus 12 for online services only when none of
# its procedures is full-process eligible (Đất đai 1.000003):
#   Xã Một A (101, rich): 67,1 (see the breakdown test) — on time 19/20 = 95%
#   Xã Một B (102) and Xã Hai A (201): 26 + 12 + 20 × 0,90 / 0,98 = 56,37 — a tie
#   Xã Hai B (202): 26 + 20 × 0,80 / 0,98 = 42,33
#   Xã Một C (103): 3 dossiers < 20 → flagged, not ranked (100% on time would top the table)
# September: 201 = 38 + 20 × 0,95/0,98 = 57,39 (1st), 102 = 38 + 20 × 0,85/0,98 = 55,35 (2nd),
# 202 = 26 + 20 = 46 (3rd), 101 = 26 + 20 × 0,90/0,98 = 44,37 (4th).
SCORE_RANKING = [
    ("1", "+3", "Xã Một A", "67,1", ""),
    ("2", "−1", "Xã Hai A", "56,4", ""),
    ("2", "=", "Xã Một B", "56,4", ""),
    ("4", "−1", "Xã Hai B", "42,3", ""),
    ("—", "", "Xã Một C", "46,0", "ít hồ sơ, không xếp hạng"),
]
COLUMNS = ("Hạng", "Thay đổi", "Đơn vị", "Điểm 766 (ước tính)", "Ghi chú")


@pytest.fixture
def rules_2022(monkeypatch: pytest.MonkeyPatch) -> None:
    """The earlier estimate (decision-766-2022), which the figures below were worked out for."""
    monkeypatch.setenv("IOC_SCORE_RULES", "decision-766-2022")


def test_commune_ranking_by_score_shares_ranks_and_flags_the_small_commune(
    three: str, rules_2022: None
) -> None:
    at = _run("ranking", level="commune", period="2026-10")
    assert not at.exception and not at.warning
    assert at.title[0].value == "Xếp hạng cấp xã — Tháng 10/2026"
    table = _frames(at, "Điểm 766 (ước tính)")[0]
    assert _rows(table, *COLUMNS) == SCORE_RANKING
    # Each group's points out of its maximum, for Xã Một A: progress 20 × 0,95/0,98 = 19,4;
    # online payment 4,5 + 2 = 6,5 (of the 8 points measured here); digitisation 6,875 + 7,333 +
    # 3,667 = 17,9; satisfaction 3 + 3 + 5,33.
    first = table.iloc[0]
    assert first["Tiến độ (/20)"] == "19,4" and first["Dịch vụ trực tuyến (/12)"] == "12,0"
    assert first["Thanh toán trực tuyến (/8)"] == "6,5" and first["Số hóa (/22)"] == "17,9"
    assert first["Mức độ hài lòng (/18)"] == "11,3"
    # Against the targets (on time 98%, satisfaction 90%): 102 meets only the 766 satisfaction
    # variant (18 on time − 0 unsatisfied)/20 = 90%; 101 (95%, 95%, 80%, 85%) meets none of four.
    bands = dict(zip(table["Đơn vị"], table["So với mục tiêu"], strict=True))
    assert bands["Xã Một A"] == "đạt 0/4 mục tiêu" and bands["Xã Một B"] == "đạt 1/3 mục tiêu"
    assert bands["Xã Một C"] == "đạt 3/3 mục tiêu"
    captions = " ".join(c.value for c in at.caption)
    assert "Thay đổi so với Tháng 9/2026" in captions and "dưới 20 hồ sơ" in captions
    assert "ước tính" in captions and "không đo được ở đây" in captions
    assert "Dữ liệu mẫu" in " ".join(m.value for m in at.markdown)


BY_ON_TIME = [
    # October on time: 101 95%, 201 90%, 102 90%, 202 80%; September: 202 100% (1st), 201 95%
    # (2nd), 101 90% (3rd), 102 85% (4th) → 101 +2, 201 =, 102 +2, 202 −3.
    ("", "1", "+2", "Xã Một A", "95,0%", "Chưa đạt"),
    ("", "2", "=", "Xã Hai A", "90,0%", "Chưa đạt"),
    ("Đang xem", "2", "+2", "Xã Một B", "90,0%", "Chưa đạt"),
    ("", "4", "−3", "Xã Hai B", "80,0%", "Chưa đạt"),
    ("", "—", "", "Xã Một C", "100,0%", "Đạt"),
]
ON_TIME_COLUMNS = ("", "Hạng", "Thay đổi", "Đơn vị", "Tỷ lệ hồ sơ đúng hạn", "So với mục tiêu")


def test_a_deep_link_reproduces_the_view(three: str) -> None:
    link = dict(level="commune", metric="on_time_rate", period="2026-10", unit="102")
    at = _run("ranking", **link)
    assert not at.exception and not at.warning
    table = _frames(at, "Tỷ lệ hồ sơ đúng hạn")[0]
    assert _rows(table, *ON_TIME_COLUMNS) == BY_ON_TIME
    assert at.subheader[0].value == "Chi tiết điểm 766 — Xã Một B"
    # The same view built by hand with the widgets writes exactly that link into the URL.
    by_hand = _run("ranking")
    by_hand.selectbox(key="rk_level").select("commune").run()
    by_hand.selectbox(key="rk_metric").select("on_time_rate").run()
    by_hand.selectbox(key="rk_period_kind").select("month").run()
    by_hand.selectbox(key="rk_period_month").select("2026-10").run()
    by_hand.selectbox(key="rk_unit").select("102").run()
    assert not by_hand.exception
    assert by_hand.query_params == link
    assert _frames(by_hand, "Tỷ lệ hồ sơ đúng hạn")[0].equals(table)


def test_the_status_has_a_shape_beside_its_word(three: str) -> None:
    """Issue 23 item 2 in the off-wall table: an SVG shape (an image column: the table is a canvas)
    left of each status word, in the Okabe–Ito colours; none for the score's targets-met count."""
    import json
    import xml.etree.ElementTree as ET
    from urllib.parse import unquote

    at = _run("ranking", level="commune", metric="on_time_rate", period="2026-10")
    assert not at.exception
    [element] = [d for d in at.dataframe if "Tỷ lệ hồ sơ đúng hạn" in d.value.columns]
    table = element.value
    columns = list(table.columns)
    assert columns.index("status_shape") == columns.index("So với mục tiêu") - 1
    drawn = {}
    for word, uri in zip(table["So với mục tiêu"], table["status_shape"], strict=True):
        assert uri.startswith("data:image/svg+xml;utf8,")
        [shape] = list(ET.fromstring(unquote(uri.split(",", 1)[1])))
        drawn[word] = (shape.tag.rsplit("}", 1)[-1], shape.get("fill"))
    # BY_ON_TIME: four missed (a vermillion triangle), Xã Một C met (a bluish-green circle).
    assert drawn == {"Chưa đạt": ("polygon", "#D55E00"), "Đạt": ("circle", "#009E73")}
    config = json.loads(element.proto.columns)
    assert config["status_shape"]["type_config"]["type"] == "image", config
    assert config["status_shape"]["label"] == " " and "tam giác" in config["status_shape"]["help"]
    score = _run("ranking", level="commune", period="2026-10")
    assert "status_shape" not in _frames(score, "Điểm 766 (ước tính)")[0].columns


def test_district_level_with_a_custom_period(three: str) -> None:
    # Districts: 100 = 101 + 102 + 103 (on time 40/43), 200 = 201 + 202 (34/40); in September
    # 200 led (39/40 = 97,5% against 35/40), so 100 moves up one place.
    at = _run("ranking", level="district", period="2026-10-01..2026-10-31")
    assert not at.exception and not at.warning
    assert at.title[0].value == "Xếp hạng cấp huyện — 01/10/2026–31/10/2026"
    table = _frames(at, "Điểm 766 (ước tính)")[0]
    assert _rows(table, "Hạng", "Thay đổi", "Đơn vị", "Hồ sơ xử lý") == [
        ("1", "+1", "Huyện Một", "43"),
        ("2", "−1", "Huyện Hai", "40"),
    ]


def test_agencies_are_a_level_of_their_own(three: str) -> None:
    at = _run("ranking", level="agency", metric="on_time_rate", period="2026-10")
    assert not at.exception
    table = _frames(at, "Tỷ lệ hồ sơ đúng hạn")[0]
    ranked = [r for r in _rows(table, "Hạng", "Đơn vị", "Tỷ lệ hồ sơ đúng hạn") if r[0] != "—"]
    assert ranked == [
        ("1", "Một cửa Xã Một A", "95,0%"),
        ("2", "Một cửa Xã Hai A", "90,0%"),
        ("2", "Một cửa Xã Một B", "90,0%"),
        ("4", "Một cửa Xã Hai B", "80,0%"),
    ]
    assert "Xếp hạng sở, ban, ngành" in at.title[0].value


def test_two_tier_province_ranks_its_communes(two: str, rules_2022: None) -> None:
    at = _run("ranking", period="2026-10")
    assert not at.exception and not at.warning
    assert at.selectbox(key="rk_level").options == ["Cấp xã", "Sở, ban, ngành"]  # no district level
    table = _frames(at, "Điểm 766 (ước tính)")[0]
    assert _rows(table, *COLUMNS) == [
        ("1", "+3", "Xã Bắc", "67,1", ""),
        ("2", "=", "Phường Nam", "56,4", ""),  # 802 = 102's dossiers: 2nd in September too
        ("2", "−1", "Xã Đông", "56,4", ""),
        ("4", "−1", "Xã Tây", "42,3", ""),
        ("—", "", "Xã Nhỏ", "46,0", "ít hồ sơ, không xếp hạng"),
    ]


def test_default_is_the_month_to_date_and_bad_links_fall_back(three: str) -> None:
    at = _run("ranking")
    assert not at.exception and not at.warning
    assert at.title[0].value == "Xếp hạng cấp huyện — Tháng 11/2026 (đến 23)"
    # Nothing handled in November yet: every district flagged, none ranked.
    assert {r[0] for r in _rows(_frames(at, "Hạng")[0], "Hạng")} == {"—"}
    bad = _run("ranking", level="quận", metric="nope", period="2026-13", unit="<x>")
    assert not bad.exception
    assert len(bad.warning) == 4
    assert bad.title[0].value == "Xếp hạng cấp huyện — Tháng 11/2026 (đến 23)"


def test_score_breakdown_of_a_seeded_commune_worked_by_hand(three: str, rules_2022: None) -> None:
    row = unit_counters(make_engine(three), "commune", OCTOBER).set_index("unit_code").loc["101"]
    rules = score766.DECISION_2022
    table = score766.breakdown(row, rules).dropna(subset=["criterion"]).set_index("criterion")
    expected = {
        # criterion: (numerator, denominator, points)
        "on_time_rate": (19, 20, 20 * 0.95 / 0.98),  # 19,388: 1 of 20 finished after its due date
        "full_process_online_share": (12, 20, 12.0),  # 60% ≥ 50% → all 12
        "online_payment_share": (6, 10, 6 * 0.60 / 0.80),  # 4,5
        "procedures_paid_online_share": (1, 1, 2.0),  # the one fee-bearing procedure was paid online
        "e_result_rate": (15, 20, 22 / 3 * 0.75 / 0.80),  # 6,875
        "digitized_rate": (16, 20, 22 / 3),  # 80% meets 80%
        "reuse_rate": (8, 20, 22 / 3 * 0.40 / 0.80),  # 3,667
        "feedback_on_time_rate": (1, 2, 6 * 0.5),  # no target: max × rate = 3
        "feedback_satisfaction": (1, 2, 6 * 0.5),  # 3
        "satisfaction_rate": (8, 10, 6 * 0.80 / 0.90),  # 5,333: 4 very satisfied + 4 satisfied of 10
    }
    for criterion, (num, den, pts) in expected.items():
        got = table.loc[criterion]
        assert (got["numerator"], got["denominator"]) == (num, den), criterion
        assert got["points"] == pytest.approx(pts), criterion
    assert score766.total(row, rules) == pytest.approx(sum(p for *_, p in expected.values()))  # 67,096
    # On screen: the criteria, transparency not measured here, the total labelled an estimate.
    at = _run("ranking", level="commune", period="2026-10", unit="101")
    shown = _frames(at, "Tiêu chí")[0].set_index("Tiêu chí", drop=False)
    assert shown.loc["Tỷ lệ hồ sơ đúng hạn", "Điểm"] == "19,4 / 20,0"
    assert shown.loc["Tỷ lệ hồ sơ đúng hạn", "Tử số"] == "19" and shown.iloc[1]["Mẫu số"] == "20"
    assert shown.loc["Tỷ lệ thanh toán trực tuyến", "Tỷ lệ"] == "60,0%"
    assert shown.loc["Tỷ lệ thanh toán trực tuyến", "Ngưỡng đủ điểm"] == "80,0%"
    transparency = shown.iloc[0]
    assert transparency["Nhóm"] == "Công khai, minh bạch" and transparency["Tỷ lệ"] == "không đo được ở đây"
    assert transparency["Điểm"] == "— / 18,0"
    assert any("**67,1 / 80**" in m.value and "ước tính" in m.value for m in at.markdown)


# The portal's 2026 formulas (the default), October, worked by hand from the seed's counters:
# 101: progress 20 × 19/20 = 19; online 12 × min(1, 60 % / 50 %) = 12; payment 6 × 6/10 = 3,6 and
#      B, C 0 (no procedure of its catalogue carries a fee: nothing to judge scores 0); e-results
#      6 × 15/20 = 4,5; digitised 4 × min(1, 80 % / 80 %) = 4; reuse min(2, 2 × 40 % / 80 %) = 1;
#      dossier satisfaction r = (19 − 2 unsatisfied) / 20 = 85 % → 6 × 85/90 = 5,667; feedback on
#      time 6 × 1/2 = 3, feedback satisfaction 6 × 1/2 = 3 → 55,767.
# 102: 20 × 18/20 = 18; no eligible dossier, fee, digitisation or rating → 0; no feedback → 6 + 6 → 30.
# 201: 18 + 12 = 30 (tie with 102); 202: 16 + 12 = 28; 103 (3 dossiers, too few): 20 + 12 = 32.
# September: 101 18 + 12 = 30 (3rd), 102 17 + 12 = 29 (4th), 201 31 (2nd), 202 32 (1st), 103 handled
# nothing (no score) → 101 +2, 102 +2, 201 =, 202 −3.
PORTAL_RANKING = [
    ("1", "+2", "Xã Một A", "55,8", ""),
    ("2", "=", "Xã Hai A", "30,0", ""),
    ("2", "+2", "Xã Một B", "30,0", ""),
    ("4", "−3", "Xã Hai B", "28,0", ""),
    ("—", "", "Xã Một C", "32,0", "ít hồ sơ, không xếp hạng"),
]


def test_the_portal_2026_score_is_the_default_ranking(three: str) -> None:
    at = _run("ranking", level="commune", period="2026-10", unit="101")
    assert not at.exception and not at.warning
    table = _frames(at, "Điểm 766 (ước tính)")[0]
    assert _rows(table, *COLUMNS) == PORTAL_RANKING
    first = table.iloc[0]  # measured maxima: payment 10, digitisation 6 + 4 + 2 = 12
    assert first["Thanh toán trực tuyến (/10)"] == "3,6" and first["Số hóa (/12)"] == "9,5"
    assert first["Mức độ hài lòng (/18)"] == "11,7"
    shown = _frames(at, "Tiêu chí")[0].set_index("Tiêu chí", drop=False)
    assert shown.loc["Tỷ lệ hồ sơ đúng hạn", "Điểm"] == "19,0 / 20,0"
    assert shown.loc["Tỷ lệ TTHC có phí được thanh toán trực tuyến", "Điểm"].startswith(
        "0,0 / 2,0 (không có dữ liệu"
    )
    # 20 + 12 + 10 + 12 + 18 measurable points of 100, the rule set named.
    assert any("**55,8 / 72**" in m.value and "Cổng DVCQG năm 2026" in m.value for m in at.markdown)


def test_the_official_score_is_shown_beside_the_estimate(three: str) -> None:
    published = {"transparency": 17, "progress": 18.5, "online": 10, "payment": 4, "digitisation": 15,
                 "satisfaction": 12}  # fmt: skip
    rows = [
        dict(unit_code="101", period_start=dt.date(2026, 10, 1), period_end=dt.date(2026, 10, 31),
             score_group=g, points=p)
        for g, p in published.items()
    ]  # fmt: skip
    # Another period's score must not show for October.
    rows.append(dict(unit_code="102", period_start=dt.date(2026, 9, 1), period_end=dt.date(2026, 9, 30),
                     score_group="progress", points=20.0))  # fmt: skip
    engine = make_engine(three, read_only=False)
    with engine.begin() as conn:
        upsert(conn, portal_scores, rows)
    engine.dispose()
    at = _run("ranking", level="commune", period="2026-10", unit="101")
    assert not at.exception
    table = _frames(at, "Điểm 766 (ước tính)")[0].set_index("Đơn vị")
    # 17 + 18,5 + 10 + 4 + 15 + 12 = 76,5; no published score for the other communes in October.
    assert table.loc["Xã Một A", "Điểm chính thức"] == "76,5"
    assert table.loc["Xã Một B", "Điểm chính thức"] == "—"
    compared = _frames(at, "Chênh lệch")[0].set_index("Nhóm")
    # Estimate (PORTAL_RANKING's working) − official: progress 19 − 18,5 = +0,5; online 12 − 10 = +2;
    # payment 3,6 − 4 = −0,4; digitisation 9,5 − 15 = −5,5; satisfaction 11,667 − 12 = −0,3;
    # transparency is not measured here; over the five measured groups 55,767 − 59,5 = −3,7.
    assert list(compared["Chênh lệch"]) == ["—", "+0,5", "+2,0", "−0,4", "−5,5", "−0,3", "−3,7"]
    assert compared.loc["Công khai, minh bạch", "Điểm chính thức"] == "17,0"
    assert compared.loc["Các nhóm đo được ở đây", "Điểm chính thức"] == "59,5"


def test_a_unit_that_handled_nothing_has_no_score(three: str) -> None:
    september = parse_period("2026-09", NOW)
    counters = unit_counters(make_engine(three), "commune", september).set_index("unit_code")
    assert counters.loc["103", "settled"] + counters.loc["103", "open_end"] == 0
    assert score766.total(counters.loc["103"]) is None
    assert score766.total(counters.loc["103"], score766.DECISION_2022) is None


def _chart_data(at: AppTest) -> list[pd.DataFrame]:
    chart = at.get("vega_lite_chart")[0].proto
    return [pa.ipc.open_stream(d.data.data).read_pandas() for d in chart.datasets]


def test_my_unit_district_of_a_three_tier_province(three: str, rules_2022: None) -> None:
    at = _run("my_unit", unit="100", period="2026-10")
    assert not at.exception and not at.warning
    assert at.title[0].value == "Đơn vị của tôi — Huyện Một"
    tiles = {m.label: m for m in at.metric}
    rank = tiles["Hạng theo điểm 766 (cấp huyện)"]
    assert (rank.value, rank.delta) == ("1/2", "1")  # 2nd of 2 in September
    assert tiles["Điểm 766 (ước tính)"].value == "57,1 / 80"
    assert tiles["Tỷ lệ hồ sơ đúng hạn"].value == "93,0%"  # 40 of 43
    # Its place in every ranking, with the gap to the leader and to the target (98%):
    # 40/43 − 98% = −4,98 points.
    places = _frames(at, "Bảng xếp hạng")[0].set_index("Bảng xếp hạng")
    on_time = places.loc["Tỷ lệ hồ sơ đúng hạn"]
    assert (on_time["Hạng"], on_time["Dẫn đầu"], on_time["Cách dẫn đầu"]) == (
        "1/2",
        "Huyện Một (93,0%)",
        "±0,0 điểm %",
    )
    assert (on_time["Mục tiêu"], on_time["Cách mục tiêu"], on_time["So với mục tiêu"]) == (
        "98,0%",
        "−5,0 điểm %",
        "Chưa đạt",
    )
    # The unit is highlighted in the ranking of its level.
    peers = _frames(at, "Điểm 766 (ước tính)")[0]
    assert _rows(peers, "", "Đơn vị") == [("Đang xem", "Huyện Một"), ("", "Huyện Hai")]
    assert at.subheader[3].value == "Chi tiết điểm 766 — Huyện Một"
    _assert_what_pulls_district_100_down(at)


def _assert_what_pulls_district_100_down(at: AppTest) -> None:
    # What pulls it down: 3 late dossiers (102: 2, 101: 1) and 2 unsatisfied ratings (101).
    assert [t.label for t in at.tabs] == ["Đơn vị trực thuộc", "Cơ quan xử lý", "Lĩnh vực", "Thủ tục"]
    assert any("3 hồ sơ trễ hạn, 2 đánh giá không hài lòng" in c.value for c in at.caption)
    late = _frames(at, "Trễ hạn")
    columns = ("Tên", "Trễ hạn", "Hồ sơ xử lý", "Tỷ lệ hồ sơ đúng hạn", "Phần của đơn vị", "Ghi chú")
    assert _rows(late[0], *columns) == [
        ("Xã Một B", "2", "20", "90,0%", "66,7%", ""),
        ("Xã Một A", "1", "20", "95,0%", "33,3%", ""),
    ]
    # By field: Hộ tịch is 101's 20 + 103's 3 dossiers, 1 late → 22/23 = 95,7%.
    assert _rows(late[2], *columns) == [
        ("Đất đai", "2", "20", "90,0%", "66,7%", ""),
        ("Hộ tịch", "1", "23", "95,7%", "33,3%", ""),
    ]
    unsatisfied = _frames(at, "Không hài lòng")[0]
    assert _rows(
        unsatisfied, "Tên", "Không hài lòng", "Lượt đánh giá", "Tỷ lệ hài lòng", "Phần của đơn vị", "Ghi chú"
    ) == [
        ("Xã Một A", "2", "10", "80,0%", "100,0%", "mẫu số nhỏ (dưới 20)"),
    ]


def test_my_unit_trend_is_an_altair_line_with_the_target(three: str) -> None:
    at = _run("my_unit", unit="100", period="2026-10", months="18")
    assert not at.exception
    assert at.subheader[4].value == "Xu hướng 18 tháng: tỷ lệ hồ sơ đúng hạn"
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    assert spec["layer"][2]["mark"]["type"] == "rule"
    months, target = _chart_data(at)
    assert len(months) == 18
    values = dict(zip(pd.to_datetime(months["month"]).dt.strftime("%Y-%m"), months["value"], strict=True))
    # Monthly ratio of sums: September 35/40, October 40/43; no dossier in November → N/A.
    assert values["2026-09"] == pytest.approx(35 / 40) and values["2026-10"] == pytest.approx(40 / 43)
    assert pd.isna(values["2026-11"])
    assert target["target"].tolist() == [0.98]


def test_my_unit_commune_of_a_two_tier_province(two: str, rules_2022: None) -> None:
    at = _run("my_unit", unit="801", period="2026-10")
    assert not at.exception and not at.warning
    rank = next(m for m in at.metric if m.label == "Hạng theo điểm 766 (cấp xã)")
    assert (rank.value, rank.delta) == ("1/4", "3")  # 4th of 4 in September
    assert [t.label for t in at.tabs] == ["Cơ quan xử lý", "Lĩnh vực", "Thủ tục"]  # nothing below
    late = _frames(at, "Trễ hạn")[0]
    assert _rows(late, "Tên", "Trễ hạn", "Hồ sơ xử lý", "Phần của đơn vị") == [
        ("Một cửa Xã Bắc", "1", "20", "100,0%")
    ]


def test_my_unit_asks_for_a_unit_and_the_widget_writes_the_link(three: str) -> None:
    at = _run("my_unit", period="2026-10")
    assert not at.exception
    assert "Chọn một đơn vị" in at.info[0].value
    at.selectbox(key="mu_unit").select("200").run()
    assert at.query_params == {"unit": "200", "period": "2026-10"}
    assert at.title[0].value == "Đơn vị của tôi — Huyện Hai"
    assert _frames(at, "Trễ hạn")  # sign-in is off: every unit's lists are visible


AUTH = {"access": {"chair@thu.gov.vn": "100"}}
CHAIR = {"is_logged_in": True, "email": "Chair@thu.gov.vn", "name": "Chủ tịch"}


def test_sign_in_required_shows_nothing_but_the_prompt(three: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IOC_AUTH_REQUIRED", "true")
    for page in ("ranking", "my_unit"):
        at = _run(page, user={"is_logged_in": False}, secrets=AUTH, unit="100", period="2026-10")
        assert not at.exception
        assert at.info[0].value == "Cần đăng nhập để xem trang này."
        assert at.button(key="acc_sign_in").label == "Đăng nhập"
        assert not at.dataframe and not at.metric


def test_a_signed_in_chair_sees_every_ranking_but_only_their_units_lists(
    three: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IOC_AUTH_REQUIRED", "true")
    ranking = _run("ranking", user=CHAIR, secrets=AUTH, level="commune", period="2026-10")
    assert _rows(_frames(ranking, "Điểm 766 (ước tính)")[0], *COLUMNS) == PORTAL_RANKING
    # The e-mail comes from the sign-in: shown as text (Markdown-escaped, so not a mailto link).
    assert r"Đăng nhập: chair\@thu\.gov\.vn — đơn vị 100" in ranking.sidebar.caption[0].value
    # Own district (the default unit for a mapped user) and a commune below it: lists shown.
    own = _run("my_unit", user=CHAIR, secrets=AUTH, period="2026-10")
    assert own.query_params.get("unit") is None and own.title[0].value == "Đơn vị của tôi — Huyện Một"
    assert len(_frames(own, "Trễ hạn")) == 4
    below = _run("my_unit", user=CHAIR, secrets=AUTH, unit="102", period="2026-10")
    assert _frames(below, "Trễ hạn")
    # Another district: its rankings and score are visible, its lists are not.
    other = _run("my_unit", user=CHAIR, secrets=AUTH, unit="200", period="2026-10")
    assert not other.exception
    assert _frames(other, "Bảng xếp hạng") and _frames(other, "Tiêu chí")
    assert not _frames(other, "Trễ hạn") and not other.tabs
    assert "chỉ hiển thị cho đơn vị của bạn (100)" in other.info[0].value


def test_an_unmapped_user_sees_rankings_and_no_lists(three: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IOC_AUTH_REQUIRED", "true")
    guest = {"is_logged_in": True, "email": "guest@example.com"}
    at = _run("my_unit", user=guest, secrets=AUTH, unit="100", period="2026-10")
    assert not at.exception
    assert _frames(at, "Bảng xếp hạng") and not _frames(at, "Trễ hạn")


def test_lineage_puts_agencies_below_their_unit() -> None:
    parents = {"101": "100", "100": "70", "70": None, "X-101": "101", "S-1": "70"}
    assert lineage("X-101", parents) == ["X-101", "101", "100", "70"]
    chair = Viewer(email="c@x", unit_code="100", restricted=True)
    assert may_drill(chair, "X-101", parents) and may_drill(chair, "100", parents)
    assert not may_drill(chair, "S-1", parents) and not may_drill(chair, "70", parents)
    assert may_drill(Viewer(), "S-1", parents)  # sign-in off: everything
    assert not may_drill(Viewer(email="g@x", restricted=True), "101", parents)
    assert lineage("a", {"a": "b", "b": "a"}) == ["a", "b"]  # a cycle in bad data ends


def test_ranking_and_my_unit_in_english(three: str) -> None:
    at = _run("ranking", level="commune", period="2026-10", lang="en")
    assert not at.exception
    assert at.title[0].value == "Ranking — commune level — 10/2026"
    table = _frames(at, "766 score (estimate)")[0]
    assert _rows(table, "Rank", "Unit", "766 score (estimate)", "Note")[-1] == (
        "—",
        "Xã Một C",
        "32.0",  # 20 progress + 12 feedback (PORTAL_RANKING)
        "few dossiers, not ranked",
    )
    unit = _run("my_unit", unit="100", period="2026-10", lang="en")
    assert unit.title[0].value == "My unit — Huyện Một"
    assert [t.label for t in unit.tabs] == ["Units below", "Agencies", "Fields", "Procedures"]


def test_every_period_kind_is_written_into_the_link(three: str) -> None:
    at = _run("ranking", level="commune")
    at.selectbox(key="rk_period_kind").select("custom").run()
    assert at.query_params["period"] == "2026-11-01..2026-11-23"  # starts as the month to date
    at.date_input(key="rk_period_dates").set_value((dt.date(2026, 10, 1), dt.date(2026, 10, 31))).run()
    assert at.query_params["period"] == "2026-10-01..2026-10-31"
    assert at.title[0].value == "Xếp hạng cấp xã — 01/10/2026–31/10/2026"
    assert _rows(_frames(at, "Điểm 766 (ước tính)")[0], *COLUMNS) == PORTAL_RANKING
    at.selectbox(key="rk_period_kind").select("quarter").run()
    assert at.query_params["period"] == "2026-Q4" and at.title[0].value == "Xếp hạng cấp xã — Quý 4/2026"
    at.selectbox(key="rk_period_kind").select("year").run()
    assert at.query_params["period"] == "2026" and at.title[0].value == "Xếp hạng cấp xã — Năm 2026"
    at.selectbox(key="rk_period_kind").select("mtd").run()
    assert "period" not in at.query_params and not at.exception


def test_breakdown_rules_are_catalogue_texts_in_each_language() -> None:
    """The "rule" column shows the catalogue's words, never score766's developer notes."""
    from i18n.catalogue import TEXT
    from i18n.text_score import rule_key
    from metrics.score766 import RULE_SETS
    from ui.ranking_views import breakdown_frame

    for rules in RULE_SETS.values():
        for c in rules.criteria:
            vi, en = TEXT[rule_key(rules.name, c.group, c.metric)]
            assert vi and en and vi != en
    counters = pd.Series({"settled": 10, "settled_on_time": 9, "open_end": 0, "open_on_time": 0})
    texts = " ".join(breakdown_frame(counters, "vi")["Quy tắc"])
    assert "portal-766" not in texts and "needs" not in texts and "group" not in texts
    assert "Cổng DVCQG 2026: 20 × tỷ lệ" in texts


def test_the_wall_ranking_has_no_widget_and_its_view_from_the_url(three: str) -> None:
    at = _run("ranking", kiosk="1", level="commune", metric="on_time_rate", period="2026-10", unit="102")
    assert not at.exception and not at.warning
    assert not at.selectbox and not at.text_input and not at.button and not at.dataframe
    assert at.title[0].value == "Xếp hạng cấp xã — Tháng 10/2026"
    html = " ".join(m.value for m in at.markdown)
    # The same ranking as BY_ON_TIME, drawn large: status as a word and a CSS shape, the rank
    # change as a sign and a CSS triangle, the unit of the URL marked.
    assert (
        "<tr class='mine'><td class='n'>2</td><td class='n'><span class='ioc-up'>+2</span></td>"
        "<td class='u'>Xã Một B</td>" in html
    )
    assert "<span class='ioc-st ioc-st-missed'>Chưa đạt</span>" in html
    assert "<span class='ioc-down'>−3</span>" in html
    assert "Tất cả 5 đơn vị." in html


def test_wall_rows_keep_the_top_and_the_bottom() -> None:
    from ui.ranking_wall import wall_rows

    def table(ranked: int, small: int) -> pd.DataFrame:
        ranks = [float(r) for r in range(1, ranked + 1)] + [float("nan")] * small
        return pd.DataFrame({"rank": ranks, "unit_code": [str(i) for i in range(ranked + small)]})

    top, bottom, hidden = wall_rows(table(5, 2), limit=20)  # all fit
    assert (len(top), len(bottom), hidden) == (7, 0, 0)
    top, bottom, hidden = wall_rows(table(30, 4), limit=20)  # 10 best, 10 worst ranked, 10 between
    assert list(top["rank"]) == list(range(1, 11)) and list(bottom["rank"]) == list(range(21, 31))
    assert hidden == 10
    top, bottom, hidden = wall_rows(table(15, 40), limit=20)  # every ranked unit, then unranked
    assert top["rank"].notna().sum() == 15 and len(top) == 20 and hidden == 0
    top, _, _ = wall_rows(table(0, 111), limit=20)  # nobody ranked: still a table
    assert len(top) == 20
