"""The deck list, the empty state, the help page, a too-small terminal and the command palette."""

from __future__ import annotations

import textwrap
from datetime import timedelta
from pathlib import Path

from textual.binding import Binding
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import DataTable, Static

from trainer.core.grading import Rating
from trainer.core.library import find_deck_files
from trainer.store.store import Store
from trainer.tui.app import TrainerApp, make_app
from trainer.tui.screens.help import HelpScreen
from trainer.tui.screens.home import HomeScreen
from trainer.tui.screens.quiz import QuizScreen
from trainer.tui.screens.quiz_result import QuizResultScreen
from trainer.tui.screens.study import StudyScreen
from trainer.tui.screens.summary import SummaryScreen
from trainer.tui.screens.too_small import TooSmallScreen

from .conftest import (
    SIZE,
    FixedClock,
    MakeTrainer,
    card_id_of,
    deck_rows,
    press,
    screen_text,
    settle,
    text_of,
    wait_until,
)

KEY_NAMES = {"escape": "esc", "question_mark": "?"}
"""How the help page writes keys whose binding name is not what is printed on the key."""


async def test_home_shows_what_each_deck_has_waiting(
    synced_store: Store, db_path: Path, clock: FixedClock, make_trainer: MakeTrainer
) -> None:
    # Studied earlier: one capital is due again today, one is in a learning step.
    ottawa = card_id_of(db_path, "What is the capital of Canada?")
    paris = card_id_of(db_path, "What is the capital of France?")
    synced_store.record_review(ottawa, Rating.EASY, clock() - timedelta(days=60))
    synced_store.record_review(paris, Rating.GOOD, clock() - timedelta(minutes=5))

    app = make_trainer()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert deck_rows(app) == {
            "All decks": [1, 1, 13, 15],
            # Two new cards left, and two of the three new a day still free today.
            "Capitals": [1, 1, 2, 4],
            "NORAD": [0, 0, 11, 11],
        }
        shown = screen_text(app)
        assert "Today: 15 to study  (1 due, 1 learning, 13 new)" in shown
        for heading in ("Deck", "Due", "Learning", "New", "Total"):
            assert heading in shown


async def test_r_reads_the_deck_files_again(
    app: TrainerApp, deck_folder: Path, db_path: Path
) -> None:
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        (deck_folder / "rivers.md").write_text("Q: Longest river in Canada?\nA: Mackenzie\n")
        await press(pilot, "r")
        assert deck_rows(app)["Rivers"] == [0, 0, 1, 1]
        assert deck_rows(app)["All decks"] == [0, 0, 15, 16]

        # A broken deck is reported in one line, and the decks stay as they were.
        (deck_folder / "broken.md").write_text("Q: A question with no answer\n")
        await press(pilot, "r")
        await wait_until(pilot, lambda: "broken.md:1:" in screen_text(app), "the problem")
        assert "Decks not reloaded" in screen_text(app)
        assert deck_rows(app)["All decks"] == [0, 0, 15, 16]


async def test_with_no_decks_home_says_where_decks_go_and_how_to_write_one(
    tmp_path: Path, clock: FixedClock
) -> None:
    folder = tmp_path / "my-decks"
    folder.mkdir()
    store = Store.open(tmp_path / "empty.db")

    def sync() -> None:
        store.sync(find_deck_files([folder]), roots=[folder], now=clock())

    app = make_app(store, None, deck_places=[folder], sync=sync, clock=clock)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            empty = app.screen.query_one("#empty", Static)
            assert empty.display
            assert not app.screen.query_one("#decks", DataTable).display
            message = text_of(empty)
            assert message.startswith("No decks found.")
            assert f"Decks are read from: {folder}" in message
            assert "Q: In what year was NORAD formed?\n    T: 1958" in message
            assert "docs/deck-format.md" in message
            assert "No decks found." in screen_text(app)
            assert "Today: 0 to study" in screen_text(app)

            # With nothing to study, the study and quiz keys stay on this screen.
            for key in ("enter", "s", "a", "q"):
                await press(pilot, key)
                assert isinstance(app.screen, HomeScreen)

            # Following the advice: write a deck there and press r.
            deck = "Q: In what year was NORAD formed?\nT: 1958\n"
            (folder / "norad.md").write_text(textwrap.dedent(deck))
            await press(pilot, "r")
            assert not empty.display
            assert deck_rows(app) == {"All decks": [0, 0, 1, 1], "Norad": [0, 0, 1, 1]}
            # The table the decks came in takes the keys: down, then enter studies that deck.
            assert app.focused is app.screen.query_one("#decks", DataTable)
            await press(pilot, "down", "enter")
            assert isinstance(app.screen, StudyScreen)
            assert "Norad" in screen_text(app)
    finally:
        store.close()


