"""Reading Anki packages (`.apkg` in both layouts, `.colpkg`) into plain records.

Note types map to our card kinds by what they are, not by their (translatable) names: Anki
records each note type's original stock kind (Basic, Basic and reversed, optional reversed,
typing, cloze); older packages and note types made by other tools are matched by their English
stock name, and a cloze note type by its cloze flag. Any other note type gives its first two
fields as question and answer, and the summary says so.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from trainer.importing.anki_package import Package, open_package, protobuf_fields
from trainer.importing.html_text import cloze_text, field_text, plain_tags
from trainer.importing.records import (
    Collection,
    ImportFileError,
    Note,
    NoteCard,
    NoteKind,
    Review,
)

BASIC, REVERSED, OPTIONAL_REVERSED, TYPING, CLOZE, IMAGE_OCCLUSION = 1, 2, 3, 4, 5, 6
"""Anki's `OriginalStockKind` numbers."""
_STOCK_NAMES = {
    "basic": BASIC,
    "basic (and reversed card)": REVERSED,
    "basic (optional reversed card)": OPTIONAL_REVERSED,
    "basic (type in the answer)": TYPING,
    "cloze": CLOZE,
    "image occlusion": IMAGE_OCCLUSION,
}
_RENAMED = re.compile(r"(\+|-[0-9a-f]{5}| \(genanki\))+$")
_ANSWERS = (0, 1, 2, 3)
"""revlog types that are answers: learning, review, relearning, filtered deck. Types 4 and 5
are a reschedule or a manual change, not an answer."""


@dataclass(frozen=True)
class NoteType:
    """What the importer needs of an Anki note type."""

    name: str
    stock: int
    """The stock kind it is (one of the numbers above), or 0 for any other."""
    fields: tuple[str, ...]


def read_anki_package(path: Path, shown: str | None = None) -> Collection:
    """Every note, card state, review and media file of the Anki package at `path`."""
    shown = shown or str(path)
    package = open_package(path, shown)
    try:
        return _collection(package, shown)
    except sqlite3.DatabaseError as error:
        raise ImportFileError(f"{shown}: the collection is damaged ({error})") from None
    finally:
        package.db.close()


def _collection(package: Package, shown: str) -> Collection:
    db = package.db
    kind = "Anki collection" if package.layout != "collection.anki2" else "Anki package (legacy)"
    collection = Collection(shown, f"{kind} ({package.layout})", media=package.media)
    modern = _has_table(db, "notetypes") and db.execute("SELECT 1 FROM notetypes").fetchone()
    note_types = _modern_note_types(db) if modern else _legacy_note_types(db)
    decks = _modern_decks(db) if modern else _legacy_decks(db)
    cards_of: dict[int, list[tuple[int, int, int, int, int]]] = {}
    for card_id, note_id, deck_id, ordinal, queue, flags, original_deck in db.execute(
        "SELECT id, nid, did, ord, queue, flags, odid FROM cards ORDER BY nid, ord"
    ):
        cards_of.setdefault(note_id, []).append(
            (card_id, original_deck or deck_id, ordinal, queue, flags)
        )
    imported: set[int] = set()
    used: set[str] = set()
    for note_id, guid, type_id, tags, fields in db.execute(
        "SELECT id, guid, mid, tags, flds FROM notes ORDER BY id"
    ):
        note_type = note_types.get(type_id)
        if note_type is None:
            raise ImportFileError(
                f"{shown}: note {note_id} uses note type {type_id}, which the package lacks"
            )
        values = str(fields).split("\x1f")
        cards = cards_of.get(note_id, [])
        if not cards:
            collection.skip("notes without cards")
            continue
        deck = decks.get(cards[0][1], "Default")
        note_media: set[str] = set()
        note = _note(
            collection, note_type, str(guid), deck, values, plain_tags(tags), cards, note_media
        )
        used |= note_media
        if note is not None:
            note = replace(note, media=tuple(sorted(note_media)))
            collection.notes.append(note)
            imported.update(card.foreign_id for card in note.cards if card.foreign_id)
    missing = len(used - set(collection.media))
    if missing:
        collection.skip("media files the notes refer to but the package lacks", missing)
    for card_id, at, ease, duration, kind_of in db.execute(
        "SELECT cid, id, ease, time, type FROM revlog ORDER BY id"
    ):
        if kind_of not in _ANSWERS or not 1 <= ease <= 4:
            collection.skip("review-log entries that were reschedules, not answers")
        elif card_id not in imported:
            collection.skip("reviews of cards not imported")
        else:
            collection.reviews.append(Review(card_id, int(at), int(ease), max(0, int(duration))))
    return collection


