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
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar

from trainer.core.cards import Schedule
from trainer.core.progress import Progress, to_millis
from trainer.core.study_order import CardTies
from trainer.store import (
    answering,
    card_flags,
    card_ties,
    history,
    migrations,
    queue,
    review_log,
    text_index,
)
from trainer.store.checkpoint import SAFETY_PAGES, Checkpointer
from trainer.store.connection import connect
from trainer.store.errors import StoreError
from trainer.store.history import AnswerColumns
from trainer.store.queue import DeckSummary, StudyPlan
from trainer.store.rows import (
    STUDY_CARDS,
    StudyCard,
    study_card_from_row,
    study_cards,
    weights_of,
)
from trainer.store.state_writes import StateRows, StateWriter, Stored

if TYPE_CHECKING:
    from random import Random

    from sqlite_utils import Database

    # Loaded where used: `trainer decks` needs neither grading nor quizzes (about 5 ms of imports).
    from trainer.core.distractors import Candidate
    from trainer.core.grading import Rating
    from trainer.core.quiz import QuizCard
    from trainer.schedule import Buttons
    from trainer.store.resync import KnownEntries

_STUDY_CARD = f"{STUDY_CARDS} WHERE c.id = ?"

P = ParamSpec("P")
R = TypeVar("R")


def _locked(method: Callable[Concatenate[Store, P], R]) -> Callable[Concatenate[Store, P], R]:
    """Run a store method holding the connection, as `Store.reading()` does."""

    @functools.wraps(method)
    def wrapper(self: Store, *args: P.args, **kwargs: P.kwargs) -> R:
        with _Held(self):
            return method(self, *args, **kwargs)

    return wrapper


class _Held:
    """The connection held for a series of reads or writes (`Store.reading()`): SQLite errors
    and damaged contents become `StoreError`. A class, not a generator's context, which costs
    more than the lookup of a card it guards (`study_card`, `record_review` run for every card
    shown)."""

    __slots__ = ("_store",)

    def __init__(self, store: Store) -> None:
        self._store = store

    def __enter__(self) -> sqlite3.Connection:
        self._store._lock.acquire()
        return self._store.conn

    def __exit__(self, kind: type[BaseException] | None, error: object, trace: object) -> None:
        self._store._lock.release()
        # A misuse of the connection (`ProgrammingError`) is a bug, and stays one.
        if kind is None or issubclass(kind, (sqlite3.ProgrammingError, sqlite3.InterfaceError)):
            return
        if isinstance(error, (sqlite3.DatabaseError, json.JSONDecodeError)):
            raise self._store.damaged(error) from None


class _Immediate:
    """The transaction of `Store.writing()`, on a connection already held."""

    __slots__ = ("_nested", "_store")

    def __init__(self, store: Store) -> None:
        self._store = store
        self._nested: AbstractContextManager[Database] | None = None

    def __enter__(self) -> sqlite3.Connection:
        conn = self._store.conn
        if conn.in_transaction:  # already inside a transaction: it is one with that one
            self._nested = self._store.db.atomic()
            self._nested.__enter__()
        else:
            # Not sqlite-utils' atomic(): its plain BEGIN is deferred, and takes the write lock
            # only at the first write, after the reads this transaction exists to protect.
            conn.execute("BEGIN IMMEDIATE")
        return conn

    def __exit__(self, kind: type[BaseException] | None, error: object, trace: object) -> None:
        if self._nested is not None:
            self._nested.__exit__(kind, error, trace)  # type: ignore[arg-type]
        elif kind is None:
            self._store.conn.commit()
        else:
            self._store.conn.rollback()


