"""Agencies that move to another unit on a re-import, and their dossiers.

A dossier counts for the unit of the agency that handles it (docs/rules.md §A), stored as
``dossiers.unit_code`` when written. When an import moves an agency that already has dossiers to
another unit (allowed only with ``--allow-moves``), those rows must follow it; the summaries,
which add them up by unit, must then be rebuilt (the change-log triggers record the update, so
``python cli.py refresh`` absorbs it; ``--rebuild`` on engines without triggers).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from data_access.import_rules import Move
from data_access.schema import dossiers


def agencies_with_dossiers(conn: Connection, codes: Iterable[str]) -> set[str]:
    """Which of ``codes`` have at least one dossier (one short look-up each: moves are rare)."""
    d = dossiers.c
    return {
        code
        for code in codes
        if conn.execute(select(d.dossier_code).where(d.agency_code == code).limit(1)).first() is not None
    }


def reattribute(conn: Connection, moves: Iterable[Move]) -> int:
    """Give each moved agency's dossiers its new unit; returns the rows updated."""
    changed = 0
    for move in moves:
        stmt = update(dossiers).where(dossiers.c.agency_code == move.agency_code)
        changed += conn.execute(stmt.values(unit_code=move.new_unit)).rowcount or 0
    return changed
