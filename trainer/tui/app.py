"""The study app: screens on top of one store, built by `make_app` for the CLI and the tests."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.events import Resize
from textual.geometry import Size
from textual.notifications import SeverityLevel
from textual.screen import Screen

from trainer.core.safe_text import printable, printable_line
from trainer.tui.context import Clock, StudyApp
from trainer.tui.screens.home import HomeScreen
from trainer.tui.screens.too_small import MIN_HEIGHT, MIN_WIDTH, TooSmallScreen

if TYPE_CHECKING:
    from trainer.config import Preferences
    from trainer.store.store import Store
    from trainer.tui.screens.study import StudyScreen

# Screens other than home are imported when first opened: startup paints home sooner.

StoreOpener = Callable[[], "Store"]


def utc_now() -> datetime:
    """The current time, UTC-aware."""
    return datetime.now(UTC)


class TrainerApp(App[None]):
    """Flashcards and quizzes, scheduled with FSRS."""

    CSS_PATH = "app.tcss"
    TITLE = "trainer"
    BINDINGS = [
        Binding("question_mark", "help", "Help"),
        Binding("ctrl+q", "quit", "Quit"),
    ]

    def __init__(
        self,
        store: Store | StoreOpener,
        *,
        sources: Path | None = None,
        deck_places: Iterable[Path] = (),
        sync: Callable[[], object] | None = None,
        clock: Clock = utc_now,
        seed: int | None = None,
        quiz_reschedules: bool = False,
        config_path: Path | None = None,
    ) -> None:
        super().__init__()
        # The CLI passes an opener so the store (and sqlite-utils) loads in the home screen's
        # worker while the first frame paints; tests pass an open store.
        self._store: Store | None = None if callable(store) else store
        self._open_store: StoreOpener | None = store if callable(store) else None
        self._opening = threading.Lock()
        self.failure: list[str] = []
        """Problems that stopped the app before it could start; the CLI prints them."""
        self.sources = sources
        """Folder of cited documents, to show the passage behind an answer."""
        self.deck_places = list(deck_places)
        """Where decks are read from (shown when there are none)."""
        self._sync = sync
        self.clock = clock
        """Where screens get the time: fixed in tests and snapshots."""
        self.seed = seed
        """Seed for building quizzes and shuffling choices (None: fresh each time; fixed in tests)."""
        self.quiz_reschedules = quiz_reschedules
        """Whether quiz answers move the schedule as study answers do (off by default)."""
        self.config_path = config_path
        """The learner's `config.toml` (None: settings are neither read nor saved)."""
        from trainer.config import Preferences, load_preferences

        self.preferences, self._config_problems = (
            load_preferences(config_path) if config_path else (Preferences(), [])
        )
        """What the learner chose on the settings screen (or the defaults)."""
        self.theme = (
            self.preferences.theme
            if self.preferences.theme in self.available_themes
            else "textual-dark"
        )

    def get_default_screen(self) -> Screen:
        # Home is the app's first screen itself: no blank default screen to build and cover.
        return HomeScreen()

    def on_mount(self) -> None:
        self._fit_terminal()
        if self._store is not None:
            self._store.defaults = self.preferences.schedule
            self._store.bury_siblings = self.preferences.bury_siblings
        for problem in self._config_problems:
            self.notify(problem, title="Settings", severity="warning", timeout=10)
        # Subscribed only now: the theme set at start is the saved one, not a new choice.
        self.theme_changed_signal.subscribe(self, self._theme_chosen)

    def _theme_chosen(self, theme: object) -> None:
        if self.theme != self.preferences.theme:
            from dataclasses import replace

            self.save_preferences(replace(self.preferences, theme=self.theme))

    def save_preferences(self, preferences: Preferences) -> None:
        """Adopt `preferences` and write them to `config.toml`; a failed write is a notice."""
        from trainer.config import save_preferences

        self.preferences = preferences
        if self._store is not None:
            self._store.defaults = preferences.schedule
            self._store.bury_siblings = preferences.bury_siblings
        if self.theme != preferences.theme and preferences.theme in self.available_themes:
            self.theme = preferences.theme
        if self.config_path is None:
            return
        try:
            save_preferences(self.config_path, preferences)
        except OSError as error:
            self.notify(
                f"{self.config_path}: settings not saved: {error.strerror or error}",
                severity="error",
            )

    @property
    def store(self) -> Store:
        """The learner's progress (open once the home screen has loaded)."""
        assert self._store is not None, "the store opens in the home screen's first worker"
        return self._store

    @property
    def store_ready(self) -> bool:
        """Whether the store has been opened."""
        return self._store is not None

    def ensure_store(self) -> Store:
        """Open the store on first use (called from a worker thread)."""
        with self._opening:
            if self._store is None:
                assert self._open_store is not None
                self._store = self._open_store()
                self._store.defaults = self.preferences.schedule
                self._store.bury_siblings = self.preferences.bury_siblings
        return self._store

    def close_store(self) -> None:
        """Close the store when the app has stopped, after an opening still under way."""
        with self._opening:
            if self._store is not None:
                self._store.close()

    def fail(self, problems: list[str]) -> None:
        """Stop the app because it cannot start; the CLI prints `problems` and exits 1."""
        self.failure = problems
        self.exit(return_code=1)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Show a notice; always literal and free of terminal controls.

        Notices quote deck problems, which hold file names and deck text: a `[/]` there must
        not be read as markup, nor an ESC reach the terminal. (`markup` is accepted and ignored.)
        """
        super().notify(
            printable(message),
            title=printable_line(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def sync_decks(self) -> None:
        """Re-read the deck files into the store (called from a worker thread)."""
        if self._sync is not None:
            self._sync()

    def study_screen(
        self, title: str, deck_ids: list[int] | None, card_ids: list[int] | None = None
    ) -> StudyScreen:
        """A study screen for some decks, or for a given list of cards."""
        from trainer.tui.screens.study import StudyScreen

        return StudyScreen(title, deck_ids, card_ids)

    def open_study(self, title: str, deck_ids: list[int] | None) -> None:
        """Start studying the due and new cards of `deck_ids` (None: every deck)."""
        self.push_screen(self.study_screen(title, deck_ids))

    def open_quiz(self, title: str, deck_ids: list[int] | None) -> None:
        """Start a quiz on `deck_ids` (None: every deck)."""
        from trainer.tui.screens.quiz import QuizScreen

        self.push_screen(QuizScreen(title, deck_ids))

    def open_stats(self, deck_id: int | None) -> None:
        """Show progress statistics for one deck (None: every deck)."""
        from trainer.tui.screens.stats import StatsScreen

        self.push_screen(StatsScreen(self.store, deck_id))

    def open_browse(self, query: str = "") -> None:
        """Open the card browser on `query` (empty: every card)."""
        from trainer.tui.screens.browse import BrowseScreen

        self.push_screen(BrowseScreen(query))

    def open_custom_study(self) -> None:
        """Choose cards by a search and study them."""
        from trainer.tui.screens.custom_study import CustomStudyScreen

        self.push_screen(CustomStudyScreen())

    def open_settings(self) -> None:
        """Daily limits, retention, learning steps, theme."""
        from trainer.tui.screens.settings import SettingsScreen

        self.push_screen(SettingsScreen())

    def action_help(self) -> None:
        from trainer.tui.screens.browse import BrowseScreen
        from trainer.tui.screens.custom_study import CustomStudyScreen
        from trainer.tui.screens.help import HelpScreen
        from trainer.tui.screens.quiz import QuizScreen
        from trainer.tui.screens.quiz_result import QuizResultScreen
        from trainer.tui.screens.settings import SettingsScreen
        from trainer.tui.screens.stats import StatsScreen
        from trainer.tui.screens.study import StudyScreen
        from trainer.tui.screens.summary import SummaryScreen

        if isinstance(self.screen, HelpScreen):
            return
        sections: list[tuple[str, type[Screen]]] = [
            ("Decks", HomeScreen),
            ("Studying", StudyScreen),
            ("End of a session", SummaryScreen),
            ("Quiz", QuizScreen),
            ("End of a quiz", QuizResultScreen),
            ("Statistics", StatsScreen),
            ("Browsing cards", BrowseScreen),
            ("Custom study", CustomStudyScreen),
            ("Settings", SettingsScreen),
        ]
        self.push_screen(HelpScreen(sections, [b for b in self.BINDINGS if isinstance(b, Binding)]))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand(
            "Study all due cards",
            "Every deck's due and new cards",
            lambda: self.open_study("All decks", None),
        )
        yield SystemCommand(
            "Quiz on all decks",
            "20 questions in mixed formats",
            lambda: self.open_quiz("All decks", None),
        )
        yield SystemCommand(
            "Statistics",
            "Retention, forecast, calendar, hardest cards",
            lambda: self.open_stats(None),
        )
        yield SystemCommand(
            "Browse cards", "Search, suspend, bury, flag, reset, edit", self.open_browse
        )
        yield SystemCommand(
            "Custom study", "Study the cards a search finds", self.open_custom_study
        )
        yield SystemCommand("Settings", "Daily limits, retention, steps, theme", self.open_settings)
        yield SystemCommand("Keys", "Every key binding", self.action_help)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Nothing opens over the too-small message: on_resize only removes it from the top.
        if action in ("help", "command_palette"):
            return not isinstance(self.screen, TooSmallScreen)
        return True

    def on_resize(self, event: Resize) -> None:
        self._fit_terminal(event.size)

    def _fit_terminal(self, size: Size | None = None) -> None:
        """Cover the app with a clear message while the terminal is under 80x24."""
        if not self.screen_stack:
            return  # not mounted yet: on_mount checks once home is up
        size = size or self.size
        small = size.width < MIN_WIDTH or size.height < MIN_HEIGHT
        showing = isinstance(self.screen, TooSmallScreen)
        if small and not showing:
            self.push_screen(TooSmallScreen())
        elif showing and not small:
            self.pop_screen()


def make_app(store: Store | StoreOpener, sources: Path | None = None, **options: Any) -> TrainerApp:
    """Build the app; the CLI and the tests both use this.

    `store` is an open store, or a function that opens (and syncs) one: the app then calls it
    from its first worker, off the event loop. `options` are `TrainerApp`'s keyword arguments.
    """
    return TrainerApp(store, sources=sources, **options)


def _is_a_study_app(app: TrainerApp) -> StudyApp:
    """Never called: mypy checks here that `TrainerApp` gives screens what `StudyApp` promises."""
    return app