class Store:
    """The learner's progress, in the SQLite database at `path`."""

    def __init__(self, conn: sqlite3.Connection, path: str) -> None:
        self.conn = conn
        """The connection; read with it inside `reading()`, write inside `transaction()`."""
        self.path = path
        """Where the database lives, for messages."""
        self._lock = threading.RLock()
        self.defaults = Schedule()
        """The learner's settings (`config.toml`), for what a deck's front matter leaves unset."""
        self.bury_siblings = True
        """The learner's setting: off, no deck buries siblings (on, each deck decides)."""
        self._checkpointer: Checkpointer | None = None
        self._entries: KnownEntries | None = None
        self.closing: list[Callable[[], None]] = []
        """Called first by `close`: connections of the same database kept elsewhere (the
        statistics' readers) close with the store, so the last one to close is the store's."""

    @functools.cached_property
    def db(self) -> Database:
        """A sqlite-utils view of the same connection (loaded on first use)."""
        from sqlite_utils import Database

        return Database(self.conn, execute_plugins=False)

    def reading(self) -> _Held:
        """Hold the connection for a series of reads; SQLite errors become `StoreError`.

        So do damaged contents: a corrupt page, a renamed column, a column that should hold JSON
        and does not. A misuse of the connection (`ProgrammingError`) is a bug, and stays one.
        """
        return _Held(self)

    def damaged(self, error: sqlite3.DatabaseError | json.JSONDecodeError) -> StoreError:
        """The one line a learner is shown for a database error or damaged contents."""
        if isinstance(error, json.JSONDecodeError):
            return StoreError(f"{self.path}: damaged data, a column is not JSON: {error}")
        return StoreError(f"{self.path}: {error}")

    @contextmanager
    def writing(self) -> Iterator[sqlite3.Connection]:
        """One write transaction that holds SQLite's write lock from its start.

        Whatever is read inside it is what the writes build on: another process (a second
        trainer on the same database) waits for the commit instead of writing in between, so
        no answer is computed from a state that is no longer the card's.
        """
        with self.reading(), _Immediate(self) as conn:
            yield conn

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """Hold the connection for writes that commit together or not at all."""
        with self.reading(), self.db.atomic() as db:
            yield db

    @classmethod
    def open(cls, path: Path | str) -> Store:
        """Open (creating and upgrading as needed) the database at `path`."""
        shown = str(path)
        conn = connect(path)
        try:
            store = cls(conn, shown)
            if not migrations.is_current(conn):
                migrations.migrations.apply(store.db)
        except sqlite3.DatabaseError as error:
            conn.close()
            raise StoreError(f"{shown}: cannot open the progress database: {error}") from None
        return store

    def close(self) -> None:
        """Close the connection, once a worker thread still using it has finished (the last
        connection to close copies the log into the database)."""
        while self.closing:
            self.closing.pop()()
        if self._checkpointer is not None:
            self._checkpointer.close()
            self._checkpointer = None
        # Closing under a query running in another thread crashes the interpreter.
        with self._lock:
            self.conn.close()

    def _wrote(self, pages: int) -> None:
        """After a committed write of about `pages` pages: let the worker checkpoint in time."""
        if self.path == ":memory:":
            return
        with self._lock:  # it may give the log its room, before this process writes again
            if self._checkpointer is None:
                self._checkpointer = Checkpointer(self.path)
            self._checkpointer.wrote(self.conn, pages)

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
        return row[0], weights_of(row[1])

    @_locked
    def adopt_parameters(self, weights: Sequence[float], source: str, now: datetime) -> int:
        """Make `weights` the parameters used from now on; earlier reviews keep theirs."""
        with self.db.atomic():
            cursor = self.conn.execute(
                "INSERT INTO parameters (weights, source, created) VALUES (?, ?, ?)",
                [json.dumps(list(weights)), source, to_millis(now)],
            )
        assert cursor.lastrowid is not None  # an INSERT always sets it
        return cursor.lastrowid

    @_locked
    def answer_columns(self) -> list[AnswerColumns]:
        """Every card's answers that moved its schedule; see `history.answer_columns`."""
        return history.answer_columns(self.conn)

    def write_states(self, card_ids: Sequence[int], rows: StateRows, ahead: Stored = None) -> int:
        """Store these cards' recomputed states in one transaction; returns how many changed."""
        with self.states_written(ahead) as written:
            return written.write(card_ids, rows)

    @contextmanager
    def states_written(self, ahead: Stored = None) -> Iterator[StateWriter]:
        """One write transaction in which cards' recomputed states are written, all at once or
        a part at a time (`StateWriter`; `ahead`: the stored states read ahead of it):
        committed when the block ends, rolled back if it raises."""
        with self.writing() as conn:
            yield StateWriter(conn, ahead)
        self._wrote(SAFETY_PAGES)

    # -- decks and the queue ---------------------------------------------------------------

    @_locked
    def deck_summaries(self, now: datetime) -> list[DeckSummary]:
        """Every deck present on disk with its counts for today, in name order."""
        card_flags.unbury_expired(self.conn, now)
        return queue.deck_summaries(self.conn, now, self.defaults, self.bury_siblings)

    @_locked
    def study_queue(self, now: datetime, deck_ids: Iterable[int] | None = None) -> list[int]:
        """Card ids to study now: due cards (least likely recalled first), then today's new cards."""
        card_flags.unbury_expired(self.conn, now)
        return queue.study_queue(self.conn, now, deck_ids, self.defaults, self.bury_siblings)

    @_locked
    def study_plan(self, now: datetime, deck_ids: Iterable[int] | None = None) -> StudyPlan:
        """What a study session of these decks (None: every deck) starts with."""
        card_flags.unbury_expired(self.conn, now)
        return queue.study_plan(self.conn, now, deck_ids, self.defaults, self.bury_siblings)

    @_locked
    def card_ties(self, card_ids: list[int]) -> dict[int, CardTies]:
        """Siblings and citations of the given cards, for a session of just those cards."""
        return card_ties.card_ties(self.conn, card_ids, self.bury_siblings)

    @_locked
    def next_due(self, deck_ids: Iterable[int] | None = None) -> datetime | None:
        """When the next studied card of these decks (or of all) falls due, if any."""
        return queue.next_due(self.conn, deck_ids)

    @_locked
    def study_card(self, card_id: int) -> StudyCard:
        """Everything the study screen shows about one card."""
        row = self.conn.execute(
            _STUDY_CARD,
            [card_id],
        ).fetchone()
        if row is None:
            raise KeyError(card_id)
        return study_card_from_row(row, self.defaults)

    @_locked
    def study_cards(self, card_ids: Sequence[int]) -> list[StudyCard]:
        """Several cards at once, in the order asked for (missing ids are left out)."""
        return study_cards(self.conn, card_ids, self.defaults)

    @_locked
    def quiz_draw(
        self, deck_ids: Iterable[int] | None, count: int, rng: Random
    ) -> tuple[list[QuizCard], dict[int, list[Candidate]]]:
        """Up to `count` cards in play of these decks (or of all) drawn with `rng`, and the
        wrong options each of their decks offers (`store.quiz_reads`)."""
        from trainer.store import quiz_reads

        return quiz_reads.draw(self.conn, deck_ids, count, rng, self.defaults)

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
        shown: StudyCard | None = None,
        buttons: Buttons | None = None,
    ) -> Progress:
        """Log an answer and store the card's new state in one committed transaction.

        With `reschedule=False` (a quiz, by default) the answer is logged but the card's
        schedule does not move. A lapse that makes the card a leech tags and suspends it
        (`card_flags.is_leech`). `shown`: the card as the screen showed it (`study_card`), which
        spares reading it again while it is unchanged, and `buttons` what its buttons showed,
        which spares working the answer out again (`store.answering`). Returns the card's
        progress afterwards.
        """
        with _Immediate(self):  # `writing()`, the connection being held already
            after = answering.record_answer(
                self.conn, card_id, rating, now, duration_ms, mode, reschedule, self.defaults,
                shown, buttons,
            )  # fmt: skip
        self._wrote(10)  # the review's row and index pages, the card's and its indexes'
        return after

    @_locked
    def undo_last(self, now: datetime, since: datetime | None = None) -> int | None:
        """Undo the latest answer (made after `since`, if given) that is not undone yet.

        The card gets back the state it had before that answer; the undo is itself logged,
        so history is never rewritten. Returns the card's id, or None if there is nothing to undo.
        """
        # As `record_review`: the answer to undo and the card's state are read under the lock.
        with _Immediate(self):
            card_id = review_log.undo_latest(self.conn, now, since)
        if card_id is not None:
            self._wrote(10)
        return card_id

    # -- sync ------------------------------------------------------------------------------

    def sync(self, files: Sequence[Path], roots: Sequence[Path] = (), now: datetime | None = None):
        """Bring the store in line with the deck files; see `trainer.store.sync.sync_decks`."""
        from trainer.store.sync import KnownEntries, collector_paused, sync_decks

        self._entries = self._entries or KnownEntries()  # what the last re-sync wrote
        # A locked or damaged database is one line (`reading()`), whichever table it hits.
        with self.reading(), collector_paused():
            changes = self.conn.total_changes
            report = sync_decks(self.conn, lambda: self.db, files, roots, now, self._entries)
            if report.added_cards:  # indexed now, not at the first search (100,000: 0.5 s)
                text_index.catch_up(self.conn)
            # A sync that wrote many rows is checkpointed at once; a re-sync of a few edited
            # cards counts the pages it wrote (about one a row and the deck's own, the words
            # queued for the text index too: 20-60 for 3 edited answers), as answers do.
            written = self.conn.total_changes - changes
        if report.updated or report.missing:
            self._wrote(SAFETY_PAGES if written > 128 else 16 + written)
        return report
