"""Progress figures computed from the store: what the statistics screen and `trainer stats` show.

Every figure comes from a few aggregate queries, never one query per card: the review log in
`trainer.stats.reviews`, the cards in `trainer.stats.cards`. On a database file they are read in
one transaction on a connection of the statistics' own, which keeps the store's connection free
for the learner's answers while the figures are computed.

Times follow the learner's clock: study days start at 4 a.m. local time (`study_day_start`), and
hours of the day are local, daylight saving time included. Undone reviews and undo rows count
nowhere.
"""

from __future__ import annotations

import functools
import json
import math
import sqlite3
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, TypeVar

from trainer.core.progress import ROLLOVER_HOUR, study_day_start
from trainer.stats.cards import (
    CardCounts,
    CardFigures,
    Distribution,
    HardCard,
    Mastery,
    card_figures,
    weighted_desired_retention,
)
from trainer.stats.forecast import DueDay
from trainer.stats.hours import local_ms
from trainer.stats.reviews import (
    PERIODS,
    HourCount,
    Retention,
    ReviewFigures,
    Today,
    active_days,
    review_figures,
)
from trainer.store.errors import StoreError

if TYPE_CHECKING:
    from trainer.store.store import Store

__all__ = [
    "PERIODS",
    "CalendarDay",
    "CardCounts",
    "Distribution",
    "DueDay",
    "HardCard",
    "HourCount",
    "Mastery",
    "Retention",
    "Stats",
    "Today",
    "compute_stats",
    "deck_choices",
]

MMAP_BYTES = 32 * 2**20
"""How much of the database the statistics' readers map into memory (the rest is read)."""
CALENDAR_DAYS = 365
FORECAST_DAYS = 30
PARALLEL_CARDS = 50_000
"""From this many cards the figures (of all decks or of one) read the review log and the cards
at once."""
T = TypeVar("T")


@dataclass(frozen=True, slots=True)  # many of them: built faster
class CalendarDay:
    """Answers given on one study day."""

    day: date
    reviews: int


@dataclass(frozen=True)
class Stats:
    """Every progress figure for one deck or for all decks, as of `now`."""

    now: datetime
    deck_id: int | None
    """The deck the figures are limited to (None: every deck)."""
    today: Today
    retention: dict[str, Retention]
    """True retention for each of `PERIODS` and "all" (all time)."""
    desired_retention: float | None
    """The deck's desired retention (over several decks: their average weighted by cards)."""
    forecast: tuple[DueDay, ...]
    """The next 30 study days, today first."""
    calendar: tuple[CalendarDay, ...]
    """The last 365 study days, oldest first, today last."""
    streak: int
    """Consecutive study days with answers, up to today (or yesterday while today has none)."""
    counts: CardCounts
    stability: Distribution
    difficulty: Distribution
    retrievability: Distribution
    decks: tuple[Mastery, ...]
    tags: tuple[Mastery, ...]
    hardest: tuple[HardCard, ...]
    buttons: tuple[int, int, int, int]
    """Again, Hard, Good and Easy answers over the last 365 days."""
    hours: tuple[HourCount, ...]
    """Answers per local hour of the day (0-23) over the last 365 days."""


def deck_choices(store: Store) -> list[tuple[int, str]]:
    """The decks the figures can be limited to, as (id, name) in name order."""
    with store.reading():
        rows = store.conn.execute(
            "SELECT id, name FROM decks WHERE missing = 0 OR imported = 1 "
            "ORDER BY name COLLATE NOCASE"
        ).fetchall()
    return [(deck_id, name) for deck_id, name in rows]


def compute_stats(store: Store, now: datetime | None = None, deck_id: int | None = None) -> Stats:
    """Every figure for `deck_id` (None: all decks) as of `now` (default: the current time).

    Slow enough (a few hundred milliseconds on a million reviews) to belong in a worker thread.
    A database that cannot be read raises `StoreError`, as the store's own reads do.
    """
    try:
        return _compute(store, now or datetime.now(UTC), deck_id)
    except sqlite3.Error as error:
        raise StoreError(f"{store.path}: cannot read the statistics: {error}") from None
    except json.JSONDecodeError as error:  # a settings or tags column damaged outside trainer
        raise StoreError(f"{store.path}: damaged data, a column is not JSON: {error}") from None


