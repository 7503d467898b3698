"""Biểu 06 as XLSX, laid out like the official form (openpyxl, already the project's XLSX writer).

From the top: form number and circular (left), reporting and receiving unit (right), the title,
period and its dates, the unit of count; the header in four rows (group headings merged over
their columns, "Trong đó" over the parts, each column's own heading, then the numbers (1)…(13));
the rows, totals and subtotals bold; the notes; the signature block "Người lập biểu / Thủ trưởng
cơ quan" with place and date. Numbers are numbers with the format ``#,##0`` (a Vietnamese Excel
shows 1.234). Printed A4 landscape, fitted to the page width, the header repeated on every page.
"""

from __future__ import annotations

import io

import openpyxl
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from exports.form06 import FormDocument

NUMBER_FORMAT = "#,##0"
FONT_NAME = "Times New Roman"  # the administrative documents' face (Decree 30/2020); any Excel has it
_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
WIDTHS = {1: 6, 2: 38, **{n: 11 for n in range(3, 14)}}
#: Rows of the header block above the table, and of the table's header.
TOP_ROWS = 9
HEAD_ROWS = 4


def _put(ws: Worksheet, row: int, col: int, value: object, *, bold: bool = False, **align: object) -> None:
    cell = ws.cell(row=row, column=col, value=value)
    cell.font = Font(name=FONT_NAME, bold=bold, size=11)
    cell.alignment = Alignment(wrap_text=True, vertical="center", **align)  # type: ignore[arg-type]


def _line(
    ws: Worksheet, row: int, first: int, last: int, text: str, *, bold: bool = False, **kw: object
) -> None:
    ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
    _put(ws, row, first, text, bold=bold, **kw)


def _top(ws: Worksheet, doc: FormDocument) -> None:
    """Rows 1–8: form number, units, title, period, dates, unit of count (and the sample label)."""
    reporting, receiving, title, period, dates, unit = doc.header_lines
    _line(ws, 1, 1, 4, doc.text("f06_form_no"), bold=True)
    _line(ws, 2, 1, 4, doc.text("f06_circular"))
    _line(ws, 1, 9, 13, reporting, horizontal="left")
    _line(ws, 2, 9, 13, receiving, horizontal="left")
    _line(ws, 4, 1, 13, title, bold=True, horizontal="center")
    ws.row_dimensions[4].height = 32
    _line(ws, 5, 1, 13, period, bold=True, horizontal="center")
    _line(ws, 6, 1, 13, dates, horizontal="center")
    _line(ws, 7, 9, 13, unit, horizontal="right")
    if doc.sample_line:
        _line(ws, 8, 1, 13, doc.sample_line, bold=True, horizontal="center")


def _header(ws: Worksheet, doc: FormDocument, top: int) -> None:
    """The table's four header rows starting at ``top``."""
    heads = doc.headings()
    for col in (1, 2):  # No. and unit/field: one cell over the three heading rows
        ws.merge_cells(start_row=top, start_column=col, end_row=top + 2, end_column=col)
        _put(ws, top, col, heads[col], bold=True, horizontal="center")
    for first, last, text in doc.groups():
        ws.merge_cells(start_row=top, start_column=first, end_row=top, end_column=last)
        _put(ws, top, first, text, bold=True, horizontal="center")
        ws.merge_cells(start_row=top + 1, start_column=first, end_row=top + 2, end_column=first)
        _put(ws, top + 1, first, heads[first], bold=True, horizontal="center")
        ws.merge_cells(start_row=top + 1, start_column=first + 1, end_row=top + 1, end_column=last)
        _put(ws, top + 1, first + 1, doc.text("f06_col_of_which"), bold=True, horizontal="center")
        for col in range(first + 1, last + 1):
            _put(ws, top + 2, col, heads[col], bold=True, horizontal="center")
    for col in range(1, 14):
        _put(ws, top + 3, col, f"({col})", horizontal="center")
    ws.row_dimensions[top + 2].height = 62
    for r in range(top, top + HEAD_ROWS):
        for col in range(1, 14):
            ws.cell(row=r, column=col).border = _BOX


def _body(ws: Worksheet, doc: FormDocument, first: int) -> int:
    """The form's rows from ``first``; returns the next free row."""
    r = first
    for row in doc.rows:
        _put(ws, r, 1, row.number, bold=row.bold, horizontal="center")
        _put(ws, r, 2, row.label, bold=row.bold, horizontal="left", indent=row.depth)
        for n in range(3, 14):
            _put(ws, r, n, row.column(n), bold=row.bold, horizontal="right")
            ws.cell(row=r, column=n).number_format = NUMBER_FORMAT
        for col in range(1, 14):
            ws.cell(row=r, column=col).border = _BOX
        r += 1
    return r


def _footer(ws: Worksheet, doc: FormDocument, r: int) -> None:
    """Notes, then the signature block two rows below them."""
    _line(ws, r, 1, 13, doc.text("f06_notes_title"), bold=True)
    for i, note in enumerate(doc.notes, start=1):
        _line(ws, r + i, 1, 13, note)
        ws.row_dimensions[r + i].height = 30
    s = r + len(doc.notes) + 2
    _line(ws, s, 9, 13, doc.place_date, horizontal="center")
    ws.cell(row=s, column=9).font = Font(name=FONT_NAME, italic=True, size=11)
    _line(ws, s + 1, 1, 4, doc.text("f06_maker"), bold=True, horizontal="center")
    _line(ws, s + 1, 9, 13, doc.text("f06_head"), bold=True, horizontal="center")
    _line(ws, s + 2, 1, 4, doc.text("f06_sign"), horizontal="center")
    _line(ws, s + 2, 9, 13, doc.text("f06_sign_seal"), horizontal="center")


def _print_settings(ws: Worksheet, header_top: int) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages as the rows need
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_top}:{header_top + HEAD_ROWS - 1}"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.oddFooter.center.text = "&P/&N"


def to_xlsx(doc: FormDocument) -> bytes:
    """The workbook's bytes: one sheet, the form."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = doc.text("f06_sheet")
    for col, width in WIDTHS.items():
        ws.column_dimensions[get_column_letter(col)].width = width
    _top(ws, doc)
    top = TOP_ROWS + 1
    _header(ws, doc, top)
    after = _body(ws, doc, top + HEAD_ROWS)
    _footer(ws, doc, after + 1)
    ws.freeze_panes = ws.cell(row=top + HEAD_ROWS, column=3)
    _print_settings(ws, top)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
