"""Anki files made by the real tools, for the import and export tests: a collection built with
the `anki` package (every stock note type, a note type of its own, nested decks, media, reviews
answered through Anki's scheduler, suspended, buried and flagged cards) exported in every layout,
and a legacy package made with genanki. Nothing binary is kept in the repository."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PNG = b"\x89PNG\r\n\x1a\nnot really a picture"


@dataclass(frozen=True)
class AnkiFiles:
    """The exports of one collection, and what the collection held."""

    current: Path
    """`.apkg` in the current layout (collection.anki21b, zstd)."""
    legacy: Path
    """`.apkg` in the legacy layout (collection.anki21)."""
    colpkg: Path
    notes_text: Path
    answers: int
    """How many answers the revlog holds."""
    cloze_reviews: int
    """Answers given to the first cloze deletion."""


def make_anki_files(folder: Path) -> AnkiFiles:
    """Build the collection in `folder` and export it every way Anki can."""
    from anki.collection import Collection, ExportAnkiPackageOptions

    folder.mkdir(parents=True, exist_ok=True)
    col = Collection(str(folder / "collection.anki2"))
    col.media.write_data("pic one.png", PNG)
    col.media.write_data("say.mp3", b"ID3 sound")
    capitals = col.decks.id("Geo::Capitals")
    words = col.decks.id("Words")
    assert capitals is not None and words is not None

    def add(type_name: str, deck: int, *values: str, tags: tuple[str, ...] = ()) -> int:
        note = col.new_note(col.models.by_name(type_name))
        for index, value in enumerate(values):
            note.fields[index] = value
        note.tags = list(tags)
        col.add_note(note, deck)
        return note.id

    add("Basic", capitals, "Capital of <b>France</b>?", "Paris &amp; <i>nothing</i> else",
        tags=("geo", "europe::west"))  # fmt: skip
    add("Basic (and reversed card)", words, "chien", "dog<br>(animal)")
    add("Basic (optional reversed card)", words, "chat", "cat", "y")
    add("Basic (optional reversed card)", words, "oiseau", "bird", "")
    add("Basic (type in the answer)", words, "Two plus two?", "<div>4</div>")
    cloze = add("Cloze", capitals,
                "{{c1::Berlin::city}} is the capital of {{c2::Germany}} [since 1990]",
                "Reunified <img src=\"pic one.png\">")  # fmt: skip
    add("Basic", capitals, "Hear it", "[sound:say.mp3]")
    vocab = col.models.copy(col.models.by_name("Basic"))
    vocab["name"] = "Vocabulary"
    col.models.add_field(vocab, col.models.new_field("Example"))
    col.models.save(vocab)
    add("Vocabulary", words, "Haus", "house", "Das Haus ist groß.")
    answers = 0
    for card_id in list(col.find_cards("deck:Words")) + list(col.find_cards("deck:Geo*")):
        for ease in (3, 3, 1, 3):
            card = col.get_card(card_id)
            card.start_timer()
            col.sched.answerCard(card, ease)
            answers += 1
    first_deletion = next(
        card_id for card_id in col.card_ids_of_note(cloze) if col.get_card(card_id).ord == 0
    )
    second_deletion = next(
        card_id for card_id in col.card_ids_of_note(cloze) if col.get_card(card_id).ord == 1
    )
    col.sched.suspend_cards([first_deletion])
    col.sched.bury_cards([second_deletion])
    col.set_user_flag_for_cards(1, col.find_cards("chien"))
    current, legacy = folder / "current.apkg", folder / "legacy.apkg"
    for path, is_legacy in ((current, False), (legacy, True)):
        col.export_anki_package(
            out_path=str(path),
            options=ExportAnkiPackageOptions(
                with_scheduling=True, with_deck_configs=True, with_media=True, legacy=is_legacy
            ),
            limit=None,
        )
    notes_text = folder / "notes.txt"
    col.export_note_csv(
        out_path=str(notes_text), limit=None, with_html=True, with_tags=True, with_deck=True,
        with_notetype=True, with_guid=True,
    )  # fmt: skip
    colpkg = folder / "backup.colpkg"
    col.export_collection_package(str(colpkg), include_media=True, legacy=False)
    col.close()
    return AnkiFiles(current, legacy, colpkg, notes_text, answers, 4)


def make_genanki_package(path: Path) -> Path:
    """A legacy package as genanki writes it, with a note type of its own."""
    import genanki

    model = genanki.Model(
        1607392319,
        "Simple Model",
        fields=[{"name": "Question"}, {"name": "Answer"}],
        templates=[{"name": "Card 1", "qfmt": "{{Question}}", "afmt": "{{Answer}}"}],
    )
    deck = genanki.Deck(2059400110, "Country Capitals")
    deck.add_note(genanki.Note(model=model, fields=["Capital of Argentina", "Buenos Aires"]))
    deck.add_note(genanki.Note(model=model, fields=["Capital of Peru", "Lima"], tags=["andes"]))
    basic = genanki.Note(model=genanki.CLOZE_MODEL, fields=["{{c1::Quito}} is in Ecuador", ""])
    deck.add_note(basic)
    genanki.Package(deck).write_to_file(str(path))
    return path
