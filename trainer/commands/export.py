"""`trainer export [DECK...] -o FILE`: decks out to Anki, as a package or as notes text."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import click

from trainer.commands.common import echo, fail, user_errors

if TYPE_CHECKING:
    from trainer.config import Settings
    from trainer.core.cards import Deck


@click.command("export")
@click.argument("deck_names", metavar="[DECK]...", nargs=-1)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The file to write: .apkg (an Anki package), .txt or .csv (Anki's notes text).",
)
@click.pass_obj
def command(settings: Settings, deck_names: tuple[str, ...], output: Path) -> None:
    """Export decks (all, or those named, by name or file) for Anki.

    An .apkg opens in Anki with one note type per kind of card, the tags and the deck names;
    .txt and .csv are Anki's notes text, with the headers Anki reads.
    """
    from trainer.commands.import_ import write_file_atomically
    from trainer.importing.anki_export import anki_notes
    from trainer.importing.anki_write import notes_text, write_apkg

    suffix = output.suffix.lower()
    if suffix not in (".apkg", ".txt", ".csv"):
        fail(f"{output}: write .apkg, .txt or .csv")
    with user_errors():
        decks = _chosen_decks(settings, deck_names)
        notes, approximated = anki_notes(decks)
        if not notes:
            fail(f"{output}: no cards to export")
        try:
            if suffix == ".apkg":
                output.parent.mkdir(parents=True, exist_ok=True)
                descriptor, temporary = tempfile.mkstemp(dir=output.parent, suffix=".apkg")
                os.close(descriptor)
                try:
                    write_apkg(notes, Path(temporary))
                    os.replace(temporary, output)
                finally:
                    Path(temporary).unlink(missing_ok=True)
            else:
                text = notes_text(notes, "," if suffix == ".csv" else "\t")
                write_file_atomically(output, text.encode("utf-8"))
        except OSError as error:
            fail(f"{output}: cannot write: {error.strerror or error}")
    cards = sum(len(deck.cards) for deck in decks)
    line = f"Exported {len(decks)} deck(s), {len(notes):,} notes ({cards:,} cards) to {output}"
    for kind, count in sorted(approximated.items()):
        line += f"; {count:,} {kind} cards as Basic notes (Anki has no such note type)"
    echo(line + ".")


def _chosen_decks(settings: Settings, names: tuple[str, ...]) -> list[Deck]:
    from trainer.core.deckfile import DeckError, Problem, load_deck
    from trainer.core.library import find_deck_files, shown_path

    decks = [
        load_deck(path, display_path=shown_path(path))
        for path in find_deck_files(settings.deck_places)
    ]
    if not names:
        return decks
    chosen: list[Deck] = []
    for name in names:
        found = [
            deck
            for deck in decks
            if name.casefold() in (deck.name.casefold(), deck.path.stem.casefold())
            or Path(name).resolve() == deck.path.resolve()
        ]
        if not found:
            raise DeckError([Problem(name, 0, "no deck of that name or file")])
        chosen.extend(deck for deck in found if deck not in chosen)
    return chosen
