"""One month of sample dossiers, vectorised with numpy (no Python loop per row).

A dossier is drawn as: desk × procedure (``world.combo_probabilities``), day (calendar weights),
channel (online propensity calibrated to the story's curve), time of day (office hours, online
also evenings and weekends), then its clock (``timebase.workdays``: after 15:00 the next working
day counts), its finish (most before due; late ones some working days after), and its state at
"now": finished dossiers are returned, processed, stopped or withdrawn; the rest are open.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from sample_data import story
from sample_data.world import World, combo_probabilities, receiving_desks
from timebase.workdays import due_dates, working_days

MINUTE = np.timedelta64(1, "m")
OFFICE_OPEN, OFFICE_CLOSE = 7 * 60 + 30, 17 * 60
ONLINE_LEVEL_PROPENSITY = {"full": 1.25, "partial": 0.85, "none": 0.0}


def month_days(month: dt.date, first_day: dt.date, now: np.datetime64) -> np.ndarray:
    """The month's days from ``first_day`` up to the day of ``now``, as datetime64[D]."""
    start = np.datetime64(max(month, first_day), "D")
    end = min(np.datetime64(month, "M") + 1, now.astype("datetime64[M]") + 1).astype("datetime64[D]")
    end = min(end, now.astype("datetime64[D]") + 1)
    return np.arange(start, end, dtype="datetime64[D]")


