"""What the text formats share: reading a file as UTF-8 (with or without Excel's byte-order
mark) and turning a note type's name into one of our kinds."""

from __future__ import annotations

from pathlib import Path

from trainer.importing.records import ImportFileError, NoteKind

_KINDS = {
    "basic": NoteKind.BASIC,
    "basic (and reversed card)": NoteKind.REVERSED,
    "basic (optional reversed card)": NoteKind.REVERSED,
    "basic (type in the answer)": NoteKind.TYPED,
    "cloze": NoteKind.CLOZE,
    "basic (typed)": NoteKind.TYPED,
    "reversed": NoteKind.REVERSED,
    "typed": NoteKind.TYPED,
}


def read_text(path: Path, shown: str) -> str:
    """The file's text; a byte-order mark is dropped, a byte that is not UTF-8 is reported."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ImportFileError(f"{shown}: cannot read: {error.strerror or error}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise ImportFileError(
            f"{shown}:{line}: not UTF-8 text (byte 0x{raw[error.start]:02x}); save it as UTF-8"
        ) from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise ImportFileError(f"{shown}:{line}: a NUL byte: this is not a text file")
    return text


def kind_of_note_type(name: str) -> NoteKind | None:
    """Our kind for an Anki note type's (English) name, or None for any other note type."""
    return _KINDS.get(name.strip().casefold())
