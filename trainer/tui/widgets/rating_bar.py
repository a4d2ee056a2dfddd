"""The four answer buttons, each showing the interval it would give, as Anki does."""

from __future__ import annotations

from datetime import timedelta

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button

from trainer.core.grading import Rating
from trainer.core.progress import format_interval

_VARIANTS = {
    Rating.AGAIN: "error",
    Rating.HARD: "warning",
    Rating.GOOD: "success",
    Rating.EASY: "primary",
}


class RatingBar(Horizontal):
    """Again / Hard / Good / Easy; clicking one posts `RatingBar.Rated`."""

    class Rated(Message):
        """The learner picked a rating with the mouse."""

        def __init__(self, rating: Rating) -> None:
            super().__init__()
            self.rating = rating
            """The rating picked."""

    def compose(self) -> ComposeResult:
        for rating in Rating:
            button = Button(f"{rating.value} {rating.name.title()}", id=f"rate-{rating.value}")
            button.variant = _VARIANTS[rating]
            # Keys drive studying; a focused button would swallow enter and space.
            button.can_focus = False
            yield button

    def show_intervals(self, intervals: dict[Rating, timedelta], proposed: Rating | None) -> None:
        """Label each button with its interval and mark the proposed one."""
        for rating in Rating:
            button = self.query_one(f"#rate-{rating.value}", Button)
            label = f"{rating.value} {rating.name.title()}"
            if rating in intervals:
                label += f"  {format_interval(intervals[rating])}"
            button.label = label
            button.set_class(rating is proposed, "-proposed")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.Rated(Rating(int(str(event.button.id).removeprefix("rate-")))))