def _compute(store: Store, now: datetime, deck_id: int | None) -> Stats:
    _, weights = store.parameters()
    today = study_day_start(now).astimezone().date()
    day_starts = list(_day_starts(today, time.tzname, time.timezone, time.altzone))
    if store.path == ":memory:":
        with store.reading() as conn:
            _ensure_math(conn)
            return _in_transaction(conn, _figures, conn, now, today, day_starts, deck_id, weights)
    # A connection of their own: reading does not hold up the learner's answers on the store's.
    with _readers_of(store) as readers:
        if _large(readers.conn):
            return _two_halves_at_once(readers, now, today, day_starts, deck_id, weights)
        conn = readers.conn
        return _in_transaction(conn, _figures, conn, now, today, day_starts, deck_id, weights)


def _figures(
    conn: sqlite3.Connection,
    now: datetime,
    today: date,
    day_starts: list[int],
    deck_id: int | None,
    weights: tuple[float, ...],
) -> Stats:
    """Every figure. Read in one transaction (`_in_transaction`): all of them from the same
    state of the database, and one lock taken for all the queries instead of one each. The
    review log and the cards are read one after the other: on two threads they took longer at
    10,000 cards, each waiting for the other's turn at the interpreter."""
    reviews = review_figures(conn, today, day_starts[: CALENDAR_DAYS + 1], deck_id)
    cards = card_figures(conn, now, day_starts[CALENDAR_DAYS - 1 :], deck_id, weights)
    return _assemble(conn, now, today, deck_id, reviews, cards)


def _large(conn: sqlite3.Connection) -> bool:
    """Whether the collection holds `PARALLEL_CARDS` cards or more (as its highest card id
    says: one seek)."""
    (highest,) = conn.execute("SELECT max(id) FROM cards").fetchone()
    return (highest or 0) >= PARALLEL_CARDS


def _two_halves_at_once(
    readers: _Reader,
    now: datetime,
    today: date,
    day_starts: list[int],
    deck_id: int | None,
    weights: tuple[float, ...],
) -> Stats:
    """The figures of all decks (`deck_id` None) or of one, in a large collection: the review
    log and the cards at once, each on a connection of its own (sqlite3 lets go of the
    interpreter while a query runs), each in a read transaction of its own. At 100,000 cards on
    two free processors all decks' took 270 ms where one after the other took 430 ms, and one
    deck's 14 ms where they took 18 (at 1,000,000 cards: 35 ms where they took 42)."""
    first, second = readers.conn, readers.other()
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(
            _in_transaction, second, card_figures,
            second, now, day_starts[CALENDAR_DAYS - 1 :], deck_id, weights,
        )  # fmt: skip
        reviews = _in_transaction(
            first, review_figures, first, today, day_starts[: CALENDAR_DAYS + 1], deck_id
        )
        return _assemble(first, now, today, deck_id, reviews, pending.result())


def _in_transaction(conn: sqlite3.Connection, read: Callable[..., T], *args: object) -> T:
    """`read(*args)` inside one read transaction on `conn` (unless one is open already)."""
    began = not conn.in_transaction
    if began:
        conn.execute("BEGIN")
    try:
        return read(*args)
    finally:
        if began:
            conn.commit()


@functools.lru_cache(maxsize=4)
def _calendar_days(today: date, days: int) -> tuple[date, ...]:
    """The last `days` dates up to `today`, oldest first; the same all day long."""
    return tuple(today - timedelta(days=back) for back in range(days - 1, -1, -1))


@functools.lru_cache(maxsize=4)
def _day_starts(today: date, *zone: object) -> tuple[int, ...]:
    """The start of each study day of the calendar and the forecast, and of the day after;
    the same all day long in one time zone (`zone`), so computed once (395 calls of mktime)."""
    return tuple(
        local_ms(today + timedelta(days=k), ROLLOVER_HOUR)
        for k in range(1 - CALENDAR_DAYS, FORECAST_DAYS + 1)
    )


