"""The `trainer` command: with no arguments it opens the study app; subcommands print and exit.

Each subcommand lives in its own module under `trainer.commands` and is listed in `COMMANDS`,
which names where it is: a command's module is imported only when that command runs (or help
lists it), so opening the study app loads none of them. Heavy modules (Textual, the store) are
imported inside the commands that need them, so `trainer check` starts fast. Errors a person
can cause become one line each and exit status 1.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import click

from trainer import paths
from trainer.config import Settings

COMMANDS: dict[str, str] = {
    "decks": "decks:decks",
    "due": "decks:due",
    "check": "check:check",
    "derive": "derive:command",
    "stats": "stats:command",
    "import": "import_:command",
    "export": "export:command",
    "import-log": "import_log:command",
    "optimize": "optimize:command",
    "sync": "sync:command",
    "serve": "serve:command",
    "cards": "cards:command",
    "suspend": "manage:suspend",
    "unsuspend": "manage:unsuspend",
    "bury": "manage:bury",
    "flag": "manage:flag",
}
"""Every subcommand by name: its module in `trainer.commands` and the click command in it."""


class _Commands(click.Group):
    """The subcommands of `COMMANDS`, each imported when first asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, name = COMMANDS[cmd_name].split(":")
        command: click.Command = getattr(
            importlib.import_module(f"trainer.commands.{module}"), name
        )
        return command


@click.group(
    cls=_Commands,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
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


def main() -> None:
    """Entry point of the `trainer` script."""
    cli(prog_name="trainer")
