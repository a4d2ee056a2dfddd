"""FSRS card by card: next states, interval previews, replays, retrievability.

The memory model is fsrs-rs, the Rust FSRS that Anki runs, through `fsrs-rs-python`. As in
Anki, time between answers is counted in study days (which roll over at 4 a.m. local time,
`core.progress.study_day`), never in 24-hour periods: an answer on the same study day updates
the card's short-term stability. Learning and relearning steps and the ordering of the
buttons' intervals are Anki's rules, kept here; so is its fuzz (`trainer.fuzz`).

Everything outside this module speaks in `Progress` and `Rating`, so the scheduler could be
swapped without touching the store or the screens.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timedelta
from functools import lru_cache
from typing import NamedTuple

import fsrs_rs_python as fsrs_rs

from trainer.core.cards import Schedule
from trainer.core.grading import Rating
from trainer.core.progress import Progress, State, study_day
from trainer.fuzz import fuzz_factor, fuzzed_days, round_half_up

DEFAULT_PARAMETERS: tuple[float, ...] = tuple(round(w, 4) for w in fsrs_rs.DEFAULT_PARAMETERS)
"""FSRS's published default weights, used until `trainer optimize` fits the learner's own."""


_DAY = timedelta(days=1)


def card_seed(key: str) -> int:
    """The number a card's fuzz is drawn from: made from its key, so it is the same on every
    device (database ids are not), and a synced history replays to the same intervals."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=6).digest(), "big")


@lru_cache(maxsize=16)
def fsrs_model(parameters: tuple[float, ...]) -> fsrs_rs.FSRS:
    return fsrs_rs.FSRS(list(parameters))


def elapsed_days(last_review: datetime, now: datetime) -> int:
    """Study days from `last_review` to `now` (0 on the same study day)."""
    return max(0, study_day(now) - study_day(last_review))


class _Move(NamedTuple):
    """Where one button sends a card: a (re)learning step, or a review in whole days. (A
    named tuple: it is made for each button of every card when states are recomputed.)"""

    state: State
    step: int | None
    stability: float
    difficulty: float
    wait: timedelta | None = None
    days: int | None = None

    @property
    def interval(self) -> timedelta:
        return self.wait if self.wait is not None else timedelta(days=self.days or 0)


def _hard_wait(steps: Sequence[timedelta], step: int) -> timedelta:
    """Anki's Hard on a step: the current step again, except on the first, where it lies
    between Again and Good: half way to the second step, or half as long again (at most a day
    more). A wait over a day is rounded to whole days, unless that would make it no longer lie
    strictly between the two."""
    if step > 0:
        return steps[step]
    second = steps[1] if len(steps) > 1 else None
    wait = (steps[0] + second) / 2 if second is not None else min(steps[0] * 1.5, steps[0] + _DAY)
    if wait > _DAY:
        rounded = timedelta(days=round_half_up(wait / _DAY))
        if steps[0] < rounded and (second is None or rounded < second):
            return rounded
    return wait


def route(
    state: State, step: int | None, rating: Rating, schedule: Schedule
) -> tuple[State, int | None, timedelta | None]:
    """Where `rating` sends a card: its next state and step, and the wait of that step (None:
    to a review, in days). As in Anki, it depends on the ratings and the steps alone."""
    if state is State.REVIEW:
        if rating is Rating.AGAIN and schedule.relearning_steps:
            return State.RELEARNING, 0, schedule.relearning_steps[0]
        return State.REVIEW, None, None
    learning = state in (State.NEW, State.LEARNING)
    steps = schedule.learning_steps if learning else schedule.relearning_steps
    # A step past the deck's last one (its steps were shortened since) counts as the last.
    at = min(step or 0, len(steps) - 1)
    moved = State.LEARNING if learning else State.RELEARNING
    if steps and rating is Rating.AGAIN:
        return moved, 0, steps[0]
    if steps and rating is Rating.HARD:
        return moved, at, _hard_wait(steps, at)
    if steps and rating is Rating.GOOD and at + 1 < len(steps):
        return moved, at + 1, steps[at + 1]
    return State.REVIEW, None, None


_RATINGS = (Rating.AGAIN, Rating.HARD, Rating.GOOD, Rating.EASY)


@lru_cache(maxsize=256)
def _routes(
    state: State,
    step: int | None,
    learning_steps: tuple[timedelta, ...],
    relearning_steps: tuple[timedelta, ...],
) -> tuple[tuple[State, int | None, timedelta | None], ...]:
    """`route` of each button, Again to Easy, for a card in `state` at `step` of a deck with
    these steps. Kept: a few states and steps make every route a session meets, and working
    the four out again cost a third of a card's buttons. (The steps are the key, not the
    `Schedule`, whose hash is worked out anew each time.)"""
    schedule = Schedule(learning_steps=learning_steps, relearning_steps=relearning_steps)
    return tuple(route(state, step, rating, schedule) for rating in _RATINGS)


