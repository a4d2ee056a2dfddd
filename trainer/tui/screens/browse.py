"""The card browser: a search box over a table of the cards found, and the card under the cursor.

The search gives card ids only; rows are read a page at a time as the cursor moves down, so the
table is instant at 100,000 cards. Every database call runs in a thread worker.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar, cast

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from trainer.core.deckfile import DeckError
from trainer.core.search_query import QueryError
from trainer.core.sources import find_passage
from trainer.store import card_flags
from trainer.store.card_history import card_history
from trainer.store.errors import StoreError
from trainer.store.search import FoundCard, count_cards, find_card_ids, found_cards
from trainer.tui.context import trainer
from trainer.tui.editor import open_in_editor
from trainer.tui.screens.confirm import ConfirmScreen
from trainer.tui.widgets.card_detail import detail, due_text, marks, memory

PAGE = 100
"""Rows read at a time; the next page loads when the cursor comes near the end."""

Shown = TypeVar("Shown", bound=Callable[..., None])


def _while_shown(method: Shown) -> Shown:
    """Drop what a worker hands back once the browser is gone (the learner left meanwhile)."""

    @functools.wraps(method)
    def guarded(self: BrowseScreen, *args: Any) -> None:
        with contextlib.suppress(NoMatches):
            method(self, *args)

    return cast(Shown, guarded)


def _one_line(text: str, width: int = 60) -> Text:
    """Deck text on one line, cut to `width`, shown literally: a DataTable reads a plain string
    as markup, and a card may well say `[bold]`."""
    flat = " ".join(text.split())
    return Text(flat if len(flat) <= width else flat[: width - 1] + "…")


@dataclass(frozen=True)
class Found:
    """A search's outcome: how many cards it finds, or what is wrong with the query."""

    query: str
    total: int
    error: str = ""


