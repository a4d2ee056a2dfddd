"""Fitting the scheduler: which answers count, the scores, the adoption rule, and the fit itself.

A synthetic learner forgets faster than FSRS's defaults assume: its log is generated with
`TRUE_WEIGHTS`, so those weights must score better than the defaults on the held-out reviews.
"""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from fsrs_rs_python import FSRSItem, FSRSReview
from hypothesis import given
from hypothesis import strategies as st

from trainer import fitting, recompute, schedule
from trainer.cli import cli
from trainer.core.cards import Schedule
from trainer.core.grading import Rating
from trainer.core.progress import (
    Progress,
    from_millis,
    study_date,
    study_day,
    study_day_start,
    to_millis,
)
from trainer.optimize import (
    CardLog,
    Score,
    is_better,
    load_logs,
    nth_smallest,
    optimize,
    score,
    split_time,
)
from trainer.store.errors import StoreError
from trainer.store.review_import import import_review_log
from trainer.store.state_writes import StateWriter
from trainer.store.store import Store

START = datetime(2024, 1, 1, 18, 0, tzinfo=UTC)
_DEFAULTS = schedule.DEFAULT_PARAMETERS
TRUE_WEIGHTS = (0.05, 0.2, 0.6, 2.5, *_DEFAULTS[4:8], 0.5, *_DEFAULTS[9:20], 0.4)
"""Initial stabilities far below the defaults, slower growth of stability (w8) and a steeper
forgetting curve (w20): a learner who forgets much faster than FSRS's defaults assume."""


def card_log(card_id: int, key: str, reviews: list[tuple[int, int, int]]) -> CardLog:
    """A card's log from its `(rating, time in ms, study day)` answers."""
    ratings, times, days = (list(column) for column in zip(*reviews))
    return CardLog(card_id, key, Schedule(), ratings, times, days)


