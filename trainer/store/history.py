"""Reading the review log back for the scheduler: each card's answers that moved its schedule.

Used to fit the scheduler's parameters and to recompute card states. One scan of the review log
in card order; a long log has many answers, so each is a plain tuple.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from operator import itemgetter
from typing import NamedTuple

from trainer.core.cards import Schedule
from trainer.core.progress import from_millis, study_day
from trainer.store.rows import schedule_from_settings

_SLOT_MS = 15 * 60 * 1000
"""Every time zone's offset is a multiple of 15 minutes, so all the times of one such slot of
UTC share their study day: it is worked out once per slot, not once per answer."""


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


def scheduling_answers(conn: sqlite3.Connection) -> list[CardAnswers]:
    """Every card's answers that moved its schedule, in card order.

    Undo rows and undone answers are left out, and so are quiz answers that left the schedule
    alone: an answer moved it exactly when the card's next standing answer (or, for the last,
    the card itself) records it as the last review.
    """
    schedules = {
        deck_id: schedule_from_settings(json.loads(settings))
        for deck_id, settings in conn.execute("SELECT id, settings FROM decks")
    }
    cards = {
        card_id: (schedules[deck_id], last_review, key)
        for card_id, deck_id, last_review, key in conn.execute(
            "SELECT id, deck_id, last_review, key FROM cards WHERE last_review IS NOT NULL"
        )
    }
    # Read in the table's order and sorted here (a stable sort: rows of one card and moment keep
    # their id order): SQLite would instead walk the card index and fetch every row from the
    # table, three times slower on a million reviews.
    rows = conn.execute(
        """
        SELECT card_id, rating, reviewed_at, mode, last_review_before FROM reviews NOT INDEXED
        WHERE rating IS NOT NULL
          AND id NOT IN (SELECT undoes FROM reviews WHERE undoes IS NOT NULL)
        ORDER BY id
        """
    ).fetchall()
    rows.sort(key=itemgetter(0, 2))
    days: dict[int, int] = {}
    found: list[CardAnswers] = []
    kept: list[Answer] = []
    current: int | None = None
    quiz: Answer | None = None  # a quiz answer waiting to learn whether it moved the schedule

    def close() -> None:
        card = None if current is None else cards.get(current)
        if card is None or current is None:
            return
        if quiz is not None and card[1] == quiz.at:
            kept.append(quiz)
        if kept:
            found.append(CardAnswers(current, card[2], card[0], tuple(kept)))

    for card_id, rating, at, mode, last_review_before in rows:
        if card_id != current:
            close()
            current, kept, quiz = card_id, [], None
        elif quiz is not None:
            if last_review_before == quiz.at:
                kept.append(quiz)
            quiz = None
        slot = at // _SLOT_MS
        day = days.get(slot)
        if day is None:
            day = days[slot] = study_day(from_millis(slot * _SLOT_MS))
        if mode == "quiz":
            quiz = Answer(rating, at, day)
        else:
            kept.append(Answer(rating, at, day))
    close()
    return found
