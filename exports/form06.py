"""Biểu 06/VPCP/KSTT as a document: the rows (``metrics.form06``) with everything printed around
them — reporting and receiving unit, period and its dates, column headings, notes, the signature
block's place and date, the sample label — ready for the XLSX and PDF writers
(``exports.form06_xlsx``, ``exports.form06_pdf``). The press room and ``cli.py form`` build the
same document, so the preview, the files and the wall read the same counters.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy.engine import Engine

from data_access import queries
from data_access.queries import form_counts
from i18n.catalogue import t
from i18n.format import fmt_date, fmt_datetime
from metrics.form06 import FormRow, Units, by_field, by_unit
from timebase.period import Period, PeriodError, make_period, parse_period

LAYOUTS: tuple[str, ...] = ("unit", "field")


class FormError(ValueError):
    """The form cannot be made as asked; the message says why and what is known."""


@dataclass(frozen=True)
class FormDocument:
    """One Biểu 06, laid out: rows and the texts around them, in ``lang``."""

    lang: str
    by: str
    level: str | None
    period: Period
    rows: tuple[FormRow, ...]
    reporting_unit: str
    period_text: str
    place: str
    signed_on: dt.date
    notes: tuple[str, ...]
    sample_line: str | None
    file_stem: str

    def text(self, key: str, **kwargs: Any) -> str:
        """A catalogue text in the document's language."""
        return t(key, self.lang, **kwargs)

    @property
    def dates_text(self) -> str:
        """'(Từ ngày 01/07/2026 đến ngày 30/09/2026)'."""
        return self.text("f06_dates", start=fmt_date(self.period.start), end=fmt_date(self.period.end))

    @property
    def header_lines(self) -> tuple[str, ...]:
        """The lines above the table: reporting and receiving unit, title, period, dates, unit."""
        return (
            self.text("f06_reporting", unit=self.reporting_unit),
            self.text("f06_receiving", unit=self.text("f06_receiving_unit")),
            self.text("f06_title"),
            self.text("f06_period", period=self.period_text),
            self.dates_text,
            self.text("f06_unit_of_count"),
        )

    @property
    def place_date(self) -> str:
        """'Bình Phước, ngày 1 tháng 10 năm 2026' above the head's signature."""
        d = self.signed_on
        return self.text("f06_place_date", place=self.place, day=d.day, month=d.month, year=d.year)

    def headings(self) -> dict[int, str]:
        """Column number → its own heading (the bottom row of the header)."""
        label = "f06_col_unit" if self.by == "unit" else "f06_col_field"
        out = {1: self.text("f06_col_no"), 2: self.text(label), 3: self.text("f06_col_total")}
        out |= {n: self.text(f"f06_col_{n}") for n in (4, 5, 6, 8, 9, 10, 12, 13)}
        out |= {7: self.text("f06_col_total"), 11: self.text("f06_col_total")}
        return out

    def groups(self) -> tuple[tuple[int, int, str], ...]:
        """(first column, last column, heading) of the three merged group headings."""
        return (
            (3, 6, self.text("f06_col_received")),
            (7, 10, self.text("f06_col_resolved")),
            (11, 13, self.text("f06_col_pending")),
        )


def parse_form_period(text: str, now: dt.datetime | None = None) -> Period:
    """``timebase.period.parse_period``'s periods, and a half year: ``2026-H1`` or ``2026-H2``."""
    token = text.strip().upper()
    if "-H" in token:
        try:
            year, half = (int(x) for x in token.split("-H"))
            if half not in (1, 2):
                raise ValueError
        except ValueError:
            raise PeriodError(f"'{text[:40]}' is not a half year: use 2026-H1 or 2026-H2") from None
        first = dt.date(year, 1 if half == 1 else 7, 1)
        return make_period(first, dt.date(year, 6 if half == 1 else 12, 30 if half == 1 else 31), now)
    return parse_period(text, now)


