"""Alert rules as data, and which units break them (docs/command-line.md "watch").

A rule names a metric of the registry (or ``due_tomorrow``: open dossiers due on the next working
day, the apology's last day, docs/rules.md §3a), a level (a unit level or ``agency``), a threshold
(a number, or ``target``: the metric's target from the targets table, per unit) and a direction
(``below`` or ``above``), and where its messages go (``mailto:`` addresses, ``http(s)://``
webhooks). A rule fires for a unit while the unit's value is past the threshold; a message goes
out when it starts and when it ends (:func:`transitions`), never at every evaluation.

Pure: rules read from a CSV, values in, firings out; no SQL, no network.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from metrics.registry import METRICS, get_metric
from metrics.targets import target_for

#: Metrics a rule may name besides the registry's.
EXTRA_METRICS = ("due_tomorrow",)
DIRECTIONS = ("below", "above")
COLUMNS = ("name", "metric", "level", "threshold", "direction", "channels", "label")


class AlertRuleError(ValueError):
    """A rules file that cannot be used: which line, and why."""


@dataclass(frozen=True)
class AlertRule:
    """One rule (see the module docstring); ``label`` is its Vietnamese name in messages."""

    name: str
    metric: str
    level: str
    threshold: str
    direction: str
    channels: tuple[str, ...]
    label: str


@dataclass(frozen=True)
class Firing:
    """A rule broken by one unit: its value and the threshold it is past."""

    rule: str
    unit_code: str
    unit_name: str
    value: float
    threshold: float


def _checked(row: dict[str, str], line: int) -> AlertRule:
    names = {m.name for m in METRICS} | set(EXTRA_METRICS)
    values = {c: (row.get(c) or "").strip() for c in COLUMNS}
    problem = None
    if not values["name"]:
        problem = "no name"
    elif values["metric"] not in names:
        problem = f"unknown metric {values['metric']!r}"
    elif values["direction"] not in DIRECTIONS:
        problem = f"direction must be below or above, not {values['direction']!r}"
    elif values["threshold"] != "target":
        try:
            float(values["threshold"])
        except ValueError:
            problem = f"threshold must be a number or target, not {values['threshold']!r}"
    channels = tuple(values["channels"].split())
    if problem is None and not all(c.startswith(("mailto:", "http://", "https://")) for c in channels):
        problem = "channels must be mailto: addresses or http(s):// URLs"
    if problem:
        raise AlertRuleError(f"line {line}: {problem}")
    return AlertRule(
        values["name"],
        values["metric"],
        values["level"] or "province",
        values["threshold"],
        values["direction"],
        channels,
        values["label"] or values["name"],
    )


def read_rules(path: str | Path) -> list[AlertRule]:
    """The rules of a CSV file (columns :data:`COLUMNS`); raises :class:`AlertRuleError`."""
    try:
        with Path(path).open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except OSError as exc:
        raise AlertRuleError(f"cannot read {path}: {exc.strerror or exc}") from None
    rules = [_checked(row, i) for i, row in enumerate(rows, start=2)]
    seen = [r.name for r in rules]
    if len(set(seen)) != len(seen):
        raise AlertRuleError("two rules share a name")
    return rules


def _limit(rule: AlertRule, unit_code: str, targets: pd.DataFrame, year: int) -> float | None:
    if rule.threshold != "target":
        return float(rule.threshold)
    if rule.metric in EXTRA_METRICS:
        return None
    found = target_for(
        targets, get_metric(rule.metric).target_key, year, unit_code=unit_code, level=rule.level
    )
    return found[0] if found else None


def firing(rule: AlertRule, values: pd.DataFrame, targets: pd.DataFrame, year: int) -> list[Firing]:
    """The units of ``values`` (``unit_code``, ``unit_name`` and the rule's metric) breaking
    ``rule``; N/A values and units without a target (for ``target``) never fire.
    """
    out = []
    for code, name, value in zip(values["unit_code"], values["unit_name"], values[rule.metric], strict=True):
        limit = _limit(rule, str(code), targets, year)
        if value is None or pd.isna(value) or limit is None:
            continue
        past = value < limit if rule.direction == "below" else value > limit
        if past:
            out.append(Firing(rule.name, str(code), str(name), float(value), limit))
    return out


def transitions(
    active: set[tuple[str, str]], now: list[Firing], evaluated: set[str]
) -> tuple[list[Firing], list[tuple[str, str]]]:
    """What changed since the last evaluation: the firings that start (not active before) and
    the (rule, unit) pairs that end (active before, not firing now), among the rules
    ``evaluated`` (a rule that could not be evaluated ends nothing).
    """
    keys = {(f.rule, f.unit_code) for f in now}
    started = [f for f in now if (f.rule, f.unit_code) not in active]
    ended = sorted(k for k in active if k[0] in evaluated and k not in keys)
    return started, ended
