"""Deck text never steers the terminal: every screen, fed every control character, writes none.

What the app would send to the terminal is checked twice: each segment of text the compositor
lays out (only Textual's own style codes go between them), and the full terminal sequence of a
repaint, which must hold no escape but the style and cursor codes Textual writes itself.
"""

from __future__ import annotations

import re
from pathlib import Path

from hostile import CONTROLS, MARKUP, hostile_deck, raw_characters
from textual.widgets import DataTable

from trainer.core.cards import Kind
from trainer.core.library import find_deck_files
from trainer.core.quiz import Format
from trainer.store.store import Store
from trainer.tui.app import TrainerApp, make_app
from trainer.tui.screens.home import HomeScreen
from trainer.tui.screens.quiz import QuizScreen
from trainer.tui.screens.quiz_result import QuizResultScreen
from trainer.tui.screens.stats import StatsScreen
from trainer.tui.screens.study import StudyScreen
from trainer.tui.screens.summary import SummaryScreen

from .conftest import SEED, SIZE, FixedClock, press, screen_text, settle, wait_until

TEXTUAL_CODES = re.compile(r"\x1b\[[0-9;]*[mHG]")
"""The escape sequences Textual writes itself: styles (SGR) and cursor moves."""


def assert_terminal_safe(app: TrainerApp, where: str) -> None:
    """Nothing on the screen, as the driver would write it, is a raw control character."""
    compositor = app.screen._compositor
    for row, strip in enumerate(compositor.render_strips()):
        for segment in strip:
            found = raw_characters(segment.text)
            assert not found, f"{where}, row {row}: {found} in {segment.text!r}"
    sequence = compositor.render_update(full=True).render_segments(app.console)
    leftover = TEXTUAL_CODES.sub("", sequence)
    found = raw_characters(leftover, allowed="\n")
    assert not found, f"{where}: {found} reach the terminal"


def hostile_app(tmp_path: Path, clock: FixedClock) -> tuple[TrainerApp, Path]:
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "evil.md").write_text(hostile_deck(), encoding="utf-8")
    store = Store.open(tmp_path / "progress.db")
    store.sync(find_deck_files([folder]), roots=[folder], now=clock())

    def sync() -> None:
        store.sync(find_deck_files([folder]), roots=[folder], now=clock())

    app = make_app(store, None, deck_places=[folder], sync=sync, clock=clock, seed=SEED)
    return app, folder


async def test_every_screen_shows_control_characters_as_escapes(
    tmp_path: Path, clock: FixedClock
) -> None:
    app, folder = hostile_app(tmp_path, clock)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert_terminal_safe(app, "home")
        # The name is shown literally: markup as typed, controls as escapes.
        name = str(app.screen.query_one("#decks", DataTable).get_row_at(1)[0])
        assert name.startswith(f"Evil {MARKUP}\\x00\\x01")
        assert "\\x1b" in name and "\\x9b" in name and "U+202E" in name

        await press(pilot, "down", "s")
        kinds = set()
        while isinstance(app.screen, StudyScreen):
            shown = app.screen.shown
            assert shown is not None
            kind = shown.study.card.kind
            kinds.add(kind)
            assert_terminal_safe(app, f"{kind} question")
            keys = {
                Kind.TYPED: ("x", "enter"),
                Kind.CHOICE: ("1",),
                Kind.TRUE_FALSE: ("t",),
            }.get(kind, ("space",))
            await press(pilot, *keys)
            assert_terminal_safe(app, f"{kind} answer")
            assert "\\x1b" in screen_text(app)
            await press(pilot, "3")
        assert kinds == {Kind.BASIC, Kind.TYPED, Kind.CLOZE, Kind.CHOICE, Kind.TRUE_FALSE}
        assert isinstance(app.screen, SummaryScreen)
        assert_terminal_safe(app, "summary")
        await press(pilot, "enter")

        await press(pilot, "q")
        assert isinstance(app.screen, QuizScreen)
        while isinstance(app.screen, QuizScreen):
            run = app.screen.run
            assert run is not None and run.current is not None
            question = run.current
            assert_terminal_safe(app, f"quiz {question.format}")
            keys = {Format.TYPED: ("z", "z", "enter"), Format.TRUE_FALSE: ("f",)}.get(
                question.format,
                (*(str(i + 1) for i in sorted(question.correct)), "enter")
                if len(question.correct) > 1
                else ("1",),
            )
            await press(pilot, *keys)
            assert_terminal_safe(app, f"quiz {question.format} answered")
            await press(pilot, "enter")
        assert isinstance(app.screen, QuizResultScreen)
        assert_terminal_safe(app, "quiz result")
        await press(pilot, "enter")

        await press(pilot, "t")
        assert isinstance(app.screen, StatsScreen)
        await wait_until(pilot, lambda: "Loading" not in screen_text(app), "the statistics")
        await settle(pilot)
        assert_terminal_safe(app, "statistics")
        await press(pilot, "escape")
        assert isinstance(app.screen, HomeScreen)

        # A deck problem is a notice quoting the file's name and text: safe too.
        (folder / f"bad{CONTROLS.replace('/', '').replace(chr(0), '')}.md").write_text(
            f"Q: question\nA: answer\nId: bad{CONTROLS.replace(chr(10), '')}id\n",
            encoding="utf-8",
        )
        await press(pilot, "r")
        await wait_until(pilot, lambda: "not reloaded" in screen_text(app), "the notice")
        assert_terminal_safe(app, "notice")


async def test_a_deck_named_with_markup_is_shown_as_typed(
    tmp_path: Path, clock: FixedClock
) -> None:
    folder = tmp_path / "decks"
    folder.mkdir()
    for stem, name in (("a", "[/]"), ("b", "[bold]"), ("c", "[red]x[/red] [link=x]y")):
        (folder / f"{stem}.md").write_text(
            f'+++\nname = "{name}"\n+++\n\nQ: In [/] what?\nA: [bold] this\n', encoding="utf-8"
        )
    store = Store.open(tmp_path / "progress.db")
    store.sync(find_deck_files([folder]), roots=[folder], now=clock())
    app = make_app(store, None, deck_places=[folder], clock=clock, seed=SEED)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#decks", DataTable)
        names = [str(table.get_row_at(index)[0]) for index in range(table.row_count)]
        assert names == ["All decks", "[/]", "[bold]", "[red]x[/red] [link=x]y"]
        await press(pilot, "down", "s")
        assert isinstance(app.screen, StudyScreen)
        shown = screen_text(app)
        assert "[/]" in shown and "In [/] what?" in shown
        await press(pilot, "space")
        assert "[bold] this" in screen_text(app)
        await press(pilot, "3", "escape")
        assert "Session over: [/]" in screen_text(app)
        await press(pilot, "enter", "t")
        await wait_until(pilot, lambda: "Loading" not in screen_text(app), "the statistics")
        await settle(pilot)
        decks = app.screen.query_one("#decks", DataTable)
        assert [str(decks.get_row_at(i)[0]) for i in range(decks.row_count)] == ["[/]"]
        assert "[/]" in screen_text(app)  # the deck filter
    assert app.return_code in (None, 0)
