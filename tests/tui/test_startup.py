"""Starting as the CLI starts the app: the store opened in the home screen's worker after the
first frame, a loading line until the deck list is read, and a store that cannot open stopping
the app with one line per problem."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from textual.widgets import Static

from trainer.store.errors import StoreError
from trainer.store.store import Store
from trainer.tui.app import TrainerApp, make_app
from trainer.tui.screens.help import HelpScreen
from trainer.tui.screens.home import LOADING

from .conftest import (
    SIZE,
    FixedClock,
    MakeTrainer,
    deck_rows,
    open_synced,
    settle,
    text_of,
    wait_until,
)


async def test_the_store_opened_at_start_gives_the_same_deck_list(
    db_path: Path, deck_folder: Path, clock: FixedClock, make_trainer: MakeTrainer
) -> None:
    async with make_trainer().run_test(size=SIZE) as pilot:  # an open store, as tests pass
        await settle(pilot)
        expected = deck_rows(pilot.app)
    app = make_app(lambda: open_synced(db_path, deck_folder, clock), None, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert deck_rows(app) == expected
        assert "Capitals" in expected
    app.close_store()


@pytest.fixture
def held(db_path: Path, deck_folder: Path, clock: FixedClock) -> tuple[TrainerApp, threading.Event]:
    """The app as the CLI makes it, whose store opens only once the event is set."""
    release = threading.Event()

    def slow_open() -> Store:
        release.wait()
        return open_synced(db_path, deck_folder, clock)

    return make_app(slow_open, None, clock=clock), release


async def test_home_says_it_is_loading_until_the_counts_are_read(
    held: tuple[TrainerApp, threading.Event],
) -> None:
    app, release = held
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        # No number until the counts are read: no wrong figure flashes before the right one.
        assert text_of(app.screen.query_one("#today", Static)) == LOADING
        assert not app.screen.query("#decks")  # the table comes with the counts
        release.set()
        await settle(pilot)
        assert text_of(app.screen.query_one("#today", Static)).startswith("Today: ")
        assert {"All decks", "Capitals", "NORAD"} <= set(deck_rows(app))
    app.close_store()


async def test_counts_read_while_the_help_page_is_open_are_there_on_coming_back(
    held: tuple[TrainerApp, threading.Event],
) -> None:
    app, release = held
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")  # the help page, while the counts are read
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "the help page")
        home = app.screen_stack[0]
        release.set()
        await wait_until(pilot, lambda: bool(home.query("#decks")), "the deck table")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is home, "home again")
        await settle(pilot)
        assert {"All decks", "Capitals", "NORAD"} <= set(deck_rows(app))
        assert app.focused is home.query_one("#decks")  # the arrows move in it at once
    app.close_store()


async def test_a_store_that_cannot_open_stops_the_app_with_its_reason(clock: FixedClock) -> None:
    def broken() -> Store:
        raise StoreError("progress.db: cannot open the progress database: file is not a database")

    app = make_app(broken, None, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.failure, "the app to stop")
    assert app.failure == ["progress.db: cannot open the progress database: file is not a database"]
    assert app.return_code == 1
    app.close_store()


async def test_a_broken_deck_at_start_stops_the_app_with_file_and_line(
    db_path: Path, tmp_path: Path, clock: FixedClock
) -> None:
    decks = tmp_path / "broken"
    decks.mkdir()
    (decks / "bad.md").write_text("Q: What is missing?\n", encoding="utf-8")
    app = make_app(lambda: open_synced(db_path, decks, clock), None, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.failure, "the app to stop")
    assert len(app.failure) == 1 and "bad.md:1" in app.failure[0]
    assert app.return_code == 1
    app.close_store()


async def test_closing_waits_for_an_opening_still_under_way(
    db_path: Path, deck_folder: Path, clock: FixedClock
) -> None:
    started, release = threading.Event(), threading.Event()
    opened: list[Store] = []

    def slow_open() -> Store:
        started.set()
        release.wait()
        opened.append(open_synced(db_path, deck_folder, clock))
        return opened[0]

    app = make_app(slow_open, None, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, started.is_set, "the store to start opening")
        await pilot.press("ctrl+q")  # the learner quits before the decks are read
    release.set()
    app.close_store()
    with pytest.raises(sqlite3.ProgrammingError):  # closed, not left to the process's exit
        opened[0].conn.execute("SELECT 1")
