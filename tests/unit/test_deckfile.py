"""Deck files as authors write them (docs/deck-format.md) and the cards the parser makes of them."""

from __future__ import annotations

import textwrap
from datetime import timedelta
from pathlib import Path

import pytest

from trainer.core.cards import Card, Choice, Citation, Deck, Kind
from trainer.core.deckfile import DeckError, load_deck, parse_deck, parse_deck_bytes


def parse(text: str, name: str = "deck.md") -> Deck:
    return parse_deck(textwrap.dedent(text).lstrip("\n"), Path(name))


def problems(text: str) -> list[tuple[int, str]]:
    with pytest.raises(DeckError) as caught:
        parse(text)
    return [(problem.line, problem.message) for problem in caught.value.problems]


def only_card(text: str) -> Card:
    deck = parse(text)
    assert len(deck.cards) == 1, deck.cards
    return deck.cards[0]


def key_of(text: str) -> str:
    return only_card(text).key


# -- every card kind ---------------------------------------------------------------------------


def test_question_and_answer() -> None:
    card = only_card(
        """
        Q: What does NORAD monitor besides aircraft and missiles?
        A: Man-made objects in space.
        """
    )
    assert card.kind is Kind.BASIC
    assert card.prompt == "What does NORAD monitor besides aircraft and missiles?"
    assert card.answer == "Man-made objects in space."
    assert card.line == 1


def test_reversed_card_is_studied_both_ways() -> None:
    deck = parse(
        """
        Q: NORAD
        A: North American Aerospace Defense Command
        Reverse: yes
        """
    )
    forward, backward = deck.cards
    assert (forward.kind, backward.kind) == (Kind.REVERSED, Kind.REVERSED)
    assert (forward.prompt, forward.answer) == ("NORAD", "North American Aerospace Defense Command")
    assert (backward.prompt, backward.answer) == (
        "North American Aerospace Defense Command",
        "NORAD",
    )
    assert forward.key != backward.key


def test_reverse_no_gives_one_card() -> None:
    card = only_card("Q: NORAD\nA: North American Aerospace Defense Command\nReverse: no\n")
    assert card.kind is Kind.BASIC


def test_cloze_makes_one_card_per_deletion_with_hints() -> None:
    deck = parse(
        """
        C: NORAD was formed in [1958::year] and is the world's only [binational] military command.
        """
    )
    first, second = deck.cards
    assert first.kind is second.kind is Kind.CLOZE
    assert first.prompt == (
        "NORAD was formed in [...] and is the world's only binational military command."
    )
    assert (first.answer, first.hint) == ("1958", "year")
    assert (
        second.prompt == "NORAD was formed in 1958 and is the world's only [...] military command."
    )
    assert (second.answer, second.hint) == ("binational", "")
    full = "NORAD was formed in 1958 and is the world's only binational military command."
    assert first.text == second.text == full
    assert first.key != second.key


def test_cloze_links_and_escaped_brackets_are_not_deletions() -> None:
    card = only_card(r"C: See [the treaty](https://example.org) for [1958], not \[this\]." + "\n")
    assert card.answer == "1958"
    assert card.prompt == "See [the treaty](https://example.org) for [...], not [this]."


def test_typed_answer_with_alternatives() -> None:
    card = only_card(
        """
        Q: How long is the land border between Canada and the United States, in kilometres?
        T: 9,000
        T: nine thousand
        """
    )
    assert card.kind is Kind.TYPED
    assert card.answer == "9,000"
    assert card.accepted == ("9,000", "nine thousand")


def test_multiple_choice() -> None:
    card = only_card(
        """
        Q: Which of these are Five Eyes members?
        - [x] Canada
        - [X] United States
        - [ ] Latvia
        """
    )
    assert card.kind is Kind.CHOICE
    assert card.choices == (
        Choice("Canada", True),
        Choice("United States", True),
        Choice("Latvia", False),
    )
    assert card.correct_choices == ("Canada", "United States")


def test_true_and_false_statements() -> None:
    true_card, false_card = parse(
        """
        True: NORAD was formally established in 1958.

        False: NORAD was formally established in 1968.
        Note: It was established in 1958.
        """
    ).cards
    assert (true_card.kind, true_card.prompt, true_card.answer) == (
        Kind.TRUE_FALSE,
        "NORAD was formally established in 1958.",
        "true",
    )
    assert (false_card.answer, false_card.note) == ("false", "It was established in 1958.")
    assert false_card.line == 3


