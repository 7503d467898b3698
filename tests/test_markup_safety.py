"""No text from a URL or the data is ever read as Markdown or HTML on a screen, and no cell of a
CSV or XLSX export starts a formula: a link, an image, raw HTML and a spreadsheet formula as URL
parameters and as imported unit names, on every screen that shows them and in the exports."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from data_access.engine import make_engine
from exports.cells import neutral_frame
from exports.figures import build_figure
from exports.render import to_csv, to_xlsx
from exports.request import ExportRequest
from exports.source import EngineSource
from report import run_report
from tests.builders import UNITS, build
from tests.press_seed import NOW, TARGETS, rows
from timebase.period import parse_period
from ui.markup import html_text, md

LINK = "[Dang nhap lai](http://evil.example/login)"
IMAGE = "![x](http://127.0.0.1:9/track.png)"
FORMULA = '=HYPERLINK("http://evil.example/x","bấm")'
HTML = "<img src=x onerror=alert(1)>"
NAMES = {"101": LINK, "102": IMAGE, "201": FORMULA, "100": HTML, "200": "-Huyện Hai"}
OCTOBER = parse_period("2026-10", NOW)


def _page_script(page: str) -> None:
    import importlib

    importlib.import_module(f"app_pages.{page}").render()


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('markup') / 'ioc.sqlite'}"
    units = [{**u, "name": NAMES.get(u["code"], u["name"])} for u in UNITS]
    targets = [{**TARGETS[0], "source": LINK}, *TARGETS[1:]]
    build(url, rows(), unit_rows=units, target_rows=targets, sample=True).dispose()
    return url


@pytest.fixture
def env(hostile_db: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("IOC_DATABASE_URL", hostile_db)
    monkeypatch.setenv("IOC_NOW", NOW.isoformat())
    monkeypatch.delenv("IOC_AUTH_REQUIRED", raising=False)
    return hostile_db


def _run(page: str, **params: str) -> AppTest:
    at = AppTest.from_function(_page_script, args=(page,), default_timeout=60)
    at.query_params.update(params)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _markdown_text(at: AppTest) -> str:
    """Everything the page hands to an element that interprets Markdown."""
    parts = [
        e.value for kind in ("markdown", "title", "header", "subheader", "caption") for e in at.get(kind)
    ]
    parts += [e.value for e in (*at.warning, *at.info, *at.error, *at.success)]
    parts += [f"{m.label} {m.proto.help}" for m in at.metric]
    return "\n".join(parts)


def assert_no_markup(body: str) -> None:
    """No link or image syntax, no HTML tag from the data, none of the hostile names unescaped."""
    assert "](http" not in body
    assert not re.search(r"(?<!\\)!\[", body)
    assert "<img" not in body
    for name in (LINK, IMAGE, HTML):
        assert name not in body


# --- URL parameters ---------------------------------------------------------------------


@pytest.mark.parametrize("value", [LINK, IMAGE, HTML])
def test_a_unit_parameter_is_shown_as_text_in_its_warning(env: str, value: str) -> None:
    at = _run("ranking", unit=value)
    warned = " ".join(w.value for w in at.warning)
    assert md(value) in warned  # the value as the user typed it, escaped: it reads the same
    assert_no_markup(_markdown_text(at))


def test_markdown_escaping_reads_back_as_the_same_text() -> None:
    assert md(LINK) == r"\[Dang nhap lai\]\(http\://evil\.example/login\)"
    assert md(IMAGE).startswith(r"\!\[x\]\(http\://127\.0\.0\.1")
    assert md(HTML) == "&lt;img src=x onerror=alert\\(1\\)&gt;"
    assert md("Xã Một A 98,5% 01/10/2026") == "Xã Một A 98,5% 01/10/2026"  # Vietnamese text untouched
    assert md("a\nb\u202e") == "a b\\\\u202e"  # one line; a bidi override shown as its code
    assert html_text("<b title='x'>&") == "&lt;b title=&#x27;x&#x27;&gt;&amp;"


# --- names from the data ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "params"),
    [
        ("map", {"level": "commune"}),
        ("map", {"level": "commune", "unit": "100", "period": "2026-10"}),
        ("my_unit", {"unit": "101", "period": "2026-10"}),
        ("my_unit", {"unit": "102", "period": "2026-10", "metric": "on_time_rate"}),
        ("ranking", {"level": "commune", "unit": "101", "period": "2026-10"}),
        ("online", {"level": "commune", "unit": "101", "period": "2026-10"}),
        ("satisfaction", {"level": "district", "unit": "100", "period": "2026-10"}),
        ("press", {"chart": "trend", "level": "commune", "unit": "201", "period": "2026-10"}),
        ("overview", {}),
    ],
)
def test_imported_names_are_never_markup(env: str, page: str, params: dict[str, str]) -> None:
    at = _run(page, **params)
    assert_no_markup(_markdown_text(at))


def test_my_unit_title_shows_the_name_as_text(env: str) -> None:
    at = _run("my_unit", unit="101", period="2026-10")
    assert at.title[0].value.endswith(md(LINK))
    names = {str(n) for d in at.dataframe for c in d.value.columns for n in d.value[c]}
    assert LINK in names or any(LINK in n for n in names)  # tables show the name as it is


def test_map_title_and_tooltips_keep_names_as_data(env: str) -> None:
    at = _run("map", level="commune", unit="100", period="2026-10")
    assert at.title[0].value.endswith(md(HTML))
    chart = at.get("deck_gl_json_chart")[0].proto
    # The tooltip is an HTML template whose {fields} Streamlit fills in escaped (1.67's frontend
    # escapes every value it substitutes into ``html``); the names travel as data in the layers.
    assert '"html"' in chart.tooltip and "{unit_name}" in chart.tooltip
    assert json.dumps(LINK)[1:-1] in chart.json  # commune 101, drawn on the map of district 100


# --- exports ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def source(hostile_db: str) -> EngineSource:
    return EngineSource(make_engine(hostile_db))


def _figures(source: EngineSource) -> list:
    return [
        build_figure(ExportRequest(chart, OCTOBER, level="commune", **kw), source, min_cell=0, min_dossiers=0)  # type: ignore[arg-type]
        for chart, kw in [("ranking", {}), ("channels", {}), ("map", {}), ("trend", {"unit": "201"})]
    ]


def test_csv_cells_never_start_a_formula(source: EngineSource) -> None:
    seen = set()
    for fig in _figures(source):
        cells = [c for row in csv.reader(io.StringIO(to_csv(fig).decode("utf-8-sig"))) for c in row]
        assert not [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r")], fig.chart
        seen |= {c for c in cells if FORMULA in c}
    assert any(c.startswith("'=HYPERLINK(") for c in seen), seen


def test_xlsx_has_no_formula_and_keeps_numbers(source: EngineSource) -> None:
    fig = _figures(source)[0]
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(fig)))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    hostile = [c for c in cells if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert hostile
    for cell in hostile:
        assert cell.data_type == "s"
        assert cell.value.startswith("'") or cell.quotePrefix  # shown as text, never evaluated
    assert any(c.data_type == "n" for c in cells)  # figures stay numbers


def test_neutralising_leaves_numbers_alone() -> None:
    frame = pd.DataFrame(
        {"name": ["=1+1", "-Huyện", "+84", "@x", "\tx", "Xã A"], "change": [-3, 0, 1, 2, 3, 4]}
    )
    out = neutral_frame(frame)
    assert out["name"].tolist() == ["'=1+1", "'-Huyện", "'+84", "'@x", "'\tx", "Xã A"]
    assert out["change"].tolist() == [-3, 0, 1, 2, 3, 4] and out["change"].dtype == frame["change"].dtype


def test_report_csv_neutralises_names(hostile_db: str) -> None:
    text = run_report(hostile_db, "commune", "2026-10-01", "2026-10-31", None, "csv")
    cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
    assert "'" + FORMULA in cells and FORMULA not in cells


def test_press_page_source_line_is_escaped(env: str, tmp_path: Path) -> None:
    at = _run("press", chart="ranking", level="commune", period="2026-10")
    assert_no_markup(_markdown_text(at))
