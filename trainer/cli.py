"""The `trainer` command: with no arguments it opens the study app; subcommands print and exit.

Each subcommand lives in its own module under `trainer.commands` and is listed in `COMMANDS`.
Heavy modules (Textual, the store) are imported inside the commands that need them, so
`trainer check` starts fast. Errors a person can cause become one line each and exit status 1.
"""

from __future__ import annotations

from pathlib import Path

import click

from trainer import paths
from trainer.commands import (
    cards,
    check,
    decks,
    derive,
    export,
    import_,
    import_log,
    manage,
    optimize,
    serve,
    stats,
    sync,
)
from trainer.config import Settings


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    "db_path",
    # Not click's own checks: a bad path is reported by the store, in one line, like other errors.
    type=click.Path(path_type=Path),
    help="Progress database (default: progress.db in the user data folder, or $TRAINER_HOME).",
)
@click.option(
    "--decks",
    "deck_places",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Deck folder or file; repeat for several (default: the bundled decks, or $TRAINER_DECKS).",
)
@click.option(
    "--sources",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="TRAINER_SOURCES",
    help="Folder of the documents cards cite, to show the passage behind an answer "
    "(or $TRAINER_SOURCES).",
)
@click.option(
    "--quiz-reschedules",
    is_flag=True,
    help="Let quiz answers move cards' schedules as study answers do (by default a quiz is "
    "logged but leaves the schedule alone).",
)
@click.version_option(package_name="trainer")
@click.pass_context
def cli(
    ctx: click.Context,
    db_path: Path | None,
    deck_places: tuple[Path, ...],
    sources: Path | None,
    quiz_reschedules: bool,
) -> None:
    """Study flashcards and quizzes in the terminal, scheduled with FSRS.

    With no command, opens the study app.
    """
    ctx.obj = Settings(
        db_path=db_path or paths.default_db_path(),
        deck_places=list(deck_places) or paths.default_deck_places(),
        sources=sources,
        quiz_reschedules=quiz_reschedules,
        config_path=paths.config_path(),
    )
    if ctx.invoked_subcommand is None:
        from trainer.commands.study_app import run_app

        run_app(ctx.obj)


COMMANDS: list[click.Command] = [
    decks.decks,
    decks.due,
    check.check,
    derive.command,
    stats.command,
    import_.command,
    export.command,
    import_log.command,
    optimize.command,
    sync.command,
    serve.command,
    cards.command,
    manage.suspend,
    manage.unsuspend,
    manage.bury,
    manage.flag,
]
"""Every subcommand, in the order `trainer --help` lists them."""

for _command in COMMANDS:
    cli.add_command(_command)


def main() -> None:
    """Entry point of the `trainer` script."""
    cli(prog_name="trainer")
