"""Vega-Lite specs written as dicts, for the charts drawn on every run of a busy screen (the wall's
intake strip every 30 seconds, up to eight monthly lines a trend run): Altair's objects cost tens
of milliseconds a chart to build and serialise, a dict about one, and the wall's first run need
not import Altair at all. ``tests/test_chart_specs.py`` checks these specs against the schema.
"""

from __future__ import annotations

import pandas as pd

from i18n.format import VEGA_NUMBER_LOCALE

#: The schema Altair writes into its specs (the Vega-Lite it bundles; a test keeps them equal).
SCHEMA_URL = "https://vega.github.io/schema/vega-lite/v6.4.1.json"
#: Altair's default view size (a chart that sets a width or height overrides it).
VIEW = {"view": {"continuousWidth": 300, "continuousHeight": 300}}
ENGLISH_NUMBER_LOCALE = {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["", ""]}


def locale(lang: str) -> dict[str, object]:
    """The Vega-Lite ``config.locale`` for ``lang`` (Vietnamese: decimal ",", thousands ".")."""
    return {"number": VEGA_NUMBER_LOCALE if lang != "en" else ENGLISH_NUMBER_LOCALE}


def records(frame: pd.DataFrame) -> list[dict[str, object]]:
    """The rows of ``frame`` as JSON-ready records (Python numbers, None for a missing value)."""
    plain = frame.astype(object).where(frame.notna(), None)
    return plain.to_dict("records")
