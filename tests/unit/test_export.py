"""`trainer export`: a package Anki itself opens (checked with the `anki` package's importer),
Anki's notes text, and the round trip back through `trainer import`."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from trainer.cli import cli
from trainer.core.deckfile import load_deck

DECK = """
+++
name = "Geo::Europe"
tags = ["geo"]
+++
Q: Capital of **France**?
A: Paris
Tags: west
Note: On the Seine.

Q: Berlin
A: Germany
Reverse: yes

Q: How many countries border Germany?
T: 9

C: [Lisbon::city] is the capital of [Portugal] \\[since 1255\\].

Q: Which are landlocked?
- [x] Austria
- [ ] Spain

True: Switzerland is landlocked.

Q: Shown with a picture
A: ![flag.png](media/flag.png)
"""


@pytest.fixture
def decks(tmp_path: Path) -> Path:
    folder = tmp_path / "decks"
    (folder / "media").mkdir(parents=True)
    (folder / "europe.md").write_text(textwrap.dedent(DECK).lstrip())
    (folder / "media" / "flag.png").write_bytes(b"\x89PNG flag")
    (folder / "other.md").write_text("Q: Left out?\nA: Yes\n")
    return folder


def trainer(home: Path, decks: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(home / "p.db"), "--decks", str(decks), *args])


def test_anki_opens_the_package(decks: Path, tmp_path: Path) -> None:
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

    result = trainer(tmp_path, decks, "export", "Geo::Europe", "-o", str(tmp_path / "out.apkg"))
    assert result.exit_code == 0, result.output
    assert "1 choice cards as Basic notes" in result.output
    (tmp_path / "anki").mkdir()
    col = Collection(str(tmp_path / "anki" / "collection.anki2"))
    try:
        col.import_anki_package(
            ImportAnkiPackageRequest(
                package_path=str(tmp_path / "out.apkg"),
                options=ImportAnkiPackageOptions(with_scheduling=False),
            )
        )
        assert col.note_count() == 7
        assert col.card_count() == 9  # both sides of the reversed card, both deletions
        assert "Geo::Europe" in [deck.name for deck in col.decks.all_names_and_ids()]
        assert not col.find_notes("Left")
        (france,) = col.find_notes("France")
        note = col.get_note(france)
        assert note.note_type()["name"].startswith("Basic")
        assert note.fields[:2] == ["Capital of <b>France</b>?", "Paris"]
        assert sorted(note.tags) == ["geo", "west"]
        (cloze,) = col.find_notes("Lisbon")
        assert col.get_note(cloze).fields[0] == (
            "{{c1::Lisbon::city}} is the capital of {{c2::Portugal}} [since 1255]."
        )
        assert len(col.get_note(cloze).cards()) == 2
        (typed,) = col.find_notes("countries")
        assert "{{type:Back}}" in col.get_note(typed).note_type()["tmpls"][0]["qfmt"]
        assert col.media.have("flag.png")
    finally:
        col.close()


@pytest.mark.parametrize("suffix", [".apkg", ".txt", ".csv"])
def test_export_then_import_gives_the_same_cards(decks: Path, tmp_path: Path, suffix: str) -> None:
    exported = tmp_path / f"europe{suffix}"
    assert trainer(tmp_path, decks, "export", "europe", "-o", str(exported)).exit_code == 0
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    result = trainer(fresh, fresh, "import", str(exported), "--into", str(fresh))
    assert result.exit_code == 0, result.output
    before = load_deck(decks / "europe.md")
    after = load_deck(fresh / "Geo" / "Europe.md")
    assert after.name == "Geo::Europe"

    # Anki has no multiple-choice or true-or-false notes: those come back as question and answer.
    approximated = {card.key for card in before.cards if card.kind.value in ("choice", "truefalse")}

    def cards(deck):
        return [
            (card.key, card.kind, card.prompt, card.answer, card.hint, card.note, set(card.tags))
            for card in deck.cards
            if card.key not in approximated
        ]

    assert cards(after) == cards(before)
    assert len(after.cards) == len(before.cards)
    if suffix == ".apkg":
        assert (fresh / "Geo" / "media" / "flag.png").read_bytes() == b"\x89PNG flag"


def test_the_notes_text_has_anki_headers(decks: Path, tmp_path: Path) -> None:
    exported = tmp_path / "europe.txt"
    assert trainer(tmp_path, decks, "export", "-o", str(exported)).exit_code == 0
    lines = exported.read_text().splitlines()
    assert lines[:6] == [
        "#separator:tab", "#html:true", "#guid column:1", "#notetype column:2",
        "#deck column:3", "#tags column:7",
    ]  # fmt: skip
    assert any(line.split("\t")[1:3] == ["Basic", "Other"] for line in lines[6:])


def test_an_unknown_deck_or_format_is_one_line(decks: Path, tmp_path: Path) -> None:
    result = trainer(tmp_path, decks, "export", "Nope", "-o", str(tmp_path / "x.apkg"))
    assert (result.exit_code, result.output) == (1, "Nope: no deck of that name or file\n")
    result = trainer(tmp_path, decks, "export", "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code == 1 and result.output.endswith("x.pdf: write .apkg, .txt or .csv\n")
