"""The one place that talks to the `fsrs` library: next states, interval previews, retrievability.

Everything outside this module speaks in `Progress` and `Rating`, so the scheduler could be
swapped without touching the store or the screens.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timedelta
from functools import lru_cache

import fsrs

from trainer.core.cards import Schedule
from trainer.core.grading import Rating
from trainer.core.progress import Progress, State

DEFAULT_PARAMETERS: tuple[float, ...] = tuple(fsrs.Scheduler().parameters)
"""FSRS's published default weights, used until `trainer optimize` fits the learner's own."""


@lru_cache(maxsize=64)
def _scheduler(schedule: Schedule, parameters: tuple[float, ...]) -> fsrs.Scheduler:
    return fsrs.Scheduler(
        parameters=parameters,
        desired_retention=schedule.desired_retention,
        learning_steps=schedule.learning_steps,
        relearning_steps=schedule.relearning_steps,
    )


def card_seed(key: str) -> int:
    """The number a card's fuzz is drawn from: made from its key, so it is the same on every
    device (database ids are not), and a synced history replays to the same intervals."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=6).digest(), "big")


def _to_fsrs(card_id: int, progress: Progress, now: datetime) -> fsrs.Card:
    # Passing the id matters: without one, fsrs.Card sleeps a millisecond to make a unique id.
    if progress.state is State.NEW:
        return fsrs.Card(card_id=card_id, state=fsrs.State.Learning, step=0, due=now)
    return fsrs.Card(
        card_id=card_id,
        state=fsrs.State(int(progress.state)),
        step=progress.step,
        stability=progress.stability,
        difficulty=progress.difficulty,
        due=progress.due,
        last_review=progress.last_review,
    )


def next_progress(
    card_id: int,
    progress: Progress,
    rating: Rating,
    now: datetime,
    schedule: Schedule,
    parameters: Sequence[float] = DEFAULT_PARAMETERS,
) -> Progress:
    """The card's state after the learner answers with `rating` at `now`."""
    return _answer(_scheduler(schedule, tuple(parameters)), card_id, progress, rating, now)


def _answer(
    scheduler: fsrs.Scheduler, card_id: int, progress: Progress, rating: Rating, now: datetime
) -> Progress:
    # fsrs fuzzes long intervals with the global random generator; seeding it from the card and
    # its review count makes the interval shown on a button the one the answer then gives.
    random.seed(card_id * 100_003 + progress.reps)
    card, _ = scheduler.review_card(_to_fsrs(card_id, progress, now), fsrs.Rating(int(rating)), now)
    lapsed = rating is Rating.AGAIN and progress.state is State.REVIEW
    # Built whole rather than with `dataclasses.replace`: replaying a large import answers
    # hundreds of thousands of times, and `replace` costs a tenth of each answer.
    return Progress(
        state=State(int(card.state)),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due,
        last_review=card.last_review,
        reps=progress.reps + 1,
        lapses=progress.lapses + int(lapsed),
    )


def preview_intervals(
    card_id: int,
    progress: Progress,
    now: datetime,
    schedule: Schedule,
    parameters: Sequence[float] = DEFAULT_PARAMETERS,
) -> dict[Rating, timedelta]:
    """How long each answer button would put the card away for, as shown on the buttons."""
    intervals = {}
    for rating in Rating:
        due = next_progress(card_id, progress, rating, now, schedule, parameters).due
        assert due is not None  # an answered card always has a due time
        intervals[rating] = due - now
    return intervals


def forgetting_curve(parameters: Sequence[float] = DEFAULT_PARAMETERS) -> tuple[float, float]:
    """FSRS's forgetting curve R = (1 + FACTOR * days / stability) ** DECAY, as (DECAY, FACTOR).

    Given so that the statistics can compute retrievability in SQL with the same curve.
    """
    decay = -parameters[20]
    return decay, 0.9 ** (1 / decay) - 1


def replay(
    card_id: int,
    answers: Iterable[tuple[Rating, datetime]],
    schedule: Schedule,
    parameters: Sequence[float] = DEFAULT_PARAMETERS,
    progress: Progress | None = None,
) -> Iterator[tuple[Progress, Progress]]:
    """Answer a card's `(rating, time)` answers in turn, yielding its state before and after each.

    How an imported log is replayed, how parameters are scored, and how states are recomputed
    once new parameters are adopted. A card with no `progress` given starts new.
    """
    progress = progress or Progress()
    scheduler = _scheduler(schedule, tuple(parameters))  # looked up once, not per answer
    for rating, at in answers:
        after = _answer(scheduler, card_id, progress, rating, at)
        yield progress, after
        progress = after


def retrievability(
    progress: Progress, now: datetime, parameters: Sequence[float] = DEFAULT_PARAMETERS
) -> float:
    """The predicted chance of recalling the card at `now` (0 for a card never studied)."""
    if progress.stability is None or progress.last_review is None:
        return 0.0
    decay, factor = forgetting_curve(parameters)
    elapsed_days = max(0.0, (now - progress.last_review).total_seconds() / 86400)
    return (1 + factor * elapsed_days / progress.stability) ** decay


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
