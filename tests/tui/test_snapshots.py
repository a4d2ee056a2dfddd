"""What each screen looks like at 100x30, with the clock, the quiz seed and the theme fixed.

Run `pytest tests/tui/test_snapshots.py --snapshot-update` after a deliberate change to a screen,
then look at the SVGs in `__snapshots__/` before committing them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual.pilot import Pilot
from textual.widgets import Input

from trainer.tui.app import TrainerApp

from .conftest import SIZE, settle

SnapCompare = Callable[..., bool]


def after(*keys: str) -> Callable[[Pilot], Awaitable[None]]:
    """A `run_before` that lets home load, presses `keys` one by one, and waits for each."""

    async def run(pilot: Pilot) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        # A blinking cursor would make the picture depend on timing.
        for box in pilot.app.screen.query(Input):
            box.cursor_blink = False

    return run


def test_home(snap_compare: SnapCompare, app: TrainerApp) -> None:
    """Two decks under "All decks", today's counts above, the keys in the footer."""
    assert snap_compare(app, terminal_size=SIZE, run_before=after())


def test_study_question(snap_compare: SnapCompare, app: TrainerApp) -> None:
    """The first NORAD card, a question with `[bold]` shown literally, before the answer."""
    assert snap_compare(app, terminal_size=SIZE, run_before=after("down", "down", "enter"))


def test_study_answer(snap_compare: SnapCompare, app: TrainerApp) -> None:
    """The same card answered: the answer and the four rating buttons with their intervals."""
    keys = ("down", "down", "enter", "space")
    assert snap_compare(app, terminal_size=SIZE, run_before=after(*keys))


def test_study_typed_answer_with_its_source(snap_compare: SnapCompare, app: TrainerApp) -> None:
    """A wrong typed year: the verdict, the character diff, the citation and its passage."""
    keys = ("down", "down", "enter", *("space", "3") * 5, "1", "9", "5", "9", "enter")
    assert snap_compare(app, terminal_size=SIZE, run_before=after(*keys))


def test_quiz(snap_compare: SnapCompare, app: TrainerApp) -> None:
    """The first question of the seeded NORAD quiz."""
    assert snap_compare(app, terminal_size=SIZE, run_before=after("down", "down", "q"))


def test_session_summary(snap_compare: SnapCompare, app: TrainerApp) -> None:
    """After two answers (Good, then Again) and escape: the session's figures."""
    keys = ("down", "down", "enter", "space", "3", "space", "1", "escape")
    assert snap_compare(app, terminal_size=SIZE, run_before=after(*keys))


def test_help(snap_compare: SnapCompare, app: TrainerApp) -> None:
    """The keys page over the deck list."""
    assert snap_compare(app, terminal_size=SIZE, run_before=after("question_mark"))
