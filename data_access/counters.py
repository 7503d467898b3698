"""The additive counters of a dossier aggregate as SQL: :mod:`data_access.counter_spec` rendered.

Every ratio of the metric registry is a sum of these counters over a sum of these counters
(docs/rules.md, "Period membership"). What each counter counts — the event, its condition, the
two-supplement rule, which statuses are finished, which rows are valid — is declared once in
:mod:`data_access.counter_spec`; this module only renders it to SQLAlchemy expressions over
``dossiers`` joined to ``procedures``. The summary cells render the same declarations to NumPy
(:mod:`data_access.summaries.cells`), so the two paths cannot drift apart.

Which dossier a counter counts in a period [start, end) judged at as_of: receipt-based counters
by ``received_at``, outcome-based ones by the settle/finish time, open ones by their state at
as_of (received by then, not yet gone).
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable
from typing import Any

from sqlalchemy import Float, and_, case, cast, func, literal, not_, or_
from sqlalchemy.sql.expression import ColumnElement

from data_access import counter_spec as cs
from data_access.counter_spec import SPEC, Counter, Spec
from data_access.schema import dossiers, one_of, procedures
from data_access.sqlfuncs import day_number

d = dossiers
p = procedures
#: The tables a :class:`~data_access.counter_spec.Col` names, and the functions of the spec's
#: comparison signs: they apply to SQL columns here and to NumPy arrays in
#: :mod:`data_access.summaries.arrays` alike.
TABLES = {"dossiers": dossiers, "procedures": procedures}
OPERATORS: dict[str, Callable[[Any, Any], Any]] = {
    "==": operator.eq,
    "<": operator.lt,
    "<=": operator.le,
    ">=": operator.ge,
    ">": operator.gt,
}


def render(node: Any, moment: Any = None) -> Any:
    """The SQLAlchemy expression of a :mod:`~data_access.counter_spec` term or condition;
    ``moment`` stands for :data:`~data_access.counter_spec.MOMENT`. Constants stay Python values
    (bound parameters), as hand-written expressions had them.
    """
    match node:
        case cs.Col(name, table):
            return TABLES[table].c[name]
        case cs.Moment():
            assert moment is not None, "an open_at condition needs its judging moment"
            return moment
        case cs.Cmp(op, left, right):
            return OPERATORS[op](render(left, moment), render(right, moment))
        case cs.In(column, values):
            return one_of(render(column), values)
        case cs.IsNull(term, negate):
            return render(term, moment).is_not(None) if negate else render(term, moment).is_(None)
        case cs.IsTrue(column):
            return render(column).is_(True)
        case cs.And(terms):
            return and_(*[render(t, moment) for t in terms])
        case cs.Or(terms):
            return or_(*[render(t, moment) for t in terms])
        case cs.Case(whens, else_):
            pairs = [(render(c, moment), render(v, moment)) for c, v in whens]
            return case(*pairs, else_=None if else_ is None else render(else_, moment))
        case cs.Coalesce(terms):
            return func.coalesce(*[render(t, moment) for t in terms])
        case cs.Day(term):
            return day_number(render(term, moment))
        case cs.Rule():
            return _shared(node)
        case _:
            return node  # a constant


@functools.cache
def _shared(rule: cs.Rule) -> Any:
    """A named rule's expression, built once: every condition using it holds the same object
    (and the same bound parameters), as a module constant would.
    """
    return render(rule.term)


@functools.cache
def _rules(spec: Spec) -> dict[str, Any]:
    """The spec's moment-free expressions, rendered once (every query reuses them)."""
    return {
        "valid": render(spec.valid),
        "settle_at": render(spec.settle_at),
        "gone_at": render(spec.gone_at),
        "conditions": {c.name: render(c.condition) for c in spec.counters if c.event != "open_at"},
        "values": {c.name: render(c.value) for c in spec.counters if c.value is not None},
    }


#: When the dossier stopped running against its clock for metric 1 (None while open).
settle_at = _rules(SPEC)["settle_at"]
#: When the dossier left the work queue for any reason (withdrawal included).
gone_at = _rules(SPEC)["gone_at"]
#: A row the figures can trust. Rows failing it are excluded by every query (never inflating or
#: deflating a rate) and counted per reason by the data-quality check. Rows whose unit or
#: procedure is unknown drop out through the joins to ``unit_ancestors`` and ``procedures``.
valid_dossier = _rules(SPEC)["valid"]


def count_if(condition: ColumnElement[bool]) -> ColumnElement[Any]:
    """``SUM(CASE WHEN condition THEN 1 ELSE 0 END)``: the rows of a group that meet it."""
    return func.sum(case((condition, 1), else_=0))


