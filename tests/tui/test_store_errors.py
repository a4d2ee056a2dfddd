"""Every worker that reads the database survives a database error: a notice, never a crash."""

from __future__ import annotations

import pytest

import trainer.stats.figures
from trainer.core.grading import Rating
from trainer.store.errors import StoreError
from trainer.store.store import Store
from trainer.tui.app import TrainerApp
from trainer.tui.screens.stats import StatsScreen
from trainer.tui.screens.summary import SummaryScreen

from .conftest import SIZE, press, reviews_on_disk, settle, wait_until
from .test_study import study_norad

LOCKED = "progress.db: database is locked"


def notices(app: TrainerApp) -> list[str]:
    return [str(notification.message) for notification in app._notifications]


async def test_statistics_that_cannot_be_read_say_so(
    app: TrainerApp, synced_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    def locked(*args: object, **kwargs: object) -> None:
        raise StoreError(LOCKED)

    monkeypatch.setattr(trainer.stats.figures, "compute_stats", locked)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "t")
        assert isinstance(app.screen, StatsScreen)
        await wait_until(pilot, lambda: LOCKED in notices(app), "the notice")
        assert app.is_running and isinstance(app.screen, StatsScreen)
        await press(pilot, "escape")
        assert not isinstance(app.screen, StatsScreen)


async def test_a_session_whose_end_cannot_be_read_still_shows_its_summary(
    app: TrainerApp, synced_store: Store, db_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def locked(self: Store, *args: object, **kwargs: object) -> None:
        raise StoreError(LOCKED)

    async with app.run_test(size=SIZE) as pilot:
        await study_norad(pilot)
        await press(pilot, "space", str(int(Rating.GOOD)))
        monkeypatch.setattr(Store, "next_due", locked)
        await press(pilot, "escape")
        await wait_until(pilot, lambda: isinstance(app.screen, SummaryScreen), "the summary")
        assert LOCKED in notices(app)
        assert app.is_running
    assert [row["rating"] for row in reviews_on_disk(db_path)] == [int(Rating.GOOD)]