def test_fields_of_any_card() -> None:
    deck = parse(
        """
        +++
        tags = ["norad"]
        +++
        Q: In what year did Canada and the United States form NORAD?
        T: 1958
        Tags: arctic, history  treaties
        Source: 000_dd426d8a8b7594cd.txt:7
        Note: The agreement was signed in May.

        Q: Who commands NORAD?
        A: A U.S. general with a Canadian deputy.
        Source: 001_e75e1cb067bf48e9.txt:7-9
        Id: commander
        """
    )
    first, second = deck.cards
    assert first.tags == ("norad", "arctic", "history", "treaties")
    assert first.source == Citation("000_dd426d8a8b7594cd.txt", 7, 7)
    assert str(first.source) == "000_dd426d8a8b7594cd.txt:7"
    assert first.note == "The agreement was signed in May."
    assert second.source == Citation("001_e75e1cb067bf48e9.txt", 7, 9)
    assert str(second.source) == "001_e75e1cb067bf48e9.txt:7-9"
    assert second.key == "commander"
    assert second.tags == ("norad",)


def test_front_matter_settings() -> None:
    deck = parse(
        """
        +++
        name = "NORAD"
        description = "The binational air and missile defence command."
        tags = ["norad"]
        sources = ["000_dd426d8a8b7594cd.txt"]

        [schedule]
        desired_retention = 0.85
        new_per_day = 5
        learning_steps = ["30s", "1h"]
        relearning_steps = ["2d"]

        [answers]
        strict = true
        +++
        Q: a
        A: b
        """
    )
    assert deck.name == "NORAD"
    assert deck.description == "The binational air and missile defence command."
    assert deck.tags == ("norad",)
    assert deck.sources == ("000_dd426d8a8b7594cd.txt",)
    assert deck.schedule.desired_retention == 0.85
    assert deck.schedule.new_per_day == 5
    assert deck.schedule.learning_steps == (timedelta(seconds=30), timedelta(hours=1))
    assert deck.schedule.relearning_steps == (timedelta(days=2),)
    assert deck.strict_answers is True
    assert deck.cards[0].line == 16


def test_defaults_without_front_matter() -> None:
    deck = parse("Q: a\nA: b\n", name="border-security.md")
    assert deck.name == "Border Security"
    assert (deck.description, deck.tags, deck.sources, deck.strict_answers) == ("", (), (), False)
    assert deck.schedule.desired_retention == 0.9
    assert deck.schedule.new_per_day == 20
    assert deck.schedule.learning_steps == (timedelta(minutes=1), timedelta(minutes=10))
    assert deck.schedule.relearning_steps == (timedelta(minutes=10),)


# -- layout ------------------------------------------------------------------------------------


def test_multi_line_question_answer_and_note_keep_blank_lines() -> None:
    card = only_card(
        """
        Q: Read this passage:

        "The parties agree to establish a command."
        What is the command?
        A: NORAD.

        It was set up in 1958.
        Note: First line of the note.

        Second line of the note.
        """
    )
    assert card.prompt == (
        'Read this passage:\n\n"The parties agree to establish a command."\nWhat is the command?'
    )
    assert card.answer == "NORAD.\n\nIt was set up in 1958."
    assert card.note == "First line of the note.\n\nSecond line of the note."


def test_multi_line_cloze() -> None:
    card = only_card("C: The command was formed\n\nin [1958].\n")
    assert card.prompt == "The command was formed\n\nin [...]."


def test_separator_and_heading_end_a_card_and_outside_text_is_ignored() -> None:
    deck = parse(
        """
        Notes for the author: anything goes here, even Z: lines.

        Q: First?
        A: One.
        ---
        This text belongs to no card.

        # History

        Q: Second?
        A: Two.
        ## Sub-section
        Q: Third?
        A: Three.
        """
    )
    assert [(card.prompt, card.answer) for card in deck.cards] == [
        ("First?", "One."),
        ("Second?", "Two."),
        ("Third?", "Three."),
    ]
    assert [card.line for card in deck.cards] == [3, 10, 13]


def test_hashcards_deck_reads_unchanged() -> None:
    deck = parse(
        """
        # Geography

        Q: What is the capital of Canada?
        A: Ottawa

        Q: What is the longest undefended border?
        A: The Canada–United States border

        C: The [Arctic] Ocean lies to the north of [Canada].
        """
    )
    assert [card.kind for card in deck.cards] == [Kind.BASIC, Kind.BASIC, Kind.CLOZE, Kind.CLOZE]
    assert deck.cards[0].answer == "Ottawa"
    assert [card.answer for card in deck.cards[2:]] == ["Arctic", "Canada"]


