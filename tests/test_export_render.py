"""Press exports, file side: every chart in every format is produced offline and opens (PNG at 2×
the SVG's size, a one-page PDF with its title extractable and Be Vietnam Pro embedded, SVG with
the Vietnamese title as text, CSV with a BOM, XLSX with number formats), numbers come out in the
Vietnamese way, and a rasterised title matches the same text drawn by Pillow with the shipped font
while boxes (tofu), fallback glyphs or another font fail the same comparison."""

from __future__ import annotations

import dataclasses
import io
import itertools
import re

import numpy as np
import openpyxl
import pandas as pd
import pytest
import vl_convert
from PIL import Image, ImageDraw, ImageFilter, ImageFont
from pypdf import PdfReader

from data_access.engine import make_engine
from exports import render
from exports.figures import Figure, build_figure
from exports.request import ExportRequest
from exports.source import EngineSource
from exports.style import TITLE_FONT_FILE, TITLE_SIZE, config
from tests.press_seed import NOW, seed
from timebase.period import parse_period

CHARTS = ("headline", "ranking", "trend", "map", "channels")
OPTIONS = {"ranking": {"level": "district"}, "trend": {"unit": "100"}, "map": {"level": "commune"}}


@pytest.fixture(scope="module")
def figures(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Figure]:
    url = seed(f"sqlite:///{tmp_path_factory.mktemp('render') / 'press.sqlite'}")
    source = EngineSource(make_engine(url))
    period = parse_period("2026-10", NOW)
    return {
        chart: build_figure(ExportRequest(chart, period, **OPTIONS.get(chart, {})), source, min_cell=5)  # type: ignore[arg-type]
        for chart in CHARTS
    }


def _svg_size(svg: str) -> tuple[int, int]:
    width, height = re.search(r'<svg[^>]* width="([\d.]+)" height="([\d.]+)"', svg).groups()  # type: ignore[union-attr]
    return round(float(width)), round(float(height))


@pytest.mark.parametrize("chart", CHARTS)
def test_png_and_svg(figures: dict[str, Figure], chart: str) -> None:
    fig = figures[chart]
    svg = render.render(fig, "svg").decode("utf-8")
    # The title and the sample label are text in the SVG (a reader with the font sees them as set).
    assert f">{fig.title}</text>" in svg
    assert "Dữ liệu mẫu" in svg
    png = Image.open(io.BytesIO(render.render(fig, "png")))
    png.load()
    width, height = _svg_size(svg)
    assert png.format == "PNG"
    assert png.size == (2 * width, 2 * height)  # 2× for print


@pytest.mark.parametrize("chart", CHARTS)
def test_pdf_one_page_title_and_embedded_font(figures: dict[str, Figure], chart: str) -> None:
    fig = figures[chart]
    reader = PdfReader(io.BytesIO(render.render(fig, "pdf")))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert fig.title in text
    assert "Nguồn: Hệ thống thông tin giải quyết TTHC tỉnh Thử" in text
    fonts = reader.pages[0]["/Resources"]["/Font"]
    embedded = []
    for ref in fonts.values():
        font = ref.get_object()
        descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        descriptor = descendant["/FontDescriptor"].get_object()
        if "/FontFile2" in descriptor:
            embedded.append(str(font["/BaseFont"]))
    assert embedded and all("BeVietnamPro" in name for name in embedded)


def test_numbers_are_vietnamese_in_the_rendered_chart(figures: dict[str, Figure]) -> None:
    svg = render.render(figures["ranking"], "svg").decode("utf-8")
    # District 100: 16/19 = 84,2%; district 200: 100,0%; target 98,0%.
    assert ">84,2%</text>" in svg and ">100,0%</text>" in svg and "98,0%" in svg
    assert "84.2%" not in svg
    # Commune 102 (4 dossiers) is drawn as suppressed on the map, with no value of its own.
    assert ">ẩn</text>" in render.render(figures["map"], "svg").decode("utf-8")
    headline = render.render(figures["headline"], "svg").decode("utf-8")
    assert ">93,6%</text>" in headline and ">68,1%</text>" in headline  # 44/47 and 32/47


