"""`trainer derive DOCUMENT`: draft a deck from a plain-text document, to review before studying."""

from __future__ import annotations

from pathlib import Path

import click

from trainer.commands.common import echo, fail


@click.command("derive")
@click.argument("document", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Write the draft deck to this file instead of printing it.",
)
@click.option("--force", is_flag=True, help="Replace the --output file if it exists.")
@click.option(
    "--max",
    "max_cards",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="Keep the best N drafts (default: about one per 60 words of the document).",
)
def derive(document: Path, output: Path | None, force: bool, max_cards: int | None) -> None:
    """Draft a deck from DOCUMENT: multiple choice, true or false, typed answers, cloze cards for
    definitions, acronyms and "Why ...?" questions, the best of them ranked first.

    The draft is a starting point: every card cites the line it came from, so check it against
    the document, reword it and delete what is not worth learning. Run `trainer check --sources
    FOLDER` on it afterwards, FOLDER being the document's folder.
    """
    from trainer.core.atomic import write_atomically
    from trainer.core.derive.document import draft_deck

    text = _read_document(document)
    if output is not None:
        _check_output(document, output, force)
    try:
        deck = draft_deck(text, document.name, max_cards)
    except ValueError as error:
        fail(f"{document}: {error}")
    if output is None:
        echo(deck, lines=True, nl=False)
        return
    try:
        write_atomically(output, deck)
    except OSError as error:
        fail(f"{output}: cannot write the deck: {error.strerror or error}")
    _report(output)


def _read_document(document: Path) -> str:
    """The document's text; a missing, unreadable or non-UTF-8 file ends the command."""

    if document.is_dir():
        fail(f"{document}: is a folder, not a document")
    try:
        raw = document.read_bytes()
    except FileNotFoundError:
        fail(f"{document}: no such file")
    except OSError as error:
        fail(f"{document}: cannot read: {error.strerror or error}")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        fail(f"{document}:{line}: not UTF-8: byte 0x{raw[error.start]:02x} cannot be decoded")


def _check_output(document: Path, output: Path, force: bool) -> None:

    if output.is_dir():
        fail(f"{output}: is a folder; give the deck file to write")
    if output.exists() and output.resolve() == document.resolve():
        fail(f"{output}: is the document itself")
    if output.exists() and not force:
        fail(f"{output}: already exists (add --force to replace it)")


def _report(output: Path) -> None:
    """Say what was written, as `trainer check` summarises a deck."""
    from trainer.core.checking import summary_line
    from trainer.core.deckfile import load_deck

    echo(f"wrote {summary_line(load_deck(output))}")


command = derive