def help_sections(text: str) -> list[list[str]]:
    """The help page split at blank lines: each section's title, then its key lines."""
    return [block.splitlines() for block in text.split("\n\n") if block.strip()]


def listed(section: list[str], key: str, description: str) -> bool:
    """Whether `section` has a line giving `description` with `key` among its keys."""
    for line in section[1:]:
        if description not in line:
            continue
        keys = line[: line.index(description)].replace("/", " ").split()
        if key in keys or (key.isdigit() and "1-9" in keys):
            return True
    return False


def covers(section: list[str], bindings: list[Binding]) -> bool:
    """Whether `section` lists every key of every binding."""
    for binding in bindings:
        description = binding.description
        if description == "Choose":
            description = "Pick a choice"
        for key in binding.key.split(","):
            if not listed(section, KEY_NAMES.get(key.strip(), key.strip()), description):
                return False
    return True


async def test_help_lists_every_binding_of_every_screen(app: TrainerApp) -> None:
    screens: list[type[Screen]] = [
        HomeScreen,
        StudyScreen,
        QuizScreen,
        QuizResultScreen,
        SummaryScreen,
    ]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = text_of(app.screen.query_one("#help Static", Static))
        sections = help_sections(text)
        assert any(covers(s, list(TrainerApp.BINDINGS)) for s in sections), "app keys"  # type: ignore[arg-type]
        missing = [
            screen.__name__
            for screen in screens
            if not any(covers(section, list(screen.BINDINGS)) for section in sections)  # type: ignore[arg-type]
        ]
        assert missing == []
        assert "esc closes this page" in screen_text(app)
        await press(pilot, "escape")
        assert isinstance(app.screen, HomeScreen)


async def test_help_opens_from_the_study_screen_and_closes_back_to_it(app: TrainerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "a")
        assert isinstance(app.screen, StudyScreen)
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        await press(pilot, "question_mark")  # ? again closes it
        assert isinstance(app.screen, StudyScreen)


async def test_a_small_terminal_shows_a_message_until_it_is_big_enough(app: TrainerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.resize_terminal(79, 30)
        assert isinstance(app.screen, TooSmallScreen)
        shown = screen_text(app)
        assert "trainer needs a terminal of at least 80x24." in shown
        assert "All decks" not in shown

        await pilot.resize_terminal(*SIZE)
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "All decks" in screen_text(app)

        await pilot.resize_terminal(100, 23)
        assert isinstance(app.screen, TooSmallScreen)
        # Nothing opens over the message (help would leave it behind once the terminal grows).
        await press(pilot, "question_mark")
        await press(pilot, "ctrl+p")
        await pilot.resize_terminal(*SIZE)
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "All decks" in screen_text(app)


async def test_a_study_session_survives_a_small_terminal(app: TrainerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "a")
        assert isinstance(app.screen, StudyScreen)
        await pilot.resize_terminal(60, 20)
        assert isinstance(app.screen, TooSmallScreen)
        await pilot.resize_terminal(*SIZE)
        assert isinstance(app.screen, StudyScreen)
        await press(pilot, "space")
        assert "Ottawa" in screen_text(app)


async def palette_run(pilot: Pilot, query: str, command: str) -> None:
    """Open the command palette, search for `query`, and run `command`."""
    app = pilot.app
    await press(pilot, "ctrl+p")
    assert isinstance(app.screen, CommandPalette)
    await pilot.press(*query)
    await wait_until(pilot, lambda: command in screen_text(app), f"{command!r} in the palette")
    await press(pilot, "enter")


async def test_the_command_palette_offers_study_and_quiz(app: TrainerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await palette_run(pilot, "study", "Study all due cards")
        assert isinstance(app.screen, StudyScreen)
        assert "All decks" in screen_text(app)
        await press(pilot, "escape", "enter")
        assert isinstance(app.screen, HomeScreen)

        await palette_run(pilot, "quiz", "Quiz on all decks")
        assert isinstance(app.screen, QuizScreen)
        assert "Quiz: All decks" in screen_text(app)
