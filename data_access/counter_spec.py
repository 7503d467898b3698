"""Every dossier counter declared once: its name, the event it counts and its condition.

The metric registry's ratios are sums of these counters over sums of these counters (docs/rules.md,
"Period membership"). This module is pure data: conditions are written in a tiny vocabulary of
frozen dataclasses (columns, comparisons, AND/OR, CASE) that two renderers turn into code —
:mod:`data_access.counters` into SQLAlchemy expressions (the raw queries, the open rows of the
summary reads, the trend's month ends) and :mod:`data_access.summaries.arrays` into NumPy arrays
(the summary tables' cells, :mod:`data_access.summaries.cells`). So the raw and summary paths
cannot disagree on a rule, and a rule is changed on one line: the two-supplement threshold
here, the finished statuses in ``schema.FINISHED_STATUSES``, the validity bound in
``schema.MAX_SUPPLEMENTS``. The schema's partial-index predicates (``SUSPECT``, ``OPEN_NOW``)
must repeat the rules as plain SQL for the indexes; tests/test_counter_spec.py checks that they
agree with this module.

A counter counts one *event* of a dossier in a period [start, end) judged at ``as_of``:

- ``receipt``: received in the period;
- ``settle``: settled in it (metric 1's finish: finished, or waiting for a supplement since the
  request — Decree 61/2018 stops the clock there);
- ``finish``: finished in it (metric 2: a finished status at ``finished_at``);
- ``open_at``: in the work queue at the judging moment (received by it, not gone before it);
  its condition may compare a dossier's time with :data:`MOMENT` (e.g. "due at or after it").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from data_access.schema import FINISHED_STATUSES, MAX_SUPPLEMENTS, STATUSES

#: Supplement requests that make a dossier late in metrics 1 and 2 (Decision 766/QĐ-TTg, cited by
#: the registry's on-time rates: more than one request by the judging moment makes it late): a
#: dossier is on time only with fewer than this.
LATE_FROM_SUPPLEMENTS = 2
#: Statuses that finish a dossier in metrics 1 and 2, at their time (docs/rules.md §1): processed,
#: returned, stopped or refused, and withdrawn at the citizen's request after receipt.
FINISHING_STATUSES: tuple[str, ...] = (*FINISHED_STATUSES, "withdrawn")
#: A time later than any dossier's: "never", where a time that may be NULL is compared with the moment.
NEVER = dt.datetime(9999, 12, 31)


# --- The vocabulary ------------------------------------------------------------------------


@dataclass(frozen=True)
class Col:
    """A column of the dossier row (``table="dossiers"``) or of its procedure (``"procedures"``)."""

    name: str
    table: str = "dossiers"


@dataclass(frozen=True)
class Moment:
    """The judging moment of an ``open_at`` counter (as_of, or a month end of a trend)."""


MOMENT = Moment()


@dataclass(frozen=True)
class Cmp:
    """``left op right``; ``right`` a term or a constant (bound in SQL). Comparisons with NULL are
    false, as in SQL (NumPy: NaT and NaN compare false).
    """

    op: str  # one of "==", "<", "<=", ">=", ">"
    left: Any
    right: Any


@dataclass(frozen=True)
class In:
    """``column IN (values)``: the codebase's own constants (literals in SQL, see ``schema.one_of``)."""

    column: Col
    values: tuple[str, ...]


@dataclass(frozen=True)
class IsNull:
    """``term IS NULL`` (``negate``: ``IS NOT NULL``)."""

    term: Any
    negate: bool = False


@dataclass(frozen=True)
class IsTrue:
    """``column IS TRUE``: a nullable flag, NULL counting as false."""

    column: Col


@dataclass(frozen=True)
class And:
    """All of ``terms``."""

    terms: tuple[Any, ...]


@dataclass(frozen=True)
class Or:
    """Any of ``terms``."""

    terms: tuple[Any, ...]


@dataclass(frozen=True)
class Case:
    """The value of the first ``(condition, term)`` whose condition holds, else ``else_`` (None: NULL)."""

    whens: tuple[tuple[Any, Any], ...]
    else_: Any = None


@dataclass(frozen=True)
class Coalesce:
    """The first of ``terms`` that is not NULL."""

    terms: tuple[Any, ...]


@dataclass(frozen=True)
class Rule:
    """A named rule that several conditions share (the supplement rule, "finished", settle_at):
    the renderers build it once and reuse it, as one would a named constant.
    """

    name: str
    term: Any


@dataclass(frozen=True)
class Day:
    """The calendar day of a timestamp (compared with another day: "before the due day")."""

    term: Any


def eq(a: Any, b: Any) -> Cmp:
    """``a = b``."""
    return Cmp("==", a, b)


def lt(a: Any, b: Any) -> Cmp:
    """``a < b``."""
    return Cmp("<", a, b)


def le(a: Any, b: Any) -> Cmp:
    """``a <= b``."""
    return Cmp("<=", a, b)


