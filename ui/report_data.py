"""The press room's "Báo cáo" section's data through the cache seam: Biểu 06 documents built by
``exports.form06`` from a cached engine, with last-good fallback (``ui.data.fetch``)."""

from __future__ import annotations

import datetime as dt

import settings
from exports.form06 import FormDocument, build_form
from timebase.period import Period
from ui import data


@data.cached("live", 16)
def _form(
    url: str,
    start: dt.date,
    end: dt.date,
    as_of: dt.datetime,
    by: str,
    level: str | None,
    lang: str,
    today: dt.date,
) -> FormDocument:
    period = Period(start, end, as_of)
    return build_form(data.engine(url), period, by, level, lang, today=today)


def form_document(period: Period, by: str, level: str | None, lang: str, today: dt.date) -> data.Fetched:
    """Biểu 06 of ``period`` (rows by ``by``, down to ``level``) in ``lang``, signed ``today``."""
    url = settings.database_url()
    args = (url, period.start, period.end, period.as_of, by, level, lang, today)
    return data.fetch(f"form06:{period.start}:{period.end}:{by}:{level}:{lang}", _form, *args)
