"""Setting cards aside and marking them: suspend, bury, flag, leeches and resetting progress.

All of it lives in the database, never in the deck files, so decks stay clean for version
control. A buried card has `suspended = 2` and a `buried_until` time (see migration m009), so
every query that studies only `suspended = 0` cards leaves buried cards out through the same
indexes; `unbury_expired` brings them back once the study day has rolled over.

The functions take anything shaped like `Store` (a connection, `reading()` and `transaction()`),
so that `Store` itself can call `mark_leech` without an import cycle.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from typing import Any, Protocol

from trainer.core.progress import study_day_start, to_millis

SUSPENDED = 1
BURIED = 2
LEECH_LAPSES = 8
"""Anki's default: a card forgotten this many times is a leech."""


class CardStore(Protocol):
    """What these functions need of `trainer.store.store.Store`."""

    conn: sqlite3.Connection

    def reading(self) -> AbstractContextManager[sqlite3.Connection]: ...

    def transaction(self) -> AbstractContextManager[Any]: ...


def _chunks(ids: Sequence[int]) -> Iterator[tuple[str, list[int]]]:
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        yield ",".join("?" * len(chunk)), chunk


def _update(store: CardStore, assignment: str, where: str, ids: Sequence[int], *args: Any) -> int:
    """Run `UPDATE cards SET assignment WHERE where AND id IN ids` in one transaction."""
    changed = 0
    with store.transaction():
        for marks, chunk in _chunks(ids):
            cursor = store.conn.execute(
                f"UPDATE cards SET {assignment} WHERE ({where}) AND id IN ({marks})",
                [*args, *chunk],
            )
            changed += cursor.rowcount
    return changed


def suspend(store: CardStore, ids: Sequence[int]) -> int:
    """Keep these cards out of study until unsuspended; returns how many changed."""
    return _update(
        store, "suspended = 1, buried_until = NULL", "suspended != 1 AND retired = 0", ids
    )


def unsuspend(store: CardStore, ids: Sequence[int]) -> int:
    """Return suspended (or buried) cards to study; returns how many changed."""
    return _update(store, "suspended = 0, buried_until = NULL", "suspended != 0", ids)


def bury(store: CardStore, ids: Sequence[int], now: datetime) -> int:
    """Keep these cards out of study until the next study day; suspended cards stay suspended."""
    until = to_millis(study_day_start(now) + timedelta(days=1))
    return _update(
        store, "suspended = 2, buried_until = ?", "suspended = 0 AND retired = 0", ids, until
    )


def set_flag(store: CardStore, ids: Sequence[int], color: int) -> int:
    """Flag these cards with colour 1-4 (0 takes the flag off); returns how many changed."""
    if not 0 <= color <= 4:
        raise ValueError(f"flag colour {color} is not 0-4")
    return _update(store, "flag = ?", "flag != ?", ids, color, color)


def forget(store: CardStore, ids: Sequence[int]) -> int:
    """Make these cards new again (as Anki's Forget); their review history is kept.

    The leech mark goes too, and a suspended leech returns to study: the learner starts over.
    """
    return _update(
        store,
        "state = 0, step = NULL, stability = NULL, difficulty = NULL, due = NULL, "
        "last_review = NULL, reps = 0, lapses = 0, leech = 0, "
        "suspended = CASE WHEN leech = 1 THEN 0 ELSE suspended END",
        "state != 0 OR reps != 0 OR leech != 0",
        ids,
    )


def unbury_expired(conn: sqlite3.Connection, now: datetime) -> None:
    """Return buried cards whose study day is over (commits; a no-op costs one index probe)."""
    now_ms = to_millis(now)
    # Look before writing: the deck list is read on every start, and a write would wait for
    # another trainer process holding the database.
    if conn.execute(
        "SELECT 1 FROM cards WHERE suspended = 2 AND buried_until <= ? LIMIT 1", [now_ms]
    ).fetchone():
        with conn:
            conn.execute(
                "UPDATE cards SET suspended = 0, buried_until = NULL "
                "WHERE suspended = 2 AND buried_until <= ?",
                [now_ms],
            )


def is_leech_lapse(lapses: int, threshold: int) -> bool:
    """Whether reaching `lapses` makes a card a leech: at the threshold, then every half of it
    again (as Anki: 8, 12, 16...), so a leech the learner unsuspended is caught again."""
    if threshold <= 0 or lapses < threshold:
        return False
    return (lapses - threshold) % max(1, threshold // 2) == 0


def mark_leech(conn: sqlite3.Connection, card_id: int) -> None:
    """Tag a card leech and suspend it (call inside the answer's transaction)."""
    conn.execute(
        "UPDATE cards SET leech = 1, suspended = 1, buried_until = NULL WHERE id = ?", [card_id]
    )


def unmark_leech(conn: sqlite3.Connection, card_id: int, lapses: int) -> None:
    """Undo what `mark_leech` did, when the lapse being undone (the card's `lapses`-th) is the
    one that made it a leech (call inside the undo's transaction)."""
    from trainer.store.rows import schedule_from_settings

    row = conn.execute(
        "SELECT c.leech, c.suspended, d.settings FROM cards c JOIN decks d ON d.id = c.deck_id "
        "WHERE c.id = ?",
        [card_id],
    ).fetchone()
    if row is None or not row[0] or row[1] != SUSPENDED:
        return

    threshold = schedule_from_settings(json.loads(row[2])).leech_lapses
    if is_leech_lapse(lapses, threshold):
        # A leech caught again after an unsuspend keeps its mark; a first one loses it.
        again = lapses > threshold
        conn.execute(
            "UPDATE cards SET leech = ?, suspended = 0 WHERE id = ?", [int(again), card_id]
        )


def is_leech(store: CardStore, card_id: int) -> bool:
    """Whether the card is tagged leech and suspended (as an answer that made it a leech leaves it)."""
    with store.reading() as conn:
        row = conn.execute("SELECT leech, suspended FROM cards WHERE id = ?", [card_id]).fetchone()
    return bool(row and row[0] and row[1] == SUSPENDED)
