"""Where a unit stands: the ranking table of one level, and one unit's place in every ranking.

Pure functions over the frames of :func:`metrics.tables.unit_metrics`. Ranking follows
docs/rules.md §12 (units of one level only; ties share a rank, 1, 2, 2, 4; change against the
previous period) through :mod:`metrics.ranking`; the 766-style score has no official band
(docs/rules.md §13), so a unit is judged against the targets instead (:func:`band_column`).

Which units are too small to rank: a unit whose ranking denominator is below the minimum
(``IOC_MIN_DOSSIERS``) is flagged and left unranked. The denominator is the metric's own for a
ratio, and the dossiers handled (settled + open at the end, metric 1's denominator) for the
score and for counts, so a unit with no overdue dossiers is ranked first, not flagged small.
"""

from __future__ import annotations

import pandas as pd

from metrics import score766
from metrics.compute import signed_sum
from metrics.ranking import rank, rank_change, target_status
from metrics.registry import METRICS, Metric, get_metric
from metrics.targets import target_for

SCORE = "score_766"
#: What a ranking can be by: the estimated 766 score, or any metric of the registry.
RANKABLE: tuple[str, ...] = (SCORE, *(m.name for m in METRICS))
#: The rankings a unit's place is shown in on "my unit".
POSITION_METRICS: tuple[str, ...] = (
    SCORE,
    "on_time_rate",
    "on_time_rate_finished",
    "overdue_in_progress",
    "online_share",
    "online_payment_share",
    "digitized_rate",
    "satisfaction_rate",
)


def handled(table: pd.DataFrame) -> pd.Series:
    """Dossiers handled in the period (settled + open at its end): metric 1's denominator."""
    return signed_sum(table, ("settled", "open_end"))


def ranking_base(table: pd.DataFrame, by: str) -> pd.Series:
    """The denominator that decides whether a unit is too small to rank by ``by``."""
    return handled(table) if by == SCORE else metric_base(table, get_metric(by))


def metric_base(table: pd.DataFrame, metric: Metric) -> pd.Series:
    """The dossiers a unit's value of ``metric`` rests on: its denominator for a ratio, the
    dossiers handled otherwise. Below the minimum (``IOC_MIN_DOSSIERS``) a unit is too small to
    rank, and the map does not colour it as met or missed either.
    """
    return signed_sum(table, metric.denominator) if metric.is_ratio else handled(table)


def higher_is_better(by: str) -> bool:
    """True when a larger value of ``by`` is better."""
    return True if by == SCORE else get_metric(by).higher_is_better


def ranks(
    table: pd.DataFrame, by: str, min_dossiers: int, shown: pd.Series | None = None
) -> tuple[pd.Series, pd.Series]:
    """``small`` (too few dossiers to rank, by :func:`ranking_base`) and the competition ``rank``
    by ``by`` of each row of ``table`` (from compute/unit_metrics): the one place units are ranked.
    Rows where ``shown`` is False (a suppressed figure) take no place either.
    """
    small = ranking_base(table, by) < min_dossiers
    eligible = ~small if shown is None else ~small & shown.astype(bool)
    return small, rank(table[by], higher_is_better(by), eligible=eligible)


def ranked(table: pd.DataFrame, by: str, min_dossiers: int) -> pd.DataFrame:
    """``table`` (from unit_metrics) with ``small``, ``rank`` and ``ranked_n`` for ranking by ``by``."""
    out = table.copy()
    out["small"], out["rank"] = ranks(out, by, min_dossiers)
    out["ranked_n"] = int(out["rank"].notna().sum())
    return out


def ranking_table(
    current: pd.DataFrame,
    previous: pd.DataFrame,
    by: str,
    min_dossiers: int,
    rules: score766.RuleSet = score766.DEFAULT,
) -> pd.DataFrame:
    """The ranking of one level by ``by``: rank, previous rank, places gained, handled dossiers,
    and (for the score) each group's points; ranked units first by rank, then the unranked by name.
    """
    out = ranked(current, by, min_dossiers)
    before = ranked(previous, by, min_dossiers).set_index("unit_code")["rank"]
    out["previous_rank"] = out["unit_code"].map(before).astype("Int64")
    out["rank_change"] = rank_change(out["rank"], out["previous_rank"])
    out["handled"] = handled(out)
    if by == SCORE:
        out = pd.concat([out, score766.group_points_frame(out, rules)], axis=1)
    out["_unranked"] = out["rank"].isna()
    out = out.sort_values(["_unranked", "rank", "unit_name"], na_position="last")
    return out.drop(columns="_unranked").reset_index(drop=True)


