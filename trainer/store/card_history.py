"""One card's history as the browser shows it: each answer with the state it left."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from trainer import schedule
from trainer.core.progress import Progress, State, from_millis
from trainer.store.card_flags import CardStore
from trainer.store.search import _weights


@dataclass(frozen=True)
class PastAnswer:
    """One answer to a card, and where it left the card."""

    at: datetime
    rating: int
    mode: str
    """review or quiz (a quiz answer may leave the schedule alone)."""
    interval: timedelta | None
    """How long the answer put the card away for (None if it did not move the schedule)."""
    stability: float | None
    difficulty: float | None
    retrievability: float | None
    """The chance of recall the scheduler gave the card when it was answered (None: new)."""
    undone: bool


def card_history(store: CardStore, card_id: int) -> list[PastAnswer]:
    """Every answer to the card, oldest first, undone ones marked.

    The log keeps each card's state before each answer; the state an answer left is the state
    before the next log row (or the card's state now, after the last one).
    """
    with store.reading() as conn:
        weights = _weights(conn)
        rows = conn.execute(
            "SELECT id, rating, reviewed_at, mode, undoes, state_before, step_before, "
            "stability_before, difficulty_before, due_before, last_review_before "
            "FROM reviews WHERE card_id = ? ORDER BY id",
            [card_id],
        ).fetchall()
        now_row = conn.execute(
            "SELECT state, step, stability, difficulty, due, last_review FROM cards WHERE id = ?",
            [card_id],
        ).fetchone()
    if now_row is None:
        return []
    states = [_progress(row[5:]) for row in rows] + [_progress(now_row)]
    undone = {row[4] for row in rows if row[4] is not None}
    answers = []
    for index, row in enumerate(rows):
        review_id, rating, at_ms, mode, undoes = row[:5]
        if undoes is not None or rating is None:
            continue
        at = from_millis(at_ms)
        before, after = states[index], states[index + 1]
        moved = after.last_review == at and after.due is not None
        answers.append(
            PastAnswer(
                at=at,
                rating=rating,
                mode=mode,
                interval=after.due - at if moved and after.due else None,
                stability=after.stability if moved else before.stability,
                difficulty=after.difficulty if moved else before.difficulty,
                retrievability=schedule.retrievability(before, at, weights)
                if before.state is not State.NEW
                else None,
                undone=review_id in undone,
            )
        )
    return answers


def _progress(values: tuple) -> Progress:
    state, step, stability, difficulty, due, last = values
    return Progress(State(state), step, stability, difficulty, from_millis(due), from_millis(last))
