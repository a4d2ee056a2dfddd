"""`trainer cards [QUERY]`: the cards a search finds, one a line or as JSON (docs/search.md)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import click

from trainer.commands.common import echo, fail, open_store, user_errors

if TYPE_CHECKING:
    from trainer.config import Settings
    from trainer.store.search import FoundCard


_TERMS = {"ignore_unknown_options": True}
"""A negated term (`-deck:x`) is part of the query, not an option."""


@click.command("cards", context_settings=_TERMS)
@click.argument("query", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="A JSON list of cards (see docs/search.md).")
@click.option("--limit", type=click.IntRange(min=1), help="Show at most N cards.")
@click.pass_obj
def command(settings: Settings, query: tuple[str, ...], as_json: bool, limit: int | None) -> None:
    """List the cards QUERY finds (every card without one), in Anki's search syntax.

    For example: trainer cards 'deck:norad is:due', trainer cards 'tag:nato prop:r<0.8'.
    """
    found = search(settings, " ".join(query), limit)
    if as_json:
        # ASCII escapes: a card's text may hold terminal controls that JSON would pass through.
        click.echo(json.dumps([card_json(card) for card in found], indent=2))
        return
    for card in found:
        echo(card_line(card))  # deck text shown safely, on one line


def search(settings: Settings, query: str, limit: int | None = None) -> list[FoundCard]:
    """The cards `query` finds; a malformed query is one line (`query:COL: message`), exit 1."""
    from trainer.core.search_query import QueryError
    from trainer.store.search import find_card_ids, found_cards

    now = datetime.now(UTC)
    with user_errors():
        store = open_store(settings)
        try:
            ids = find_card_ids(store, query, now, limit)
        except QueryError as error:
            fail(str(error))
        return found_cards(store, ids, now)


def card_line(card: FoundCard) -> str:
    """deck, kind, question, when due, and stability / difficulty / retrievability."""
    progress = card.progress
    due = progress.due.astimezone().strftime("%Y-%m-%d") if progress.due else "new"
    marks = "".join(
        mark
        for mark, on in (
            (" suspended", card.suspended),
            (" buried", card.buried),
            (" leech", card.leech),
            (f" flag:{card.flag}", card.flag),
        )
        if on
    )
    memory = (
        f"S {progress.stability:.1f}d  D {progress.difficulty:.1f}  R {card.retrievability:.0%}"
        if progress.stability is not None
        and progress.difficulty is not None
        and card.retrievability is not None
        else "S -  D -  R -"
    )
    return f"{card.deck}  {card.kind}  {card.question}  {due}  {memory}{marks}"


def card_json(card: FoundCard) -> dict[str, Any]:
    """One card as `trainer cards --json` gives it; every field is in docs/search.md."""
    progress = card.progress
    interval = (
        (progress.due - progress.last_review).total_seconds() / 86400
        if progress.due and progress.last_review
        else None
    )
    return {
        "id": card.id,
        "deck": card.deck,
        "file": card.deck_path,
        "line": card.line,
        "kind": card.kind,
        "question": card.question,
        "answer": card.answer,
        "tags": list(card.tags),
        "state": card.state,
        "due": progress.due.isoformat() if progress.due else None,
        "interval_days": round(interval, 2) if interval is not None else None,
        "stability_days": progress.stability,
        "difficulty": progress.difficulty,
        "retrievability": card.retrievability,
        "reps": progress.reps,
        "lapses": progress.lapses,
        "flag": card.flag,
        "suspended": card.suspended,
        "buried": card.buried,
        "leech": card.leech,
    }
