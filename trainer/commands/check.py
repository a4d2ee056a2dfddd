"""`trainer check`: every problem of some deck files, as FILE:LINE: MESSAGE."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from trainer.commands.common import echo, fail, user_errors

if TYPE_CHECKING:
    from trainer.config import Settings


@click.command("check")
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
        echo(line)
