"""Rows of the `cards` and `decks` tables turned into the domain's objects, and back.

The one place that knows how a card's content and a deck's settings are laid out in columns.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from trainer.core.cards import Card, Choice, Citation, Deck, Kind, Schedule
from trainer.core.progress import Progress, State, from_millis


@dataclass(frozen=True)
class StudyCard:
    """A card as the study screen needs it: its content, its progress and its deck's settings."""

    id: int
    card: Card
    progress: Progress
    deck_id: int
    deck_name: str
    schedule: Schedule
    strict_answers: bool


CARD_COLUMNS = (
    "c.id, c.key, c.kind, c.prompt, c.answer, c.line, c.detail, c.tags, c.deck_id, "
    "c.state, c.step, c.stability, c.difficulty, c.due, c.last_review, c.reps, c.lapses"
)


def study_card_from_row(row: Sequence[Any]) -> StudyCard:
    (card_id, key, kind, prompt, answer, line, detail, tags, deck_id, state, step, stability,
     difficulty, due, last_review, reps, lapses, deck_name, settings) = row  # fmt: skip
    extra = json.loads(detail)
    source = extra.get("source")
    card = Card(
        key=key,
        kind=Kind(kind),
        prompt=prompt,
        answer=answer,
        line=line,
        accepted=tuple(extra.get("accepted", ())),
        choices=tuple(Choice(text, correct) for text, correct in extra.get("choices", ())),
        hint=extra.get("hint", ""),
        note=extra.get("note", ""),
        tags=tuple(json.loads(tags)),
        source=Citation(*source) if source else None,
        text=extra.get("text", ""),
    )
    progress = Progress(
        State(state),
        step,
        stability,
        difficulty,
        from_millis(due),
        from_millis(last_review),
        reps,
        lapses,
    )
    deck_settings = json.loads(settings)
    return StudyCard(
        card_id, card, progress, deck_id, deck_name, schedule_from_settings(deck_settings),
        deck_settings.get("strict", False),
    )  # fmt: skip


def settings_of(deck: Deck) -> dict[str, Any]:
    """A deck's settings as stored in the `decks.settings` column."""
    return {
        "desired_retention": deck.schedule.desired_retention,
        "new_per_day": deck.schedule.new_per_day,
        "learning_steps": [step.total_seconds() for step in deck.schedule.learning_steps],
        "relearning_steps": [step.total_seconds() for step in deck.schedule.relearning_steps],
        "fuzz": deck.schedule.fuzz,
        "strict": deck.strict_answers,
        "bury_siblings": deck.bury_siblings,
    }


def schedule_from_settings(settings: dict[str, Any]) -> Schedule:
    """The inverse of `settings_of` for the schedule part."""
    from datetime import timedelta

    default = Schedule()
    return Schedule(
        desired_retention=settings.get("desired_retention", default.desired_retention),
        new_per_day=settings.get("new_per_day", default.new_per_day),
        learning_steps=tuple(timedelta(seconds=s) for s in settings.get("learning_steps", []))
        if "learning_steps" in settings
        else default.learning_steps,
        relearning_steps=tuple(timedelta(seconds=s) for s in settings.get("relearning_steps", []))
        if "relearning_steps" in settings
        else default.relearning_steps,
        fuzz=settings.get("fuzz", default.fuzz),
    )
