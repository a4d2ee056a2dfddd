"""`trainer serve`: the study app in a web browser, through textual-serve."""

from __future__ import annotations

import ipaddress
import shlex
import sys
from typing import TYPE_CHECKING

import click

from trainer.commands.common import fail

if TYPE_CHECKING:
    from trainer.config import Settings


def is_loopback(host: str) -> bool:
    """Whether `host` only listens on this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def app_command(settings: Settings) -> str:
    """The shell command each browser tab runs: this trainer, on the same database and decks."""
    arguments = [sys.executable, "-m", "trainer", "--db", str(settings.db_path)]
    for place in settings.deck_places:
        arguments += ["--decks", str(place)]
    if settings.sources is not None:
        arguments += ["--sources", str(settings.sources)]
    if settings.quiz_reschedules:
        arguments.append("--quiz-reschedules")
    return shlex.join(arguments)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--allow-remote",
    is_flag=True,
    help="Allow an address other computers can reach: anyone who can open the page studies "
    "with your progress, with no password.",
)
@click.pass_obj
def command(settings: Settings, host: str, port: int, allow_remote: bool) -> None:
    """Open the study app in a web browser at http://HOST:PORT (this computer only by default).

    Each browser tab runs its own copy of the app on the same progress database.
    """
    if not is_loopback(host):
        if not allow_remote:
            fail(
                f"--host {host} would let other computers open your study app with no password; "
                "add --allow-remote if that is what you want"
            )
        click.echo(
            f"warning: listening on {host}: anyone who can reach it studies with your progress",
            err=True,
        )
    from textual_serve.server import Server

    Server(app_command(settings), host=host, port=port, title="trainer").serve()
