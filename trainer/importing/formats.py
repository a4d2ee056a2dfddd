"""Recognising a foreign file by its content (a zip's members, a text's first line), then
reading it with the right module. The extension is only a tie-breaker."""

from __future__ import annotations

import zipfile
from pathlib import Path

from trainer.importing.records import Collection, ImportFileError


def read_foreign_file(
    path: Path,
    shown: str | None = None,
    *,
    deck: str | None = None,
    separator: str | None = None,
    row_separator: str | None = None,
) -> Collection:
    """Read an Anki package, Anki notes text, Quizlet export or CSV deck at `path`.

    Raises `ImportFileError` with one line saying what is wrong and where.
    """
    from trainer.importing import anki, anki_text, csv_deck, quizlet
    from trainer.importing.text_files import read_text

    shown = shown or str(path)
    if not path.is_file():
        raise ImportFileError(f"{shown}: no such file")
    try:
        with path.open("rb") as file:
            start = file.read(4)
    except OSError as error:
        raise ImportFileError(f"{shown}: cannot read: {error.strerror or error}") from None
    if start.startswith(b"PK") or path.suffix.lower() in (".apkg", ".colpkg"):
        collection = anki.read_anki_package(path, shown)
        if deck:
            from dataclasses import replace

            collection.notes = [replace(note, deck=deck) for note in collection.notes]
        return collection
    if zipfile.is_zipfile(path):
        raise ImportFileError(f"{shown}: a zip file with no Anki collection in it")
    text = read_text(path, shown)
    if not text.strip():
        raise ImportFileError(f"{shown}: the file is empty")
    if anki_text.is_anki_text(text):
        return anki_text.read_anki_text(path, shown, deck)
    if separator is None and row_separator is None and csv_deck.is_csv_deck(text):
        return csv_deck.read_csv_deck(path, shown, deck)
    return quizlet.read_quizlet(path, shown, deck, separator, row_separator)
