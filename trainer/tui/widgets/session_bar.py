"""The strip above a card: the deck, progress through the session, and time elapsed."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, ProgressBar

from trainer.tui.widgets.rendering import shown


def format_elapsed(seconds: float) -> str:
    """`m:ss`, or `h:mm:ss` past an hour."""
    whole = int(max(0, seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


class SessionBar(Horizontal):
    """Where the learner stands in the current session."""

    def compose(self) -> ComposeResult:
        yield Label("", id="session-title")
        yield ProgressBar(total=1, show_eta=False, show_percentage=False, id="session-progress")
        yield Label("", id="session-count")
        yield Label("0:00", id="session-clock")

    def show(self, title: str, done: int, left: int) -> None:
        """Update the deck title and the done / left counts."""
        # The title holds deck names: literal, never markup (a deck may be called "[/]").
        self.query_one("#session-title", Label).update(shown(title, one_line=True))
        self.query_one("#session-progress", ProgressBar).update(
            total=max(1, done + left), progress=done
        )
        self.query_one("#session-count", Label).update(f"{done} done · {left} left")

    def show_elapsed(self, seconds: float) -> None:
        """Update the elapsed time."""
        self.query_one("#session-clock", Label).update(format_elapsed(seconds))
