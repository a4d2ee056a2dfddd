"""The statistics screen: the figures it shows, the deck filter, and no database work on the loop."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Select, Static

import trainer.stats.figures
from trainer.core.grading import Rating
from trainer.store.store import Store
from trainer.tui.app import TrainerApp
from trainer.tui.screens.stats import CalendarHeatmap, StatsScreen

from .conftest import SIZE, FixedClock, card_id_of, screen_text, settle, text_of, wait_until


def column(table: DataTable, index: int) -> dict[str, object]:
    """A table's rows as {first cell: cell `index`}."""
    rows = (table.get_row_at(row) for row in range(table.row_count))
    return {str(row[0]): row[index] for row in rows}


@pytest.fixture
def studied(synced_store: Store, db_path, clock: FixedClock) -> Store:
    """Ottawa lapsed today after a first review ten days ago; Paris and a NORAD card are new."""
    now = clock()
    ottawa = card_id_of(db_path, "What is the capital of Canada?")
    synced_store.record_review(ottawa, Rating.GOOD, now - timedelta(days=10))
    synced_store.record_review(ottawa, Rating.GOOD, now - timedelta(days=10, minutes=-15))
    synced_store.record_review(ottawa, Rating.AGAIN, now - timedelta(hours=2), duration_ms=6000)
    paris = card_id_of(db_path, "What is the capital of France?")
    synced_store.record_review(paris, Rating.GOOD, now - timedelta(hours=1), duration_ms=4000)
    norad = card_id_of(db_path, "What does the markup [bold] do in a deck?")
    synced_store.record_review(norad, Rating.GOOD, now - timedelta(minutes=30), duration_ms=50000)
    return synced_store


async def open_stats(pilot: Pilot, store: Store) -> StatsScreen:
    screen = StatsScreen(store)
    await pilot.app.push_screen(screen)
    await wait_until(pilot, lambda: screen.stats is not None, "the figures")
    await settle(pilot)
    return screen


async def test_stats_screen_shows_the_figures_and_filters_by_deck(
    app: TrainerApp, studied: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[threading.Thread] = []
    compute = trainer.stats.figures.compute_stats

    def spy(*args: object, **kwargs: object) -> trainer.stats.figures.Stats:
        threads.append(threading.current_thread())
        return compute(*args, **kwargs)

    monkeypatch.setattr(trainer.stats.figures, "compute_stats", spy)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_stats(pilot, studied)
        today = text_of(screen.query_one("#today", Static))
        assert today.startswith("Today: 3 cards studied (3 answers) in 1m · 1 again · 66.7%")
        retention = screen.query_one("#retention", DataTable)
        assert column(retention, 1)["Today"] == "0.0%"  # the lapse: a young card forgotten
        assert column(retention, 3)["All time"] == "0.0%"
        assert column(retention, 4)["All time"] == 1
        counts = column(screen.query_one("#counts", DataTable), 1)
        assert (counts["New"], counts["Learning"], counts["Relearning"]) == (12, 2, 1)
        decks = column(screen.query_one("#decks", DataTable), 1)
        assert decks == {"Capitals": 4, "NORAD": 11}
        hardest = screen.query_one("#hardest", DataTable)
        assert str(hardest.get_row_at(0)[0]) == "What is the capital of Canada?"
        calendar = screen.query_one("#calendar", CalendarHeatmap)
        assert (calendar.days[-1].reviews, calendar.days[-11].reviews, calendar.streak) == (3, 2, 1)
        assert "Streak: 1 day" in screen_text(app)
        assert "True retention" in screen_text(app)

        # The learner picks the Capitals deck in the filter, as with the keyboard.
        await pilot.press("f", "enter", "down", "enter")
        await wait_until(pilot, lambda: screen.stats.deck_id is not None, "the Capitals figures")
        await settle(pilot)
        assert screen.query_one("#deck-filter", Select).value == screen.stats.deck_id
        today = text_of(screen.query_one("#today", Static))
        assert today.startswith("Today: 2 cards studied (2 answers) in 10s · 1 again · 50.0%")
        counts = column(screen.query_one("#counts", DataTable), 1)
        assert (counts["New"], counts["Learning"], counts["Relearning"]) == (2, 1, 1)
        assert column(screen.query_one("#decks", DataTable), 1) == {"Capitals": 4}

        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, StatsScreen)
    assert len(threads) == 2
    assert all(thread is not threading.main_thread() for thread in threads)
