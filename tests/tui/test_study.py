"""Studying from the keyboard: every card kind, undo, the summary, and what the database keeps."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, Input, Label, Static

from trainer import schedule
from trainer.core.grading import Verdict
from trainer.core.progress import State, to_millis
from trainer.store.store import Store
from trainer.tui.app import TrainerApp
from trainer.tui.screens.home import HomeScreen
from trainer.tui.screens.shown_card import ShownCard
from trainer.tui.screens.study import StudyScreen
from trainer.tui.screens.summary import SummaryScreen
from trainer.tui.widgets.rating_bar import RatingBar
from trainer.tui.widgets.rendering import typed_answer

from .conftest import (
    BASIC,
    CHOICE_MANY,
    CHOICE_ONE,
    CLOZE_WORD,
    CLOZE_YEAR,
    FALSE_STATEMENT,
    NORAD_ORDER,
    REVERSED_BACK,
    REVERSED_FRONT,
    RIGHT_ANSWER_KEYS,
    SIZE,
    TRUE_STATEMENT,
    TYPED_1958,
    TYPED_1981,
    FixedClock,
    MakeTrainer,
    card_id_of,
    card_on_disk,
    choice_key,
    deck_rows,
    open_synced,
    press,
    reviews_on_disk,
    screen_text,
    settle,
    text_of,
    wait_until,
)

PROGRESS_COLUMNS = "state step stability difficulty due last_review reps lapses".split()


def part(app: TrainerApp, name: str) -> str:
    """The text of one part of the card on screen: kind, prompt, choices, verdict, answer..."""
    return text_of(app.screen.query_one(f"#{name}", Static))


def card_prompt(app: TrainerApp) -> str:
    """The stored prompt of the card on screen (a cloze shows it with its mask filled in)."""
    screen = app.screen
    assert isinstance(screen, StudyScreen) and screen.shown is not None
    return screen.shown.study.card.prompt


def session_bar(app: TrainerApp) -> tuple[str, str]:
    """The session bar's title and its `done · left` count."""
    screen = app.screen
    return (
        text_of(screen.query_one("#session-title", Label)),
        text_of(screen.query_one("#session-count", Label)),
    )


def rating_bar_shown(app: TrainerApp) -> bool:
    return bool(app.screen.query_one(RatingBar).display)


def proposed_rating(app: TrainerApp) -> str:
    """The label of the rating button marked as proposed."""
    (button,) = [b for b in app.screen.query(Button) if b.has_class("-proposed")]
    return str(button.label)


async def study_norad(pilot: Pilot) -> None:
    """From home, move to the NORAD row (under "All decks" and "Capitals") and study it."""
    await settle(pilot)
    await press(pilot, "down", "down", "enter")
    assert isinstance(pilot.app.screen, StudyScreen)


async def study_cards(pilot: Pilot, db_path: Path, *prompts: str) -> None:
    """Study the given cards only, as "study the missed cards" after a quiz does."""
    app = pilot.app
    await settle(pilot)
    card_ids = [card_id_of(db_path, prompt) for prompt in prompts]
    app.push_screen(app.study_screen("NORAD", None, card_ids))  # type: ignore[attr-defined]
    await settle(pilot)
    assert card_prompt(app) == prompts[0]


