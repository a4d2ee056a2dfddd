"""Finding deck files on disk and reading the ones that changed."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from trainer.core.cards import Deck
from trainer.core.deckfile import DeckError, Problem, parse_deck_bytes


@dataclass(frozen=True)
class DeckFile:
    """A deck file's bytes as read once: its path, content hash and (when parsed) the deck."""

    path: Path
    content_hash: str
    raw: bytes

    def parse(self) -> Deck:
        """Parse the bytes; raise `DeckError` with every problem."""
        return parse_deck_bytes(self.raw, self.path, display_path=shown_path(self.path))


def shown_path(path: Path) -> str:
    """A path as a person would type it: relative to the working directory when inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def find_deck_files(places: Iterable[Path]) -> list[Path]:
    """Every deck file (`*.md`, READMEs aside) in the given folders and files, resolved and sorted.

    A place that does not exist raises `DeckError`, so a mistyped `--decks` is reported, not
    silently read as an empty collection.
    """
    found: set[Path] = set()
    problems = []
    for place in places:
        place = Path(place)
        if place.is_dir():
            found.update(
                path.resolve()
                for path in place.rglob("*.md")
                if path.name.lower() != "readme.md" and path.is_file()
            )
        elif place.is_file():
            found.add(place.resolve())
        else:
            problems.append(Problem(str(place), 0, "no such deck file or folder"))
    if problems:
        raise DeckError(problems)
    return sorted(found)


def read_deck_file(path: Path) -> DeckFile:
    """Read a deck file's bytes and hash them; an unreadable file raises `DeckError`."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        reason = error.strerror or str(error)
        raise DeckError(
            [Problem(shown_path(path), 0, f"cannot read deck file: {reason}")]
        ) from None
    return DeckFile(path, hashlib.blake2b(raw, digest_size=16).hexdigest(), raw)
