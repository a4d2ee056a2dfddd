"""Carrying a collection's history into the store: reviews, card states and suspensions.

The deck files of an import are synced first (so every imported card has a row); then, in one
transaction, each card's foreign reviews are appended to the review log as if they had been
answered here, each with the state the card had before it, and the card is left in the state
`trainer.schedule.replay` computes from them. Re-importing adds only the reviews not yet
logged: a review already in the log at the same moment is skipped, and one older than the
card's latest review here is left out (the log is append-only, and history after it would have
to be rewritten).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from trainer import schedule
from trainer.core.grading import Rating
from trainer.core.progress import Progress, State, from_millis, to_millis
from trainer.store.rows import schedule_from_settings

if TYPE_CHECKING:
    import sqlite3

    from trainer.store.store import Store


@dataclass(frozen=True)
class ForeignReview:
    """One review to log for the card with `key`."""

    key: str
    at_ms: int
    rating: int
    duration_ms: int


@dataclass
class HistoryReport:
    """What the history import did."""

    reviews: int = 0
    """Reviews added now."""
    already: int = 0
    """Reviews logged by an earlier import, left as they were."""
    older: int = 0
    """Reviews older than the card's history here, left out."""
    suspended: int = 0
    missing_cards: set[str] = field(default_factory=set)


def _chunks(values: Sequence[Any], size: int = 500) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _cards(conn: sqlite3.Connection, keys: Sequence[str]) -> dict[str, tuple]:
    """key -> (id, deck settings, progress) for the cards with these keys."""
    found: dict[str, tuple] = {}
    settings: dict[int, Any] = {}
    for chunk in _chunks(keys):
        marks = ",".join("?" * len(chunk))
        for row in conn.execute(
            "SELECT c.key, c.id, c.deck_id, d.settings, c.state, c.step, c.stability, "
            "c.difficulty, c.due, c.last_review, c.reps, c.lapses "
            f"FROM cards c JOIN decks d ON d.id = c.deck_id WHERE c.key IN ({marks})",
            list(chunk),
        ):
            key, card_id, deck_id, deck_settings = row[:4]
            if deck_id not in settings:
                settings[deck_id] = schedule_from_settings(json.loads(deck_settings))
            state, step, stability, difficulty, due, last, reps, lapses = row[4:]
            progress = Progress(
                State(state), step, stability, difficulty, from_millis(due), from_millis(last),
                reps, lapses,
            )  # fmt: skip
            found[key] = (card_id, settings[deck_id], progress)
    return found


def _logged(conn: sqlite3.Connection, card_ids: Sequence[int]) -> dict[int, set[int]]:
    """card id -> the times of its reviews already in the log."""
    logged: dict[int, set[int]] = {}
    for chunk in _chunks(card_ids):
        marks = ",".join("?" * len(chunk))
        for card_id, at in conn.execute(
            f"SELECT card_id, reviewed_at FROM reviews WHERE card_id IN ({marks})", list(chunk)
        ):
            logged.setdefault(card_id, set()).add(at)
    return logged


def import_history(
    store: Store,
    reviews: Iterable[ForeignReview],
    suspended: Iterable[str] = (),
    progress: Any = None,
) -> HistoryReport:
    """Log `reviews`, recompute their cards' states and suspend the `suspended` cards.

    All in one transaction. `progress`, if given, is called with the number of cards done.
    """
    report = HistoryReport()
    by_key: dict[str, list[ForeignReview]] = {}
    for review in reviews:
        by_key.setdefault(review.key, []).append(review)
    suspended = list(dict.fromkeys(suspended))
    with store.reading() as conn:
        cards = _cards(conn, list(by_key) + suspended)
        report.missing_cards = (set(by_key) | set(suspended)) - set(cards)
        parameters_id, weights = store.parameters()
        logged = _logged(conn, [cards[key][0] for key in by_key if key in cards])
        rows: list[list[Any]] = []
        states: list[list[Any]] = []
        for done, (key, foreign) in enumerate(by_key.items(), start=1):
            if key not in cards:
                continue
            card_id, card_schedule, before = cards[key]
            times = logged.get(card_id, set())
            latest = max(times, default=None)
            pending = []
            for review in sorted(foreign, key=lambda review: review.at_ms):
                if review.at_ms in times:
                    report.already += 1
                elif latest is not None and review.at_ms < latest:
                    report.older += 1
                else:
                    pending.append(review)
                    times = times | {review.at_ms}
            if not pending:
                continue
            answers = [(Rating(review.rating), from_millis(review.at_ms)) for review in pending]
            replayed = list(schedule.replay(card_id, answers, card_schedule, weights, before))
            for review, (state_before, _) in zip(pending, replayed):
                rows.append(_review_row(card_id, review, state_before, parameters_id))
            states.append(_state_row(card_id, replayed[-1][1]))
            report.reviews += len(pending)
            if progress is not None and done % 500 == 0:
                progress(500)
        with store.db.atomic():
            conn.executemany(
                """
                INSERT INTO reviews (card_id, rating, reviewed_at, duration_ms, mode,
                    state_before, step_before, stability_before, difficulty_before, due_before,
                    last_review_before, parameters_id)
                VALUES (?, ?, ?, ?, 'import', ?, ?, ?, ?, ?, ?, ?)
                """,
                rows,
            )
            conn.executemany(
                "UPDATE cards SET state = ?, step = ?, stability = ?, difficulty = ?, due = ?, "
                "last_review = ?, reps = ?, lapses = ? WHERE id = ?",
                states,
            )
            ids = [cards[key][0] for key in suspended if key in cards]
            for chunk in _chunks(ids):
                cursor = conn.execute(
                    f"UPDATE cards SET suspended = 1 WHERE suspended = 0 AND id IN "
                    f"({','.join('?' * len(chunk))})",
                    list(chunk),
                )
                report.suspended += cursor.rowcount
    return report


def _review_row(
    card_id: int, review: ForeignReview, before: Progress, parameters_id: int | None
) -> list[Any]:
    return [
        card_id, review.rating, review.at_ms, review.duration_ms, int(before.state), before.step,
        before.stability, before.difficulty, to_millis(before.due), to_millis(before.last_review),
        parameters_id,
    ]  # fmt: skip


def _state_row(card_id: int, after: Progress) -> list[Any]:
    return [
        int(after.state), after.step, after.stability, after.difficulty, to_millis(after.due),
        to_millis(after.last_review), after.reps, after.lapses, card_id,
    ]  # fmt: skip