def metric_target(targets: pd.DataFrame, by: str, year: int, unit_code: str, level: str) -> float | None:
    """The target value for ``by`` (None for the score, which has none, or when none applies)."""
    if by == SCORE:
        return None
    found = target_for(targets, get_metric(by).target_key, year, unit_code=unit_code, level=level)
    return found[0] if found else None


def targets_of(table: pd.DataFrame, by: str, targets: pd.DataFrame, year: int, level: str) -> pd.Series:
    """The target of ``by`` for every unit of ``table`` (None where none applies); one lookup for
    the level unless the targets table holds unit-specific rows for the metric.
    """
    key = None if by == SCORE else get_metric(by).target_key
    codes = table["unit_code"].astype(str)
    if key is None or targets is None or targets.empty:
        return pd.Series(None, index=table.index, dtype=object)
    own = set(targets.loc[(targets["metric"] == key) & (targets["unit_code"] != ""), "unit_code"])
    common = metric_target(targets, by, year, "", level)
    return pd.Series(
        [metric_target(targets, by, year, c, level) if c in own else common for c in codes],
        index=table.index,
        dtype=object,
    )


def statuses(table: pd.DataFrame, by: str, targets: pd.DataFrame, year: int, level: str) -> pd.Series:
    """'met', 'missed' or 'unknown' per unit against the target of ``by``."""
    goals = targets_of(table, by, targets, year, level)
    better_high = higher_is_better(by)
    return pd.Series(
        [target_status(v, g, better_high) for v, g in zip(table[by], goals, strict=True)],
        index=table.index,
        dtype=object,
    )


def band_column(table: pd.DataFrame, by: str, targets: pd.DataFrame, year: int, level: str) -> pd.Series:
    """Per unit: ``'met'``/``'missed'``/``'unknown'`` against the target of ``by``, or for the
    score (which has no official band, docs/rules.md §13) ``'k/n'``: targets met of the
    registry metrics with a target and a value.
    """
    if by != SCORE:
        return statuses(table, by, targets, year, level)
    judged = [statuses(table, m.name, targets, year, level) for m in METRICS if m.name in table]
    met = sum(((s == "met").astype(int) for s in judged), pd.Series(0, index=table.index))
    known = sum(((s != "unknown").astype(int) for s in judged), pd.Series(0, index=table.index))
    return pd.Series([f"{m}/{n}" for m, n in zip(met, known, strict=True)], index=table.index, dtype=object)


def gap(value: object, reference: object, better_high: bool = True) -> float | None:
    """How far ``value`` is from ``reference``, positive when it is ahead (None if either is N/A)."""
    if value is None or reference is None or pd.isna(value) or pd.isna(reference):
        return None
    diff = float(value) - float(reference)  # type: ignore[arg-type]
    return diff if better_high else -diff


def position(
    table: pd.DataFrame,
    unit_code: str,
    min_dossiers: int,
    targets: pd.DataFrame,
    year: int,
    level: str,
    metrics: tuple[str, ...] = POSITION_METRICS,
) -> pd.DataFrame:
    """One unit's place in each ranking of its level: value, rank, units ranked, the leader and the
    gap to it, the target and the gap to it (gaps positive = ahead), and whether it is too small.
    """
    rows = []
    for by in metrics:
        board = ranked(table, by, min_dossiers)
        mine = board[board["unit_code"] == unit_code]
        if mine.empty:
            continue
        me = mine.iloc[0]
        leaders = board[board["rank"] == 1].sort_values("unit_name")
        leader = leaders.iloc[0] if len(leaders) else None
        goal = metric_target(targets, by, year, unit_code, level)
        rows.append(
            dict(
                metric=by,
                value=me[by],
                rank=me["rank"],
                ranked_n=me["ranked_n"],
                small=bool(me["small"]),
                leader_code=None if leader is None else leader["unit_code"],
                leader_name=None if leader is None else leader["unit_name"],
                leader_value=None if leader is None else leader[by],
                gap_to_leader=None if leader is None else gap(me[by], leader[by], higher_is_better(by)),
                target=goal,
                gap_to_target=gap(me[by], goal, higher_is_better(by)),
                status=target_status(me[by], goal, higher_is_better(by)),
            )
        )
    return pd.DataFrame(rows)
