"""The scheduler as the learner meets it: new cards learned, good answers spaced further apart."""

from __future__ import annotations

from datetime import datetime, timedelta

import fsrs_rs_python as fsrs_rs
import pytest

from trainer.core.cards import Schedule
from trainer.core.grading import Rating
from trainer.core.progress import Progress, State, format_interval, study_day
from trainer.schedule import (
    DEFAULT_PARAMETERS,
    _moves,
    _next_states,
    buttons,
    next_progress,
    preview_intervals,
    retrievability,
    taken,
)

SCHEDULE = Schedule()


def test_new_card_answered_good_enters_learning(now: datetime) -> None:
    after = next_progress(1, Progress(), Rating.GOOD, now, SCHEDULE)
    assert after.state is State.LEARNING
    assert after.reps == 1
    assert after.last_review == now
    assert after.due == now + timedelta(minutes=10)
    assert after.stability is not None and after.difficulty is not None


def test_new_card_answered_again_comes_back_after_the_first_step(now: datetime) -> None:
    after = next_progress(1, Progress(), Rating.AGAIN, now, SCHEDULE)
    assert after.state is State.LEARNING
    assert after.due == now + timedelta(minutes=1)


def test_learning_steps_come_from_the_deck(now: datetime) -> None:
    steps = Schedule(learning_steps=(timedelta(minutes=5), timedelta(hours=2)))
    assert next_progress(1, Progress(), Rating.AGAIN, now, steps).due == now + timedelta(minutes=5)
    assert next_progress(1, Progress(), Rating.GOOD, now, steps).due == now + timedelta(hours=2)


def test_easy_graduates_a_new_card_at_once(now: datetime) -> None:
    after = next_progress(1, Progress(), Rating.EASY, now, SCHEDULE)
    assert after.state is State.REVIEW
    assert after.due - now >= timedelta(days=1)


def answer_good_repeatedly(now: datetime, times: int) -> list[timedelta]:
    progress, moment, intervals = Progress(), now, []
    for _ in range(times):
        progress = next_progress(7, progress, Rating.GOOD, moment, SCHEDULE)
        assert progress.due is not None
        intervals.append(progress.due - moment)
        moment = progress.due
    return intervals


def test_good_answers_grow_the_interval(now: datetime) -> None:
    intervals = answer_good_repeatedly(now, 7)
    review_intervals = intervals[2:]  # after the two learning steps
    assert all(b > a for a, b in zip(review_intervals, review_intervals[1:])), intervals
    assert intervals[-1] > timedelta(days=30)


def graduated(now: datetime) -> tuple[Progress, datetime]:
    progress, moment = Progress(), now
    while progress.state is not State.REVIEW:
        progress = next_progress(3, progress, Rating.GOOD, moment, SCHEDULE)
        moment = progress.due
    return progress, moment


def test_forgetting_a_review_card_counts_a_lapse(now: datetime) -> None:
    progress, moment = graduated(now)
    assert progress.lapses == 0
    lapsed = next_progress(3, progress, Rating.AGAIN, moment, SCHEDULE)
    assert lapsed.state is State.RELEARNING
    assert lapsed.lapses == 1
    assert lapsed.due == moment + timedelta(minutes=10)
    assert lapsed.stability < progress.stability
    # Forgetting while still learning is not a lapse.
    learning = next_progress(4, Progress(), Rating.AGAIN, now, SCHEDULE)
    assert learning.lapses == 0


@pytest.mark.parametrize("reviews", [0, 1, 2, 5])
def test_preview_equals_the_interval_the_answer_then_gives(now: datetime, reviews: int) -> None:
    progress, moment = Progress(), now
    for _ in range(reviews):
        progress = next_progress(11, progress, Rating.GOOD, moment, SCHEDULE)
        moment = progress.due + timedelta(hours=3)
    preview = preview_intervals(11, progress, moment, SCHEDULE)
    assert set(preview) == set(Rating)
    for rating, interval in preview.items():
        assert next_progress(11, progress, rating, moment, SCHEDULE).due - moment == interval
    assert preview[Rating.AGAIN] <= preview[Rating.HARD] <= preview[Rating.GOOD]
    assert preview[Rating.GOOD] <= preview[Rating.EASY]


def test_retrievability_falls_with_time(now: datetime) -> None:
    progress, moment = graduated(now)
    assert retrievability(Progress(), now) == 0.0
    fresh = retrievability(progress, progress.last_review)
    at_due = retrievability(progress, progress.due)
    later = retrievability(progress, progress.due + timedelta(days=60))
    assert fresh == pytest.approx(1.0)
    assert 1.0 > at_due > later > 0.0
    # Due dates are set where recall drops to the desired retention.
    assert at_due == pytest.approx(SCHEDULE.desired_retention, abs=0.05)


@pytest.mark.parametrize(
    ("span", "shown"),
    [
        (timedelta(seconds=30), "<1m"),
        (timedelta(minutes=10), "10m"),
        (timedelta(hours=3), "3h"),
        (timedelta(days=4), "4d"),
        (timedelta(days=63), "2.1mo"),
        (timedelta(days=548), "1.5y"),
    ],
)
def test_intervals_are_written_as_on_the_buttons(span: timedelta, shown: str) -> None:
    assert format_interval(span) == shown


