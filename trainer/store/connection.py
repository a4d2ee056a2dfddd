"""Opening the progress database: the connection's settings, and refusing a newer schema."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from trainer.store import migrations
from trainer.store.checkpoint import SAFETY_PAGES
from trainer.store.errors import StoreError
from trainer.store.pragmas import setting

BUSY_TIMEOUT_MS = 5000
"""How long to wait for another process (a second trainer) to finish writing before giving up."""
SYNCHRONOUS = "FULL"
"""Each answer's commit is flushed to the disk (fsync) before the next card is shown, so it
survives a power cut, not only a killed process; bench/durability.py measures the cost."""
WIDEST_CACHE_KIB = 64 * 1024
"""The widest page cache `wide_cache` gives (SQLite's own is about 2 MiB)."""


def _newer_message(path: str, theirs: int, ours: int) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        mine = version("trainer")
    except PackageNotFoundError:  # run from a source tree that was never installed
        mine = "(unknown version)"
    return (
        f"{path}: written by a newer trainer (database schema {theirs}; this trainer "
        f"{mine} reads schema {ours} and older): upgrade trainer to open it; "
        "nothing was changed"
    )


def connect(path: Path | str) -> sqlite3.Connection:
    """A connection to the database at `path` (made, with its folder, if missing), set up for
    the store; a database a newer trainer wrote is refused before anything is written."""
    shown = str(path)
    try:
        if shown != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(shown, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_MS)}")
        conn.execute("PRAGMA foreign_keys = ON")
        # Checked before anything is written (the journal mode is stored in the file).
        newer = migrations.newer_schema(conn)
        if newer is not None:
            conn.close()
            raise StoreError(_newer_message(shown, *newer))
        if shown != ":memory:":
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute(f"PRAGMA synchronous = {SYNCHRONOUS}")
        # Answers leave the log's copying to the store's checkpoint worker (`store.checkpoint`).
        conn.execute(f"PRAGMA wal_autocheckpoint = {SAFETY_PAGES}")
    except sqlite3.DatabaseError as error:
        raise StoreError(f"{shown}: cannot open the progress database: {error}") from None
    except OSError as error:
        raise StoreError(f"{shown}: cannot open the progress database: {error.strerror}") from None
    return conn


@contextmanager
def wide_cache(conn: sqlite3.Connection, kib: int) -> Iterator[None]:
    """Give the connection a page cache of `kib` KiB (at most `WIDEST_CACHE_KIB`) for a while,
    if its own is smaller, then its own again.

    For a sync of many cards: they are stored by their keys, which are hashes, so inserting
    1,000,000 cards puts each key at a random place of the keys' index, and with SQLite's own
    cache most of those places are read from the file again. The pages the cache held stay
    the process's memory for its next uses, so it is made as wide as the sync needs, no wider.
    """
    kib = min(kib, WIDEST_CACHE_KIB)
    (own,) = conn.execute("PRAGMA cache_size").fetchone()  # KiB if negative, else pages
    if own > 0:
        own = own * conn.execute("PRAGMA page_size").fetchone()[0] // 1024
    if kib <= abs(own):
        yield
        return
    with setting(conn, "cache_size", -kib):
        yield
