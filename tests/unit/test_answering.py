"""Recording an answer: what the card and the review log hold afterwards, whichever way the
answer moved the card."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from trainer import schedule
from trainer.core.grading import Rating
from trainer.core.library import find_deck_files
from trainer.core.progress import Progress, State, to_millis
from trainer.schedule import DEFAULT_PARAMETERS, buttons, card_seed, next_progress
from trainer.store.rows import StudyCard
from trainer.store.store import Store

DECK = """
Q: In what year was NORAD formed?
A: 1958

Q: Where is NORAD headquartered?
A: Colorado Springs
"""


def synced(store: Store, write_deck, tmp_path: Path, now: datetime) -> list[int]:
    write_deck("norad.md", DECK)
    folder = (tmp_path / "decks").resolve()
    store.sync(find_deck_files([folder]), roots=[folder], now=now)
    return [row[0] for row in store.conn.execute("SELECT id FROM cards ORDER BY id")]


def stored(store: Store, card_id: int) -> tuple:
    return store.conn.execute(
        "SELECT state, step, stability, difficulty, due, last_review, reps, lapses FROM cards "
        "WHERE id = ?",
        [card_id],
    ).fetchone()


def as_columns(progress: Progress) -> tuple:
    return (
        int(progress.state), progress.step, progress.stability, progress.difficulty,
        to_millis(progress.due), to_millis(progress.last_review), progress.reps, progress.lapses,
    )  # fmt: skip


def test_every_answer_stores_the_whole_new_state(store, write_deck, tmp_path, now) -> None:
    # New to learning, learning to review, review staying review, review lapsing: the card
    # holds what the answer returned, its state included or left as it was.
    first, second = synced(store, write_deck, tmp_path, now)
    moment = now
    seen = set()
    for rating in [Rating.GOOD, Rating.GOOD, Rating.GOOD, Rating.HARD, Rating.AGAIN]:
        before = store.study_card(first).progress.state
        after = store.record_review(first, rating, moment)
        seen.add((before, after.state))
        assert stored(store, first) == as_columns(after)
        assert store.study_card(first).progress == after
        moment = after.due + timedelta(hours=1)
    assert (State.REVIEW, State.REVIEW) in seen
    assert (State.REVIEW, State.RELEARNING) in seen
    assert stored(store, second) == as_columns(Progress())
    # The other card is still today's new card.
    assert store.deck_summaries(now)[0].new == 1


def test_an_answer_uses_and_logs_the_adopted_parameters(store, write_deck, tmp_path, now) -> None:
    first, second = synced(store, write_deck, tmp_path, now)
    store.record_review(first, Rating.EASY, now)
    weights = tuple(w * 1.1 if index < 4 else w for index, w in enumerate(DEFAULT_PARAMETERS))
    adopted = store.adopt_parameters(weights, "test", now)
    after = store.record_review(second, Rating.EASY, now)
    logged = store.conn.execute("SELECT card_id, parameters_id FROM reviews ORDER BY id")
    assert logged.fetchall() == [(first, None), (second, adopted)]
    key = store.conn.execute("SELECT key FROM cards WHERE id = ?", [second]).fetchone()[0]
    schedule = store.study_card(second).schedule
    expected = next_progress(card_seed(key), Progress(), Rating.EASY, now, schedule, weights)
    assert after == expected
    assert after != next_progress(card_seed(key), Progress(), Rating.EASY, now, schedule)


def logged(store: Store) -> list[tuple]:
    return store.conn.execute(
        "SELECT card_id, rating, state_before, stability_before, due_before, parameters_id "
        "FROM reviews ORDER BY id"
    ).fetchall()


def card_reads(store: Store) -> list[str]:
    """The statements that read a card's state to answer it, from now on (a trace)."""
    seen: list[str] = []
    store.conn.set_trace_callback(seen.append)
    return seen


def buttons_of(shown: StudyCard, moment: datetime) -> schedule.Buttons:
    """What the study screen works out for a card's buttons as it shows it."""
    weights = shown.weights or DEFAULT_PARAMETERS
    return buttons(card_seed(shown.card.key), shown.progress, moment, shown.schedule, weights)


