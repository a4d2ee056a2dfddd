"""The progress store: one SQLite database holding decks, cards with their state, and reviews.

Every write happens inside one transaction, so an answer is either fully recorded (the review
and the card's new state) or not at all. The connection may be used from worker threads; a lock
keeps one caller at a time.

Reads go straight to the sqlite3 connection. Writes and migrations go through sqlite-utils, which
is loaded on the first write: a start of the app that only reads never pays for its import.
"""

from __future__ import annotations

import functools
import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from trainer.core.cards import Card, Choice, Citation, Deck, Kind, Schedule
from trainer.core.progress import Progress, State, from_millis, study_day_start, to_millis
from trainer.store import migrations

if TYPE_CHECKING:
    from sqlite_utils import Database

    # Loaded where used: `trainer decks` needs neither grading nor quizzes (about 5 ms of imports).
    from trainer.core.grading import Rating
    from trainer.core.quiz import QuizCard

P = ParamSpec("P")
R = TypeVar("R")


BUSY_TIMEOUT_MS = 5000
"""How long to wait for another process (a second trainer) to finish writing before giving up."""


class StoreError(Exception):
    """The database cannot be opened or used: unreadable, locked, not a trainer database."""


@dataclass(frozen=True)
class StudyCard:
    """A card as the study screen needs it: its content, its progress and its deck's settings."""

    id: int
    card: Card
    progress: Progress
    deck_id: int
    deck_name: str
    schedule: Schedule
    strict_answers: bool


@dataclass(frozen=True)
class DeckSummary:
    """One line of the deck list: what is waiting in a deck today."""

    id: int
    name: str
    path: str
    description: str
    due: int
    """Review cards due now."""
    learning: int
    """Cards in (re)learning due before the study day ends."""
    new: int
    """New cards available today, after the deck's daily limit."""
    total: int


