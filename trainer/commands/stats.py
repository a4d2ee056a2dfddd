"""`trainer stats`: the progress figures as a terminal report, or as JSON (see docs/stats.md)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import click

from trainer.commands.common import fail, open_store, user_errors

if TYPE_CHECKING:
    from rich.console import RenderableType

    from trainer.config import Settings
    from trainer.stats.figures import Distribution, Retention, Stats

SCHEMA_VERSION = 1
BUTTONS = ("Again", "Hard", "Good", "Easy")


@click.command("stats")
@click.option("--deck", "deck", metavar="D", help="Only this deck (its name or id).")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.pass_obj
def command(settings: Settings, deck: str | None, as_json: bool) -> None:
    """Show progress statistics: retention, forecast, calendar, mastery, hardest cards."""
    from trainer.stats.figures import compute_stats, deck_choices

    with user_errors():
        store = open_store(settings)
        choices = deck_choices(store)
        deck_id, deck_name = _find_deck(choices, deck) if deck else (None, None)
        stats = compute_stats(store, datetime.now(UTC), deck_id)
        store.close()
    if as_json:
        click.echo(json.dumps(stats_json(stats, deck_name), indent=2))
        return
    from rich.console import Console

    console = Console(highlight=False)
    for part in report(stats, deck_name or "All decks"):
        console.print(part)
        console.print()


def _find_deck(choices: list[tuple[int, str]], wanted: str) -> tuple[int, str]:
    """The deck named `wanted` (case-insensitive) or with that id; exit 1 if there is none."""
    for deck_id, name in choices:
        if name.casefold() == wanted.casefold() or str(deck_id) == wanted:
            return deck_id, name
    fail(f"no deck named {wanted!r}; `trainer decks` lists them")


# -- JSON -------------------------------------------------------------------------------------


def _rate(passed: int, failed: int) -> dict[str, Any]:
    total = passed + failed
    return {"passed": passed, "failed": failed, "rate": passed / total if total else None}


def _retention_json(retention: Retention) -> dict[str, Any]:
    return {
        "young": _rate(retention.young_passed, retention.young_failed),
        "mature": _rate(retention.mature_passed, retention.mature_failed),
        "total": _rate(
            retention.young_passed + retention.mature_passed,
            retention.young_failed + retention.mature_failed,
        ),
    }


def _distribution_json(distribution: Distribution) -> dict[str, Any]:
    return {
        "buckets": [
            {"label": label, "cards": count}
            for label, count in zip(distribution.labels, distribution.counts)
        ],
        "mean": distribution.mean,
    }


def stats_json(stats: Stats, deck_name: str | None = None) -> dict[str, Any]:
    """The figures in the shape docs/stats.md documents."""
    return {
        "version": SCHEMA_VERSION,
        "generated_at": stats.now.isoformat(),
        "deck": None if stats.deck_id is None else {"id": stats.deck_id, "name": deck_name},
        "today": {
            "reviews": stats.today.reviews,
            "cards": stats.today.cards,
            "time_seconds": round(stats.today.time_ms / 1000, 1),
            "again": stats.today.again,
            "correct_share": stats.today.correct_share,
        },
        "retention": {
            "desired": stats.desired_retention,
            "periods": {name: _retention_json(r) for name, r in stats.retention.items()},
        },
        "forecast": [
            {"date": day.day.isoformat(), "due": day.due, "cumulative": day.cumulative}
            for day in stats.forecast
        ],
        "calendar": {
            "days": [{"date": d.day.isoformat(), "reviews": d.reviews} for d in stats.calendar],
            "streak": stats.streak,
        },
        "cards": vars(stats.counts),
        "distributions": {
            "stability_days": _distribution_json(stats.stability),
            "difficulty": _distribution_json(stats.difficulty),
            "retrievability": _distribution_json(stats.retrievability),
        },
        "decks": [
            {
                "id": deck.deck_id,
                "name": deck.name,
                "cards": deck.cards,
                "mastered": deck.mastered,
                "mastery": deck.share,
                "due": deck.due,
                "desired_retention": deck.desired_retention,
            }
            for deck in stats.decks
        ],
        "tags": [
            {
                "name": t.name,
                "cards": t.cards,
                "mastered": t.mastered,
                "mastery": t.share,
                "due": t.due,
            }
            for t in stats.tags
        ],  # fmt: skip
        "hardest": [
            {
                "id": c.id,
                "prompt": c.prompt,
                "deck": c.deck,
                "lapses": c.lapses,
                "reps": c.reps,
                "leech": c.leech,
            }
            for c in stats.hardest
        ],  # fmt: skip
        "buttons": dict(zip((b.lower() for b in BUTTONS), stats.buttons)),
        "hours": [
            {"hour": h.hour, "reviews": h.reviews, "correct": h.correct} for h in stats.hours
        ],
    }


# -- terminal report ---------------------------------------------------------------------------


def _bar(value: int, largest: int, width: int = 30) -> str:
    return "█" * round(width * value / largest) if largest else ""


def report(stats: Stats, title: str) -> list[RenderableType]:
    """The figures as Rich renderables, in the order the report prints them."""
    from rich.table import Table
    from rich.text import Text

    from trainer.core.safe_text import printable_line
    from trainer.stats.text import PERIOD_LABELS, duration, percent, studied

    def shown(text: str, **options: Any) -> Text:
        # Deck names and card text came from files: literal, one line, no terminal controls.
        return Text(printable_line(text), **options)

    def table(heading: str, *columns: str) -> Table:
        grid = Table(title=heading, title_justify="left", title_style="bold", box=None)
        for index, column in enumerate(columns):
            # The first column names the row; a column without a heading holds a bar.
            grid.add_column(column, justify="left" if index == 0 or not column else "right")
        return grid

    today = stats.today
    out: list[RenderableType] = [
        shown(f"{title} — {stats.now.astimezone():%Y-%m-%d %H:%M}", style="bold underline"),
        Text(
            f"Today: {studied(today.cards, today.reviews)} in "
            f"{duration(today.time_ms)}; {today.again} again, "
            f"{percent(today.correct_share)} correct."
        ),
    ]
    retention = table("True retention", "Period", "Young", "Mature", "Total", "Reviews")
    for name, counts in stats.retention.items():
        reviews = sum(vars(counts).values())
        retention.add_row(
            PERIOD_LABELS[name],
            percent(counts.young),
            percent(counts.mature),
            percent(counts.total),
            str(reviews),
        )
    retention.caption = f"Desired retention: {percent(stats.desired_retention)}"
    out.append(retention)

    cards = table("Cards", "State", "Cards")
    for name, count in vars(stats.counts).items():
        cards.add_row(name.capitalize(), str(count))
    out.append(cards)

    forecast = table("Due in the next 30 days", "Day", "Due", "Total", "")
    largest = max((day.due for day in stats.forecast), default=0)
    for day in stats.forecast:
        forecast.add_row(f"{day.day:%a %d %b}", str(day.due), str(day.cumulative),
                         _bar(day.due, largest))  # fmt: skip
    out.append(forecast)
    out.append(Text("Reviews over the last year", style="bold"))
    out.append(calendar_text(stats))

    for heading, distribution, mean in (
        ("Stability", stats.stability, f"{stats.stability.mean or 0:.1f} days"),
        ("Difficulty", stats.difficulty, percent(stats.difficulty.mean)),
        ("Retrievability", stats.retrievability, percent(stats.retrievability.mean)),
    ):
        grid = table(f"{heading} (mean {mean})", "Bucket", "Cards", "")
        top = max(distribution.counts, default=0)
        for label, count in zip(distribution.labels, distribution.counts):
            grid.add_row(label, str(count), _bar(count, top))
        out.append(grid)

    for heading, rows in (("Decks", stats.decks), ("Tags", stats.tags)):
        if rows:
            grid = table(heading, "Name", "Cards", "Mastery", "Due")
            for row in rows:
                grid.add_row(shown(row.name), str(row.cards), percent(row.share), str(row.due))
            out.append(grid)

    hardest = table("Hardest cards", "Card", "Deck", "Lapses", "")
    hardest.columns[0].no_wrap = True
    hardest.columns[0].max_width = 50
    hardest.columns[1].no_wrap = True
    for card in stats.hardest:
        prompt = card.prompt.splitlines()[0] if card.prompt else ""
        hardest.add_row(shown(prompt, overflow="ellipsis"), shown(card.deck, overflow="ellipsis"), str(card.lapses),
                        "leech" if card.leech else "")  # fmt: skip
    hardest.caption = f"{stats.counts.leeches} leeches (8 lapses or more)"
    out.append(hardest)

    answers = sum(stats.buttons)
    buttons = table("Answer buttons (last year)", "Button", "Answers", "Share")
    for name, count in zip(BUTTONS, stats.buttons):
        buttons.add_row(name, str(count), percent(count / answers if answers else None))
    out.append(buttons)

    hours = table("Hour of day (last year)", "Hour", "Answers", "Correct", "")
    busiest = max((hour.reviews for hour in stats.hours), default=0)
    for hour in stats.hours:
        share = hour.correct / hour.reviews if hour.reviews else None
        hours.add_row(f"{hour.hour:02d}:00", str(hour.reviews), percent(share),
                      _bar(hour.reviews, busiest, 20))  # fmt: skip
    out.append(hours)
    return out


def calendar_text(stats: Stats) -> Any:
    """The last year as a GitHub-style grid, with the streak below."""
    from rich.text import Text

    from trainer.stats.text import calendar_segments

    text = Text.assemble(*calendar_segments(stats.calendar))
    text.append(f"Current streak: {stats.streak} day{'s' if stats.streak != 1 else ''}")
    return text
