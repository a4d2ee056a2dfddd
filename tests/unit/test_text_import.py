"""Text files in: Quizlet's export with its separators, CSV/TSV decks with a header (and
Excel's byte-order mark), and Anki's HTML made into deck text that reads back as itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from trainer.cli import cli
from trainer.core.cards import Kind
from trainer.core.deck_writer import Entry, write_deck_text
from trainer.core.deckfile import load_deck, parse_deck
from trainer.importing.formats import read_foreign_file
from trainer.importing.html_text import cloze_text, field_text
from trainer.importing.records import ImportFileError


def run(tmp_path: Path, *args: str) -> Result:
    decks = tmp_path / "decks"
    decks.mkdir(exist_ok=True)
    return CliRunner().invoke(
        cli, ["--db", str(tmp_path / "p.db"), "--decks", str(decks), "import", *args,
              "--into", str(decks)],
    )  # fmt: skip


def pairs(path: Path) -> list[tuple[str, str]]:
    return [(card.prompt, card.answer) for card in load_deck(path).cards]


@pytest.mark.parametrize(
    ("text", "options"),
    [
        ("perro\tdog\ngato\tcat, the animal\n", []),
        ("perro,dog\ngato,cat\n", []),
        ("perro - dog\ngato - cat\n", ["--separator", " - "]),
        ("perro=dog;gato=cat", ["--separator", "=", "--row-separator", ";"]),
    ],
)
def test_quizlet_exports_with_each_separator(tmp_path: Path, text: str, options: list[str]) -> None:
    source = tmp_path / "spanish.txt"
    source.write_text(text)
    result = run(tmp_path, str(source), *options)
    assert result.exit_code == 0, result.output
    got = pairs(tmp_path / "decks" / "spanish.md")
    assert got[0] == ("perro", "dog") and got[1][0] == "gato" and got[1][1].startswith("cat")


def test_a_quizlet_row_without_its_separator_is_reported_with_its_line(tmp_path: Path) -> None:
    source = tmp_path / "spanish.txt"
    source.write_text("perro\tdog\ngato\n")
    result = run(tmp_path, str(source))
    assert result.exit_code == 1
    assert result.output.endswith("spanish.txt:2: no separator '\\t' between term and definition\n")


@pytest.mark.parametrize(
    "raw",
    [
        "\ufeffFront,Back,Tags\nCapital of Chile,Santiago,geo south\n",
        "question;answer\nCapital of Chile;Santiago\n",
        "Term\tDefinition\nCapital of Chile\tSantiago\n",
        'front,back,,\n"Capital of Chile","Santiago",,\n',
    ],
)
def test_csv_decks_with_a_header(tmp_path: Path, raw: str) -> None:
    source = tmp_path / "capitals.csv"
    source.write_bytes(raw.encode("utf-8"))
    collection = read_foreign_file(source)
    assert collection.format in ("CSV deck", "TSV deck")
    result = run(tmp_path, str(source))
    assert result.exit_code == 0, result.output
    deck = load_deck(tmp_path / "decks" / "capitals.md")
    assert [(card.prompt, card.answer) for card in deck.cards] == [("Capital of Chile", "Santiago")]
    if "Tags" in raw:
        assert deck.cards[0].tags == ("geo", "south")


def test_a_quoted_field_may_span_lines_and_hold_the_separator(tmp_path: Path) -> None:
    source = tmp_path / "deck.csv"
    source.write_text('front,back\n"Two, lines","first\nsecond"\nnext,one\n')
    assert run(tmp_path, str(source)).exit_code == 0
    assert pairs(tmp_path / "decks" / "deck.md") == [
        ("Two, lines", "first\nsecond"),
        ("next", "one"),
    ]


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "empty.csv"
    source.write_text("\n")
    with pytest.raises(ImportFileError, match="empty.csv: the file is empty"):
        read_foreign_file(source, "empty.csv")


def test_html_becomes_markdown_text() -> None:
    used: set[str] = set()
    text = field_text(
        "<div>One &amp; <b>two</b>&nbsp;<i>three</i></div><div>four<br>five</div>"
        '<b></b><img src="a.png"> [sound:b.mp3]<script>x()</script>',
        used,
    )
    assert (
        text
        == "One & **two** *three*\nfour\nfive\n![a.png](media/a.png) [sound: b.mp3](media/b.mp3)"
    )
    assert used == {"a.png", "b.mp3"}


def test_control_characters_are_dropped() -> None:
    assert field_text("red\x1b[31m alert\x07<br>tab\there", set()) == "red[31m alert\ntab here"


def test_anki_clozes_become_ours_with_literal_brackets_escaped() -> None:
    text, numbers = cloze_text("{{c2::Paris::city}} [sic] and {{c1::France}}{{c2::x}}", set())
    assert text == "[Paris::city] \\[sic\\] and [France][x]"
    assert numbers == [2, 1, 2]


def test_deck_text_reads_back_whatever_the_answer_holds() -> None:
    tricky = "Q: not a key\n# not a heading\n---\n- [x] not a choice\nTags: nor a field"
    entries = [
        Entry("one", Kind.BASIC, "Question\n- [x] looks like a choice", tricky, note="N: x"),
        Entry("two", Kind.CLOZE, "[Berlin] is in \\[brackets\\] ![p.png](media/p.png)"),
        Entry("three", Kind.TYPED, "Typed?", "a  b"),
    ]
    deck = parse_deck(write_deck_text('A "quoted" name 😀', entries), Path("x.md"))
    assert deck.name == 'A "quoted" name 😀'
    basic, cloze, typed = deck.cards
    # Lines the parser would read as a key, heading, break or choice stay text, barely changed.
    assert basic.key == "one" and basic.prompt == "Question\n• [x] looks like a choice"
    assert basic.answer.splitlines() == [
        "Q: not a key",
        " # not a heading",
        "- - -",
        "- [x] not a choice",
        " Tags: nor a field",
    ]
    assert basic.note == "N: x" and basic.tags == ()
    assert cloze.key == "two:c1" and cloze.prompt == "[...] is in [brackets] ![p.png](media/p.png)"
    assert typed.accepted == ("a b",)
