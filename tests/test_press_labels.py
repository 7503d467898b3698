"""No label of a press chart is drawn over another: each chart kind rendered to SVG in-process by
vl-convert on the press seed and on a figure built to crowd the target (values a hair under it),
text boxes measured with the shipped font (tests/svg_text.py)."""

from __future__ import annotations

import dataclasses

import altair as alt
import pandas as pd
import pytest
import vl_convert

from data_access.engine import make_engine
from exports import render
from exports.figures import Figure, build_figure
from exports.request import ExportRequest
from exports.source import EngineSource
from tests.press_seed import NOW, seed
from tests.svg_text import overlapping, text_boxes
from timebase.period import parse_period

CASES = {
    "headline": ("2026-07", {}),
    "ranking": ("2026-10", {"level": "commune"}),
    "trend": ("2026-10", {"unit": "201"}),
    "map": ("2026-10", {"level": "commune"}),
    "channels": ("2026-10", {"level": "commune"}),
    "score": ("2026-10", {"level": "district"}),
}


@pytest.fixture(scope="module")
def figures(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Figure]:
    url = seed(f"sqlite:///{tmp_path_factory.mktemp('labels') / 'press.sqlite'}")
    source = EngineSource(make_engine(url))
    return {
        chart: build_figure(ExportRequest(chart, parse_period(period, NOW), **kw), source)  # type: ignore[arg-type]
        for chart, (period, kw) in CASES.items()
    }


def _svg(fig: Figure) -> str:
    return render.to_svg(fig).decode("utf-8")


@pytest.mark.parametrize("chart", list(CASES))
def test_no_label_over_another(figures: dict[str, Figure], chart: str) -> None:
    boxes = text_boxes(_svg(figures[chart]))
    assert len(boxes) > 8  # the chart's labels were found
    assert overlapping(boxes) == []


def _crowded(trend: Figure) -> pd.DataFrame:
    """The trend's months at 97,96%, a hair under the 98% target (the first at 96% sets the
    scale): their labels sit right where a label just above the rule would."""
    values = [0.96] + [0.9796] * (len(trend.data) - 1)
    return trend.data.assign(value=values, value_text=["96,00%"] + ["97,96%"] * (len(values) - 1), note=None)


def test_target_label_clear_of_values_near_it(figures: dict[str, Figure]) -> None:
    # A trend whose last months sit just under the 98% target, and a ranking whose bars end at it:
    # the target label is beside the rule (trend) or above the plot (ranking), never on a value.
    trend = figures["trend"]
    crowded = _crowded(trend)
    boxes = text_boxes(_svg(dataclasses.replace(trend, data=crowded)))
    assert any(b.text.startswith("Mục tiêu") for b in boxes)
    assert overlapping(boxes) == []
    ranking = figures["ranking"]
    near = ranking.data.assign(value=0.979, value_text="97,90%", note=None)
    boxes = text_boxes(_svg(dataclasses.replace(ranking, data=near)))
    assert overlapping(boxes) == []


def test_the_check_sees_an_overlap() -> None:
    # Two labels at one place, as the old target label sat on the top bar's value: found.
    frame = pd.DataFrame({"x": [100, 104], "y": [20, 22], "text": ["Mục tiêu ≥ 98,0%", "97,9%"]})
    chart = alt.Chart(frame).mark_text(fontSize=11).encode(x=alt.value(100), y="y:Q", text="text:N")
    render.register_font()
    spec = chart.properties(width=200, height=60).configure(font="Be Vietnam Pro").to_dict()
    pairs = overlapping(text_boxes(vl_convert.vegalite_to_svg(spec)))
    assert ("Mục tiêu ≥ 98,0%", "97,9%") in pairs or ("97,9%", "Mục tiêu ≥ 98,0%") in pairs


def _old_placement(node: object) -> None:
    """Move the trend's target label back where it was: inside the plot, right-aligned at its
    right edge, just above the rule."""
    if isinstance(node, dict):
        mark = node.get("mark")
        if isinstance(mark, dict) and mark.get("type") == "text" and mark.get("dx") == 6:
            mark.update(align="right", baseline="bottom", dx=0, dy=-3)
        for value in node.values():
            _old_placement(value)
    elif isinstance(node, list):
        for value in node:
            _old_placement(value)


def test_old_target_placement_fails_the_check(figures: dict[str, Figure]) -> None:
    # The label inside the plot at the rule's right end, as the trend drew it before the fix: over
    # the crowded months' values, and the check finds it.
    trend = figures["trend"]
    crowded = _crowded(trend)
    fig = dataclasses.replace(trend, data=crowded)
    spec = render.chart_spec(fig)
    _old_placement(spec)
    render.register_font()
    pairs = overlapping(text_boxes(vl_convert.vegalite_to_svg(spec, **render._options(fig))))
    assert any("Mục tiêu ≥ 98,0%" in pair for pair in pairs)
