"""The provinces table: the gazetteer's 63 old units, 34 new ones and the 2025 mapping, copied from extract.places."""

from __future__ import annotations

from sqlalchemy import Connection, Engine, delete, insert, select

from extract.text import fold
from storage.database import lock_schema, write_transaction
from storage.models import Province

provinces = Province.__table__


def gazetteer_rows() -> list[dict]:
    """One row per unit of each era, with the unit it belongs to since 1 July 2025."""
    from extract.places import NEW_PROVINCES, OLD_PROVINCES  # the gazetteer loads its data on import
    return [{"era": unit.era, "name": unit.name, "folded_name": fold(unit.name), "current_name": unit.current}
            for unit in (*OLD_PROVINCES, *NEW_PROVINCES)]


def provinces_differ(connection: Connection, rows: list[dict]) -> bool:
    stored = {(row.era, row.name, row.current_name) for row in connection.execute(
        select(provinces.c.era, provinces.c.name, provinces.c.current_name))}
    return stored != {(row["era"], row["name"], row["current_name"]) for row in rows}


def sync_provinces(engine: Engine) -> None:
    """Reload the provinces table when it differs from the gazetteer (first use, or a gazetteer change)."""
    rows = gazetteer_rows()
    with engine.connect() as connection:
        if not provinces_differ(connection, rows):
            return
    with write_transaction(engine) as connection:
        lock_schema(connection)  # two processes opening a new archive load the provinces once
        if provinces_differ(connection, rows):
            connection.execute(delete(provinces))
            connection.execute(insert(provinces), rows)