def test_crlf_and_byte_order_mark() -> None:
    deck = parse_deck_bytes("\ufeffQ: a\r\nA: b\r\n\r\nQ: c\r\nA: d\r\n".encode(), Path("w.md"))
    assert [(card.prompt, card.answer, card.line) for card in deck.cards] == [
        ("a", "b", 1),
        ("c", "d", 4),
    ]


def test_markdown_and_rich_markup_are_kept_literally() -> None:
    card = only_card("Q: What does [bold]this[/bold] *mean*?\nA: [red]Nothing[/red] `at all`\n")
    assert card.prompt == "What does [bold]this[/bold] *mean*?"
    assert card.answer == "[red]Nothing[/red] `at all`"


# -- problems ----------------------------------------------------------------------------------


def test_every_problem_is_reported_in_one_run_with_its_line() -> None:
    found = problems(
        """
        M: An unknown card kind
        ---
        A: An answer with no question
        ---
        Q: A question with no answer
        ---
        Q: Pick one
        - [ ] wrong
        - [ ] also wrong
        ---
        Q: Pick again
        - [x] Canada
        - [ ] Latvia
        - [ ] canada
        ---
        C: A cloze with no deletion.
        ---
        Q: Same question
        A: one
        ---
        Q: same   QUESTION
        A: two
        ---
        Q: First
        A: x
        Id: shared
        ---
        Q: Second
        A: y
        Id: shared
        ---
        Q: Cited
        A: z
        Source: nowhere
        ---
        Q: Cited backwards
        A: z
        Source: doc.txt:9-3
        ---
        Q: Has a stray key
        A: fine
        Tags: x
        XY: what is this
        """
    )
    assert [line for line, _ in found] == sorted(line for line, _ in found)
    expected = [
        (1, "unknown card kind M:"),
        (3, "A: is not inside a card"),
        (5, "question has no answer"),
        (7, "multiple-choice card has no correct choice"),
        (14, "repeated choice 'canada' (first on line 12)"),
        (16, "cloze has no deletion"),
        (21, "repeated card: same question or id as line 18"),
        (28, "repeated card: same question or id as line 24"),
        (34, "Source: 'nowhere' is not FILE:LINE or FILE:FIRST-LAST"),
        (38, "Source: line range 9-3 is empty"),
        (43, "unknown card key XY: in the card started on line 40"),
    ]
    for line, fragment in expected:
        assert any(got == line and fragment in message for got, message in found), (
            line,
            fragment,
            found,
        )
    assert len(found) == len(expected), found


def test_other_card_problems() -> None:
    found = problems(
        """
        Q:
        A: an answer to nothing
        ---
        Q: both kinds
        A: one
        T: two
        ---
        True: a statement
        A: with an answer
        ---
        Q: one choice only
        - [x] alone
        ---
        Q: repeated field
        A: a
        Tags: x
        Tags: y
        ---
        Q: typed and reversed
        T: a
        Reverse: yes
        ---
        Q: bad id
        A: a
        Id: not an id!
        """
    )
    expected = [
        (1, "Q: has no question"),
        (4, "question mixes A: and T:"),
        (8, "True: card takes no A:"),
        (11, "multiple-choice card needs at least two choices"),
        (17, "second Tags: in one card"),
        (21, "Reverse: applies to Q:/A: cards only"),
        (25, "Id: 'not an id!' must be letters, digits, - or _"),
    ]
    for line, fragment in expected:
        assert any(got == line and fragment in message for got, message in found), (
            line,
            fragment,
            found,
        )


def test_bad_toml_points_at_the_line_toml_names() -> None:
    found = problems(
        """
        +++
        name = "NORAD"
        this is not toml
        +++
        Q: a
        A: b
        """
    )
    assert len(found) == 1
    line, message = found[0]
    assert line == 3
    assert message.startswith("bad front matter:")


def test_bad_front_matter_and_bad_cards_are_reported_together() -> None:
    found = problems(
        """
        +++
        name = "NORAD"
        tags = "not a list"

        [schedule]
        desired_retention = 2
        new_per_day = -1
        learning_steps = ["soon"]
        +++
        Q: no answer
        """
    )
    assert found == [
        (3, "front matter: tags must be a list of strings"),
        (6, "front matter: schedule.desired_retention must be a number from 0.7 to 0.99"),
        (7, "front matter: schedule.new_per_day must be a whole number, 0 or more"),
        (8, "front matter: schedule.learning_steps: 'soon' is not a wait such as 10m or 1d"),
        (10, "question has no answer (add A:, T: or a - [x] choice list)"),
    ]


