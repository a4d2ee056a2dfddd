"""`trainer suspend / unsuspend / bury / flag QUERY`: set aside or mark the cards a search finds.

Each prints how many cards changed. All of it is kept in the database; deck files are untouched.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import click

from trainer.commands.common import fail, open_store, user_errors

if TYPE_CHECKING:
    from trainer.config import Settings
    from trainer.store.store import Store

Change = Callable[["Store", Sequence[int], datetime], int]


def _apply(settings: Settings, query: tuple[str, ...], change: Change, done: str) -> None:
    from trainer.core.search_query import QueryError
    from trainer.store.search import find_card_ids

    if not " ".join(query).strip():
        fail("give a search, such as 'deck:norad is:due' (an empty one would change every card)")
    now = datetime.now(UTC)
    with user_errors():
        store = open_store(settings)
        try:
            ids = find_card_ids(store, " ".join(query), now)
        except QueryError as error:
            fail(str(error))
        changed = change(store, ids, now)
    click.echo(f"{changed} card{'s' if changed != 1 else ''} {done} ({len(ids)} found).")


_TERMS = {"ignore_unknown_options": True}
"""A negated term (`-deck:x`) is part of the query, not an option."""


@click.command("suspend", context_settings=_TERMS)
@click.argument("query", nargs=-1, required=True)
@click.pass_obj
def suspend(settings: Settings, query: tuple[str, ...]) -> None:
    """Keep the cards QUERY finds out of study until unsuspended."""
    from trainer.store import card_flags

    _apply(settings, query, lambda store, ids, now: card_flags.suspend(store, ids), "suspended")


@click.command("unsuspend", context_settings=_TERMS)
@click.argument("query", nargs=-1, required=True)
@click.pass_obj
def unsuspend(settings: Settings, query: tuple[str, ...]) -> None:
    """Return the suspended or buried cards QUERY finds to study."""
    from trainer.store import card_flags

    _apply(settings, query, lambda store, ids, now: card_flags.unsuspend(store, ids), "unsuspended")


@click.command("bury", context_settings=_TERMS)
@click.argument("query", nargs=-1, required=True)
@click.pass_obj
def bury(settings: Settings, query: tuple[str, ...]) -> None:
    """Keep the cards QUERY finds out of study until the next study day (4 a.m.)."""
    from trainer.store import card_flags

    _apply(settings, query, card_flags.bury, "buried")


@click.command("flag", context_settings=_TERMS)
@click.argument("query", nargs=-1, required=True)
@click.option(
    "--color",
    "--colour",
    "color",
    required=True,
    type=click.IntRange(0, 4),
    help="1 red, 2 orange, 3 green, 4 blue; 0 takes the flag off.",
)
@click.pass_obj
def flag(settings: Settings, query: tuple[str, ...], color: int) -> None:
    """Flag the cards QUERY finds with a colour."""
    from trainer.store import card_flags

    _apply(
        settings,
        query,
        lambda store, ids, now: card_flags.set_flag(store, ids, color),
        "flagged" if color else "unflagged",
    )