def _locked(method: Callable[P, R]) -> Callable[P, R]:
    """Run a store method holding the connection, as `Store.reading()` does."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with args[0].reading():  # type: ignore[attr-defined]
            return method(*args, **kwargs)

    return wrapper


class Store:
    """The learner's progress, in the SQLite database at `path`."""

    def __init__(self, conn: sqlite3.Connection, path: str) -> None:
        self.conn = conn
        """The connection; read with it inside `reading()`, write inside `transaction()`."""
        self.path = path
        """Where the database lives, for messages."""
        self._lock = threading.RLock()

    @functools.cached_property
    def db(self) -> Database:
        """A sqlite-utils view of the same connection (loaded on first use)."""
        from sqlite_utils import Database

        return Database(self.conn, execute_plugins=False)

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """Hold the connection for a series of reads; SQLite errors become `StoreError`."""
        with self._lock:
            try:
                yield self.conn
            except sqlite3.OperationalError as error:
                raise StoreError(f"{self.path}: {error}") from None

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """Hold the connection for writes that commit together or not at all."""
        with self.reading(), self.db.atomic() as db:
            yield db

    @classmethod
    def open(cls, path: Path | str) -> Store:
        """Open (creating and upgrading as needed) the database at `path`."""
        shown = str(path)
        try:
            if shown != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(shown, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_MS)}")
            conn.execute("PRAGMA foreign_keys = ON")
            if shown != ":memory:":
                conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            store = cls(conn, shown)
            if not migrations.is_current(conn):
                migrations.migrations.apply(store.db)
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{shown}: cannot open the progress database: {error}") from None
        except OSError as error:
            raise StoreError(
                f"{shown}: cannot open the progress database: {error.strerror}"
            ) from None
        return store

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    # -- scheduler parameters -------------------------------------------------------------

    @_locked
    def parameters(self) -> tuple[int | None, tuple[float, ...]]:
        """The FSRS weights in use, with their row id (None while the defaults are used)."""
        row = self.conn.execute(
            "SELECT id, weights FROM parameters ORDER BY id DESC LIMIT 1"
        ).fetchone()
        if row is None:
            from trainer.schedule import DEFAULT_PARAMETERS

            return None, DEFAULT_PARAMETERS
        return row[0], tuple(json.loads(row[1]))

    @_locked
    def adopt_parameters(self, weights: Sequence[float], source: str, now: datetime) -> int:
        """Make `weights` the parameters used from now on; earlier reviews keep theirs."""
        with self.db.atomic():
            cursor = self.conn.execute(
                "INSERT INTO parameters (weights, source, created) VALUES (?, ?, ?)",
                [json.dumps(list(weights)), source, to_millis(now)],
            )
        return int(cursor.lastrowid)

    # -- decks and the queue ---------------------------------------------------------------

    @_locked
    def deck_summaries(self, now: datetime) -> list[DeckSummary]:
        """Every deck present on disk with its counts for today, in name order."""
        day_end = to_millis(study_day_start(now)) + 86_400_000
        now_ms = to_millis(now)
        introduced = self._introduced_today(now)
        # One counting subquery per figure: each is a range of the covering index `cards_by_deck`,
        # so due and learning counts cost what they count, not a pass over every card (4x faster
        # at 100,000 cards than one grouped join evaluating every sum on every card).
        rows = self.conn.execute(
            """
            SELECT d.id, d.name, d.path, d.description, d.settings,
                   (SELECT COUNT(*) FROM cards c
                    WHERE c.deck_id = d.id AND c.retired = 0 AND c.suspended = 0
                      AND c.state = 2 AND c.due <= :now),
                   (SELECT COUNT(*) FROM cards c
                    WHERE c.deck_id = d.id AND c.retired = 0 AND c.suspended = 0
                      AND c.state IN (1, 3) AND c.due <= :day_end),
                   (SELECT COUNT(*) FROM cards c
                    WHERE c.deck_id = d.id AND c.retired = 0 AND c.suspended = 0 AND c.state = 0),
                   (SELECT COUNT(*) FROM cards c
                    WHERE c.deck_id = d.id AND c.retired = 0 AND c.suspended = 0)
            FROM decks d
            WHERE d.missing = 0
            ORDER BY d.name COLLATE NOCASE
            """,
            {"now": now_ms, "day_end": day_end},
        ).fetchall()
        summaries = []
        for deck_id, name, path, description, settings, due, learning, new, total in rows:
            allowance = max(
                0, json.loads(settings).get("new_per_day", 20) - introduced.get(deck_id, 0)
            )
            summaries.append(
                DeckSummary(
                    deck_id, name, path, description, due, learning, min(new, allowance), total
                )
            )
        return summaries

    def _introduced_today(self, now: datetime) -> dict[int, int]:
        """New cards first answered since the study day began, per deck (undone answers excluded)."""
        start = to_millis(study_day_start(now))
        rows = self.conn.execute(
            """
            SELECT c.deck_id, COUNT(DISTINCT r.card_id)
            FROM reviews r JOIN cards c ON c.id = r.card_id
            WHERE r.reviewed_at >= :start AND r.state_before = 0 AND r.mode = 'review'
              AND r.id NOT IN (SELECT undoes FROM reviews WHERE undoes IS NOT NULL AND reviewed_at >= :start)
            GROUP BY c.deck_id
            """,
            {"start": start},
        ).fetchall()
        return dict(rows)

    @_locked
    def study_queue(self, now: datetime, deck_ids: Iterable[int] | None = None) -> list[int]:
        """Card ids to study now: due cards (least likely recalled first), then today's new cards."""
        decks = list(deck_ids) if deck_ids is not None else None
        summaries = {s.id: s for s in self.deck_summaries(now)}
        chosen = [d for d in (decks if decks is not None else summaries) if d in summaries]
        if not chosen:
            return []
        marks = ",".join("?" * len(chosen))
        now_ms = to_millis(now)
        # `state IN (1, 2, 3)`, not `state > 0`: equality on state lets `cards_by_deck` seek
        # straight to the due range instead of reading every studied card (6x faster). Named,
        # because without statistics SQLite prefers the wider covering `cards_stats` here and
        # reads every card of every deck.
        due = self.conn.execute(
            f"""
            SELECT id FROM cards INDEXED BY cards_by_deck
            WHERE due <= ? AND state IN (1, 2, 3) AND retired = 0 AND suspended = 0
              AND deck_id IN ({marks})
            ORDER BY (? - last_review) / (stability * 86400000.0) DESC, id
            """,
            [now_ms, *chosen, now_ms],
        ).fetchall()
        queue = [row[0] for row in due]
        for deck_id in chosen:
            limit = summaries[deck_id].new
            if limit:
                queue.extend(
                    row[0]
                    for row in self.conn.execute(
                        """
                        SELECT id FROM cards
                        WHERE deck_id = ? AND state = 0 AND retired = 0 AND suspended = 0
                        ORDER BY position LIMIT ?
                        """,
                        [deck_id, limit],
                    )
                )
        return queue

    @_locked
    def study_card(self, card_id: int) -> StudyCard:
        """Everything the study screen shows about one card."""
        row = self.conn.execute(
            f"SELECT {_CARD_COLUMNS}, d.name, d.settings FROM cards c JOIN decks d ON d.id = c.deck_id WHERE c.id = ?",
            [card_id],
        ).fetchone()
        if row is None:
            raise KeyError(card_id)
        return _study_card(row)

    @_locked
    def study_cards(self, card_ids: Sequence[int]) -> list[StudyCard]:
        """Several cards at once, in the order asked for (missing ids are left out)."""
        found: dict[int, StudyCard] = {}
        for start in range(0, len(card_ids), 500):
            chunk = list(card_ids[start : start + 500])
            marks = ",".join("?" * len(chunk))
            for row in self.conn.execute(
                f"SELECT {_CARD_COLUMNS}, d.name, d.settings FROM cards c JOIN decks d ON d.id = c.deck_id WHERE c.id IN ({marks})",
                chunk,
            ):
                card = _study_card(row)
                found[card.id] = card
        return [found[card_id] for card_id in card_ids if card_id in found]

    @_locked
    def quiz_cards(self, deck_ids: Iterable[int] | None = None) -> list[QuizCard]:
        """Every card in play (not retired or suspended) of the given decks, or of all decks."""
        from trainer.core.quiz import QuizCard

        query = (
            f"SELECT {_CARD_COLUMNS}, d.name, d.settings FROM cards c JOIN decks d ON d.id = c.deck_id "
            "WHERE c.retired = 0 AND c.suspended = 0 AND d.missing = 0"
        )
        params: list[int] = []
        if deck_ids is not None:
            params = list(deck_ids)
            query += f" AND c.deck_id IN ({','.join('?' * len(params))})"
        cards = [_study_card(row) for row in self.conn.execute(query + " ORDER BY c.id", params)]
        return [QuizCard(card.id, card.deck_id, card.card, card.strict_answers) for card in cards]

    @_locked
    def next_due(self, deck_ids: Iterable[int] | None = None) -> datetime | None:
        """When the next studied card of these decks (or of all) falls due, if any."""
        query = (
            "SELECT MIN(due) FROM cards WHERE state > 0 AND retired = 0 AND suspended = 0 "
            "AND due IS NOT NULL AND deck_id IN (SELECT id FROM decks WHERE missing = 0)"
        )
        params: list[int] = []
        if deck_ids is not None:
            params = list(deck_ids)
            query += f" AND deck_id IN ({','.join('?' * len(params))})"
        return from_millis(self.conn.execute(query, params).fetchone()[0])

    # -- answering -------------------------------------------------------------------------

    @_locked
    def record_review(
        self,
        card_id: int,
        rating: Rating,
        now: datetime,
        *,
        duration_ms: int = 0,
        mode: str = "review",
        reschedule: bool = True,
    ) -> Progress:
        """Log an answer and store the card's new state in one committed transaction.

        With `reschedule=False` (a quiz, by default) the answer is logged but the card's
        schedule does not move. Returns the card's progress afterwards.
        """
        from trainer.schedule import next_progress  # fsrs loads only when an answer is recorded

        study = self.study_card(card_id)
        parameters_id, weights = self.parameters()
        before = study.progress
        after = (
            next_progress(card_id, before, rating, now, study.schedule, weights)
            if reschedule
            else before
        )
        with self.db.atomic():
            self.append_review(card_id, int(rating), now, duration_ms, mode, before, parameters_id)
            if reschedule:
                self.write_progress(card_id, after)
        return after

    @_locked
    def undo_last(self, now: datetime, since: datetime | None = None) -> int | None:
        """Undo the latest answer (made after `since`, if given) that is not undone yet.

        The card gets back the state it had before that answer; the undo is itself logged,
        so history is never rewritten. Returns the card's id, or None if there is nothing to undo.
        """
        row = self.conn.execute(
            """
            SELECT id, card_id, rating, reviewed_at, state_before, step_before, stability_before,
                   difficulty_before, due_before, last_review_before
            FROM reviews
            WHERE mode IN ('review', 'quiz') AND reviewed_at >= ?
              AND id NOT IN (SELECT undoes FROM reviews WHERE undoes IS NOT NULL)
            ORDER BY id DESC LIMIT 1
            """,
            [to_millis(since) or 0],
        ).fetchone()
        if row is None:
            return None
        review_id, card_id, rating, reviewed_at, state, step, stability, difficulty, due, last = row
        current = self.study_card(card_id).progress
        # An answer moved the schedule exactly when it is the card's latest review; a quiz answer
        # that left the schedule alone has nothing to restore.
        moved = to_millis(current.last_review) == reviewed_at
        from trainer.core.grading import Rating

        restored = Progress(
            state=State(state),
            step=step,
            stability=stability,
            difficulty=difficulty,
            due=from_millis(due),
            last_review=from_millis(last),
            reps=max(0, current.reps - 1),
            lapses=max(0, current.lapses - int(rating == Rating.AGAIN and state == State.REVIEW)),
        )
        with self.db.atomic():
            self.append_review(card_id, None, now, 0, "undo", current, None, undoes=review_id)
            if moved:
                self.write_progress(card_id, restored)
        return card_id

    def append_review(
        self,
        card_id: int,
        rating: int | None,
        now: datetime,
        duration_ms: int,
        mode: str,
        before: Progress,
        parameters_id: int | None,
        undoes: int | None = None,
    ) -> None:
        """Append one row to the review log with the card's state before it (inside `transaction()`)."""
        self.conn.execute(
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

    def write_progress(self, card_id: int, progress: Progress) -> None:
        """Store a card's scheduling state (call inside `transaction()`)."""
        self.conn.execute(
            """
            UPDATE cards SET state = ?, step = ?, stability = ?, difficulty = ?, due = ?,
                last_review = ?, reps = ?, lapses = ?
            WHERE id = ?
            """,
            [
                int(progress.state),
                progress.step,
                progress.stability,
                progress.difficulty,
                to_millis(progress.due),
                to_millis(progress.last_review),
                progress.reps,
                progress.lapses,
                card_id,
            ],
        )

    # -- sync ------------------------------------------------------------------------------

    def sync(self, files: Sequence[Path], roots: Sequence[Path] = (), now: datetime | None = None):
        """Bring the store in line with the deck files; see `trainer.store.sync.sync_decks`."""
        from trainer.store.sync import collector_paused, sync_decks

        with self._lock, collector_paused():
            try:
                return sync_decks(self, files, roots, now)
            except sqlite3.OperationalError as error:
                raise StoreError(f"{self.path}: {error}") from None


_CARD_COLUMNS = (
    "c.id, c.key, c.kind, c.prompt, c.answer, c.line, c.detail, c.tags, c.deck_id, "
    "c.state, c.step, c.stability, c.difficulty, c.due, c.last_review, c.reps, c.lapses"
)


def _study_card(row: Sequence[Any]) -> StudyCard:
    (card_id, key, kind, prompt, answer, line, detail, tags, deck_id, state, step, stability,
     difficulty, due, last_review, reps, lapses, deck_name, settings) = row  # fmt: skip
    extra = json.loads(detail)
    source = extra.get("source")
    card = Card(
        key=key,
        kind=Kind(kind),
        prompt=prompt,
        answer=answer,
        line=line,
        accepted=tuple(extra.get("accepted", ())),
        choices=tuple(Choice(text, correct) for text, correct in extra.get("choices", ())),
        hint=extra.get("hint", ""),
        note=extra.get("note", ""),
        tags=tuple(json.loads(tags)),
        source=Citation(*source) if source else None,
        text=extra.get("text", ""),
    )
    progress = Progress(
        State(state),
        step,
        stability,
        difficulty,
        from_millis(due),
        from_millis(last_review),
        reps,
        lapses,
    )
    deck_settings = json.loads(settings)
    return StudyCard(
        card_id, card, progress, deck_id, deck_name, schedule_from_settings(deck_settings),
        deck_settings.get("strict", False),
    )  # fmt: skip


def settings_of(deck: Deck) -> dict[str, Any]:
    """A deck's settings as stored in the `decks.settings` column."""
    return {
        "desired_retention": deck.schedule.desired_retention,
        "new_per_day": deck.schedule.new_per_day,
        "learning_steps": [step.total_seconds() for step in deck.schedule.learning_steps],
        "relearning_steps": [step.total_seconds() for step in deck.schedule.relearning_steps],
        "strict": deck.strict_answers,
    }


def schedule_from_settings(settings: dict[str, Any]) -> Schedule:
    """The inverse of `settings_of` for the schedule part."""
    from datetime import timedelta

    default = Schedule()
    return Schedule(
        desired_retention=settings.get("desired_retention", default.desired_retention),
        new_per_day=settings.get("new_per_day", default.new_per_day),
        learning_steps=tuple(timedelta(seconds=s) for s in settings.get("learning_steps", []))
        if "learning_steps" in settings
        else default.learning_steps,
        relearning_steps=tuple(timedelta(seconds=s) for s in settings.get("relearning_steps", []))
        if "relearning_steps" in settings
        else default.relearning_steps,
    )