def _note(
    collection: Collection,
    note_type: NoteType,
    guid: str,
    deck: str,
    values: list[str],
    tags: tuple[str, ...],
    cards: list[tuple[int, int, int, int, int]],
    used: set[str],
) -> Note | None:
    """One Anki note as a record, or None (counted as skipped) if it cannot be a card."""
    stock = note_type.stock
    if stock == IMAGE_OCCLUSION:
        collection.skip("image occlusion notes (no text to ask)")
        return None
    if len(values) < min(2, len(note_type.fields)):
        raise ImportFileError(
            f"{collection.source}: a note of {note_type.name!r} has {len(values)} field(s); "
            f"its note type has {len(note_type.fields)}"
        )
    states = {ordinal: (card_id, queue, flags) for card_id, _, ordinal, queue, flags in cards}

    def card(side: str | None, ordinal: int) -> NoteCard:
        card_id, queue, flags = states.get(ordinal, (None, 0, 0))
        return NoteCard(side, card_id, queue == -1, queue in (-2, -3), flags & 7)

    common: dict[str, Any] = {"guid": guid, "deck": deck, "tags": tags}
    common["note_type"] = note_type.name
    if stock == CLOZE:
        text, numbers = cloze_text(values[0], used)
        if not numbers:
            collection.skip("cloze notes with no deletion")
            return None
        sides = tuple(
            card(f"c{position}", number - 1) for position, number in enumerate(numbers, 1)
        )
        extra = field_text(values[1], used) if len(values) > 1 else ""
        return Note(kind=NoteKind.CLOZE, front=text, extra=extra, cards=tuple(sides), **common)
    if len(values) < 2:
        collection.skip(f"notes of {note_type.name!r} with fewer than two fields")
        return None
    front, back = field_text(values[0], used), field_text(values[1], used)
    if stock == 0:
        collection.approximated[note_type.name] = collection.approximated.get(note_type.name, 0) + 1
    # Fields past the stock ones (a `Note` field, as `trainer export` writes) become the note.
    rest = [field_text(value, used) for value in values[3 if stock == OPTIONAL_REVERSED else 2 :]]
    extra = "\n\n".join(value for value in rest if value)
    if not front or not back:
        collection.skip("notes with an empty question or answer")
        return None
    reverse = stock == REVERSED or (
        stock == OPTIONAL_REVERSED and len(values) > 2 and field_text(values[2], set()) != ""
    )
    if reverse:
        pair = (card(None, 0), card("reverse", 1))
        kind = NoteKind.REVERSED
        return Note(kind=kind, front=front, back=back, extra=extra, cards=pair, **common)
    if stock == TYPING:
        typed = " ".join(back.split())
        only = (card(None, 0),)
        return Note(kind=NoteKind.TYPED, front=front, back=typed, extra=extra, cards=only, **common)
    kind = NoteKind.BASIC
    return Note(kind=kind, front=front, back=back, extra=extra, cards=(card(None, 0),), **common)


def _has_table(db: sqlite3.Connection, name: str) -> bool:
    row = db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [name])
    return row.fetchone() is not None


def _stock(name: str, original: int, cloze: bool) -> int:
    if cloze:
        return IMAGE_OCCLUSION if original == IMAGE_OCCLUSION else CLOZE
    if original in (BASIC, REVERSED, OPTIONAL_REVERSED, TYPING):
        return original
    # Anki renames a note type whose name is taken on import: `Basic+`, `Basic-1a2b3`.
    plain = _RENAMED.sub("", name.strip()).casefold()
    stock = _STOCK_NAMES.get(plain, 0)
    return 0 if stock in (CLOZE, IMAGE_OCCLUSION) else stock


def _modern_note_types(db: sqlite3.Connection) -> dict[int, NoteType]:
    fields: dict[int, list[str]] = {}
    for type_id, name in db.execute("SELECT ntid, name FROM fields ORDER BY ntid, ord"):
        fields.setdefault(type_id, []).append(str(name))
    types = {}
    for type_id, name, config in db.execute("SELECT id, name, config FROM notetypes"):
        values = dict(protobuf_fields(bytes(config)))
        cloze = values.get(1) == 1
        original = values.get(9, 0)
        stock = _stock(str(name), original if isinstance(original, int) else 0, cloze)
        types[type_id] = NoteType(str(name), stock, tuple(fields.get(type_id, ())))
    return types


def _legacy_note_types(db: sqlite3.Connection) -> dict[int, NoteType]:
    row = db.execute("SELECT models FROM col").fetchone()
    models = json.loads(row[0]) if row and row[0] else {}
    types = {}
    for model in models.values():
        name = str(model.get("name", ""))
        cloze = model.get("type") == 1
        stock = _stock(name, int(model.get("originalStockKind") or 0), cloze)
        names = tuple(str(field.get("name", "")) for field in model.get("flds", ()))
        types[int(model["id"])] = NoteType(name, stock, names)
    return types


def _modern_decks(db: sqlite3.Connection) -> dict[int, str]:
    return {
        int(deck_id): str(name).replace("\x1f", "::")
        for deck_id, name in db.execute("SELECT id, name FROM decks")
    }


def _legacy_decks(db: sqlite3.Connection) -> dict[int, str]:
    row = db.execute("SELECT decks FROM col").fetchone()
    decks = json.loads(row[0]) if row and row[0] else {}
    return {int(deck["id"]): str(deck.get("name", "Default")) for deck in decks.values()}