def ge(a: Any, b: Any) -> Cmp:
    """``a >= b``."""
    return Cmp(">=", a, b)


def gt(a: Any, b: Any) -> Cmp:
    """``a > b``."""
    return Cmp(">", a, b)


def all_of(*terms: Any) -> And:
    """:class:`And` of ``terms``."""
    return And(terms)


def any_of(*terms: Any) -> Or:
    """:class:`Or` of ``terms``."""
    return Or(terms)


def columns_of(node: Any) -> set[Col]:
    """Every column a term or condition reads."""
    if isinstance(node, Col):
        return {node}
    if isinstance(node, tuple):
        return set().union(*(columns_of(n) for n in node))
    if hasattr(node, "__dataclass_fields__"):
        return set().union(*(columns_of(getattr(node, f)) for f in node.__dataclass_fields__))
    return set()


# --- The declarations ----------------------------------------------------------------------

EVENTS: tuple[str, ...] = ("receipt", "settle", "finish", "open_at")


@dataclass(frozen=True)
class Counter:
    """One additive counter: dossiers whose ``event`` falls in the period (or, for ``open_at``,
    who are open at the judging moment) and meet ``condition`` (None: all of them); with a
    ``value``, the sum of that term over them (a float), not their count.
    """

    name: str
    event: str
    condition: Any = None
    value: Any = None


@dataclass(frozen=True)
class Event:
    """When an event happens: at ``time`` for rows meeting ``when`` (None: every row whose
    ``time`` is set). ``open_at`` has no time: a dossier is open from ``since`` until ``until``.
    """

    time: Any = None
    when: Any = None
    since: Any = None
    until: Any = None


@dataclass(frozen=True)
class Spec:
    """The rules and the counters they define (see :func:`declare`)."""

    valid: Any
    settle_at: Any
    gone_at: Any
    events: dict[str, Event] = field(hash=False)
    counters: tuple[Counter, ...]
    #: Counters of the official reports only (docs/reports.md), outside the summary tables.
    report_counters: tuple[Counter, ...] = ()
    #: The terms of ``valid``, each named by the data-quality reason of the rows failing it.
    checks: dict[str, Any] = field(default_factory=dict, hash=False)

    def __hash__(self) -> int:
        """The renderers cache per spec; its rules and counters identify it."""
        return hash((self.valid, self.settle_at, self.gone_at, self.counters))

    def names(self, *events: str) -> tuple[str, ...]:
        """Counter names in declaration order, of ``events`` (all when none given)."""
        return tuple(c.name for c in self.counters if not events or c.event in events)

    @property
    def columns(self) -> set[Col]:
        """Every column the rules and counters read."""
        return columns_of((self.valid, tuple(self.events.values()), self.counters))

    @property
    def float_names(self) -> tuple[str, ...]:
        """Counters that are sums of a value (floats), not counts."""
        return tuple(c.name for c in self.counters if c.value is not None)


