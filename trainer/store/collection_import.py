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
from trainer.store.log_codec import encode_float
from trainer.store.review_log import MODE_KINDS, NEW_REVIEW
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
    flags: dict[str, int] | None = None,
) -> HistoryReport:
    """Log `reviews`, recompute their cards' states, suspend the `suspended` cards and flag
    the `flags` ones (key: colour 1-4).

    All in one transaction. `progress`, if given, is called with the number of cards done.
    """
    report = HistoryReport()
    by_key: dict[str, list[ForeignReview]] = {}
    for review in reviews:
        by_key.setdefault(review.key, []).append(review)
    suspended = list(dict.fromkeys(suspended))
    with store.reading() as conn:
        flags = flags or {}
        cards = _cards(conn, list(by_key) + suspended + list(flags))
        report.missing_cards = (set(by_key) | set(suspended) | set(flags)) - set(cards)
        parameters_id, weights = store.parameters()
        logged = _logged(conn, [cards[key][0] for key in by_key if key in cards])
        jobs: list[_Job] = []
        for key, foreign in by_key.items():
            if key not in cards:
                continue
            card_id, card_schedule, before = cards[key]
            times = set(logged.get(card_id, ()))
            latest = max(times, default=None)
            pending = []
            for review in sorted(foreign, key=lambda review: review.at_ms):
                if review.at_ms in times:
                    report.already += 1
                elif latest is not None and review.at_ms < latest:
                    report.older += 1
                else:
                    pending.append((review.rating, review.at_ms, review.duration_ms))
                    times.add(review.at_ms)
            if pending:
                seed = schedule.card_seed(key)
                jobs.append((card_id, seed, pending, card_schedule, before, parameters_id, weights))
                report.reviews += len(pending)
        rows: list[list[Any]] = []
        states: list[list[Any]] = []
        for card_rows, state in _replay_all(jobs, report.reviews, progress):
            rows.extend(card_rows)
            states.append(state)
        with store.db.atomic():
            conn.executemany(
                NEW_REVIEW,
                (
                    {
                        **dict(zip(_REVIEW_COLUMNS, row)),
                        "kind": MODE_KINDS["import"],
                        "undoes": None,
                    }
                    for row in rows
                ),
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
            conn.executemany(
                "UPDATE cards SET flag = ? WHERE id = ?",
                [(color, cards[key][0]) for key, color in flags.items() if key in cards],
            )
    return report


_Job = tuple[int, int, list[tuple[int, int, int]], Any, Progress, "int | None", tuple[float, ...]]
"""One card's replay: id, fuzz seed, (rating, time, duration) answers, schedule, state before,
parameters."""
_REVIEW_COLUMNS = (
    "card_id", "rating", "reviewed_at", "duration_ms", "state_before", "step_before",
    "stability_before", "difficulty_before", "due_before", "last_review_before", "parameters_id",
)  # fmt: skip
"""The order of the values in the review rows `_replay_card` builds (for `NEW_REVIEW`; stability
and difficulty as `log_codec.encode_float` stores them)."""
PARALLEL_AFTER = 20_000
"""Reviews past which the replay is shared among the processors (a second of work or more)."""


def _replay_card(job: _Job) -> tuple[list[list[Any]], list[Any]]:
    """The review rows and the final state row of one card's replay."""
    card_id, seed, pending, card_schedule, before, parameters_id, weights = job
    answers = [(Rating(rating), from_millis(at)) for rating, at, _ in pending]
    replayed = list(schedule.replay(seed, answers, card_schedule, weights, before))
    rows = [
        [card_id, rating, at, duration, int(state.state), state.step,
         encode_float(state.stability), encode_float(state.difficulty), to_millis(state.due),
         to_millis(state.last_review), parameters_id]
        for (rating, at, duration), (state, _) in zip(pending, replayed)
    ]  # fmt: skip
    after = replayed[-1][1]
    state_row = [
        int(after.state), after.step, after.stability, after.difficulty, to_millis(after.due),
        to_millis(after.last_review), after.reps, after.lapses, card_id,
    ]  # fmt: skip
    return rows, state_row


def _replay_chunk(jobs: list[_Job]) -> list[tuple[list[list[Any]], list[Any]]]:
    return [_replay_card(job) for job in jobs]


def _replay_all(
    jobs: list[_Job], reviews: int, progress: Any
) -> Iterator[tuple[list[list[Any]], list[Any]]]:
    """Replay every card, in worker processes when there is much to do (cards are independent:
    each replay depends on its own answers only, so the result is the same either way)."""
    import multiprocessing
    import os

    workers = min(4, os.cpu_count() or 1)
    if (
        reviews < PARALLEL_AFTER
        or workers < 2
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        for done, job in enumerate(jobs, start=1):
            yield _replay_card(job)
            if progress is not None and done % 500 == 0:
                progress(500)
        return
    chunks = [jobs[start : start + 500] for start in range(0, len(jobs), 500)]
    # Forked workers share the loaded modules: no start-up imports, nothing to pickle but jobs.
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for results in pool.imap(_replay_chunk, chunks):
            yield from results
            if progress is not None:
                progress(len(results))
