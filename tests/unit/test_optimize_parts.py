"""The optimizer's parts that save it time: the fit beside the rest and the states written
only where they changed. Each must give what the plain way gives."""

from __future__ import annotations

import os
import time
from bisect import bisect_left
from datetime import datetime
from pathlib import Path

import pytest
from test_optimize import (
    TRUE_WEIGHTS,
    card_states,
    synthetic_log,
)

from trainer import fitting, recompute, schedule
from trainer import optimize as optimizing
from trainer.aside import work_aside
from trainer.core.grading import Rating
from trainer.optimize import items, load_logs, optimize, recompute_states, split_time
from trainer.store.answer_timeline import read_answer_timeline
from trainer.store.review_import import import_review_log
from trainer.store.state_writes import StoredStates
from trainer.store.store import Store


@pytest.fixture
def learner(store: Store, tmp_path: Path) -> Store:
    import_review_log(store, synthetic_log(tmp_path / "synthetic.csv", cards=60))
    return store


def test_the_fit_beside_gives_the_parameters_of_the_fit_here(learner: Store) -> None:
    logs = load_logs(learner)
    training, _ = items(logs, split_time(logs))
    timeline = read_answer_timeline(learner.conn)
    cut = bisect_left(timeline.times, split_time(logs))
    with fitting.fitting_sent() as sent:
        for start in range(0, cut, 97):  # in parts, as the log is read
            end = min(cut, start + 97)
            sent.send(
                timeline.cards[start:end], timeline.ratings[start:end], timeline.days[start:end]
            )
        sent.end(12345)
        assert sent.aside is not None and sent.parameters() == (
            fitting.fit_parameters(training),
            (12345, len(training)),
        )


def test_work_aside_runs_in_another_process() -> None:
    with work_aside(lambda: str(os.getpid()).encode(), lambda: [float(os.getpid())], 1) as (
        first,
        result,
    ):
        (pid,) = result()
        assert int(first()) == pid
    assert pid != os.getpid()


def test_a_copy_that_fails_is_computed_here() -> None:
    parent = os.getpid()

    def compute() -> list[float]:
        if os.getpid() != parent:
            os._exit(3)  # the copy dies without sending anything
        return [1.5, 2.5]

    with work_aside(lambda: b"made here", compute, 2) as (first, result):
        assert first() == b"made here"
        assert result() == (1.5, 2.5)


