"""Reading a plain CSV or TSV deck with a header row: `front,back[,tags]` and common variants.

The header names the columns (any order, any case): the question as `front`, `question`, `term`,
`q` or `side 1`; the answer as `back`, `answer`, `definition`, `a` or `side 2`; optional `tags`
and `deck`. Commas, semicolons, tabs or pipes separate the columns; a byte-order mark, as Excel
writes one, is ignored. Every row must have as many fields as the header.
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

from trainer.importing.html_text import field_text, plain_tags
from trainer.importing.records import Collection, ImportFileError, Note, NoteCard, NoteKind
from trainer.importing.text_files import read_text

FRONTS = {"front", "question", "term", "q", "side 1", "side1", "prompt", "word"}
BACKS = {"back", "answer", "definition", "a", "side 2", "side2", "meaning", "translation"}
_DELIMITERS = ",;\t|"


def _header_cells(line: str) -> tuple[str, list[str]] | None:
    """The delimiter and the header's names, if the line is a header we know."""
    counts = {delimiter: line.count(delimiter) for delimiter in _DELIMITERS}
    delimiter = max(counts, key=lambda key: counts[key])
    if not counts[delimiter]:
        return None
    names = [cell.strip().strip('"').strip().casefold() for cell in line.split(delimiter)]
    if any(name in FRONTS for name in names) and any(name in BACKS for name in names):
        return delimiter, names
    return None


def is_csv_deck(text: str) -> bool:
    """Whether the text opens with a header naming a question and an answer column."""
    return _header_cells(text.split("\n", 1)[0].rstrip("\r")) is not None


def read_csv_deck(path: Path, shown: str | None = None, deck: str | None = None) -> Collection:
    """Every row of the CSV deck as a question and answer note."""
    shown = shown or str(path)
    text = read_text(path, shown)
    header = _header_cells(text.split("\n", 1)[0].rstrip("\r"))
    if header is None:
        raise ImportFileError(
            f"{shown}:1: no header naming the question and answer columns "
            "(such as front,back or question,answer)"
        )
    delimiter, names = header
    front = next(index for index, name in enumerate(names) if name in FRONTS)
    back = next(index for index, name in enumerate(names) if name in BACKS)
    tags = names.index("tags") if "tags" in names else None
    deck_column = names.index("deck") if "deck" in names else None
    collection = Collection(shown, "CSV deck" if delimiter != "\t" else "TSV deck")
    reader = csv.reader(text.splitlines(keepends=True), delimiter=delimiter, strict=True)
    try:
        next(reader)
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            while len(row) > len(names) and not row[-1].strip():
                row.pop()  # spreadsheets pad rows with empty cells
            if len(row) != len(names):
                raise ImportFileError(
                    f"{shown}:{line}: expected {len(names)} fields, found {len(row)}"
                )
            used: set[str] = set()
            question = field_text(row[front], used, is_html=False)
            answer = field_text(row[back], used, is_html=False)
            if not question or not answer:
                collection.skip("rows with an empty question or answer")
                continue
            folded = " ".join(question.casefold().split())
            digest = hashlib.blake2b(folded.encode(), digest_size=8).hexdigest()
            row_deck = row[deck_column].strip() if deck_column is not None else ""
            collection.notes.append(
                Note(
                    guid=f"v{digest}",
                    deck=deck or row_deck or path.stem,
                    kind=NoteKind.BASIC,
                    front=question,
                    back=answer,
                    tags=plain_tags(row[tags]) if tags is not None else (),
                    cards=(NoteCard(None),),
                    note_type="CSV row",
                    line=line,
                )
            )
    except csv.Error as error:
        raise ImportFileError(f"{shown}:{reader.line_num}: {error}") from None
    return collection
