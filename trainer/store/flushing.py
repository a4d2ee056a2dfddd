"""Commits that need not wait for the disk: what they write can be written again."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from trainer.store.pragmas import setting


@contextmanager
def not_flushed(conn: sqlite3.Connection) -> Iterator[None]:
    """Commit without waiting for the disk to flush the commit (`synchronous = NORMAL`).

    For writes that can be made again. A sync writes only what the deck files say: if a power
    cut takes its commit back, the next sync finds the files changed and writes it again. A
    catch-up of the text index (`text_index`) writes what the cards say: taken back, it is
    taken back whole, with the edits it caught up still queued. The write-ahead log keeps
    commits in order, so the next flushed commit (an answer, at `synchronous = FULL`) flushes
    this one too: no answer can outlive the cards it was given on.
    """
    with setting(conn, "synchronous", "NORMAL"):
        yield
