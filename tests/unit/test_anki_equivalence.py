"""On a real learner's log, the scheduler and the optimizer agree with the FSRS that Anki runs.

The reference is fsrs-rs (`fsrs_rs_python`) fed straight from the CSV file, with the time
between answers counted in study days (which end at 4 a.m. local time), as Anki counts them.
"""

from __future__ import annotations

import csv
import statistics
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from fsrs_rs_python import FSRS, FSRSItem, FSRSReview

from trainer import schedule
from trainer.optimize import load_logs, optimize, recompute_states
from trainer.store.review_import import import_review_log
from trainer.store.store import Store

DEFAULTS = schedule.DEFAULT_PARAMETERS


@pytest.fixture(params=["UTC", "America/Los_Angeles", "Asia/Kolkata"])
def local_time(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The learner's time zone: study days roll over at 4 a.m. there."""
    monkeypatch.setenv("TZ", request.param)
    time.tzset()
    yield request.param
    monkeypatch.undo()
    time.tzset()


def study_day(moment: datetime) -> int:
    """The study day of `moment`, worked out here apart from the app's own code."""
    return (moment.astimezone() - timedelta(hours=4)).date().toordinal()


def logged_answers(path: Path) -> dict[str, list[tuple[int, datetime]]]:
    """Each card's `(rating, time)` answers, oldest first, read straight from the CSV."""
    cards: dict[str, list[tuple[int, datetime]]] = {}
    with path.open(newline="") as file:
        for row in csv.DictReader(file):
            moment = datetime.fromisoformat(row["review_time"])
            cards.setdefault(row["card_id"], []).append((int(row["review_rating"]), moment))
    return {card: sorted(answers, key=lambda a: a[1]) for card, answers in cards.items()}


def study_day_reviews(answers: list[tuple[int, datetime]]) -> list[FSRSReview]:
    days = [study_day(moment) for _, moment in answers]
    return [
        FSRSReview(rating, day - previous)
        for (rating, _), day, previous in zip(answers, days, [days[0], *days])
    ]


def test_memory_states_after_import_equal_fsrs_rs(
    store: Store, sample_log: Path, local_time: str
) -> None:
    import_review_log(store, sample_log)
    stored = {
        key.rsplit(":", 1)[1]: (stability, difficulty)
        for key, stability, difficulty in store.db.execute(
            "SELECT key, stability, difficulty FROM cards"
        ).fetchall()
    }
    cards = logged_answers(sample_log)
    assert len(stored) == len(cards) == 1205
    model = FSRS(list(schedule.DEFAULT_PARAMETERS))
    stability_differences, difficulty_differences = [], []
    for card, answers in cards.items():
        expected = model.memory_state(FSRSItem(study_day_reviews(answers)))
        stability, difficulty = stored[card]
        stability_differences.append(abs(stability - expected.stability) / expected.stability)
        difficulty_differences.append(abs(difficulty - expected.difficulty) / expected.difficulty)
    assert statistics.median(stability_differences) < 0.001
    assert max(stability_differences) < 0.01
    assert max(difficulty_differences) < 0.01


def split_items(
    cards: dict[str, list[tuple[int, datetime]]], holdout: float
) -> tuple[list[FSRSItem], list[FSRSItem]]:
    """Items for the answers before the latest `holdout` share of all answers, and for the
    latest share: one per answer given a day or more after the one before it, with the card's
    answers before it; each list oldest first."""
    times = sorted(moment for answers in cards.values() for _, moment in answers)
    split = times[int(len(times) * (1 - holdout))]
    training, held_out = [], []
    for answers in cards.values():
        reviews = study_day_reviews(answers)
        days = [study_day(moment) for _, moment in answers]
        for index, (_, moment) in enumerate(answers):
            if index > 0 and days[index] > days[index - 1]:
                found = held_out if moment >= split else training
                found.append((moment, FSRSItem(reviews[: index + 1])))
    return tuple(  # type: ignore[return-value]
        [item for _, item in sorted(found, key=lambda pair: pair[0])]
        for found in (training, held_out)
    )


def held_out_items(cards: dict[str, list[tuple[int, datetime]]], holdout: float) -> list[FSRSItem]:
    """The latest `holdout` share of answers as items (`split_items`)."""
    return split_items(cards, holdout)[1]


def test_optimize_scores_equal_fsrs_rs_evaluate(store: Store, sample_log: Path) -> None:
    import_review_log(store, sample_log)
    fitted = (0.3, 1.0, 2.8, 7.0, *schedule.DEFAULT_PARAMETERS[4:])
    outcome = optimize(store, adopt=False, fit=lambda items: fitted)
    items = held_out_items(logged_answers(sample_log), 0.2)
    assert outcome.current_score.reviews == outcome.fitted_score.reviews == len(items)
    for weights, score in (
        (outcome.current, outcome.current_score),
        (fitted, outcome.fitted_score),
    ):
        expected = FSRS(list(weights)).evaluate(items)
        assert score.log_loss == pytest.approx(expected.log_loss, abs=0.002)
        assert score.rmse_bins == pytest.approx(expected.rmse_bins, abs=0.002)


def test_fit_is_given_the_items_anki_would_build(
    store: Store, sample_log: Path, local_time: str
) -> None:
    import_review_log(store, sample_log)
    given: list[list[FSRSItem]] = []
    optimize(store, adopt=False, fit=lambda items: given.append(list(items)) or DEFAULTS)
    (training,) = given
    expected, _ = split_items(logged_answers(sample_log), 0.2)
    # fsrs-rs's reviews compare by identity; their text shows rating and days.
    assert [repr(item.reviews) for item in training] == [repr(item.reviews) for item in expected]


def test_states_after_adopting_equal_fsrs_rs_memory_states(
    store: Store, sample_log: Path, local_time: str
) -> None:
    import_review_log(store, sample_log)
    log_before = store.db.execute("SELECT * FROM reviews ORDER BY id").fetchall()
    outcome = optimize(store)  # fsrs-rs's own fit, which beats the defaults on this log
    assert outcome.adopted and outcome.recomputed_cards == 1205
    assert store.db.execute("SELECT * FROM reviews ORDER BY id").fetchall() == log_before
    stored = {
        key.rsplit(":", 1)[1]: (stability, difficulty, reps)
        for key, stability, difficulty, reps in store.db.execute(
            "SELECT key, stability, difficulty, reps FROM cards"
        ).fetchall()
    }
    model = FSRS(list(outcome.fitted))
    for card, answers in logged_answers(sample_log).items():
        expected = model.memory_state(FSRSItem(study_day_reviews(answers)))
        stability, difficulty, reps = stored[card]
        assert reps == len(answers)
        assert stability == pytest.approx(expected.stability, rel=1e-6)
        assert difficulty == pytest.approx(expected.difficulty, rel=1e-6)


@pytest.mark.fuzz
def test_batch_recompute_equals_replaying_each_answer(store: Store, sample_log: Path) -> None:
    # Importing replays every answer one by one, fuzz and all; recomputing uses the batch call.
    import_review_log(store, sample_log)
    replayed = store.db.execute(
        "SELECT id, state, step, stability, difficulty, due, last_review, reps, lapses FROM cards"
    ).fetchall()
    logs = load_logs(store)
    assert recompute_states(store, logs, schedule.DEFAULT_PARAMETERS) == len(replayed)
    recomputed = store.db.execute(
        "SELECT id, state, step, stability, difficulty, due, last_review, reps, lapses FROM cards"
    ).fetchall()
    assert recomputed == replayed
