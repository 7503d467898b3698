"""Spreadsheet cells that cannot start a formula (CSV and formula injection, OWASP).

A unit or procedure name such as ``=HYPERLINK("http://evil.example/x","bấm")`` comes from the
imported data; written as it is, a spreadsheet opening the CSV or XLSX runs it as a formula. Text
that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is neutralised as OWASP
and the spreadsheet makers advise: in CSV a single quote goes before it (``'=HYPERLINK(…)``); in
XLSX the cell is written as a string, marked "quote prefix" (what Excel itself records when one
types ``'=…``), so it shows exactly the name and is never evaluated. Numbers stay numbers: a
negative number is a number, not text starting with '-'.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

#: The first characters that make a spreadsheet read a text cell as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def starts_formula(value: object) -> bool:
    """True for text a spreadsheet would read as a formula (never for a number)."""
    return isinstance(value, str) and value.startswith(FORMULA_START)


def neutral_text(value: Any) -> Any:
    """``value`` with a single quote before it if it is text that would start a formula."""
    return f"'{value}" if starts_formula(value) else value


def neutral_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell and column name passed through :func:`neutral_text`."""
    out = frame.rename(columns=neutral_text)
    for column in out.columns:
        if not pd.api.types.is_numeric_dtype(out[column]):
            out[column] = out[column].map(neutral_text)
    return out
