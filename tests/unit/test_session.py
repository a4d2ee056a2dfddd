"""One sitting of study: which card comes next, learning steps, learn-ahead, undo and tallies."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from trainer.core.grading import Rating
from trainer.core.progress import Progress, State
from trainer.core.session import LEARN_AHEAD, StudySession

START = datetime(2025, 3, 14, 15, 0, tzinfo=UTC)


def learning(due_in: timedelta, at: datetime = START) -> Progress:
    """A card answered at `at` into a learning step due `due_in` later."""
    return Progress(State.LEARNING, 1, 2.3, 5.0, at + due_in, at, reps=1)


def review(due_in: timedelta, at: datetime = START) -> Progress:
    """A card that graduated at `at`, due `due_in` later."""
    return Progress(State.REVIEW, None, 8.0, 5.0, at + due_in, at, reps=2)


def test_cards_come_in_queue_order() -> None:
    session = StudySession([3, 1, 2], START)
    assert session.next_card(START) == 3
    session.record(3, Rating.EASY, review(timedelta(days=4)), 5.0, START)
    assert session.next_card(START) == 1
    assert (session.done, session.left) == (1, 2)


def test_a_learning_card_comes_back_when_its_step_is_due() -> None:
    session = StudySession([1, 2, 3], START)
    session.record(1, Rating.GOOD, learning(timedelta(minutes=10)), 4.0, START)
    assert session.left == 3  # still to come, as a learning step
    later = START + timedelta(minutes=5)
    assert session.next_card(later) == 2  # not due yet, and other cards are waiting
    session.record(2, Rating.GOOD, review(timedelta(days=3), later), 3.0, later)
    due = START + timedelta(minutes=10)
    assert session.next_card(due) == 1  # due now: before the rest of the queue
    session.record(1, Rating.GOOD, review(timedelta(days=2), due), 3.0, due)
    assert session.learning == {}
    assert session.next_card(due) == 3


def test_the_learning_card_due_first_comes_first() -> None:
    session = StudySession([1, 2, 3], START)
    session.record(1, Rating.GOOD, learning(timedelta(minutes=10)), 1.0, START)
    session.record(2, Rating.AGAIN, learning(timedelta(minutes=1)), 1.0, START)
    assert session.next_card(START + timedelta(minutes=11)) == 2


def test_learn_ahead_when_nothing_else_is_left() -> None:
    session = StudySession([1], START)
    session.record(1, Rating.GOOD, learning(timedelta(minutes=10)), 2.0, START)
    assert session.next_card(START) == 1  # due within LEARN_AHEAD: shown early
    assert session.left == 1


def test_the_session_ends_when_the_next_step_is_beyond_learn_ahead() -> None:
    session = StudySession([1], START)
    session.record(1, Rating.GOOD, learning(LEARN_AHEAD + timedelta(minutes=1)), 2.0, START)
    assert session.next_card(START) is None
    assert session.next_card(START + timedelta(minutes=1)) == 1


def test_a_step_a_day_or_more_away_is_left_for_another_day() -> None:
    session = StudySession([1], START)
    session.record(1, Rating.HARD, learning(timedelta(days=1)), 2.0, START)
    assert session.learning == {}
    assert session.next_card(START + timedelta(days=2)) is None
    assert session.left == 0


def test_undo_puts_the_card_back_first_and_forgets_the_answer() -> None:
    session = StudySession([1, 2, 3], START)
    session.record(1, Rating.EASY, review(timedelta(days=4)), 2.0, START)
    session.record(2, Rating.AGAIN, learning(timedelta(minutes=1)), 6.0, START)
    assert session.undo() == 2
    assert session.learning == {}
    assert session.queue == [2, 3]
    assert session.next_card(START) == 2
    assert (session.done, session.cards_studied, session.seconds_answering) == (1, 1, 2.0)
    assert session.correct_share == 1.0
    assert session.undo() == 1
    assert session.queue == [1, 2, 3]
    assert session.undo() is None


def test_tallies() -> None:
    session = StudySession([1, 2], START)
    assert (session.done, session.left, session.correct_share, session.cards_studied) == (
        0,
        2,
        0.0,
        0,
    )
    session.record(1, Rating.AGAIN, learning(timedelta(minutes=1)), 3.0, START)
    session.record(2, Rating.GOOD, learning(timedelta(minutes=10)), 4.5, START)
    later = START + timedelta(minutes=1)
    session.record(1, Rating.HARD, learning(timedelta(minutes=6), later), 2.5, later)
    assert session.done == 3
    assert session.cards_studied == 2
    assert session.correct_share == 2 / 3
    assert session.seconds_answering == 10.0
    assert session.left == 2


def test_answering_a_card_takes_its_siblings_out_of_the_session_and_undo_puts_them_back() -> None:
    from trainer.core.study_order import CardTies

    ties = {1: CardTies("deck:a"), 2: CardTies("deck:b"), 3: CardTies("deck:a")}
    session = StudySession([1, 2, 3, 4], START, ties=ties)
    session.record(1, Rating.GOOD, learning(timedelta(minutes=10)), 2.0, START, order=(2, 0, 1))
    assert session.queue == [2, 4]  # 3 is 1's sibling
    assert session.learning == {1: START + timedelta(minutes=10)}  # 1's own step comes back
    undone = session.undo_answer()
    assert undone is not None and undone.order == (2, 0, 1)
    assert session.queue == [1, 2, 3, 4]


def test_cards_citing_the_same_lines_are_not_shown_back_to_back() -> None:
    from trainer.core.study_order import CardTies

    ties = {
        1: CardTies(source=("doc.txt", 3, 3)),
        2: CardTies(source=("doc.txt", 2, 4)),  # overlaps line 3
        3: CardTies(source=("doc.txt", 5, 5)),
        4: CardTies(source=("other.txt", 3, 3)),
    }
    session = StudySession([1, 2, 3, 4], START, ties=ties)
    shown = []
    while (card := session.next_card(START)) is not None:
        shown.append(card)
        session.record(card, Rating.EASY, review(timedelta(days=4)), 1.0, START)
    assert shown == [1, 3, 2, 4]
    # With nothing else left, the same source may follow.
    alone = StudySession([1, 2], START, ties=ties)
    alone.record(1, Rating.EASY, review(timedelta(days=4)), 1.0, START)
    assert alone.next_card(START) == 2
