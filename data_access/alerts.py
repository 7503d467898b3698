"""The alerts' own tables: which rule fires for which unit, and the outbox of messages.

``alert_active`` holds one row per (rule, unit) while the rule fires, so the watcher sends one
message when it starts and one when it ends, never one per evaluation. ``alert_outbox`` keeps
every message until it is delivered: one that cannot be delivered stays, with its attempts, its
last error and the time of the next try (back-off), so a mail server or a webhook that is down
loses nothing. Both tables are created on first use (they are the watcher's, not the import's).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Column, DateTime, Float, Integer, MetaData, String, Table, Text, and_, select
from sqlalchemy.engine import Connection, Engine

from data_access.results import result_frame

metadata = MetaData()
alert_active = Table(
    "alert_active",
    metadata,
    Column("rule", String(100), primary_key=True),
    Column("unit_code", String(32), primary_key=True),
    Column("unit_name", Text, nullable=False),  # for the end message, when the unit left the list
    Column("since", DateTime, nullable=False),
    Column("value", Float),
)
alert_outbox = Table(
    "alert_outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("rule", String(100), nullable=False),
    Column("unit_code", String(32), nullable=False),
    Column("kind", String(8), nullable=False),  # start | end
    Column("channel", Text, nullable=False),
    Column("subject", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_try_at", DateTime, nullable=False),
    Column("sent_at", DateTime),
    Column("error", Text),
)
#: Undelivered messages listed by ``--status``, at most.
STATUS_LIMIT = 200


@dataclass(frozen=True)
class Message:
    """One message to one channel."""

    rule: str
    unit_code: str
    kind: str
    channel: str
    subject: str
    body: str


@dataclass(frozen=True)
class Outgoing:
    """A message of the outbox due for a try."""

    id: int
    rule: str
    unit_code: str
    kind: str
    channel: str
    subject: str
    body: str
    attempts: int


def ensure_tables(engine: Engine) -> None:
    """Create the alert tables if they are missing."""
    metadata.create_all(engine)


def active_pairs(engine: Engine) -> dict[tuple[str, str], str]:
    """The (rule, unit) pairs firing at the last evaluation, with the unit's name."""
    a = alert_active.c
    with engine.connect() as conn:
        rows = conn.execute(select(a.rule, a.unit_code, a.unit_name))
        return {(r.rule, r.unit_code): r.unit_name for r in rows}


def record(
    engine: Engine,
    started: Iterable[tuple[str, str, str, float]],
    ended: Iterable[tuple[str, str]],
    messages: Iterable[Message],
    now: dt.datetime,
) -> None:
    """In one transaction: the pairs that start (rule, unit, name, value) and end, and their messages."""
    with engine.begin() as conn:
        for rule, unit, name, value in started:
            row = dict(rule=rule, unit_code=unit, unit_name=name, since=now, value=value)
            conn.execute(alert_active.insert().values(**row))
        for rule, unit in ended:
            conn.execute(
                alert_active.delete().where(
                    and_(alert_active.c.rule == rule, alert_active.c.unit_code == unit)
                )
            )
        _enqueue(conn, messages, now)


def _enqueue(conn: Connection, messages: Iterable[Message], now: dt.datetime) -> None:
    rows = [
        dict(
            rule=m.rule,
            unit_code=m.unit_code,
            kind=m.kind,
            channel=m.channel,
            subject=m.subject,
            body=m.body,
            created_at=now,
            attempts=0,
            next_try_at=now,
        )
        for m in messages
    ]
    if rows:
        conn.execute(alert_outbox.insert(), rows)


def due_messages(engine: Engine, now: dt.datetime) -> list[Outgoing]:
    """Undelivered messages whose next try is due at ``now``, oldest first."""
    o = alert_outbox.c
    stmt = (
        select(o.id, o.rule, o.unit_code, o.kind, o.channel, o.subject, o.body, o.attempts)
        .where(o.sent_at.is_(None), o.next_try_at <= now)
        .order_by(o.id)
    )
    with engine.connect() as conn:
        return [Outgoing(*row) for row in conn.execute(stmt)]


def mark_sent(engine: Engine, message_id: int, now: dt.datetime) -> None:
    """The message was delivered."""
    o = alert_outbox.c
    with engine.begin() as conn:
        conn.execute(
            alert_outbox.update()
            .where(o.id == message_id)
            .values(sent_at=now, attempts=o.attempts + 1, error=None)
        )


def mark_failed(engine: Engine, message_id: int, error: str, next_try: dt.datetime) -> None:
    """The message could not be delivered: kept, tried again at ``next_try``."""
    o = alert_outbox.c
    with engine.begin() as conn:
        conn.execute(
            alert_outbox.update()
            .where(o.id == message_id)
            .values(attempts=o.attempts + 1, error=error[:500], next_try_at=next_try)
        )


def pending(engine: Engine) -> pd.DataFrame:
    """Undelivered messages (no body): id, rule, unit, kind, channel, created, attempts, next
    try, last error; oldest first, at most :data:`STATUS_LIMIT`.
    """
    o = alert_outbox.c
    stmt = (
        select(o.id, o.rule, o.unit_code, o.kind, o.channel, o.created_at, o.attempts, o.next_try_at, o.error)
        .where(o.sent_at.is_(None))
        .order_by(o.id)
        .limit(STATUS_LIMIT)
    )
    with engine.connect() as conn:
        return result_frame(conn.execute(stmt))


def active_frame(engine: Engine) -> pd.DataFrame:
    """The (rule, unit) pairs firing now, with since when and the value that started them."""
    a = alert_active.c
    with engine.connect() as conn:
        return result_frame(
            conn.execute(select(a.rule, a.unit_code, a.since, a.value).order_by(a.rule, a.unit_code))
        )