def declare(
    late_from_supplements: int = LATE_FROM_SUPPLEMENTS,
    finished_statuses: tuple[str, ...] = FINISHING_STATUSES,
) -> Spec:
    """The counters under the given rules (the defaults are the rules; a test varies them to
    show that every path follows).
    """
    status, received, due = Col("status"), Col("received_at"), Col("due_at")
    finished_at, asked = Col("finished_at"), Col("supplement_requested_at")
    supplements, channel = Col("supplement_requests"), Col("channel")
    finished = Rule("finished", In(status, finished_statuses))
    # A row the figures can trust; rows failing it are excluded everywhere and counted per reason
    # by the data quality check: each check is named by its reason (schema.SUSPECT, the partial
    # index's predicate, is its negation, term by term).
    checks = {
        "unknown_status": In(status, STATUSES),
        "due_before_received": ge(due, received),
        "finished_before_received": any_of(IsNull(finished_at), ge(finished_at, received)),
        "supplement_before_received": any_of(IsNull(asked), ge(asked, received)),
        "negative_supplements": ge(supplements, 0),
        "absurd_supplements": le(supplements, MAX_SUPPLEMENTS),
    }
    valid = Rule("valid", all_of(*checks.values()))
    # When the dossier stopped running against its clock for metric 1 (NULL while it runs), and
    # when it left the work queue for any reason (withdrawal included).
    # A withdrawal may carry no time of its own: it left at receipt.
    waiting = eq(status, "supplement_requested")
    withdrawn = eq(status, "withdrawn")
    finish_at = Rule("finish_at", Case(((withdrawn, Coalesce((finished_at, received))),), else_=finished_at))
    settle_at = Rule("settle_at", Case(((finished, finish_at), (waiting, asked))))
    gone_at = Rule("gone_at", Case(((withdrawn, Coalesce((finished_at, received))),), else_=settle_at))
    # More than one supplement request made by the judging moment makes a dossier late. A settled
    # or finished dossier made its requests by then; an open one is judged at the moment (the
    # second request's time, ``late_request_at``, derived on write).
    few = Rule("few_supplements", lt(supplements, late_from_supplements))
    late_from = Coalesce((Col("late_request_at"), NEVER))
    # (``late_request_at`` is the second request's time: under another threshold the count decides.
    # Not a Rule: rules are rendered once, without a moment.)
    few_at_moment = gt(late_from, MOMENT) if late_from_supplements == LATE_FROM_SUPPLEMENTS else few
    # Compared with the due date: the finish less the citizen's supplement time, where a supplement
    # log gave it (``judged_finish_at``), else the finish itself.
    judged_finish = Rule("judged_finish", Coalesce((Col("judged_finish_at"), finish_at)))
    judged_settle = Case(((finished, judged_finish), (waiting, asked)))
    on_time = all_of(le(judged_finish, due), few)
    worked = IsNull(Col("processing_days"), negate=True)
    fee, eligible = IsTrue(Col("fee_required")), IsTrue(Col("full_process_eligible", "procedures"))
    online = eq(channel, "online")

    def rated(value: str) -> Cmp:
        return eq(Col("rating"), value)

    counters = (
        Counter("received", "receipt"),
        Counter("received_online", "receipt", online),
        Counter("received_direct", "receipt", eq(channel, "direct")),
        Counter("received_postal", "receipt", eq(channel, "postal")),
        Counter("fee_required", "receipt", fee),
        Counter("paid_online", "receipt", all_of(fee, IsTrue(Col("paid_online")))),
        Counter("digitized", "receipt", IsTrue(Col("digitized"))),
        Counter("reused_data", "receipt", IsTrue(Col("reused_data"))),
        Counter("fp_eligible", "receipt", eligible),
        Counter("fp_online", "receipt", all_of(eligible, online)),
        Counter("settled", "settle"),
        Counter("settled_on_time", "settle", all_of(le(judged_settle, due), few)),
        Counter("open_end", "open_at"),
        Counter("open_on_time", "open_at", all_of(ge(due, MOMENT), few_at_moment)),
        Counter("open_overdue", "open_at", lt(due, MOMENT)),
        Counter("finished", "finish"),
        Counter("finished_on_time", "finish", on_time),
        Counter("finished_early", "finish", all_of(on_time, lt(Day(judged_finish), Day(due)))),
        Counter("e_result", "finish", IsTrue(Col("e_result"))),
        Counter("rated", "finish", IsNull(Col("rating"), negate=True)),
        Counter("very_satisfied", "finish", rated("very_satisfied")),
        Counter("satisfied", "finish", rated("satisfied")),
        Counter("unsatisfied", "finish", rated("unsatisfied")),
        Counter("processing_n", "finish", worked),
        Counter("processing_days", "finish", worked, value=Col("processing_days")),
        Counter("limit_days", "finish", worked, value=Col("time_limit_days", "procedures")),
    )
    events = {
        "receipt": Event(time=received),
        "settle": Event(time=settle_at),
        "finish": Event(time=finish_at, when=finished),
        "open_at": Event(since=received, until=gone_at),
    }
    # Biểu 06 (docs/reports.md) splits settled on time into early and on the due day: early =
    # settled on a day before the due day, judged as settled_on_time judges (read by
    # data_access/form06.py with the counters above, not by the summary tables).
    settled_early = all_of(le(judged_settle, due), few, lt(Day(judged_settle), Day(due)))
    report_counters = (Counter("settled_early", "settle", settled_early),)
    return Spec(valid, settle_at, gone_at, events, counters, report_counters, checks)


#: The counters under the rules in force.
SPEC = declare()


@dataclass(frozen=True)
class ProcedureCounter:
    """Of the procedures a unit used in a period (at least one valid dossier of it received
    there: ``procedures_used``), those whose ``procedure`` condition holds (a fact of the
    procedure itself), or with at least one of those receipts counted by the receipt counter
    ``receipts`` of the spec (docs/rules.md §6 and §11).
    """

    name: str
    procedure: Any = None
    receipts: str | None = None


#: The procedure counters after ``procedures_used``, in output order. The raw query and the
#: procedure summaries (whose cells hold the ``receipts`` counters per day and procedure) both
#: read their conditions from here.
PROCEDURE_COUNTERS: tuple[ProcedureCounter, ...] = (
    ProcedureCounter(
        "procedures_online", procedure=In(Col("online_level", "procedures"), ("full", "partial"))
    ),
    ProcedureCounter("procedures_full", procedure=eq(Col("online_level", "procedures"), "full")),
    ProcedureCounter("procedures_with_fee", receipts="fee_required"),
    ProcedureCounter("procedures_paid_online", receipts="paid_online"),
    ProcedureCounter("procedures_fee_listed", procedure=IsTrue(Col("fee_required", "procedures"))),
)
#: The receipt counters the procedure counters read, in that order.
PROCEDURE_RECEIPTS: tuple[str, ...] = tuple(c.receipts for c in PROCEDURE_COUNTERS if c.receipts)
