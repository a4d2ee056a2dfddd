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


def held_out_items(cards: dict[str, list[tuple[int, datetime]]], holdout: float) -> list[FSRSItem]:
    """The latest `holdout` share of answers, each given a day or more after the one before it,
    with the card's answers before it; oldest first."""
    times = sorted(moment for answers in cards.values() for _, moment in answers)
    split = times[int(len(times) * (1 - holdout))]
    items = []
    for answers in cards.values():
        reviews = study_day_reviews(answers)
        days = [study_day(moment) for _, moment in answers]
        for index, (_, moment) in enumerate(answers):
            if moment >= split and index > 0 and days[index] > days[index - 1]:
                items.append((moment, FSRSItem(reviews[: index + 1])))
    return [item for _, item in sorted(items, key=lambda pair: pair[0])]


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
