"""Rows of the `cards` and `decks` tables turned into the domain's objects, and back.

The one place that knows how a card's content and a deck's settings are laid out in columns.
"""

from __future__ import annotations

import functools
import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from trainer.core.cards import Card, Choice, Citation, Deck, Kind, Schedule
from trainer.core.cloze import filled
from trainer.core.progress import Progress, State, from_millis
from trainer.store.card_codes import TAGS
from trainer.store.card_places import SHOWN_LINE


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
    parameters_id: int | None = None
    """The FSRS weights in use when the card was read (None: the defaults)..."""
    weights: tuple[float, ...] | None = None
    """...and the weights themselves: what its answer is scheduled with."""
    stored: tuple[Any, ...] = ()
    """Its progress columns as read (`PROGRESS_COLUMNS`): what the write of its answer checks
    the card still has (`store.answering`), without making them again from `progress`."""


PROGRESS_COLUMNS = (
    "state",
    "step",
    "stability",
    "difficulty",
    "due",
    "last_review",
    "reps",
    "lapses",
)
"""A card's progress in its columns (times in epoch milliseconds), as `progress_of` takes them."""
CARD_COLUMNS = (
    f"c.id, c.key, c.kind, c.prompt, c.answer, {SHOWN_LINE}, c.detail, {TAGS}, c.deck_id, "
    + ", ".join(f"c.{name}" for name in PROGRESS_COLUMNS)
)
STUDY_CARDS = (
    f"SELECT {CARD_COLUMNS}, d.name, d.settings, p.id, p.weights FROM cards c "
    "JOIN decks d ON d.id = c.deck_id "
    "LEFT JOIN parameters p ON p.id = (SELECT max(id) FROM parameters)"
)
"""The rows `study_card_from_row` reads, before their WHERE (made once: a query string built
for each card shown is hashed anew by the connection's statement cache)."""


def study_card_from_row(row: Sequence[Any], defaults: Schedule | None = None) -> StudyCard:
    """A `STUDY_CARDS` row as a `StudyCard`; see `schedule_from_settings`."""
    (card_id, key, kind, prompt, answer, line, detail, tags, deck_id, state, step, stability,
     difficulty, due, last_review, reps, lapses, deck_name, settings, parameters_id,
     weights) = row  # fmt: skip
    extra = _NO_DETAIL if detail == "{}" else json.loads(detail)  # a basic card has none
    source = extra.get("source")
    card_kind = _KINDS.get(kind) or Kind(kind)
    text = extra.get("text")
    if text is None:  # a cloze's text is stored only where its question and answer lack it
        text = (filled(prompt, answer) if card_kind is Kind.CLOZE else None) or ""
    card = Card(
        key=key,
        kind=card_kind,
        prompt=prompt,
        answer=answer,
        line=line,
        accepted=tuple(extra.get("accepted", ())),
        choices=tuple(Choice(text, correct) for text, correct in extra.get("choices", ())),
        hint=extra.get("hint", ""),
        note=extra.get("note", ""),
        tags=tags_of(tags),
        source=Citation(*source) if source else None,
        text=text,
    )
    progress = progress_of(state, step, stability, difficulty, due, last_review, reps, lapses)
    schedule, strict, _ = deck_rules(settings, defaults)
    return StudyCard(
        card_id, card, progress, deck_id, deck_name, schedule, strict, parameters_id,
        None if weights is None else weights_of(weights),
        (state, step, stability, difficulty, due, last_review, reps, lapses),
    )  # fmt: skip


def study_cards(
    conn: sqlite3.Connection, card_ids: Sequence[int], defaults: Schedule | None = None
) -> list[StudyCard]:
    """These cards as `StudyCard`s, in the order asked for (missing ids are left out), read
    500 at a time."""
    found: dict[int, StudyCard] = {}
    for start in range(0, len(card_ids), 500):
        chunk = list(card_ids[start : start + 500])
        marks = ",".join("?" * len(chunk))
        for row in conn.execute(f"{STUDY_CARDS} WHERE c.id IN ({marks})", chunk):
            card = study_card_from_row(row, defaults)
            found[card.id] = card
    return [found[card_id] for card_id in card_ids if card_id in found]


class Answering(NamedTuple):
    """What answering a card reads, and no more."""

    key: str
    """The card's key, the fuzz's seed."""
    progress: Progress
    schedule: Schedule
    """Its deck's."""
    parameters_id: int | None
    """The FSRS weights in use (None while the defaults are used)..."""
    weights: tuple[float, ...] | None
    """...and the weights themselves."""


_NO_DETAIL: dict[str, Any] = {}
"""The details of a card that has none (read only)."""
_STATES = {state.value: state for state in State}
"""Each state by its stored number (as `_KINDS`; `State(number)` refuses an unknown one)."""
_KINDS = {kind.value: kind for kind in Kind}
"""Each kind by its stored name: a lookup, where `Kind(name)` is a call through the enum's
machinery for every card shown (an unknown name still goes to `Kind` to be refused)."""