def synthetic_log(path: Path, cards: int = 200, days: int = 120, seed: int = 3) -> Path:
    """A review log of a learner whose memory follows `TRUE_WEIGHTS`.

    The learner comes back after a random 1 to 30 days, not when the card is due, so recall
    ranges widely and the log tells good predictions from bad ones.
    """
    rng = random.Random(seed)
    steps = Schedule(learning_steps=(), relearning_steps=())
    lines = ["card_id,review_rating,review_time,review_duration"]
    for card in range(cards):
        progress = Progress()
        now = START + timedelta(days=card * days // (2 * cards), minutes=card)
        while now < START + timedelta(days=days):
            recall = (
                0.7
                if progress.last_review is None
                else schedule.retrievability(progress, now, TRUE_WEIGHTS)
            )
            rating = Rating.GOOD if rng.random() < recall else Rating.AGAIN
            lines.append(f"{card},{int(rating)},{now.isoformat()},4000")
            progress = schedule.next_progress(card, progress, rating, now, steps, TRUE_WEIGHTS)
            now += timedelta(days=rng.randint(1, 30), hours=rng.random())
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def learner(store: Store, tmp_path: Path) -> Store:
    import_review_log(store, synthetic_log(tmp_path / "synthetic.csv"))
    return store


def review_rows(store: Store) -> list[tuple]:
    return store.db.execute("SELECT * FROM reviews ORDER BY id").fetchall()


def card_states(store: Store) -> list[tuple]:
    return store.db.execute(
        "SELECT id, state, stability, difficulty, due, last_review, reps, lapses FROM cards "
        "ORDER BY id"
    ).fetchall()


def test_load_logs_keeps_only_answers_that_moved_the_schedule(store: Store, now: datetime) -> None:
    store.db.execute(
        "INSERT INTO decks (path, name, settings) VALUES ('/d.md', 'D', '{}')"
    )  # fmt: skip
    store.db.execute(
        "INSERT INTO cards (key, deck_id, position, line, kind_code, prompt, answer, created) "
        "VALUES ('k', 1, 0, 1, 0, 'Q?', 'A', 0)"
    )
    first = now - timedelta(days=10)
    store.record_review(1, Rating.GOOD, first)
    store.record_review(1, Rating.AGAIN, first + timedelta(days=1), mode="quiz", reschedule=False)
    store.record_review(1, Rating.AGAIN, first + timedelta(days=2))
    store.undo_last(first + timedelta(days=2, seconds=5))
    store.record_review(1, Rating.GOOD, first + timedelta(days=3), mode="quiz")
    store.record_review(1, Rating.HARD, first + timedelta(days=5))
    (log,) = load_logs(store)
    assert list(zip(log.ratings, log.times)) == [
        (Rating.GOOD, to_millis(first)),
        (Rating.GOOD, to_millis(first + timedelta(days=3))),
        (Rating.HARD, to_millis(first + timedelta(days=5))),
    ]


def answer_by_answer(store: Store) -> list[tuple[int, list[int], list[int]]]:
    """Each card's `(id, ratings, times)` of the answers that moved its schedule, worked out
    row by row from the log: a quiz answer counts when the next standing answer (or, for the
    last, the card) records it as the last review."""
    undone = {row[0] for row in store.db.execute("SELECT undoes FROM reviews").fetchall()}
    last = dict(store.db.execute("SELECT id, last_review FROM cards").fetchall())
    rows = store.db.execute(
        "SELECT id, card_id, rating, reviewed_at, mode, last_review_before FROM reviews "
        "WHERE rating IS NOT NULL ORDER BY card_id, reviewed_at, id"
    ).fetchall()
    standing = [row for row in rows if row[0] not in undone]
    found: dict[int, tuple[list[int], list[int]]] = {}
    for row, after in zip(standing, [*standing[1:], None]):
        _, card_id, rating, at, mode, _ = row
        recorded = last[card_id] if after is None or after[1] != card_id else after[5]
        if mode != "quiz" or recorded == at:
            ratings, times = found.setdefault(card_id, ([], []))
            ratings.append(rating)
            times.append(at)
    return [(card_id, *found[card_id]) for card_id in sorted(found) if last[card_id]]


def add_unusual_answers(store: Store, now: datetime, cards: int = 39) -> None:
    """Quiz answers that left the schedule alone or moved it, undone answers, and two answers
    at one moment, to the first `cards` cards."""
    base = now + timedelta(days=400)
    for card_id in range(1, cards + 1):
        moment = base + timedelta(days=card_id)
        store.record_review(card_id, Rating.AGAIN, moment, mode="quiz", reschedule=card_id % 2 == 0)
        if card_id % 3 == 0:
            store.record_review(card_id, Rating.GOOD, moment + timedelta(hours=1))
            store.undo_last(moment + timedelta(hours=1, seconds=5))
        if card_id % 5 == 0:
            # In the log's order, not the rating's.
            store.record_review(card_id, Rating.EASY, moment + timedelta(days=2))
            store.record_review(card_id, Rating.HARD, moment + timedelta(days=2))


def test_the_log_read_card_by_card_equals_reading_it_answer_by_answer(
    learner: Store, now: datetime
) -> None:
    # Among the synthetic learner's plain answers.
    add_unusual_answers(learner, now)
    logs = load_logs(learner)
    assert [(log.card_id, log.ratings, log.times) for log in logs] == answer_by_answer(learner)
    assert [log.days for log in logs] == [
        [study_day(from_millis(at)) for at in log.times] for log in logs
    ]
    assert len(logs) == 200


@given(st.lists(st.integers(0, 2**42), min_size=1, max_size=300), st.data())
def test_nth_smallest_is_the_nth_of_the_sorted_values(
    values: list[int], data: st.DataObject
) -> None:
    n = data.draw(st.integers(0, len(values) - 1))
    assert nth_smallest(values, n) == sorted(values)[n]


def test_study_days_roll_over_at_four_in_the_morning() -> None:
    # Local times: the rollover is 4 a.m. wherever the learner is.
    before = datetime(2024, 5, 2, 3, 59).astimezone(UTC)
    after = datetime(2024, 5, 2, 4, 0).astimezone(UTC)
    assert (study_date(after) - study_date(before)).days == 1
    assert study_day_start(after) == after  # the day that begins at 4:00 begins exactly then
    assert study_day_start(before) == after - timedelta(days=1)


def test_split_time_holds_out_the_latest_share() -> None:
    reviews = [(Rating.GOOD, at, at) for at in range(10)]
    logs = [card_log(1, "a", reviews[:4]), card_log(2, "b", reviews[4:])]
    assert split_time(logs, 0.2) == 8
    assert split_time(logs, 0.5) == 5


def test_score_on_a_hand_worked_example() -> None:
    day = 86_400_000
    at = to_millis(START)
    assert at is not None
    # One card: Good, then Again 3 days later, then Good 2 days after that. Day numbers are
    # given directly: each review is on its own study day.
    log = card_log(
        7,
        "k",
        [(Rating.GOOD, at, 0), (Rating.AGAIN, at + 3 * day, 3), (Rating.GOOD, at + 5 * day, 5)],
    )
    weights = schedule.DEFAULT_PARAMETERS
    progress = Progress()
    predicted = []
    for rating, time in zip(log.ratings, log.times):
        moment = START + timedelta(milliseconds=time - at)
        if progress.last_review is not None:
            predicted.append(schedule.retrievability(progress, moment, weights))
        progress = schedule.next_progress(7, progress, rating, moment, Schedule(), weights)
    p_again, p_good = predicted
    result = score([log], weights, at + day)
    assert result.reviews == 2
    # The scores are fsrs-rs's, and its predictions are the retrievability the app shows.
    assert (result.log_loss, result.rmse_bins) == pytest.approx(
        fitting.evaluate(
            [
                FSRSItem([FSRSReview(3, 0), FSRSReview(1, 3)]),
                FSRSItem([FSRSReview(3, 0), FSRSReview(1, 3), FSRSReview(3, 2)]),
            ],
            weights,
        )
    )
    # fsrs-rs weighs the later review four times the earlier one.
    assert result.log_loss == pytest.approx(
        (-0.25 * math.log(1 - p_again) - math.log(p_good)) / 1.25, abs=1e-5
    )
    # Held out from the last review only: one prediction.
    assert score([log], weights, at + 4 * day).reviews == 1


def test_better_means_lower_on_both_scores() -> None:
    current = Score(0.40, 0.05, 100)
    assert is_better(Score(0.39, 0.04, 100), current)
    assert not is_better(Score(0.39, 0.06, 100), current)
    assert not is_better(Score(0.41, 0.04, 100), current)
    assert not is_better(current, current)


def test_better_parameters_are_adopted_and_states_recomputed(learner: Store, now: datetime) -> None:
    log_before = review_rows(learner)
    states_before = card_states(learner)
    outcome = optimize(learner, now=now, fit=lambda items: TRUE_WEIGHTS)
    assert outcome.fitted_score.log_loss < outcome.current_score.log_loss
    assert outcome.fitted_score.rmse_bins < outcome.current_score.rmse_bins
    assert outcome.adopted
    parameters_id, weights = learner.parameters()
    assert parameters_id is not None
    assert weights == pytest.approx(TRUE_WEIGHTS)
    assert outcome.recomputed_cards == len(states_before)
    assert review_rows(learner) == log_before
    states = card_states(learner)
    assert states != states_before
    # Each card is left where replaying its answers with the new weights leads.
    (log,) = [log for log in load_logs(learner) if log.card_id == states[0][0]]
    progress = Progress()
    for rating, time in zip(log.ratings, log.times):
        moment = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=time)
        progress = schedule.next_progress(
            log.card_id, progress, rating, moment, log.schedule, TRUE_WEIGHTS
        )
    assert learner.study_card(log.card_id).progress == progress


