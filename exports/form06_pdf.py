"""Biểu 06 as PDF: A4 landscape pages drawn as SVG and made into one PDF by
``exports.pdf_pages`` (vl-convert with the shipped Be Vietnam Pro embedded, text selectable).

The layout follows the XLSX (``exports.form06_xlsx``): the header block on the first page, the
table's four header rows on every page, bold totals, then the notes and the signature block.
A label too long for its cell wraps onto more lines and the row grows.
"""

from __future__ import annotations

from exports.form06 import FormDocument
from exports.pdf_pages import A4_LONG, A4_SHORT, Page, wrap
from exports.pdf_pages import to_pdf as pages_to_pdf
from i18n.format import fmt_int

PAGE_W, PAGE_H, MARGIN = A4_LONG, A4_SHORT, 28.0
COL_NO, COL_LABEL = 26.0, 190.0
COL_NUM = (PAGE_W - 2 * MARGIN - COL_NO - COL_LABEL) / 11
HEAD_HEIGHTS = (24.0, 14.0, 44.0, 12.0)
BODY_SIZE, HEAD_SIZE = 7.0, 6.5


def column_x(n: int) -> float:
    """Left edge of column ``n`` (1–13); ``column_x(14)`` is the table's right edge."""
    if n == 1:
        return MARGIN
    if n == 2:
        return MARGIN + COL_NO
    return MARGIN + COL_NO + COL_LABEL + (n - 3) * COL_NUM


def _top(page: Page, doc: FormDocument) -> float:
    """The first page's header block; returns where the table starts."""
    reporting, receiving, title, period, dates, unit = doc.header_lines
    right = PAGE_W - MARGIN
    page.text(MARGIN, 40, doc.text("f06_form_no"), 9, bold=True)
    page.text(MARGIN, 52, doc.text("f06_circular"), 8, italic=True)
    page.text(right, 40, reporting, 9, anchor="end")
    page.text(right, 52, receiving, 9, anchor="end")
    y = page.lines(PAGE_W / 2, 80, wrap(title, 640, 11, True), 11, bold=True, anchor="middle")
    y = page.lines(PAGE_W / 2, y + 2, [period], 10, bold=True, anchor="middle")
    y = page.lines(PAGE_W / 2, y, [dates], 9, italic=True, anchor="middle")
    if doc.sample_line:
        y = page.lines(PAGE_W / 2, y, [doc.sample_line], 9, bold=True, anchor="middle")
    page.text(right, y + 2, unit, 8, italic=True, anchor="end")
    return y + 10


def _cell(page: Page, first: int, last: int, y: float, h: float, text: str, size: float, bold: bool) -> None:
    """A bordered cell over columns ``first``..``last`` with its text centred in it."""
    x, w = column_x(first), column_x(last + 1) - column_x(first)
    page.box(x, y, w, h)
    rows = wrap(text, w - 4, size, bold)
    start = y + h / 2 - (len(rows) - 1) * size * 0.65 + size * 0.35
    page.lines(x + w / 2, start, rows, size, bold=bold, anchor="middle")


def _header(page: Page, doc: FormDocument, y: float) -> float:
    """The table's four header rows from ``y``; returns the first body row's top."""
    h1, h2, h3, h4 = HEAD_HEIGHTS
    heads = doc.headings()
    for col in (1, 2):
        _cell(page, col, col, y, h1 + h2 + h3, heads[col], HEAD_SIZE + 1, True)
    for first, last, text in doc.groups():
        _cell(page, first, last, y, h1, text, HEAD_SIZE + 0.5, True)
        _cell(page, first, first, y + h1, h2 + h3, heads[first], HEAD_SIZE, True)
        _cell(page, first + 1, last, y + h1, h2, doc.text("f06_col_of_which"), HEAD_SIZE, True)
        for col in range(first + 1, last + 1):
            _cell(page, col, col, y + h1 + h2, h3, heads[col], HEAD_SIZE, True)
    for col in range(1, 14):
        _cell(page, col, col, y + h1 + h2 + h3, h4, f"({col})", HEAD_SIZE, False)
    return y + h1 + h2 + h3 + h4


def _row_lines(label: str, depth: int, bold: bool) -> list[str]:
    return wrap(label, COL_LABEL - 6 - 8 * depth, BODY_SIZE, bold)


def _row(page: Page, doc: FormDocument, i: int, y: float) -> float:
    """Row ``i`` of the form from ``y``; returns the next row's top."""
    row = doc.rows[i]
    labels = _row_lines(row.label, row.depth, row.bold)
    h = max(12.0, len(labels) * BODY_SIZE * 1.3 + 3)
    base = y + BODY_SIZE + 2.5
    for col in range(1, 14):
        page.box(column_x(col), y, column_x(col + 1) - column_x(col), h)
    page.text(column_x(1) + COL_NO / 2, base, row.number, BODY_SIZE, bold=row.bold, anchor="middle")
    page.lines(column_x(2) + 3 + 8 * row.depth, base, labels, BODY_SIZE, bold=row.bold)
    for n in range(3, 14):
        page.text(
            column_x(n + 1) - 3,
            base,
            fmt_int(row.column(n), doc.lang),
            BODY_SIZE,
            bold=row.bold,
            anchor="end",
        )
    return y + h


def _row_height(doc: FormDocument, i: int) -> float:
    row = doc.rows[i]
    return max(12.0, len(_row_lines(row.label, row.depth, row.bold)) * BODY_SIZE * 1.3 + 3)


def _footer_lines(doc: FormDocument) -> list[str]:
    width = PAGE_W - 2 * MARGIN
    return [line for note in doc.notes for line in wrap(note, width, BODY_SIZE)]


def _footer(page: Page, doc: FormDocument, y: float) -> None:
    """Notes, then the signature block."""
    y = page.lines(MARGIN, y + 12, [doc.text("f06_notes_title")], BODY_SIZE, bold=True)
    y = page.lines(MARGIN, y, _footer_lines(doc), BODY_SIZE)
    left, right = MARGIN + 120, PAGE_W - MARGIN - 160
    page.text(right, y + 10, doc.place_date, 8.5, italic=True, anchor="middle")
    page.text(left, y + 22, doc.text("f06_maker"), 9, bold=True, anchor="middle")
    page.text(right, y + 22, doc.text("f06_head"), 9, bold=True, anchor="middle")
    page.text(left, y + 33, doc.text("f06_sign"), 8, italic=True, anchor="middle")
    page.text(right, y + 33, doc.text("f06_sign_seal"), 8, italic=True, anchor="middle")


def _footer_height(doc: FormDocument) -> float:
    return 12 + BODY_SIZE * 1.3 * (1 + len(_footer_lines(doc))) + 90


def pages(doc: FormDocument) -> list[Page]:
    """The form's pages: rows flow from page to page under a repeated header."""
    bottom = PAGE_H - MARGIN - 10
    out = [Page()]
    y = _header(out[0], doc, _top(out[0], doc))
    for i in range(len(doc.rows)):
        if y + _row_height(doc, i) > bottom:
            out.append(Page())
            y = _header(out[-1], doc, MARGIN)
        y = _row(out[-1], doc, i, y)
    if y + _footer_height(doc) > bottom:
        out.append(Page())
        y = MARGIN
    _footer(out[-1], doc, y)
    for n, page in enumerate(out, start=1):
        page.text(PAGE_W / 2, PAGE_H - 14, doc.text("f06_page", page=n, pages=len(out)), 7, anchor="middle")
    return out


def to_pdf(doc: FormDocument) -> bytes:
    """The form as a PDF of A4 landscape pages."""
    return pages_to_pdf(pages(doc))
