"""Opening an Anki package (`.apkg`, `.colpkg`): the collection's SQLite database and its media.

Three layouts exist, told apart by the zip's members rather than the file's extension:
- current (Anki 2.1.50 and later): `collection.anki21b`, a zstd-compressed SQLite database with
  `notetypes`, `fields`, `templates` and `decks` tables; `media` is a zstd-compressed protobuf
  list whose n-th entry names the zip member `n`, itself zstd-compressed; a `meta` member.
- legacy 2 (`collection.anki21`) and legacy 1 (`collection.anki2`): plain SQLite with the note
  types and decks as JSON in the `col` table; `media` is a JSON map `{"0": "name"}`.
A current package also holds a stub `collection.anki2` asking for a newer Anki: never read it
when `collection.anki21b` is there.
"""

from __future__ import annotations

import json
import sqlite3
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from trainer.importing.records import ImportFileError

_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
COLLECTIONS = ("collection.anki21b", "collection.anki21", "collection.anki2")
"""Collection members, most recent layout first."""


class PackageMedia(Mapping[str, bytes]):
    """The package's media files by name, each read from the zip only when asked for: a
    collection's media can be far larger than its notes, and most imports copy only some."""

    def __init__(self, path: Path, shown: str, members: dict[str, str]) -> None:
        self._path, self._shown, self._members = path, shown, members

    def __getitem__(self, name: str) -> bytes:
        member = self._members[name]
        try:
            with zipfile.ZipFile(self._path) as archive:
                return _media_file(archive.read(member))
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
            raise ImportFileError(
                f"{self._shown}: media file {name!r} is damaged ({error})"
            ) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._members)

    def __len__(self) -> int:
        return len(self._members)


@dataclass
class Package:
    """An opened package: the collection database (in memory) and the media by name."""

    db: sqlite3.Connection
    layout: str
    """The collection member that was read."""
    media: Mapping[str, bytes]


def is_anki_package(path: Path) -> bool:
    """Whether the file is a zip holding an Anki collection."""
    try:
        with zipfile.ZipFile(path) as archive:
            return any(name in COLLECTIONS for name in archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return False


def _unzstd(data: bytes) -> bytes:
    import zstandard  # loaded only for packages in the current layout

    # A streaming reader: Anki writes frames without the content size in the header.
    try:
        return zstandard.ZstdDecompressor().decompressobj().decompress(data)
    except zstandard.ZstdError as error:
        raise ValueError(f"not zstd data: {error}") from None


def open_package(path: Path, shown: str) -> Package:
    """Open the package at `path`; raise `ImportFileError` (`FILE: what is wrong`) if unusable."""
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise ImportFileError(
            f"{shown}: not a valid zip file (corrupt or not an Anki package)"
        ) from None
    except OSError as error:
        raise ImportFileError(f"{shown}: cannot read: {error.strerror or error}") from None
    with archive:
        names = set(archive.namelist())
        layout = next((name for name in COLLECTIONS if name in names), None)
        if layout is None:
            raise ImportFileError(
                f"{shown}: no Anki collection in the package (expected collection.anki21b, "
                "collection.anki21 or collection.anki2)"
            )
        try:
            data = archive.read(layout)
            if layout.endswith("b") or data.startswith(_ZSTD_MAGIC):
                data = _unzstd(data)
            media_names = _media_map(archive.read("media")) if "media" in names else {}
            members = {name: member for member, name in media_names.items() if member in names}
            media = PackageMedia(path, shown, members)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
            raise ImportFileError(f"{shown}: the package is damaged ({error})") from None
    if data[18:20] == b"\x02\x02":
        # A database saved in WAL mode cannot be opened from memory: mark it as rollback-journal.
        data = data[:18] + b"\x01\x01" + data[20:]
    db = sqlite3.connect(":memory:")
    try:
        db.deserialize(data)
        db.execute("SELECT count(*) FROM notes").fetchone()
    except sqlite3.DatabaseError:
        raise ImportFileError(
            f"{shown}: {layout} inside is not an Anki collection database"
        ) from None
    return Package(db, layout, media)


def _media_file(data: bytes) -> bytes:
    return _unzstd(data) if data.startswith(_ZSTD_MAGIC) else data


def _media_map(data: bytes) -> dict[str, str]:
    """Zip member -> media file name, from either layout's `media` member."""
    if data.startswith(_ZSTD_MAGIC):
        names: dict[str, str] = {}
        for index, (number, entry) in enumerate(protobuf_fields(_unzstd(data))):
            if number != 1 or not isinstance(entry, bytes):
                continue
            fields = dict(protobuf_fields(entry))
            member = fields.get(255)
            name = fields.get(1)
            if isinstance(name, bytes):
                key = member.decode() if isinstance(member, bytes) else str(index)
                names[key] = name.decode("utf-8", "replace")
        return names
    try:
        loaded = json.loads(data or b"{}")
    except ValueError as error:
        raise ValueError(f"media list: {error}") from None
    return {str(member): str(name) for member, name in loaded.items()}


def protobuf_fields(data: bytes) -> Iterator[tuple[int, int | bytes]]:
    """The (field number, value) pairs of a protobuf message, without its schema.

    Enough for the few values read from Anki's config blobs: integers and byte strings.
    """
    position, end = 0, len(data)

    def varint() -> int:
        nonlocal position
        shift = value = 0
        while True:
            if position >= end:
                raise ValueError("truncated protobuf")
            byte = data[position]
            position += 1
            value |= (byte & 0x7F) << shift
            if byte < 0x80:
                return value
            shift += 7

    while position < end:
        tag = varint()
        number, wire = tag >> 3, tag & 7
        if wire == 0:
            yield number, varint()
        elif wire == 2:
            size = varint()
            yield number, data[position : position + size]
            position += size
        elif wire == 1:
            position += 8
        elif wire == 5:
            position += 4
        else:
            raise ValueError(f"unknown protobuf wire type {wire}")
