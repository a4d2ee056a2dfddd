"""Running a migration's SQL statements one by one, inside its transaction."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database


def run_statements(db: Database, script: str) -> None:
    """Run each statement of `script` inside the migration's transaction.

    `sqlite3.executescript` would commit first, so a failed migration could leave half a schema.
    """
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            db.execute(statement)
            statement = ""
    if statement.strip():
        db.execute(statement)
