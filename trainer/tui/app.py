"""The study app: screens on top of one store, built by `make_app` for the CLI and the tests."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.events import Resize
from textual.screen import Screen

from trainer.store.store import Store
from trainer.tui.screens.help import HelpScreen
from trainer.tui.screens.home import HomeScreen
from trainer.tui.screens.quiz import QuizScreen
from trainer.tui.screens.study import StudyScreen
from trainer.tui.screens.too_small import MIN_HEIGHT, MIN_WIDTH, TooSmallScreen

Clock = Callable[[], datetime]


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
        store: Store,
        *,
        sources: Path | None = None,
        deck_places: Iterable[Path] = (),
        sync: Callable[[], object] | None = None,
        clock: Clock = utc_now,
        seed: int | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        """The learner's progress."""
        self.sources = sources
        """Folder of cited documents, to show the passage behind an answer."""
        self.deck_places = list(deck_places)
        """Where decks are read from (shown when there are none)."""
        self._sync = sync
        self.clock = clock
        """Where screens get the time: fixed in tests and snapshots."""
        self.seed = seed
        """Seed for quiz building (None: a fresh quiz each time)."""

    def on_mount(self) -> None:
        self.theme = "textual-dark"
        self.push_screen(HomeScreen())

    def sync_decks(self) -> None:
        """Re-read the deck files into the store (called from a worker thread)."""
        if self._sync is not None:
            self._sync()

    def study_screen(
        self, title: str, deck_ids: list[int] | None, card_ids: list[int] | None = None
    ) -> StudyScreen:
        """A study screen for some decks, or for a given list of cards."""
        return StudyScreen(title, deck_ids, card_ids)

    def open_study(self, title: str, deck_ids: list[int] | None) -> None:
        """Start studying the due and new cards of `deck_ids` (None: every deck)."""
        self.push_screen(self.study_screen(title, deck_ids))

    def open_quiz(self, title: str, deck_ids: list[int] | None) -> None:
        """Start a quiz on `deck_ids` (None: every deck)."""
        self.push_screen(QuizScreen(title, deck_ids))

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        sections: list[tuple[str, type[Screen]]] = [
            ("Decks", HomeScreen),
            ("Studying", StudyScreen),
            ("Quiz", QuizScreen),
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
        yield SystemCommand("Keys", "Every key binding", self.action_help)

    def on_resize(self, event: Resize) -> None:
        small = event.size.width < MIN_WIDTH or event.size.height < MIN_HEIGHT
        showing = isinstance(self.screen, TooSmallScreen)
        if small and not showing:
            self.push_screen(TooSmallScreen())
        elif showing and not small:
            self.pop_screen()


def make_app(
    store: Store,
    sources: Path | None = None,
    *,
    deck_places: Iterable[Path] = (),
    sync: Callable[[], object] | None = None,
    clock: Clock = utc_now,
    seed: int | None = None,
) -> TrainerApp:
    """Build the app; the CLI and the tests both use this."""
    return TrainerApp(
        store, sources=sources, deck_places=deck_places, sync=sync, clock=clock, seed=seed
    )
