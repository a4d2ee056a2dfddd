"""A connection's setting changed for a while (`flushing.not_flushed`, `connection.wide_cache`)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def setting(conn: sqlite3.Connection, pragma: str, value: str | int) -> Iterator[None]:
    """Set one of the connection's pragmas for a while, then back to what it was."""
    (before,) = conn.execute(f"PRAGMA {pragma}").fetchone()
    conn.execute(f"PRAGMA {pragma} = {value}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA {pragma} = {before}")
