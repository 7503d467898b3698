"""``cli.py watch``: evaluate the alert rules against the database, record what starts and ends,
and deliver the outbox (docs/command-line.md "watch").

One evaluation (:func:`run_once`): every rule's values for the month to date (the registry's
metrics of ``metrics.tables.unit_metrics``; ``due_tomorrow`` from the due-soon counts), the
firings (:mod:`metrics.alerts`), a message per channel for each (rule, unit) that starts or ends,
written with the new state in one transaction, then every message due for a try is sent; one
that fails stays in the outbox and is tried again after a back-off doubling from a minute to an
hour. A clock is passed in, so tests run a day of evaluations without sleeping.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

import settings
from alerts.deliver import DeliveryError, deliver
from data_access.queries import (
    AlertMessage,
    DueSoonTimes,
    active_alert_pairs,
    due_alert_messages,
    due_soon_dossiers,
    ensure_alert_tables,
    level_counters,
    mark_alert_failed,
    mark_alert_sent,
    record_alerts,
    target_rows,
)
from i18n.catalogue import t
from i18n.format import fmt_datetime, fmt_value
from metrics.alerts import AlertRule, Firing, firing, transitions
from metrics.due_soon import due_soon_window
from metrics.registry import get_metric
from metrics.tables import unit_metrics
from timebase.period import month_to_date

FIRST_RETRY = dt.timedelta(minutes=1)
LAST_RETRY = dt.timedelta(hours=1)
#: Due-soon groups read for ``due_tomorrow`` (a limit, as every listing has).
DUE_ROWS = 100_000


@dataclass(frozen=True)
class WatchResult:
    """What one evaluation did."""

    started: int
    ended: int
    sent: int
    failed: int


def backoff(attempts: int) -> dt.timedelta:
    """Wait before the next try after ``attempts`` failed ones: 1, 2, 4 … minutes, at most an hour."""
    return min(LAST_RETRY, FIRST_RETRY * 2 ** max(0, attempts - 1))


def _values(engine: Engine, metric: str, level: str, now: dt.datetime) -> pd.DataFrame:
    """``unit_code``, ``unit_name`` and ``metric`` per unit of ``level`` (or agency) now."""
    if metric == "due_tomorrow":
        window = due_soon_window(now, int(settings.get("IOC_DUE_SOON_DAYS")))
        times = DueSoonTimes(now, window.until, window.apology_from, window.apology_before)
        groups, _ = due_soon_dossiers(engine, times, level, None, DUE_ROWS)
        summed = groups.groupby(["unit_code", "unit_name"], as_index=False)["apology_last_day"].sum()
        return summed.rename(columns={"apology_last_day": metric})
    frame = unit_metrics(level_counters(engine, level, month_to_date(now)))
    return frame[["unit_code", "unit_name", metric]]


def _text(value: float | None, metric: str) -> str:
    fmt = "count" if metric == "due_tomorrow" else get_metric(metric).fmt
    return fmt_value(value, fmt, "vi")


def _messages(
    rule: AlertRule,
    kind: str,
    code: str,
    name: str,
    value: float | None,
    limit: float | None,
    now: dt.datetime,
) -> list[AlertMessage]:
    args = dict(
        rule=rule.label, unit=name, code=code, value=_text(value, rule.metric), time=fmt_datetime(now)
    )
    subject = t(f"al_{kind}_subject", "vi", **args)
    if kind == "start":
        args |= dict(direction=t(f"al_{rule.direction}", "vi"), threshold=_text(limit, rule.metric))
    body = t(f"al_{kind}_body", "vi", **args)
    return [AlertMessage(rule.name, code, kind, channel, subject, body) for channel in rule.channels]


def evaluate(engine: Engine, rules: list[AlertRule], now: dt.datetime) -> list[AlertMessage]:
    """Record what starts and ends at ``now`` and queue its messages; returns them."""
    ensure_alert_tables(engine)
    active, targets = active_alert_pairs(engine), target_rows(engine)
    found: list[Firing] = []
    values: dict[tuple[str, str], tuple[str, float | None]] = {}  # (rule, unit) → name, value now
    for rule in rules:
        frame = _values(engine, rule.metric, rule.level, now)
        for code, name, value in zip(frame["unit_code"], frame["unit_name"], frame[rule.metric], strict=True):
            values[(rule.name, str(code))] = (str(name), None if pd.isna(value) else float(value))
        found += firing(rule, frame, targets, now.year)
    started, ended = transitions(set(active), found, {r.name for r in rules})
    by_name = {r.name: r for r in rules}
    messages: list[AlertMessage] = []
    for f in started:
        messages += _messages(by_name[f.rule], "start", f.unit_code, f.unit_name, f.value, f.threshold, now)
    for rule_name, code in ended:
        # A unit gone from the list has nothing left (due_tomorrow): its name as it started, 0.
        name, value = values.get((rule_name, code), (active[(rule_name, code)], 0.0))
        messages += _messages(by_name[rule_name], "end", code, name, value, None, now)
    opened = [(f.rule, f.unit_code, f.unit_name, f.value) for f in started]
    record_alerts(engine, opened, ended, messages, now)
    return messages


def send_due(
    engine: Engine, now: dt.datetime, send: Callable[[str, str, str, dict[str, str]], None] = deliver
) -> tuple[int, int]:
    """Try every message due at ``now``; (sent, failed). A failure is kept for a later try."""
    sent = failed = 0
    for m in due_alert_messages(engine, now):
        payload = {"rule": m.rule, "unit_code": m.unit_code, "kind": m.kind}
        try:
            send(m.channel, m.subject, m.body, payload)
        except DeliveryError as exc:
            mark_alert_failed(engine, m.id, str(exc), now + backoff(m.attempts + 1))
            failed += 1
        else:
            mark_alert_sent(engine, m.id, now)
            sent += 1
    return sent, failed


def run_once(engine: Engine, rules: list[AlertRule], now: dt.datetime) -> WatchResult:
    """One evaluation and one delivery round at ``now``."""
    messages = evaluate(engine, rules, now)
    sent, failed = send_due(engine, now)
    pairs = {(m.kind, m.rule, m.unit_code) for m in messages}
    starts = sum(1 for kind, *_ in pairs if kind == "start")
    return WatchResult(starts, len(pairs) - starts, sent, failed)


def watch_forever(
    engine: Engine,
    rules: list[AlertRule],
    interval: float,
    clock: Callable[[], dt.datetime],
    log: Callable[[str], None],
) -> None:
    """Evaluate every ``interval`` seconds until interrupted (Ctrl-C, a service stop); a round the
    database cannot answer is logged and the next one tried (the state and the outbox are
    written in one transaction, so a failed round leaves nothing half done).
    """
    while True:
        try:
            done = run_once(engine, rules, clock())
        except (SQLAlchemyError, OSError) as exc:
            log(f"error: this round failed, next in {interval:g} s: {str(exc).splitlines()[0][:200]}")
        else:
            log(f"started {done.started}, ended {done.ended}, sent {done.sent}, failed {done.failed}")
        time.sleep(interval)
