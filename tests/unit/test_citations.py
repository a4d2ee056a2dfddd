"""`check_citations`: a card's `Source:` must name lines of a document that hold its answer."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from trainer.core.cards import Card, Deck, Kind
from trainer.core.citations import answer_evidence, check_citations, statement_evidence
from trainer.core.deckfile import Problem, parse_deck

DOCUMENT = """\
NORAD at a glance

NORAD was formally established in 1958 by Canada and the United States.
It monitors man-made objects in space.
The two countries share a land border close to 9,000 kilometres long.
NEXUS has over 1.8 million members; NATO's guideline is 2 percent of GDP.
"""


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    folder = tmp_path / "seeds"
    folder.mkdir()
    (folder / "doc.txt").write_text(DOCUMENT, encoding="utf-8")
    return folder


def deck_of(text: str, tmp_path: Path) -> Deck:
    return parse_deck(textwrap.dedent(text).lstrip("\n"), tmp_path / "deck.md")


def check(text: str, tmp_path: Path, sources: Path) -> list[Problem]:
    return check_citations(deck_of(text, tmp_path), sources)


def only_card(text: str, tmp_path: Path) -> Card:
    cards = deck_of(text, tmp_path).cards
    assert len(cards) == 1, cards
    return cards[0]


# -- citations that hold --------------------------------------------------------------------------


def test_card_whose_cited_line_holds_the_answer_passes(tmp_path: Path, sources: Path) -> None:
    deck = """
        Q: In what year was NORAD established?
        T: 1958
        T: nineteen fifty-eight
        Source: doc.txt:3
        """
    assert check(deck, tmp_path, sources) == []


def test_answers_are_compared_normalised(tmp_path: Path, sources: Path) -> None:
    # Case, punctuation and the way a number is written must not fail a good citation.
    deck = """
        Q: How long is the land border, in kilometres?
        T: 9000
        Source: doc.txt:5

        Q: How many members does NEXUS have?
        T: 1,800,000
        Source: doc.txt:6

        Q: What does NORAD monitor in space?
        A: Man-made objects
        Source: doc.txt:4
        """
    assert check(deck, tmp_path, sources) == []


def test_a_range_is_read_as_one_text(tmp_path: Path, sources: Path) -> None:
    deck = """
        Q: What does NORAD monitor, and since when does it exist?
        - [x] 1958
        - [x] man-made objects in space
        - [ ] 1968
        Source: doc.txt:3-4
        """
    assert check(deck, tmp_path, sources) == []


def test_cards_without_a_source_are_not_checked(tmp_path: Path, sources: Path) -> None:
    deck = """
        Q: In what year was NORAD established?
        T: 1999
        """
    assert check(deck, tmp_path, sources) == []


# -- citations that fail -----------------------------------------------------------------------------


def test_wrong_line_is_reported_with_the_missing_answer(tmp_path: Path, sources: Path) -> None:
    deck = """
        # NORAD

        Q: In what year was NORAD established?
        T: 1958
        Source: doc.txt:4
        """
    problems = check(deck, tmp_path, sources)
    assert len(problems) == 1
    problem = problems[0]
    assert problem.path == str(tmp_path / "deck.md")
    assert problem.line == 3  # the card's first line
    assert "doc.txt:4" in problem.message and "'1958'" in problem.message
    assert str(problem) == f"{tmp_path / 'deck.md'}:3: {problem.message}"


def test_missing_document(tmp_path: Path, sources: Path) -> None:
    deck = """
        Q: In what year was NORAD established?
        T: 1958
        Source: other.txt:3
        """
    problems = check(deck, tmp_path, sources)
    assert len(problems) == 1
    assert "other.txt" in problems[0].message and "not in" in problems[0].message


def test_missing_sources_folder_reports_each_card(tmp_path: Path) -> None:
    deck = """
        Q: In what year was NORAD established?
        T: 1958
        Source: doc.txt:3

        Q: What does NORAD monitor in space?
        A: man-made objects
        Source: doc.txt:4
        """
    problems = check(deck, tmp_path, tmp_path / "nowhere")
    assert [problem.line for problem in problems] == [1, 5]


def test_line_past_the_end_of_the_document(tmp_path: Path, sources: Path) -> None:
    deck = """
        Q: In what year was NORAD established?
        T: 1958
        Source: doc.txt:6-7
        """
    problems = check(deck, tmp_path, sources)
    assert len(problems) == 1
    assert "past the end" in problems[0].message and "6 lines" in problems[0].message


def test_citation_must_name_a_file_in_the_folder(tmp_path: Path, sources: Path) -> None:
    (tmp_path / "outside.txt").write_text("NORAD 1958\n", encoding="utf-8")
    deck = """
        Q: In what year was NORAD established?
        T: 1958
        Source: ../outside.txt:1
        """
    problems = check(deck, tmp_path, sources)
    assert len(problems) == 1
    assert "not a plain document file name" in problems[0].message


def test_document_that_is_not_utf8(tmp_path: Path, sources: Path) -> None:
    (sources / "latin.txt").write_bytes("NORAD d\xe9fense 1958\n".encode("latin-1"))
    deck = """
        Q: In what year was NORAD established?
        T: 1958
        Source: latin.txt:1
        """
    problems = check(deck, tmp_path, sources)
    assert len(problems) == 1 and "not UTF-8" in problems[0].message


def test_only_the_first_typed_answer_must_be_cited(tmp_path: Path, sources: Path) -> None:
    deck = """
        Q: In what year was NORAD established?
        T: 1968
        T: 1958
        Source: doc.txt:3
        """
    assert len(check(deck, tmp_path, sources)) == 1


def test_answers_match_whole_words_only(tmp_path: Path, sources: Path) -> None:
    # "195" is inside "1958" and "kilo" inside "kilometres", but neither is what the line says.
    deck = """
        Q: A number
        T: 195
        Source: doc.txt:3

        Q: A unit
        A: kilo
        Source: doc.txt:5
        """
    assert [problem.line for problem in check(deck, tmp_path, sources)] == [1, 5]


def test_a_trailing_s_in_the_document_is_allowed(tmp_path: Path, sources: Path) -> None:
    # normalise turns "NATO's" into "natos"; the card's "NATO" must still be found.
    deck = """
        Q: Whose guideline is 2 percent of GDP?
        T: NATO
        Source: doc.txt:6
        """
    assert check(deck, tmp_path, sources) == []


def test_every_correct_choice_must_be_cited_but_no_wrong_one(tmp_path: Path, sources: Path) -> None:
    deck = """
        Q: Which are true of NORAD?
        - [x] 1958
        - [x] monitors man-made objects
        - [ ] Latvia
        Source: doc.txt:3
        """
    problems = check(deck, tmp_path, sources)
    assert len(problems) == 1
    assert "monitors man-made objects" in problems[0].message
    assert "1958" not in problems[0].message and "Latvia" not in problems[0].message


def test_reversed_card_needs_both_sides(tmp_path: Path, sources: Path) -> None:
    good = """
        Q: NORAD
        A: 1958
        Reverse: yes
        Source: doc.txt:3
        """
    assert check(good, tmp_path, sources) == []
    bad = """
        Q: NORAD
        A: North American Aerospace Defense Command
        Reverse: yes
        Source: doc.txt:3
        """
    # Both cards of the entry fail the same way: the author sees the problem once.
    problems = check(bad, tmp_path, sources)
    assert len(problems) == 1
    assert "'North American Aerospace Defense Command'" in problems[0].message


# -- cloze ----------------------------------------------------------------------------------------


def test_each_cloze_deletion_is_checked_on_its_own(tmp_path: Path, sources: Path) -> None:
    deck = """
        C: NORAD was established in [1958::year] by [Canada] and [Mexico].
        Source: doc.txt:3
        """
    problems = check(deck, tmp_path, sources)
    assert len(problems) == 1
    assert "'Mexico'" in problems[0].message


def test_cloze_hint_is_not_evidence(tmp_path: Path, sources: Path) -> None:
    card = only_card("C: NORAD dates from [1958::a year in the Cold War].\n", tmp_path)
    assert answer_evidence(card) == ["1958"]


# -- true or false ----------------------------------------------------------------------------------


def test_true_statement_needs_its_numbers_and_names(tmp_path: Path, sources: Path) -> None:
    good = """
        True: Canada and the United States set up NORAD in 1958.
        Source: doc.txt:3
        """
    assert check(good, tmp_path, sources) == []
    bad = """
        True: Canada and Mexico set up NORAD in 1958.
        Source: doc.txt:3
        """
    problems = check(bad, tmp_path, sources)
    assert len(problems) == 1 and "'Mexico'" in problems[0].message


def test_false_statement_is_checked_through_its_note(tmp_path: Path, sources: Path) -> None:
    # The statement's wrong year need not be in the document: the note's true one must.
    good = """
        False: NORAD was established in 1968.
        Note: NORAD was established in 1958.
        Source: doc.txt:3
        """
    assert check(good, tmp_path, sources) == []
    bad = """
        False: NORAD was established in 1968.
        Note: NORAD was established in 1957.
        Source: doc.txt:3
        """
    problems = check(bad, tmp_path, sources)
    assert len(problems) == 1 and "'1957'" in problems[0].message


def test_false_statement_without_note_is_a_problem(tmp_path: Path, sources: Path) -> None:
    deck = """
        False: NORAD was established in 1968.
        Source: doc.txt:3
        """
    problems = check(deck, tmp_path, sources)
    assert len(problems) == 1 and "Note:" in problems[0].message


def test_statement_numbers_are_read_like_answers(tmp_path: Path, sources: Path) -> None:
    deck = """
        True: The border is about 9000 kilometres and NEXUS has 1,800,000 members.
        Source: doc.txt:5-6

        False: NATO's guideline is 3% of GDP.
        Note: It is 2% of GDP.
        Source: doc.txt:6
        """
    assert check(deck, tmp_path, sources) == []


def test_statement_evidence_picks_numbers_names_and_acronyms() -> None:
    evidence = statement_evidence(
        "The U.S. and Canada's NORAD date from 1958. Working together, they cover 9,000 km "
        "and 2 percent; eFP and the G8 are named too."
    )
    # "The" and "Working" only open sentences; "Canada's" counts as "Canada"; "eFP" starts
    # lower case and yields nothing; "G8" appears once.
    assert evidence == ["1958", "9000", "2%", "g8", "U.S", "Canada", "NORAD"]


def test_sentence_opening_acronym_is_still_evidence() -> None:
    assert statement_evidence("NATO has a 2 percent guideline.") == ["2%", "NATO"]


# -- answer_evidence for each kind ------------------------------------------------------------------


def test_answer_evidence_for_each_kind(tmp_path: Path) -> None:
    deck = deck_of(
        """
        Q: Basic question
        A: basic answer

        Q: Typed question
        T: first
        T: second

        Q: Choice question
        - [x] right one
        - [ ] wrong one
        - [x] right two

        Q: front side
        A: back side
        Reverse: yes

        True: NORAD began in 1958.

        False: NORAD began in 1968.
        Note: It began in 1958.
        """,
        tmp_path,
    )
    evidence = {(card.kind, card.prompt): answer_evidence(card) for card in deck.cards}
    assert evidence[(Kind.BASIC, "Basic question")] == ["basic answer"]
    assert evidence[(Kind.TYPED, "Typed question")] == ["first"]
    assert evidence[(Kind.CHOICE, "Choice question")] == ["right one", "right two"]
    assert evidence[(Kind.REVERSED, "front side")] == ["back side", "front side"]
    assert evidence[(Kind.REVERSED, "back side")] == ["front side", "back side"]
    assert evidence[(Kind.TRUE_FALSE, "NORAD began in 1958.")] == ["1958", "NORAD"]
    assert evidence[(Kind.TRUE_FALSE, "NORAD began in 1968.")] == ["1958"]
