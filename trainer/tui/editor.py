"""Opening a card's deck file in the learner's editor (`$VISUAL`, else `$EDITOR`) at its line."""

from __future__ import annotations

import os
import shlex
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.app import App, SuspendNotSupported
from textual.screen import Screen

NO_EDITOR = "No editor set: set $VISUAL or $EDITOR (for example EDITOR=nano) and press e again."


def editor_command() -> list[str] | None:
    """The editor the learner chose, as a command line; None when neither variable is set."""
    for name in ("VISUAL", "EDITOR"):
        value = os.environ.get(name, "").strip()
        if value:
            return shlex.split(value)
    return None


def open_in_editor(app: App[object], path: Path, line: int) -> str | None:
    """Run the editor on `path` at `line` (`+LINE FILE`, as vi, nano, emacs and micro read it),
    with the app suspended so the editor has the terminal; returns a problem to show, or None.

    Call on the event loop: the app waits for the editor, as any terminal program would.
    """
    command = editor_command()
    if command is None:
        return NO_EDITOR
    arguments = [*command, f"+{max(1, line)}", str(path)]
    try:
        try:
            with app.suspend():
                result = subprocess.run(arguments, check=False)
        except SuspendNotSupported:
            # No terminal to hand over (a headless run): the editor runs on its own.
            result = subprocess.run(arguments, check=False, capture_output=True)
    except OSError as error:
        return f"Cannot start the editor {command[0]!r}: {error.strerror or error}"
    if result.returncode != 0:
        return f"The editor {command[0]!r} exited with status {result.returncode}."
    return None


def edit_card(
    screen: Screen[Any],
    card_id: int,
    reload: Callable[[], None],
    failed: Callable[[str], None],
) -> None:
    """From a worker: open the card's deck file at its line, then re-read the decks and `reload`.

    `failed(message)` is called on the event loop when there is no editor, it fails, or the
    edited deck no longer reads; the card's progress is kept either way.
    """
    from trainer.core.deckfile import DeckError
    from trainer.store.errors import StoreError
    from trainer.store.search import found_cards
    from trainer.tui.context import trainer

    app = trainer(screen)
    try:
        (card,) = found_cards(app.store, [card_id], app.clock())
    except (StoreError, ValueError) as error:
        screen.app.call_from_thread(failed, str(error))
        return
    problem = screen.app.call_from_thread(
        open_in_editor, screen.app, Path(card.deck_path), card.line
    )
    if problem:
        screen.app.call_from_thread(failed, problem)
        return
    try:
        app.sync_decks()
    except DeckError as error:
        screen.app.call_from_thread(failed, "\n".join(str(p) for p in error.problems))
        return
    except StoreError as error:
        screen.app.call_from_thread(failed, str(error))
        return
    reload()
