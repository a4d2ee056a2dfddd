"""Where a learner stands with one card: the scheduler's memory state in plain values, study
days, and intervals as a button shows them."""

from __future__ import annotations

import time as clock
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import IntEnum
from typing import overload

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MILLISECOND = timedelta(milliseconds=1)
_SECOND = timedelta(seconds=1)


class State(IntEnum):
    """A card's place in learning; the numbers are the ones stored in the database."""

    NEW = 0
    LEARNING = 1
    REVIEW = 2
    RELEARNING = 3


@dataclass(frozen=True)
class Progress:
    """A card's scheduling state. A new card has no stability, difficulty or due time yet."""

    state: State = State.NEW
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: datetime | None = None
    last_review: datetime | None = None
    reps: int = 0
    lapses: int = 0


@overload
def to_millis(moment: datetime) -> int: ...
@overload
def to_millis(moment: None) -> None: ...
@overload
def to_millis(moment: datetime | None) -> int | None: ...
def to_millis(moment: datetime | None) -> int | None:
    """An aware datetime as integer UTC epoch milliseconds (how the database stores times)."""
    if moment is None:
        return None
    # Integer arithmetic: a float timestamp times 1000 can land a millisecond short.
    return (moment - _EPOCH) // _MILLISECOND


@overload
def from_millis(millis: int) -> datetime: ...
@overload
def from_millis(millis: None) -> None: ...
@overload
def from_millis(millis: int | None) -> datetime | None: ...
def from_millis(millis: int | None) -> datetime | None:
    """The inverse of `to_millis`: a UTC-aware datetime."""
    if millis is None:
        return None
    return _EPOCH + _MILLISECOND * millis  # exact: whole microseconds, as `timedelta` counts


ROLLOVER_HOUR = 4
"""As in Anki, a study day ends at 4 a.m. local time, so a late session counts for the evening."""
_EPOCH_DAY = date(1970, 1, 1).toordinal()


def study_date(moment: datetime) -> date:
    """The study day `moment` belongs to: a day runs from 4 a.m. to 4 a.m. local time."""
    return (moment.astimezone() - timedelta(hours=ROLLOVER_HOUR)).date()


def study_day_start(now: datetime) -> datetime:
    """When the learner's current study day began (4 a.m. local time), as a UTC datetime."""
    local = now.astimezone()
    start = datetime.combine(study_date(now), time(ROLLOVER_HOUR), tzinfo=local.tzinfo)
    return start.astimezone(UTC)


def study_day(moment: datetime) -> int:
    """The study day `moment` belongs to, as a day number (`date.toordinal`).

    Elapsed time in the scheduler is a difference of these, as in Anki: an answer at 23:00 and
    the next at 05:00 are a day apart, two answers at 05:00 and 23:00 the same day.
    """
    # `study_date(moment).toordinal()` in whole seconds (a day starts on one): the local clock
    # is UTC plus the offset in force at `moment`, as `astimezone` makes it, without building
    # the local time zone for every answer.
    seconds = (moment - _EPOCH) // _SECOND
    local = seconds + clock.localtime(seconds).tm_gmtoff - ROLLOVER_HOUR * 3600
    return local // 86400 + _EPOCH_DAY


def format_interval(span: timedelta) -> str:
    """An interval as Anki writes it on a button: `<1m`, `10m`, `3h`, `4d`, `2.1mo`, `1.5y`."""
    seconds = span.total_seconds()
    if seconds < 60:
        return "<1m"
    if seconds < 3600:
        return f"{round(seconds / 60)}m"
    if seconds < 86400:
        return f"{round(seconds / 3600)}h"
    days = seconds / 86400
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.1f}mo"
    return f"{days / 365:.1f}y"
