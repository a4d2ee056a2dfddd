"""Shown instead of a broken layout when the terminal is smaller than 80x24."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

MIN_WIDTH, MIN_HEIGHT = 80, 24


class TooSmallScreen(Screen[None]):
    """Asks for a bigger terminal; goes away by itself once there is room."""

    def compose(self) -> ComposeResult:
        yield Static(
            f"trainer needs a terminal of at least {MIN_WIDTH}x{MIN_HEIGHT}.\nMake the window bigger.",
            id="too-small",
        )
