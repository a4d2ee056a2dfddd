"""The fit's own read of the log: every card's answers that moved its schedule, all cards'
together in time order, and the training items made from them as they come. Both must give
exactly what the log read card by card gives (`load_logs`, `fitting.training_items`)."""

from __future__ import annotations

import os
import re
import sqlite3
from bisect import bisect_left
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from test_anki_equivalence import local_time  # noqa: F401 (a fixture)
from test_optimize import START, add_unusual_answers, synthetic_log

from trainer import fitting, optimize, recompute, schedule
from trainer.core.grading import Rating
from trainer.core.progress import to_millis
from trainer.optimize import items, load_logs, split_time
from trainer.store import answer_timeline
from trainer.store.answer_timeline import card_columns, read_answer_timeline, studied_cards
from trainer.store.history import StudyDays
from trainer.store.review_import import import_review_log
from trainer.store.store import Store

TIED = START + timedelta(days=40, hours=3)
"""A moment at which several cards are answered, early in the log."""


@pytest.fixture
def learner(store: Store, tmp_path: Path, now: datetime) -> Store:
    import_review_log(store, synthetic_log(tmp_path / "synthetic.csv", cards=60))
    add_unusual_answers(store, now, cards=30)
    # Answers of several cards at one moment, recorded out of the cards' order: in the part
    # the fit learns from, and in the part held out.
    for moment, card_ids in ((TIED, (9, 6, 8)), (now + timedelta(days=500), (7, 3, 5))):
        for card_id in card_ids:
            store.record_review(card_id, Rating.GOOD, moment)
    store.record_review(4, Rating.HARD, moment + timedelta(days=3))
    store.record_review(2, Rating.EASY, moment + timedelta(days=3))
    with store.transaction():  # a card that records no last review: its answers are left out
        store.conn.execute("UPDATE cards SET last_review = NULL WHERE id = 11")
    return store


def test_the_timeline_holds_the_answers_card_by_card_in_time_order(learner: Store) -> None:
    timeline = read_answer_timeline(learner.conn)
    answers = list(zip(timeline.times, timeline.cards))
    # In time order, the answers of one moment in the cards' order.
    assert answers == sorted(answers)
    by_card: dict[int, list[tuple[int, int, int]]] = {}
    for card_id, rating, at, day in zip(*(timeline.cards, timeline.ratings), *timeline[2:]):
        by_card.setdefault(card_id, []).append((rating, at, day))
    assert [(card_id, *map(list, zip(*by_card[card_id]))) for card_id in sorted(by_card)] == [
        (log.card_id, log.ratings, log.times, log.days) for log in load_logs(learner)
    ]


def test_the_timeline_of_an_empty_log_is_empty(store: Store) -> None:
    assert read_answer_timeline(store.conn) == ([], [], [], [])


def test_items_made_as_the_answers_come_are_the_training_items(learner: Store) -> None:
    logs = load_logs(learner)
    split = split_time(logs)
    timeline = read_answer_timeline(learner.conn)
    cut = bisect_left(timeline.times, split)
    made = fitting.timeline_items(timeline.cards[:cut], timeline.ratings[:cut], timeline.days[:cut])
    training, _ = items(logs, split)
    assert to_millis(TIED) < split
    assert [repr(item) for item in made] == [repr(item) for item in training]
    assert len(made) == fitting.training_count(optimize._item_cards(logs), split)


def test_the_held_out_items_of_the_timeline_are_those_of_the_cards(learner: Store) -> None:
    logs = load_logs(learner)
    split = split_time(logs)
    timeline = read_answer_timeline(learner.conn)
    cut = bisect_left(timeline.times, split)
    held_out, count = fitting.timeline_held_out(
        timeline.cards, timeline.ratings, timeline.days, cut
    )
    cards = optimize._item_cards(logs)
    assert [repr(item) for item in held_out] == [
        repr(item) for item in fitting.held_out_items(cards, split)
    ]
    assert count == fitting.training_count(cards, split) > 0


def test_the_fit_of_the_timeline_is_the_fit_of_the_training_items(learner: Store) -> None:
    logs = load_logs(learner)
    training, _ = items(logs, split_time(logs))
    outcome = optimize.optimize(learner, adopt=False)
    assert outcome.fitted == fitting.fit_parameters(training)