async def test_a_session_of_every_card_kind_is_saved_and_the_next_app_sees_it(
    app: TrainerApp,
    db_path: Path,
    deck_folder: Path,
    clock: FixedClock,
    make_trainer: MakeTrainer,
) -> None:
    false_card = card_id_of(db_path, FALSE_STATEMENT)
    false_before = card_on_disk(db_path, false_card)

    async with app.run_test(size=SIZE) as pilot:
        await study_norad(pilot)
        assert session_bar(app) == ("NORAD", "0 done · 11 left")

        # Basic: space shows the answer and the four buttons with their intervals.
        assert part(app, "kind") == "Question"
        assert part(app, "prompt") == BASIC
        assert not rating_bar_shown(app)
        await press(pilot, "space")
        assert part(app, "answer") == "Nothing: [bold] is shown as typed."
        assert rating_bar_shown(app)
        assert "3 Good  10m" in screen_text(app)
        await press(pilot, "3")

        # Reversed, both ways: Easy on the front, enter accepts Good on the back.
        assert part(app, "kind") == "Recall the other side"
        assert part(app, "prompt") == REVERSED_FRONT
        await press(pilot, "enter")
        assert part(app, "answer") == REVERSED_BACK
        await press(pilot, "4")
        assert part(app, "prompt") == REVERSED_BACK
        await press(pilot, "space")
        assert part(app, "answer") == REVERSED_FRONT
        assert proposed_rating(app).startswith("3 Good")
        await press(pilot, "enter")

        # Cloze: each deletion is its own card; the hint stands in the mask.
        assert part(app, "kind") == "Fill in the blank"
        assert (
            part(app, "prompt")
            == "NORAD was formed in [year] and is the world's only binational military command."
        )
        await press(pilot, "space")
        assert (
            part(app, "answer")
            == "NORAD was formed in 1958 and is the world's only binational military command."
        )
        await press(pilot, "3")
        assert part(app, "prompt") == CLOZE_WORD
        await press(pilot, "space", "1")

        # Typed, answered with the alternative answer: correct, and enter accepts Good.
        assert part(app, "kind") == "Type the answer"
        assert part(app, "prompt") == TYPED_1958
        answer_box = app.screen.query_one("#answer-input", Input)
        assert answer_box.display and answer_box.has_focus
        await press(pilot, "'", "5", "8", "enter")
        assert part(app, "verdict") == "Correct"
        assert "Answer:    1958" in part(app, "answer")
        assert proposed_rating(app).startswith("3 Good")
        await press(pilot, "enter")

        # Typed, wrong: the diff shows, Again is proposed, and space accepts it.
        assert part(app, "prompt") == TYPED_1981
        await press(pilot, *"1980", "enter")
        assert part(app, "verdict") == "Not quite"
        assert part(app, "answer").splitlines()[-1] == "Answer:    1981"
        assert proposed_rating(app).startswith("1 Again")
        await press(pilot, "space")

        # Multiple choice with one correct answer: its number answers at once.
        assert part(app, "kind") == "Multiple choice  (press its number)"
        assert part(app, "prompt") == CHOICE_ONE
        right = choice_key(app, "Colorado Springs")
        await press(pilot, right)
        assert part(app, "verdict") == "Correct"
        assert f" {right}. [x] Colorado Springs" in part(app, "choices")
        assert part(app, "answer") == "Answer: Colorado Springs"
        await press(pilot, "3")

        # Several correct: numbers toggle, enter checks; a wrong pick proposes Again, Hard overrides.
        assert part(app, "kind") == "Multiple choice  (pick all that apply, then enter)"
        assert part(app, "prompt") == CHOICE_MANY
        await press(pilot, choice_key(app, "Canada"), choice_key(app, "Mexico"))
        assert sorted(line[4:] for line in part(app, "choices").splitlines()) == [
            "[ ] United States",
            "[x] Canada",
            "[x] Mexico",
        ]
        assert not rating_bar_shown(app)
        await press(pilot, "enter")
        assert part(app, "verdict") == "Not quite"
        assert part(app, "answer") == "Answers: Canada; United States"
        assert proposed_rating(app).startswith("1 Again")
        await press(pilot, "2")

        # True or false: a true statement called false is wrong.
        assert part(app, "prompt") == TRUE_STATEMENT
        await press(pilot, "f")
        assert part(app, "verdict") == "Not quite"
        assert part(app, "answer") == "The statement is true."
        await press(pilot, "1")

        # A false statement called false is right, and its note says what is true.
        assert part(app, "prompt") == FALSE_STATEMENT
        await press(pilot, "f")
        assert part(app, "verdict") == "Correct"
        assert part(app, "note") == "It was established in 1958."
        await press(pilot, "3")
        answered = reviews_on_disk(db_path)
        assert len(answered) == 11
        assert card_on_disk(db_path, false_card)["state"] == State.LEARNING

        # Nothing new is left: the card failed first comes back early (learn-ahead).
        assert part(app, "prompt") == CLOZE_WORD

        # Undo: the false statement is back, unanswered, and its state is what it was.
        await press(pilot, "u")
        assert part(app, "prompt") == FALSE_STATEMENT
        assert not rating_bar_shown(app)
        assert session_bar(app)[1] == "10 done · 10 left"
        undo = reviews_on_disk(db_path)[-1]
        assert (undo["mode"], undo["undoes"], undo["card_id"]) == (
            "undo",
            answered[-1]["id"],
            false_card,
        )
        restored = card_on_disk(db_path, false_card)
        assert {c: restored[c] for c in PROGRESS_COLUMNS} == {
            c: false_before[c] for c in PROGRESS_COLUMNS
        }
        await press(pilot, "f", "4")

        assert part(app, "prompt") == CLOZE_WORD
        assert session_bar(app)[1] == "11 done · 9 left"
        await press(pilot, "escape")
        assert isinstance(app.screen, SummaryScreen)
        summary = screen_text(app)
        assert "Session over: NORAD" in summary
        assert "Cards studied   11  (11 answers)" in summary
        assert "Correct         73%" in summary  # 8 of 11 answers were not Again
        assert "Next card due   in 1 minute" in summary  # the failed cards are due in a minute

        await press(pilot, "enter")
        assert isinstance(app.screen, HomeScreen)
        assert deck_rows(app)["NORAD"] == [0, 9, 0, 11]

    reviews = reviews_on_disk(db_path)
    prompts = {card_id_of(db_path, prompt): prompt for prompt in NORAD_ORDER}
    assert [(prompts[r["card_id"]], r["rating"], r["mode"]) for r in reviews] == [
        (BASIC, 3, "review"),
        (REVERSED_FRONT, 4, "review"),
        (REVERSED_BACK, 3, "review"),
        (CLOZE_YEAR, 3, "review"),
        (CLOZE_WORD, 1, "review"),
        (TYPED_1958, 3, "review"),
        (TYPED_1981, 1, "review"),
        (CHOICE_ONE, 3, "review"),
        (CHOICE_MANY, 2, "review"),
        (TRUE_STATEMENT, 1, "review"),
        (FALSE_STATEMENT, 3, "review"),
        (FALSE_STATEMENT, None, "undo"),
        (FALSE_STATEMENT, 4, "review"),
    ]
    states = {
        prompt: card_on_disk(db_path, card_id)["state"] for card_id, prompt in prompts.items()
    }
    assert {p for p, state in states.items() if state == State.REVIEW} == {
        REVERSED_FRONT,
        FALSE_STATEMENT,
    }
    assert {p for p, state in states.items() if state == State.LEARNING} == set(NORAD_ORDER) - {
        REVERSED_FRONT,
        FALSE_STATEMENT,
    }

    # A second app on the same database file: the counts and the history are still there.
    store = open_synced(db_path, deck_folder, clock)
    try:
        second = make_trainer(store=store)
        async with second.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert deck_rows(second) == {
                "All decks": [0, 9, 3, 15],
                "Capitals": [0, 0, 3, 4],
                "NORAD": [0, 9, 0, 11],
            }
            assert "Today: 12 to study  (0 due, 9 learning, 3 new)" in screen_text(second)
        history = store.db.execute("SELECT mode, COUNT(*) FROM reviews GROUP BY mode").fetchall()
        assert dict(history) == {"review": 12, "undo": 1}
    finally:
        store.close()


