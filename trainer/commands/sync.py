"""`trainer sync DIR`: exchange reviews with other devices through a folder both can see."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from trainer.commands.common import echo, fail, open_store, user_errors

if TYPE_CHECKING:
    from trainer.config import Settings


@click.command("sync")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--status", is_flag=True, help="Show the devices in FOLDER and when each synced.")
@click.pass_obj
def command(settings: Settings, folder: Path, status: bool) -> None:
    """Exchange reviews with your other devices through FOLDER.

    FOLDER is any folder every device sees: a git repository, a Syncthing folder, a network
    drive. Each device appends its reviews to its own file there and reads the others', so the
    files never conflict. Run it on each device; a second run changes nothing.
    """
    from trainer.journal import JournalError, device_id
    from trainer.store.device_sync import device_statuses, sync_with_folder

    with user_errors():
        try:
            device = device_id(settings.db_path.parent)
            store = open_store(settings)
            try:
                if status:
                    _print_statuses(device_statuses(store, folder, device))
                    return
                report = sync_with_folder(store, folder, device, datetime.now(UTC))
            finally:
                store.close()
        except JournalError as error:
            fail(str(error))
    others = len(report.devices)
    echo(
        f"Sent {report.sent:,} reviews, received {report.received:,} from {others} other "
        f"device{'s' if others != 1 else ''}; {report.cards:,} cards brought up to date."
    )
    if report.waiting:
        echo(
            f"{report.waiting:,} reviews wait for cards this device has not got "
            "(their decks are only on another device); they are applied once the decks appear."
        )
    if report.problems:
        fail(report.problems)


def _print_statuses(statuses: list) -> None:
    for status in statuses:
        name = f"{status.device} (this device)" if status.this_device else status.device
        last = (
            status.last_sync.astimezone().strftime("%Y-%m-%d %H:%M")
            if status.last_sync
            else "never"
        )
        echo(f"{name:<30} {status.reviews:>8,} reviews   last synced {last}")
