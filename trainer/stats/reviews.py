"""The figures read from the review log: today, true retention, the calendar, buttons, hours.

Part of `trainer.stats`. SQLite has no hash aggregation: a GROUP BY over a million reviews sorts
them all, which costs more than every figure together. So the last year is read as one
correlated sub-query per local hour, each a range of the log's ids (the log is keyed by time,
`trainer.store.review_log.time_key`), and the counts of one hour come back packed into two
integers (15 bits per count, unpacked in `_Tally.add`).
The figures of one deck read its cards' reviews instead, card by card through the covering
`reviews_by_card` index, grouped by hour in SQL (a sort of one deck's reviews): a deck is a
small share of the log.

Undo rows have no rating, so they fall out of every count. Undone reviews are few: they are
counted like the others, then counted again on their own and taken off (`_ALL_UNDONE`,
`_DECK_UNDONE`), which is much cheaper than testing every row against the list of undone ids.
"""

from __future__ import annotations

import json
import operator
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from trainer.stats.hours import HOUR_MS, slot_places, slot_step
from trainer.store.log_codec import interval_at_least_sql
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
# Failed and passed counts of older reviews, which may pass 15 bits: 31 bits each.
_WIDE = 31
_WIDE_MASK = (1 << _WIDE) - 1
_MATURE = interval_at_least_sql(MATURE_DAYS, "r.")
_YOUNG = interval_at_least_sql(1, "r.")
"""Young when not mature (tested first)."""
# One bit field per rating: Again, Hard, Good, Easy.
_PACKED_RATINGS = f"sum(1 << ({_FIELD} * r.rating - {_FIELD}))"
# One bit field each for young failed, young passed, mature failed, mature passed. A review of a
# new card has no interval (NULL) and falls to ELSE like one of a card in its learning steps.
_PACKED_RETENTION = f"""sum(CASE
    WHEN {_MATURE} THEN 1 << ({2 * _FIELD} + {_FIELD} * (r.rating > 1))
    WHEN {_YOUNG} THEN 1 << ({_FIELD} * (r.rating > 1))
    ELSE 0 END)"""
_RETENTION_COUNTS = f"""
    count(*) FILTER (WHERE r.rating > 1 AND {_YOUNG} AND NOT {_MATURE}),
    count(*) FILTER (WHERE r.rating = 1 AND {_YOUNG} AND NOT {_MATURE}),
    count(*) FILTER (WHERE r.rating > 1 AND {_MATURE}),
    count(*) FILTER (WHERE r.rating = 1 AND {_MATURE})"""
_BUCKETS = """(SELECT key, value, lead(value) OVER (ORDER BY key) AS next
              FROM json_each(:bounds)) AS b"""
# The sums `_Tally.add` reads, per slot of the year counted from `:first` (-1: older reviews).
_SLOT = "CASE WHEN r.id < :first THEN -1 ELSE (r.id - :first) / :step END"
_RATINGS_OR_YOUNG = f"""CASE WHEN r.id >= :first THEN 1 << ({_FIELD} * r.rating - {_FIELD})
    WHEN {_MATURE} THEN 0 WHEN {_YOUNG} THEN 1 << ({_WIDE} * (r.rating > 1)) ELSE 0 END"""
_KEPT_OR_MATURE = f"""CASE
    WHEN {_MATURE} THEN 1 << (CASE WHEN r.id >= :first THEN {2 * _FIELD} + {_FIELD} * (r.rating > 1)
                              ELSE {_WIDE} * (r.rating > 1) END)
    WHEN {_YOUNG} AND r.id >= :first THEN 1 << ({_FIELD} * (r.rating > 1)) ELSE 0 END"""
# In ids, not times: `reviewed_at` is computed from the id, and naming it would make SQLite read
# every row from the table instead of the covering index. The deck's undo rows come along in
# the same seeks, each a group of its own (slot -2 - its id; their sums are empty).
_ONE_DECK = f"""
    SELECT CASE WHEN r.rating IS NULL THEN -2 - r.id ELSE {_SLOT} END AS slot,
           sum({_RATINGS_OR_YOUNG}), sum({_KEPT_OR_MATURE})
    FROM cards c INDEXED BY cards_by_deck JOIN reviews r INDEXED BY reviews_by_card
      ON r.card_id = c.id
    WHERE c.deck_id = :deck AND (r.id < :last OR r.rating IS NULL)
    GROUP BY slot
    """
_SUMS = f"SELECT {_SLOT} AS slot, sum({_RATINGS_OR_YOUNG}), sum({_KEPT_OR_MATURE}) FROM reviews r"
_ALL_UNDONE = f"""{_SUMS}
    WHERE r.id IN (SELECT undoes FROM reviews WHERE undoes IS NOT NULL)
      AND r.rating IS NOT NULL AND r.id < :last
    GROUP BY slot"""
