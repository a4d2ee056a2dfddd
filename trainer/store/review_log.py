"""Writing an answer: the review log's row, and the card's new scheduling state.

Both are called inside a transaction of the store; the log only ever grows (see the
migrations' triggers).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import datetime

from trainer.core.progress import Progress, to_millis


def append_review(
    conn: sqlite3.Connection,
    card_id: int,
    rating: int | None,
    now: datetime,
    duration_ms: int,
    mode: str,
    before: Progress,
    parameters_id: int | None,
    undoes: int | None = None,
) -> int:
    """Append one row to the review log with the card's state before it; its id."""
    cursor = conn.execute(
        """
        INSERT INTO reviews (card_id, rating, reviewed_at, duration_ms, mode, undoes,
            state_before, step_before, stability_before, difficulty_before, due_before,
            last_review_before, parameters_id)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        [
            card_id,
            rating,
            to_millis(now),
            duration_ms,
            mode,
            undoes,
            int(before.state),
            before.step,
            before.stability,
            before.difficulty,
            to_millis(before.due),
            to_millis(before.last_review),
            parameters_id,
        ],
    )
    assert cursor.lastrowid is not None  # an INSERT always sets it
    return cursor.lastrowid


_WRITE_PROGRESS = """
    UPDATE cards SET state = ?, step = ?, stability = ?, difficulty = ?, due = ?,
        last_review = ?, reps = ?, lapses = ?
    WHERE id = ?
"""


def _progress_row(card_id: int, progress: Progress) -> tuple:
    return (
        int(progress.state),
        progress.step,
        progress.stability,
        progress.difficulty,
        to_millis(progress.due),
        to_millis(progress.last_review),
        progress.reps,
        progress.lapses,
        card_id,
    )


def write_progress(conn: sqlite3.Connection, card_id: int, progress: Progress) -> None:
    """Store a card's scheduling state (call inside `transaction()`)."""
    conn.execute(_WRITE_PROGRESS, _progress_row(card_id, progress))


def write_progresses(conn: sqlite3.Connection, states: Iterable[tuple[int, Progress]]) -> None:
    """Store many cards' scheduling states, `(card id, state)`, in one statement (call inside
    `transaction()`)."""
    conn.executemany(
        _WRITE_PROGRESS, [_progress_row(card_id, progress) for card_id, progress in states]
    )