def _sum_if(condition: ColumnElement[bool], value: ColumnElement[Any]) -> ColumnElement[Any]:
    return func.sum(case((condition, cast(value, Float)), else_=literal(0.0)))


def _aggregate(counter: Counter, within: Any, condition: Any, values: dict[str, Any]) -> Any:
    """The counter's aggregate over the rows meeting ``within`` and its own ``condition``."""
    where = within if condition is None else and_(within, condition)
    if counter.value is not None:
        return _sum_if(where, values[counter.name]).label(counter.name)
    return count_if(where).label(counter.name)


def counter_columns(start: Any, end_before: Any, as_of: Any, spec: Spec = SPEC) -> list[ColumnElement[Any]]:
    """Labelled aggregate expressions of every counter of ``spec``, in its order, for a period
    [start, end_before) judged at as_of (bind parameters, datetimes, supplied by the caller).
    """
    rules = _rules(spec)

    def window(event: cs.Event) -> ColumnElement[bool]:
        time = render(event.time)
        bounds = [time >= start, time < end_before, time <= as_of]
        return and_(*([render(event.when)] if event.when is not None else []), *bounds)

    events = spec.events
    within = {name: window(e) for name, e in events.items() if name != "open_at"}
    opened = events["open_at"]
    gone = render(opened.until)
    within["open_at"] = and_(render(opened.since) <= as_of, or_(gone.is_(None), gone > as_of))
    out = []
    for c in spec.counters:
        cond = render(c.condition, as_of) if c.event == "open_at" else rules["conditions"][c.name]
        out.append(_aggregate(c, within[c.event], cond, rules["values"]))
    return out


def queued_open_columns(
    as_of: Any, suffix: str = "", *, check_received: bool = False, spec: Spec = SPEC
) -> list[ColumnElement[Any]]:
    """The ``open_at`` counters of :func:`counter_columns` (labelled ``name + suffix``) for rows
    still in the queue now (``gone_at`` is NULL: ``schema.OPEN_NOW``): the "not gone by as_of"
    part is then true, so the counters need only their own conditions (about half the work a row
    of the full open condition). The caller's WHERE must hold ``valid_dossier`` and ``OPEN_NOW``,
    and ``received_at <= as_of`` unless ``check_received`` puts that in every counter (the
    trend judges the same rows at several month ends in one pass).
    """
    received = render(spec.events["open_at"].since) <= as_of if check_received else None
    out = []
    for c in spec.counters:
        if c.event != "open_at":
            continue
        terms = [t for t in (received, render(c.condition, as_of) if c.condition else None) if t is not None]
        label = c.name + suffix
        out.append(func.count().label(label) if not terms else count_if(and_(*terms)).label(label))
    return out


def relevant(start: Any, as_of: Any, spec: Spec = SPEC) -> ColumnElement[bool]:
    """Valid rows that can count in a period starting at ``start``: received by as_of, not gone
    before the start.
    """
    rules, opened = _rules(spec), spec.events["open_at"]
    gone = rules["gone_at"]
    return and_(rules["valid"], render(opened.since) <= as_of, or_(gone.is_(None), gone >= start))


#: A comparison's opposite: the rows where it is false (NULL stays neither).
_OPPOSITE = {"<": ">=", "<=": ">", ">=": "<", ">": "<="}


def failing(check: Any) -> ColumnElement[bool]:
    """The rows a validity check of the spec (``SPEC.checks``) proves false, as SQL: a
    comparison turned to its opposite, ``IN`` negated, and "NULL or a comparison of that column"
    failing where the comparison does (a NULL column makes it neither).
    """
    match check:
        case cs.Cmp(op, left, right) if op in _OPPOSITE:
            return render(cs.Cmp(_OPPOSITE[op], left, right))
        case cs.In():
            return not_(render(check))
        case cs.Or((cs.IsNull(column, negate=False), rest)) if column in cs.columns_of(rest):
            return failing(rest)
    raise ValueError(f"no failing form for {check!r}")


def receipt_condition(name: str, spec: Spec = SPEC) -> ColumnElement[bool]:
    """The condition of the receipt counter ``name`` (``fee_required``, ``paid_online``…), as the
    counters render it: the procedure counters test their receipts with the same expression.
    """
    return _rules(spec)["conditions"][name]


def procedure_condition(counter: cs.ProcedureCounter) -> ColumnElement[bool]:
    """The SQL of a procedure counter's condition on its procedure."""
    return render(counter.procedure)


#: Counter names in output order (the contract between data_access and metrics).
DOSSIER_COUNTERS: tuple[str, ...] = SPEC.names()
