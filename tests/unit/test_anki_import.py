"""`trainer import` on Anki's own files: packages in both layouts, collection backups and the
notes text export, all made by Anki itself in the test; and bad packages refused whole."""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

import pytest
from anki_collections import AnkiFiles, make_anki_files, make_genanki_package
from click.testing import CliRunner, Result

from trainer import schedule
from trainer.cli import cli
from trainer.core.cards import Kind
from trainer.core.deckfile import load_deck
from trainer.core.grading import Rating
from trainer.core.progress import from_millis


@pytest.fixture(scope="session")
def anki_files(tmp_path_factory: pytest.TempPathFactory) -> AnkiFiles:
    return make_anki_files(tmp_path_factory.mktemp("anki"))


def run(tmp_path: Path, *args: str) -> Result:
    decks = tmp_path / "decks"
    decks.mkdir(exist_ok=True)
    return CliRunner().invoke(
        cli, ["--db", str(tmp_path / "p.db"), "--decks", str(decks), "import", *args,
              "--into", str(decks)],
    )  # fmt: skip


def rows(tmp_path: Path, query: str) -> list[tuple]:
    with sqlite3.connect(tmp_path / "p.db") as conn:
        return conn.execute(query).fetchall()


@pytest.mark.parametrize("layout", ["current", "legacy", "colpkg"])
def test_a_package_becomes_deck_files_with_its_history(
    anki_files: AnkiFiles, tmp_path: Path, layout: str
) -> None:
    package = {"current": anki_files.current, "legacy": anki_files.legacy,
               "colpkg": anki_files.colpkg}[layout]  # fmt: skip
    result = run(tmp_path, str(package))
    assert result.exit_code == 0, result.output
    assert "2 decks" in result.output and "44 reviews" in result.output
    assert "4 basic, 2 cloze, 4 reversed, 1 typed" in result.output
    capitals = load_deck(tmp_path / "decks" / "Geo" / "Capitals.md")
    words = load_deck(tmp_path / "decks" / "Words.md")
    assert capitals.name == "Geo::Capitals" and words.name == "Words"
    by_prompt = {card.prompt: card for card in capitals.cards + words.cards}
    assert by_prompt["Capital of **France**?"].answer == "Paris & *nothing* else"
    assert by_prompt["Capital of **France**?"].tags == ("europe::west", "geo")
    assert by_prompt["dog\n(animal)"].kind is Kind.REVERSED  # the reversed side
    assert by_prompt["chat"].kind is Kind.REVERSED and by_prompt["cat"].answer == "chat"
    assert by_prompt["oiseau"].kind is Kind.BASIC  # optional reverse left empty
    assert by_prompt["Two plus two?"].accepted == ("4",)
    assert by_prompt["Haus"].note == "Das Haus ist groß."
    cloze = [card for card in capitals.cards if card.kind is Kind.CLOZE]
    assert [(card.answer, card.hint) for card in cloze] == [("Berlin", "city"), ("Germany", "")]
    assert cloze[0].prompt == "[...] is the capital of Germany [since 1990]"
    assert "![pic one.png](<media/pic one.png>)" in cloze[0].note
    assert by_prompt["Hear it"].answer == "[sound: say.mp3](media/say.mp3)"
    assert (
        (tmp_path / "decks" / "Geo" / "media" / "pic one.png").read_bytes().startswith(b"\x89PNG")
    )
    assert (tmp_path / "decks" / "Geo" / "media" / "say.mp3").exists()
    # Every answer is logged with the state before it, and the card ends where replay puts it.
    assert rows(tmp_path, "SELECT count(*) FROM reviews WHERE mode = 'import'") == [(44,)]
    for card_id, key in rows(tmp_path, "SELECT id, key FROM cards WHERE reps > 0"):
        logged = rows(tmp_path, f"SELECT rating, reviewed_at, state_before, stability_before "
                                f"FROM reviews WHERE card_id = {card_id} ORDER BY reviewed_at")  # fmt: skip
        answers = [(Rating(rating), from_millis(at)) for rating, at, _, _ in logged]
        replayed = list(schedule.replay(schedule.card_seed(key), answers, capitals.schedule))
        assert [state for _, _, state, _ in logged] == [int(b.state) for b, _ in replayed]
        final = rows(tmp_path, f"SELECT state, stability, reps FROM cards WHERE id = {card_id}")
        after = replayed[-1][1]
        assert final == [(int(after.state), pytest.approx(after.stability), 4)], key
    assert rows(tmp_path, "SELECT key FROM cards WHERE suspended = 1") == [(cloze[0].key,)]
    # Anki's red flag on the "chien" card is trainer's flag 1.
    assert rows(tmp_path, "SELECT prompt, flag FROM cards WHERE flag > 0") == [
        (prompt, 1)
        for (prompt,) in rows(
            tmp_path,
            "SELECT prompt FROM cards WHERE prompt LIKE '%chien%' OR answer LIKE '%chien%'",
        )
    ]
    assert rows(tmp_path, "SELECT count(*) FROM cards WHERE flag > 0") != [(0,)]


