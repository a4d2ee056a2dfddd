"""Writing Anki notes (`anki_export.AnkiNote`) as an `.apkg` package or as Anki's notes text.

The package is made with genanki (legacy collection layout, which every Anki since 2.1 opens,
Anki 26 included); its note types have fixed ids, so exporting again updates the same note
types in Anki instead of adding copies.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Sequence
from pathlib import Path

from trainer.importing.anki_export import BASIC, CLOZE, FIELDS, REVERSED, TYPED, AnkiNote

_CSS = ".card { font-family: arial; font-size: 20px; text-align: center; }"
_TEMPLATES = {
    BASIC: [("Card 1", "{{Front}}", "{{FrontSide}}<hr id=answer>{{Back}}<br>{{Note}}")],
    REVERSED: [
        ("Card 1", "{{Front}}", "{{FrontSide}}<hr id=answer>{{Back}}<br>{{Note}}"),
        ("Card 2", "{{Back}}", "{{FrontSide}}<hr id=answer>{{Front}}<br>{{Note}}"),
    ],
    TYPED: [
        (
            "Card 1",
            "{{Front}}<br>{{type:Back}}",
            "{{Front}}<hr id=answer>{{type:Back}}<br>{{Note}}",
        )
    ],
    CLOZE: [("Cloze", "{{cloze:Text}}", "{{cloze:Text}}<br>{{Back Extra}}")],
}


def _stable_id(text: str) -> int:
    """A fixed 31-bit id for a note type or deck name: the same on every export."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=4).digest()) >> 1 | 1 << 30


def write_apkg(notes: Sequence[AnkiNote], path: Path) -> None:
    """Write `notes` as an Anki package at `path` (one Anki deck per deck name)."""
    import genanki  # loaded only by `trainer export`

    models = {}
    for name, templates in _TEMPLATES.items():
        models[name] = genanki.Model(
            _stable_id(f"trainer note type {name}"),
            name,
            fields=[{"name": field} for field in FIELDS[name]],
            templates=[{"name": t, "qfmt": q, "afmt": a} for t, q, a in templates],
            css=_CSS,
            model_type=genanki.Model.CLOZE if name == CLOZE else genanki.Model.FRONT_BACK,
        )
    decks: dict[str, genanki.Deck] = {}
    media: set[str] = set()
    for note in notes:
        deck = decks.get(note.deck)
        if deck is None:
            deck = decks[note.deck] = genanki.Deck(
                _stable_id(f"trainer deck {note.deck}"), note.deck
            )
        deck.add_note(
            genanki.Note(
                model=models[note.note_type],
                fields=list(note.fields),
                tags=list(note.tags),
                guid=note.guid,
            )
        )
        media.update(str(file) for file in note.media)
    package = genanki.Package(list(decks.values()), media_files=sorted(media))
    package.write_to_file(str(path))


def notes_text(notes: Sequence[AnkiNote], separator: str) -> str:
    """`notes` in Anki's notes text format, with the headers Anki's own export writes."""
    width = max((len(FIELDS[note.note_type]) for note in notes), default=2)
    names = {"\t": "tab", ",": "comma", ";": "semicolon"}
    out = io.StringIO()
    out.write(f"#separator:{names.get(separator, separator)}\n#html:true\n")
    out.write(f"#guid column:1\n#notetype column:2\n#deck column:3\n#tags column:{width + 4}\n")
    writer = csv.writer(out, delimiter=separator, lineterminator="\n")
    for note in notes:
        fields = list(note.fields) + [""] * (width - len(note.fields))
        writer.writerow([note.guid, note.note_type, note.deck, *fields, " ".join(note.tags)])
    return out.getvalue()
