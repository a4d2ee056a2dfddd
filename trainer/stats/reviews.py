"""The figures read from the review log: today, true retention, the calendar, buttons, hours.

Part of `trainer.stats`. SQLite has no hash aggregation: a GROUP BY over a million reviews sorts
them all, which costs more than every figure together. So the last year is read as one
correlated sub-query per local hour, each a range of the log's ids (the log is keyed by time,
`trainer.store.review_log.time_key`), and the counts of one hour come back packed into two
integers (15 bits per count, see `_unpack`).
The figures of one deck read its cards' reviews instead, card by card through the covering
`reviews_by_card` index, and tally them here: a deck is a small share of the log.

Undo rows have no rating, so they fall out of every count. Undone reviews are few: they are
counted like the others, then read once and taken off again (`_undone`), which is much cheaper
than testing every row against the list of undone ids.
"""

from __future__ import annotations

import bisect
import json
import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta

from trainer.stats.hours import DAY_MS, HOUR_MS, hour_bounds, hour_buckets, slot_step
from trainer.store.review_log import time_key

MATURE_DAYS = 21
"""As in Anki, a card whose interval is 21 days or more is mature; below that it is young."""
PERIODS = {
    "today": (0, 1),
    "yesterday": (1, 2),
    "week": (0, 7),
    "month": (0, 30),
    "year": (0, 365),
}
"""True-retention periods as study days back from today: (first, last), last excluded."""

_FIELD = 15
_MASK = (1 << _FIELD) - 1
# Failed and passed counts of a deck's older reviews, which may pass 15 bits: 31 bits each (a
# sum of reals, exact to 2^53, so that no sum can overflow).
_WIDE = 31
_WIDE_MASK = (1 << _WIDE) - 1
_INTERVAL = "(r.due_before - r.last_review_before)"
# One bit field per rating: Again, Hard, Good, Easy.
_PACKED_RATINGS = f"sum(1 << ({_FIELD} * r.rating - {_FIELD}))"
# One bit field each for young failed, young passed, mature failed, mature passed. A review of a
# new card has no interval (NULL) and falls to ELSE like one of a card in its learning steps.
_PACKED_RETENTION = f"""sum(CASE
    WHEN {_INTERVAL} >= {MATURE_DAYS * DAY_MS} THEN 1 << ({2 * _FIELD} + {_FIELD} * (r.rating > 1))
    WHEN {_INTERVAL} >= {DAY_MS} THEN 1 << ({_FIELD} * (r.rating > 1))
    ELSE 0 END)"""
_RETENTION_COUNTS = f"""
    count(*) FILTER (WHERE r.rating > 1 AND {_INTERVAL} >= {DAY_MS}
                     AND {_INTERVAL} < {MATURE_DAYS * DAY_MS}),
    count(*) FILTER (WHERE r.rating = 1 AND {_INTERVAL} >= {DAY_MS}
                     AND {_INTERVAL} < {MATURE_DAYS * DAY_MS}),
    count(*) FILTER (WHERE r.rating > 1 AND {_INTERVAL} >= {MATURE_DAYS * DAY_MS}),
    count(*) FILTER (WHERE r.rating = 1 AND {_INTERVAL} >= {MATURE_DAYS * DAY_MS})"""
_BUCKETS = """(SELECT key, value, lead(value) OVER (ORDER BY key) AS next
              FROM json_each(:bounds)) AS b"""


@dataclass(frozen=True)
class Retention:
    """Passed and failed reviews of cards whose interval was at least a day, young and mature.

    The interval is the one the card was scheduled with when reviewed: `due_before -
    last_review_before`. Passed means any rating but Again.
    """

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
class HourCount:
    """Answers given in one local hour of the day over the last year, and how many were right."""

    hour: int
    reviews: int
    correct: int


@dataclass(frozen=True)
class ReviewFigures:
    """Everything `review_figures` computes."""

    today: Today
    retention: dict[str, Retention]
    daily: tuple[int, ...]
    """Answers per study day of the last year, oldest first, today last."""
    buttons: tuple[int, int, int, int]
    hours: tuple[HourCount, ...]


