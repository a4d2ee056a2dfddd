"""What a screen may ask of the app it runs in, typed: `trainer(self)` instead of `self.app`.

Screens and widgets are built before they know their app, and the app imports the home screen,
so screens cannot import `TrainerApp` without a cycle. They import this protocol instead, which
`TrainerApp` satisfies (mypy checks it, see the end of `trainer.tui.app`). Textual's own methods
(`call_from_thread`, `notify`, `pop_screen`) are still reached through `self.app`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, cast

if TYPE_CHECKING:
    from textual.dom import DOMNode
    from textual.screen import Screen

    from trainer.config import Preferences
    from trainer.store.store import Store

Clock = Callable[[], datetime]
"""Where the app gets the time: `datetime.now(UTC)`, or a fixed moment in tests."""


class StudyApp(Protocol):
    """The part of `TrainerApp` that screens use."""

    clock: Clock
    seed: int | None
    sources: Path | None
    deck_places: list[Path]
    quiz_reschedules: bool
    preferences: Preferences

    @property
    def store(self) -> Store: ...

    @property
    def store_ready(self) -> bool: ...

    def ensure_store(self) -> Store: ...

    def sync_decks(self) -> None: ...

    def fail(self, problems: list[str]) -> None: ...

    def save_preferences(self, preferences: Preferences) -> None: ...

    def study_screen(
        self, title: str, deck_ids: list[int] | None, card_ids: list[int] | None = None
    ) -> Screen[None]: ...

    def open_study(self, title: str, deck_ids: list[int] | None) -> None: ...

    def open_quiz(self, title: str, deck_ids: list[int] | None) -> None: ...

    def open_stats(self, deck_id: int | None) -> None: ...

    def open_browse(self, query: str = "") -> None: ...

    def open_custom_study(self) -> None: ...

    def open_settings(self) -> None: ...


def trainer(node: DOMNode) -> StudyApp:
    """The app `node` (a screen or widget) runs in, with the trainer's own attributes typed."""
    return cast("StudyApp", node.app)