def test_where_no_process_may_be_started_the_work_is_done_here(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refused() -> int:
        raise BlockingIOError("Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", refused)
    with work_aside(lambda: b"here", lambda: [float(os.getpid())], 1) as (first, result):
        assert result() == (float(os.getpid()),)
        assert first() == b"here"


def test_leaving_the_block_ends_a_copy_still_working() -> None:
    parent = os.getpid()

    def compute() -> list[float]:
        if os.getpid() != parent:
            time.sleep(60)
        return [0.0]

    started = time.monotonic()
    with work_aside(bytes, compute, 1) as (_, result):
        aside = result.__self__  # type: ignore[attr-defined]
        pid = aside.pid
    assert time.monotonic() - started < 30
    with pytest.raises(ChildProcessError):  # ended and reaped
        os.waitpid(pid, os.WNOHANG)


def test_recomputing_rewrites_only_the_cards_whose_state_changes(learner: Store) -> None:
    logs = load_logs(learner)
    recompute_states(learner, logs, TRUE_WEIGHTS)
    states = card_states(learner)
    changes = learner.conn.total_changes
    # The same parameters again: every card already holds the state they give.
    recompute_states(learner, logs, TRUE_WEIGHTS)
    assert learner.conn.total_changes == changes
    assert card_states(learner) == states
    recompute_states(learner, logs, schedule.DEFAULT_PARAMETERS)
    assert learner.conn.total_changes > changes


def test_adopting_writes_the_states_that_replaying_gives(learner: Store, now: datetime) -> None:
    outcome = optimize(learner, now=now, fit=lambda items: TRUE_WEIGHTS)
    assert outcome.adopted
    adopted = card_states(learner)
    # Cards whose memory alone differs, and cards whose every column does: either way the
    # columns end as writing every one of them leaves them.
    with learner.transaction():
        learner.conn.execute("UPDATE cards SET stability = 1.0, due = 0 WHERE id % 2 = 0")
        learner.conn.execute("UPDATE cards SET state = 0, step = 5, reps = 0 WHERE id % 3 = 0")
    recompute_states(learner, load_logs(learner), TRUE_WEIGHTS)
    assert card_states(learner) == adopted


def test_a_card_answered_after_the_log_was_read_keeps_that_answer(
    learner: Store, now: datetime
) -> None:
    logs = load_logs(learner)  # read; then another trainer process answers one card
    answered = logs[0].card_id
    learner.record_review(answered, Rating.GOOD, now)
    after_answer = learner.conn.execute(
        "SELECT reps, last_review, stability FROM cards WHERE id = ?", [answered]
    ).fetchone()
    recompute_states(learner, logs, TRUE_WEIGHTS)
    assert (
        learner.conn.execute(
            "SELECT reps, last_review, stability FROM cards WHERE id = ?", [answered]
        ).fetchone()
        == after_answer
    )
    # Every other card took the state the parameters give.
    written = card_states(learner)
    recompute_states(learner, load_logs(learner), TRUE_WEIGHTS)
    others = [row for row in card_states(learner) if row[0] != answered]
    assert others == [row for row in written if row[0] != answered]


def test_states_read_ahead_are_read_again_once_anything_was_written(
    learner: Store, now: datetime, tmp_path: Path
) -> None:
    logs = load_logs(learner)
    rows = recompute.state_rows(optimizing._plan(logs), TRUE_WEIGHTS)
    card_ids = [log.card_id for log in logs]
    ahead = StoredStates(learner.conn)
    statements: list[str] = []
    learner.conn.set_trace_callback(statements.append)
    with learner.writing():
        learner.write_states(card_ids, rows, ahead)
    learner.conn.set_trace_callback(None)
    assert not [sql for sql in statements if "FROM cards" in sql]  # nothing changed since
    # A card answered after the states were read ahead, here or by another trainer process,
    # keeps what its answer gave it; every other card takes its new state.
    defaults = recompute.state_rows(optimizing._plan(logs), schedule.DEFAULT_PARAMETERS)
    for place, new_rows in enumerate((defaults, rows)):
        before = card_states(learner)
        ahead = StoredStates(learner.conn)
        if place == 0:
            learner.record_review(card_ids[0], Rating.GOOD, now)
        else:
            other = Store.open(tmp_path / "progress.db")
            other.record_review(card_ids[1], Rating.AGAIN, now)
            other.close()
        answered = card_states(learner)[place]
        with learner.writing():
            learner.write_states(card_ids, new_rows, ahead)
        after = card_states(learner)
        assert after[place] == answered != before[place]
        assert after[2:] != before[2:]


@pytest.mark.parametrize("dies", ["before its states", "before its score"])
def test_a_copy_that_dies_while_adopting_leaves_its_work_to_this_process(
    learner: Store, now: datetime, monkeypatch: pytest.MonkeyPatch, dies: str
) -> None:
    # The copy works out the last cards' states, then scores the parameters.
    parent = os.getpid()
    owner, name = (
        (recompute, "state_rows") if dies == "before its states" else (fitting, "evaluate")
    )
    work = getattr(owner, name)

    def dying(*args: object) -> object:
        if os.getpid() != parent:
            os._exit(3)
        return work(*args)

    monkeypatch.setattr(owner, name, dying)
    outcome = optimize(learner, now=now, fit=lambda items: TRUE_WEIGHTS)
    assert outcome.adopted and outcome.recomputed_cards == len(load_logs(learner))
    adopted = card_states(learner)
    recompute_states(learner, load_logs(learner), TRUE_WEIGHTS)
    assert card_states(learner) == adopted


@pytest.mark.parametrize("share", [0.0, 0.3, 1.0])
def test_a_plan_split_in_two_gives_the_states_of_the_whole(learner: Store, share: float) -> None:
    # Every third card answered once: it has no answers before its last to plan.
    logs = [
        log._replace(ratings=log.ratings[:1], times=log.times[:1], days=log.days[:1])
        if number % 3 == 0
        else log
        for number, log in enumerate(load_logs(learner))
    ]
    plan = optimizing._plan(logs)
    first, second = plan.split(int(len(plan.cards) * share))
    assert len(first.cards) + len(second.cards) == len(plan.cards) > 50
    assert recompute.state_rows(first, TRUE_WEIGHTS) + recompute.state_rows(
        second, TRUE_WEIGHTS
    ) == recompute.state_rows(plan, TRUE_WEIGHTS)
