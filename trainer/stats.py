"""Progress figures computed from the store: what the statistics screen and `trainer stats` show.

Every figure comes from a few aggregate queries, never one query per card. The review log is read
through its time index, one correlated sub-query per local hour of the last year: SQLite has no
hash aggregation, so a GROUP BY over a million reviews would sort them all, which costs more than
every figure together. Undone reviews and undo rows count nowhere: undo rows have no rating and
every count below is of a rating.

Times follow the learner's clock: study days start at 4 a.m. local time (`study_day_start`) and
hours of the day are local, daylight saving time included.
"""

from __future__ import annotations

import json
import math
import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from trainer.core.progress import ROLLOVER_HOUR, study_day_start
from trainer.stats_cards import (
    CardCounts,
    Distribution,
    DueDay,
    HardCard,
    Mastery,
    card_figures,
    weighted_desired_retention,
)

if TYPE_CHECKING:
    from trainer.store.store import Store

__all__ = [
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

DAY_MS = 86_400_000
HOUR_MS = 3_600_000
MATURE_DAYS = 21
"""As in Anki, a card whose interval is 21 days or more is mature; below that it is young."""
CALENDAR_DAYS = 365
PERIODS = {
    "today": (0, 1),
    "yesterday": (1, 2),
    "week": (0, 7),
    "month": (0, 30),
    "year": (0, 365),
}
"""The true-retention periods as (first, last) study days back from today, last excluded."""


@dataclass(frozen=True)
class Today:
    """What the learner has done since the study day began."""

    reviews: int
    cards: int
    """Distinct cards answered."""
    time_ms: int
    again: int
    correct: int
    """Answers rated Hard, Good or Easy."""

    @property
    def correct_share(self) -> float | None:
        """Share of today's answers that were correct (None before the first answer)."""
        return self.correct / self.reviews if self.reviews else None


@dataclass(frozen=True)
class Retention:
    """Passed and failed reviews of cards whose interval was at least a day, young and mature."""

    young_passed: int = 0
    young_failed: int = 0
    mature_passed: int = 0
    mature_failed: int = 0

    def __add__(self, other: Retention) -> Retention:
        return Retention(
            self.young_passed + other.young_passed,
            self.young_failed + other.young_failed,
            self.mature_passed + other.mature_passed,
            self.mature_failed + other.mature_failed,
        )

    @property
    def young(self) -> float | None:
        """True retention of young cards (interval under 21 days); None without reviews."""
        return _share(self.young_passed, self.young_failed)

    @property
    def mature(self) -> float | None:
        """True retention of mature cards (interval of 21 days or more)."""
        return _share(self.mature_passed, self.mature_failed)

    @property
    def total(self) -> float | None:
        """True retention of young and mature cards together."""
        return _share(
            self.young_passed + self.mature_passed, self.young_failed + self.mature_failed
        )


def _share(passed: int, failed: int) -> float | None:
    return passed / (passed + failed) if passed + failed else None


@dataclass(frozen=True)
class CalendarDay:
    """Answers given on one study day."""

    day: date
    reviews: int


@dataclass(frozen=True)
class HourCount:
    """Answers given in one local hour of the day over the last year, and how many were right."""

    hour: int
    reviews: int
    correct: int


@dataclass(frozen=True)
class Stats:
    """Every progress figure for one deck or for all decks, as of `now`."""

    now: datetime
    deck_id: int | None
    """The deck the figures are limited to (None: every deck)."""
    today: Today
    retention: dict[str, Retention]
    """True retention for `PERIODS` and "all"."""
    desired_retention: float | None
    """The deck's desired retention (over all decks: their average weighted by cards)."""
    forecast: tuple[DueDay, ...]
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
    with store._lock:  # the Store's connection serves one caller at a time
        rows = store.db.execute(
            "SELECT id, name FROM decks WHERE missing = 0 OR imported = 1 "
            "ORDER BY name COLLATE NOCASE"
        ).fetchall()
    return [(deck_id, name) for deck_id, name in rows]


def compute_stats(store: Store, now: datetime | None = None, deck_id: int | None = None) -> Stats:
    """Every figure for `deck_id` (None: all decks) as of `now` (default: the current time)."""
    now = now or datetime.now(UTC)
    _, weights = store.parameters()
    with store._lock:  # the Store's connection serves one caller at a time
        conn = store.db.conn
        _ensure_pow(conn)
        return _compute(conn, now, deck_id, weights)


def _compute(
    conn: sqlite3.Connection, now: datetime, deck_id: int | None, weights: tuple[float, ...]
) -> Stats:
    today = study_day_start(now).astimezone().date()
    day_starts = [_local_ms(today + timedelta(days=k), ROLLOVER_HOUR) for k in range(-364, 31)]
    log = _ReviewLog(conn, deck_id)
    per_day, hours, buttons = log.last_year(day_starts[:366], today - timedelta(days=364))
    older = log.retention_before(day_starts[0])
    retention = {
        name: sum((per_day[364 - k][1] for k in range(first, last)), Retention())
        for name, (first, last) in PERIODS.items()
    }
    retention["all"] = retention["year"] + older
    calendar = tuple(
        CalendarDay(today - timedelta(days=364 - index), reviews)
        for index, (reviews, _) in enumerate(per_day)
    )
    cards = card_figures(conn, now, day_starts[364:], deck_id, weights)
    return Stats(
        now=now,
        deck_id=deck_id,
        today=log.today(day_starts[364], day_starts[365], per_day[364]),
        retention=retention,
        desired_retention=weighted_desired_retention(cards.decks),
        forecast=cards.forecast,
        calendar=calendar,
        streak=_streak(log, calendar),
        counts=cards.counts,
        stability=cards.stability,
        difficulty=cards.difficulty,
        retrievability=cards.retrievability,
        decks=cards.decks,
        tags=cards.tags,
        hardest=cards.hardest,
        buttons=buttons,
        hours=hours,
    )


def _ensure_pow(conn: sqlite3.Connection) -> None:
    """Retrievability needs `pow`, which SQLite only has when built with its math functions."""
    try:
        conn.execute("SELECT pow(2, 0.5)")
    except sqlite3.OperationalError:
        conn.create_function("pow", 2, math.pow, deterministic=True)


def _local_ms(day: date, hour: int) -> int:
    """Epoch ms of `hour` o'clock local time on `day`; mktime applies that day's DST offset."""
    return int(time.mktime((day.year, day.month, day.day, hour, 0, 0, 0, 0, -1))) * 1000


def _hour_starts(day: date, start: int, end: int) -> list[int]:
    """The local hour boundaries of the study day [start, end), `start` included."""
    if end - start == DAY_MS:
        return [start + hour * HOUR_MS for hour in range(24)]
    # A day with a clock change: let mktime place each local hour.
    return [_local_ms(day, ROLLOVER_HOUR + hour) for hour in range(24)]


_INTERVAL = "(r.due_before - r.last_review_before)"
_RETENTION_COUNTS = f"""
    count(*) FILTER (WHERE r.rating > 1 AND {_INTERVAL} >= :day AND {_INTERVAL} < :mature),
    count(*) FILTER (WHERE r.rating = 1 AND {_INTERVAL} >= :day AND {_INTERVAL} < :mature),
    count(*) FILTER (WHERE r.rating > 1 AND {_INTERVAL} >= :mature),
    count(*) FILTER (WHERE r.rating = 1 AND {_INTERVAL} >= :mature)"""


class _ReviewLog:
    """Queries over the review log, limited to one deck or not."""

    def __init__(self, conn: sqlite3.Connection, deck_id: int | None) -> None:
        self.conn = conn
        self.where = "AND r.id NOT IN (SELECT undoes FROM reviews WHERE undoes IS NOT NULL)"
        if deck_id is not None:
            self.where += " AND r.card_id IN (SELECT id FROM cards WHERE deck_id = :deck)"
        self.params: dict[str, object] = {
            "deck": deck_id,
            "day": DAY_MS,
            "mature": MATURE_DAYS * DAY_MS,
        }

    def last_year(
        self, day_starts: list[int], first_day: date
    ) -> tuple[list[tuple[int, Retention]], tuple[HourCount, ...], tuple[int, int, int, int]]:
        """Per study day from `first_day` (oldest first): answers and retention; per hour of the
        day; per button. `day_starts` holds the start of each day and the end of the last."""
        bounds: list[int] = []
        labels: list[tuple[int, int]] = []
        for index, (start, end) in enumerate(zip(day_starts, day_starts[1:])):
            bounds.extend(_hour_starts(first_day + timedelta(days=index), start, end))
            labels.extend((index, (ROLLOVER_HOUR + hour) % 24) for hour in range(24))
        bounds.append(day_starts[-1])
        empty = "[0,0,0,0,0,0,0,0]"
        rows = self.conn.execute(
            f"""
            SELECT key, counts FROM (
                SELECT b.key, (
                    SELECT json_array(
                        count(*) FILTER (WHERE r.rating = 1),
                        count(*) FILTER (WHERE r.rating = 2),
                        count(*) FILTER (WHERE r.rating = 3),
                        count(*) FILTER (WHERE r.rating = 4), {_RETENTION_COUNTS})
                    FROM reviews r
                    WHERE r.reviewed_at >= b.value AND r.reviewed_at < b.next {self.where}
                ) AS counts
                FROM (SELECT key, value, lead(value) OVER (ORDER BY key) AS next
                      FROM json_each(:bounds)) AS b
                WHERE b.next IS NOT NULL
            ) WHERE counts != '{empty}'
            """,
            {**self.params, "bounds": json.dumps(bounds)},
        ).fetchall()
        days = [[0, Retention()] for _ in range(len(day_starts) - 1)]
        per_hour = [[0, 0] for _ in range(24)]
        buttons = [0, 0, 0, 0]
        for key, counts in rows:
            again, hard, good, easy, *retention = json.loads(counts)
            day, hour = labels[key]
            answers = again + hard + good + easy
            days[day][0] += answers
            days[day][1] += Retention(*retention)
            per_hour[hour][0] += answers
            per_hour[hour][1] += answers - again
            for index, count in enumerate((again, hard, good, easy)):
                buttons[index] += count
        hours = tuple(HourCount(hour, n, correct) for hour, (n, correct) in enumerate(per_hour))
        return [(n, r) for n, r in days], hours, (buttons[0], buttons[1], buttons[2], buttons[3])

    def retention_before(self, moment: int) -> Retention:
        """Retention counts of every answer before `moment`."""
        row = self.conn.execute(
            f"SELECT {_RETENTION_COUNTS} FROM reviews r WHERE r.reviewed_at < :before {self.where}",
            {**self.params, "before": moment},
        ).fetchone()
        return Retention(*row)

    def today(self, start: int, end: int, counted: tuple[int, Retention]) -> Today:
        """Today's figures; `counted` holds today's answers from `last_year`."""
        cards, time_ms, again = self.conn.execute(
            f"""
            SELECT count(DISTINCT r.card_id), total(r.duration_ms),
                   count(*) FILTER (WHERE r.rating = 1)
            FROM reviews r
            WHERE r.reviewed_at >= :start AND r.reviewed_at < :end AND r.rating IS NOT NULL
                {self.where}
            """,
            {**self.params, "start": start, "end": end},
        ).fetchone()
        reviews = counted[0]
        return Today(reviews, cards, int(time_ms), again, reviews - again)

    def active_days(self, day_starts: list[int]) -> list[bool]:
        """Whether each study day [day_starts[i], day_starts[i + 1]) has an answer."""
        rows = self.conn.execute(
            f"""
            SELECT b.key, EXISTS (
                SELECT 1 FROM reviews r
                WHERE r.reviewed_at >= b.value AND r.reviewed_at < b.next
                  AND r.rating IS NOT NULL {self.where})
            FROM (SELECT key, value, lead(value) OVER (ORDER BY key) AS next
                  FROM json_each(:bounds)) AS b
            WHERE b.next IS NOT NULL ORDER BY b.key
            """,
            {**self.params, "bounds": json.dumps(day_starts)},
        ).fetchall()
        return [bool(active) for _, active in rows]


def _streak(log: _ReviewLog, calendar: tuple[CalendarDay, ...]) -> int:
    """Consecutive days with answers ending today, or yesterday while today has none yet."""
    active = [day.reviews > 0 for day in reversed(calendar)]
    if not active[0]:
        active = active[1:]
    streak = 0
    for studied in active:
        if not studied:
            return streak
        streak += 1
    # Studied every day of the calendar: look further back, a year at a time.
    oldest = calendar[0].day
    while True:
        first = oldest - timedelta(days=365)
        starts = [_local_ms(first + timedelta(days=k), ROLLOVER_HOUR) for k in range(366)]
        for studied in reversed(log.active_days(starts)):
            if not studied:
                return streak
            streak += 1
        oldest = first
