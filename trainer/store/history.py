"""Reading the review log back for the scheduler: each card's answers that moved its schedule.

Used to recompute card states (and by the optimizer, should its own read in time order,
`answer_timeline`, not serve), over logs of millions of answers: SQLite hands over each card's
answers, in time order, as one row of joined columns, read through the covering
`reviews_by_card` index, so Python never holds a row per answer.
Only for an answer that the next one does not record as the card's last review is the log
asked whether it was a quiz answer (which then left the schedule alone); a card with two
answers at one moment, or a rating of more than one digit, is read again answer by answer.
"""

from __future__ import annotations

import heapq
import json
import sqlite3
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import accumulate, chain, compress, count, groupby, islice, repeat
from operator import floordiv, ge, itemgetter
from typing import NamedTuple

from trainer.core.cards import Schedule
from trainer.core.progress import from_millis, study_day
from trainer.store import log_codec
from trainer.store.review_log import TIME_SHIFT
from trainer.store.rows import schedule_from_settings

_SLOT_MS = 15 * 60 * 1000
"""Every time zone's offset is a multiple of 15 minutes, so all the times of one such slot of
UTC share their study day: it is worked out once per slot, not once per answer."""

_NOT_UNDONE = "id NOT IN (SELECT undoes FROM reviews WHERE undoes IS NOT NULL)"
_STANDING = f"rating IS NOT NULL AND {_NOT_UNDONE}"
"""Answers that stand: not undo rows, and not undone."""


class Answer(NamedTuple):
    """One answer that moved a card's schedule."""

    rating: int
    """1 (Again) to 4 (Easy), as `Rating`."""
    at: int
    """Epoch milliseconds."""
    day: int
    """The study day (4 a.m. local rollover), as a day number (`core.progress.study_day`)."""


@dataclass(frozen=True)
class CardAnswers:
    """A card's answers that moved its schedule, oldest first, and its deck's schedule."""

    card_id: int
    key: str
    """The card's key, from which its fuzz is seeded (`schedule.card_seed`)."""
    schedule: Schedule
    reviews: tuple[Answer, ...]


class AnswerColumns(NamedTuple):
    """A card's answers that moved its schedule, oldest first, as one list per field."""

    card_id: int
    key: str
    """The card's key, from which its fuzz is seeded (`schedule.card_seed`)."""
    schedule: Schedule
    ratings: list[int]
    times: list[int]
    """Epoch milliseconds."""
    days: list[int]
    """Study days (`core.progress.study_day`)."""


class StudyDays(dict[int, int]):
    """Study days by 15-minute slot of UTC, each worked out on first use."""

    def __missing__(self, slot: int) -> int:
        day = self[slot] = study_day(from_millis(slot * _SLOT_MS))
        return day

    def of(self, times: list[int]) -> list[int]:
        """The study day of each of these times (epoch milliseconds)."""
        return list(map(self.__getitem__, map(floordiv, times, repeat(_SLOT_MS))))

    def of_rising(self, times: list[int]) -> list[int]:
        """`of` these rising times, a slot's run of them at a time: the log holds many answers
        per slot."""
        runs = []
        start = 0
        while start < len(times):
            slot = times[start] // _SLOT_MS
            end = bisect_left(times, (slot + 1) * _SLOT_MS, start)
            runs.append(repeat(self[slot], end - start))
            start = end
        return list(chain.from_iterable(runs))


def _undone_cards(conn: sqlite3.Connection) -> set[int]:
    """The cards with an undone answer (a few: only their answers are tested against the
    undone ones)."""
    return {
        card_id
        for (card_id,) in conn.execute(
            "SELECT r.card_id FROM reviews AS u JOIN reviews AS r ON r.id = u.undoes"
            " WHERE u.undoes IS NOT NULL"
        )
    }


