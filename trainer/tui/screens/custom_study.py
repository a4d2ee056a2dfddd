"""Custom study: the cards a search finds, studied now, with or without moving their schedule."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, Static, Switch

from trainer.core.search_query import QueryError
from trainer.store.errors import StoreError
from trainer.store.search import count_cards, find_card_ids
from trainer.tui.context import trainer

MOST = 500
"""Cards one custom session holds at most (the first ones the search finds)."""


class CustomStudyScreen(Screen[None]):
    """Type a search, see how many cards it finds, press enter to study them."""

    BINDINGS = [Binding("escape", "back", "Back")]

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.initial_query = query
        self.ids: list[int] = []
        """The cards a session would hold: the first `MOST` the search finds."""

    def compose(self) -> ComposeResult:
        with Vertical(id="custom"):
            yield Static(
                "Study the cards a search finds: a tag, a deck, is:due, prop:r<0.8, rated:1:1 ..."
                "  (see docs/search.md). Suspended and buried cards are left out.",
                markup=False,
            )
            yield Input(self.initial_query, placeholder="tag:nato", id="custom-query")
            yield Static("", id="custom-count", markup=False)
            with Horizontal(classes="setting"):
                yield Label("Answers move the schedule (off: cram)")
                yield Switch(True, id="custom-reschedule")
            yield Static("enter: study these cards", classes="setting-note")
        yield Footer()

    def on_mount(self) -> None:
        self.count(self.initial_query)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.count(event.value)

    @work(thread=True, exclusive=True, group="custom")
    def count(self, query: str) -> None:
        """Find the cards (in the worker) and show how many there are."""
        store = trainer(self).store
        now = trainer(self).clock()
        try:
            # Read alone first, so that an error names the column the learner typed.
            count_cards(store, query, now)
            studied = f"({query}) -is:suspended -is:buried" if query.strip() else "-is:suspended"
            total = count_cards(store, studied, now)
            ids = find_card_ids(store, studied, now, MOST, total=total)
        except QueryError as error:
            self.app.call_from_thread(self._show_count, [], 0, str(error))
            return
        except StoreError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error")
            return
        self.app.call_from_thread(self._show_count, ids, total, "")

    def _show_count(self, ids: list[int], total: int, problem: str) -> None:
        if not self.is_attached:  # left, or switched to studying, before the count came back
            return
        self.ids = ids
        count = self.query_one("#custom-count", Static)
        count.set_class(bool(problem), "error-line")
        if problem:
            count.update(problem)
        elif total > MOST:
            count.update(f"{total:,} cards match; a session takes the first {MOST}.")
        else:
            count.update(f"{total:,} card{'s' if total != 1 else ''} match.")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not self.ids:
            self.notify("No cards to study: change the search.", severity="warning")
            return
        from trainer.tui.screens.study import StudyScreen

        reschedule = self.query_one("#custom-reschedule", Switch).value
        title = f"Custom: {event.value.strip() or 'all cards'}" + ("" if reschedule else " (cram)")
        self.app.switch_screen(StudyScreen(title, None, self.ids[:MOST], reschedule=reschedule))

    def action_back(self) -> None:
        self.app.pop_screen()