def _next_states(
    progress: Progress,
    now: datetime,
    schedule: Schedule,
    parameters: tuple[float, ...],
    elapsed: int | None = None,
) -> fsrs_rs.NextStates:
    """FSRS's memory state and interval after each button, for the card answered at `now`."""
    if progress.stability is None or progress.difficulty is None:
        return _first_states(parameters, schedule.desired_retention)
    memory = fsrs_rs.MemoryState(progress.stability, progress.difficulty)
    days = 0
    if elapsed is not None:
        days = elapsed
    elif progress.last_review is not None:
        days = elapsed_days(progress.last_review, now)
    return fsrs_model(parameters).next_states(memory, schedule.desired_retention, days)


@lru_cache(maxsize=16)
def _first_states(parameters: tuple[float, ...], retention: float) -> fsrs_rs.NextStates:
    """`_next_states` of a card never answered, the same for every such card of a deck: kept.
    (Only read: each reading of its attributes makes new objects.)"""
    return fsrs_model(parameters).next_states(None, retention, 0)


def _moves(
    card_id: int,
    progress: Progress,
    now: datetime,
    schedule: Schedule,
    parameters: tuple[float, ...],
    upto: Rating = Rating.EASY,
    elapsed: int | None = None,
) -> dict[Rating, _Move]:
    """Where each button up to `upto` sends the card answered at `now`, as Anki schedules it
    with FSRS. (Each button's interval depends on those of the buttons below it only.)
    `elapsed`: the study days since the last review, when the caller knows them."""
    states = _next_states(progress, now, schedule, parameters, elapsed)
    fuzz = fuzz_factor(card_id, progress.reps) if schedule.fuzz else None
    reviewing = progress.state is State.REVIEW
    routes = _routes(
        progress.state, progress.step, schedule.learning_steps, schedule.relearning_steps
    )
    after = (states.again, states.hard, states.good, states.easy)
    moves: dict[Rating, _Move] = {}
    least = 1  # the fewest days the next button may give: more than the button before it
    for rating, state, (move_state, next_step, wait) in zip(_RATINGS, after, routes):
        memory = state.memory  # made anew at each reading of the attribute
        if wait is not None:
            moves[rating] = _Move(move_state, next_step, memory.stability, memory.difficulty, wait)
            days = wait.days + 1  # whole days of the wait, and one: `floor(wait / day) + 1`
            least = days if days > least else least
        else:
            interval = review_days(rating, reviewing, state.interval, least, fuzz, states)
            moves[rating] = _Move(
                State.REVIEW, None, memory.stability, memory.difficulty, None, interval
            )
            least = interval + 1
        if rating is upto:
            break
    return moves


def review_days(
    rating: int,
    reviewing: bool,
    interval: float,
    least: int,
    fuzz: float | None,
    states: fsrs_rs.NextStates,
) -> int:
    """The days a button that leads to a review gives, as Anki counts them: FSRS's `interval`
    fuzzed (`fuzz`, None for none) and at least `least`, more than the button below it gave.
    `reviewing`: the card was in review; `states`, FSRS's states of all four buttons."""
    if reviewing and rating == Rating.AGAIN:
        return fuzzed_days(interval, least, None)  # Anki leaves a lapse's interval unfuzzed
    if reviewing:
        return fuzzed_days(interval, least, fuzz)
    # Graduating: Anki rounds first; Easy also stays above what Good would give.
    if rating == Rating.EASY:
        least = max(least, fuzzed_days(states.good.interval, 1, fuzz) + 1)
    return fuzzed_days(max(1, round_half_up(interval)), least, fuzz)


def _after(progress: Progress, rating: Rating, move: _Move, now: datetime) -> Progress:
    """The card's progress once `move` is taken at `now`."""
    lapsed = rating == Rating.AGAIN and progress.state is State.REVIEW
    return Progress(
        state=move.state,
        step=move.step,
        stability=move.stability,
        difficulty=move.difficulty,
        due=now + move.interval,
        last_review=now,
        reps=progress.reps + 1,
        lapses=progress.lapses + int(lapsed),
    )


def next_progress(
    card_id: int,
    progress: Progress,
    rating: Rating,
    now: datetime,
    schedule: Schedule,
    parameters: Sequence[float] = DEFAULT_PARAMETERS,
) -> Progress:
    """The card's state after the learner answers with `rating` at `now`.

    `card_id` seeds the fuzz: pass `card_seed` of the card's key.
    """
    rating = Rating(rating)
    move = _move(card_id, progress, now, schedule, tuple(parameters), rating)
    return _after(progress, rating, move, now)


_STATE_AFTER = {Rating.AGAIN: "again", Rating.HARD: "hard", Rating.GOOD: "good",
                Rating.EASY: "easy"}  # fmt: skip
"""The attribute of fsrs-rs's `NextStates` that holds each button's state."""