def daily_weights(days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(working-day weights, off-day online weights) of each day."""
    working = np.isin(days, working_days())
    off = np.where(working, 0.0, story.off_day_online_weight(days))
    return story.day_weights(days, working), off


def volume_per_weight(first_day: dt.date, last_day: dt.date, dossiers: float) -> float:
    """Dossiers per unit of calendar weight so that [first_day, last_day] holds ``dossiers``."""
    days = np.arange(np.datetime64(first_day), np.datetime64(last_day) + 1, dtype="datetime64[D]")
    work, off = daily_weights(days)
    return dossiers / float(work.sum() + off.sum())


def _pick(rng: np.random.Generator, n: int, weights: np.ndarray) -> np.ndarray:
    """``n`` indices drawn with probabilities proportional to ``weights``."""
    return rng.choice(len(weights), size=n, p=weights / weights.sum())


def _intake(
    world: World, rng: np.random.Generator, month: dt.date, days: np.ndarray, expected: float
) -> pd.DataFrame:
    """Desk, procedure, day, channel and receipt time of the month's dossiers."""
    work, off = daily_weights(days)
    n = int(rng.poisson(expected * float(work.sum() + off.sum())))
    combos = world.combos
    frame = combos.iloc[_pick(rng, n, combo_probabilities(combos, month))].reset_index(drop=True)
    day = days[_pick(rng, n, work + off)]
    can_online = frame["online_level"].to_numpy() != "none"
    off_day = ~np.isin(day, days[work > 0])
    stuck = off_day & ~can_online  # offline-only dossiers happen on working days only
    if work.sum() > 0:
        day[stuck] = days[_pick(rng, int(stuck.sum()), work)]
    else:  # no working day yet this month: they come later
        frame, day, can_online, off_day = frame[~stuck], day[~stuck], can_online[~stuck], off_day[~stuck]
        frame, n = frame.reset_index(drop=True), len(frame)
    online = _online(frame, rng, day, off_day & can_online)
    postal = ~online & (rng.random(n) < story.POSTAL_SHARE)
    frame["channel"] = np.where(online, "online", np.where(postal, "postal", "direct"))
    frame["received_at"] = day.astype("datetime64[m]") + _minutes_of_day(rng, online) * MINUTE
    return frame


def _online(
    frame: pd.DataFrame, rng: np.random.Generator, day: np.ndarray, off_day: np.ndarray
) -> np.ndarray:
    """Which dossiers come online: all those of weekends and holidays, and on working days as
    many as the story's curve leaves, spread by unit and procedure propensity."""
    n = len(frame)
    target = story.curve(story.ONLINE_SHARE, day)
    level = frame["online_level"].map(ONLINE_LEVEL_PROPENSITY).to_numpy()
    raw = target * frame["online_mult"].to_numpy() * level
    on_work = ~off_day
    goal = (target.sum() - off_day.sum()) / max(on_work.sum(), 1)
    p = np.zeros(n)
    p[on_work] = story.calibrate(raw[on_work], np.array([goal]))
    champion = frame["champion"].to_numpy() & (day >= np.datetime64(story.CHAMPIONS_FROM)) & (level > 0)
    p[champion] = 0.99
    return off_day | (rng.random(n) < p)


def _minutes_of_day(rng: np.random.Generator, online: np.ndarray) -> np.ndarray:
    """Receipt minute within the day: desk hours for desks, a wider day for online."""
    office_h, office_p = story.hour_table(story.OFFICE_HOURS)
    online_h, online_p = story.hour_table(story.ONLINE_HOURS)
    n = len(online)
    hour = np.where(online, rng.choice(online_h, n, p=online_p), rng.choice(office_h, n, p=office_p))
    minute = rng.integers(0, 60, n)
    minute = np.where(~online & (hour == 7), 30 + minute // 2, minute)  # desks open at 7:30
    return hour * 60 + minute


def _clock(frame: pd.DataFrame, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(due_at, planned finish) of each dossier; a few are late by some working days."""
    wd = working_days()
    received = frame["received_at"].to_numpy("datetime64[m]")
    limit = frame["time_limit_days"].to_numpy(float)
    due = due_dates(received, limit)
    start = np.searchsorted(wd, due_dates(received, np.zeros(len(frame))).astype("datetime64[D]"))
    day = received.astype("datetime64[D]")
    raw = (
        story.group_late(frame["group"].to_numpy(), day)
        * frame["field"].map(story.FIELD_LATE).fillna(1.0).to_numpy()
    )
    late = rng.random(len(frame)) < story.calibrate(raw, story.curve(story.LATE, day), cap=0.6)
    whole = np.ceil(limit).astype(int)
    k = np.minimum(np.floor(rng.beta(2.0, 1.6, len(frame)) * (whole + 1)), whole).astype(int)
    overrun_p = frame["field"].map(story.OVERRUN_P).fillna(story.OVERRUN_P_OTHER).to_numpy()
    overrun = np.minimum(rng.geometric(overrun_p), story.OVERRUN_CAP)
    k = np.where(late, whole + overrun, k)
    finish_day = wd[np.minimum(start + k, len(wd) - 1)].astype("datetime64[m]")
    finish = finish_day + rng.integers(OFFICE_OPEN, OFFICE_CLOSE + 1, len(frame)) * MINUTE
    soon = received + rng.integers(10, 121, len(frame)) * MINUTE
    same_day = finish_day == day.astype("datetime64[m]")
    closing = finish_day + OFFICE_CLOSE * MINUTE
    finish = np.where(same_day, np.minimum(np.maximum(finish, soon), closing), finish)
    return due, finish


def _between(rng: np.random.Generator, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """A random minute between a and b (a where b ≤ a)."""
    span = np.maximum((b - a).astype("int64"), 0)
    return a + (rng.random(len(a)) * span).astype("int64") * MINUTE


def _state(frame: pd.DataFrame, rng: np.random.Generator, now: np.datetime64) -> pd.DataFrame:
    """Supplements, exits and the status at ``now``; finished_at only on finished dossiers."""
    n, received = len(frame), frame["received_at"].to_numpy("datetime64[m]")
    due, finish = _clock(frame, rng)
    u = rng.random(n)
    supplements = np.where(
        u < story.SUPPLEMENT_MORE,
        2 + (rng.random(n) < 0.15),
        np.where(u < story.SUPPLEMENT_MORE + story.SUPPLEMENT_ONE, 1, 0),
    )
    exit_draw = rng.random(n)
    withdrawn = exit_draw < story.WITHDRAWN
    stopped = (exit_draw >= story.WITHDRAWN) & (exit_draw < story.WITHDRAWN + story.STOPPED)
    finish = np.where(withdrawn, np.maximum(_between(rng, received, finish), received + 5 * MINUTE), finish)
    asked = _between(rng, received, finish)
    done = finish <= now
    asked_yet = (supplements > 0) & (asked <= now)
    supplements = np.where(done | asked_yet, supplements, 0)  # a future request has not happened
    recent = (now - finish) < np.timedelta64(7, "D")
    processed = rng.random(n) < np.where(recent, 0.5, 0.02)
    fee = frame["fee_required"].to_numpy(bool)
    draw = rng.random(n)
    status = np.select(
        [
            done & withdrawn,
            done & stopped,
            done & processed,
            done,
            asked_yet & (draw < 0.7),
            (now - received) < np.timedelta64(1, "D"),
            fee & (draw < 0.2),
        ],
        [
            "withdrawn",
            "stopped",
            "processed",
            "returned",
            "supplement_requested",
            "received",
            "payment_requested",
        ],
        "in_progress",
    )
    frame["due_at"] = due
    frame["finished_at"] = np.where(done, finish, np.datetime64("NaT"))
    frame["status"] = status
    frame["supplement_requests"] = supplements
    frame["supplement_requested_at"] = np.where(supplements > 0, asked, np.datetime64("NaT"))
    frame["late"] = (done & (finish > due)) | (supplements >= 2)
    return frame


def _flags(frame: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Online payment, electronic result, digitisation, reuse and the citizen's rating."""
    n = len(frame)
    day = frame["received_at"].to_numpy("datetime64[D]")
    online = (frame["channel"] == "online").to_numpy()
    status = frame["status"].to_numpy()
    fee = frame["fee_required"].to_numpy(bool)
    unpaid = np.isin(status, ("received", "payment_requested"))
    pay = story.calibrate(np.where(online, 1.0, 0.3)[fee], story.curve(story.ONLINE_PAYMENT, day[fee]))
    paid = np.zeros(n, dtype=bool)
    paid[fee] = rng.random(int(fee.sum())) < pay
    frame["paid_online"] = paid & ~unpaid
    result = np.isin(status, ("processed", "returned"))
    e_raw = np.where(online, 1.0, 0.55)[result]
    e_result = np.zeros(n, dtype=bool)
    e_target = story.curve(story.E_RESULT, day[result])
    e_result[result] = rng.random(int(result.sum())) < story.calibrate(e_raw, e_target)
    frame["e_result"] = e_result
    digi_raw = frame["online_mult"].to_numpy() * np.where(online, 1.3, 1.0)
    digitized = rng.random(n) < story.calibrate(digi_raw, story.curve(story.DIGITIZED, day))
    frame["digitized"] = digitized
    reuse_raw = np.where(digitized, 1.0, 0.3)
    frame["reused_data"] = rng.random(n) < story.calibrate(reuse_raw, story.curve(story.REUSED, day))
    frame["rating"] = _ratings(frame, rng, day, status == "returned")
    return frame


def _ratings(
    frame: pd.DataFrame, rng: np.random.Generator, day: np.ndarray, returned: np.ndarray
) -> np.ndarray:
    """very_satisfied / satisfied / unsatisfied on some returned dossiers, None elsewhere.

    Late dossiers, land and construction, and the weaker districts draw more unsatisfied votes.
    """
    n = len(frame)
    rated = returned & (rng.random(n) < story.curve(story.RATED, day))
    raw = frame["field"].map(story.FIELD_UNSATISFIED).fillna(1.0).to_numpy()
    raw = raw * np.where(frame["late"], 6.0, 1.0) * np.sqrt(story.group_late(frame["group"].to_numpy(), day))
    unhappy = np.zeros(n, dtype=bool)
    target = story.curve(story.UNSATISFIED, day[rated])
    unhappy[rated] = rng.random(int(rated.sum())) < story.calibrate(raw[rated], target)
    very = rng.random(n) < 0.55
    out = np.where(unhappy, "unsatisfied", np.where(very, "very_satisfied", "satisfied")).astype(object)
    out[~rated] = None
    return out


def day_stamp(when: pd.Series, century: bool) -> pd.Series:
    """YYMMDD (or YYYYMMDD) of each timestamp, built with integer arithmetic (fast)."""
    year = when.dt.year if century else when.dt.year % 100
    return (year * 10000 + when.dt.month * 100 + when.dt.day).astype(str).str.zfill(8 if century else 6)


def sequence_codes(prefix: pd.Series, when: pd.Series, century: bool = False) -> pd.Series:
    """Codes ``<prefix>-<date>-<n>``, n the receipt order within prefix and day (unique)."""
    day = day_stamp(when, century)
    seq = when.groupby([prefix, day]).rank(method="first").astype(int)
    return prefix + "-" + day + "-" + seq.astype(str).str.zfill(4)


def make_dossiers(
    world: World, rng: np.random.Generator, month: dt.date, now: np.datetime64, per_weight: float
) -> pd.DataFrame:
    """The dossiers received in ``month`` up to ``now`` (schema columns plus helpers)."""
    days = month_days(month, world.first_day, now)
    if len(days) == 0:
        return pd.DataFrame()
    frame = _intake(world, rng, month, days, per_weight)
    frame = frame[frame["received_at"].to_numpy("datetime64[m]") <= now].reset_index(drop=True)
    frame = _flags(_state(frame, rng, now), rng)
    frame["received_at"] = pd.to_datetime(frame["received_at"])
    frame["dossier_code"] = sequence_codes(frame["agency_code"], frame["received_at"])
    # ``unit_code`` stays the handler's unit (feedback follows it); the desk is a column of its own.
    frame["desk_unit_code"] = receiving_desks(world, frame, rng, month)
    return frame
