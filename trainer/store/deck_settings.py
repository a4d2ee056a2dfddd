"""What each deck's front matter sets itself, for the settings screen to show as overrides."""

from __future__ import annotations

import json
from dataclasses import dataclass

from trainer.store.card_flags import CardStore
from trainer.store.rows import schedule_from_settings


@dataclass(frozen=True)
class DeckOverride:
    """A deck and the schedule settings its front matter gives, which win over the learner's."""

    name: str
    settings: dict[str, object]


def deck_overrides(store: CardStore) -> list[DeckOverride]:
    """Every deck on disk whose front matter sets a schedule value, in name order."""
    with store.reading() as conn:
        rows = conn.execute(
            "SELECT name, settings FROM decks WHERE missing = 0 ORDER BY name COLLATE NOCASE"
        ).fetchall()
    found = []
    for name, settings in rows:
        schedule = schedule_from_settings(json.loads(settings))
        if schedule.overrides:
            values = {key: getattr(schedule, key) for key in schedule.overrides}
            found.append(DeckOverride(name, values))
    return found
