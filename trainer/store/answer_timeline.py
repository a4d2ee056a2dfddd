"""The answers that moved a schedule, all cards' together in time order: what the fit of the
scheduler's parameters reads (`trainer.optimize`), first of all, so that it starts early.

The same answers as `history.answer_columns` gives card by card: undo rows, undone answers and
quiz answers that left the schedule alone are left out, and so are the answers of cards that
record no last review. The log is keyed by time (`review_log.TIME_SHIFT`), so its table in its
own order is the time order: it is read in one pass, with no sort and no index, as three JSON
arrays (no row per answer). Only the few undone answers and quiz answers are looked at again:
a quiz answer moved the schedule exactly when the card's next standing answer (or, for its
last, the card itself) records it as the last review. The answers' JSON arrays are read
first (`read_answer_timeline`); while they become Python lists (`TimelineRead.timeline`), a
thread reads the few answers to leave out. The cards' answers one by one come from the same
lists (`card_columns`, with the cards' keys and schedules read by `studied_cards`).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from bisect import bisect_left
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from itertools import chain, compress, count, islice, repeat
from operator import eq, rshift
from typing import NamedTuple

from trainer.core.cards import Schedule
from trainer.store import log_codec
from trainer.store.history import AnswerColumns, StudyDays, deck_schedules
from trainer.store.review_log import MODE_KINDS, TIME_SHIFT

_QUIZ = MODE_KINDS["quiz"]
_READ = f"""
    SELECT json_group_array(card_id), json_group_array(rating), json_group_array(id),
        json_group_array(id) FILTER (WHERE kind = {_QUIZ})
    FROM (SELECT card_id, rating, kind, id FROM reviews WHERE rating IS NOT NULL ORDER BY id)
    """
"""Every answer's card, rating and id in time order, and the quiz answers' ids."""
_UNDONE = "SELECT undoes FROM reviews WHERE undoes IS NOT NULL"
_NEVER_ANSWERED = """
    SELECT json_group_array(id) FROM cards AS c WHERE c.last_review IS NULL
        AND EXISTS (SELECT 1 FROM reviews WHERE card_id = c.id AND rating IS NOT NULL)
    """
"""Cards with answers that record no last review: their answers are left out."""
_UNRECORDED_QUIZZES = f"""
    WITH asked AS MATERIALIZED (
        SELECT r.id, r.id >> {TIME_SHIFT} AS at, c.last_review, (
            SELECT min(a.id) FROM reviews AS a
            WHERE a.card_id = r.card_id AND +a.id > r.id AND a.rating IS NOT NULL
                AND a.id NOT IN ({_UNDONE})
        ) AS next_id
        FROM json_each(?) AS q JOIN reviews AS r ON r.id = q.value
        JOIN cards AS c ON c.id = r.card_id
        WHERE r.id NOT IN ({_UNDONE})
    )
    SELECT json_group_array(asked.id) FROM asked LEFT JOIN reviews AS n ON n.id = asked.next_id
    WHERE asked.at IS NOT CASE WHEN asked.next_id IS NULL THEN asked.last_review
        ELSE ifnull({log_codec.last_review_sql(f"n.id >> {TIME_SHIFT}", "n.")}, -1) END
    """
"""Which of these quiz answers (ids) stand and are not recorded as the last review by the
card's next standing answer (or the card, for its last): they left the schedule alone."""


class Timeline(NamedTuple):
    """The answers that moved a schedule, all cards' in time order, one list per field."""

    cards: list[int]
    ratings: list[int]
    times: list[int]
    """Epoch milliseconds, rising."""
    days: list[int]
    """Study days (`core.progress.study_day`)."""


LeftOut = tuple[list[str], str]
"""The ids of the answers to leave out (undone; quiz answers that left the schedule alone), and
the cards whose answers are left out, as JSON arrays."""


class TimelineRead(NamedTuple):
    """The log's answers as the database gave them, as JSON arrays; `timeline()` reads them."""

    cards: str
    ratings: str
    ids: str
    left_out: Callable[[], LeftOut]
    """Waits for them: they are read by a thread (SQLite lets go of the interpreter's lock)
    while the arrays are parsed."""

    def timeline(self) -> Timeline:
        """The answers that moved a schedule, in time order."""
        cards, ratings, ids = (
            json.loads(column) for column in (self.cards, self.ratings, self.ids)
        )
        answers, cards_left_out = self.left_out()
        left_out = {place for text in answers for place in _places(ids, json.loads(text))}
        never = set(json.loads(cards_left_out))
        if never:
            left_out.update(compress(count(), map(never.__contains__, cards)))
        if left_out:  # a few: the answers between them are kept, a slice at a time
            ends = sorted(left_out)
            kept = list(map(slice, [0, *(end + 1 for end in ends)], [*ends, len(ids)]))
            cards, ratings, ids = (
                list(chain.from_iterable(map(column.__getitem__, kept)))
                for column in (cards, ratings, ids)
            )
        times = list(map(rshift, ids, repeat(TIME_SHIFT)))
        _cards_order_at_ties(times, cards, ratings)
        return Timeline(cards, ratings, times, StudyDays().of_rising(times))


def read_answer_timeline(conn: sqlite3.Connection) -> TimelineRead:
    """Every answer that moved a card's schedule (as `history.answer_columns` gives them), in
    time order (answers of one millisecond in the log's order), read."""
    cards, ratings, ids, quizzes = conn.execute(_READ).fetchone()
    future: Future[LeftOut] = Future()
    thread = threading.Thread(target=_read_left_out, args=(conn, quizzes, future), daemon=True)
    thread.start()

    def left_out() -> LeftOut:
        thread.join()  # ended, not only done: the process may be forked next
        return future.result()

    return TimelineRead(cards, ratings, ids, left_out)


def _read_left_out(conn: sqlite3.Connection, quizzes: str, future: Future[LeftOut]) -> None:
    """The answers and cards to leave out (`LeftOut`) of the log read by `_READ`."""
    try:
        undone = conn.execute(f"SELECT json_group_array(undoes) FROM ({_UNDONE})").fetchone()[0]
        (unrecorded,) = conn.execute(_UNRECORDED_QUIZZES, [quizzes]).fetchone()
        (never,) = conn.execute(_NEVER_ANSWERED).fetchone()
    except BaseException as error:  # raised where the result is asked for
        future.set_exception(error)
    else:
        future.set_result(([undone, unrecorded], never))


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