# An undo is logged against the card of the answer it takes back (`review_log.undo_latest`,
# `device_sync`), so a deck's undone answers are those its own undo rows name.
_DECK_UNDONE = f"""{_SUMS}
    WHERE r.id IN (SELECT u.undoes FROM reviews u WHERE u.id IN (SELECT value FROM json_each(:undo)))
      AND r.rating IS NOT NULL AND r.id < :last
      AND (SELECT c.deck_id FROM cards c WHERE c.id = r.card_id) = :deck
    GROUP BY slot"""


@dataclass(frozen=True)
class Retention:
    """Passed and failed reviews of cards whose interval was at least a day, young and mature.

    The interval is the one the card was scheduled with when reviewed: `due_before -
    last_review_before` (read from the stored columns, `log_codec.interval_sql`). Passed means
    any rating but Again.
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


@dataclass(frozen=True, slots=True)  # many of them: built faster
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
    bounds, step, places = slot_places(first_day, tuple(day_starts))
    params = {
        "first": time_key(bounds[0]),
        "step": time_key(step),
        "last": time_key(bounds[-1]),
        "deck": deck_id,
    }
    counted = _Tally(len(day_starts) - 1, places)
    if deck_id is None:
        counted.add(_hourly(conn, bounds, params))
        older = conn.execute(
            f"SELECT {_RETENTION_COUNTS} FROM reviews r WHERE r.id < :first", params
        ).fetchone()
        counted.older = [older[1], older[0], older[3], older[2]]
        undone_sums = conn.execute(_ALL_UNDONE, params).fetchall()
    else:
        rows = conn.execute(_ONE_DECK, params).fetchall()
        undos = 0  # the undo rows: first, in slot order
        while undos < len(rows) and rows[undos][0] <= -2:
            undos += 1
        counted.add(rows[undos:])
        undone_sums = []
        if undos:
            undo_ids = json.dumps([-2 - slot for slot, _, _ in rows[:undos]])
            undone_sums = conn.execute(_DECK_UNDONE, {**params, "undo": undo_ids}).fetchall()
    # Counted above like the others (testing each row against the undone ones cost a fifth of
    # the query): counted again on their own, and taken off.
    undone = _Tally(len(day_starts) - 1, places)
    undone.add(undone_sums)
    return counted.figures(undone, _today(conn, day_starts[-2], day_starts[-1], deck_id))


class _Tally:
    """Answers counted per study day and per hour of the day, from sums per slot."""

    def __init__(self, days: int, places: Sequence[tuple[int, int]]) -> None:
        self.places = places
        self.daily = [0] * days
        self.again = [0] * days
        # Young failed and passed, mature failed and passed (the order of the packed fields).
        self.kept = [[0] * days for _ in range(4)]
        self.answers_by_hour = [0] * 24
        self.correct_by_hour = [0] * 24
        self.buttons = [0, 0, 0, 0]
        self.older = [0, 0, 0, 0]
        """The retention fields of reviews before the year."""
        self.empty = True

    def add(self, rows: Iterable[tuple[int, int, int]]) -> None:
        """Count rows of (slot, ratings, kept): packed sums of 15-bit fields of one slot of the
        year (`_PACKED_RATINGS`, `_PACKED_RETENTION`); slot -1 holds the retention fields of
        the older reviews, 31 bits each, young ones in `ratings` and mature ones in `kept`."""
        places, daily, again_daily = self.places, self.daily, self.again
        young_failed, young_passed, mature_failed, mature_passed = self.kept
        by_hour, correct_by_hour = self.answers_by_hour, self.correct_by_hour
        again_total = hard_total = good_total = easy_total = 0
        for slot, ratings, kept in rows:
            self.empty = False
            if slot < 0:
                older = self.older
                older[0] += ratings & _WIDE_MASK
                older[1] += ratings >> _WIDE
                older[2] += kept & _WIDE_MASK
                older[3] += kept >> _WIDE
                continue
            day, hour = places[slot]
            again = ratings & _MASK
            hard = (ratings >> _FIELD) & _MASK
            good = (ratings >> (2 * _FIELD)) & _MASK
            easy = ratings >> (3 * _FIELD)
            answers = again + hard + good + easy
            daily[day] += answers
            again_daily[day] += again
            by_hour[hour] += answers
            correct_by_hour[hour] += answers - again
            again_total += again
            hard_total += hard
            good_total += good
            easy_total += easy
            if kept:
                young_failed[day] += kept & _MASK
                young_passed[day] += (kept >> _FIELD) & _MASK
                mature_failed[day] += (kept >> (2 * _FIELD)) & _MASK
                mature_passed[day] += kept >> (3 * _FIELD)
        for field, count in enumerate((again_total, hard_total, good_total, easy_total)):
            self.buttons[field] += count

    def figures(self, undone: _Tally, today: tuple[int, int]) -> ReviewFigures:
        """The figures of the answers counted here, less those of the `undone` ones."""
        if not undone.empty:
            for into, taken in zip(self._lists(), undone._lists()):
                into[:] = map(operator.sub, into, taken)
        days = len(self.daily)
        periods = {
            name: _retention([field[days - last : days - first] for field in self.kept])
            for name, (first, last) in PERIODS.items()
        }
        periods["all"] = periods["year"] + _retention([[count] for count in self.older])
        cards, time_ms = today
        reviews, again = self.daily[-1], self.again[-1]
        return ReviewFigures(
            today=Today(reviews, cards, time_ms, again, reviews - again),
            retention=periods,
            daily=tuple(self.daily),
            buttons=(self.buttons[0], self.buttons[1], self.buttons[2], self.buttons[3]),
            hours=tuple(
                HourCount(hour, answers, correct)
                for hour, (answers, correct) in enumerate(
                    zip(self.answers_by_hour, self.correct_by_hour)
                )
            ),
        )

    def _lists(self):
        return (self.daily, self.again, *self.kept, self.answers_by_hour, self.correct_by_hour,
                self.buttons, self.older)  # fmt: skip


def _retention(fields: list[list[int]]) -> Retention:
    """The retention of some days' young failed, young passed, mature failed, mature passed."""
    young_failed, young_passed, mature_failed, mature_passed = (sum(field) for field in fields)
    return Retention(young_passed, young_failed, mature_passed, mature_failed)


