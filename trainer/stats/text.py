"""The figures' text forms, shared by the statistics screen and `trainer stats`.

Labels, percentages, durations and the calendar heatmap are worded and laid out here once;
callers turn the styled segments into Rich text (`Text.assemble(*segments)`), so this module
loads no Rich or Textual.
"""

from __future__ import annotations

from dataclasses import dataclass

from trainer.stats.figures import CalendarDay

Segment = tuple[str, str]
"""A run of text and its style (a colour), or "" for the default style."""

PERIOD_LABELS = {
    "today": "Today",
    "yesterday": "Yesterday",
    "week": "Last week",
    "month": "Last month",
    "year": "Last year",
    "all": "All time",
}
"""How the true-retention periods are named on screen, in their order."""
HEATMAP_SHADES = ("#2d333b", "#0e4429", "#006d32", "#26a641", "#39d353")
"""The calendar's colours, from no answers to the busiest days, as on GitHub."""
WEEKDAY_LABELS = ("Mon ", "    ", "Wed ", "    ", "Fri ", "    ", "Sun ")


@dataclass(frozen=True)
class Heatmap:
    """The calendar laid out like GitHub's: a column per week, a row per weekday (Monday first).

    Each cell is a shade from 0 (no answers) to 4 (the busiest days), or None before the first
    day. `months` is the line above the grid: a month's name over the week in which it starts.
    """

    months: str
    rows: tuple[tuple[int | None, ...], ...]


def heatmap(calendar: tuple[CalendarDay, ...]) -> Heatmap:
    """Lay out `calendar` (oldest day first) for drawing; see `Heatmap`."""
    busiest = max((day.reviews for day in calendar), default=0)
    cells: list[CalendarDay | None] = [None] * calendar[0].day.weekday() + list(calendar)
    weeks = [[day for day in cells[n : n + 7] if day] for n in range(0, len(cells), 7)]
    months = [" "] * (len(weeks) + 3)
    previous = None
    for index, week in enumerate(weeks):
        month = week[0].day.month
        if month != previous and all(c == " " for c in months[max(0, index - 1) : index + 3]):
            months[index : index + 3] = f"{week[0].day:%b}"
        previous = month
    rows = tuple(
        tuple(
            None
            if day is None
            else 0
            if not day.reviews
            else 1 + min(3, (4 * day.reviews - 1) // busiest)
            for day in cells[weekday::7]
        )
        for weekday in range(7)
    )
    return Heatmap("".join(months).rstrip(), rows)


def percent(share: float | None) -> str:
    """A share as a percentage with one decimal, or a dash when there was nothing to count."""
    return "-" if share is None else f"{100 * share:.1f}%"


def studied(cards: int, answers: int) -> str:
    """`1 card studied (1 answer)`, `3 cards studied (4 answers)`."""
    return (
        f"{cards} card{'' if cards == 1 else 's'} studied "
        f"({answers} answer{'' if answers == 1 else 's'})"
    )


def duration(ms: int) -> str:
    """Time spent, as `40s`, `12m` or `1h 05m`."""
    seconds = round(ms / 1000)
    if seconds < 60:
        return f"{seconds}s"
    minutes = seconds // 60
    return f"{minutes // 60}h {minutes % 60:02d}m" if minutes >= 60 else f"{minutes}m"


def calendar_segments(calendar: tuple[CalendarDay, ...]) -> list[Segment]:
    """The heatmap of `calendar` drawn as text: the months line, then one line per weekday."""
    grid = heatmap(calendar)
    segments: list[Segment] = [("    " + grid.months + "\n", "")]
    for label, row in zip(WEEKDAY_LABELS, grid.rows):
        segments.append((label, ""))
        segments.extend(
            (" " if shade is None else "■", HEATMAP_SHADES[shade or 0]) for shade in row
        )
        segments.append(("\n", ""))
    return segments
