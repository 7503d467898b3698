"""A small province whose Biểu 06 for October 2026 is worked out by hand, cell by cell.

Units and agencies are ``tests.builders``' (province 70 with department S-1; districts 100 and
200 with their one-stop agencies; communes 101, 102 of 100 and 201 of 200). Procedures: 1.000001
Hộ tịch, 1.000002 Xây dựng, 1.000003 Đất đai. October 2026 is judged at 31/10 23:59:59.

S-1 (province): a1 online 05/10, due 09/10 17:00, returned 07/10 → received online, early;
  a2 direct 05/10 (Xây dựng), returned 09/10 10:00 → direct, on time (the due day itself);
  a3 received 20/09 (Đất đai), due 02/10, returned 06/10 → carried over, late;
  a4 received 25/09, due 05/11, in progress → carried over, open within due;
  a5 received and returned in September → not on the form.
  Columns 3–13: 4 = 1 + 1 + 2 | 3 = 1 + 1 + 1 | 1 = 1 + 0.
H-100 (district 100 itself): b1 postal 10/10, due 20/10, withdrawn 12/10 → resolved at its
  time, a day before the due day: early; b2 online 20/10 (Xây dựng), due 25/10, in progress →
  open overdue. 2 = 1 + 1 + 0 | 1 = 1 + 0 + 0 | 1 = 0 + 1.
X-101: c1 direct 01/10, due 06/10, waiting for a supplement asked 03/10 (one request) →
  resolved at the request: early; c2 online 02/10, due 08/10, returned 08/10 16:00 after two
  supplement requests → late; c3 received 28/09 (Đất đai), due 03/10, in progress → carried
  over, open overdue. 3 = 1 + 1 + 1 | 2 = 1 + 0 + 1 | 1 = 0 + 1.
X-102: nothing → a row of zeros.
X-201: d1 online 30/10, due 04/11, in progress after two supplement requests (the second
  30/10 12:00) → open, not within due: overdue; d2 direct 15/10, due 20/10, withdrawn with no
  time of its own → resolved at receipt: early; d3 received 02/11 → not in October.
  2 = 1 + 1 + 0 | 1 = 1 + 0 + 0 | 1 = 0 + 1.
H-200: d4 online 29/09 (Xây dựng), due 01/10 17:00, returned 01/10 17:00 → carried over,
  resolved on time (on the due day, by the due time). 1 = 0 + 0 + 1 | 1 = 0 + 1 + 0 | 0.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.builders import UNITS, T, build, dossier

NOW = dt.datetime(2026, 11, 23, 10, 0)
HT, XD, DD = "1.000001", "1.000002", "1.000003"


def rows(two_tier: bool = False) -> list[dict[str, Any]]:
    """The dossiers of the module docstring (without the districts' own in a two-tier province)."""
    out = [
        dossier(
            "a1", "70", T(2026, 10, 5, 9), T(2026, 10, 9, 17), channel="online", finished_at=T(2026, 10, 7, 9)
        ),
        dossier(
            "a2",
            "70",
            T(2026, 10, 5, 9),
            T(2026, 10, 9, 17),
            procedure_code=XD,
            finished_at=T(2026, 10, 9, 10),
        ),
        dossier(
            "a3",
            "70",
            T(2026, 9, 20, 9),
            T(2026, 10, 2, 17),
            procedure_code=DD,
            finished_at=T(2026, 10, 6, 9),
        ),
        dossier("a4", "70", T(2026, 9, 25, 9), T(2026, 11, 5, 17)),
        dossier("a5", "70", T(2026, 9, 10, 9), T(2026, 9, 15, 17), finished_at=T(2026, 9, 14, 9)),
        dossier(
            "c1",
            "101",
            T(2026, 10, 1, 8),
            T(2026, 10, 6, 17),
            status="supplement_requested",
            supplement_requests=1,
            supplement_requested_at=T(2026, 10, 3, 10),
        ),
        dossier(
            "c2",
            "101",
            T(2026, 10, 2, 9),
            T(2026, 10, 8, 17),
            channel="online",
            supplement_requests=2,
            supplement_requested_at=T(2026, 10, 4, 9),
            finished_at=T(2026, 10, 8, 16),
        ),
        dossier("c3", "101", T(2026, 9, 28, 9), T(2026, 10, 3, 17), procedure_code=DD),
        dossier(
            "d1",
            "201",
            T(2026, 10, 30, 9),
            T(2026, 11, 4, 17),
            channel="online",
            supplement_requests=2,
            supplement_requested_at=T(2026, 10, 30, 12),
        ),
        dossier("d2", "201", T(2026, 10, 15, 9), T(2026, 10, 20, 17), status="withdrawn"),
        dossier("d3", "201", T(2026, 11, 2, 9), T(2026, 11, 6, 17)),
    ]
    for row in out:  # the agency follows the unit (builders' one agency a unit; S-1 for 70)
        row["agency_code"] = "S-1" if row["unit_code"] == "70" else row["agency_code"]
    if not two_tier:
        out += [
            dossier(
                "b1",
                "100",
                T(2026, 10, 10, 9),
                T(2026, 10, 20, 17),
                channel="postal",
                status="withdrawn",
                finished_at=T(2026, 10, 12, 9),
            ),
            dossier(
                "b2", "100", T(2026, 10, 20, 9), T(2026, 10, 25, 17), channel="online", procedure_code=XD
            ),
            dossier(
                "d4",
                "200",
                T(2026, 9, 29, 9),
                T(2026, 10, 1, 17),
                channel="online",
                procedure_code=XD,
                finished_at=T(2026, 10, 1, 17),
            ),
        ]
    return out


#: The two-tier province: the communes directly under the province, no districts.
TWO_TIER_UNITS = [
    {**u, "parent_code": "70"} if u["level"] == "commune" else u for u in UNITS if u["level"] != "district"
]


def seed(url: str, two_tier: bool = False) -> str:
    """Build the province at ``url`` (three-tier, or two-tier); returns the URL."""
    units = TWO_TIER_UNITS if two_tier else UNITS
    build(url, rows(two_tier), unit_rows=units, sample=False).dispose()
    return url
