"""The answers that moved a schedule, all cards' together in time order: what the fit of the
scheduler's parameters reads (`trainer.optimize`), first of all, so that it starts early.

The same answers as `history.answer_columns` gives card by card: undo rows, undone answers and
quiz answers that left the schedule alone are left out, and so are the answers of cards that
record no last review. The log is keyed by time (`review_log.TIME_SHIFT`), so its table in its
own order is the time order: it is read in a few spans of time by the table's key, each as
three JSON arrays (no row per answer; `TimelineParts`), so that the fit's copy works on one
part while the next is read. Only the few undone answers and quiz answers are looked at first:
a quiz answer moved the schedule exactly when the card's next standing answer (or, for its
last, the card itself) records it as the last review. The cards' answers one by one come from
the same lists (`card_columns`, with the cards' keys and schedules read by `studied_cards`).
"""

from __future__ import annotations

import json
import sqlite3
from bisect import bisect_left
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import chain, compress, count, islice, repeat
from operator import eq, rshift
from typing import NamedTuple

from trainer.core.cards import Schedule
from trainer.store import log_codec
from trainer.store.history import AnswerColumns, StudyDays, deck_schedules
from trainer.store.review_log import MODE_KINDS, TIME_SHIFT

_QUIZ = MODE_KINDS["quiz"]
_SET_APART = f"(kind = {_QUIZ} OR rating IS NULL)"
"""The few rows of the log looked at before it is read: quiz answers, and rows that are no
answer (undos). Queries name it word for word, so that SQLite uses its index."""
SET_APART_INDEX = (
    f"CREATE INDEX IF NOT EXISTS reviews_set_apart ON reviews(kind, rating) WHERE {_SET_APART};"
)
"""The index of those rows (`schema_changes.m022_reviews_set_apart`)."""
_ANSWERS = f"""
    SELECT (SELECT count(*) FROM reviews)
            - (SELECT count(*) FROM reviews WHERE {_SET_APART} AND rating IS NULL),
        (SELECT min(id) FROM reviews WHERE rating IS NOT NULL),
        (SELECT max(id) FROM reviews WHERE rating IS NOT NULL),
        (SELECT json_group_array(id) FROM (SELECT id FROM reviews
            WHERE {_SET_APART} AND kind = {_QUIZ} AND rating IS NOT NULL ORDER BY id))
    """
"""How many answers the log holds, the first and last one's ids, and the quiz answers' ids:
the rows counted from the table's smallest index, less the rows of no answer, and the quiz
answers, from the index of the rows set apart (no scan of the log)."""
_UNDONE = "SELECT undoes FROM reviews WHERE undoes IS NOT NULL"
_NEVER_ANSWERED = """
    SELECT json_group_array(id) FROM cards AS c WHERE c.last_review IS NULL
        AND EXISTS (SELECT 1 FROM reviews WHERE card_id = c.id AND rating IS NOT NULL)
    """
"""Cards with answers that record no last review: their answers are left out."""
_NEXT_ANSWER = """(SELECT min(a.id) FROM reviews AS a WHERE a.card_id = {0}.card_id
    AND +a.id > {0}.id AND a.rating IS NOT NULL {1})"""
"""The id of a card's next answer after a row of `{0}` (`{1}`: what else it must be)."""
_UNRECORDED_QUIZZES = f"""
    WITH undone(id) AS MATERIALIZED ({_UNDONE}),
    asked AS MATERIALIZED (
        SELECT r.id, r.card_id, {_NEXT_ANSWER.format("r", "")} AS next_id
        FROM json_each(?) AS q JOIN reviews AS r ON r.id = q.value
        WHERE r.id NOT IN undone
    ),
    standing AS MATERIALIZED (
        SELECT id, card_id, CASE WHEN next_id IN undone
            THEN {_NEXT_ANSWER.format("asked", "AND a.id NOT IN undone")} ELSE next_id END AS next_id
        FROM asked
    )
    SELECT json_group_array(s.id) FROM standing AS s LEFT JOIN reviews AS n ON n.id = s.next_id
    WHERE s.id >> {TIME_SHIFT} IS NOT CASE
        WHEN s.next_id IS NULL THEN (SELECT last_review FROM cards WHERE id = s.card_id)
        ELSE ifnull({log_codec.last_review_sql(f"n.id >> {TIME_SHIFT}", "n.")}, -1) END
    """
