"""The sample province's story as numbers: curves over time, unit and field effects, calendar.

Everything the sample should show (docs/sample.md) is set here, so
the story can be read and retuned in one place: online dossiers from about 9% before 19 May 2020
to about 58% in 2024, online payment 68%, electronic results 78%, digitisation and reuse 76% in
2024; on time 97–99.5% with weak border districts, land and construction slower, Bù Đăng
improving strongly in 2025–2026 and Hớn Quản slipping in the last months; Tết dips, Monday peaks,
office-hour peaks at 8–11 and 13–16; Lộc Quang and Lộc Phú near 100% online from 2023.

Province-wide rates follow the curves exactly in expectation: :func:`calibrate` rescales each
month's per-dossier propensities (unit × field × channel effects) so their mean hits the curve.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays
import numpy as np
import pandas as pd

Points = tuple[tuple[str, float], ...]

#: The day online reception became the rule in Bình Phước (docs/rules.md: ~9% before 19 May 2020).
ONLINE_SWITCH = "2020-05-19"
ONLINE_SHARE: Points = (
    ("2019-01-01", 0.07),
    ("2020-05-18", 0.10),
    (ONLINE_SWITCH, 0.36),
    ("2020-09-30", 0.44),
    ("2021-06-30", 0.48),
    ("2022-06-30", 0.52),
    ("2023-06-30", 0.555),
    ("2024-06-30", 0.576),
    ("2025-06-30", 0.62),
    ("2026-06-30", 0.66),
    ("2027-12-31", 0.70),
)
#: Share of fee-paying dossiers paid online (2024: 68%).
ONLINE_PAYMENT: Points = (
    ("2019-01-01", 0.01),
    ("2020-06-30", 0.05),
    ("2021-06-30", 0.18),
    ("2022-06-30", 0.36),
    ("2023-06-30", 0.55),
    ("2024-06-30", 0.68),
    ("2025-06-30", 0.74),
    ("2026-06-30", 0.78),
)
#: Share of processed/returned dossiers with an electronic result (2024: 78%).
E_RESULT: Points = (
    ("2019-01-01", 0.03),
    ("2020-06-30", 0.10),
    ("2021-06-30", 0.30),
    ("2022-06-30", 0.50),
    ("2023-06-30", 0.68),
    ("2024-06-30", 0.78),
    ("2025-06-30", 0.84),
    ("2026-06-30", 0.88),
)
#: Share of received dossiers with digitised components (2024: 76%).
DIGITIZED: Points = (
    ("2019-01-01", 0.0),
    ("2020-06-30", 0.02),
    ("2021-06-30", 0.15),
    ("2022-06-30", 0.40),
    ("2023-06-30", 0.62),
    ("2024-06-30", 0.76),
    ("2025-06-30", 0.82),
    ("2026-06-30", 0.86),
)
#: Share of received dossiers reusing already-digitised data (2024: 76%).
REUSED: Points = (
    ("2021-12-31", 0.0),
    ("2022-06-30", 0.12),
    ("2023-06-30", 0.52),
    ("2024-06-30", 0.78),
    ("2025-06-30", 0.80),
    ("2026-06-30", 0.84),
)
#: Share of dossiers processed late (before supplements and stops; the province: 97–99.5% on time).
LATE: Points = (
    ("2019-01-01", 0.028),
    ("2021-01-01", 0.022),
    ("2023-01-01", 0.016),
    ("2024-06-30", 0.012),
    ("2025-06-30", 0.011),
    ("2026-06-30", 0.013),
)
#: Share of returned dossiers the citizen rated, and the unsatisfied share among ratings.
RATED: Points = (("2019-01-01", 0.22), ("2021-06-30", 0.35), ("2024-01-01", 0.42), ("2026-06-30", 0.45))
UNSATISFIED: Points = (
    ("2019-01-01", 0.075),
    ("2022-01-01", 0.06),
    ("2024-06-30", 0.05),
    ("2026-06-30", 0.045),
)
#: Dossier volume over the years (Covid years lower); multiplies the calendar weights.
VOLUME: Points = (
    ("2019-01-01", 1.0),
    ("2020-06-30", 0.97),
    ("2021-06-30", 0.95),
    ("2022-06-30", 1.05),
    ("2023-06-30", 1.10),
    ("2024-06-30", 1.15),
    ("2025-06-30", 1.20),
    ("2026-06-30", 1.25),
)

#: Share of dossiers received at each level's desks (three tiers; two tiers: no district share).
LEVEL_SHARE: dict[str, float] = {"province": 0.20, "district": 0.35, "commune": 0.45}
#: Relative dossier volume of each district (the towns and industrial districts are larger).
GROUP_VOLUME: dict[str, float] = {
    "689": 1.7,
    "697": 1.4,
    "695": 1.3,
    "696": 1.1,
    "692": 1.0,
    "694": 1.0,
    "690": 0.9,
    "688": 0.9,
    "698": 0.9,
    "691": 0.8,
    "693": 0.6,
}
#: Chơn Thành's industrial parks grow: its volume rises by this share a year from 2019.
GROWING_GROUP, GROWTH_PER_YEAR = "697", 0.08
#: Online propensity by district (towns higher, the border districts lower); province agencies.
GROUP_ONLINE: dict[str, float] = {
    "70": 1.25,
    "689": 1.35,
    "690": 1.15,
    "688": 1.15,
    "697": 1.25,
    "695": 1.0,
    "698": 0.95,
    "694": 0.9,
    "696": 0.85,
    "691": 0.8,
    "693": 0.75,
    "692": 0.55,
}
#: Border communes of Lộc Ninh that reach ~100% online from 2023 (docs/rules.md).
ONLINE_CHAMPIONS: frozenset[str] = frozenset({"25291", "25292"})
CHAMPIONS_FROM = "2023-01-01"
#: Late propensity by district; Bù Đăng (696) and Hớn Quản (694) change over time, see below.
GROUP_LATE: dict[str, float] = {
    "70": 0.35,
    "689": 0.6,
    "690": 0.9,
    "688": 0.8,
    "697": 0.8,
    "695": 1.0,
    "698": 1.0,
    "694": 1.0,
    "696": 5.0,
    "691": 2.6,
    "693": 1.8,
    "692": 1.6,
}
IMPROVING_GROUP: Points = (("2024-12-31", 5.0), ("2025-12-31", 0.4))
SLIPPING_GROUP: Points = (("2026-07-31", 1.0), ("2026-09-15", 12.0))
FIELD_LATE: dict[str, float] = {
    "Đất đai": 3.0,
    "Xây dựng": 2.5,
    "Môi trường": 2.0,
    "Đầu tư": 1.5,
    "Hộ tịch": 0.25,
    "Chứng thực": 0.15,
}
FIELD_UNSATISFIED: dict[str, float] = {"Đất đai": 2.2, "Xây dựng": 2.0, "Đầu tư": 1.5}
#: How many dossiers each field draws, relative (copies and civil status dominate desks).
FIELD_POPULARITY: dict[str, float] = {
    "Chứng thực": 10.0,
    "Hộ tịch": 5.0,
    "Đất đai": 6.0,
    "Lao động - Thương binh và Xã hội": 2.0,
    "Kinh doanh": 2.5,
    "Giao thông vận tải": 3.0,
    "Tư pháp": 2.0,
    "Xây dựng": 1.5,
    "An ninh trật tự": 2.0,
    "Bảo hiểm xã hội": 2.0,
}
PROCEDURE_BOOST: dict[str, float] = {
    "2.000908": 4.0,
    "1.001193": 3.0,
    "1.004227": 2.5,
    "1.003010": 2.5,
    "1.001612": 2.0,
    "1.002809": 2.0,
    "1.001234": 2.0,
    "1.000656": 1.5,
    "1.000894": 1.5,
    "1.004203": 1.5,
}
#: Supplement requests: share of dossiers with one, and with two or more.
SUPPLEMENT_ONE, SUPPLEMENT_MORE = 0.05, 0.005
STOPPED, WITHDRAWN = 0.01, 0.005
POSTAL_SHARE = 0.03
#: Working days a late dossier overruns its limit: geometric with this parameter (by field;
#: land and construction dossiers stay stuck longest), capped.
OVERRUN_P: dict[str, float] = {"Đất đai": 0.04, "Xây dựng": 0.06, "Môi trường": 0.07}
OVERRUN_P_OTHER, OVERRUN_CAP = 0.15, 30

#: Intake by hour: desks peak 8–11 and 13–16; online also in the evening and at night.
OFFICE_HOURS: dict[int, float] = {
    7: 0.05,
    8: 0.16,
    9: 0.18,
    10: 0.16,
    11: 0.05,
    13: 0.10,
    14: 0.13,
    15: 0.12,
    16: 0.05,
}
ONLINE_HOURS: dict[int, float] = {
    0: 0.8,
    1: 0.4,
    2: 0.2,
    3: 0.2,
    4: 0.3,
    5: 0.8,
    6: 2.0,
    7: 4.0,
    8: 8.0,
    9: 9.0,
    10: 8.5,
    11: 6.0,
    12: 4.0,
    13: 5.5,
    14: 7.5,
    15: 7.0,
    16: 6.0,
    17: 4.0,
    18: 3.0,
    19: 3.5,
    20: 4.0,
    21: 3.5,
    22: 2.5,
    23: 1.5,
}
#: Working-day weight by weekday (Monday peak); a substituted working Saturday is quieter.
WEEKDAY_WEIGHT = np.array([1.25, 1.05, 1.0, 1.0, 0.9, 0.7, 0.7])
#: Weight of a weekend or holiday relative to a working day, for online intake only.
OFF_DAY_ONLINE = 0.18
#: Covid-19 distancing periods (Directive 16/CT-TTg 2020; Bình Phước July–September 2021).
LOCKDOWNS: tuple[tuple[str, str, float], ...] = (
    ("2020-04-01", "2020-04-22", 0.6),
    ("2021-07-19", "2021-09-30", 0.55),
)


def curve(points: Points, days: np.ndarray) -> np.ndarray:
    """The curve's value on each day (linear between points, flat beyond the ends)."""
    xs = np.array([np.datetime64(d, "D") for d, _ in points]).astype("int64")
    ys = np.array([v for _, v in points], dtype=float)
    return np.interp(np.asarray(days, dtype="datetime64[D]").astype("int64"), xs, ys)


