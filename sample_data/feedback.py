"""Sample citizen feedback (phản ánh kiến nghị, PAKN): about one per 150 dossiers.

Each has a 15-working-day handling deadline (``timebase.workdays.due_dates`` with limit 15,
docs/rules.md); most are handled before it, a few late, the newest still in progress.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from sample_data import story
from sample_data.dossiers import MINUTE, OFFICE_CLOSE, OFFICE_OPEN, sequence_codes
from timebase.workdays import due_dates, working_days

PER_DOSSIER = 1 / 150
LIMIT_DAYS = 15
CATEGORIES: dict[str, float] = {
    "Thủ tục hành chính": 0.30,
    "Đất đai": 0.20,
    "Môi trường": 0.13,
    "Trật tự đô thị": 0.12,
    "Giao thông": 0.13,
    "Y tế": 0.07,
    "Giáo dục": 0.05,
}
#: Channels before and after the provincial app spread (from 2021).
CHANNELS_EARLY: dict[str, float] = {"web": 0.35, "app": 0.05, "hotline": 0.35, "direct": 0.25}
CHANNELS_LATE: dict[str, float] = {"web": 0.30, "app": 0.40, "hotline": 0.18, "direct": 0.12}
APP_FROM = np.datetime64("2021-01-01")
LATE: story.Points = (("2019-01-01", 0.08), ("2022-01-01", 0.05), ("2025-01-01", 0.03))


def _choice(rng: np.random.Generator, table: dict[str, float], n: int) -> np.ndarray:
    """``n`` keys of ``table`` drawn with its weights."""
    keys = np.array(list(table), dtype=object)
    probs = np.array(list(table.values()), dtype=float)
    return keys[rng.choice(len(keys), size=n, p=probs / probs.sum())]


def make_feedback(
    dossiers: pd.DataFrame, rng: np.random.Generator, month: dt.date, now: np.datetime64
) -> pd.DataFrame:
    """The month's feedback, placed at units and around times where dossiers were received."""
    n = int(rng.poisson(len(dossiers) * PER_DOSSIER)) if len(dossiers) else 0
    if n == 0:
        return pd.DataFrame()
    pick = rng.integers(0, len(dossiers), n)
    first = np.datetime64(month, "m")
    last = min((np.datetime64(month, "M") + 1).astype("datetime64[m]") - MINUTE, now)
    received = dossiers["received_at"].to_numpy("datetime64[m]")[pick]
    received = np.clip(received + rng.integers(-600, 601, n) * MINUTE, first, last)
    wd = working_days()
    start = np.searchsorted(wd, due_dates(received, np.zeros(n)).astype("datetime64[D]"))
    late = rng.random(n) < story.curve(LATE, received.astype("datetime64[D]"))
    k = np.where(late, LIMIT_DAYS + rng.geometric(0.2, n), rng.integers(1, LIMIT_DAYS + 1, n))
    handled = wd[start + k].astype("datetime64[m]") + rng.integers(OFFICE_OPEN, OFFICE_CLOSE + 1, n) * MINUTE
    handled = np.maximum(handled, received + 30 * MINUTE)
    done = handled <= now
    frame = pd.DataFrame(
        {
            "unit_code": dossiers["unit_code"].to_numpy()[pick],
            "category": _choice(rng, CATEGORIES, n),
            "channel": np.where(
                received < APP_FROM, _choice(rng, CHANNELS_EARLY, n), _choice(rng, CHANNELS_LATE, n)
            ),
            "received_at": pd.to_datetime(received),
            "due_at": due_dates(received, np.full(n, LIMIT_DAYS)),
            "handled_at": np.where(done, handled, np.datetime64("NaT")),
            "status": np.where(done, "handled", "in_progress"),
        }
    )
    rated = done & (rng.random(n) < 0.45)
    unhappy = rng.random(n) < np.where(late, 0.35, 0.10)
    very = rng.random(n) < 0.4
    rating = np.where(unhappy, "unsatisfied", np.where(very, "very_satisfied", "satisfied")).astype(object)
    rating[~rated] = None
    frame["rating"] = rating
    frame["feedback_code"] = sequence_codes(pd.Series("PAKN", index=frame.index), frame["received_at"], True)
    return frame
