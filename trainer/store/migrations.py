"""The database schema, built and upgraded by named migrations recorded in the database.

The migrations themselves, in order, are `trainer.store.schema_changes.SCHEMA`. They are kept
as plain functions so that opening an up-to-date database (every start of the app) can check it
without loading sqlite-utils; `migrations`, the sqlite-utils `Migrations` set that applies them,
is built the first time something needs it.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Any

from trainer.store.schema_changes import SCHEMA

if TYPE_CHECKING:
    from sqlite_utils.migrations import Migrations

__all__ = ["MIGRATION_SET", "SCHEMA", "is_current", "newer_schema"]

MIGRATION_SET = "trainer"


def is_current(conn: sqlite3.Connection) -> bool:
    """Whether every migration is recorded as applied in the database behind `conn`."""
    applied = _applied(conn)
    return applied is not None and all(function.__name__ in applied for function in SCHEMA)


def newer_schema(conn: sqlite3.Connection) -> tuple[int, int] | None:
    """`(theirs, ours)` migration counts when a newer trainer has upgraded the database.

    Such a database has migrations recorded that this trainer does not know: its schema may have
    changed in ways this code would misread or damage. None when the database is not newer.
    """
    applied = _applied(conn)
    if applied is None:
        return None
    known = {function.__name__ for function in SCHEMA}
    if applied <= known:
        return None
    return len(applied), len(SCHEMA)


def __getattr__(name: str) -> Any:
    # `migrations` is built on first use: importing sqlite-utils costs about 40 ms of startup.
    if name == "migrations":
        from sqlite_utils.migrations import Migrations

        registry: Migrations = Migrations(MIGRATION_SET)
        for function in SCHEMA:
            registry()(function)
        globals()["migrations"] = registry
        return registry
    raise AttributeError(name)


def _applied(conn: sqlite3.Connection) -> set[str] | None:
    """The names of the migrations the database records as applied; None for a new database."""
    try:
        return {
            name
            for (name,) in conn.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", [MIGRATION_SET]
            )
        }
    except sqlite3.OperationalError:  # no migrations table yet
        return None