async def test_every_answer_is_committed_before_the_next_card_is_shown(
    app: TrainerApp, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What another process (or the learner after a crash) would find on disk when each card
    # appears: every answer given so far.
    committed_when_shown: list[tuple[str, int]] = []
    show_card = StudyScreen._show_card

    def spy(screen: StudyScreen, shown: ShownCard, done: int, left: int) -> None:
        committed_when_shown.append((shown.study.card.prompt, len(reviews_on_disk(db_path))))
        show_card(screen, shown, done, left)

    monkeypatch.setattr(StudyScreen, "_show_card", spy)
    async with app.run_test(size=SIZE) as pilot:
        await study_norad(pilot)
        for count, prompt in enumerate(NORAD_ORDER[:3], start=1):
            assert card_prompt(app) == prompt
            await press(pilot, *RIGHT_ANSWER_KEYS[prompt])
            assert rating_bar_shown(app)
            await press(pilot, "3")
            assert card_prompt(app) == NORAD_ORDER[count]
            last = reviews_on_disk(db_path)[-1]
            assert (len(reviews_on_disk(db_path)), last["card_id"], last["rating"]) == (
                count,
                card_id_of(db_path, prompt),
                3,
            )
        await press(pilot, "u")
        assert card_prompt(app) == REVERSED_BACK
        await press(pilot, "space", "2")
        assert card_prompt(app) == CLOZE_YEAR
    assert committed_when_shown == [
        (BASIC, 0),
        (REVERSED_FRONT, 1),
        (REVERSED_BACK, 2),
        (CLOZE_YEAR, 3),
        (REVERSED_BACK, 4),  # the undo is on disk before the undone card comes back
        (CLOZE_YEAR, 5),
    ]


async def test_an_answer_gives_the_interval_its_button_showed_worked_out_once(
    app: TrainerApp, db_path: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The buttons are worked out as the card is shown; the answer, half a minute later, takes
    # the one pressed as it is (working it out again would fail here).
    def worked_out_again(*_arguments: object) -> None:
        pytest.fail("the answer was worked out again, not taken from its buttons")

    monkeypatch.setattr(schedule, "next_progress", worked_out_again)
    async with app.run_test(size=SIZE) as pilot:
        await study_norad(pilot)
        for prompt, button, minutes in [
            (BASIC, "3 Good  10m", 10),
            (REVERSED_FRONT, "1 Again  1m", 1),
        ]:
            assert card_prompt(app) == prompt
            await press(pilot, "space")
            assert button in screen_text(app)
            clock.advance(seconds=30)
            await press(pilot, button[0])
            row = card_on_disk(db_path, card_id_of(db_path, prompt))
            assert row["last_review"] == to_millis(clock())
            assert row["due"] - row["last_review"] == minutes * 60_000
    assert [row["rating"] for row in reviews_on_disk(db_path)] == [3, 1]


async def test_deck_text_is_shown_literally(app: TrainerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await study_norad(pilot)
        assert "What does the markup [bold] do in a deck?" in screen_text(app)
        await press(pilot, "space")
        assert "Nothing: [bold] is shown as typed." in screen_text(app)


async def test_the_cited_passage_appears_once_the_card_is_answered(
    app: TrainerApp, db_path: Path
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await study_cards(pilot, db_path, TYPED_1958, TYPED_1981)
        passage = app.screen.query_one("#passage", Static)
        assert not passage.display
        assert "norad.txt" not in screen_text(app)

        await press(pilot, *"1958", "enter")
        shown = screen_text(app)
        assert "Source: norad.txt:3" in shown
        assert "NORAD was formed on 12 May 1958 by Canada and the United States." in shown
        assert passage.display
        # The answer is marked inside the passage.
        content = passage.visual
        marked = [str(content)[s.start : s.end] for s in content.spans if "reverse" in str(s.style)]
        assert marked == ["1958"]

        # The next card has no passage of its own: the old one is gone.
        await press(pilot, "3")
        assert part(app, "prompt") == TYPED_1981
        assert not passage.display
        assert "12 May 1958" not in screen_text(app)


async def test_without_sources_only_the_citation_is_shown(
    make_trainer: MakeTrainer, db_path: Path
) -> None:
    app = make_trainer(sources=None)
    async with app.run_test(size=SIZE) as pilot:
        await study_cards(pilot, db_path, CHOICE_ONE)
        await press(pilot, choice_key(app, "Colorado Springs"))
        shown = screen_text(app)
        assert "Source: norad.txt:5" in shown
        assert "Colorado Springs." not in shown
        assert not app.screen.query_one("#passage", Static).display


async def test_undo_with_nothing_answered_says_so_and_changes_nothing(
    app: TrainerApp, db_path: Path
) -> None:
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await study_norad(pilot)
        await press(pilot, "u")
        await wait_until(
            pilot, lambda: "Nothing to undo in this session." in screen_text(app), "the warning"
        )
        assert part(app, "prompt") == BASIC
        assert reviews_on_disk(db_path) == []
        # The screen still answers keys afterwards.
        await press(pilot, "space", "3")
        assert part(app, "prompt") == REVERSED_FRONT
        assert len(reviews_on_disk(db_path)) == 1


async def test_ending_a_session_without_answering_returns_home_from_the_summary(
    app: TrainerApp, db_path: Path
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await study_norad(pilot)
        await press(pilot, "escape")
        assert isinstance(app.screen, SummaryScreen)
        summary = screen_text(app)
        assert "Cards studied   0  (0 answers)" in summary
        assert "Next card due   nothing scheduled yet" in summary
        await press(pilot, "enter")
        assert isinstance(app.screen, HomeScreen)
        assert deck_rows(app)["NORAD"] == [0, 0, 11, 11]
    assert reviews_on_disk(db_path) == []


async def test_ending_while_an_answer_is_being_saved_still_counts_it(
    app: TrainerApp, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A slow disk, or a database another trainer is writing to: the answer takes a while.
    record_review = Store.record_review

    def slow_record_review(store: Store, *args: object, **kwargs: object) -> object:
        time.sleep(0.4)
        return record_review(store, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Store, "record_review", slow_record_review)
    async with app.run_test(size=SIZE) as pilot:
        await study_norad(pilot)
        await pilot.press("space", "3", "escape")  # escape while the answer is being saved
        await settle(pilot)
        if isinstance(app.screen, StudyScreen):
            await press(pilot, "escape")
        assert isinstance(app.screen, SummaryScreen)
        assert "Cards studied   1  (1 answer)" in screen_text(app)
    assert len(reviews_on_disk(db_path)) == 1


async def test_ctrl_z_undoes_the_last_answer_while_the_answer_box_has_the_keyboard(
    app: TrainerApp, db_path: Path
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await study_cards(pilot, db_path, BASIC, TYPED_1958)
        await press(pilot, "space", "3")
        assert card_prompt(app) == TYPED_1958
        assert app.focused is app.screen.query_one("#answer-input", Input)

        await press(pilot, "ctrl+z")
        assert card_prompt(app) == BASIC  # the answered card is back
        assert [row["mode"] for row in reviews_on_disk(db_path)] == ["review", "undo"]
        assert app.screen.query_one("#answer-input", Input).value == ""


async def test_a_typed_alternative_is_marked_against_itself_not_the_canonical_answer(
    app: TrainerApp, db_path: Path
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await study_cards(pilot, db_path, TYPED_1958)
        await press(pilot, *"'58", "enter")
        assert part(app, "verdict") == "Correct"
        assert part(app, "answer") == "You typed: '58\nAnswer:    1958"


async def test_a_wrong_typed_answer_shows_what_was_typed_then_what_differed(
    app: TrainerApp, db_path: Path
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await study_cards(pilot, db_path, TYPED_1958)
        await press(pilot, *"1985", "enter")
        assert part(app, "verdict") == "Not quite"
        # What was typed stays as typed; the marks are a line of their own.
        assert part(app, "answer") == "You typed: 1985\nMarked:    19585\nAnswer:    1958"
        shown = app.screen.query_one("#answer", Static).visual
        marks = [
            (span.start, shown.plain[span.start : span.end], str(span.style))
            for span in shown.spans
            if "strike" in str(span.style) or "underline" in str(span.style)
        ]
        second_line = len("You typed: 1985\nMarked:    ")
        # 19[5]8[5]: the missing 5 underlined, the extra 5 struck, on the second line only.
        assert marks == [
            (second_line + 2, "5", "bold green underline"),
            (second_line + 4, "5", "bold red strike"),
        ]


async def test_a_right_typed_answer_written_differently_is_not_marked(
    app: TrainerApp, db_path: Path
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await study_cards(pilot, db_path, TYPED_1958)
        await press(pilot, *"In 1958.", "enter")
        assert part(app, "verdict") == "Correct"
        assert part(app, "answer") == "You typed: In 1958.\nAnswer:    1958"


async def test_typed_brackets_are_shown_literally(app: TrainerApp, db_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await study_cards(pilot, db_path, TYPED_1958)
        await press(pilot, *"[red]1959", "enter")
        assert part(app, "verdict") == "Not quite"
        assert part(app, "answer").splitlines()[0] == "You typed: [red]1959"


def test_the_typed_result_agrees_with_the_verdict_it_is_given() -> None:
    # A strict deck marked `montreal` wrong: the marks say why, though a lenient check would pass.
    strict = typed_answer("montreal", "Montréal", "Montréal", strict=True, verdict=Verdict.WRONG)
    assert strict.plain.splitlines()[1] == "Marked:    mMontreéal"
    lenient = typed_answer("montreal", "Montréal", "Montréal", verdict=Verdict.CORRECT)
    assert lenient.plain == "You typed: montreal\nAnswer:    Montréal"
    # Given the question, the unit it names is not marked.
    km = typed_answer("640 km", "640", "640", question="How far, in kilometres?")
    assert km.plain == "You typed: 640 km\nAnswer:    640"
    assert "Marked:" in typed_answer("640 km", "640", "640").plain
