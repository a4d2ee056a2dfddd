"""Reading Quizlet's export: one term and its definition a row, in Quizlet's separators.

Quizlet separates term from definition with a tab (its default), a comma or a custom text, and
rows with a line break (default), a semicolon or a custom text. Tab and comma are recognised by
themselves; custom separators are given with `trainer import --separator/--row-separator`.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from trainer.importing.html_text import field_text
from trainer.importing.records import Collection, ImportFileError, Note, NoteCard, NoteKind
from trainer.importing.text_files import read_text


def guess_separator(text: str) -> str | None:
    """Tab if the first pair has one (Quizlet's default), else comma if it has one, else None."""
    first = next((row for row in text.splitlines() if row.strip()), "")
    return next((separator for separator in ("\t", ",") if separator in first), None)


def read_quizlet(
    path: Path,
    shown: str | None = None,
    deck: str | None = None,
    separator: str | None = None,
    row_separator: str | None = None,
) -> Collection:
    """Every term and definition of a Quizlet export, as question and answer notes."""
    shown = shown or str(path)
    text = read_text(path, shown)
    if row_separator and row_separator != "\n":
        rows = text.replace("\r\n", "\n").split(row_separator)
    else:
        rows = text.splitlines()
    separator = separator or guess_separator("\n".join(rows))
    if not separator:
        raise ImportFileError(
            f"{shown}:1: no tab or comma between term and definition "
            "(give Quizlet's custom separator with --separator)"
        )
    collection = Collection(shown, "Quizlet export")
    name = deck or path.stem
    line = 1
    for row in rows:
        number = line
        line += row.count("\n") + (1 if not row_separator or row_separator == "\n" else 0)
        if not row.strip():
            continue
        term, found, definition = row.partition(separator)
        if not found:
            raise ImportFileError(
                f"{shown}:{number}: no separator {separator!r} between term and definition"
            )
        used: set[str] = set()
        front = field_text(term, used, is_html=False)
        back = field_text(definition, used, is_html=False)
        if not front or not back:
            collection.skip("rows with an empty term or definition")
            continue
        digest = hashlib.blake2b(" ".join(front.casefold().split()).encode(), digest_size=8)
        collection.notes.append(
            Note(
                guid=f"q{digest.hexdigest()}",
                deck=name,
                kind=NoteKind.BASIC,
                front=front,
                back=back,
                cards=(NoteCard(None),),
                note_type="Quizlet term",
                line=number,
            )
        )
    return collection
