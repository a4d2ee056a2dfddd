"""Statistics: today, true retention, forecast, the review calendar, mastery and hardest cards.

The figures come from `trainer.stats`, computed in a thread worker and handed back to the event
loop with `call_from_thread`; the screen only draws them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.geometry import Size
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable, Footer, Select, Static
from textual.worker import get_current_worker
from textual_plotext import PlotextPlot
from textual_plotext.plot import Plot

from trainer.stats.text import (
    HEATMAP_SHADES,
    PERIOD_LABELS,
    calendar_segments,
    duration,
    percent,
    studied,
)
from trainer.store.errors import StoreError
from trainer.tui.context import trainer
from trainer.tui.widgets.rendering import cell

if TYPE_CHECKING:
    from trainer.stats.figures import CalendarDay, Distribution, Mastery, Stats
    from trainer.store.store import Store

ALL_DECKS = -1
"""The deck filter's value for every deck (deck ids start at 1)."""


class CalendarHeatmap(Widget):
    """The last year of answers, one cell per day, a column per week, Monday on top."""

    DEFAULT_CSS = """
    CalendarHeatmap {
        height: 9;
        width: auto;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.days: tuple[CalendarDay, ...] = ()
        """The days drawn, oldest first."""
        self.streak = 0
        """Consecutive study days up to today."""

    def show(self, days: tuple[CalendarDay, ...], streak: int) -> None:
        """Draw these days."""
        self.days = days
        self.streak = streak
        self.refresh(layout=True)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return 4 + (len(self.days) + 6) // 7 + 1

    def render(self) -> Text:
        text = Text(no_wrap=True)
        if not self.days:
            return text
        text.append_text(Text.assemble(*calendar_segments(self.days)))
        plural = "s" if self.streak != 1 else ""
        text.append(f"Streak: {self.streak} day{plural}   less ", style="dim")
        for shade in HEATMAP_SHADES:
            text.append("■", style=shade)
        text.append(" more", style="dim")
        return text


class StatsScreen(Screen[None]):
    """Progress statistics for all decks or one, filterable by deck."""

    CSS_PATH = "stats.tcss"
    BINDINGS = [
        Binding("escape", "close", "Back"),
        Binding("f", "focus_filter", "Deck filter"),
        Binding("r", "reload", "Refresh"),
    ]

    class Shown(Message):
        """The figures for a deck filter have been drawn."""

        def __init__(self, deck_id: int | None) -> None:
            super().__init__()
            self.deck_id = deck_id
            """The deck shown (None: all decks)."""

    def __init__(
        self,
        store: Store,
        deck_id: int | None = None,
        *,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        """Where the figures come from."""
        self.deck_id = deck_id
        """The deck the figures are limited to (None: all decks)."""
        self.clock = clock
        """Where "now" comes from (default: the app's clock, else the system's)."""
        self.stats: Stats | None = None
        """The figures drawn, once loaded."""
        self._options: list[tuple[Text | str, int | str]] = []

    def compose(self) -> ComposeResult:
        with Horizontal(id="stats-bar"):
            yield Static("Statistics", id="stats-title")
            yield Select(
                [("All decks", ALL_DECKS)],
                value=ALL_DECKS if self.deck_id is None else Select.NULL,
                allow_blank=self.deck_id is not None,
                id="deck-filter",
                prompt="Deck",
            )
        with VerticalScroll(id="stats-body"):
            yield Static("Loading…", id="today", markup=False)
            with Horizontal(classes="stats-row"):
                yield DataTable(id="retention", cursor_type="none", zebra_stripes=True)
                yield DataTable(id="counts", cursor_type="none")
            yield Static("Reviews over the last year", classes="stats-heading")
            yield CalendarHeatmap(id="calendar")
            yield PlotextPlot(id="forecast")
            with Horizontal(classes="stats-row charts"):
                yield PlotextPlot(id="stability")
                yield PlotextPlot(id="difficulty")
                yield PlotextPlot(id="retrievability")
            yield Static("Decks", classes="stats-heading")
            yield DataTable(id="decks", cursor_type="row", zebra_stripes=True)
            yield Static("Tags", classes="stats-heading")
            yield DataTable(id="tags", cursor_type="row", zebra_stripes=True)
            yield Static("Hardest cards", classes="stats-heading")
            yield DataTable(id="hardest", cursor_type="row", zebra_stripes=True)
            with Horizontal(classes="stats-row charts"):
                yield PlotextPlot(id="buttons")
                yield PlotextPlot(id="hours")
        yield Footer()

    def on_mount(self) -> None:
        retention = self.query_one("#retention", DataTable)
        retention.add_columns("True retention", "Young", "Mature", "Total", "Reviews")
        self.query_one("#counts", DataTable).add_columns("Cards", "Count")
        for table_id in ("#decks", "#tags"):
            self.query_one(table_id, DataTable).add_columns("Name", "Cards", "Mastery", "Due")
        self.query_one("#hardest", DataTable).add_columns("Card", "Deck", "Lapses", "Leech")
        self.load(self.deck_id)

    def _now(self) -> datetime:
        return (self.clock or trainer(self).clock)()

    @work(thread=True, exclusive=True, group="stats")
    def load(self, deck_id: int | None) -> None:
        """Compute the figures and read the deck list off the event loop."""
        from trainer.stats.figures import compute_stats, deck_choices

        try:
            choices = deck_choices(self.store)
            stats = compute_stats(self.store, self._now(), deck_id)
        except StoreError as error:
            self.app.call_from_thread(
                self.app.notify, str(error), title="Statistics not loaded", severity="error"
            )
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.show, stats, choices)

    def show(self, stats: Stats, choices: list[tuple[int, str]]) -> None:
        """Draw `stats`, with `choices` (id, name) in the deck filter."""
        self.stats = stats
        options: list[tuple[Text | str, int | str]] = [
            ("All decks", ALL_DECKS),
            *((cell(name), deck_id) for deck_id, name in choices),
        ]
        if options != self._options:
            self._options = options
            select = self.query_one("#deck-filter", Select)
            with self.prevent(Select.Changed):
                select.set_options(options)
                select.value = ALL_DECKS if stats.deck_id is None else stats.deck_id
        today = stats.today
        self.query_one("#today", Static).update(
            f"Today: {studied(today.cards, today.reviews)} in "
            f"{duration(today.time_ms)} · {today.again} again · "
            f"{percent(today.correct_share)} correct · desired retention "
            f"{percent(stats.desired_retention)}"
        )
        self._fill_tables(stats)
        self.query_one("#calendar", CalendarHeatmap).show(stats.calendar, stats.streak)
        self._draw_charts(stats)
        self.call_after_refresh(self.post_message, self.Shown(stats.deck_id))

    def _fill_tables(self, stats: Stats) -> None:
        retention = self.query_one("#retention", DataTable)
        retention.clear()
        for name, label in PERIOD_LABELS.items():
            counts = stats.retention[name]
            retention.add_row(
                label,
                percent(counts.young),
                percent(counts.mature),
                percent(counts.total),
                sum(vars(counts).values()),
                key=name,
            )
        counts_table = self.query_one("#counts", DataTable)
        counts_table.clear()
        for name, count in vars(stats.counts).items():
            counts_table.add_row(name.capitalize(), count, key=name)
        for table_id, rows in (("#decks", stats.decks), ("#tags", stats.tags)):
            _fill_mastery(self.query_one(table_id, DataTable), rows)
        hardest = self.query_one("#hardest", DataTable)
        hardest.clear()
        for card in stats.hardest:
            first_line = card.prompt.splitlines()[0] if card.prompt else ""
            hardest.add_row(
                cell(first_line[:60]),
                cell(card.deck),
                card.lapses,
                "leech" if card.leech else "",
                key=str(card.id),
            )

    def _draw_charts(self, stats: Stats) -> None:
        forecast = self.query_one("#forecast", PlotextPlot)
        plt = _reset(forecast)
        # Numbers on the x axis, dates as tick labels: plotext reads "22/11" as a date to parse.
        days: list[float] = list(range(len(stats.forecast)))
        plt.bar(days, [day.due for day in stats.forecast], label="due that day")
        plt.plot(days, [day.cumulative for day in stats.forecast], label="total", yside="right")
        plt.xticks(days[::5], [f"{day.day:%d %b}" for day in stats.forecast[::5]])
        plt.title("Due in the next 30 days")
        forecast.refresh()
        for plot_id, title, distribution in (
            ("#stability", "Stability", stats.stability),
            ("#difficulty", "Difficulty", stats.difficulty),
            ("#retrievability", "Retrievability", stats.retrievability),
        ):
            _draw_distribution(self.query_one(plot_id, PlotextPlot), title, distribution)
        buttons = self.query_one("#buttons", PlotextPlot)
        plt = _reset(buttons)
        plt.bar(["Again", "Hard", "Good", "Easy"], list(stats.buttons))
        plt.title("Answer buttons, last year")
        buttons.refresh()
        hours = self.query_one("#hours", PlotextPlot)
        plt = _reset(hours)
        plt.bar([str(hour.hour) for hour in stats.hours], [hour.reviews for hour in stats.hours])
        plt.title("Answers by hour of day")
        hours.refresh()

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if event.value is Select.NULL:
            return
        deck_id = None if event.value == ALL_DECKS else int(str(event.value))
        if deck_id == self.deck_id:
            return  # the filter being set up, not changed
        self.deck_id = deck_id
        self.query_one("#today", Static).update("Loading…")
        self.load(self.deck_id)

    def action_focus_filter(self) -> None:
        self.query_one("#deck-filter", Select).focus()

    def action_reload(self) -> None:
        self.load(self.deck_id)

    def action_close(self) -> None:
        self.app.pop_screen()


def _fill_mastery(table: DataTable, rows: tuple[Mastery, ...]) -> None:
    table.clear()
    for row in rows:
        table.add_row(cell(row.name), row.cards, percent(row.share), row.due)


def _reset(plot: PlotextPlot) -> Plot:
    plt = plot.plt
    plt.clear_data()
    plt.clear_figure()
    return plt


def _draw_distribution(plot: PlotextPlot, title: str, distribution: Distribution) -> None:
    plt = _reset(plot)
    plt.bar(list(distribution.labels), list(distribution.counts))
    mean = distribution.mean
    if mean is None:
        plt.title(title)
    elif title == "Stability":
        plt.title(f"{title} (mean {mean:.0f} days)")
    else:
        plt.title(f"{title} (mean {percent(mean)})")
    plot.refresh()