@pytest.mark.fuzz
@pytest.mark.parametrize(
    "deck",
    [SCHEDULE, Schedule(learning_steps=(timedelta(minutes=1), timedelta(minutes=10),
                                        timedelta(hours=1)), relearning_steps=())],
)  # fmt: skip
def test_an_answer_gives_what_the_buttons_showed(now: datetime, deck: Schedule) -> None:
    # An answer into a learning step skips working out the buttons below it; the card lands
    # where the preview said, with the memory state the preview worked out for that button,
    # from every state a card passes through.
    progress, moment = Progress(), now
    for rating in [Rating.GOOD, Rating.AGAIN, Rating.HARD, Rating.GOOD, Rating.GOOD,
                   Rating.EASY, Rating.AGAIN, Rating.HARD, Rating.GOOD, Rating.GOOD]:  # fmt: skip
        preview = preview_intervals(21, progress, moment, deck)
        moves = _moves(21, progress, moment, deck, DEFAULT_PARAMETERS)
        for each in Rating:
            after = next_progress(21, progress, each, moment, deck)
            assert after.due - moment == preview[each]
            assert (after.stability, after.difficulty) == (
                moves[each].stability,
                moves[each].difficulty,
            )
        progress = next_progress(21, progress, rating, moment, deck)
        moment = progress.due + timedelta(minutes=5)


@pytest.mark.parametrize("deck", [SCHEDULE, Schedule(fuzz=False, relearning_steps=())])
def test_an_answer_takes_what_its_buttons_worked_out(now: datetime, deck: Schedule) -> None:
    # The buttons are worked out when the card is shown; its answer, later the same study day,
    # takes them as they are: the state is the one worked out anew at the answer's moment.
    progress, moment = Progress(), now
    for rating in [Rating.GOOD, Rating.AGAIN, Rating.HARD, Rating.GOOD, Rating.GOOD,
                   Rating.EASY, Rating.AGAIN, Rating.HARD, Rating.GOOD, Rating.GOOD]:  # fmt: skip
        shown = buttons(21, progress, moment, deck)
        later = moment + timedelta(seconds=40)
        if study_day(later) != study_day(moment):
            later = moment
        for each in Rating:
            expected = next_progress(21, progress, each, later, deck)
            assert taken(shown, progress, each, later, deck, DEFAULT_PARAMETERS) == expected
        assert shown.intervals == preview_intervals(21, progress, moment, deck)
        progress = next_progress(21, progress, rating, later, deck)
        assert progress.due is not None
        moment = progress.due + timedelta(hours=1)


def test_buttons_worked_out_for_something_else_are_not_taken(now: datetime) -> None:
    # Taken only for what they were worked out for; otherwise the answer is worked out anew.
    progress = Progress()
    for rating in [Rating.GOOD, Rating.GOOD, Rating.GOOD]:
        progress = next_progress(5, progress, rating, now, SCHEDULE)
    assert progress.state is State.REVIEW and progress.due is not None
    moment = progress.due
    shown = buttons(5, progress, moment, SCHEDULE)
    assert taken(shown, progress, Rating.GOOD, moment, SCHEDULE, DEFAULT_PARAMETERS) is not None
    # A study day later the card has waited a day longer: its intervals differ.
    next_day = moment + timedelta(days=1)
    assert taken(shown, progress, Rating.GOOD, next_day, SCHEDULE, DEFAULT_PARAMETERS) is None
    assert next_progress(5, progress, Rating.GOOD, next_day, SCHEDULE) != next_progress(
        5, progress, Rating.GOOD, moment, SCHEDULE
    )
    answered = next_progress(5, progress, Rating.GOOD, moment, SCHEDULE)
    assert taken(shown, answered, Rating.GOOD, moment, SCHEDULE, DEFAULT_PARAMETERS) is None
    stricter = Schedule(desired_retention=0.95)
    assert taken(shown, progress, Rating.GOOD, moment, stricter, DEFAULT_PARAMETERS) is None
    weights = tuple(w * 1.1 if index < 4 else w for index, w in enumerate(DEFAULT_PARAMETERS))
    assert taken(shown, progress, Rating.GOOD, moment, SCHEDULE, weights) is None


def test_kept_states_and_routes_follow_each_deck_and_weights(now: datetime) -> None:
    # What a card never answered gets, and where each button routes it, are kept between
    # cards: decks of other steps, other retention and other weights, in turn, get their own.
    weights = tuple(w * 1.1 if index < 4 else w for index, w in enumerate(DEFAULT_PARAMETERS))
    decks = [
        Schedule(),
        Schedule(desired_retention=0.8, learning_steps=(timedelta(minutes=5),)),
        Schedule(learning_steps=(timedelta(minutes=2), timedelta(hours=1), timedelta(days=1))),
    ]
    for _ in range(2):
        for deck in decks:
            for parameters in (DEFAULT_PARAMETERS, weights):
                states = fsrs_rs.FSRS(list(parameters)).next_states(None, deck.desired_retention, 0)
                kept = _next_states(Progress(), now, deck, parameters)
                for mine, theirs in zip((kept.again, kept.hard, kept.good, kept.easy),
                                        (states.again, states.hard, states.good, states.easy)):  # fmt: skip
                    assert (mine.interval, mine.memory.stability) == (
                        theirs.interval,
                        theirs.memory.stability,
                    )
                again = next_progress(3, Progress(), Rating.AGAIN, now, deck, parameters)
                assert again.due == now + deck.learning_steps[0]
                good = next_progress(3, Progress(), Rating.GOOD, now, deck, parameters)
                if len(deck.learning_steps) > 1:
                    assert good.due == now + deck.learning_steps[1]
                else:
                    assert good.state is State.REVIEW