def period_words(period: Period, lang: str) -> str:
    """'Tháng 10 năm 2026', 'Quý III năm 2026', '6 tháng đầu năm 2026', 'Năm 2026', or the days."""
    start, end = period.start, period.end
    whole = (
        start.day == 1 and end.day == calendar.monthrange(end.year, end.month)[1] and start.year == end.year
    )
    months = end.month - start.month + 1
    if whole and months == 1:
        return t("f06_month", lang, month=start.month, year=start.year)
    if whole and months == 3 and start.month % 3 == 1:
        quarter = ("I", "II", "III", "IV")[start.month // 3] if lang == "vi" else str(start.month // 3 + 1)
        return t("f06_quarter", lang, quarter=quarter, year=start.year)
    if whole and months == 6 and start.month in (1, 7):
        return t(f"f06_half_{1 if start.month == 1 else 2}", lang, year=start.year)
    if whole and months == 12:
        return t("f06_year", lang, year=start.year)
    return t("f06_days", lang, start=fmt_date(start), end=fmt_date(end))


def _level_words(value: Any, lang: str) -> str:
    """A level code (or a list of them) as words inside a sentence: 'cấp huyện và cấp xã'."""
    if isinstance(value, list | tuple):
        return t("f06_and", lang).join(_level_words(v, lang) for v in value)
    return t(f"level_{value}", lang).lower() if lang == "vi" else t(f"level_{value}", lang)


def _tree(engine: Engine, period: Period) -> Units:
    levels = tuple(queries.levels_present(engine, period))
    if not levels:
        raise FormError(t("f06_err_empty"))
    frames = [queries.units_at_level(engine, lvl, period) for lvl in levels]
    units = pd.concat(frames, ignore_index=True)[["code", "name", "level", "parent_code"]]
    return Units(units.astype({"code": str}), queries.agency_names(engine, period), levels)


def build_form(
    engine: Engine,
    period: Period,
    by: str = "unit",
    level: str | None = None,
    lang: str = "vi",
    today: dt.date | None = None,
) -> FormDocument:
    """Biểu 06 of ``period`` with rows by handling unit (``by="unit"``, down to ``level``: the
    deepest level of the period by default) or by field; raises :class:`FormError` for a layout
    or level the data does not have.
    """
    if by not in LAYOUTS:
        raise FormError(t("f06_err_by", lang, value=by))
    tree = _tree(engine, period)
    below = [lvl for lvl in tree.levels if lvl != "province"]
    if level is not None and level not in below:
        raise FormError(t("f06_err_level", lang, value=level, known=", ".join(below) or "—"))

    def text(key: str, **kw: Any) -> str:
        return t(key, lang, **{k: _level_words(v, lang) for k, v in kw.items()})

    counts = form_counts(engine, period, by_field=(by == "field"))
    if by == "unit":
        rows = by_unit(counts, tree, level or (below[-1] if below else "province"), text)
    else:
        levels_of = dict(zip(tree.units["code"], tree.units["level"], strict=True))
        rows = by_field(counts, levels_of, tree.levels, text)
    meta = queries.database_meta(engine)
    province = meta.get("province_name", "")
    sample = meta.get("is_sample") == "1"
    moment = fmt_datetime(period.as_of)
    notes = (
        t("f06_note_identity", lang),
        t("f06_note_resolved", lang),
        t("f06_note_classes", lang),
        t("f06_note_moments", lang, moment=moment),
    )
    stem = f"bieu06_{by}{'_' + level if level else ''}_{_token(period)}" + ("_du-lieu-mau" if sample else "")
    return FormDocument(
        lang=lang,
        by=by,
        level=level,
        period=period,
        rows=rows,
        reporting_unit=t("f06_reporting_unit", lang, province=province),
        period_text=period_words(period, lang),
        place=province,
        signed_on=today or dt.date.today(),
        notes=notes,
        sample_line=t("f06_sample", lang) if sample else None,
        file_stem=stem,
    )


def _token(period: Period) -> str:
    """The period in a file name: '20260701-20260930'."""
    return f"{period.start:%Y%m%d}-{period.end:%Y%m%d}"
