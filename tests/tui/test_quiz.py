"""A quiz from the keyboard: mixed formats, a score, the missed list, and a schedule left alone."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Label, Static

from trainer.core.grading import Rating
from trainer.core.progress import State
from trainer.core.quiz import Format, QuizQuestion
from trainer.store.store import Store
from trainer.tui.app import TrainerApp
from trainer.tui.screens.home import HomeScreen
from trainer.tui.screens.quiz import QuizScreen
from trainer.tui.screens.quiz_result import QuizResultScreen
from trainer.tui.screens.study import StudyScreen

from .conftest import (
    BASIC,
    NORAD_CARDS,
    SIZE,
    FixedClock,
    MakeTrainer,
    card_id_of,
    press,
    reviews_on_disk,
    screen_text,
    settle,
    text_of,
)

PROGRESS_COLUMNS = "state, step, stability, difficulty, due, last_review, reps, lapses"
LONGEST_TYPED = 10
"""Typed answers longer than this are answered wrong: Pilot types one key at a time."""


def schedule_of(store: Store) -> dict[int, tuple[object, ...]]:
    """Every card's scheduling columns, by id."""
    rows = store.db.execute(f"SELECT id, {PROGRESS_COLUMNS} FROM cards ORDER BY id").fetchall()
    return {row[0]: tuple(row[1:]) for row in rows}


def question_on_screen(app: TrainerApp) -> QuizQuestion:
    screen = app.screen
    assert isinstance(screen, QuizScreen) and screen.run is not None
    question = screen.run.current
    assert question is not None
    return question


def answer_keys(question: QuizQuestion, right: bool) -> tuple[str, ...]:
    """The keys a learner presses to answer `question` rightly or wrongly."""
    if question.format is Format.CHOICE:
        wrong = min(set(range(len(question.options))) - question.correct)
        picks = sorted(question.correct) if right else [wrong]
        keys = tuple(str(index + 1) for index in picks)
        return keys if len(question.correct) == 1 else (*keys, "enter")
    if question.format is Format.TRUE_FALSE:
        return ("t",) if question.claim_is_true == right else ("f",)
    typed = min(question.accepted or (question.answer,), key=len) if right else "zz"
    return (*typed, "enter")


async def quiz_norad(pilot: Pilot) -> None:
    """From home, move to the NORAD row and open a quiz on it."""
    await settle(pilot)
    await press(pilot, "down", "down", "q")
    assert isinstance(pilot.app.screen, QuizScreen)


async def test_a_quiz_is_scored_its_misses_listed_and_the_schedule_left_alone(
    app: TrainerApp, synced_store: Store, db_path: Path, clock: FixedClock
) -> None:
    # One card has been studied before, so "left alone" covers a scheduled card too.
    basic = card_id_of(db_path, BASIC)
    synced_store.record_review(basic, Rating.GOOD, clock() - timedelta(hours=1))
    before = schedule_of(synced_store)
    studied_reviews = len(reviews_on_disk(db_path))

    asked: list[tuple[QuizQuestion, bool]] = []
    async with app.run_test(size=SIZE) as pilot:
        await quiz_norad(pilot)
        title = text_of(app.screen.query_one("#session-title", Label))
        assert title == "Quiz: NORAD"
        while isinstance(app.screen, QuizScreen):
            question = question_on_screen(app)
            shown = screen_text(app)
            assert question.prompt.splitlines()[0] in shown  # deck text, literally
            assert f"{len(asked)} done · {NORAD_CARDS - len(asked)} left" in shown
            right = len(asked) % 3 != 1 and not (
                question.format is Format.TYPED and len(question.answer) > LONGEST_TYPED
            )
            await press(pilot, *answer_keys(question, right))
            verdict = text_of(app.screen.query_one("#verdict", Static))
            assert verdict == ("Correct" if right else "Not quite")
            assert question.answer in screen_text(app)
            asked.append((question, right))
            await press(pilot, "enter")

        assert isinstance(app.screen, QuizResultScreen)
        formats = {question.format for question, _ in asked}
        assert formats == set(Format)
        assert len(asked) == NORAD_CARDS
        right_count = sum(right for _, right in asked)
        missed = [question for question, right in asked if not right]
        assert 0 < right_count < len(asked)
        result = screen_text(app)
        assert "Quiz over: NORAD" in result
        assert f"Score  {right_count} / {len(asked)}  ({right_count / len(asked):.0%})" in result
        missed_lines = [text_of(s) for s in app.screen.query(".missed").results(Static)]
        assert missed_lines == [f"• {q.prompt}\n  → {q.answer}" for q in missed]

        # s studies the missed cards, in the order they were missed, on the usual schedule.
        await press(pilot, "s")
        assert isinstance(app.screen, StudyScreen)
        assert app.screen.shown is not None
        assert app.screen.shown.study.id == missed[0].card_id
        count = text_of(app.screen.query_one("#session-count", Label))
        assert count == f"0 done · {len({q.card_id for q in missed})} left"

    logged = reviews_on_disk(db_path)[studied_reviews:]
    assert [(r["card_id"], r["mode"], r["rating"]) for r in logged] == [
        (q.card_id, "quiz", Rating.GOOD if right else Rating.AGAIN) for q, right in asked
    ]
    assert schedule_of(synced_store) == before
    assert before[basic][0] == State.LEARNING


async def test_ending_a_quiz_early_scores_the_questions_answered(
    app: TrainerApp, db_path: Path
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await quiz_norad(pilot)
        first = question_on_screen(app)
        await press(pilot, *answer_keys(first, right=False), "enter")
        second = question_on_screen(app)
        await press(pilot, *answer_keys(second, right=True), "enter")
        await press(pilot, "escape")
        assert isinstance(app.screen, QuizResultScreen)
        result = screen_text(app)
        assert "Score  1 / 2  (50%)" in result
        assert first.answer in result
        await press(pilot, "enter")
        assert isinstance(app.screen, HomeScreen)
    assert [r["mode"] for r in reviews_on_disk(db_path)] == ["quiz", "quiz"]


async def test_a_perfect_quiz_has_nothing_to_study(app: TrainerApp, db_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "down", "q")  # Capitals: four short answers
        assert text_of(app.screen.query_one("#session-title", Label)) == "Quiz: Capitals"
        while isinstance(app.screen, QuizScreen):
            await press(pilot, *answer_keys(question_on_screen(app), right=True), "enter")
        result = screen_text(app)
        assert "Score  4 / 4  (100%)" in result
        assert "No mistakes." in result
        await press(pilot, "s")  # nothing missed: s does nothing
        assert isinstance(app.screen, QuizResultScreen)
        await press(pilot, "enter")
        assert isinstance(app.screen, HomeScreen)


async def test_with_quiz_reschedules_a_quiz_answer_moves_the_schedule(
    make_trainer: MakeTrainer, synced_store: Store, db_path: Path
) -> None:
    app = make_trainer(quiz_reschedules=True)
    before = schedule_of(synced_store)
    async with app.run_test(size=SIZE) as pilot:
        await quiz_norad(pilot)
        question = question_on_screen(app)
        await press(pilot, *answer_keys(question, right=True))
    assert [r["mode"] for r in reviews_on_disk(db_path)] == ["quiz"]
    after = schedule_of(synced_store)
    assert after[question.card_id] != before[question.card_id]  # no longer a new card
    assert {k: v for k, v in after.items() if k != question.card_id} == {
        k: v for k, v in before.items() if k != question.card_id
    }