def test_items_of_the_timeline_that_differ_are_not_fitted(
    learner: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Should the timeline ever give other items than the cards' answers, the cards' are fitted.
    logs = load_logs(learner)
    training, _ = items(logs, split_time(logs))
    walk = fitting.received_walk

    def fewer(timeline: object, *columns: object) -> None:
        walk(timeline, *columns)  # type: ignore[arg-type]
        del columns[-1][:1]  # type: ignore[index]

    monkeypatch.setattr(fitting, "received_walk", fewer)
    assert optimize.optimize(learner, adopt=False).fitted == fitting.fit_parameters(training)


def test_where_no_process_may_be_started_the_fit_is_done_here(
    learner: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    logs = load_logs(learner)
    training, _ = items(logs, split_time(logs))

    def refused() -> int:
        raise BlockingIOError("Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", refused)
    assert optimize.optimize(learner, adopt=False).fitted == fitting.fit_parameters(training)


def test_the_cards_answers_from_the_timeline_are_those_read_card_by_card(learner: Store) -> None:
    timeline = read_answer_timeline(learner.conn)
    assert card_columns(timeline, studied_cards(learner.conn)) == load_logs(learner)


def test_the_cards_states_planned_from_the_timeline_are_those_of_their_answers(
    learner: Store,
) -> None:
    timeline = read_answer_timeline(learner.conn)
    card_ids, plan = optimize._timeline_plan(timeline, studied_cards(learner.conn))
    logs = load_logs(learner)
    assert card_ids == [log.card_id for log in logs]
    assert len(card_ids) > 50
    fitted = [*schedule.DEFAULT_PARAMETERS]
    fitted[0] *= 1.5
    for weights in (schedule.DEFAULT_PARAMETERS, fitted):
        expected = recompute.state_rows(optimize._plan(logs), weights)
        assert recompute.state_rows(plan, weights) == expected


def test_an_error_reading_the_answers_to_leave_out_is_raised_by_the_timeline(
    learner: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(answer_timeline, "_NEVER_ANSWERED", "SELECT nothing FROM nowhere")
    with pytest.raises(sqlite3.OperationalError):
        read_answer_timeline(learner.conn)


@pytest.mark.usefixtures("local_time")
def test_study_days_of_rising_times_are_those_of_each_time() -> None:
    # A year of answers (across changes of daylight saving time), several in some slots.
    moments = [to_millis(START) + step * 15_500_000 for step in range(2_000)]
    times = sorted(at + offset for at in moments for offset in (0, 1, 60_000)[: at % 3 + 1])
    times.append(times[-1] + 90 * 86_400_000)
    assert StudyDays().of_rising(times) == StudyDays().of(times)
    assert StudyDays().of_rising([]) == []


def test_a_copy_that_dies_while_fitting_leaves_the_fit_of_the_cards_here(
    learner: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    logs = load_logs(learner)
    training, _ = items(logs, split_time(logs))
    parent = os.getpid()
    walk = fitting.received_walk

    def dying(*columns: object) -> None:
        if os.getpid() != parent:
            os._exit(3)  # the copy ends without sending anything
        walk(*columns)  # type: ignore[arg-type]

    monkeypatch.setattr(fitting, "received_walk", dying)
    assert optimize.optimize(learner, adopt=False).fitted == fitting.fit_parameters(training)


@pytest.mark.parametrize("parts", [1, 2, 7, 40, 5_000])
def test_the_timeline_read_in_parts_is_the_timeline(learner: Store, parts: int) -> None:
    whole = answer_timeline.TimelineParts(learner.conn, 1)
    read = answer_timeline.TimelineParts(learner.conn, parts)
    found = list(read.parts())
    assert answer_timeline.joined(found) == answer_timeline.joined(whole.parts())
    assert read.size == whole.size == sum(len(part.cards) for part in found) > 100
    # Each part ends between milliseconds: the answers of one moment are in one part.
    assert all(
        one.times[-1] < other.times[0]
        for one, other in zip(found, found[1:])
        if one.times and other.times
    )
    assert len(found) > min(parts, 5) - 1


def test_the_answers_are_counted_without_the_rows_that_are_no_answer(learner: Store) -> None:
    # An undo from another device whose answer this log never had: a row of no answer that
    # names no answer either.
    with learner.transaction():
        learner.conn.execute(
            "INSERT INTO reviews (id, card_id, rating, kind, state_before)"
            " SELECT max(id) + 32, 1, NULL, 2, 0 FROM reviews"
        )
    read = answer_timeline.TimelineParts(learner.conn, 3)
    assert read.size == sum(len(part.cards) for part in read.parts())
    (answers,) = learner.conn.execute(
        "SELECT count(*) FROM reviews WHERE rating IS NOT NULL"
    ).fetchone()
    assert read.size < answers  # the answers left out (undone, quizzes) are not counted either


def test_the_answers_to_leave_out_are_found_without_reading_the_log(learner: Store) -> None:
    statements: list[str] = []
    learner.conn.set_trace_callback(statements.append)
    try:
        answer_timeline.TimelineParts(learner.conn)
    finally:
        learner.conn.set_trace_callback(None)
    assert len(statements) >= 4
    for statement in statements:
        plan = [row[3] for row in learner.conn.execute("EXPLAIN QUERY PLAN " + statement)]
        # An index may be counted whole; the log's table is never read row by row.
        assert not [step for step in plan if re.fullmatch(r"SCAN (reviews|r|a|n)", step)], plan


def test_a_quiz_answer_is_judged_by_the_next_answer_that_stands(
    learner: Store, now: datetime
) -> None:
    # A quiz answer that moved the schedule, then an answer undone: the undone answer records
    # the quiz as the last review, but the card (its state set since, as by another device)
    # records another. The quiz answer is judged by the card, as the log read card by card does.
    moment = now + timedelta(days=900)
    learner.record_review(12, Rating.GOOD, moment, mode="quiz", reschedule=True)
    learner.record_review(12, Rating.GOOD, moment + timedelta(days=1))
    learner.undo_last(moment + timedelta(days=1, seconds=5))
    with learner.transaction():
        learner.conn.execute("UPDATE cards SET last_review = last_review - 1000 WHERE id = 12")
    timeline = read_answer_timeline(learner.conn)
    card = [at for card_id, at in zip(timeline.cards, timeline.times) if card_id == 12]
    (log,) = [log for log in load_logs(learner) if log.card_id == 12]
    assert card == log.times
    assert to_millis(moment) not in card