@pytest.mark.parametrize("with_buttons", [False, True])
def test_a_card_answered_as_shown_is_not_read_again(
    store, write_deck, tmp_path, now, monkeypatch, with_buttons
) -> None:
    # The study screen reads the card to show it; its answer is worked out from what it showed
    # and written where the card is still as shown: the same state and log as reading it again.
    # Given the buttons the screen worked out too, the answer takes the one pressed without
    # working it out again.
    first, _ = synced(store, write_deck, tmp_path, now)
    other = Store.open(tmp_path / "other.db")
    try:
        synced(other, write_deck, tmp_path, now)
        moment = now
        for rating in [Rating.GOOD, Rating.GOOD, Rating.GOOD, Rating.AGAIN, Rating.EASY]:
            shown = store.study_card(first)
            pressed = buttons_of(shown, moment) if with_buttons else None
            statements = card_reads(store)
            with monkeypatch.context() as patched:
                if pressed is not None:
                    patched.setattr(schedule, "next_progress", worked_out_again)
                after = store.record_review(first, rating, moment, shown=shown, buttons=pressed)
            store.conn.set_trace_callback(None)
            assert after == other.record_review(first, rating, moment)
            assert not [text for text in statements if text.lstrip().startswith("SELECT")]
            if pressed is not None:
                assert after.due == moment + pressed.intervals[rating]
            moment = after.due + timedelta(hours=1)
        assert stored(store, first) == stored(other, first)
        assert logged(store) == logged(other)
    finally:
        other.close()


def worked_out_again(*_arguments: object) -> Progress:
    pytest.fail("the answer was worked out again, not taken from its buttons")


def test_buttons_shown_before_a_study_day_began_are_worked_out_anew(
    store, write_deck, tmp_path, now
) -> None:
    # Left on screen overnight, the card has waited a day longer when it is answered.
    first, _ = synced(store, write_deck, tmp_path, now)
    for rating in [Rating.GOOD, Rating.GOOD, Rating.GOOD]:
        reviewed = store.record_review(first, rating, now)
    assert reviewed.state is State.REVIEW and reviewed.due is not None
    shown = store.study_card(first)
    pressed = buttons_of(shown, reviewed.due)
    next_day = reviewed.due + timedelta(days=1)
    after = store.record_review(first, Rating.GOOD, next_day, shown=shown, buttons=pressed)
    expected = next_progress(
        card_seed(shown.card.key), reviewed, Rating.GOOD, next_day, shown.schedule
    )
    assert after == expected
    assert after.due != next_day + pressed.intervals[Rating.GOOD]
    assert stored(store, first) == as_columns(after)


def test_a_card_answered_elsewhere_since_it_was_shown_is_read_again(
    store, write_deck, tmp_path, now
) -> None:
    # Another process answers the card while it is on this screen: this answer comes after
    # that one, from the state that one left, and neither is lost.
    first, _ = synced(store, write_deck, tmp_path, now)
    shown = store.study_card(first)
    elsewhere = Store.open(tmp_path / "progress.db")
    try:
        between = elsewhere.record_review(first, Rating.GOOD, now)
    finally:
        elsewhere.close()
    later = now + timedelta(minutes=5)
    after = store.record_review(first, Rating.GOOD, later, shown=shown)
    key = store.conn.execute("SELECT key FROM cards WHERE id = ?", [first]).fetchone()[0]
    schedule = store.study_card(first).schedule
    assert after == next_progress(card_seed(key), between, Rating.GOOD, later, schedule)
    assert after.reps == 2
    assert stored(store, first) == as_columns(after)
    states_before = [row[2] for row in logged(store)]
    assert states_before == [int(State.NEW), int(between.state)]


def test_weights_adopted_since_the_card_was_shown_schedule_its_answer(
    store, write_deck, tmp_path, now
) -> None:
    first, _ = synced(store, write_deck, tmp_path, now)
    shown = store.study_card(first)
    assert shown.parameters_id is None and shown.weights is None
    weights = tuple(w * 1.1 if index < 4 else w for index, w in enumerate(DEFAULT_PARAMETERS))
    adopted = store.adopt_parameters(weights, "test", now)
    after = store.record_review(first, Rating.EASY, now, shown=shown)
    key = store.conn.execute("SELECT key FROM cards WHERE id = ?", [first]).fetchone()[0]
    assert after == next_progress(
        card_seed(key), Progress(), Rating.EASY, now, shown.schedule, weights
    )
    assert [row[5] for row in logged(store)] == [adopted]
    # Shown after the adoption, the card carries the weights in use.
    assert store.study_card(first).parameters_id == adopted
    assert store.study_card(first).weights == weights


def test_a_quiz_answer_of_a_shown_card_leaves_its_schedule(
    store, write_deck, tmp_path, now
) -> None:
    first, _ = synced(store, write_deck, tmp_path, now)
    store.record_review(first, Rating.GOOD, now)
    shown = store.study_card(first)
    after = store.record_review(
        first, Rating.AGAIN, now + timedelta(minutes=1), mode="quiz", reschedule=False, shown=shown
    )
    assert after == shown.progress
    assert stored(store, first) == as_columns(shown.progress)
    assert [row[1] for row in logged(store)] == [int(Rating.GOOD), int(Rating.AGAIN)]
