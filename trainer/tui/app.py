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
        self.theme = "textual-dark"

    def get_default_screen(self) -> Screen:
        # Home is the app's first screen itself: no blank default screen to build and cover.
        return HomeScreen()

    def on_mount(self) -> None:
        self._fit_terminal()

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
        return self._store

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

    def action_help(self) -> None:
        from trainer.tui.screens.help import HelpScreen
        from trainer.tui.screens.quiz import QuizScreen
        from trainer.tui.screens.quiz_result import QuizResultScreen
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
