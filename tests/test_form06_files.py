"""Biểu 06's files: the XLSX opened and read back cell by cell (header block, merged headings,
numbered column row, figures, bold totals, number formats, signature block, print settings),
the PDF's text extracted (every row's figures in Vietnamese format, the embedded font, pages),
and ``cli.py form 06`` writing both and refusing bad input with one line and status 2."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

import cli
from data_access.engine import make_engine
from exports.form06 import build_form
from exports.form06_pdf import pages, to_pdf
from exports.form06_xlsx import HEAD_ROWS, TOP_ROWS, to_xlsx
from metrics.form06 import FormRow
from tests.form06_seed import NOW, seed
from timebase.period import parse_period

SIGNED = dt.date(2026, 11, 2)


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return seed(f"sqlite:///{tmp_path_factory.mktemp('f06f') / 'three.sqlite'}")


@pytest.fixture(scope="module")
def doc(url: str):
    return build_form(make_engine(url), parse_period("2026-Q4", NOW), "unit", today=SIGNED)


def test_xlsx_read_back_cell_by_cell(doc) -> None:
    ws = openpyxl.load_workbook(io.BytesIO(to_xlsx(doc))).active
    assert ws.title == "Biểu 06"
    assert ws["A1"].value == "Biểu số 06/VPCP/KSTT" and ws["A1"].font.b
    assert ws["I1"].value == "Đơn vị báo cáo: UBND tỉnh Thử"
    assert ws["I2"].value == "Đơn vị nhận báo cáo: Văn phòng Chính phủ"
    assert ws["A4"].value.startswith("TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH")
    # Q4 2026 judged at 23/11 10:00: the quarter to date, its own dates in the header.
    assert ws["A5"].value == "Kỳ báo cáo: Quý IV năm 2026"
    assert ws["A6"].value == "(Từ ngày 01/10/2026 đến ngày 31/12/2026)"
    assert ws["I7"].value == "Đơn vị tính: Số hồ sơ TTHC"
    top = TOP_ROWS + 1  # the table's first header row
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {
        f"A{top}:A{top + 2}",
        f"B{top}:B{top + 2}",
        f"C{top}:F{top}",
        f"G{top}:J{top}",
        f"K{top}:M{top}",
    } <= merged
    assert {
        f"C{top + 1}:C{top + 2}",
        f"D{top + 1}:F{top + 1}",
        f"H{top + 1}:J{top + 1}",
        f"L{top + 1}:M{top + 1}",
    } <= merged
    assert ws.cell(top, 3).value == "Số hồ sơ nhận giải quyết"
    assert ws.cell(top, 7).value == "Số lượng hồ sơ đã giải quyết"
    assert ws.cell(top, 11).value == "Số lượng hồ sơ đang giải quyết"
    assert ws.cell(top + 1, 4).value == "Trong đó"
    assert [ws.cell(top + 2, c).value for c in (4, 5, 6, 8, 9, 10, 12, 13)] == [
        "Số mới tiếp nhận trực tuyến",
        "Số mới tiếp nhận trực tiếp hoặc qua dịch vụ bưu chính",
        "Số kỳ trước chuyển qua",
        "Trước hạn",
        "Đúng hạn",
        "Quá hạn",
        "Trong hạn",
        "Quá hạn",
    ]
    assert [ws.cell(top + 3, c).value for c in range(1, 14)] == [f"({n})" for n in range(1, 14)]
    first = top + HEAD_ROWS
    for i, row in enumerate(doc.rows):
        cells = [ws.cell(first + i, c) for c in range(1, 14)]
        assert [c.value for c in cells] == [row.number or None, row.label, *row.values], row.label
        assert all(c.font.b == row.bold for c in cells), row.label
        assert all(c.number_format == "#,##0" for c in cells[2:])
        assert all(c.border.left.style == "thin" for c in cells)
    # October's 12 and d3 (received 02/11, open within due at 23/11 10:00): 13.
    assert ws.cell(first, 2).value == "TỔNG CỘNG TOÀN TỈNH" and ws.cell(first, 3).value == 13
    end = first + len(doc.rows)
    texts = [ws.cell(r, c).value for r in range(end, ws.max_row + 1) for c in (1, 9)]
    assert "Ghi chú:" in texts and "NGƯỜI LẬP BIỂU" in texts and "THỦ TRƯỞNG CƠ QUAN" in texts
    assert "Thử, ngày 2 tháng 11 năm 2026" in texts
    assert "(Ký, đóng dấu, ghi rõ họ tên)" in texts
    assert any(t and "rút sau khi đã tiếp nhận" in t for t in texts)  # how withdrawals count
    assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == str(ws.PAPERSIZE_A4)
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.print_title_rows == f"${top}:${top + HEAD_ROWS - 1}"  # repeated on every printed page


def _numbers(row: FormRow) -> str:
    return " ".join(str(v) for v in row.values)


def test_pdf_text_fonts_and_pages(doc) -> None:
    reader = PdfReader(io.BytesIO(to_pdf(doc)))
    assert len(reader.pages) == 1
    page = reader.pages[0]
    assert [round(float(x)) for x in page.mediabox] == [0, 0, 842, 595]  # A4 landscape, points
    text = page.extract_text()
    lines = (
        "Biểu số 06/VPCP/KSTT",
        "Kỳ báo cáo: Quý IV năm 2026",
        "(Từ ngày 01/10/2026 đến ngày 31/12/2026)",
        "NGƯỜI LẬP BIỂU",
        "THỦ TRƯỞNG CƠ QUAN",
        "Thử, ngày 2 tháng 11 năm 2026",
        "Trang 1/1",
    )
    for line in lines:
        assert line in text, line
    for row in doc.rows:  # every row's label and its eleven figures, in order
        assert f"{row.label} {_numbers(row)}" in text, row.label
    fonts = [f.get_object() for f in page["/Resources"]["/Font"].values()]
    assert all("BeVietnamPro" in str(f["/BaseFont"]) for f in fonts)
    assert all("/FontFile2" in f["/DescendantFonts"][0].get_object()["/FontDescriptor"] for f in fonts)


def test_pdf_rows_flow_over_pages_under_a_repeated_header(doc) -> None:
    many = tuple(
        FormRow(str(i), f"Xã số {i}", (1234, 1000, 200, 34, 1200, 1000, 150, 50, 34, 30, 4))
        for i in range(90)
    )
    long = type(doc)(**{**doc.__dict__, "rows": many})
    reader = PdfReader(io.BytesIO(to_pdf(long)))
    assert len(reader.pages) == len(pages(long)) >= 3
    texts = [p.extract_text() for p in reader.pages]
    with_rows = [t for t in texts if "Xã số" in t]
    assert len(with_rows) >= 3
    assert all("(1) (2) (3)" in t and "Số hồ sơ nhận giải quyết" in t for t in with_rows)
    assert "Xã số 89 1.234 1.000 200 34 1.200 1.000 150 50 34 30 4" in " ".join(texts)  # 1.234: vi format
    assert "THỦ TRƯỞNG CƠ QUAN" in texts[-1] and f"Trang {len(texts)}/{len(texts)}" in texts[-1]


def test_cli_writes_both_files(url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["form", "06", "--period", "2026-10", "--by", "field", "--database", url, "--out", str(tmp_path)]
    assert cli.main([*args, "--format", "all"]) == 0
    out = capsys.readouterr().out
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["bieu06_field_20261001-20261031.pdf", "bieu06_field_20261001-20261031.xlsx"]
    assert out.count(str(tmp_path)) == 2
    ws = openpyxl.load_workbook(tmp_path / names[1]).active
    assert ws.cell(TOP_ROWS + 1 + HEAD_ROWS, 3).value == 12  # the province total, as by unit


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--period", "2026-13"], "is not a period"),
        (["--period", "2026-H3"], "is not a half year"),
        (["--period", "2026-10", "--level", "agency"], "Không có cấp 'agency'"),
    ],
)
def test_cli_refuses_bad_input(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    assert cli.main(["form", "06", "--database", url, "--out", str(tmp_path), *extra]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err and "Traceback" not in err
    assert not list(tmp_path.iterdir())


def test_cli_unreadable_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = f"sqlite:///{tmp_path / 'none' / 'x.sqlite'}"
    assert cli.main(["form", "06", "--period", "2026-10", "--database", missing, "--out", str(tmp_path)]) == 2
    assert "error:" in capsys.readouterr().err