"""Which of these quiz answers (ids) stand and are not recorded as the last review by the
card's next standing answer (or the card, for its last): they left the schedule alone. The next
answer is looked for among the undone ones too, and again without them only where it is one
(a few): testing each of a card's answers against the undone ones took a third of the time."""
_LEFT_OUT_ANSWERS = """
    SELECT count(*) FROM (
        SELECT id FROM reviews WHERE id IN (SELECT value FROM json_each(?)) AND rating IS NOT NULL
        UNION SELECT id FROM reviews
        WHERE card_id IN (SELECT value FROM json_each(?)) AND rating IS NOT NULL
    )
    """
"""How many answers these answers (ids) and the answers of these cards (ids) are."""
_PART = """
    SELECT json_group_array(card_id), json_group_array(rating), json_group_array(id)
    FROM (SELECT card_id, rating, id FROM reviews
        WHERE rating IS NOT NULL AND id >= ? AND id < ? ORDER BY id)
    """
"""The card, rating and id of every answer between two ids, in time order."""
PARTS = 16
"""How many parts of about equal time the log is read in."""


class Timeline(NamedTuple):
    """The answers that moved a schedule, all cards' in time order, one list per field."""

    cards: list[int]
    ratings: list[int]
    times: list[int]
    """Epoch milliseconds, rising."""
    days: list[int]
    """Study days (`core.progress.study_day`)."""


class TimelineParts:
    """The answers that moved a schedule, all cards' in time order (`Timeline`), read a part
    at a time (`parts`: each `Timeline` of a span of time, earliest first), and how many
    they are (`size`): so that the fit's copy can work on each part while the next is read.

    The answers to leave out (undone; quiz answers that left the schedule alone; those of
    cards that record no last review) are found first. Parts end between milliseconds, so the
    answers of one moment are in one part."""

    def __init__(self, conn: sqlite3.Connection, parts: int = PARTS) -> None:
        self.conn = conn
        answers, first, last, quizzes = conn.execute(_ANSWERS).fetchone()
        (undone,) = conn.execute(f"SELECT json_group_array(undoes) FROM ({_UNDONE})").fetchone()
        (unrecorded,) = conn.execute(_UNRECORDED_QUIZZES, [quizzes]).fetchone()
        (never,) = conn.execute(_NEVER_ANSWERED).fetchone()
        self.left_out = sorted({*json.loads(undone), *json.loads(unrecorded)})
        self.never: set[int] = set(json.loads(never))
        left = 0
        if self.left_out or self.never:
            (left,) = conn.execute(_LEFT_OUT_ANSWERS, [json.dumps(self.left_out), never]).fetchone()
        self.size: int = answers - left
        self.bounds = [] if first is None else _bounds(first, last, parts)

    def parts(self) -> Iterator[Timeline]:
        """The timeline's parts, earliest first."""
        days = StudyDays()
        for low, high in zip(self.bounds, self.bounds[1:]):
            columns = self.conn.execute(_PART, (low, high)).fetchone()
            cards, ratings, ids = self._kept(*(json.loads(column) for column in columns))
            times = list(map(rshift, ids, repeat(TIME_SHIFT)))
            _cards_order_at_ties(times, cards, ratings)
            yield Timeline(cards, ratings, times, days.of_rising(times))

    def _kept(self, cards: list[int], ratings: list[int], ids: list[int]) -> list[list[int]]:
        """The columns of a part's answers without those to leave out."""
        if not ids:
            return [cards, ratings, ids]
        among = self.left_out[bisect_left(self.left_out, ids[0]) :]
        left_out = set(_places(ids, among[: bisect_left(among, ids[-1] + 1)]))
        if self.never:
            left_out.update(compress(count(), map(self.never.__contains__, cards)))
        if not left_out:
            return [cards, ratings, ids]
        # a few: the answers between them are kept, a slice at a time
        ends = sorted(left_out)
        kept = list(map(slice, [0, *(end + 1 for end in ends)], [*ends, len(ids)]))
        return [
            list(chain.from_iterable(map(column.__getitem__, kept)))
            for column in (cards, ratings, ids)
        ]