@pytest.mark.parametrize(
    "fitted",
    [schedule.DEFAULT_PARAMETERS, (40.0, 60.0, 80.0, 100.0, *schedule.DEFAULT_PARAMETERS[4:])],
    ids=["same as in use", "worse"],
)
def test_parameters_that_do_not_do_better_are_not_adopted(
    learner: Store, now: datetime, fitted: tuple[float, ...]
) -> None:
    states = card_states(learner)
    outcome = optimize(learner, now=now, fit=lambda items: fitted)
    assert not outcome.adopted
    assert learner.parameters() == (None, schedule.DEFAULT_PARAMETERS)
    assert card_states(learner) == states


def test_parameters_are_adopted_only_with_the_states_they_give(
    learner: Store, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The last cards' states cannot be written (the disk is full, say), the first cards' were:
    # neither the parameters nor any card's state changes.
    states = card_states(learner)
    write = StateWriter.write
    written: list[int] = []

    def disk_full(writer: StateWriter, card_ids: list[int], rows: list) -> int:
        if written:
            raise StoreError("database or disk is full")
        written.append(write(writer, card_ids, rows))
        return written[-1]

    monkeypatch.setattr(StateWriter, "write", disk_full)
    with pytest.raises(StoreError):
        optimize(learner, now=now, fit=lambda items: TRUE_WEIGHTS)
    assert written[0] > 10
    assert learner.parameters() == (None, schedule.DEFAULT_PARAMETERS)
    assert card_states(learner) == states


def test_dry_run_adopts_nothing(learner: Store, now: datetime) -> None:
    outcome = optimize(learner, now=now, adopt=False, fit=lambda items: TRUE_WEIGHTS)
    assert outcome.better and not outcome.adopted
    assert learner.parameters()[0] is None


def test_an_empty_log_cannot_be_optimized(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "p.db"), "optimize"])
    assert result.exit_code == 1
    assert result.output == "cannot optimize yet: there are no reviews to learn from yet\n"


