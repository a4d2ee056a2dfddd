"""The forecast: how many cards fall due on each study day from today.

Part of `trainer.stats`; reads the due cards' entries of `cards_by_deck` only.
"""

from __future__ import annotations

import bisect
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from trainer.stats.hours import slot_step


@dataclass(frozen=True, slots=True)  # many of them: built faster
class DueDay:
    """Cards falling due on one study day of the forecast (day 0 includes overdue cards)."""

    day: date
    due: int
    cumulative: int


def due_forecast(
    conn: sqlite3.Connection, day_starts: list[int], params: dict, deck: str
) -> tuple[DueDay, ...]:
    """Cards falling due on each study day from today; overdue cards count today.

    One pass over the due cards' entries of `cards_by_deck` (deck, retired, suspended, state,
    due), read without touching the cards themselves, grouped by the hour (a range per day
    and deck cost 31 times as many seeks); each hour's day is found here.
    """
    start, end = day_starts[1], day_starts[-1]
    step = slot_step(tuple(day_starts))
    rows = conn.execute(
        f"""
        SELECT CASE WHEN c.due < :start THEN -1 ELSE (c.due - :start) / :step END AS slot,
               count(*)
        FROM cards c INDEXED BY cards_by_deck
        WHERE c.deck_id IN (SELECT id FROM decks) {deck} AND c.retired = 0 AND c.suspended = 0
          AND c.state IN (1, 2, 3) AND c.due < :end
        GROUP BY slot
        """,
        {**params, "start": start, "end": end, "step": step},
    ).fetchall()
    counts = [0] * (len(day_starts) - 1)
    for slot, count in rows:
        day = 0 if slot < 0 else bisect.bisect_right(day_starts, start + slot * step) - 1
        counts[day] += count
    first = datetime.fromtimestamp(day_starts[0] / 1000).date()
    forecast, total = [], 0
    for key, count in enumerate(counts):
        total += count
        forecast.append(DueDay(first + timedelta(days=key), count, total))
    return tuple(forecast)
