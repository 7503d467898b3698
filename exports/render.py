"""Files from a figure: PNG (2× for print), SVG and PDF through vl-convert with the shipped font,
and the data behind the chart as CSV (UTF-8 with BOM, so Excel shows Vietnamese) and XLSX.

Everything runs offline: vl-convert bundles Vega, the font comes from a Python package, and no
spec refers to a URL. A chart converts in 0.1–0.5 s on a 2-core machine (a ranking of 111
communes, the largest, about 1 s); the first conversion of a process also starts vl-convert's engine.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable
from typing import Any

import openpyxl
import pandas as pd
import vl_convert
from openpyxl.styles import Font

from exports.cells import neutral_frame, starts_formula
from exports.charts import build_chart
from exports.figures import Figure
from exports.style import FONT, FONT_DIR
from i18n.catalogue import t
from i18n.format import VEGA_NUMBER_LOCALE, decimals_against

MIME: dict[str, str] = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
#: Pixels per chart pixel in the PNG (print quality).
PNG_SCALE = 2
#: Excel number formats by registry format.
XLSX_FORMAT = {"pct": "0.0%", "count": "#,##0", "days": "#,##0.0", "points": "#,##0.0"}


@functools.cache
def register_font() -> str:
    """Register the shipped Be Vietnam Pro files with vl-convert (once); returns the family name."""
    vl_convert.register_font_directory(str(FONT_DIR))
    return FONT


def chart_spec(fig: Figure) -> dict[str, Any]:
    """The Vega-Lite spec of ``fig`` as a dict (what the page previews and vl-convert renders).

    Not validated against the schema here (that is slow on every click); the tests validate every
    chart kind's spec.
    """
    return build_chart(fig).to_dict(validate=False)


def _options(fig: Figure) -> dict[str, Any]:
    """vl-convert options: no URL may be fetched (the spec is self-contained; offline by
    construction), and the Vietnamese number and time locales for a Vietnamese figure.
    """
    options: dict[str, Any] = {"allowed_base_urls": []}
    if fig.lang != "en":
        options |= {"format_locale": dict(VEGA_NUMBER_LOCALE), "time_format_locale": "vi-VN"}
    return options


def to_png(fig: Figure) -> bytes:
    """PNG at :data:`PNG_SCALE`×."""
    register_font()
    return bytes(vl_convert.vegalite_to_png(chart_spec(fig), scale=PNG_SCALE, **_options(fig)))


def to_svg(fig: Figure) -> bytes:
    """SVG (text stays text; the reader needs the font, so PNG/PDF are the press formats)."""
    register_font()
    return str(vl_convert.vegalite_to_svg(chart_spec(fig), **_options(fig))).encode("utf-8")


def to_pdf(fig: Figure) -> bytes:
    """A one-page PDF with the font embedded."""
    register_font()
    return bytes(vl_convert.vegalite_to_pdf(chart_spec(fig), **_options(fig)))


def to_csv(fig: Figure) -> bytes:
    """The table behind the chart, UTF-8 with a BOM; rates as fractions 0–1, N/A as an empty cell;
    no text cell starts a formula (``exports.cells``).
    """
    table = neutral_frame(fig.table)
    return table.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def _cell_format(formats: Any, row: int, value: object = None, target: Any = None) -> str | None:
    """The Excel format of a cell; against its target, with the decimals the page shows
    (``i18n.format.decimals_against``), so a miss never reads as the target in Excel either.
    """
    fmt = formats[row] if isinstance(formats, list) else formats
    goal = target[row] if isinstance(target, list) else target
    base = XLSX_FORMAT.get(fmt) if fmt else None
    if base is None or goal is None or not isinstance(value, (int, float)) or fmt == "count":
        return base
    usual = 1
    places = decimals_against(float(value), float(goal), usual, 100.0 if fmt == "pct" else 1.0)
    if places == usual:
        return base
    return "0." + "0" * places + ("%" if fmt == "pct" else "")


def to_xlsx(fig: Figure) -> bytes:
    """Sheet 1: the table, numbers as numbers with Excel formats (98,5% in a Vietnamese Excel),
    suppressed cells as text. Sheet 2: title, subtitle, source, suppression rule, sample label.
    """
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = t("press_sheet_data", fig.lang)
    columns = list(fig.table.columns)
    _append_text(sheet, columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for i, record in enumerate(fig.table.itertuples(index=False)):
        _append_text(sheet, [None if _is_na(v) else v for v in record])
        for j, column in enumerate(columns):
            number_format = _cell_format(fig.formats.get(column), i, record[j], fig.targets.get(column))
            if number_format:
                sheet.cell(row=i + 2, column=j + 1).number_format = number_format
    for j, column in enumerate(columns):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(j + 1)].width = max(10, len(str(column)) + 2)
    notes = book.create_sheet(t("press_sheet_notes", fig.lang))
    for line in (fig.title, *fig.subtitle, *fig.footer):
        _append_text(notes, [line])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _append_text(sheet: Any, values: list[Any]) -> None:
    """Append a row; a text that would start a formula is written as a quote-prefixed string
    (openpyxl would store ``=…`` as a live formula).
    """
    sheet.append(values)
    for cell, value in zip(sheet[sheet.max_row], values, strict=False):
        if starts_formula(value):
            cell.value, cell.data_type, cell.quotePrefix = value, "s", True


def _is_na(value: object) -> bool:
    return value is None or (isinstance(value, float) and pd.isna(value))


WRITERS: dict[str, Callable[[Figure], bytes]] = {
    "png": to_png,
    "svg": to_svg,
    "pdf": to_pdf,
    "csv": to_csv,
    "xlsx": to_xlsx,
}


def render(fig: Figure, fmt: str) -> bytes:
    """The file of ``fig`` in ``fmt`` (one of ``exports.request.FORMATS``)."""
    return WRITERS[fmt](fig)


def file_name(fig: Figure, fmt: str) -> str:
    """``ranking_district_on_time_rate_2026-10.pdf``."""
    return f"{fig.file_stem}.{fmt}"
