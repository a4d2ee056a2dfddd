"""`trainer import-log CSV`: import another app's review log, for statistics and fitting."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from trainer.commands.common import echo, fail, open_store, user_errors

if TYPE_CHECKING:
    from trainer.config import Settings


@click.command("import-log")
@click.argument("csv_path", metavar="CSV", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def command(settings: Settings, csv_path: Path) -> None:
    """Import a review log (card_id, review_rating, review_time, review_duration).

    Its cards go into a deck of their own, "Imported: <file name>", with the state their
    reviews left them in. Importing the same file again adds only reviews not yet imported.
    """
    from trainer.importing.review_log import ReviewLogError
    from trainer.store.review_import import import_review_log

    with user_errors():
        store = open_store(settings, sync=False)
        try:
            report = import_review_log(store, csv_path)
        except ReviewLogError as error:
            fail(str(error))
        finally:
            store.close()
    if not report.reviews:
        echo(
            f"Nothing new: the {report.already:,} reviews of {csv_path.name} are already in "
            f'"{report.deck}".'
        )
        return
    echo(
        f'Imported {report.reviews:,} reviews of {report.cards:,} cards into "{report.deck}" '
        f"({report.new_cards:,} new cards, {report.already:,} reviews already there)."
    )
