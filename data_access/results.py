"""Query results as DataFrames: the one conversion every named query ends with."""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy.engine import Result


def result_frame(result: Result[Any]) -> pd.DataFrame:
    """The rows of ``result`` as a DataFrame with its column names.

    Rows are handed to pandas as plain tuples: given SQLAlchemy ``Row`` objects, pandas probes
    each one for attributes that a Row answers by raising, which cost three times the copy.
    """
    columns = list(result.keys())
    return pd.DataFrame(list(map(tuple, result.all())), columns=columns)