def test_fsrs_rs_fit_beats_the_defaults_on_held_out_reviews(learner: Store, now: datetime) -> None:
    outcome = optimize(learner, now=now)
    assert len(outcome.fitted) == 21
    assert outcome.fitted != tuple(schedule.DEFAULT_PARAMETERS)
    assert outcome.fitted_score.log_loss < outcome.current_score.log_loss
    assert outcome.adopted


def test_cli_prints_both_scores(learner: Store, tmp_path: Path) -> None:
    learner.close()
    result = CliRunner().invoke(
        cli, ["--db", str(tmp_path / "progress.db"), "optimize", "--dry-run"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[1].split() == ["parameters", "log", "loss", "RMSE", "(bins)"]
    assert lines[2].split()[0] == "default"
    assert lines[3].split()[0] == "fitted"
    assert "not adopted (--dry-run)" in lines[-1]


SCHEDULES = (
    Schedule(),
    Schedule(learning_steps=(), relearning_steps=()),
    Schedule(
        desired_retention=0.8,
        learning_steps=(timedelta(minutes=5), timedelta(hours=2), timedelta(days=2)),
        relearning_steps=(timedelta(minutes=10), timedelta(days=1)),
    ),
    Schedule(learning_steps=(timedelta(days=3),), relearning_steps=(), fuzz=False),
)


@pytest.mark.fuzz
@given(
    st.lists(
        st.tuples(st.sampled_from(list(Rating)), st.integers(1, 60 * 24 * 40)),
        min_size=1,
        max_size=14,
    ),
    st.sampled_from(SCHEDULES),
    st.sampled_from([_DEFAULTS, TRUE_WEIGHTS]),
)
def test_states_after_equal_replaying_each_answer(
    answers: list[tuple[Rating, int]], deck: Schedule, weights: tuple[float, ...]
) -> None:
    # The batch recompute schedules only each card's last answer itself; replaying schedules
    # every answer through the buttons. Both must give the same state, fuzz and all.
    moments = [
        START + timedelta(minutes=sum(gap for _, gap in answers[: n + 1]))
        for n in range(len(answers))
    ]
    ratings = [int(rating) for rating, _ in answers]
    days = [study_day(moment) for moment in moments]
    seed = schedule.card_seed("deck.md:a card")
    (batch,) = recompute.states_after(
        [
            (
                seed,
                deck,
                ratings,
                [to_millis(m) for m in moments],
                days,
                recompute.answer_reviews(ratings, days),
            )
        ],
        weights,
    )
    ratings_then = [rating for rating, _ in answers]
    *_, (_, replayed) = schedule.replay(seed, zip(ratings_then, moments), deck, weights)
    assert batch == replayed