def test_locale_groups_thousands_and_names_months() -> None:
    frame = pd.DataFrame({"day": ["2026-10-15"], "n": [1234567.5]})
    spec = {
        "data": {"values": frame.to_dict("records")},
        "mark": "text",
        "encoding": {
            "text": {"field": "n", "type": "quantitative", "format": ",.1f"},
            "x": {"field": "day", "type": "temporal", "axis": {"format": "%B %Y"}},
        },
        "config": config("vi"),
    }
    svg = vl_convert.vegalite_to_svg(spec)
    assert ">1.234.567,5</text>" in svg
    assert "Tháng mười 2026" in svg


@pytest.mark.parametrize("chart", CHARTS)
def test_csv_and_xlsx_hold_the_table(figures: dict[str, Figure], chart: str) -> None:
    fig = figures[chart]
    csv = render.render(fig, "csv")
    assert csv.startswith(b"\xef\xbb\xbf")
    read = pd.read_csv(io.BytesIO(csv), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(read.columns) == list(fig.table.columns)
    assert len(read) == len(fig.table)
    book = openpyxl.load_workbook(io.BytesIO(render.render(fig, "xlsx")))
    assert book.sheetnames == ["Dữ liệu", "Ghi chú"]
    sheet = book["Dữ liệu"]
    assert [c.value for c in sheet[1]] == list(fig.table.columns)
    notes = [row[0].value for row in book["Ghi chú"].iter_rows()]
    assert notes[0] == fig.title and fig.source_line in notes


def test_xlsx_numbers_are_numbers_and_hidden_cells_text(figures: dict[str, Figure]) -> None:
    sheet = openpyxl.load_workbook(io.BytesIO(render.render(figures["map"], "xlsx")))["Dữ liệu"]
    rows = {r[1].value: r for r in sheet.iter_rows(min_row=2)}
    rate = rows["201"][4]
    assert rate.value == pytest.approx(1.0) and rate.number_format == "0.0%"  # 98,5% in a Vietnamese Excel
    assert rows["102"][3].value == "<5" and rows["102"][4].value == "ẩn"


def test_vl_convert_is_told_to_fetch_nothing(figures: dict[str, Figure]) -> None:
    spec = {"data": {"url": "https://example.com/data.csv"}, "mark": "point"}
    with pytest.raises(ValueError, match="not allowed"):
        vl_convert.vegalite_to_svg(spec, **render._options(figures["ranking"]))


# --- the title renders in the shipped font: no boxes, no fallback glyphs ----------------------------

TITLE = "Tỷ lệ hồ sơ đúng hạn — Huyện Lộc Ninh, tháng 10/2026"
SCALE = render.PNG_SCALE
INK = 160  # a pixel darker than this is ink
STRIPS = 24  # the title is compared strip by strip: one wrong glyph spoils its strip
MATCH = 0.88  # worst strip of the true title ≈ 0.94; a strip with one box or fallback glyph ≤ 0.57


def _ink_box(gray: np.ndarray) -> np.ndarray:
    mask = gray < INK
    ys, xs = np.where(mask.any(axis=1))[0], np.where(mask.any(axis=0))[0]
    return gray[ys[0] : ys[-1] + 1, xs[0] : xs[-1] + 1]


def _drawn(text: str, font: ImageFont.FreeTypeFont | ImageFont.ImageFont) -> np.ndarray:
    """``text`` drawn by Pillow, cropped to its ink."""
    canvas = Image.new("L", (4000, 300), 255)
    ImageDraw.Draw(canvas).text((50, 100), text, font=font, fill=0)
    return _ink_box(np.asarray(canvas))


def _title_of(png: bytes, height: int) -> np.ndarray:
    """The first line of ink at the top of a rendered chart (its title), ``height`` rows tall."""
    gray = np.asarray(Image.open(io.BytesIO(png)).convert("L"))
    top = int(np.where((gray < INK).any(axis=1))[0][0])
    return _ink_box(gray[top : top + height])


def _similar(candidate: np.ndarray, reference: np.ndarray) -> bool:
    """Same ink box (±3% high, ±2% wide) and every vertical strip correlates ≥ :data:`MATCH`."""
    h, w = reference.shape
    if abs(candidate.shape[0] / h - 1) > 0.03 or abs(candidate.shape[1] / w - 1) > 0.02:
        return False
    blur = ImageFilter.GaussianBlur(1.5)
    a = np.asarray(Image.fromarray(candidate).resize((w, h), Image.BILINEAR).filter(blur), dtype=float)
    b = np.asarray(Image.fromarray(reference).filter(blur), dtype=float)
    edges = np.linspace(0, w, STRIPS + 1).astype(int)
    for lo, hi in itertools.pairwise(edges):
        x, y = a[:, lo:hi] - a[:, lo:hi].mean(), b[:, lo:hi] - b[:, lo:hi].mean()
        if (x * y).sum() / np.sqrt((x * x).sum() * (y * y).sum()) < MATCH:
            return False
    return True


@pytest.fixture(scope="module")
def reference() -> np.ndarray:
    return _drawn(TITLE, ImageFont.truetype(str(TITLE_FONT_FILE), TITLE_SIZE * SCALE))


def _trend_with_title(figures: dict[str, Figure]) -> Figure:
    return dataclasses.replace(figures["trend"], title=TITLE)


def test_title_renders_in_the_shipped_font(figures: dict[str, Figure], reference: np.ndarray) -> None:
    png = render.render(_trend_with_title(figures), "png")
    assert _similar(_title_of(png, reference.shape[0]), reference)


def test_another_font_fails_the_comparison(
    figures: dict[str, Figure], reference: np.ndarray, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The same pipeline with the chart font set to a family that is not the shipped one.
    original = render.chart_spec

    def other_font(fig: Figure) -> dict[str, object]:
        spec = original(fig)
        spec["config"] = {**spec["config"], "font": "DejaVu Serif"}
        spec["config"]["title"] = {**spec["config"]["title"], "font": "DejaVu Serif"}
        return spec

    monkeypatch.setattr(render, "chart_spec", other_font)
    png = render.render(_trend_with_title(figures), "png")
    assert not _similar(_title_of(png, reference.shape[0]), reference)


@pytest.mark.parametrize("letter", ["ỷ", "ệ", "ồ", "ơ", "đ", "ú", "ạ", "ộ", "á"])
def test_a_single_box_fails_the_comparison(reference: np.ndarray, letter: str) -> None:
    # A code point the font lacks draws its .notdef box ("tofu") where the Vietnamese letter was.
    boxed = _drawn(
        TITLE.replace(letter, "\u4e00", 1), ImageFont.truetype(str(TITLE_FONT_FILE), TITLE_SIZE * SCALE)
    )
    assert not _similar(boxed, reference)


def test_fallback_glyphs_fail_the_comparison(reference: np.ndarray) -> None:
    # Every letter outside ASCII drawn in another font (Pillow's own), the rest in the shipped one.
    shipped = ImageFont.truetype(str(TITLE_FONT_FILE), TITLE_SIZE * SCALE)
    fallback = ImageFont.load_default(TITLE_SIZE * SCALE)
    canvas = Image.new("L", (4000, 300), 255)
    draw, x = ImageDraw.Draw(canvas), 50.0
    for char in TITLE:
        font = shipped if char.isascii() else fallback
        draw.text((x, 100), char, font=font, fill=0)
        x += font.getlength(char)
    assert not _similar(_ink_box(np.asarray(canvas)), reference)
    # … and with no diacritics at all (a font that drops them) the ink box is already too short.
    plain = "Ty le ho so dung han — Huyen Loc Ninh, thang 10/2026"
    assert not _similar(_drawn(plain, shipped), reference)
