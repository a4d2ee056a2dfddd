"""The end of a study session: how it went and when to come back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static

from trainer.core.session import StudySession
from trainer.tui.widgets.rendering import shown
from trainer.tui.widgets.session_bar import format_elapsed


@dataclass(frozen=True)
class SessionSummary:
    """The figures shown when a session ends."""

    answers: int
    cards_studied: int
    correct_share: float
    seconds: float
    next_due: datetime | None
    now: datetime

    @classmethod
    def of(cls, session: StudySession, now: datetime, next_due: datetime | None) -> SessionSummary:
        """Summarise `session` as it stands at `now`."""
        return cls(
            session.done,
            session.cards_studied,
            session.correct_share,
            (now - session.started).total_seconds(),
            next_due,
            now,
        )


def when(moment: datetime | None, now: datetime) -> str:
    """`now`, `in under a minute`, `in 10 minutes`, `in 3 hours`, `in 2 days`, or `nothing scheduled`."""
    if moment is None:
        return "nothing scheduled yet"
    seconds = (moment - now).total_seconds()
    if seconds <= 0:
        return "now"
    if seconds < 60:
        return "in under a minute"
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = round(seconds / size)
            return f"in {count} {unit}{'s' if count != 1 else ''}"
    return "now"  # pragma: no cover


class SummaryScreen(Screen[None]):
    """What the learner did in the session that just ended."""

    BINDINGS = [
        Binding("enter", "home", "Home"),
        Binding("escape", "home", "Home", show=False),
    ]

    def __init__(self, title: str, summary: SessionSummary) -> None:
        super().__init__()
        self.session_title = title
        """What was studied."""
        self.summary = summary
        """The session's figures."""

    def compose(self) -> ComposeResult:
        summary = self.summary
        with Vertical(id="summary"):
            yield Static(
                shown(f"Session over: {self.session_title}", one_line=True), id="summary-title"
            )
            if summary.answers == 0:
                yield Static("Nothing was due. Well done for checking!", classes="figure")
            yield Static(
                f"Cards studied   {summary.cards_studied}  "
                f"({summary.answers} answer{'' if summary.answers == 1 else 's'})",
                classes="figure",
            )
            yield Static(f"Correct         {summary.correct_share:.0%}", classes="figure")
            yield Static(f"Time spent      {format_elapsed(summary.seconds)}", classes="figure")
            yield Static(f"Next card due   {when(summary.next_due, summary.now)}", classes="figure")
            yield Static("Press enter to go back to your decks.", id="summary-hint")
        yield Footer()

    def action_home(self) -> None:
        self.app.pop_screen()
