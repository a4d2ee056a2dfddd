"""`trainer derive`: drafting a deck from a plain-text document.

Each finder is tried on a small hand-written document and must give the right card citing the
right line; the whole draft must parse, pass the citation check, hold no near duplicates and
come out byte-identical every time. The command's errors are one line each with status 1.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from trainer.cli import cli
from trainer.core.cards import Card, Deck, Kind
from trainer.core.citations import check_citations
from trainer.core.deckfile import parse_deck
from trainer.core.derive.document import draft_cards, draft_deck, near_duplicates, render

REPO = Path(__file__).resolve().parents[2]
NAME = "notes.txt"


def doc(text: str) -> str:
    """A document written in a test: dedented, without the leading newline."""
    return textwrap.dedent(text).lstrip("\n")


def draft(text: str, name: str = NAME) -> Deck:
    """Every draft worth keeping of `text`, before ranking, parsed as `trainer check` would."""
    entries = [render(card, name) for card in draft_cards(text, name)]
    return parse_deck("\n\n".join(entries) + "\n", Path("draft.md"))


def ranked(text: str, name: str = NAME) -> Deck:
    """The deck `trainer derive` writes for `text`, parsed as `trainer check` would."""
    return parse_deck(draft_deck(text, name), Path("draft.md"))


def tagged(deck: Deck, tag: str) -> list[Card]:
    return [card for card in deck.cards if tag in card.tags]


def lines_of(card: Card) -> tuple[int, int]:
    assert card.source is not None
    assert card.source.document == NAME
    return card.source.first_line, card.source.last_line


# -- acronyms ---------------------------------------------------------------------------------


def test_long_name_then_acronym_gives_a_reversed_card_on_its_line() -> None:
    deck = draft(
        doc("""
        Alliances

        Canada is a founding member of the North Atlantic Treaty Organization (NATO).
        """)
    )
    forward, backward = tagged(deck, "acronyms")
    assert forward.kind is Kind.REVERSED
    assert (forward.prompt, forward.answer) == ("NATO", "North Atlantic Treaty Organization")
    assert (backward.prompt, backward.answer) == ("North Atlantic Treaty Organization", "NATO")
    assert lines_of(forward) == (3, 3)


def test_acronym_then_long_name_is_found_too() -> None:
    deck = draft("The coalition fights ISIL (Islamic State of Iraq and the Levant) in Syria.\n")
    card = tagged(deck, "acronyms")[0]
    assert (card.prompt, card.answer) == ("ISIL", "Islamic State of Iraq and the Levant")


def test_parentheses_that_abbreviate_nothing_give_no_acronym_card() -> None:
    deck = draft("The agreement (signed in May) was a success for both sides of the border.\n")
    assert tagged(deck, "acronyms") == []


def test_an_acronym_spelled_out_twice_gets_one_card_citing_the_sentence() -> None:
    deck = draft(
        doc("""
        The Airborne Warning and Control System (AWACS)

        The Airborne Warning and Control System (AWACS) provides surveillance of the air.
        """)
    )
    cards = tagged(deck, "acronyms")
    assert [card.prompt for card in cards] == ["AWACS", "Airborne Warning and Control System"]
    assert lines_of(cards[0]) == (3, 3)


# -- dates ------------------------------------------------------------------------------------


def test_a_year_becomes_an_in_what_year_question_without_the_year() -> None:
    deck = draft(
        doc("""
        Non-proliferation

        In 2002, Canada and the G8 nations launched the Global Partnership against terror.
        """)
    )
    card = tagged(deck, "dates")[0]
    assert card.kind is Kind.TYPED
    assert card.prompt == (
        "In what year did Canada and the G8 nations launch the Global Partnership against terror?"
    )
    assert card.accepted == ("2002",)
    assert lines_of(card) == (3, 3)


def test_a_passive_sentence_asks_with_was() -> None:
    deck = draft(
        "The Ogdensburg treaty was signed in 1958 by Canada and the United States in Washington.\n"
    )
    card = tagged(deck, "dates")[0]
    assert card.prompt == (
        "In what year was the Ogdensburg treaty signed by Canada and the United States in Washington?"
    )
    assert card.accepted == ("1958",)


def test_a_full_date_asks_on_what_date_and_accepts_both_orders() -> None:
    deck = draft("The Ogdensburg Agreement was made on May 12, 1958, between Canada and the US.\n")
    card = tagged(deck, "dates")[0]
    assert (
        card.prompt == "On what date was the Ogdensburg Agreement made between Canada and the US?"
    )
    assert card.accepted == ("May 12, 1958", "12 May 1958")


def test_a_year_in_a_sentence_without_a_plain_shape_becomes_a_cloze() -> None:
    deck = draft("Donald Trump's return to office in 2025 introduces some uncertainty.\n")
    card = next(card for card in tagged(deck, "dates") if card.answer == "2025")
    assert card.kind is Kind.CLOZE
    assert (card.answer, card.hint) == ("2025", "year")
    assert "2025" not in card.prompt
    assert card.text == "Donald Trump's return to office in 2025 introduces some uncertainty."


def test_an_amount_is_not_taken_for_a_year() -> None:
    deck = draft("The Korea mission sent over 2000 soldiers to the region last spring.\n")
    assert tagged(deck, "dates") == []
    assert [card.answer for card in tagged(deck, "numbers")] == ["2000"]


# -- figures ----------------------------------------------------------------------------------


def test_figures_with_their_units_are_deleted_from_one_cloze() -> None:
    deck = draft(
        doc("""
        Border

        Canada and the U.S. share a land border close to 9,000 kilometres (over 5,500 miles) in length.
        """)
    )
    cards = tagged(deck, "numbers")
    assert [card.answer for card in cards] == ["9,000", "5,500"]
    assert cards[0].prompt == (
        "Canada and the U.S. share a land border close to [...] kilometres "
        "(over 5,500 miles) in length."
    )
    assert all(lines_of(card) == (3, 3) for card in cards)


def test_percentages_money_and_scaled_numbers_keep_their_sign_and_scale() -> None:
    deck = draft(
        doc("""
        Purchases made up 71% of planned spending and reached $13 billion last year.
        The travel program has over 1.8 million members and 2 percent of them travel weekly.
        """)
    )
    answers = [card.answer for card in tagged(deck, "numbers")]
    assert answers == ["71%", "$13 billion", "1.8 million", "2 percent"]


def test_a_bare_number_without_a_unit_or_a_name_with_digits_is_no_figure() -> None:
    deck = draft("The G8 met in the 21st century; Connect2Canada reported on 5 and 6.\n")
    assert tagged(deck, "numbers") == []


def test_number_words_count_but_not_one_or_two() -> None:
    deck = draft(
        "Canada leads a battle group of ten nations, and the allies have "
        "cooperated for over sixty-five years.\n"
    )
    assert [card.answer for card in tagged(deck, "numbers")] == ["ten", "sixty-five"]


# -- definitions ------------------------------------------------------------------------------


def test_a_definition_of_a_rare_name_deletes_the_name() -> None:
    deck = draft(
        "Operation NEON is Canada's contribution to a multinational effort against smuggling.\n"
    )
    card = tagged(deck, "definitions")[0]
    assert card.kind is Kind.CLOZE
    assert card.answer == "Operation NEON"
    assert card.prompt.startswith("[...] is Canada's contribution")


def test_a_definition_of_a_name_in_every_sentence_deletes_the_key_term() -> None:
    deck = draft(
        doc("""
        NORAD watches the skies over the continent day and night.
        NORAD answers to both governments at the same time.
        NORAD is the longest-standing partnership in North American history.
        """)
    )
    card = tagged(deck, "definitions")[0]
    assert card.answer == "longest-standing partnership"
    assert lines_of(card) == (3, 3)


def test_is_followed_by_a_description_is_no_definition() -> None:
    deck = draft("The relationship is highly successful and remains committed to peace.\n")
    assert tagged(deck, "definitions") == []


# -- enumerations and names -------------------------------------------------------------------


def test_an_enumeration_deletes_each_item() -> None:
    deck = draft(
        "The Canada-US collaboration spans many activities, including aerospace defense, "
        "maritime security, and cyber operations.\n"
    )
    cards = tagged(deck, "enumerations")
    assert [card.answer for card in cards] == [
        "aerospace defense",
        "maritime security",
        "cyber operations",
    ]


def test_two_things_joined_by_and_are_no_enumeration() -> None:
    deck = draft("As part of the alliance, Canada and the United States share intelligence.\n")
    assert tagged(deck, "enumerations") == []


def test_a_rarely_mentioned_place_is_deleted_but_not_an_adjective() -> None:
    deck = draft("Canada remained active in Poland helping Ukrainian refugees flee violence.\n")
    assert [card.answer for card in tagged(deck, "names")] == ["Poland"]


# -- lists ------------------------------------------------------------------------------------

LISTS = doc("""
    Partnership

    History

      • World War I & II: Canadian and American forces fought side by side.
      • Cold War: The two countries created a binational command.

    Threats

      • Hypersonic missiles
      • Cyber attacks on networks
    """)


def test_a_list_under_a_heading_gives_multiple_choice_with_wrong_items_from_other_lists() -> None:
    deck = draft(LISTS)
    history = next(card for card in tagged(deck, "lists") if "History" in card.prompt)
    assert history.kind is Kind.CHOICE
    assert history.prompt == "Which of these is listed under History?"
    assert history.correct_choices == ("World War I & II",)
    wrong = {choice.text for choice in history.choices if not choice.correct}
    assert wrong == {"Hypersonic missiles", "Cyber attacks on networks"}
    assert lines_of(history) == (3, 5)


def test_a_list_a_sentence_introduces_becomes_one_cloze_deleting_each_item() -> None:
    deck = draft(
        doc("""
        Canada and the United States work together to:

          • Address threats early;
          • Facilitate trade and jobs; and
          • Integrate law enforcement
        """)
    )
    cards = tagged(deck, "lists")
    assert [card.kind for card in cards] == [Kind.CLOZE] * 3
    assert [card.answer for card in cards] == [
        "Address threats early",
        "Facilitate trade and jobs",
        "Integrate law enforcement",
    ]
    assert cards[0].text == (
        "Canada and the United States work together to: Address threats early; "
        "Facilitate trade and jobs; Integrate law enforcement."
    )
    assert all(lines_of(card) == (1, 5) for card in cards)
    assert not any("is listed" in card.prompt for card in deck.cards)


def test_a_list_introduced_by_a_sentence_leaning_on_another_gives_no_card() -> None:
    deck = draft(
        doc("""
        The two countries work together to:

          • Address threats early;
          • Facilitate trade and jobs; and
          • Integrate law enforcement
        """)
    )
    assert tagged(deck, "lists") == []


def test_a_list_of_links_is_not_asked_about() -> None:
    deck = draft(
        LISTS
        + doc("""

        Links

          • Read more about the command
          • Our partners
        """)
    )
    assert not any("Links" in card.prompt for card in deck.cards)


# -- the whole draft --------------------------------------------------------------------------

DOCUMENT = doc("""
    Skip to main content

    United States and Canada: A Partnership

    NORAD is a bi-national organization formally established in 1958 by Canada and the United States.
    The North American Aerospace Defense Command (NORAD) monitors airspace. Its agreement was
    signed on May 12, 1958, in Washington D.C. by the two governments.

    The Media Freedom Coalition is a cross-regional coalition made up of 52 member states [1].
    Canada began assisting NATO in 2014 and remained active in Poland.

    History

      • World War I & II: Canadian and American forces fought side by side.
      • Cold War: The two countries created a binational command.

    Threats

      • Hypersonic missiles
      • Cyber attacks on networks

    Cooperation spans aerospace defense, land and maritime security, intelligence sharing, and
    cyber operations. Canada's purchases reached 71% of spending, about $13 billion USD.
    """)


def test_every_card_cites_a_line_holding_its_answer(tmp_path: Path) -> None:
    (tmp_path / NAME).write_text(DOCUMENT, encoding="utf-8")
    deck = draft(DOCUMENT)
    assert len(deck.cards) >= 15
    assert {card.kind for card in deck.cards} >= {
        Kind.REVERSED,
        Kind.TYPED,
        Kind.CLOZE,
        Kind.CHOICE,
    }
    assert all(card.source is not None for card in deck.cards)
    assert check_citations(deck, tmp_path) == []


def test_the_front_matter_names_the_draft_after_the_documents_title() -> None:
    deck = ranked(DOCUMENT)
    assert deck.name == "United States and Canada: A Partnership"
    assert deck.sources == (NAME,)
    assert "draft" in deck.description
    assert "review" in deck.description or "check" in deck.description


def test_a_long_first_line_is_cut_to_a_name() -> None:
    deck = ranked(
        "The military relationship between the United States and Canada has long been "
        "shaped by geography and by a foundation of trust.\n"
    )
    assert deck.name.endswith("…")
    assert len(deck.name) <= 61


def test_a_sentence_wrapped_over_two_lines_cites_both(tmp_path: Path) -> None:
    text = doc("""
        Canada and the United States have worked together in the bi-national command
        for over 50 years, through many changes of government.
        """)
    card = next(card for card in tagged(draft(text), "numbers") if card.answer == "50")
    assert lines_of(card) == (1, 2)
    (tmp_path / NAME).write_text(text, encoding="utf-8")
    assert check_citations(draft(text), tmp_path) == []


def test_windows_line_endings_keep_line_numbers(tmp_path: Path) -> None:
    text = "Title\r\n\r\nThe travel program has over 1.8 million members across the land.\r\n"
    card = tagged(draft(text), "numbers")[0]
    assert lines_of(card) == (3, 3)
    (tmp_path / NAME).write_bytes(text.encode())
    assert check_citations(draft(text), tmp_path) == []


def test_characters_a_deck_reader_takes_for_line_ends_stay_inside_the_card(
    tmp_path: Path,
) -> None:
    text = "The travel program has over\u20281.8 million members\x0cacross the land and the sea.\n"
    deck = draft(text)
    assert [card.answer for card in tagged(deck, "numbers")] == ["1.8 million"]
    (tmp_path / NAME).write_text(text, encoding="utf-8")
    assert check_citations(deck, tmp_path) == []


def test_brackets_in_the_document_do_not_become_deletions() -> None:
    deck = draft("The coalition has 52 member states [1] and meets every [2] years.\n")
    assert [card.answer for card in tagged(deck, "numbers")] == ["52"]
    assert "[1]" in tagged(deck, "numbers")[0].text


def test_near_duplicates_are_dropped() -> None:
    text = doc("""
        NORAD was formed in 1958 by Canada and the United States to defend the continent.

        NORAD was formed in 1958 by Canada and the United States, to defend the continent.
        """)
    years = [
        card for card in ranked(text).cards if card.answer == "1958" or "1958" in card.accepted
    ]
    assert len(years) == 1
    assert lines_of(years[0]) == (1, 1)


def test_near_duplicates_compare_answers_and_wording() -> None:
    one, other, different = (
        draft_cards(line, NAME)[0]
        for line in (
            "In 2002, Canada and the G8 nations launched the Global Partnership.\n",
            "In 2002, Canada and the G8 nations launched a Global Partnership.\n",
            "In 2002, the coalition met for the first time in a small town.\n",
        )
    )
    assert near_duplicates(one, other)
    assert not near_duplicates(one, different)


def test_the_same_document_gives_the_same_bytes_in_any_process() -> None:
    first = draft_deck(DOCUMENT, NAME)
    assert draft_deck(DOCUMENT, NAME) == first
    script = (
        "import sys; from trainer.core.derive.document import draft_deck; "
        "sys.stdout.write(draft_deck(sys.stdin.read(), 'notes.txt'))"
    )
    for seed in ("1", "2"):
        result = subprocess.run(
            [sys.executable, "-c", script],
            input=DOCUMENT,
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        assert result.stdout == first


def test_an_empty_document_gives_a_valid_deck_without_cards() -> None:
    deck = ranked("")
    assert deck.cards == ()
    assert deck.sources == (NAME,)


def test_a_name_a_citation_cannot_hold_is_refused() -> None:
    with pytest.raises(ValueError, match="spaces"):
        draft_deck("Text", "my notes.txt")


def test_drafts_of_the_seed_documents_pass_the_citation_check(sources_dir: Path) -> None:
    paths = sorted(sources_dir.glob("*.txt"))
    assert len(paths) == 5
    for path in paths:
        deck = draft(path.read_text(encoding="utf-8"), path.name)
        assert len(deck.cards) >= 10, path.name
        assert check_citations(deck, sources_dir) == [], path.name


# -- the command ------------------------------------------------------------------------------


@pytest.fixture
def document(tmp_path: Path) -> Path:
    path = tmp_path / "sources" / NAME
    path.parent.mkdir()
    path.write_text(DOCUMENT, encoding="utf-8")
    return path


def run(*args: str) -> object:
    return CliRunner().invoke(cli, ["derive", *args])


def test_derive_prints_the_deck(document: Path) -> None:
    result = run(str(document))
    assert result.exit_code == 0, result.output
    assert result.stdout == draft_deck(DOCUMENT, NAME)


def test_derive_writes_a_deck_that_trainer_check_accepts(document: Path, tmp_path: Path) -> None:
    output = tmp_path / "decks" / "draft.md"
    output.parent.mkdir()
    result = run(str(document), "-o", str(output))
    assert result.exit_code == 0, result.output
    assert output.read_text(encoding="utf-8") == draft_deck(DOCUMENT, NAME)
    assert "draft.md" in result.stdout
    checked = CliRunner().invoke(cli, ["check", str(output), "--sources", str(document.parent)])
    assert checked.exit_code == 0, checked.output


def test_derive_refuses_to_overwrite_without_force(document: Path, tmp_path: Path) -> None:
    output = tmp_path / "mine.md"
    output.write_text("my own deck\n", encoding="utf-8")
    result = run(str(document), "-o", str(output))
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        f"{output}: already exists (add --force to replace it)"
    ]
    assert output.read_text(encoding="utf-8") == "my own deck\n"
    forced = run(str(document), "-o", str(output), "--force")
    assert forced.exit_code == 0
    assert output.read_text(encoding="utf-8") == draft_deck(DOCUMENT, NAME)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda folder: folder / "missing.txt", "no such file"),
        (lambda folder: folder, "is a folder"),
        (lambda folder: _write(folder / "latin1.txt", b"Title\ncaf\xe9\n"), "not UTF-8"),
        (lambda folder: _write(folder / "my notes.txt", b"Title\n"), "spaces"),
    ],
    ids=["missing", "folder", "not-utf8", "spaces"],
)
def test_derive_errors_are_one_line_with_status_1(tmp_path: Path, make, message: str) -> None:
    path = make(tmp_path)
    result = run(str(path))
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(str(path))
    assert message in lines[0]
    assert "Traceback" not in result.output
    assert result.stdout == ""


def test_a_bad_byte_is_reported_with_its_line(tmp_path: Path) -> None:
    path = _write(tmp_path / "latin1.txt", b"Title\n\ncaf\xe9\n")
    assert run(str(path)).stderr.startswith(f"{path}:3: not UTF-8")


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
