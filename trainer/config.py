"""The one configuration object: where the database, the decks and the cited documents are.

Built by the `trainer` command from its options and the environment, and read by the commands
and the study app alike. It imports nothing heavy, so any layer may use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class Settings:
    """What the learner configured: where the database and the decks are, and how to study."""

    db_path: Path
    """The progress database."""
    deck_places: list[Path]
    """Folders and files decks are read from."""
    sources: Path | None
    """Where cited documents are found, to show the passage behind an answer."""
    quiz_reschedules: bool = False
    """Whether quiz answers move the schedule as study answers do."""
