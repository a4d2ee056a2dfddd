"""The deck list: what is waiting today, and the keys to study, quiz or see statistics."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Static

from trainer.core.safe_text import printable_line
from trainer.tui.context import trainer
from trainer.tui.widgets.key_footer import KeyFooter
from trainer.tui.widgets.rendering import cell, shown

if TYPE_CHECKING:
    from textual.widgets import DataTable

    from trainer.store.queue import DeckSummary

ALL_DECKS = "all"
LOADING = "Loading decks..."
"""What the first frame says where today's counts go: they are read after it is painted."""


class HomeScreen(Screen[None]):
    """Every deck with its due, learning and new counts."""

    BINDINGS = [
        Binding("enter,s", "study", "Study deck"),
        Binding("a", "study_all", "Study all due"),
        Binding("q", "quiz", "Quiz"),
        Binding("t", "stats", "Statistics"),
        Binding("r", "reload", "Reload decks"),
        # Not in the footer, which is full at 80 columns: the help screen and the palette list them.
        Binding("b", "browse", "Browse", show=False),
        Binding("c", "custom_study", "Custom study", show=False),
        Binding("comma", "settings", "Settings", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.summaries: list[DeckSummary] = []
        """The decks as last loaded."""

    def compose(self) -> ComposeResult:
        # The deck table is mounted with the counts (`_deck_table`): the first frame has neither.
        with Vertical(id="home"):
            yield Static(LOADING, id="today", markup=False)
            yield Static("", id="empty", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#empty").display = False

    def on_screen_resume(self) -> None:
        # Also sent when home is first shown: the counts load once at start, and afresh each
        # time the learner comes back from studying.
        self.load_decks()

    @work(thread=True, exclusive=True, group="home")
    def load_decks(self, sync: bool = False) -> None:
        """Read the counts (and, when asked, re-read the deck files first) off the event loop.

        The first call also opens the store; if that fails the app cannot start, and stops.
        """
        # Loaded here, in the worker: the deck parser's modules are not needed to paint the
        # first frame (about 10 ms of imports).
        from trainer.core.deckfile import DeckError
        from trainer.store.errors import StoreError

        app = trainer(self)
        starting = not app.store_ready
        try:
            store = app.ensure_store()
            if sync:
                app.sync_decks()
            summaries = store.deck_summaries(app.clock())
        except (DeckError, StoreError) as error:
            lines = (
                [str(p) for p in error.problems] if isinstance(error, DeckError) else [str(error)]
            )
            # One line per problem, even when a file's name holds a newline.
            lines = [printable_line(line) for line in lines]
            if starting:
                self.app.call_from_thread(app.fail, lines)
            else:
                self.app.call_from_thread(
                    self.app.notify, "\n".join(lines), title="Decks not reloaded", severity="error"
                )
            return
        # The deck table's module (6 ms), which the first frame does without, for `show_decks`.
        from textual.widgets import DataTable  # noqa: F401

        self.app.call_from_thread(self.show_decks, summaries)

    def show_decks(self, summaries: list[DeckSummary]) -> None:
        """Fill the table, keeping the cursor on the same deck."""
        self.summaries = summaries
        selected = self.selected_deck_id()
        table = self._deck_table()
        table.clear()
        empty = self.query_one("#empty", Static)
        table.display = bool(summaries)
        empty.display = not summaries
        if summaries and self.focused is None:  # the first decks shown, or the first found
            table.focus()
        if not summaries:
            places = ", ".join(map(str, trainer(self).deck_places))
            empty.update(
                shown(
                    f"No decks found.\n\nDecks are read from: {places}\n\n"
                    "A deck is a Markdown file of cards, for example:\n\n"
                    "    Q: In what year was NORAD formed?\n    T: 1958\n\n"
                    "See docs/deck-format.md for every card kind. Save it as a .md file there "
                    "(or start trainer with --decks FOLDER), then press r to reload."
                )
            )
        due = sum(s.due for s in summaries)
        learning = sum(s.learning for s in summaries)
        new = sum(s.new for s in summaries)
        total = sum(s.total for s in summaries)
        held_back = sum(s.held_back for s in summaries)
        capped = (
            f"\nThe daily review limit holds back {held_back} more due card"
            f"{'s' if held_back != 1 else ''} for the coming days (change it with ,)."
            if held_back
            else ""
        )
        self.query_one("#today", Static).update(
            f"Today: {due + learning + new} to study  ({due} due, {learning} learning, {new} new)"
            + capped
        )
        if summaries:
            table.add_row("All decks", due, learning, new, total, key=ALL_DECKS)
        for summary in summaries:
            table.add_row(
                # A deck's name is deck text: literal (a deck may be called "[/]"), one line.
                cell(summary.name),
                summary.due,
                summary.learning,
                summary.new,
                summary.total,
                key=str(summary.id),
            )
        if selected is not None and str(selected) in table.rows:
            table.move_cursor(row=table.get_row_index(str(selected)))

    def _shown_table(self) -> DataTable | None:
        """The deck table, once the counts have been shown."""
        from textual.widgets import DataTable

        return next(iter(self.query("#decks").results(DataTable)), None)

    def _deck_table(self) -> DataTable:
        """The deck table, mounted with its columns the first time the counts are shown."""
        from textual.widgets import DataTable

        table = self._shown_table()
        if table is not None:
            return table
        table = DataTable(id="decks", cursor_type="row", zebra_stripes=True)
        # Labels as `Text`: a string label is read as markup, which loads Rich's emoji table.
        table.add_column(Text("Deck"), key="deck")
        for label in ("Due", "Learning", "New", "Total"):
            table.add_column(Text(label), key=label.lower())
        self.query_one("#home").mount(table, before="#empty")
        return table

    def selected_deck_id(self) -> int | None:
        """The deck under the cursor; None for the "All decks" row, an empty table or none."""
        table = self._shown_table()
        if table is None or not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return None if key in (None, ALL_DECKS) else int(key)

    def _selection(self) -> tuple[str, list[int] | None]:
        deck_id = self.selected_deck_id()
        if deck_id is None:
            return "All decks", None
        name = next(s.name for s in self.summaries if s.id == deck_id)
        return name, [deck_id]

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_study()

    def action_study(self) -> None:
        if not self.summaries:
            return
        title, deck_ids = self._selection()
        trainer(self).open_study(title, deck_ids)

    def action_study_all(self) -> None:
        if self.summaries:
            trainer(self).open_study("All decks", None)

    def action_quiz(self) -> None:
        if not self.summaries:
            return
        title, deck_ids = self._selection()
        trainer(self).open_quiz(title, deck_ids)

    def action_stats(self) -> None:
        if not self.summaries:
            return
        trainer(self).open_stats(self.selected_deck_id())

    def action_browse(self) -> None:
        if self.summaries:
            trainer(self).open_browse()

    def action_custom_study(self) -> None:
        if self.summaries:
            trainer(self).open_custom_study()

    def action_settings(self) -> None:
        trainer(self).open_settings()

    def action_reload(self) -> None:
        self.load_decks(sync=True)
