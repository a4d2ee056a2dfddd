"""Turning the notes read from foreign files into deck files: one file per deck, every card
stamped with an `Id:` derived from its note's identity, checked by reading it back.

Nothing touches the disk here: the plan says what to write, and which of our card keys each
foreign card (and so each of its reviews) becomes. A nested deck `A::B` becomes `A/B.md`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from trainer.core.cards import Kind
from trainer.core.deck_syntax import DeckError
from trainer.core.deck_writer import Entry, safe_id, write_deck_text
from trainer.core.deckfile import parse_deck
from trainer.core.identity import card_key
from trainer.importing.records import Collection, ImportFileError, Note, NoteKind

_KINDS = {
    NoteKind.BASIC: Kind.BASIC,
    NoteKind.REVERSED: Kind.REVERSED,
    NoteKind.TYPED: Kind.TYPED,
    NoteKind.CLOZE: Kind.CLOZE,
}
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')


@dataclass
class PlannedDeck:
    """One deck file to write."""

    path: PurePosixPath
    """Where, relative to the folder the decks go into."""
    name: str
    text: str = ""
    entries: list[Entry] = field(default_factory=list)
    media: dict[str, Mapping[str, bytes]] = field(default_factory=dict)
    """Media files to copy into the `media/` folder beside the deck file, each with the
    collection's media it is read from (when it is written)."""


@dataclass
class Plan:
    """Everything an import writes: deck files, and what the store needs to carry history over."""

    decks: list[PlannedDeck] = field(default_factory=list)
    keys_of: dict[tuple[str, int], list[str]] = field(default_factory=dict)
    """(source file, foreign card id) -> the keys of our cards made from it."""
    suspended: set[str] = field(default_factory=set)
    buried: set[str] = field(default_factory=set)
    flagged: dict[str, int] = field(default_factory=dict)
    kinds: Counter[str] = field(default_factory=Counter)
    """How many cards of each of our kinds."""
    skipped: Counter[str] = field(default_factory=Counter)


def deck_path(name: str) -> PurePosixPath:
    """Where a deck named `A::B` is written: `A/B.md`, each part made safe as a file name."""
    parts = []
    for part in name.split("::"):
        part = _UNSAFE.sub("_", part).strip().strip(".").strip()
        parts.append(part or "_")
    if parts[-1].casefold() == "readme":
        parts[-1] += " deck"  # README.md files are never read as decks
    return PurePosixPath(*parts[:-1], parts[-1] + ".md")


def plan_import(collections: list[Collection], source_of: str = "") -> Plan:
    """The deck files and key mapping for the notes of `collections` (see the module);
    `source_of` names the imported files in each deck's description."""
    plan = Plan()
    decks: dict[str, PlannedDeck] = {}
    used_paths: dict[str, str] = {}
    seen_ids: set[str] = set()
    notes_of: dict[str, list[tuple[Collection, Note]]] = {}
    for collection in collections:
        plan.skipped.update(collection.skipped)
        for note in collection.notes:
            note_id = safe_id(note.guid)
            if note_id in seen_ids:
                plan.skipped["notes repeating an earlier note's question or id"] += 1
                continue
            seen_ids.add(note_id)
            notes_of.setdefault(note.deck or "Default", []).append((collection, note))
    for name, notes in notes_of.items():
        path = deck_path(name)
        while str(path).casefold() in used_paths and used_paths[str(path).casefold()] != name:
            path = path.with_name(path.stem + "_.md")
        used_paths[str(path).casefold()] = name
        deck = decks.setdefault(name, PlannedDeck(path, name))
        for collection, note in notes:
            _add_note(plan, deck, collection, note)
    description = f"Imported from {source_of}." if source_of else ""
    for deck in decks.values():
        deck.text = write_deck_text(deck.name, deck.entries, description)
        _check_reads_back(deck)
        plan.decks.append(deck)
    return plan


def _add_note(plan: Plan, deck: PlannedDeck, collection: Collection, note: Note) -> None:
    note_id = safe_id(note.guid)
    kind = _KINDS[note.kind]
    deck.entries.append(Entry(note_id, kind, note.front, note.back, note.extra, note.tags))
    for card in note.cards:
        key = card_key(note_id, card.side)
        plan.kinds[kind.value] += 1
        if card.foreign_id is not None:
            plan.keys_of.setdefault((collection.source, card.foreign_id), []).append(key)
        if card.suspended:
            plan.suspended.add(key)
        if card.buried:
            plan.buried.add(key)
        if card.flag:
            plan.flagged[key] = card.flag
    for name in note.media:
        if name in collection.media and not name.lower().endswith(".md"):
            deck.media[name] = collection.media


def _check_reads_back(deck: PlannedDeck) -> None:
    """Parse the text about to be written: it must give exactly the planned cards."""
    try:
        parsed = parse_deck(deck.text, Path(deck.path), display_path=str(deck.path))
    except DeckError as error:
        raise ImportFileError(
            f"{deck.path}: the imported deck would not read back: {error.problems[0]}"
        ) from None
    got = {card.key.split(":")[0] for card in parsed.cards}
    missing = [entry.id for entry in deck.entries if entry.id not in got]
    if missing:
        raise ImportFileError(f"{deck.path}: the card with Id {missing[0]} would not read back")
