"""Every card's state recomputed from its answers at once: after `trainer optimize` adopts new
weights, and when a migration fills in states.

The result is the last state `schedule.replay` yields for each card, computed faster: memory
states come from fsrs-rs's batch call, states and steps from the ratings alone, and only each
card's last answer is scheduled, with where each button leads worked out once per schedule and
state.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import timedelta
from operator import sub

import fsrs_rs_python as fsrs_rs

from trainer.core.cards import Schedule
from trainer.core.grading import Rating
from trainer.core.progress import Progress, State, from_millis
from trainer.fuzz import fuzz_factor
from trainer.schedule import DEFAULT_PARAMETERS, fsrs_model, review_days, route

_DAY = timedelta(days=1)
_MS = timedelta(milliseconds=1)
_DAY_MS = _DAY // _MS

CardAnswers = tuple[
    int, Schedule, Sequence[int], Sequence[int], Sequence[int], Sequence[fsrs_rs.FSRSReview]
]
"""A card's `(seed, schedule, ratings, times in ms, study days, answer_reviews)`."""


class _Reviews(dict[tuple[int, int], fsrs_rs.FSRSReview]):
    """fsrs-rs reviews by `(rating, study days since the answer before)`, each made once."""

    def __missing__(self, key: tuple[int, int]) -> fsrs_rs.FSRSReview:
        review = self[key] = fsrs_rs.FSRSReview(*key)
        return review


_REVIEWS = _Reviews()


def answer_reviews(ratings: Sequence[int], days: Sequence[int]) -> list[fsrs_rs.FSRSReview]:
    """fsrs-rs's reviews of a card's answers, oldest first, given their ratings and study days:
    the time between answers is counted in study days, as Anki counts it."""
    return gap_reviews(ratings, map(sub, days, [days[0], *days]))


def gap_reviews(ratings: Iterable[int], gaps: Iterable[int]) -> list[fsrs_rs.FSRSReview]:
    """fsrs-rs's reviews of answers given their ratings and the study days since the answer
    before (0 for a card's first), each kind made once."""
    return list(map(_REVIEWS.__getitem__, zip(ratings, gaps)))


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
    cards: Sequence[CardAnswers],
    parameters: Sequence[float] = DEFAULT_PARAMETERS,
) -> list[Progress]:
    """Each card's state after its answers, all cards at once: `(seed, schedule, ratings,
    times in ms, study days, answer_reviews)` per card.

    The last state `replay` yields (as `state_rows` computes it), as `Progress`.
    """
    return [
        Progress(State(state), step, stability, difficulty, from_millis(due), from_millis(last),
                 reps, lapses)
        for state, step, stability, difficulty, due, last, reps, lapses in state_rows(
            Plan(cards), parameters
        )
    ]  # fmt: skip


class Plan:
    """What the recomputed states take from the cards' answers alone, whatever the parameters:
    each card's state and step before its last answer, its lapses, its fuzz, and the fsrs-rs
    items whose memory states the parameters give (made once, before the parameters are
    known, so that `state_rows` does only what depends on them)."""

    def __init__(self, cards: Sequence[CardAnswers] = ()) -> None:
        routes: dict[int, tuple[_Routes, dict[int, _Button]]] = {}
        self.items: list[fsrs_rs.FSRSItem] = []
        """Each card's answers before its last (cards answered more than once), in order."""
        self.cards: list[_Planned] = []
        for seed, schedule, ratings, times, days, reviews in cards:
            found = routes.get(id(schedule))
            if found is None:
                found = routes[id(schedule)] = (_Routes(schedule), {})
            route = found[0]
            code, lapses = 0, 0  # new, no step
            for rating in ratings[:-1]:
                moved = route[code << 3 | rating]
                lapses += moved & 1
                code = moved >> 1
            reps = len(ratings)
            if reps > 1:
                self.items.append(fsrs_rs.FSRSItem(reviews[:-1]))
            fuzz = fuzz_factor(seed, reps - 1) if schedule.fuzz else None
            elapsed = max(0, days[-1] - days[-2]) if reps > 1 else 0
            self.cards.append((schedule, found[1], code, lapses, ratings[-1], fuzz, elapsed,
                               times[-1], reps))  # fmt: skip

    def split(self, at: int) -> tuple[Plan, Plan]:
        """The plan of the first `at` cards, and the plan of the others."""
        items = sum(1 for card in self.cards[:at] if card[-1] > 1)  # answered more than once
        first, second = Plan(), Plan()
        first.items, first.cards = self.items[:items], self.cards[:at]
        second.items, second.cards = self.items[items:], self.cards[at:]
        return first, second


_Button = tuple[State, int | None, int | None, int]
"""Where a rating sends a card from one state and step: its state, step, the step's wait in
ms (None: to a review) and the fewest days a button above it may then give."""
_Planned = tuple[Schedule, dict[int, _Button], int, int, int, float | None, int, int, int]
"""A card's schedule, its buttons by `_Routes` key, its `_Routes` code and lapses before its
last answer, its last rating, fuzz factor, study days since the answer before, last time (ms)
and answer count."""


def state_rows(
    plan: Plan, parameters: Sequence[float] = DEFAULT_PARAMETERS
) -> list[tuple[int, int | None, float, float, int, int, int, int]]:
    """Each planned card's state after its answers with `parameters`, as the stored columns:
    `(state, step, stability, difficulty, due ms, last review ms, reps, lapses)`.

    The last state `replay` yields, computed faster: the memory states come from fsrs-rs's
    batch call, the states and steps from the ratings alone (`Plan`), and only the last
    answer of each card is scheduled one by one, as `schedule._moves` schedules it (its
    interval depends on its buttons below it), with where each button leads worked out once
    per schedule and state.
    """
    model = fsrs_model(tuple(parameters))
    memories = iter(model.memory_state_batch(plan.items))
    rows = []
    for schedule, buttons, code, lapses, last, fuzz, elapsed, at, reps in plan.cards:
        memory = next(memories) if reps > 1 else None
        after = model.next_states(memory, schedule.desired_retention, elapsed)
        reviewing = code >> 16 == State.REVIEW
        least = 1  # the fewest days the next button may give: more than the button before it
        for rating, item in enumerate((after.again, after.hard, after.good, after.easy)[:last], 1):
            button = buttons.get(code << 3 | rating)
            if button is None:
                button = buttons[code << 3 | rating] = _button(code, rating, schedule)
            moved_to, next_step, wait, wait_least = button
            if wait is not None:
                least = max(least, wait_least)
                continue
            interval = review_days(rating, reviewing, item.interval, least, fuzz, after)
            least = interval + 1
        memory_after = item.memory
        rows.append((
            int(moved_to), next_step, memory_after.stability, memory_after.difficulty,
            at + (wait if wait is not None else interval * _DAY_MS), at, reps,
            lapses + int(reviewing and last == Rating.AGAIN),
        ))  # fmt: skip
    return rows


def _button(code: int, rating: int, schedule: Schedule) -> _Button:
    """Where `rating` sends a card in the state and step of a `_Routes` code (`schedule.route`), and
    the fewest days a button above it may then give."""
    state, step = _unpacked(code)
    moved, next_step, wait = route(state, step, Rating(rating), schedule)
    if wait is None:
        return moved, next_step, None, 1
    return moved, next_step, wait // _MS, math.floor(wait / _DAY) + 1


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