def _move(
    card_id: int,
    progress: Progress,
    now: datetime,
    schedule: Schedule,
    parameters: tuple[float, ...],
    rating: Rating,
) -> _Move:
    """Where `rating` sends the card: `_moves(...)[rating]`. An answer that goes to a
    (re)learning step does not depend on the buttons below it (their intervals only bound a
    review's), so they are not worked out: most answers of new and learning cards."""
    wait = None
    if progress.state is not State.REVIEW or rating is Rating.AGAIN:  # else: a review, in days
        move_state, next_step, wait = _routes(
            progress.state, progress.step, schedule.learning_steps, schedule.relearning_steps
        )[rating - 1]
    if wait is None:
        return _moves(card_id, progress, now, schedule, parameters, rating)[rating]
    memory = getattr(_next_states(progress, now, schedule, parameters), _STATE_AFTER[rating]).memory
    return _Move(move_state, next_step, memory.stability, memory.difficulty, wait=wait)


class Buttons(NamedTuple):
    """Where each answer button sends a card as it is shown (`buttons`): worked out once, for
    the buttons' intervals, and taken again by the answer (`taken`), as Anki's reviewer answers
    with the states it showed."""

    day: int
    """The study day they were worked out on: elapsed days, so the intervals, hold for it."""
    progress: Progress
    schedule: Schedule
    parameters: tuple[float, ...]
    moves: dict[Rating, _Move]

    @property
    def intervals(self) -> dict[Rating, timedelta]:
        """How long each button puts the card away for, as shown on the buttons."""
        return {rating: move.interval for rating, move in self.moves.items()}


def buttons(
    card_id: int,
    progress: Progress,
    now: datetime,
    schedule: Schedule,
    parameters: Sequence[float] = DEFAULT_PARAMETERS,
) -> Buttons:
    """What each button does to the card shown at `now`. `card_id` seeds the fuzz (`card_seed`
    of the card's key), as in `next_progress`."""
    weights = tuple(parameters)
    moves = _moves(card_id, progress, now, schedule, weights)
    return Buttons(study_day(now), progress, schedule, weights, moves)


def taken(
    shown: Buttons,
    progress: Progress,
    rating: Rating,
    now: datetime,
    schedule: Schedule,
    parameters: Sequence[float],
) -> Progress | None:
    """The card's state once the learner answers with `rating` at `now`, as the buttons `shown`
    said: `next_progress(...)` for the same arguments, without working it out again. None when
    they were worked out for another state, schedule or weights (the objects shown are passed
    on, so they are compared by identity), or on another study day, whose intervals differ."""
    if (
        shown.progress is not progress
        or shown.schedule is not schedule
        or shown.parameters != parameters
        or shown.day != study_day(now)
    ):
        return None
    return _after(progress, Rating(rating), shown.moves[rating], now)


def preview_intervals(
    card_id: int,
    progress: Progress,
    now: datetime,
    schedule: Schedule,
    parameters: Sequence[float] = DEFAULT_PARAMETERS,
) -> dict[Rating, timedelta]:
    """How long each answer button would put the card away for, as shown on the buttons.

    Strictly longer from Again to Easy, given (re)learning steps that grow.
    """
    return buttons(card_id, progress, now, schedule, parameters).intervals


def replay(
    card_id: int,
    answers: Iterable[tuple[Rating, datetime]],
    schedule: Schedule,
    parameters: Sequence[float] = DEFAULT_PARAMETERS,
    progress: Progress | None = None,
) -> Iterator[tuple[Progress, Progress]]:
    """Answer a card's `(rating, time)` answers in turn, yielding its state before and after each.

    How an imported log is replayed and how states are recomputed once new parameters are
    adopted. A card with no `progress` given starts new.
    """
    weights = tuple(parameters)
    progress = progress or Progress()
    for answer, at in answers:
        rating = Rating(answer)
        move = _move(card_id, progress, at, schedule, weights, rating)
        after = _after(progress, rating, move, at)
        yield progress, after
        progress = after


def forgetting_curve(parameters: Sequence[float] = DEFAULT_PARAMETERS) -> tuple[float, float]:
    """FSRS's forgetting curve R = (1 + FACTOR * days / stability) ** DECAY, as (DECAY, FACTOR).

    `days` are elapsed study days. Given so that the statistics can compute retrievability in
    SQL with the same curve.
    """
    decay = -parameters[20]
    return decay, 0.9 ** (1 / decay) - 1


def retrievability(
    progress: Progress, now: datetime, parameters: Sequence[float] = DEFAULT_PARAMETERS
) -> float:
    """The predicted chance of recalling the card at `now` (0 for a card never studied).

    As FSRS predicts it for the next answer: from the study days since the last review.
    """
    if progress.stability is None or progress.last_review is None:
        return 0.0
    decay, factor = forgetting_curve(parameters)
    days = elapsed_days(progress.last_review, now)
    return (1 + factor * days / progress.stability) ** decay
