"""What every command shares: safe output, one-line errors with exit status 1, opening the store.

Every line a command prints goes through `echo` (or `fail`): deck names, card text and file
names came from files, and must not reach the terminal with their control characters.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, NoReturn

import click

if TYPE_CHECKING:
    from trainer.config import Settings
    from trainer.store.store import Store


def echo(text: str, *, err: bool = False, lines: bool = False, nl: bool = True) -> None:
    """Print `text` with every terminal control in it shown as a visible escape.

    By default `text` is one line: a newline or tab inside it (from a deck name, say) is shown
    as `\\n` or `\\t`. With `lines`, newlines and tabs are kept, for text of several lines
    (a drafted deck).
    """
    from trainer.core.safe_text import printable, printable_line

    click.echo(printable(text) if lines else printable_line(text), err=err, nl=nl)


def fail(lines: list[str] | str) -> NoReturn:
    """Print each problem on its own line to stderr and exit with status 1."""
    for line in [lines] if isinstance(lines, str) else lines:
        echo(line, err=True)
    sys.exit(1)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn the errors a person can cause into one line each and exit 1, never a traceback."""
    from trainer.core.deckfile import DeckError
    from trainer.store.errors import StoreError

    try:
        yield
    except DeckError as error:
        fail([str(problem) for problem in error.problems])
    except StoreError as error:
        fail(str(error))


def open_store(settings: Settings, *, sync: bool = True, warn: bool = True) -> Store:
    """Open the progress database and bring it in line with the deck files.

    The learner's `config.toml` gives the limits decks do not set; a problem in it is printed
    (unless `warn` is off) and its defaults are used.
    """
    from trainer.core.library import find_deck_files
    from trainer.store.store import Store

    files = find_deck_files(settings.deck_places) if sync else []
    store = Store.open(settings.db_path)
    if settings.config_path is not None:
        from trainer.config import load_preferences

        preferences, problems = load_preferences(settings.config_path)
        store.defaults = preferences.schedule
        store.bury_siblings = preferences.bury_siblings
        for problem in problems if warn else []:
            click.echo(problem, err=True)
    if sync:
        store.sync(files, roots=[place.resolve() for place in settings.deck_places])
    return store