def calibrate(raw: np.ndarray, target: np.ndarray, cap: float = 0.995) -> np.ndarray:
    """Probabilities proportional to ``raw`` whose mean equals the mean of ``target``."""
    if raw.size == 0 or raw.sum() <= 0:
        return np.zeros_like(raw, dtype=float)
    goal = float(np.mean(target))
    p = raw.astype(float)
    for _ in range(5):  # rescale, cap, rescale what the cap removed
        p = np.minimum(p * goal / max(p.mean(), 1e-12), cap)
    return p


def group_late(groups: np.ndarray, days: np.ndarray) -> np.ndarray:
    """Late propensity of each dossier's district group on its day (improving, slipping)."""
    out = pd.Series(groups).map(GROUP_LATE).fillna(1.0).to_numpy(dtype=float, copy=True)
    improving, slipping = groups == "696", groups == "694"
    out[improving] = curve(IMPROVING_GROUP, days[improving])
    out[slipping] = curve(SLIPPING_GROUP, days[slipping])
    return out


@lru_cache(maxsize=1)
def tet_days() -> np.ndarray:
    """Lunar New Year holidays 2010–2040 (the `holidays` package's names), sorted."""
    calendar = holidays.VN(years=range(2010, 2041))
    days = [d for d, name in calendar.items() if "Lunar New Year" in name]
    return np.array(sorted(days), dtype="datetime64[D]")


