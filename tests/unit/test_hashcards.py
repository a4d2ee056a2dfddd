"""hashcards decks read as they are: the cases of hashcards' own parser tests, in our terms
(cards as prompt and answer), and the differences docs/deck-format.md owns up to."""

from __future__ import annotations

from pathlib import Path

import pytest

from trainer.core.deckfile import DeckError, parse_deck
from trainer.core.stamp import stamp_ids


def cards(text: str) -> list[tuple[str, str]]:
    return [(card.prompt, card.answer) for card in parse_deck(text, Path("test.md")).cards]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        ("\n\n\n", []),
        ("Q: What is Rust?\nA: A systems programming language.",
         [("What is Rust?", "A systems programming language.")]),
        ("Q: foo\nbaz\nbaz\nA: FOO\nBAR\nBAZ", [("foo\nbaz\nbaz", "FOO\nBAR\nBAZ")]),
        ("Q: foo\nA: bar\n\nQ: baz\nA: quux\n\n", [("foo", "bar"), ("baz", "quux")]),
        ("C: [foo]\nQ: Question\nA: Answer", [("[...]", "foo"), ("Question", "Answer")]),
        ("C: Foo [bar] baz.", [("Foo [...] baz.", "bar")]),
        ("C: Foo [bar] baz [quux].", [("Foo [...] baz quux.", "bar"), ("Foo bar baz [...].", "quux")]),
        ("C: Foo [bar] ![](image.jpg) [quux].",
         [("Foo [...] ![](image.jpg) quux.", "bar"), ("Foo bar ![](image.jpg) [...].", "quux")]),
        ("C: [foo]\n[bar]\nbaz.", [("[...]\nbar\nbaz.", "foo"), ("foo\n[...]\nbaz.", "bar")]),
        # Two clozes whose text outside the brackets is the same are two cards.
        ("C: [foo]\nC: [bar]", [("[...]", "foo"), ("[...]", "bar")]),
        ("C:\nBuild something people want in Lisp.\n\n— [Paul Graham], [_Hackers and Painters_]\n\n",
         [("Build something people want in Lisp.\n\n— [...], _Hackers and Painters_", "Paul Graham"),
          ("Build something people want in Lisp.\n\n— Paul Graham, [...]", "_Hackers and Painters_")]),
        # Exact copies are one card.
        ("Q: foo\nA: bar\n\nQ: foo\nA: bar\n\n", [("foo", "bar")]),
        ("C: foo [bar]\n\nC: foo [bar]", [("foo [...]", "bar")]),
        ("C: The notation [$n!$] means 'n factorial'.",
         [("The notation [...] means 'n factorial'.", "$n!$")]),
        # hashcards' front matter: TOML between --- lines.
        ('---\nname = "Custom Deck Name"\n---\n\nQ: What is Rust?\nA: A systems programming language.',
         [("What is Rust?", "A systems programming language.")]),
        ("---\n---\n\nQ: What is Rust?\nA: A systems programming language.",
         [("What is Rust?", "A systems programming language.")]),
    ],
)  # fmt: skip
def test_what_hashcards_reads_we_read(text: str, expected: list[tuple[str, str]]) -> None:
    assert cards(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Q: Question without answer",
        "A: Answer without question",
        "Q: Question\nC: Cloze",
        "Q: Question\nQ: Another",
        "Q: Question\nA: Answer\nA: Another answer",
        "C: Cloze\nA: Answer",
        "C: Cloze",
    ],
)
def test_what_hashcards_refuses_we_refuse(text: str) -> None:
    with pytest.raises(DeckError):
        parse_deck(text, Path("test.md"))


def test_the_front_matter_names_the_deck() -> None:
    deck = parse_deck('---\nname = "Custom Deck Name"\n---\n\nQ: a\nA: b\n', Path("test.md"))
    assert deck.name == "Custom Deck Name"


def test_dashes_around_cards_or_notes_are_still_card_breaks() -> None:
    assert cards("---\nQ: a\nA: b\n---\nQ: c\nA: d\n") == [("a", "b"), ("c", "d")]
    deck = parse_deck("---\nNotes for me, not TOML\n---\nQ: a\nA: b\n", Path("notes.md"))
    assert deck.name == "Notes" and len(deck.cards) == 1


BERLIN = "C: [Berlin] is the capital of [Germany].\n\nC: [Paris] is the capital of [France].\n"


def keys(text: str) -> list[str]:
    return [card.key for card in parse_deck(text, Path("test.md")).cards]


def test_clozes_sharing_their_text_are_different_cards_and_keep_progress_when_edited() -> None:
    before = keys(BERLIN)
    assert len(set(before)) == 4
    after = keys(BERLIN.replace("[Berlin]", "[Berlin, on the Spree]"))
    # Berlin's own card (its question "[...] is the capital of Germany.") keeps its key; the
    # Germany card's question now reads differently, so it is another card.
    assert after[0] == before[0] and after[2:] == before[2:]


def test_a_lone_cloze_keeps_its_key_when_a_deletion_is_edited() -> None:
    text = "C: [Berlin] is the capital of [Germany].\n"
    assert keys(text) == keys(text.replace("[Berlin]", "[Berlin, on the Spree]"))


def test_stamping_leaves_clozes_told_apart_card_by_card() -> None:
    deck = parse_deck(BERLIN + "\nC: [Rome] is old.\n", Path("test.md"))
    stamped, count = stamp_ids(BERLIN + "\nC: [Rome] is old.\n", deck)
    assert count == 1 and stamped.count("Id:") == 1
    assert keys(stamped)[:4] == keys(BERLIN)


def test_the_same_question_with_another_answer_is_still_a_repeat() -> None:
    with pytest.raises(DeckError, match="repeated card"):
        parse_deck("Q: foo\nA: bar\n\nQ: foo\nA: baz\n", Path("test.md"))
