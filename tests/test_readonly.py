"""The dashboard's connection cannot write: an attempted write through it fails, on every backend,
and the database is unchanged."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import DBAPIError

from data_access.engine import make_engine
from data_access.schema import dossiers, meta
from tests.builders import T, build, dossier


def test_dashboard_engine_cannot_write(any_url: str) -> None:
    writer = build(any_url, [dossier("a", "101", T(2026, 10, 5, 9), T(2026, 10, 8, 17))])
    writer.dispose()
    reader = make_engine(any_url)
    try:
        with pytest.raises(DBAPIError) as err, reader.begin() as conn:
            conn.execute(insert(meta).values(key="intruder", value="x"))
        assert "read" in str(err.value).lower()  # "readonly" / "read-only transaction"
        with pytest.raises(DBAPIError), reader.begin() as conn:
            conn.execute(delete(dossiers))
        with reader.connect() as conn:
            assert conn.execute(select(func.count()).select_from(dossiers)).scalar() == 1
            assert conn.execute(select(func.count()).where(meta.c.key == "intruder")).scalar() == 0
    finally:
        reader.dispose()