def _hourly(
    conn: sqlite3.Connection, bounds: tuple[int, ...], params: dict
) -> Iterator[tuple[int, int, int]]:
    """(slot, ratings, kept) of each hour between `bounds` with answers, one range of the
    log's ids each.

    Where every bound is a whole number of hours after the first (any zone whose clock changes
    by whole hours), the hours are counted in SQL: the bounds need not be sent and unpacked
    (about a third of the cost at 10,000 cards). Elsewhere each hour's slot is its first
    millisecond, counted from the first bound.
    """
    sums = f"{_PACKED_RATINGS} || ',' || {_PACKED_RETENTION}"
    if slot_step(bounds) != HOUR_MS:
        rows = conn.execute(
            f"""
            SELECT (b.value - :first) / :step,
                   (SELECT {sums} FROM reviews r WHERE r.id >= b.value AND r.id < b.next)
            FROM {_BUCKETS} WHERE b.next IS NOT NULL
            """,
            {**params, "bounds": _keys(list(bounds))},
        )
    else:
        # From each hour with answers straight to the next one (one seek): most hours of a
        # learner's day have none.
        rows = conn.execute(
            f"""
            WITH RECURSIVE busy(n) AS (
                SELECT ((SELECT min(r.id) FROM reviews r WHERE r.id >= :first) - :first) / :step
                UNION ALL
                SELECT ((SELECT min(r.id) FROM reviews r WHERE r.id >= :first + (n + 1) * :step)
                        - :first) / :step
                FROM busy WHERE n < :hours)
            SELECT n, (SELECT {sums} FROM reviews r
                       WHERE r.id >= :first + n * :step AND r.id < :first + (n + 1) * :step)
            FROM busy WHERE n < :hours
            """,
            {**params, "hours": (bounds[-1] - bounds[0]) // HOUR_MS},
        )
    for slot, packed in rows:
        if packed is not None:
            ratings, kept = packed.split(",")
            yield slot, int(ratings), int(kept)


def _keys(bounds: list[int]) -> str:
    """Times as the lowest review ids at them, in JSON for `_BUCKETS`."""
    return json.dumps([time_key(bound) for bound in bounds])


def _today(conn: sqlite3.Connection, start: int, end: int, deck_id: int | None) -> tuple[int, int]:
    """Distinct cards answered today (of one deck, or of all) and the time spent on them.

    Today's range of the log, each answer's card looked up for its deck and its id in the
    index of undone ones: cheaper than a list of the deck's cards, or of every undone answer.
    """
    deck = "AND (SELECT c.deck_id FROM cards c WHERE c.id = r.card_id) = :deck"
    if deck_id is None:
        deck = ""
    cards, time_ms = conn.execute(
        f"""
        SELECT count(DISTINCT r.card_id), total(r.duration_ms)
        FROM reviews r NOT INDEXED
        WHERE r.id >= :start AND r.id < :end AND r.rating IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM reviews u WHERE u.undoes = r.id) {deck}
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
