"""The study app, which `trainer` opens when no command is given."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from trainer.commands.common import fail, open_store

if TYPE_CHECKING:
    from trainer.config import Settings
    from trainer.store.store import Store


def run_app(settings: Settings) -> None:
    """Open the study app; the store is opened and synced in the app's first worker."""
    from trainer.tui.app import make_app

    def open_synced() -> Store:
        # A problem in config.toml is shown by the app itself, as a notice.
        return open_store(settings, warn=False)

    def sync() -> None:
        from trainer.core.library import find_deck_files

        roots = [place.resolve() for place in settings.deck_places]
        app.store.sync(find_deck_files(settings.deck_places), roots=roots)

    app = make_app(
        open_synced,
        settings.sources,
        deck_places=settings.deck_places,
        sync=sync,
        quiz_reschedules=settings.quiz_reschedules,
        config_path=settings.config_path,
    )
    app.run()
    app.close_store()
    if app.failure:
        fail(app.failure)
    if app.return_code:
        # The app stopped on an error of its own (Textual has printed its traceback): say so to
        # the shell too, rather than exiting 0 as if the learner had quit.
        sys.exit(app.return_code)