def review_figures(
    conn: sqlite3.Connection, today: date, day_starts: list[int], deck_id: int | None
) -> ReviewFigures:
    """The review-log figures; `day_starts` holds the start of each of the last 365 study days,
    oldest first, and the end of today."""
    first_day = today - timedelta(days=len(day_starts) - 2)
    bounds, labels = hour_bounds(first_day, day_starts)
    days = len(day_starts) - 1
    # Per study day: Again, Hard, Good, Easy, then young failed and passed, mature failed and
    # passed (the order of the packed fields). Per hour of the day: answers and correct ones.
    tallies = [[0] * 8 for _ in range(days)]
    per_hour = [[0, 0] for _ in range(24)]

    def tally(bucket: int, counts: list[int]) -> None:
        day, hour = labels[bucket]
        into = tallies[day]
        for field, count in enumerate(counts):
            into[field] += count
        answers = counts[0] + counts[1] + counts[2] + counts[3]
        per_hour[hour][0] += answers
        per_hour[hour][1] += answers - counts[0]

    if deck_id is None:
        older, today_figures = _whole_log(conn, bounds, day_starts, tally)
    else:
        older, today_figures = _one_deck(conn, bounds, day_starts, deck_id, tally)
    periods = {
        name: _retention(tallies[days - last : days - first])
        for name, (first, last) in PERIODS.items()
    }
    periods["all"] = periods["year"] + _retention([[0, 0, 0, 0, *older]])
    buttons = [sum(day[n] for day in tallies) for n in range(4)]
    ratings = tallies[-1][:4]
    reviews = sum(ratings)
    cards, time_ms = today_figures
    return ReviewFigures(
        today=Today(reviews, cards, time_ms, ratings[0], reviews - ratings[0]),
        retention=periods,
        daily=tuple(day[0] + day[1] + day[2] + day[3] for day in tallies),
        buttons=(buttons[0], buttons[1], buttons[2], buttons[3]),
        hours=tuple(HourCount(h, n, correct) for h, (n, correct) in enumerate(per_hour)),
    )


def _whole_log(conn, bounds, day_starts, tally) -> tuple[list[int], tuple]:
    """Tally every review of the last year by hour; return the retention fields of the older
    ones and today's (distinct cards, time spent)."""
    for bucket, packed in _hourly(conn, tuple(bounds)):
        if packed is not None:
            ratings, kept = packed.split(",")
            tally(bucket, _unpack(int(ratings)) + _unpack(int(kept)))
    older = conn.execute(
        f"SELECT {_RETENTION_COUNTS} FROM reviews r WHERE r.id < :before",
        {"before": time_key(bounds[0])},
    ).fetchone()
    older = _take_off_undone(conn, bounds, [older[1], older[0], older[3], older[2]], tally, None)
    return older, _today(conn, day_starts[-2], day_starts[-1], None)


def _take_off_undone(conn, bounds, older: list[int], tally, deck_id: int | None) -> list[int]:
    """Take the undone reviews (of one deck, or of all) off the tallies they were counted in;
    return the retention fields of the older reviews without them."""
    for moment, rating, interval in _undone(conn, deck_id):
        counts = [-int(rating == n) for n in range(1, 5)] + _retention_fields(rating, interval, -1)
        bucket = bisect.bisect_right(bounds, moment) - 1
        if bucket < 0:
            older = [a + b for a, b in zip(older, counts[4:])]
        elif bucket < len(bounds) - 1:
            tally(bucket, counts)
    return older


def _hourly(conn: sqlite3.Connection, bounds: tuple[int, ...]) -> list[tuple[int, str | None]]:
    """(bucket, packed counts) of each hour between `bounds`, one range of the log's ids each.

    Where every bound is a whole number of hours after the first (any zone whose clock changes
    by whole hours), the hours are counted in SQL and each one's bucket looked up here: the
    bounds need not be sent and unpacked (about a third of the cost at 10,000 cards).
    """
    sums = f"{_PACKED_RATINGS} || ',' || {_PACKED_RETENTION}"
    if slot_step(bounds) != HOUR_MS:
        return conn.execute(
            f"""
            SELECT b.key, (SELECT {sums} FROM reviews r WHERE r.id >= b.value AND r.id < b.next)
            FROM {_BUCKETS} WHERE b.next IS NOT NULL
            """,
            {"bounds": _keys(list(bounds))},
        ).fetchall()
    buckets = hour_buckets(bounds)
    rows = conn.execute(
        f"""
        WITH RECURSIVE hour(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM hour WHERE n < :hours - 1)
        SELECT n, (SELECT {sums} FROM reviews r
                   WHERE r.id >= :first + n * :step AND r.id < :first + (n + 1) * :step)
        FROM hour
        """,
        {"hours": len(buckets), "first": time_key(bounds[0]), "step": time_key(HOUR_MS)},
    ).fetchall()
    return [(buckets[n], packed) for n, packed in rows]


