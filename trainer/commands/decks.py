"""`trainer decks` and `trainer due`: what is waiting, per deck and in all."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import click

from trainer.commands.common import echo, open_store, user_errors

if TYPE_CHECKING:
    from trainer.config import Settings
    from trainer.store.queue import DeckSummary


@click.command("decks")
@click.pass_obj
def decks(settings: Settings) -> None:
    """List decks with their due, learning, new and total cards."""
    with user_errors():
        store = open_store(settings)
        summaries = store.deck_summaries(datetime.now(UTC))
    from trainer.core.safe_text import printable_line

    if not summaries:
        echo(f"No decks found in {', '.join(map(str, settings.deck_places))}.")
        return
    # Escaped before measuring, so a name's escapes widen its column rather than misalign it.
    names = [printable_line(summary.name) for summary in summaries]
    width = max(len(name) for name in names)
    echo(f"{'Deck':<{width}}  {'Due':>5}  {'Learn':>5}  {'New':>5}  {'Total':>6}")
    for name, summary in zip(names, summaries):
        echo(
            f"{name:<{width}}  {summary.due:>5}  {summary.learning:>5}  "
            f"{summary.new:>5}  {summary.total:>6}"
        )


@click.command("due")
@click.pass_obj
def due(settings: Settings) -> None:
    """Say how many cards are waiting today, in all decks."""
    with user_errors():
        store = open_store(settings)
        summaries = store.deck_summaries(datetime.now(UTC))
    echo(due_line(summaries))


def due_line(summaries: Sequence[DeckSummary]) -> str:
    """One sentence with today's totals, as `trainer due` prints it."""
    due_now = sum(summary.due for summary in summaries)
    learning = sum(summary.learning for summary in summaries)
    new = sum(summary.new for summary in summaries)
    return (
        f"{due_now} due, {learning} learning, {new} new today "
        f"across {len(summaries)} deck{'s' if len(summaries) != 1 else ''}."
    )