def _bounds(first: int, last: int, parts: int) -> list[int]:
    """Ids that cut the log from `first` to `last` into `parts` spans of about equal time, at
    the starts of milliseconds."""
    start, end = first >> TIME_SHIFT, (last >> TIME_SHIFT) + 1
    moments = sorted({start + (end - start) * part // parts for part in range(parts + 1)})
    return [moment << TIME_SHIFT for moment in moments]


def joined(parts: Iterable[Timeline]) -> Timeline:
    """One timeline of these parts, in their order."""
    whole = Timeline([], [], [], [])
    for part in parts:
        for column, more in zip(whole, part):
            column.extend(more)
    return whole


def read_answer_timeline(conn: sqlite3.Connection) -> Timeline:
    """Every answer that moved a card's schedule (as `history.answer_columns` gives them), in
    time order (answers of one millisecond in the log's order), in one timeline."""
    return joined(TimelineParts(conn).parts())


def _cards_order_at_ties(times: list[int], *columns: list[int]) -> None:
    """Put the answers of each moment (equal `times`) in the cards' order (the first of
    `columns`), a card's own in the log's order, as the answers card by card give them. Only
    the moments whose answers are out of that order are sorted."""
    cards = columns[0]
    done = 0
    for place in compress(count(1), map(eq, islice(times, 1, None), times)):
        if place < done or cards[place] >= cards[place - 1]:
            continue
        moment = times[place]
        start, done = place - 1, place + 1
        while start > 0 and times[start - 1] == moment:
            start -= 1
        while done < len(times) and times[done] == moment:
            done += 1
        order = sorted(range(start, done), key=cards.__getitem__)
        for column in columns:
            column[start:done] = [column[at] for at in order]


def _places(ids: list[int], review_ids: list[int]) -> Iterator[int]:
    """Where these reviews are in the rising `ids`, for those that are there."""
    for review_id in review_ids:
        place = bisect_left(ids, review_id)
        if place < len(ids) and ids[place] == review_id:
            yield place


StudiedCard = tuple[int, str, Schedule]
"""A card that records a last review: its id, key and deck's schedule."""


def studied_cards(conn: sqlite3.Connection) -> list[StudiedCard]:
    """Every card that records a last review, in card order (read in the transaction that
    reads the timeline, for `card_columns`)."""
    schedules = deck_schedules(conn)
    return [
        (card_id, key, schedules[deck_id])
        for card_id, deck_id, key in conn.execute(
            "SELECT id, deck_id, key FROM cards WHERE last_review IS NOT NULL ORDER BY id"
        )
    ]


def card_columns(timeline: Timeline, cards: list[StudiedCard]) -> list[AnswerColumns]:
    """Each card's answers of the timeline, oldest first, in card order: what
    `history.answer_columns` reads card by card, from the one read of the log in time order
    (`cards`: as `studied_cards` reads them)."""
    ratings, times, days = (column.__getitem__ for column in timeline[1:])
    return [
        AnswerColumns(
            card_id, key, schedule, [*map(ratings, at)], [*map(times, at)], [*map(days, at)]
        )
        for (card_id, key, schedule), at in card_places(timeline, cards)
    ]


def card_places(
    timeline: Timeline, cards: list[StudiedCard]
) -> Iterator[tuple[StudiedCard, list[int]]]:
    """Each of `cards` that has answers in the timeline, in card order, with where its answers
    are in it, oldest first (what `card_columns` makes each card's lists of)."""
    places: list[list[int]] = [[] for _ in range(max(timeline.cards, default=-1) + 1)]
    deque(map(list.append, map(places.__getitem__, timeline.cards), count()), 0)
    for card in cards:
        if card[0] < len(places) and (at := places[card[0]]):
            yield card, at