def day_weights(days: np.ndarray, working: np.ndarray) -> np.ndarray:
    """Expected intake of each day relative to an ordinary working day (any channel)."""
    days = np.asarray(days, dtype="datetime64[D]")
    weekday = (days.astype("int64") - 4) % 7  # 1970-01-01 was a Thursday: Monday = 0
    w = np.where(working, WEEKDAY_WEIGHT[weekday], 0.0) * curve(VOLUME, days)
    tet = tet_days()
    i = np.clip(np.searchsorted(tet, days), 1, len(tet) - 1)
    after = (days - tet[i - 1]).astype(int)  # days since the last Tết holiday
    before = (tet[i] - days).astype(int)  # days until the next one
    w = w * np.where((after > 0) & (after <= 7), 0.55, np.where((after > 7) & (after <= 14), 0.8, 1.0))
    w = w * np.where((before > 0) & (before <= 10), 0.85, 1.0)
    month = (days.astype("datetime64[M]").astype(int) % 12) + 1
    w = w * np.where(month == 12, 1.08, 1.0)  # year-end rush
    for start, end, factor in LOCKDOWNS:
        inside = (days >= np.datetime64(start)) & (days <= np.datetime64(end))
        w = w * np.where(inside, factor, 1.0)
    return w


def off_day_online_weight(days: np.ndarray) -> np.ndarray:
    """Online intake on weekends and holidays, relative to an ordinary working day."""
    return OFF_DAY_ONLINE * curve(ONLINE_SHARE, days) * curve(VOLUME, days)


def hour_table(hours: dict[int, float]) -> tuple[np.ndarray, np.ndarray]:
    """(hours, probabilities) of an intake-by-hour table."""
    keys = np.array(sorted(hours))
    probs = np.array([hours[h] for h in keys], dtype=float)
    return keys, probs / probs.sum()


def to_date(value: str) -> dt.date:
    """An ISO date string of this module as a date."""
    return dt.date.fromisoformat(value)