def _joined_answers(
    conn: sqlite3.Connection, undone: set[int], time_of: str, order: str
) -> Iterable[tuple[int, int, int, str, str | None]]:
    """Each studied card's id, deck, last review and key, and its standing answers in time
    order as one text of three joined columns (ratings, times, recorded last reviews), in card
    order (`time_of` and `order` as `_time_order` gives them).

    Each card's few answers are sorted on their own (the card index holds them by rating). Only
    the answers of the cards with an undone one (`undone`) are tested against the undone ones:
    testing every answer would cost a third of the read.
    """
    before = _last_review_before(time_of)
    query = f"""
        SELECT c.id, c.deck_id, c.last_review, c.key, (
            SELECT group_concat(rating, '') || '|' || group_concat(at) || '|'
                || group_concat(before)
            FROM (
                SELECT rating, {time_of} AS at, ifnull({before}, '') AS before
                FROM reviews WHERE card_id = c.id AND rating IS NOT NULL {{standing}}
                ORDER BY {order}
            )
        )
        FROM cards AS c
        WHERE c.last_review IS NOT NULL AND c.id {{among}} (SELECT value FROM json_each(?))
        ORDER BY c.id
        """
    listed = [json.dumps(sorted(undone))]
    return heapq.merge(
        conn.execute(query.format(standing="", among="NOT IN", before=before), listed),
        conn.execute(
            query.format(standing=f"AND {_NOT_UNDONE}", among="IN", before=before), listed
        ),
    )


def _time_order(conn: sqlite3.Connection) -> tuple[str, str]:
    """How to read an answer's time and the log's order: from the id in a log keyed by time
    (`review_log.TIME_SHIFT`; naming the computed `reviewed_at` would make SQLite read every
    row from the table instead of the covering index), from the stored column in an older one
    (which its migrations read)."""
    generated = any(
        name == "reviewed_at" and hidden > 1
        for _, name, *_, hidden in conn.execute("PRAGMA table_xinfo(reviews)")
    )
    if generated:
        return f"id >> {TIME_SHIFT}", "id"
    return "reviewed_at", "reviewed_at, id"


def _last_review_before(time_of: str) -> str:
    """How to read an answer's recorded last review so that `reviews_by_card` covers the read:
    from the stored columns in a log keyed by time (`log_codec.last_review_sql`), from the
    stored column in an older one."""
    if time_of == "reviewed_at":
        return "last_review_before"
    return log_codec.last_review_sql(time_of)


def deck_schedules(conn: sqlite3.Connection) -> dict[int, Schedule]:
    """Every deck's schedule, by deck id (one object per deck)."""
    return {
        deck_id: schedule_from_settings(json.loads(settings))
        for deck_id, settings in conn.execute("SELECT id, settings FROM decks")
    }


def answer_columns(conn: sqlite3.Connection) -> list[AnswerColumns]:
    """Every card's answers that moved its schedule, in card order.

    Undo rows and undone answers are left out, and so are quiz answers that left the schedule
    alone: an answer moved it exactly when the card's next standing answer (or, for the last,
    the card itself) records it as the last review.
    """
    schedules = deck_schedules(conn)
    time_of, order = _time_order(conn)
    days = StudyDays()
    found: list[AnswerColumns] = []
    closer_look: list[int] = []
    cards: dict[int, tuple[Schedule, int, str]] = {}
    rows = _joined_answers(conn, _undone_cards(conn), time_of, order)
    plain: list[tuple[int, tuple[Schedule, int, str], str]] = []  # card id, card, ratings
    joined_times: list[str] = []
    unrecorded: dict[int, list[int]] = {}  # by index in `plain`: places of answers to check
    for card_id, deck_id, last_review, key, joined in rows:
        if joined is None:
            continue
        card = cards[card_id] = (schedules[deck_id], last_review, key)
        ratings, times, befores = joined.split("|")
        if len(ratings) != times.count(",") + 1:  # a rating of more than one digit
            closer_look.append(card_id)
            continue
        # An answer moved the schedule when the next one records it as its last review (the
        # card, for the last); when all do, the joined texts show it at once.
        cut = times.rfind(",")
        last = str(card[1])
        if times[cut + 1 :] != last or befores[befores.find(",") + 1 :] != times[: max(cut, 0)]:
            recorded = [*befores.split(",")[1:], last]
            unrecorded[len(plain)] = [
                place for place, (at, by) in enumerate(zip(times.split(","), recorded)) if at != by
            ]
        plain.append((card_id, card, ratings))
        joined_times.append(times)
    # All the cards' answers parsed at once, then cut card by card.
    every_time = list(map(int, ",".join(joined_times).split(","))) if plain else []
    every_day = days.of(every_time)
    every_rating = list(map(int, "".join(ratings for _, _, ratings in plain)))
    ends = list(accumulate(len(ratings) for _, _, ratings in plain))
    starts = [0, *ends[:-1]]
    # Rising times are in the log's order; on equal times that is the row order: read again.
    unordered = set()
    for position in compress(count(), map(ge, every_time, islice(every_time, 1, None))):
        index = bisect_right(ends, position)
        if position + 1 < ends[index]:
            unordered.add(index)
    quizzes = _quiz_answers(
        conn,
        time_of,
        [
            (plain[index][0], every_time[starts[index] + place])
            for index, places in unrecorded.items()
            if index not in unordered
            for place in places
        ],
    )
    for index, ((card_id, card, _), start, end) in enumerate(zip(plain, starts, ends)):
        if index in unordered:
            closer_look.append(card_id)
            continue
        every = (every_rating, every_time, every_day)
        if index in unrecorded:
            kept = [at for at in range(start, end) if (card_id, every_time[at]) not in quizzes]
            if not kept:
                continue
            columns = [[column[at] for at in kept] for column in every]
        else:
            columns = [column[start:end] for column in every]
        found.append(AnswerColumns(card_id, card[2], card[0], *columns))
    if closer_look:
        found.extend(_answer_by_answer(conn, cards, closer_look, days, (time_of, order)))
        found.sort(key=lambda columns: columns.card_id)
    return found


