"""Writing many cards' recomputed scheduling states at once (after `trainer optimize` adopts
new parameters), touching only what changed.

New parameters move the memory (stability, difficulty) and so the due time; the state, step,
last review, reps and lapses come from the ratings alone and usually stay. SQLite rewrites the
entries of every index holding a column that a statement sets, whether its value changed or
not, so each card is written by the narrowest statement that covers its changes, and a card
whose stored state is already the recomputed one is not written at all. A card whose last
review is no longer the one its answers were read with was answered (or its answer undone)
after the log was read, by another trainer process: it keeps the state that answer gave it, as
writing the recomputed one would lose that answer.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

StateRow = tuple[int, int | None, float | None, float | None, int | None, int | None, int, int]
"""A card's state as its stored columns: state, step, stability, difficulty, due (ms), last
review (ms), reps, lapses."""

StateRows = Sequence[StateRow]
"""Cards' states, one row each."""

_COLUMNS = ("state", "step", "stability", "difficulty", "due", "last_review", "reps", "lapses")
_MEMORY = (2, 3, 4)
"""The places in a `StateRow` of the columns new parameters move: stability, difficulty, due."""
_SET_ALL = ", ".join(f"{name} = ?" for name in _COLUMNS)
_SET_MEMORY = ", ".join(f"{_COLUMNS[place]} = ?" for place in _MEMORY)


class StoredStates:
    """Every card's stored state, read ahead of writing (while the new states are worked
    out), and what tells whether the database changed since: `PRAGMA data_version` (another
    connection's commit) and the connection's own count of changes."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.version = _version(conn)
        self.states = _stored(conn)

    def now(self, conn: sqlite3.Connection) -> dict[int, tuple]:
        """The states as stored now (call inside the write transaction that holds SQLite's
        write lock, before it writes): those read ahead, if nothing was written since."""
        return self.states if _version(conn) == self.version else _stored(conn)


Stored = StoredStates | None
"""The stored states read ahead, if they were."""


def _version(conn: sqlite3.Connection) -> tuple[int, int]:
    return conn.execute("PRAGMA data_version").fetchone()[0], conn.total_changes


def _stored(conn: sqlite3.Connection) -> dict[int, tuple]:
    return {
        card_id: tuple(columns)
        for card_id, *columns in conn.execute(f"SELECT id, {', '.join(_COLUMNS)} FROM cards")
    }


class StateWriter:
    """Cards' states written in one transaction that holds SQLite's write lock, all at once or
    a few cards at a time (`write`, each card once): each compared with its state as stored
    when the writer was made (read now, or read ahead: `stored`)."""

    def __init__(self, conn: sqlite3.Connection, stored: StoredStates | None = None) -> None:
        self.conn = conn
        self.states = _stored(conn) if stored is None else stored.now(conn)

    def write(self, card_ids: Sequence[int], rows: Sequence[StateRow]) -> int:
        """Store these cards' states; returns how many changed. Afterwards each card's columns
        hold its row exactly, as writing every column would leave them, but for the cards
        answered since their row was worked out (see above)."""
        states = self.states
        memory_only: list[tuple[float | None, float | None, int | None, int]] = []
        every_column: list[tuple[object, ...]] = []
        for card_id, row in zip(card_ids, rows):
            before = states.get(card_id)
            if before == row or (before is not None and before[5] != row[5]):
                continue
            if before is not None and all(before[at] == row[at] for at in (0, 1, 5, 6, 7)):
                memory_only.append((row[2], row[3], row[4], card_id))
            else:
                every_column.append((*row, card_id))
        self.conn.executemany(f"UPDATE cards SET {_SET_MEMORY} WHERE id = ?", memory_only)
        self.conn.executemany(f"UPDATE cards SET {_SET_ALL} WHERE id = ?", every_column)
        return len(memory_only) + len(every_column)
