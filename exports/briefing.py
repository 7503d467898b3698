"""The morning briefing's content: the press pipeline's figures and three small tables.

For leaders who will not open a screen: the province's headline figures against their targets
(the press "headline" chart), the on-time ranking of the level below the province ("ranking"),
the five units and provincial agencies that pull the province's on-time rate down most, with
their shortfall (``metrics.shortfall``: their late dossiers and their share of the province's),
the overdue list (``queries.overdue_open_dossiers``), the 12-month on-time trend ("trend"), the
data's date and the sample label. Everything is an aggregate; no dossier code or person appears.
``exports.briefing_pdf`` lays it out on A4 pages.

Periods end with yesterday and are judged at its end, so a briefing made at 07:00 is the same
whenever it is made that day: ``yesterday``, ``week`` (the seven days to yesterday) or ``month``
(from the first of yesterday's month to yesterday; the default).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy.engine import Engine

from data_access import queries
from exports.figures import Figure, build_figure, data_as_of
from exports.request import ExportRequest, default_level
from exports.source import EngineSource
from i18n.catalogue import t
from metrics.shortfall import shortfall_table
from timebase.period import Period, make_period, month_period

PERIODS: tuple[str, ...] = ("yesterday", "week", "month")
METRIC = "on_time_rate"
#: Units and agencies listed as pulling the province down, and overdue lines listed.
PULLING, OVERDUE_LINES = 5, 12


def briefing_period(kind: str, now: dt.datetime) -> Period:
    """The days ``kind`` covers, ending with yesterday, judged at yesterday's end."""
    last = now.date() - dt.timedelta(days=1)
    first = {"yesterday": last, "week": last - dt.timedelta(days=6), "month": last.replace(day=1)}[kind]
    return make_period(first, last)


@dataclass(frozen=True)
class Briefing:
    """What a briefing says, in ``lang``."""

    lang: str
    kind: str
    period: Period
    made_on: dt.date
    province_code: str
    province_name: str
    data_until: dt.datetime
    sample_line: str | None
    headline: Figure
    ranking: Figure
    trend: Figure
    pulling: pd.DataFrame  # name, what (unit level or agency), shortfall, share, rate
    overdue: pd.DataFrame  # unit, agency, procedure, overdue, oldest due
    overdue_cut: bool

    @property
    def file_stem(self) -> str:
        """'ban-tin_2026-11-23' (with '_du-lieu-mau' on sample data)."""
        return f"ban-tin_{self.made_on:%Y-%m-%d}" + ("_du-lieu-mau" if self.sample_line else "")


def _agency_counters(engine: Engine, period: Period, province: str) -> pd.DataFrame:
    """The province's own agencies (departments) with their dossier counters, named."""
    counts = queries.dossier_counts(engine, "province", period, by=["agency"])
    agencies = queries.agency_names(engine, period)
    own = agencies[agencies["unit_code"].astype(str) == province]
    names = dict(zip(own["code"].astype(str), own["name"].astype(str), strict=True))
    counts = counts[counts["agency"].astype(str).isin(names)].copy()
    counts["key"] = counts["agency"].astype(str)
    counts["name"] = counts["key"].map(names)
    return counts


def pulling_down(
    engine: Engine, period: Period, province: str, level: str, lang: str, min_dossiers: int
) -> pd.DataFrame:
    """The :data:`PULLING` units of ``level`` and provincial agencies with the largest on-time
    shortfall (late dossiers), each with its share of the province's shortfall and its rate.
    Units of the level and the province's own agencies handle disjoint dossiers, so the shares
    add up to at most 100%.
    """
    whole = queries.unit_counters(engine, "province", period)
    whole = whole[whole["unit_code"].astype(str) == province].iloc[0]
    units = queries.unit_counters(engine, level, period)
    units = units.assign(
        key=units["unit_code"].astype(str), name=units["unit_name"], what=t(f"level_{level}", lang)
    )
    agencies = _agency_counters(engine, period, province).assign(what=t("brief_agency", lang))
    parts = pd.concat([units, agencies], ignore_index=True)
    numbers = parts.select_dtypes("number").columns
    parts[numbers] = parts[numbers].fillna(0)  # an agency lacks the unit-only counters
    table = shortfall_table(parts, whole, METRIC, min_dossiers).head(PULLING)
    what = dict(zip(parts["key"].astype(str), parts["what"], strict=True))
    return table.assign(what=table["key"].map(what))


def build_briefing(
    engine: Engine,
    kind: str,
    now: dt.datetime,
    lang: str = "vi",
    min_cell: int = 5,
    min_dossiers: int = 20,
) -> Briefing:
    """The briefing for ``kind`` (one of :data:`PERIODS`) as of ``now``."""
    period = briefing_period(kind, now)
    source = EngineSource(engine)
    province = queries.units_at_level(engine, "province", period)
    code, name = str(province.iloc[0]["code"]), str(province.iloc[0]["name"])
    level = default_level(queries.levels_present(engine, period))
    month = month_period(period.end.year, period.end.month, period.as_of)

    def figure(chart: str, when: Period, at: str, unit: str | None) -> Figure:
        request = ExportRequest(chart, when, at, unit, METRIC, lang)
        return build_figure(request, source, min_cell=min_cell, min_dossiers=min_dossiers)

    overdue, cut = queries.overdue_open_dossiers(engine, period.as_of, limit=OVERDUE_LINES)
    meta = queries.database_meta(engine)
    return Briefing(
        lang=lang,
        kind=kind,
        period=period,
        made_on=now.date(),
        province_code=code,
        province_name=name,
        data_until=data_as_of(meta, period),
        sample_line=t("press_sample_line", lang) if meta.get("is_sample") == "1" else None,
        headline=figure("headline", period, "province", code),
        ranking=figure("ranking", period, level, None),
        trend=figure("trend", month, "province", code),  # the 12 months to yesterday's
        pulling=pulling_down(engine, period, code, level, lang, min_dossiers),
        overdue=overdue,
        overdue_cut=cut,
    )


def headline_rate(briefing: Briefing) -> float | None:
    """The province's on-time rate in the briefing's period (the mail's subject line states it)."""
    row = briefing.headline.data
    hit = row[row["metric"] == METRIC]["value"]
    return None if hit.empty or pd.isna(hit.iloc[0]) else float(hit.iloc[0])