def _assemble(
    conn: sqlite3.Connection,
    now: datetime,
    today: date,
    deck_id: int | None,
    reviews: ReviewFigures,
    cards: CardFigures,
) -> Stats:
    """The `Stats` of the review log's and the cards' figures."""
    calendar = tuple(map(CalendarDay, _calendar_days(today, len(reviews.daily)), reviews.daily))
    return Stats(
        now=now,
        deck_id=deck_id,
        today=reviews.today,
        retention=reviews.retention,
        desired_retention=weighted_desired_retention(cards.decks),
        forecast=cards.forecast,
        calendar=calendar,
        streak=_streak(calendar, lambda starts: active_days(conn, starts, deck_id)),
        counts=cards.counts,
        stability=cards.stability,
        difficulty=cards.difficulty,
        retrievability=cards.retrievability,
        decks=cards.decks,
        tags=cards.tags,
        hardest=cards.hardest,
        buttons=reviews.buttons,
        hours=reviews.hours,
    )


@dataclass
class _Reader:
    """A store's statistics connections, kept between one computation and the next."""

    path: str
    conn: sqlite3.Connection
    second: sqlite3.Connection | None = None
    """For the cards' half when the two halves run at once; opened the first time."""
    busy: threading.Lock = field(default_factory=threading.Lock)

    def other(self) -> sqlite3.Connection:
        """The second connection."""
        if self.second is None:
            self.second = _reader(self.path)
        return self.second

    def close(self) -> None:
        self.conn.close()
        if self.second is not None:
            self.second.close()


_KEPT: weakref.WeakKeyDictionary[Store, _Reader] = weakref.WeakKeyDictionary()


@contextmanager
def _readers_of(store: Store) -> Iterator[_Reader]:
    """The store's reading connections: the same ones each time, their caches warm and their
    schema read (a fresh one costs about half the figures of one deck at 10,000 cards); closed
    when the store is. A second computation at once gets connections of its own."""
    kept = _KEPT.get(store)
    if kept is None:
        kept = _KEPT[store] = _Reader(store.path, _reader(store.path))
        store.closing.append(functools.partial(_close, kept))
    if not kept.busy.acquire(blocking=False):
        fresh = _Reader(store.path, _reader(store.path))
        try:
            yield fresh
        finally:
            fresh.close()
        return
    try:
        yield kept
    finally:
        kept.busy.release()


def _close(kept: _Reader) -> None:
    with kept.busy:  # closing under a running query would crash the interpreter
        kept.close()


def _reader(path: str) -> sqlite3.Connection:
    """A connection of the statistics' own, for reading only."""
    conn = sqlite3.connect(path, timeout=5.0, check_same_thread=False)
    conn.execute("PRAGMA query_only = ON")
    # Memory-mapped reads skip a copy per page, but every page read stays resident while the
    # screen is open: a map of the whole file (256 MiB) kept 265 MiB resident at 100,000 cards.
    # A small map keeps most of the gain at a bounded cost.
    conn.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
    _ensure_math(conn)
    return conn


def _ensure_math(conn: sqlite3.Connection) -> None:
    """Give SQLite `pow`, `log2` and `floor` when it was built without its math functions."""
    try:
        conn.execute("SELECT pow(2, 0.5), log2(2), floor(0.5)")
    except sqlite3.OperationalError:
        conn.create_function("pow", 2, math.pow, deterministic=True)
        conn.create_function("log2", 1, math.log2, deterministic=True)
        conn.create_function("floor", 1, math.floor, deterministic=True)


def _streak(calendar: tuple[CalendarDay, ...], active) -> int:
    """Consecutive days with answers ending today, or yesterday while today has none yet.

    `active(day_starts)` says which earlier days have answers, for streaks older than the
    calendar.
    """
    studied = [day.reviews > 0 for day in reversed(calendar)]
    if not studied[0]:
        studied = studied[1:]
    streak = 0
    for answered in studied:
        if not answered:
            return streak
        streak += 1
    # Every day of the calendar was studied: look further back, a year at a time.
    oldest = calendar[0].day
    while True:
        first = oldest - timedelta(days=CALENDAR_DAYS)
        starts = [
            local_ms(first + timedelta(days=k), ROLLOVER_HOUR) for k in range(CALENDAR_DAYS + 1)
        ]
        for answered in reversed(active(starts)):
            if not answered:
                return streak
            streak += 1
        oldest = first
