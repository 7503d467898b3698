"""The map's share of the cache seam: unit boundaries from the GeoJSON file a deployment supplies.

The file is read once per (path, modification time) and kept in ``st.cache_data``; replacing the
file on disk is picked up at the next run without a restart.
"""

from __future__ import annotations

from pathlib import Path

import settings
from data_access.queries import ShapeFileError, UnitShapes, load_unit_shapes
from ui import data


@data.cached("hourly", 4)
def _shapes(path: str, mtime: float) -> UnitShapes:
    return load_unit_shapes(path)


def unit_shapes() -> UnitShapes | None:
    """The configured boundaries (IOC_GEOJSON_PATH), or None when none is configured.

    Raises :class:`data_access.geo.ShapeFileError` when the file is configured but unusable.
    """
    path = str(settings.get("IOC_GEOJSON_PATH")).strip()
    if not path:
        return None
    try:
        mtime = Path(path).stat().st_mtime
    except OSError as exc:
        raise ShapeFileError(f"{path}: {exc.strerror or exc}") from exc
    return _shapes(path, mtime)
