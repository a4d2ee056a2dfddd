"""The `trainer` command: with no arguments it opens the study app; subcommands print and exit.

Heavy modules (Textual, the store) are imported inside the commands that need them, so
`trainer check` starts fast. Errors a person can cause become one line each and exit status 1.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from trainer import paths

if TYPE_CHECKING:
    from trainer.store.store import Store


@dataclass
class Settings:
    """What the group's options say: where the database and the decks are."""

    db_path: Path
    """The progress database."""
    deck_places: list[Path]
    """Folders and files decks are read from."""
    sources: Path | None
    """Where cited documents are found, to show the passage behind an answer."""
    quiz_reschedules: bool = False
    """Whether quiz answers move the schedule as study answers do."""


def fail(lines: list[str] | str) -> None:
    """Print each problem on its own line to stderr and exit with status 1."""
    for line in [lines] if isinstance(lines, str) else lines:
        click.echo(line, err=True)
    sys.exit(1)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn the errors a person can cause into one line each and exit 1, never a traceback."""
    from trainer.core.deckfile import DeckError
    from trainer.store.store import StoreError

    try:
        yield
    except DeckError as error:
        fail([str(problem) for problem in error.problems])
    except StoreError as error:
        fail(str(error))


def open_store(settings: Settings, *, sync: bool = True) -> Store:
    """Open the progress database and bring it in line with the deck files."""
    from trainer.core.library import find_deck_files
    from trainer.store.store import Store

    files = find_deck_files(settings.deck_places) if sync else []
    store = Store.open(settings.db_path)
    if sync:
        store.sync(files, roots=[place.resolve() for place in settings.deck_places])
    return store


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
    )
    if ctx.invoked_subcommand is None:
        run_app(ctx.obj)


def run_app(settings: Settings) -> None:
    """Open the study app; the store is opened and synced in the app's first worker."""
    from trainer.tui.app import make_app

    def open_synced() -> Store:
        return open_store(settings)

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
    )
    app.run()
    if app.store_ready:
        app.store.close()
    if app.failure:
        fail(app.failure)


@cli.command()
@click.pass_obj
def decks(settings: Settings) -> None:
    """List decks with their due, learning, new and total cards."""
    with user_errors():
        store = open_store(settings)
        summaries = store.deck_summaries(datetime.now(UTC))
    if not summaries:
        click.echo(f"No decks found in {', '.join(map(str, settings.deck_places))}.")
        return
    width = max(len(summary.name) for summary in summaries)
    click.echo(f"{'Deck':<{width}}  {'Due':>5}  {'Learn':>5}  {'New':>5}  {'Total':>6}")
    for summary in summaries:
        click.echo(
            f"{summary.name:<{width}}  {summary.due:>5}  {summary.learning:>5}  "
            f"{summary.new:>5}  {summary.total:>6}"
        )


@cli.command()
@click.pass_obj
def due(settings: Settings) -> None:
    """Say how many cards are waiting today, in all decks."""
    with user_errors():
        store = open_store(settings)
        summaries = store.deck_summaries(datetime.now(UTC))
    click.echo(due_line(summaries))


def due_line(summaries: list) -> str:
    """One sentence with today's totals, as `trainer due` prints it."""
    due_now = sum(summary.due for summary in summaries)
    learning = sum(summary.learning for summary in summaries)
    new = sum(summary.new for summary in summaries)
    return (
        f"{due_now} due, {learning} learning, {new} new today "
        f"across {len(summaries)} deck{'s' if len(summaries) != 1 else ''}."
    )


@cli.command()
@click.argument("places", nargs=-1, type=click.Path(path_type=Path))
@click.option("--stamp", is_flag=True, help="Write an Id: line into every card that lacks one.")
@click.option(
    "--sources",
    type=click.Path(file_okay=False, path_type=Path),
    help="Also check that each card's cited lines in these documents contain its answer.",
)
@click.pass_obj
def check(settings: Settings, places: tuple[Path, ...], stamp: bool, sources: Path | None) -> None:
    """Check deck files and report every problem as FILE:LINE: MESSAGE.

    With no PATH, checks the decks the app reads.
    """
    from trainer.core.checking import check_decks

    with user_errors():
        result = check_decks(list(places) or settings.deck_places, sources=sources, stamp=stamp)
    if result.problems:
        fail([str(problem) for problem in result.problems])
    for line in result.summaries:
        click.echo(line)


def _add_module_commands() -> None:
    """Add the `command` of every module in `trainer.commands` to the group."""
    import importlib
    import pkgutil

    import trainer.commands

    for module in pkgutil.iter_modules(trainer.commands.__path__):
        cli.add_command(importlib.import_module(f"trainer.commands.{module.name}").command)


_add_module_commands()


def main() -> None:
    """Entry point of the `trainer` script."""
    cli(prog_name="trainer")
