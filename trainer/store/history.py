"""Reading the review log back for fitting the scheduler: every standing answer, card by card."""

from __future__ import annotations

import json
import sqlite3

from trainer.core.cards import Schedule
from trainer.store.rows import schedule_from_settings

AnswerRow = tuple[int, int, int, str, int | None, int | None, Schedule]
"""card id, rating, answered at (ms), mode, the card's last review before it (ms), the card's
last review now (ms), and its deck's schedule."""


def answer_history(conn: sqlite3.Connection) -> list[AnswerRow]:
    """Every rated answer that was not undone, ordered by card, then time.

    Undo rows and undone answers are left out; quiz answers are kept with their mode, so the
    caller can tell those that moved the schedule from those that did not.
    """
    rows = conn.execute(
        """
        SELECT r.card_id, r.rating, r.reviewed_at, r.mode, r.last_review_before,
               c.last_review, d.settings
        FROM reviews r JOIN cards c ON c.id = r.card_id JOIN decks d ON d.id = c.deck_id
        WHERE r.rating IS NOT NULL
          AND r.id NOT IN (SELECT undoes FROM reviews WHERE undoes IS NOT NULL)
        ORDER BY r.card_id, r.reviewed_at, r.id
        """
    ).fetchall()
    schedules: dict[str, Schedule] = {}
    history: list[AnswerRow] = []
    for *fields, settings in rows:
        schedule = schedules.get(settings)
        if schedule is None:
            schedule = schedules[settings] = schedule_from_settings(json.loads(settings))
        history.append((*fields, schedule))
    return history