@functools.lru_cache(maxsize=1024)
def tags_of(stored: str) -> tuple[str, ...]:
    """A card's `tags` column as its tags; parsed once for each text (the cards of a deck
    mostly share theirs)."""
    return tuple(json.loads(stored))


def card_to_answer(
    conn: sqlite3.Connection, card_id: int, defaults: Schedule | None = None
) -> Answering:
    """What answering a card reads, in one statement: its key, its progress, its deck's
    schedule and the scheduler's weights in use. Raises KeyError for an unknown card."""
    row = conn.execute(
        "SELECT c.key, c.state, c.step, c.stability, c.difficulty, c.due, c.last_review, c.reps, "
        "c.lapses, d.settings, p.id, p.weights FROM cards c JOIN decks d ON d.id = c.deck_id "
        "LEFT JOIN parameters p ON p.id = (SELECT max(id) FROM parameters) WHERE c.id = ?",
        [card_id],
    ).fetchone()
    if row is None:
        raise KeyError(card_id)
    key, *columns, settings, parameters_id, weights = row
    return Answering(
        key,
        progress_of(*columns),
        deck_rules(settings, defaults).schedule,
        parameters_id,
        None if weights is None else weights_of(weights),
    )


@functools.lru_cache(maxsize=16)
def weights_of(stored: str) -> tuple[float, ...]:
    """A `parameters.weights` text as the weights; parsed once for each text."""
    return tuple(json.loads(stored))


def progress_of(
    state: int,
    step: int | None,
    stability: float | None,
    difficulty: float | None,
    due: int | None,
    last_review: int | None,
    reps: int,
    lapses: int,
) -> Progress:
    """A card's progress columns (times in milliseconds) as its `Progress`."""
    return Progress(
        _STATES[state] if state in _STATES else State(state), step, stability, difficulty,
        from_millis(due), from_millis(last_review), reps, lapses,
    )  # fmt: skip


class DeckRules(NamedTuple):
    """What a deck's stored settings decide about studying it."""

    schedule: Schedule
    strict: bool
    """Whether its typed answers are checked strictly."""
    buries: bool
    """Whether the deck lets its cards' siblings be buried (the learner's setting also must)."""


@functools.lru_cache(maxsize=256)
def deck_rules(settings: str, defaults: Schedule | None = None) -> DeckRules:
    """A deck's stored settings text as its rules; parsed once for each text (every card shown
    or answered, and every gathering of the queue, reads its deck's)."""
    stored = json.loads(settings)
    return DeckRules(
        schedule_from_settings(stored, defaults),
        stored.get("strict", False),
        stored.get("bury_siblings", True) is not False,
    )


def settings_of(deck: Deck) -> dict[str, Any]:
    """A deck's settings as stored in the `decks.settings` column."""
    return {
        "desired_retention": deck.schedule.desired_retention,
        "new_per_day": deck.schedule.new_per_day,
        "learning_steps": [step.total_seconds() for step in deck.schedule.learning_steps],
        "relearning_steps": [step.total_seconds() for step in deck.schedule.relearning_steps],
        "fuzz": deck.schedule.fuzz,
        "reviews_per_day": deck.schedule.reviews_per_day,
        "leech_lapses": deck.schedule.leech_lapses,
        "overrides": list(deck.schedule.overrides),
        "strict": deck.strict_answers,
        "bury_siblings": deck.bury_siblings,
    }


def schedule_from_settings(settings: dict[str, Any], defaults: Schedule | None = None) -> Schedule:
    """The inverse of `settings_of` for the schedule part.

    Keys the deck's front matter did not set come from `defaults` (the learner's settings).
    """
    from dataclasses import replace
    from datetime import timedelta

    default = defaults or Schedule()
    builtin = Schedule()
    stored = {
        "desired_retention": settings.get("desired_retention", builtin.desired_retention),
        "new_per_day": settings.get("new_per_day", builtin.new_per_day),
        "reviews_per_day": settings.get("reviews_per_day", builtin.reviews_per_day),
        "leech_lapses": settings.get("leech_lapses", builtin.leech_lapses),
        "fuzz": settings.get("fuzz", builtin.fuzz),
    }
    for key in ("learning_steps", "relearning_steps"):
        stored[key] = (
            tuple(timedelta(seconds=s) for s in settings[key])
            if key in settings
            else getattr(builtin, key)
        )
    # Decks stored before overrides were recorded: a value other than the built-in default
    # can only have come from the front matter.
    overrides = settings.get("overrides")
    if overrides is None:
        overrides = [key for key, value in stored.items() if value != getattr(builtin, key)]
    chosen = {key: value for key, value in stored.items() if key in overrides}
    return replace(default, **chosen, overrides=tuple(overrides))