def _quiz_answers(
    conn: sqlite3.Connection, time_of: str, answers: Sequence[tuple[int, int]]
) -> set[tuple[int, int]]:
    """Which of these standing answers, `(card id, time)`, were quiz answers (`time_of`: an
    answer's time, as `_time_order` gives it)."""
    if not answers:
        return set()
    # Keyed by time, the log finds an answer by its id's range; an older one by its card.
    card, asked_at = "json_extract(asked.value, '$[0]')", "json_extract(asked.value, '$[1]')"
    if time_of == "reviewed_at":
        read, moment = "r.reviewed_at", f"r.card_id = {card} AND r.reviewed_at = {asked_at}"
    else:
        read = f"r.id >> {TIME_SHIFT}"
        moment = (
            f"+r.card_id = {card}"
            f" AND r.id >= {asked_at} << {TIME_SHIFT} AND r.id < ({asked_at} + 1) << {TIME_SHIFT}"
        )
    return {
        (card_id, at)
        for card_id, at in conn.execute(
            f"""
            SELECT r.card_id, {read} FROM json_each(?) AS asked JOIN reviews AS r ON {moment}
            WHERE r.mode = 'quiz' AND r.rating IS NOT NULL
                AND r.id NOT IN (SELECT undoes FROM reviews WHERE undoes IS NOT NULL)
            """,
            [json.dumps(answers)],
        )
    }


def _answer_by_answer(
    conn: sqlite3.Connection,
    cards: dict[int, tuple[Schedule, int, str]],
    card_ids: Sequence[int],
    days: StudyDays,
    time_order: tuple[str, str],
) -> Iterable[AnswerColumns]:
    """The answers of these cards that moved their schedule, read one row per answer
    (`time_order`: an answer's time and the log's order, as `_time_order` gives them).

    Only an answer that the one after it does not record as the last review can have left
    the schedule alone; only for those is the log asked whether they were quiz answers.
    """
    time_of, order = time_order
    rows = conn.execute(
        f"""
        SELECT card_id, id, rating, {time_of}, {_last_review_before(time_of)} FROM reviews
        WHERE card_id IN (SELECT value FROM json_each(?)) AND {_STANDING}
        ORDER BY card_id, {order}
        """,
        [json.dumps(card_ids)],
    ).fetchall()
    unrecorded = [
        row[1]
        for row, after in zip(rows, [*rows[1:], None])
        if row[3] != (cards[row[0]][1] if after is None or after[0] != row[0] else after[4])
    ]
    quizzes = {
        review_id
        for (review_id,) in conn.execute(
            "SELECT id FROM reviews WHERE id IN (SELECT value FROM json_each(?)) AND mode = 'quiz'",
            [json.dumps(unrecorded)],
        )
    }
    for card_id, answers in groupby(rows, itemgetter(0)):
        kept = [(rating, at) for _, review_id, rating, at, _ in answers if review_id not in quizzes]
        schedule, _, key = cards[card_id]
        if kept:
            times = [at for _, at in kept]
            yield AnswerColumns(
                card_id, key, schedule, [rating for rating, _ in kept], times, days.of(times)
            )


def scheduling_answers(conn: sqlite3.Connection) -> list[CardAnswers]:
    """Every card's answers that moved its schedule, in card order (`answer_columns`, one
    `Answer` per answer)."""
    return [
        CardAnswers(
            card.card_id,
            card.key,
            card.schedule,
            tuple(map(Answer, card.ratings, card.times, card.days)),
        )
        for card in answer_columns(conn)
    ]
