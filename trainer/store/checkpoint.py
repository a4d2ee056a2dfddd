"""Copying the write-ahead log into the database in the background, not during an answer.

SQLite's automatic checkpoint runs inside the commit that crosses its threshold: about one
answer in seventy paid 5-15 ms for copying the log and its fsyncs. Here the store's own
connection never checkpoints below a high safety threshold; after each write it nudges a thread
that runs a passive checkpoint on a connection of its own. A passive checkpoint takes no lock
that a writer waits for, so answers go on being committed while it copies. Durability is
unchanged: a commit is as safe as before (the log is the same), only the copying moved.

The log file is also given its room early (`make_room`). SQLite writes the log from its start
again once it has been copied whole, so after a round the file is only overwritten; but until
the first round's end each commit makes it longer, and flushing a file that grew costs the file
system a journal entry of its own: a session's first 200 answers each took about 0.2 ms more.
At a session's 20th answer the file is made as long as a round needs, of zeros.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading

SAFETY_PAGES = 16_000
"""The store connection's own automatic checkpoint, should the worker fall behind (64 MB)."""
EVERY_PAGES = 2_000
"""How many log pages a passive checkpoint waits for (about 8 MB, about 200 answers). Each
round ends with one answer that copies the last few pages itself and flushes the database
(`wrote`, a few milliseconds): at one answer in 200 that stays out of the 99th percentile,
where at 500 pages (one in 50) it was the 99th percentile."""


class Checkpointer:
    """A daemon thread that checkpoints the database at `path` when nudged."""

    def __init__(self, path: str) -> None:
        self._path = path
        self._wake = threading.Event()
        self._stop = False
        self._writes = 0
        self._copied = False
        """Set by the thread once it copied the log (a plain attribute: read after every answer)."""
        self._small_writes = 0
        self._thread = threading.Thread(target=self._run, name="wal-checkpoint", daemon=True)
        self._thread.start()

    def wrote(self, conn: sqlite3.Connection, pages: int = 1) -> None:
        """Note a committed write of about `pages` pages on `conn` (the writer's); wake the
        thread past the threshold.

        Once the thread has copied the log, first copy on `conn` what was committed meanwhile,
        a few answers' worth, so the log is copied whole and the next commit starts it over at
        its beginning. A log that is never copied whole only grows while answers keep coming
        faster than a checkpoint, and flushing a growing file costs about ten times flushing
        blocks it already has. Passive: if anything is in the way (the thread, another process)
        it waits for the next time instead of blocking.
        """
        if self._copied:
            self._copied = False
            with contextlib.suppress(sqlite3.Error):
                conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        if pages < EVERY_PAGES and self._small_writes < ROOM_AFTER:
            self._small_writes += 1
            if self._small_writes == ROOM_AFTER:
                self._give_room()
        self._writes += pages
        if self._writes >= EVERY_PAGES:
            self._writes = 0
            self._wake.set()

    def _give_room(self) -> None:
        """`make_room`, here, by the writer (`Store._wrote`, under the store's lock), between two
        of its writes: a few milliseconds, once. Taken by the thread, the write lock would make
        a transaction of the store that read before it writes fail at once."""
        with contextlib.suppress(sqlite3.Error, OSError):  # busy: the log grows as it would
            conn = sqlite3.connect(self._path, timeout=0)
            try:
                make_room(conn, self._path)
            finally:
                conn.close()

    def checkpoint_now(self) -> None:
        """Ask for a checkpoint without waiting for the threshold."""
        self._wake.set()

    def close(self) -> None:
        """Stop the thread, letting a checkpoint under way finish."""
        self._stop = True
        self._wake.set()
        self._thread.join()

    def _run(self) -> None:
        conn: sqlite3.Connection | None = None
        try:
            while True:
                self._wake.wait()
                self._wake.clear()
                if self._stop:
                    return
                if conn is None:
                    conn = sqlite3.connect(self._path, timeout=0, check_same_thread=False)
                # Busy or unreadable now: the next nudge tries again, and the store's own safety
                # checkpoint bounds the log meanwhile.
                with contextlib.suppress(sqlite3.Error):
                    busy, _, _ = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                    if not busy:
                        self._copied = True
        finally:
            if conn is not None:
                conn.close()


ROOM_AFTER = 20
"""The small writes (answers) of a session after which the log file is given its room
(`make_room`): a session of a few answers, or a command that writes once, never pays for it.
A large write (a sync) has the log copied at once, and its growing costs little beside it."""
ROOM_CHUNK = 1 << 20
"""The zeros written at a time when the log file is given its room."""


def make_room(conn: sqlite3.Connection, path: str) -> None:
    """Make the write-ahead log file of the database at `path` as long as a round of answers
    writes (`EVERY_PAGES` and a quarter more), of zeros, if it is shorter.

    SQLite reads the log only as far as the last commit written over it with its current salt:
    what lies beyond is ignored, as the frames of the log's earlier rounds are. The zeros are
    written under the write lock (`BEGIN IMMEDIATE` on `conn`), so no frame is being written
    past the file's end meanwhile (none is waited for: `conn`'s own busy timeout), and they are
    flushed before the lock is let go, so no answer's flush carries them."""
    (mode,) = conn.execute("PRAGMA journal_mode").fetchone()
    if mode != "wal":
        return
    (page_size,) = conn.execute("PRAGMA page_size").fetchone()
    frames = min(EVERY_PAGES * 5 // 4, SAFETY_PAGES)  # past the safety checkpoint: never used
    size = 32 + frames * (24 + page_size)  # the header, then the frames
    conn.execute("BEGIN IMMEDIATE")
    try:
        with open(f"{path}-wal", "r+b") as log:
            have = log.seek(0, os.SEEK_END)
            if have >= size:
                return
            while have < size:
                have += log.write(bytes(min(ROOM_CHUNK, size - have)))
            log.flush()
            os.fdatasync(log.fileno())
    finally:
        conn.rollback()
