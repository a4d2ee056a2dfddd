"""Where the progress database and the decks live.

`TRAINER_HOME` moves the whole data folder (tests and portable setups use it); otherwise the
platform's user data directory is used.
"""

from __future__ import annotations

import os
from pathlib import Path


def data_dir() -> Path:
    """The folder holding the learner's database and personal decks."""
    home = os.environ.get("TRAINER_HOME")
    if home:
        return Path(home).expanduser()
    # Imported here: platformdirs costs about 5 ms of startup, and `--db`/`--decks` never need it.
    from platformdirs import user_data_path

    return user_data_path("trainer", appauthor=False)


def config_path() -> Path:
    """The learner's settings file: `config.toml` in the user config folder (or `TRAINER_HOME`)."""
    home = os.environ.get("TRAINER_HOME")
    if home:
        return Path(home).expanduser() / "config.toml"
    from platformdirs import user_config_path

    return user_config_path("trainer", appauthor=False) / "config.toml"


def default_db_path() -> Path:
    """The progress database used when `--db` is not given."""
    return data_dir() / "progress.db"


def bundled_decks_dir() -> Path:
    """The decks that ship with trainer: the repository's `decks/`, or the installed copy."""
    package = Path(__file__).resolve().parent
    checkout = package.parent / "decks"
    return checkout if checkout.is_dir() else package / "bundled_decks"


def default_deck_places() -> list[Path]:
    """Where decks are read from when `--decks` is not given.

    `TRAINER_DECKS` (folders separated by the path separator) wins; otherwise the bundled decks,
    plus the learner's own `decks/` folder in the data directory when it exists.
    """
    configured = os.environ.get("TRAINER_DECKS")
    if configured:
        return [Path(part).expanduser() for part in configured.split(os.pathsep) if part]
    places = [bundled_decks_dir()]
    personal = data_dir() / "decks"
    if personal.is_dir():
        places.append(personal)
    return places
