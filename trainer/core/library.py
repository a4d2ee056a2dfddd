"""Finding deck files on disk and reading the ones that changed."""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from xxhash import xxh3_128_hexdigest

from trainer.core.cards import Deck
from trainer.core.deckfile import (
    DeckError,
    DeckMarks,
    Problem,
    decode_deck,
    parse_deck_bytes,
    parse_deck_entries,
)


@dataclass(frozen=True)
class DeckFile:
    """A deck file's bytes as read once: its path, content hash and (when parsed) the deck."""

    path: Path
    content_hash: str
    raw: bytes
    stamp: str = ""
    """The file's size and modification time when it was read (see `file_stamp`)."""

    def parse(self) -> Deck:
        """Parse the bytes; raise `DeckError` with every problem."""
        return parse_deck_bytes(self.raw, self.path, display_path=shown_path(self.path))

    def parse_entries(self) -> tuple[Deck, DeckMarks | None]:
        """Parse the bytes as `parse` does, with where each entry begins (`parse_deck_entries`)."""
        shown = shown_path(self.path)
        return parse_deck_entries(decode_deck(self.raw, shown), self.path, display_path=shown)


def shown_path(path: Path) -> str:
    """A path as a person would type it: relative to the working directory when inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def find_deck_files(places: Iterable[Path]) -> list[Path]:
    """Every deck file (`*.md`, READMEs aside) in the given folders and files, resolved and sorted.

    A place that does not exist raises `DeckError`, so a mistyped `--decks` is reported, not
    silently read as an empty collection; so does a folder inside it that cannot be listed,
    whose decks would otherwise vanish from the collection without a word.
    """
    found: set[Path] = set()
    problems: list[Problem] = []
    for place in places:
        place = Path(place)
        if place.is_dir():
            found.update(_folder_decks(place, problems))
        elif place.is_file():
            found.add(place.resolve())
        else:
            problems.append(Problem(str(place), 0, "no such deck file or folder"))
    if problems:
        raise DeckError(problems)
    return sorted(found)


def _folder_decks(folder: Path, problems: list[Problem]) -> Iterable[Path]:
    """The deck files under `folder`, each folder that cannot be listed added to `problems`."""

    def unreadable(error: OSError) -> None:
        where = shown_path(Path(error.filename)) if error.filename else shown_path(folder)
        reason = error.strerror or str(error)
        problems.append(Problem(where, 0, f"cannot read deck folder: {reason}"))

    # As `Path.rglob` did: linked folders are not followed (a link to a parent would loop).
    for top, folders, files in os.walk(folder, onerror=unreadable):
        folders.sort()
        for name in files:
            path = Path(top) / name
            if name.endswith(".md") and name.lower() != "readme.md" and path.is_file():
                yield path.resolve()


def file_stamp(path: Path | str) -> str:
    """Size and modification time, as git's index keeps them: if they match what was recorded
    when the file was last hashed, the file has not changed and need not be read again."""
    return _stamp(os.stat(path))


def _stamp(status: os.stat_result) -> str:
    return f"{status.st_size}:{status.st_mtime_ns}"


RACY_SECONDS = 2
"""A file modified this recently gets no stamp: a further edit could keep its size and time."""


def read_deck_file(path: Path) -> DeckFile:
    """Read a deck file's bytes and hash them; an unreadable file raises `DeckError`."""
    try:
        # Stamped before reading: an edit made while reading leaves a stale stamp (its time is
        # not the file's then), so the next sync reads the file again rather than missing it.
        status = os.stat(path)
        stamp = _stamp(status)
        raw = path.read_bytes()
        if time.time() - status.st_mtime < RACY_SECONDS:
            # Another edit within the file system's timestamp granularity would leave size and
            # time unchanged; like git with a "racily clean" file, trust only the hash for now.
            stamp = ""
    except OSError as error:
        reason = error.strerror or str(error)
        raise DeckError(
            [Problem(shown_path(path), 0, f"cannot read deck file: {reason}")]
        ) from None
    return DeckFile(path, xxh3_128_hexdigest(raw), raw, stamp)
