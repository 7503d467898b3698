"""The small province the Press-export tests share, with every figure worked out by hand.

October 2026 (judged at 23:59 31/10/2026), all dossiers received 05/10 09:00, due 09/10 17:00:
- commune 101: 12 online finished 07/10 (on time) + 3 in person finished 12/10 (late)
  → 15 received, on time 12/15 = 80,0%; channels online 12, direct 3 (<5), postal 0;
- commune 102: 4 postal finished on time → 4 received: every cell of 102 is suppressed;
- commune 201: 20 online + 6 in person + 2 postal, all on time → 28/28 = 100,0%; 10 of the online
  ones carry a fee and 3 of those were paid online → online payment 3/10, numerator 3 < 5: hidden;
- district 100 = 101 + 102: 19 received, on time 16/19 = 84,2%; district 200 = 201: 100,0%;
- province: 47 received, on time 44/47 = 93,6%, online 32/47 = 68,1%.
September 2026: 6 online dossiers of 101 on time (6/6 = 100,0%); August 2026: 2 of 101 (hidden).
July 2026: 149 online dossiers of 201, 3 finished late → 146/149 = 97,986…% (commune 201, district
200 and the province alike): "98,0%" at one decimal, a miss beside the 98% target, so it reads
"97,99%".
Channel mix of October (suppression, min 5): 101 online 12, direct 3 (<5), postal 0 → direct hidden
with the smallest other channel, postal's 0 (not online's 12), drawn as one merged segment of
3/15 = 20%; 201 online 20, direct 6, postal 2 (<5) → postal hidden with direct (6 < 20), merged
8/28 = 28,6%; 102 has 4 dossiers in all: no bar.
Portal scores: district 100 for exactly October 2026, progress 18,5 + online 10,0 = 28,5 official;
district 200 has none (its estimate is charted).
Targets 2026: on-time rate ≥ 98%, online share ≥ 50%. Dossier codes start with "HS-KIN-" so a
test can prove that no file carries one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from data_access.schema import portal_scores
from tests.builders import T, build, dossier

NOW = dt.datetime(2026, 11, 23, 10, 0)
CODE_PREFIX = "HS-KIN-"
TARGETS = [
    dict(metric="on_time_rate", unit_code="", level="", field="", year=2026, value=0.98, source="Kế hoạch"),
    dict(metric="online_share", unit_code="", level="", field="", year=2026, value=0.5, source="NQ 76"),
]


def _month(rows: list[dict[str, Any]], unit: str, n: int, month: int, **kw: Any) -> None:
    for _ in range(n):
        code = f"{CODE_PREFIX}{len(rows) + 1:04d}"
        received, due = T(2026, month, 5, 9), T(2026, month, 9, 17)
        kw.setdefault("finished_at", T(2026, month, 7, 9))
        rows.append(dossier(code, unit, received, due, **kw))


def rows() -> list[dict[str, Any]]:
    """The dossiers described in the module docstring."""
    out: list[dict[str, Any]] = []
    _month(out, "101", 12, 10, channel="online")
    _month(out, "101", 3, 10, channel="direct", finished_at=T(2026, 10, 12, 9))
    _month(out, "102", 4, 10, channel="postal")
    _month(out, "201", 3, 10, channel="online", fee_required=True, paid_online=True)
    _month(out, "201", 7, 10, channel="online", fee_required=True)
    _month(out, "201", 10, 10, channel="online")
    _month(out, "201", 6, 10, channel="direct")
    _month(out, "201", 2, 10, channel="postal")
    _month(out, "101", 6, 9, channel="online")
    _month(out, "101", 2, 8, channel="online")
    _month(out, "201", 146, 7, channel="online")
    _month(out, "201", 3, 7, channel="online", finished_at=T(2026, 7, 13, 9))
    return out


PORTAL_SCORES = [
    dict(unit_code="100", period_start=dt.date(2026, 10, 1), period_end=dt.date(2026, 10, 31), **kw)
    for kw in (dict(score_group="progress", points=18.5), dict(score_group="online", points=10.0))
]


def seed(url: str) -> str:
    """Build the province at ``url`` (labelled as sample data); returns the URL."""
    engine = build(url, rows(), target_rows=TARGETS, sample=True)
    with engine.begin() as conn:
        conn.execute(portal_scores.insert(), PORTAL_SCORES)
    engine.dispose()
    return url