class BrowseScreen(Screen[None]):
    """Find cards, look at one, and set it aside, flag it, reset it or edit it."""

    BINDINGS = [
        Binding("slash", "focus_search", "Search"),
        Binding("s", "suspend", "Suspend"),
        Binding("b", "bury", "Bury"),
        Binding("f", "flag", "Flag"),
        Binding("r", "reset", "Reset"),
        Binding("e", "edit", "Edit"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.initial_query = query
        """The search the browser opens with."""
        self.total = 0
        """How many cards the current search finds; the table holds the first pages of them."""
        self.cards: dict[int, FoundCard] = {}
        """The rows loaded so far, by card id."""
        self.query_text = query
        self.loading_page = False

    def compose(self) -> ComposeResult:
        yield Input(
            self.initial_query,
            placeholder="Search: words, deck:NAME, tag:NAME, is:due, prop:r<0.8 ... (empty: all)",
            id="browse-query",
        )
        yield Static("", id="browse-count", markup=False)
        with Horizontal(id="browse-main"):
            yield DataTable(id="browse-cards", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="browse-detail-pane"):
                yield Static("", id="browse-detail", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#browse-cards", DataTable)
        for label in ("Deck", "Kind", "Question", "Due", "S", "D", "R", "Marks"):
            table.add_column(label, key=label.lower())
        self.search(self.initial_query)

    @property
    def now(self) -> datetime:
        return trainer(self).clock()

    # -- searching ------------------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.search(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#browse-cards", DataTable).focus()

    @work(thread=True, exclusive=True, group="browse-search")
    def search(self, query: str, keep: int | None = None) -> None:
        """Find the cards (in the worker) and show the first page, keeping card `keep` selected."""
        store = trainer(self).store
        try:
            total = count_cards(store, query, self.now)
            ids = find_card_ids(store, query, self.now, PAGE, total=total)
            page = found_cards(store, ids, self.now)
        except QueryError as error:
            self.app.call_from_thread(self._show_found, Found(query, 0, str(error)), [], keep)
            return
        except StoreError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error")
            return
        self.app.call_from_thread(self._show_found, Found(query, total), page, keep)

    @_while_shown
    def _show_found(self, found: Found, page: list[FoundCard], keep: int | None) -> None:
        count = self.query_one("#browse-count", Static)
        if found.error:
            count.update(found.error)
            count.add_class("error")
            return
        count.remove_class("error")
        self.query_text = found.query
        self.total = found.total
        self.cards = {}
        table = self.query_one("#browse-cards", DataTable)
        table.clear()
        self._add_rows(page)
        shown = f"{found.total:,} card{'s' if found.total != 1 else ''}"
        count.update(shown if found.total else "No cards match.")
        if keep is not None and str(keep) in table.rows:
            table.move_cursor(row=table.get_row_index(str(keep)))
        self.refresh_bindings()  # the card keys are offered only while there is a card
        if not page:
            self.query_one("#browse-detail", Static).update("")
        else:
            self.show_detail(self.selected_id())

    def _add_rows(self, page: list[FoundCard]) -> None:
        table = self.query_one("#browse-cards", DataTable)
        now = self.now
        for card in page:
            self.cards[card.id] = card
            stability, difficulty, recall = memory(card)
            table.add_row(
                _one_line(card.deck, 14), card.kind, _one_line(card.question, 36),
                due_text(card, now), stability, difficulty, recall, marks(card),
                key=str(card.id),
            )  # fmt: skip

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        table = event.data_table
        if event.cursor_row >= table.row_count - 10 and table.row_count < self.total:
            self.load_page(table.row_count)
        if event.row_key.value is not None:
            self.show_detail(int(event.row_key.value))

    def load_page(self, start: int) -> None:
        if self.loading_page:
            return
        self.loading_page = True
        self._load_page(start, self.query_text, self.total)

    @work(thread=True, group="browse-page")
    def _load_page(self, start: int, query: str, total: int) -> None:
        store = trainer(self).store
        try:
            ids = find_card_ids(store, query, self.now, PAGE, start, total)
            page = found_cards(store, ids, self.now)
        except (StoreError, QueryError) as error:
            page = []
            self.app.call_from_thread(self.notify, str(error), severity="error")
        self.app.call_from_thread(self._append_page, page, query)

    @_while_shown
    def _append_page(self, page: list[FoundCard], query: str) -> None:
        self.loading_page = False
        if query == self.query_text:  # a newer search replaced the table meanwhile
            self._add_rows([card for card in page if card.id not in self.cards])

    # -- the card under the cursor --------------------------------------------------------

    def selected_id(self) -> int | None:
        """The card under the table's cursor, if any."""
        table = self.query_one("#browse-cards", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return None if key is None else int(key)

    @work(thread=True, exclusive=True, group="browse-detail")
    def show_detail(self, card_id: int | None) -> None:
        """Read the card, its history and its passage (in the worker) into the detail pane."""
        if card_id is None:
            return
        app = trainer(self)
        try:
            (card,) = found_cards(app.store, [card_id], self.now)
            study = app.store.study_card(card_id)
            history = card_history(app.store, card_id)
        except (StoreError, KeyError, ValueError):
            return
        passage = None
        if study.card.source is not None:
            answers = [study.card.answer, *study.card.correct_choices]
            passage = find_passage(app.sources, study.card.source, answers)
        text = detail(card, study, history, passage, self.now)
        self.app.call_from_thread(self._show_detail_text, text)

    @_while_shown
    def _show_detail_text(self, text: Content) -> None:
        self.query_one("#browse-detail", Static).update(text)

    # -- keys -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("suspend", "bury", "flag", "reset", "edit"):
            return self.selected_id() is not None
        return True

    def action_focus_search(self) -> None:
        self.query_one("#browse-query", Input).focus()

    def action_back(self) -> None:
        if self.query_one("#browse-query", Input).has_focus and self.total:
            self.query_one("#browse-cards", DataTable).focus()
            return
        self.app.pop_screen()

    def action_suspend(self) -> None:
        card = self.cards.get(self.selected_id() or -1)
        if card is not None:
            self.change(card.id, "unsuspend" if card.suspended or card.buried else "suspend")

    def action_bury(self) -> None:
        card = self.cards.get(self.selected_id() or -1)
        if card is not None:
            self.change(card.id, "unsuspend" if card.buried else "bury")

    def action_flag(self) -> None:
        """Cycle the flag: none, red, orange, green, blue, none."""
        card = self.cards.get(self.selected_id() or -1)
        if card is not None:
            self.change(card.id, "flag", (card.flag + 1) % 5)

    def action_reset(self) -> None:
        card_id = self.selected_id()
        if card_id is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.change(card_id, "forget")

        self.app.push_screen(
            ConfirmScreen(
                "Reset this card's progress? It becomes new again; its review history is kept."
            ),
            answered,
        )

    @work(thread=True, group="browse-change")
    def change(self, card_id: int, what: str, color: int = 0) -> None:
        """Apply one change to one card in the worker, then show the card afresh."""
        store = trainer(self).store
        try:
            if what == "flag":
                card_flags.set_flag(store, [card_id], color)
            elif what == "bury":
                card_flags.bury(store, [card_id], self.now)
            else:
                getattr(card_flags, what)(store, [card_id])
            (card,) = found_cards(store, [card_id], self.now)
        except (StoreError, ValueError) as error:
            self.app.call_from_thread(self.notify, str(error), severity="error")
            return
        self.app.call_from_thread(self._replace_row, card)

    @_while_shown
    def _replace_row(self, card: FoundCard) -> None:
        self.cards[card.id] = card
        table = self.query_one("#browse-cards", DataTable)
        stability, difficulty, recall = memory(card)
        values = (due_text(card, self.now), stability, difficulty, recall, marks(card))
        for column, value in zip(("due", "s", "d", "r", "marks"), values):
            table.update_cell(str(card.id), column, value)
        self.show_detail(card.id)

    def action_edit(self) -> None:
        card = self.cards.get(self.selected_id() or -1)
        if card is None:
            return
        problem = open_in_editor(self.app, Path(card.deck_path), card.line)
        if problem:
            self.notify(problem, severity="warning")
            return
        self.reread(card.id)

    @work(thread=True, exclusive=True, group="browse-search")
    def reread(self, card_id: int) -> None:
        """Read the deck files again after an edit, then search again on the edited card."""
        try:
            trainer(self).sync_decks()
        except DeckError as error:
            lines = "\n".join(str(problem) for problem in error.problems)
            self.app.call_from_thread(
                self.notify, lines, title="Deck not re-read", severity="error"
            )
            return
        except StoreError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error")
            return
        self.app.call_from_thread(self.search, self.query_text, card_id)
