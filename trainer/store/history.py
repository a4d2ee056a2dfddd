"""Reading the review log back for the scheduler: each card's answers that moved its schedule.

Used to fit the scheduler's parameters and to recompute card states, over logs of millions of
answers: SQLite hands over each card's answers as one row of joined columns, read through the
covering `reviews_by_card` index, so Python never holds a row per answer. Only for an answer
that the next one does not record as the card's last review is the log asked whether it was a
quiz answer (which then left the schedule alone); a card with two answers at one moment, or a
rating of more than one digit, is read again answer by answer.
"""

from __future__ import annotations

import json
import sqlite3
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import accumulate, compress, count, groupby, islice, repeat
from operator import floordiv, ge, itemgetter
from typing import NamedTuple

from trainer.core.cards import Schedule
from trainer.core.progress import from_millis, study_day
from trainer.store.rows import schedule_from_settings

_SLOT_MS = 15 * 60 * 1000
"""Every time zone's offset is a multiple of 15 minutes, so all the times of one such slot of
UTC share their study day: it is worked out once per slot, not once per answer."""

_STANDING = "rating IS NOT NULL AND id NOT IN (SELECT undoes FROM reviews WHERE undoes IS NOT NULL)"
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


class _StudyDays(dict[int, int]):
    """Study days by 15-minute slot of UTC, each worked out on first use."""

    def __missing__(self, slot: int) -> int:
        day = self[slot] = study_day(from_millis(slot * _SLOT_MS))
        return day

    def of(self, times: list[int]) -> list[int]:
        """The study day of each of these times (epoch milliseconds)."""
        return list(map(self.__getitem__, map(floordiv, times, repeat(_SLOT_MS))))


def _cards(conn: sqlite3.Connection) -> dict[int, tuple[Schedule, int, str]]:
    """Each studied card's deck schedule, last review and key."""
    schedules = {
        deck_id: schedule_from_settings(json.loads(settings))
        for deck_id, settings in conn.execute("SELECT id, settings FROM decks")
    }
    return {
        card_id: (schedules[deck_id], last_review, key)
        for card_id, deck_id, last_review, key in conn.execute(
            "SELECT id, deck_id, last_review, key FROM cards WHERE last_review IS NOT NULL"
        )
    }


def answer_columns(conn: sqlite3.Connection) -> list[AnswerColumns]:
    """Every card's answers that moved its schedule, in card order.

    Undo rows and undone answers are left out, and so are quiz answers that left the schedule
    alone: an answer moved it exactly when the card's next standing answer (or, for the last,
    the card itself) records it as the last review.
    """
    cards = _cards(conn)
    days = _StudyDays()
    found: list[AnswerColumns] = []
    closer_look: list[int] = []
    rows = conn.execute(
        f"""
        SELECT card_id, group_concat(rating, ''), group_concat(reviewed_at),
            group_concat(ifnull(last_review_before, ''))
        FROM reviews WHERE {_STANDING}
        GROUP BY card_id ORDER BY card_id
        """
    )
    plain: list[tuple[int, tuple[Schedule, int, str], str]] = []  # card id, card, ratings
    joined_times: list[str] = []
    unrecorded: dict[int, list[int]] = {}  # by index in `plain`: places of answers to check
    for card_id, ratings, times, befores in rows:
        card = cards.get(card_id)
        if card is None:
            continue
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
        found.extend(_answer_by_answer(conn, cards, closer_look, days))
        found.sort(key=lambda columns: columns.card_id)
    return found


def _quiz_answers(
    conn: sqlite3.Connection, answers: Sequence[tuple[int, int]]
) -> set[tuple[int, int]]:
    """Which of these standing answers, `(card id, time)`, were quiz answers."""
    if not answers:
        return set()
    return {
        (card_id, at)
        for card_id, at in conn.execute(
            """
            SELECT r.card_id, r.reviewed_at FROM json_each(?) AS asked
            JOIN reviews AS r ON r.card_id = json_extract(asked.value, '$[0]')
                AND r.reviewed_at = json_extract(asked.value, '$[1]')
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
    days: _StudyDays,
) -> Iterable[AnswerColumns]:
    """The answers of these cards that moved their schedule, read one row per answer.

    Only an answer that the one after it does not record as the last review can have left
    the schedule alone; only for those is the log asked whether they were quiz answers.
    """
    rows = conn.execute(
        f"""
        SELECT card_id, id, rating, reviewed_at, last_review_before FROM reviews
        WHERE card_id IN (SELECT value FROM json_each(?)) AND {_STANDING}
        ORDER BY card_id, reviewed_at, id
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