def _one_deck(conn, bounds, day_starts, deck_id: int, tally) -> tuple[list[int], tuple]:
    """As `_whole_log`, for one deck: its cards' reviews, read through the card index.

    A deck holds a small share of the log, so its reviews are fetched card by card (the deck's
    cards from `cards_by_deck`, each one's reviews from the covering `reviews_by_card`) instead
    of filtering a scan of the whole year by deck. SQLite groups them by hour (a sort of one
    deck's reviews) into packed sums, so Python sees one row per hour studied.
    """
    first = bounds[0]
    step = slot_step(tuple(bounds))
    passed = f"1 << ({_WIDE} * (r.rating > 1))"
    rows = conn.execute(
        f"""
        SELECT CASE WHEN r.id < :first THEN -1 ELSE (r.id - :first) / :step END AS slot,
               sum(CASE WHEN r.id >= :first THEN 1 << ({_FIELD} * r.rating - {_FIELD}) END),
               total(CASE WHEN {_INTERVAL} >= {DAY_MS} AND {_INTERVAL} < {MATURE_DAYS * DAY_MS}
                          THEN {passed} END),
               total(CASE WHEN {_INTERVAL} >= {MATURE_DAYS * DAY_MS} THEN {passed} END)
        FROM cards c INDEXED BY cards_by_deck JOIN reviews r INDEXED BY reviews_by_card
          ON r.card_id = c.id
        WHERE c.deck_id = :deck AND r.rating IS NOT NULL AND r.id < :last
        GROUP BY slot
        """,
        # In ids, not times: `reviewed_at` is computed from the id, and naming it would make
        # SQLite read every row from the table instead of the covering index.
        {
            "deck": deck_id,
            "first": time_key(first),
            "step": time_key(step),
            "last": time_key(bounds[-1]),
        },  # fmt: skip
    )
    older = [0, 0, 0, 0]
    for slot, ratings, young, mature in rows:
        young, mature = int(young), int(mature)
        kept = [young & _WIDE_MASK, young >> _WIDE, mature & _WIDE_MASK, mature >> _WIDE]
        if slot < 0:  # before the year: counts towards all-time retention only
            older = kept
        else:
            tally(bisect.bisect_right(bounds, first + slot * step) - 1, _unpack(ratings) + kept)
    # Counted above like the others (testing each row against the undone ones cost a fifth of
    # the query): taken off again here.
    older = _take_off_undone(conn, bounds, older, tally, deck_id)
    return older, _today(conn, day_starts[-2], day_starts[-1], deck_id)


def _retention(days: list[list[int]]) -> Retention:
    """The retention counts of some days' tallies."""
    young_failed, young_passed, mature_failed, mature_passed = (
        sum(day[field] for day in days) for field in range(4, 8)
    )
    return Retention(young_passed, young_failed, mature_passed, mature_failed)


def _unpack(packed: int) -> list[int]:
    """The four 15-bit counts of a packed sum, lowest field first."""
    return [(packed >> (_FIELD * n)) & _MASK for n in range(4)]


def _retention_fields(rating: int, interval: int | None, sign: int = 1) -> list[int]:
    """One review as the retention fields of a tally: young failed and passed, mature failed
    and passed."""
    fields = [0, 0, 0, 0]
    if interval is not None and interval >= DAY_MS:
        fields[2 * (interval >= MATURE_DAYS * DAY_MS) + (rating > 1)] = sign
    return fields


def _keys(bounds: list[int]) -> str:
    """Times as the lowest review ids at them, in JSON for `_BUCKETS`."""
    return json.dumps([time_key(bound) for bound in bounds])


def _undone(conn: sqlite3.Connection, deck_id: int | None) -> list[tuple]:
    """(time, rating, interval) of every undone review (of one deck, or of all)."""
    deck = "AND r.card_id IN (SELECT id FROM cards WHERE deck_id = :deck)" if deck_id else ""
    return conn.execute(
        f"""
        SELECT r.reviewed_at, r.rating, {_INTERVAL} FROM reviews r
        WHERE r.id IN (SELECT undoes FROM reviews WHERE undoes IS NOT NULL)
          AND r.rating IS NOT NULL {deck}
        """,
        {"deck": deck_id},
    ).fetchall()


def _today(conn: sqlite3.Connection, start: int, end: int, deck_id: int | None) -> tuple[int, int]:
    """Distinct cards answered today (of one deck, or of all) and the time spent on them."""
    deck = "AND r.card_id IN (SELECT id FROM cards WHERE deck_id = :deck)"
    if deck_id is None:
        deck = ""
    cards, time_ms = conn.execute(
        f"""
        SELECT count(DISTINCT r.card_id), total(r.duration_ms)
        FROM reviews r
        WHERE r.id >= :start AND r.id < :end AND r.rating IS NOT NULL
          AND r.id NOT IN (SELECT undoes FROM reviews WHERE undoes IS NOT NULL) {deck}
        """,
        {"start": time_key(start), "end": time_key(end), "deck": deck_id},
    ).fetchone()
    return cards, int(time_ms)


def active_days(conn: sqlite3.Connection, day_starts: list[int], deck_id: int | None) -> list[bool]:
    """Whether each study day [day_starts[i], day_starts[i + 1]) has a standing answer."""
    deck = (
        "AND r.card_id IN (SELECT id FROM cards WHERE deck_id = :deck)"
        if deck_id is not None
        else ""
    )
    rows = conn.execute(
        f"""
        SELECT b.key, EXISTS (
            SELECT 1 FROM reviews r
            WHERE r.id >= b.value AND r.id < b.next AND r.rating IS NOT NULL
              AND r.id NOT IN (SELECT undoes FROM reviews WHERE undoes IS NOT NULL) {deck})
        FROM {_BUCKETS} WHERE b.next IS NOT NULL ORDER BY b.key
        """,
        {"deck": deck_id, "bounds": _keys(day_starts)},
    ).fetchall()
    return [bool(active) for _, active in rows]