def test_importing_again_updates_and_adds_no_reviews(anki_files: AnkiFiles, tmp_path: Path) -> None:
    assert run(tmp_path, str(anki_files.current)).exit_code == 0
    deck_text = (tmp_path / "decks" / "Words.md").read_text()
    again = run(tmp_path, str(anki_files.legacy))  # the same notes, the other layout
    assert again.exit_code == 0, again.output
    assert "0 reviews" in again.output and "44 reviews already imported" in again.output
    assert (tmp_path / "decks" / "Words.md").read_text() == deck_text.replace(
        "current.apkg", "legacy.apkg"
    )
    assert rows(tmp_path, "SELECT count(*) FROM reviews") == [(44,)]
    assert rows(tmp_path, "SELECT count(*) FROM cards WHERE retired = 0") == [(11,)]


def test_rewording_an_imported_card_keeps_its_progress(
    anki_files: AnkiFiles, tmp_path: Path
) -> None:
    assert run(tmp_path, str(anki_files.current)).exit_code == 0
    words = tmp_path / "decks" / "Words.md"
    words.write_text(words.read_text().replace("Q: Two plus two?", "Q: What is 2 + 2?"))
    result = CliRunner().invoke(
        cli, ["--db", str(tmp_path / "p.db"), "--decks", str(words), "decks"]
    )
    assert result.exit_code == 0, result.output
    assert rows(tmp_path, "SELECT reps FROM cards WHERE prompt = 'What is 2 + 2?'") == [(4,)]


def test_anki_notes_text_export(anki_files: AnkiFiles, tmp_path: Path) -> None:
    result = run(tmp_path, str(anki_files.notes_text))
    assert result.exit_code == 0, result.output
    assert "4 basic, 2 cloze, 4 reversed, 1 typed" in result.output
    assert "1 'Vocabulary' notes as question and answer" in result.output
    capitals = load_deck(tmp_path / "decks" / "Geo" / "Capitals.md")
    assert [card.answer for card in capitals.cards if card.kind is Kind.CLOZE] == [
        "Berlin", "Germany"
    ]  # fmt: skip
    # The GUID column gives the same ids as the package, so both imports are one deck.
    assert run(tmp_path, str(anki_files.current)).exit_code == 0
    assert rows(tmp_path, "SELECT count(*) FROM cards WHERE retired = 0") == [(11,)]


def test_a_genanki_package_with_a_note_type_of_its_own(tmp_path: Path) -> None:
    package = make_genanki_package(tmp_path / "capitals.apkg")
    result = run(tmp_path, str(package))
    assert result.exit_code == 0, result.output
    assert "2 'Simple Model' notes as question and answer (their first two fields)" in result.output
    deck = load_deck(tmp_path / "decks" / "Country Capitals.md")
    assert [(card.prompt, card.answer) for card in deck.cards] == [
        ("Capital of Argentina", "Buenos Aires"),
        ("Capital of Peru", "Lima"),
        ("[...] is in Ecuador", "Quito"),
    ]


