"""Every card's state recomputed from its answers at once: after `trainer optimize` adopts new
weights, and when a migration fills in states.

The result is the last state `schedule.replay` yields for each card, computed faster: memory
states come from fsrs-rs's batch call, states and steps from the ratings alone, and only each
card's last answer is scheduled, with where each button leads worked out once per schedule and
state.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import timedelta
from operator import sub

import fsrs_rs_python as fsrs_rs

from trainer.core.cards import Schedule
from trainer.core.grading import Rating
from trainer.core.progress import Progress, State, from_millis
from trainer.fuzz import fuzz_factor
from trainer.schedule import DEFAULT_PARAMETERS, fsrs_model, review_days, route

_DAY = timedelta(days=1)


class _Reviews(dict[tuple[int, int], fsrs_rs.FSRSReview]):
    """fsrs-rs reviews by `(rating, study days since the answer before)`, each made once."""

    def __missing__(self, key: tuple[int, int]) -> fsrs_rs.FSRSReview:
        review = self[key] = fsrs_rs.FSRSReview(*key)
        return review


_REVIEWS = _Reviews()


def answer_reviews(ratings: Sequence[int], days: Sequence[int]) -> list[fsrs_rs.FSRSReview]:
    """fsrs-rs's reviews of a card's answers, oldest first, given their ratings and study days:
    the time between answers is counted in study days, as Anki counts it."""
    return list(map(_REVIEWS.__getitem__, zip(ratings, map(sub, days, [days[0], *days]))))


class _Routes(dict[int, int]):
    """Where each rating sends a card from each state and step under one schedule, and whether
    it lapsed: `schedule.route` worked out once per case, not once per answer. Keys and values are
    small numbers, as this runs for every answer of the log: a state and step as
    `state << 16 | step + 1` (0 for no step), a key as that `<< 3 | rating`, a value as the
    next one `<< 1 | lapsed`."""

    def __init__(self, schedule: Schedule) -> None:
        super().__init__()
        self.schedule = schedule

    def __missing__(self, key: int) -> int:
        state, step = _unpacked(key >> 3)
        rating = Rating(key & 7)
        moved, next_step, _ = route(state, step, rating, self.schedule)
        lapsed = rating is Rating.AGAIN and state is State.REVIEW
        found = self[key] = (
            moved << 16 | (0 if next_step is None else next_step + 1)
        ) << 1 | lapsed
        return found


def _unpacked(code: int) -> tuple[State, int | None]:
    """The state and step of a `_Routes` code."""
    step = code & 0xFFFF
    return State(code >> 16), None if step == 0 else step - 1


def states_after(
    cards: Sequence[
        tuple[
            int, Schedule, Sequence[int], Sequence[int], Sequence[int], Sequence[fsrs_rs.FSRSReview]
        ]
    ],
    parameters: Sequence[float] = DEFAULT_PARAMETERS,
) -> list[Progress]:
    """Each card's state after its answers, all cards at once: `(seed, schedule, ratings,
    times in ms, study days, answer_reviews)` per card.

    The last state `replay` yields, computed faster: the memory states come from fsrs-rs's
    batch call, the states and steps from the ratings alone, and only the last answer of each
    card is scheduled one by one, as `_moves` schedules it (its interval depends on its
    buttons below it), with where each button leads worked out once per schedule and state.
    """
    weights = tuple(parameters)
    model = fsrs_model(weights)
    with_memory = [index for index, card in enumerate(cards) if len(card[2]) > 1]
    memories = model.memory_state_batch(
        [fsrs_rs.FSRSItem(cards[index][5][:-1]) for index in with_memory]
    )
    before: dict[int, fsrs_rs.MemoryState] = dict(zip(with_memory, memories))
    routes: dict[
        int, tuple[_Routes, dict[int, tuple[State, int | None, timedelta | None, int]]]
    ] = {}
    states = []
    for index, (seed, schedule, ratings, times, days, _) in enumerate(cards):
        found = routes.get(id(schedule))
        if found is None:
            found = routes[id(schedule)] = (_Routes(schedule), {})
        route, buttons = found
        code, lapses = 0, 0  # new, no step
        for rating in ratings[:-1]:
            moved = route[code << 3 | rating]
            lapses += moved & 1
            code = moved >> 1
        memory = before.get(index)
        elapsed = 0 if memory is None else max(0, days[-1] - days[-2])
        after = model.next_states(memory, schedule.desired_retention, elapsed)
        last = ratings[-1]
        reviewing = code >> 16 == State.REVIEW
        fuzz: float | None = None
        fuzzed = False  # drawn only for a button that gives days
        least = 1  # the fewest days the next button may give: more than the button before it
        for rating, item in enumerate((after.again, after.hard, after.good, after.easy)[:last], 1):
            button = buttons.get(code << 3 | rating)
            if button is None:
                button = buttons[code << 3 | rating] = _button(code, rating, schedule)
            moved_to, next_step, wait, wait_least = button
            if wait is not None:
                least = max(least, wait_least)
                continue
            if not fuzzed:
                fuzz = fuzz_factor(seed, len(ratings) - 1) if schedule.fuzz else None
                fuzzed = True
            interval = review_days(rating, reviewing, item.interval, least, fuzz, after)
            least = interval + 1
        now = from_millis(times[-1])
        states.append(
            Progress(
                state=moved_to,
                step=next_step,
                stability=item.memory.stability,
                difficulty=item.memory.difficulty,
                due=now + (wait if wait is not None else timedelta(days=interval)),
                last_review=now,
                reps=len(ratings),
                lapses=lapses + int(reviewing and last == Rating.AGAIN),
            )
        )
    return states


def _button(
    code: int, rating: int, schedule: Schedule
) -> tuple[State, int | None, timedelta | None, int]:
    """Where `rating` sends a card in the state and step of a `_Routes` code (`schedule.route`), and
    the fewest days a button above it may then give."""
    state, step = _unpacked(code)
    moved, next_step, wait = route(state, step, Rating(rating), schedule)
    return moved, next_step, wait, 1 if wait is None else math.floor(wait / _DAY) + 1


def final_states(
    cards: Sequence[tuple[int, Schedule, Sequence[tuple[int, int, int]]]],
    parameters: Sequence[float] = DEFAULT_PARAMETERS,
) -> list[Progress]:
    """Each card's state after its `(rating, time in ms, study day)` answers, all cards at once
    (`states_after`)."""
    columns = []
    for seed, schedule, answers in cards:
        ratings, times, days = ([answer[field] for answer in answers] for field in range(3))
        columns.append((seed, schedule, ratings, times, days, answer_reviews(ratings, days)))
    return states_after(columns, parameters)