def test_unknown_front_matter_key_and_unclosed_front_matter() -> None:
    assert problems('+++\nname = "x"\ncolour = "red"\n+++\n') == [
        (3, "front matter: unknown key 'colour'")
    ]
    assert problems('+++\nname = "x"\nQ: a\nA: b\n') == [
        (1, "front matter opened with +++ is never closed")
    ]


def test_not_utf8_reports_the_line_of_the_bad_byte() -> None:
    raw = "Q: Où?\nA: Ici\n\nQ: caf".encode() + b"\xe9\nA: x\n"
    with pytest.raises(DeckError) as caught:
        parse_deck_bytes(raw, Path("latin.md"))
    (problem,) = caught.value.problems
    assert problem.line == 4
    assert "not UTF-8" in problem.message
    assert str(problem).startswith("latin.md:4: ")


def test_unreadable_file_is_a_deck_error(tmp_path: Path) -> None:
    with pytest.raises(DeckError) as caught:
        load_deck(tmp_path / "nope.md")
    (problem,) = caught.value.problems
    assert "cannot read deck file" in problem.message


def test_problem_prints_as_path_line_message() -> None:
    with pytest.raises(DeckError) as caught:
        parse_deck("Q: a\n", Path("decks/norad.md"))
    assert str(caught.value) == (
        "decks/norad.md:1: question has no answer (add A:, T: or a - [x] choice list)"
    )


# -- identity ----------------------------------------------------------------------------------

BASE = """
Q: In what year was NORAD formed?
A: 1958
Tags: history
Note: In May.
Source: doc.txt:7
"""


@pytest.mark.parametrize(
    "edited",
    [
        BASE.replace("A: 1958", "A: In 1958, by agreement"),
        BASE.replace("Tags: history", "Tags: history, treaties"),
        BASE.replace("Note: In May.", "Note: On 12 May."),
        BASE.replace("Source: doc.txt:7", "Source: other.txt:8-9"),
        BASE.replace("Q: In what year was NORAD formed?", "Q: in what  YEAR was NORAD formed?"),
        BASE.replace("A: 1958", "T: 1958"),
    ],
    ids=["answer", "tags", "note", "citation", "case-and-spacing", "answer-kind"],
)
def test_key_survives_edits_that_do_not_reword_the_question(edited: str) -> None:
    assert key_of(edited) == key_of(BASE)


def test_key_survives_moving_within_the_file_and_renaming_the_file() -> None:
    other = "Q: Where is NORAD headquartered?\nA: Colorado\n"
    original = parse(BASE + "\n" + other, name="norad.md")
    moved = parse("# New section\n\n" + other + "\n---\n" + BASE, name="renamed/air-defence.md")
    assert {card.prompt: card.key for card in original.cards} == {
        card.prompt: card.key for card in moved.cards
    }


def test_rewording_makes_a_new_card_unless_it_has_an_id() -> None:
    reworded = BASE.replace("In what year", "Which year")
    assert key_of(reworded) != key_of(BASE)
    with_id = BASE + "Id: norad-founding\n"
    assert key_of(with_id) == "norad-founding"
    assert key_of(with_id.replace("In what year", "Which year")) == "norad-founding"


def test_same_words_in_another_kind_are_another_card() -> None:
    assert key_of("Q: NORAD was formed in 1958.\nA: yes\n") != key_of(
        "True: NORAD was formed in 1958.\n"
    )


def test_cloze_keys_survive_editing_the_deleted_text() -> None:
    before = parse("C: NORAD was formed in [1958::year] in [Colorado].\n").cards
    after = parse("C: NORAD was formed in [May 1958::month] in [Colorado Springs].\n").cards
    assert [card.key for card in before] == [card.key for card in after]
    reworded = parse("C: NORAD was created in [1958] in [Colorado].\n").cards
    assert {card.key for card in reworded}.isdisjoint(card.key for card in before)


def test_reversed_keys_are_stable_and_the_forward_key_matches_the_plain_card() -> None:
    plain = key_of("Q: NORAD\nA: North American Aerospace Defense Command\n")
    forward, backward = parse("Q: NORAD\nA: Changed\nReverse: yes\n").cards
    assert forward.key == plain
    assert backward.key.startswith(plain)
    assert backward.key != plain


@pytest.mark.parametrize("wait", ["3000000d", "99999999999d", "1" + "0" * 400 + "s"])
def test_absurdly_long_learning_step_is_a_problem_not_a_crash(wait: str) -> None:
    found = problems(f'+++\n[schedule]\nlearning_steps = ["1m", "{wait}"]\n+++\nQ: a\nA: b\n')
    assert found == [
        (3, f"front matter: schedule.learning_steps: {wait!r} is longer than 100 years")
    ]
