"""Reading Anki's notes text export (`Notes in Plain Text`, `.txt`/`.csv`) into plain records.

The file opens with header lines such as `#separator:tab`, `#html:true`, `#notetype column:2`,
`#deck column:3`, `#tags column:7` and `#guid column:1` (columns count from 1); then one note a
line, fields quoted as CSV when they hold the separator, quotes or line breaks. The remaining
columns are the note's fields, in the note type's order (Anki pads shorter notes with empty ones).
"""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from trainer.importing.html_text import cloze_text, field_text, plain_tags
from trainer.importing.records import Collection, ImportFileError, Note, NoteCard, NoteKind
from trainer.importing.text_files import kind_of_note_type, read_text

HEADER = re.compile(r"^#([a-z ]+):(.*)$")
KNOWN_HEADERS = {"separator", "html", "tags", "columns", "notetype", "deck"}
KNOWN_HEADERS |= {"notetype column", "deck column", "tags column", "guid column"}
_SEPARATORS = {"tab": "\t", "comma": ",", "semicolon": ";", "space": " ", "pipe": "|"}
_SEPARATORS |= {"colon": ":"}


def is_anki_text(text: str) -> bool:
    """Whether the text opens with Anki's `#key:value` headers."""
    first = text.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
    match = HEADER.match(first)
    return match is not None and match.group(1) in KNOWN_HEADERS


def read_anki_text(path: Path, shown: str | None = None, deck: str | None = None) -> Collection:
    """Every note of an Anki notes text export; problems raise `ImportFileError` with the line."""
    shown = shown or str(path)
    text = read_text(path, shown)
    lines = text.splitlines(keepends=True)
    headers: dict[str, str] = {}
    body_start = 0
    for number, line in enumerate(lines):
        match = HEADER.match(line.rstrip("\r\n"))
        if not match or match.group(1) not in KNOWN_HEADERS:
            break
        headers[match.group(1)] = match.group(2).strip()
        body_start = number + 1
    separator = _separator(headers.get("separator", "tab"), shown)
    is_html = headers.get("html", "false").lower() == "true"
    columns = {
        name: _column(headers, f"{name} column", shown)
        for name in ("notetype", "deck", "tags", "guid")
    }
    default_deck = deck or headers.get("deck") or path.stem
    default_type = headers.get("notetype", "Basic")
    file_tags = plain_tags(headers.get("tags", ""))
    collection = Collection(shown, "Anki notes text")
    reader = csv.reader(lines[body_start:], delimiter=separator, quotechar='"', strict=True)
    width: int | None = None
    needed = max((index for index in columns.values() if index is not None), default=-1) + 1
    try:
        for row in reader:
            row_line = body_start + reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if width is None:
                width = len(row)
            if len(row) != width or len(row) < needed:
                raise ImportFileError(
                    f"{shown}:{row_line}: expected {max(width, needed)} fields, found {len(row)}"
                )
            note = _note(collection, row, columns, row_line, is_html, file_tags, default_type)
            if note is not None:
                # `--deck` wins over the file's deck column, which wins over its `#deck:`.
                note_deck = deck or note.deck or default_deck
                collection.notes.append(replace(note, deck=note_deck))
    except csv.Error as error:
        raise ImportFileError(f"{shown}:{body_start + reader.line_num}: {error}") from None
    return collection


def _separator(value: str, shown: str) -> str:
    separator = _SEPARATORS.get(value.lower(), value)
    if len(separator) != 1:
        raise ImportFileError(f"{shown}:1: #separator:{value} is not one character")
    return separator


def _column(headers: dict[str, str], key: str, shown: str) -> int | None:
    value = headers.get(key)
    if value is None:
        return None
    if not value.isdigit() or int(value) < 1:
        raise ImportFileError(f"{shown}: #{key}:{value} is not a column number")
    return int(value) - 1


def _note(
    collection: Collection,
    row: list[str],
    columns: dict[str, int | None],
    line: int,
    is_html: bool,
    file_tags: tuple[str, ...],
    default_type: str,
) -> Note | None:
    def cell(name: str) -> str:
        index = columns[name]
        return row[index] if index is not None else ""

    taken = {index for index in columns.values() if index is not None}
    fields = [value for index, value in enumerate(row) if index not in taken]
    note_type = cell("notetype").strip() or default_type
    kind = kind_of_note_type(note_type)
    used: set[str] = set()
    tags = tuple(dict.fromkeys(file_tags + plain_tags(cell("tags"))))
    guid = cell("guid").strip() or _derived_guid(fields[0] if fields else "")
    common: dict[str, Any] = {"guid": guid, "deck": cell("deck").strip(), "tags": tags}
    common |= {"line": line, "note_type": note_type}
    if kind is NoteKind.CLOZE:
        text, numbers = cloze_text(fields[0] if fields else "", used, is_html=is_html)
        if not numbers:
            collection.skip("cloze notes with no deletion")
            return None
        extra = field_text(fields[1], used, is_html=is_html) if len(fields) > 1 else ""
        cards = tuple(NoteCard(f"c{position}") for position in range(1, len(numbers) + 1))
        return Note(kind=NoteKind.CLOZE, front=text, extra=extra, cards=cards, **common)
    if len(fields) < 2:
        raise ImportFileError(
            f"{collection.source}:{line}: a {note_type} note needs a question and an answer"
        )
    front = field_text(fields[0], used, is_html=is_html)
    back = field_text(fields[1], used, is_html=is_html)
    if not front or not back:
        collection.skip("notes with an empty question or answer")
        return None
    if kind is None:
        collection.approximated[note_type] = collection.approximated.get(note_type, 0) + 1
        kind = NoteKind.BASIC
    if note_type.casefold() == "basic (optional reversed card)" and not (
        len(fields) > 2 and fields[2].strip()
    ):
        kind = NoteKind.BASIC
    optional = note_type.casefold() == "basic (optional reversed card)"
    rest = [field_text(value, used, is_html=is_html) for value in fields[3 if optional else 2 :]]
    common["extra"] = "\n\n".join(value for value in rest if value)
    if kind is NoteKind.REVERSED:
        cards = (NoteCard(None), NoteCard("reverse"))
        return Note(kind=kind, front=front, back=back, cards=cards, **common)
    if kind is NoteKind.TYPED:
        back = " ".join(back.split())
    return Note(kind=kind, front=front, back=back, cards=(NoteCard(None),), **common)


def _derived_guid(first_field: str) -> str:
    """An identity for a note exported without its GUID: its first field, hashed."""
    folded = " ".join(first_field.casefold().split())
    return "t" + hashlib.blake2b(folded.encode(), digest_size=8).hexdigest()
