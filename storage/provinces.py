"""The provinces table: the gazetteer's 63 old units, 34 new ones and the 2025 mapping, copied from extract.places."""

from __future__ import annotations

import logging

from sqlalchemy import Connection, delete, insert, select

from extract.text import fold
from storage.models import Province

log = logging.getLogger(__name__)
provinces = Province.__table__


def gazetteer_rows() -> list[dict]:
    """One row per unit of each era, with the unit it belongs to since 1 July 2025."""
    from extract import places  # imported here: the gazetteer is large and only needed when (re)loading
    rows = []
    for era, names in (("old", places.OLD_PROVINCES), ("new", places.NEW_PROVINCES)):
        for name in names:
            rows.append({"era": era, "name": name, "folded_name": fold(name),
                         "current_name": name if era == "new" else places.current_unit(name)})
    return rows


def sync_provinces(connection: Connection) -> None:
    """Reload the provinces table when it differs from the gazetteer (first use, or a gazetteer change)."""
    try:
        rows = gazetteer_rows()
    except ImportError as error:
        log.warning("provinces not loaded: the gazetteer is not available (%s)", error)
        return
    stored = {(row.era, row.name, row.current_name) for row in connection.execute(
        select(provinces.c.era, provinces.c.name, provinces.c.current_name))}
    if stored == {(row["era"], row["name"], row["current_name"]) for row in rows}:
        return
    connection.execute(delete(provinces))
    connection.execute(insert(provinces), rows)
