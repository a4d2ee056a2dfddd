"""Plain records that every foreign format is read into: notes, their cards, reviews and media.

Readers (`anki`, `anki_text`, `quizlet`, `csv_deck`) return one `Collection`; the deck writer
(`trainer.core.deck_writer`) turns its notes into deck files and the store
(`trainer.store.collection_import`) writes its history. Nothing here knows a file format.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class ImportFileError(Exception):
    """A file that cannot be imported, as one line: `FILE: message` or `FILE:LINE: message`."""


class NoteKind(StrEnum):
    """What a foreign note becomes in our deck format."""

    BASIC = "basic"
    REVERSED = "reversed"
    TYPED = "typed"
    CLOZE = "cloze"


@dataclass(frozen=True)
class NoteCard:
    """One card of a foreign note, with the state it had there."""

    side: str | None
    """Which of our cards it is: None (the front), `reverse`, or a cloze number `c1`, `c2`..."""
    foreign_id: int | None = None
    """The card's id in the other app (Anki's `cards.id`), to match its reviews."""
    suspended: bool = False
    buried: bool = False
    flag: int = 0
    """Anki's flag colour (0 none, 1 red ... 7 purple)."""


@dataclass(frozen=True)
class Note:
    """One note: what becomes a card entry in a deck file."""

    guid: str
    """A stable identity in the other app (Anki's note GUID), or one derived from the text."""
    deck: str
    """The deck's name, nested decks joined with `::` as Anki writes them."""
    kind: NoteKind
    front: str
    """Question, or for a cloze the text with Anki's `{{c1::...}}` deletions (Markdown text)."""
    back: str = ""
    """Answer (the typed answer for typed cards); the cloze's extra text goes in `extra`."""
    extra: str = ""
    """Text shown after the answer (Anki's Back Extra, further fields of other note types)."""
    tags: tuple[str, ...] = ()
    cards: tuple[NoteCard, ...] = ()
    note_type: str = ""
    """The note type's name in the other app, for the summary."""
    line: int = 0
    """Where the note starts in a text file (0 for packages)."""
    media: tuple[str, ...] = ()
    """The media files its text refers to."""


@dataclass(frozen=True)
class Review:
    """One answer given in the other app."""

    foreign_card: int
    at_ms: int
    rating: int
    """1 Again, 2 Hard, 3 Good, 4 Easy."""
    duration_ms: int = 0


@dataclass
class Collection:
    """Everything read from one foreign file."""

    source: str
    """The file, as shown in messages."""
    format: str
    """What it was recognised as, for the summary (`Anki package`, `CSV`...)."""
    notes: list[Note] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    media: Mapping[str, bytes] = field(default_factory=dict)
    """Media files by name, as the notes refer to them (read when first asked for)."""
    skipped: dict[str, int] = field(default_factory=dict)
    """Why things were left out, with how many (`3 notes: empty answer`)."""
    approximated: dict[str, int] = field(default_factory=dict)
    """Note types imported as their first two fields, with how many notes."""

    def skip(self, reason: str, count: int = 1) -> None:
        """Count something left out, with the reason the summary gives."""
        self.skipped[reason] = self.skipped.get(reason, 0) + count