def _rezip(source: Path, target: Path, change) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for name in old.namelist():
            data = change(name, old.read(name))
            if data is not None:
                new.writestr(name, data)
    return target


def _unknown_note_type(tmp_path: Path, anki_files: AnkiFiles) -> Path:
    def change(name: str, data: bytes) -> bytes | None:
        if name != "collection.anki21":
            return data
        db_path = tmp_path / "c.db"
        db_path.write_bytes(data)
        with sqlite3.connect(db_path) as conn:
            conn.execute("UPDATE notes SET mid = 12345 WHERE id = (SELECT min(id) FROM notes)")
        return db_path.read_bytes()

    return _rezip(anki_files.legacy, tmp_path / "odd.apkg", change)


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("broken.apkg", lambda t, a: (t / "broken.apkg").write_bytes(b"PK\x03\x04 not a zip"),
         "broken.apkg: not a valid zip file"),
        ("half.apkg", lambda t, a: (t / "half.apkg").write_bytes(a.current.read_bytes()[:3000]),
         "half.apkg: not a valid zip file"),
        ("empty.apkg", lambda t, a: _rezip(a.current, t / "empty.apkg",
                                           lambda n, d: d if n == "media" else None),
         "empty.apkg: no Anki collection in the package"),
        ("odd.apkg", _unknown_note_type, "odd.apkg: note "),
        ("garbled.apkg", lambda t, a: _rezip(a.current, t / "garbled.apkg",
                                             lambda n, d: b"not zstd" if n.endswith("21b") else d),
         "garbled.apkg: the package is damaged"),
        ("ragged.csv", lambda t, a: (t / "ragged.csv").write_text("front,back\nA,B\nC,D,E\n"),
         "ragged.csv:3: expected 2 fields, found 3"),
        ("notes.txt", lambda t, a: (t / "notes.txt").write_text(
            "#separator:tab\n#html:false\nA\tB\nC\n"), "notes.txt:4: expected 2 fields, found 1"),
        ("latin1.csv", lambda t, a: (t / "latin1.csv").write_bytes(b"front,back\ncaf\xe9,x\n"),
         "latin1.csv:2: not UTF-8 text"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_and_writes_nothing(
    anki_files: AnkiFiles, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name, make, message
) -> None:
    monkeypatch.chdir(tmp_path)
    make(tmp_path, anki_files)
    good = tmp_path / "good.csv"
    good.write_text("front,back\nfine,yes\n")
    result = run(tmp_path, str(good), name)  # a good file first: it must not be half-imported
    assert result.exit_code == 1
    assert result.output.startswith(message), result.output
    assert result.output.count("\n") == 1
    assert list((tmp_path / "decks").iterdir()) == []
    assert not (tmp_path / "p.db").exists() or rows(tmp_path, "SELECT count(*) FROM cards") == [
        (0,)
    ]


def test_a_failed_sync_takes_the_written_deck_files_back(
    anki_files: AnkiFiles, tmp_path: Path
) -> None:
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "broken.md").write_text("Q: a question with no answer\n")
    result = run(tmp_path, str(anki_files.current))
    assert result.exit_code == 1
    assert "broken.md:1: question has no answer" in result.output
    assert sorted(path.name for path in decks.rglob("*")) == ["broken.md"]


def test_a_deck_file_of_ones_own_is_never_overwritten(
    anki_files: AnkiFiles, tmp_path: Path
) -> None:
    decks = tmp_path / "decks"
    decks.mkdir()
    mine = decks / "Words.md"
    mine.write_text("Q: my own card\nA: mine\n")
    result = run(tmp_path, str(anki_files.current))
    assert result.exit_code == 1
    assert (
        "Words.md: a deck file of that name exists and holds none of these cards" in result.output
    )
    assert mine.read_text() == "Q: my own card\nA: mine\n"
    assert not (decks / "Geo").exists()
