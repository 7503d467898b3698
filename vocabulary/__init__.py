"""Names the data layer and the metrics both speak, declared once.

Below both ``data_access`` and ``metrics`` (like :mod:`timebase`; it imports nothing of the
project): the counters a query answers that the metrics read by name, the metric keys a target
may name, and the score groups of the 766 index with their maximum points. ``data_access`` checks
imported files against them and names its columns by them; ``metrics`` computes with them.
"""

from __future__ import annotations

#: The counters of the receiving desk, per unit (``queries.desk_counts`` answers them; the desk
#: metrics of ``metrics.registry`` are made of them).
DESK_COUNTERS: tuple[str, ...] = ("desk_received", "received_outside")

#: The counters form 06 is made of, per group, in the form's order (``queries.form_counts``
#: answers them; ``metrics.form06`` lays them out).
FORM_COUNTERS: tuple[str, ...] = (
    "received",
    "received_online",
    "carried_over",
    "settled",
    "settled_on_time",
    "settled_early",
    "open_end",
    "open_on_time",
)

#: The metric keys a target may be set for (the ``metric`` column of targets.csv); each is the
#: ``target_key`` of one or more metrics of ``metrics.registry`` (a test holds the two equal).
TARGET_METRICS: frozenset[str] = frozenset(
    {
        "digitized_rate",
        "e_result_rate",
        "feedback_on_time_rate",
        "full_process_online_share",
        "on_time_rate",
        "online_payment_share",
        "online_share",
        "reuse_rate",
        "satisfaction_rate",
    }
)

#: The score groups of the 766 index and the most points each can give (docs/rules.md; the
#: portal's published scores are checked against them on import).
GROUP_MAX: dict[str, float] = {
    "transparency": 18.0,
    "progress": 20.0,
    "online": 12.0,
    "payment": 10.0,
    "digitisation": 22.0,
    "satisfaction": 18.0,
}
