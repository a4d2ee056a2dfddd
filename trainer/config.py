"""The one configuration object: where the database, the decks and the cited documents are.

Built by the `trainer` command from its options and the environment, and read by the commands
and the study app alike. It imports nothing heavy, so any layer may use it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path

from trainer.core.schedule_settings import Schedule


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
    config_path: Path | None = None
    """The learner's `config.toml` (None: settings are not read or saved, as in some tests)."""


THEMES = (
    "textual-dark",
    "textual-light",
    "nord",
    "gruvbox",
    "catppuccin-mocha",
    "dracula",
    "tokyo-night",
    "monokai",
    "flexoki",
    "solarized-light",
)
"""Themes offered by the settings screen (any Textual theme name is accepted in the file)."""


@dataclass(frozen=True)
class Preferences:
    """How the learner likes to study, kept in `config.toml` and changed on the settings screen.

    The schedule values apply to every deck whose front matter does not set them.
    """

    schedule: Schedule = field(default_factory=Schedule)
    """Daily new and review limits, desired retention, learning steps, fuzz, leech threshold."""
    bury_siblings: bool = True
    """Keep a card's siblings (the other side, the other blanks) for another day once one is
    answered or shown; off, no deck buries them (on, a deck's `bury_siblings` decides)."""
    theme: str = "textual-dark"


def load_preferences(path: Path) -> tuple[Preferences, list[str]]:
    """Read `config.toml`; a missing file gives the defaults.

    Never raises: each problem comes back as one line naming the file and the key (or line),
    and the value in question keeps its default (all of them, for a file TOML cannot read).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Preferences(), []
    except (OSError, UnicodeDecodeError) as error:
        return Preferences(), [f"{path}: cannot read the settings, using the defaults: {error}"]
    # Imported only once there is a file: the app reads this before its first frame.
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"at line (\d+)", str(error))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(error))
        return Preferences(), [
            f"{path}:{found.group(1) if found else 1}: {message}; using the defaults"
        ]
    return preferences_from(data, str(path))


def preferences_from(data: dict, shown: str = "config.toml") -> tuple[Preferences, list[str]]:
    """Preferences from a `config.toml` document; each bad key is one line, and keeps its default."""
    from trainer.core.deckfile import read_schedule

    problems: list[str] = []

    def report(key: str, message: str) -> None:
        message = message.replace("front matter: schedule.", "study.")
        problems.append(f"{shown}: {message}; using the default")

    study = data.get("study", {})
    if not isinstance(study, dict):
        report("study", "study must be a table")
        study = {}
    known = set(Schedule.__dataclass_fields__) - {"overrides"} | {"bury_siblings"}
    for key in sorted(set(study) - known):
        report(key, f"study.{key} is not a setting")
    schedule = read_schedule({k: v for k, v in study.items() if k in known}, report)
    flags = {}
    for key in ("bury_siblings",):
        value = study.get(key, getattr(Preferences, key))
        if not isinstance(value, bool):
            report(key, f"study.{key} must be true or false")
            value = getattr(Preferences, key)
        flags[key] = value
    theme = data.get("theme", Preferences.theme)
    if not isinstance(theme, str) or not theme.strip():
        report("theme", "theme must be the name of a theme")
        theme = Preferences.theme
    for key in sorted(set(data) - {"study", "theme"}):
        report(key, f"{key} is not a setting")
    # Front-matter keys given here are the learner's defaults, not a deck's overrides.
    schedule = replace(schedule, overrides=())
    return Preferences(schedule, flags["bury_siblings"], theme), problems


def save_preferences(path: Path, preferences: Preferences) -> None:
    """Write `config.toml` (atomically: a crash never leaves half a file). Raises `OSError`."""
    import os

    import tomli_w

    schedule = preferences.schedule
    document = {
        "theme": preferences.theme,
        "study": {
            "new_per_day": schedule.new_per_day,
            "reviews_per_day": schedule.reviews_per_day,
            "desired_retention": schedule.desired_retention,
            "learning_steps": [_wait(step) for step in schedule.learning_steps],
            "relearning_steps": [_wait(step) for step in schedule.relearning_steps],
            "leech_lapses": schedule.leech_lapses,
            "bury_siblings": preferences.bury_siblings,
            "fuzz": schedule.fuzz,
        },
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(tomli_w.dumps(document), encoding="utf-8")
    os.replace(temporary, path)


def _wait(step: timedelta) -> str:
    """A learning step as the deck format writes it: 90s, 10m, 2h, 1d."""
    seconds = step.total_seconds()
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    return f"{seconds:g}s"


def format_steps(steps: tuple[timedelta, ...]) -> str:
    """Learning steps as the settings screen shows them: `1m 10m`."""
    return " ".join(_wait(step) for step in steps)
