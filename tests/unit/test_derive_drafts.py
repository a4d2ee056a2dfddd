"""`trainer derive` on documents not among the seed documents: what a teacher would sign.

The documents in `tests/data/derive/` were written for these tests. Every drafted card must be
a whole sentence or a question about one (no fragment, no dangling "this"/"it"/"their", no cut
inside brackets or quotes), the kinds the text supports must all be drafted, `--max` must be
kept, and the same document must give the same bytes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from trainer.cli import cli
from trainer.core.cards import Card, Deck, Kind
from trainer.core.checking import deck_warnings
from trainer.core.citations import check_citations
from trainer.core.deckfile import parse_deck
from trainer.core.derive.document import draft_deck
from trainer.core.derive.entities import Pools
from trainer.core.derive.facts import Document
from trainer.core.derive.quality import dangling_reason, fragment_reason
from trainer.core.derive.ranking import default_limit
from trainer.core.derive.variants import blank_sentence, find_variants

DATA = Path(__file__).resolve().parents[1] / "data" / "derive"
DOCUMENTS = sorted(DATA.glob("*.txt"))


def deck_of(path: Path, max_cards: int | None = None) -> Deck:
    text = path.read_text(encoding="utf-8")
    return parse_deck(draft_deck(text, path.name, max_cards), Path("draft.md"))


def shown(card: Card) -> str:
    """What the learner reads: the cloze text, the statement, or the question's sentence."""
    if card.kind is Kind.CLOZE:
        return card.text
    return blank_sentence(card.prompt) or card.prompt


def test_there_are_test_documents() -> None:
    assert len(DOCUMENTS) >= 3


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda path: path.stem)
def test_no_draft_is_a_fragment_or_leans_on_another_sentence(path: Path) -> None:
    deck = deck_of(path, max_cards=100)
    assert len(deck.cards) >= 8
    for card in deck.cards:
        if card.kind is Kind.REVERSED:
            continue
        question = card.kind not in (Kind.CLOZE, Kind.TRUE_FALSE) and not blank_sentence(
            card.prompt
        )
        assert fragment_reason(shown(card), question=question) is None, shown(card)
        assert dangling_reason(shown(card)) is None, shown(card)


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda path: path.stem)
def test_every_draft_passes_the_citation_check(path: Path) -> None:
    assert check_citations(deck_of(path, max_cards=100), DATA) == []


def test_the_kinds_the_text_supports_are_all_drafted() -> None:
    kinds = set()
    for path in DOCUMENTS:
        kinds |= {card.kind for card in deck_of(path, max_cards=100).cards}
    assert kinds >= {
        Kind.CHOICE,
        Kind.TRUE_FALSE,
        Kind.TYPED,
        Kind.CLOZE,
        Kind.REVERSED,
        Kind.BASIC,
    }


def test_a_sentence_that_leans_on_the_one_before_is_not_drafted_alone() -> None:
    texts = [shown(card) for card in deck_of(DATA / "penicillin.txt", max_cards=100).cards]
    assert not any(text.startswith(("This problem", "Their first", "He saw")) for text in texts)
    assert not any("its effect" in text for text in texts)


def test_it_takes_the_name_the_sentence_before_opens_with() -> None:
    statements = [
        shown(card)
        for card in deck_of(DATA / "vell_island.txt", max_cards=100).cards
        if card.kind in (Kind.TRUE_FALSE, Kind.TYPED, Kind.CHOICE)
    ]
    assert any(s.startswith("The Vell Lighthouse stands") for s in statements)


def test_nothing_is_cut_inside_a_parenthesis_or_a_quotation() -> None:
    for path in DOCUMENTS:
        for card in deck_of(path, max_cards=100).cards:
            text = shown(card)
            assert text.count("(") == text.count(")"), text
            assert text.count('"') % 2 == 0, text


def test_multiple_choice_offers_at_least_three_options_of_the_same_kind() -> None:
    cards = [
        card
        for path in DOCUMENTS
        for card in deck_of(path, max_cards=100).cards
        if card.kind is Kind.CHOICE
    ]
    assert cards
    for card in cards:
        assert len(card.choices) >= 3
        options = [choice.text for choice in card.choices]
        if all(option.isdigit() for option in options[:1]):
            assert all(option.replace(",", "").isdigit() for option in options)


def test_a_false_statement_swaps_a_year_the_cited_line_contradicts() -> None:
    deck = deck_of(DATA / "vell_island.txt", max_cards=100)
    false = [card for card in deck.cards if card.kind is Kind.TRUE_FALSE and card.answer == "false"]
    assert false
    lighthouse = next(card for card in false if "Lighthouse was completed" in card.prompt)
    assert "1872" not in lighthouse.prompt and "1872" in lighthouse.note
    assert check_citations(deck, DATA) == []


def test_true_and_false_statements_alternate_in_every_deck() -> None:
    total = 0
    for path in DOCUMENTS:
        statements = [
            card for card in deck_of(path, max_cards=100).cards if card.kind is Kind.TRUE_FALSE
        ]
        true = sum(card.answer == "true" for card in statements)
        assert abs(true - (len(statements) - true)) <= 1
        total += len(statements)
    assert total >= 4


def test_a_reason_becomes_a_why_question() -> None:
    deck = deck_of(DATA / "vell_island.txt", max_cards=100)
    why = next(card for card in deck.cards if card.prompt.startswith("Why"))
    assert why.kind is Kind.BASIC
    assert why.prompt == "Why did the island council restore the tower in 1994?"
    assert why.answer == "To protect it from winter storms."


@pytest.mark.parametrize("limit", [1, 4, 7])
def test_max_keeps_that_many_cards_at_most(limit: int) -> None:
    for path in DOCUMENTS:
        entries = {card.line for card in deck_of(path, max_cards=limit).cards}
        assert 1 <= len(entries) <= limit


def test_the_default_is_about_one_card_per_sixty_words() -> None:
    path = DATA / "penicillin.txt"
    words = len(path.read_text(encoding="utf-8").split())
    assert default_limit("word " * 600) == 10
    entries = {card.line for card in deck_of(path).cards}
    assert len(entries) == min(default_limit(path.read_text(encoding="utf-8")), len(entries))
    assert len(entries) <= max(3, round(words / 60))


def test_the_same_document_gives_the_same_deck() -> None:
    for path in DOCUMENTS:
        text = path.read_text(encoding="utf-8")
        assert draft_deck(text, path.name) == draft_deck(text, path.name)


def test_derive_max_option(tmp_path: Path) -> None:
    document = tmp_path / "erie.txt"
    document.write_text((DATA / "erie_canal.txt").read_text(encoding="utf-8"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["derive", "--max", "2", str(document)])
    assert result.exit_code == 0
    assert result.stdout.count("\nSource: ") == 2
    refused = CliRunner().invoke(cli, ["derive", "--max", "0", str(document)])
    assert refused.exit_code != 0
    assert "--max" in refused.output


def test_a_false_statement_is_never_one_the_document_states() -> None:
    # Two passages that disagree: swapping one's figure for the other's gives a sentence the
    # document states, so it cannot be drafted as false (nor repeat another card's question).
    text = (
        "Harbour Notes\n\n"
        "For over 50 years, the Skarn ferry has crossed the strait twice a day.\n\n"
        "Later Notes\n\n"
        "For over 60 years, the Skarn ferry has crossed the strait twice a day.\n\n"
        "For over 70 years, the Skarn ferry has crossed the strait twice a day.\n\n"
        "For over 90 years, the Vell lifeboat has been launched from the north pier.\n"
    )
    sentences = {line.strip() for line in text.splitlines() if line.strip()}
    statements = [d for d in find_variants(Document.read(text)) if d.kind is Kind.TRUE_FALSE]
    assert statements
    assert all(draft.false_prompt not in sentences for draft in statements)
    deck = parse_deck(draft_deck(text, "harbour.txt", 100), Path("draft.md"))
    assert len({card.key for card in deck.cards}) == len(deck.cards)


def test_a_person_is_asked_for_by_who_with_a_typed_answer() -> None:
    # "Fleming" alone elsewhere says "Alexander Fleming" is a person, not a place or a body.
    drafts = find_variants(Document.read((DATA / "penicillin.txt").read_text(encoding="utf-8")))
    typed = [d for d in drafts if d.kind is Kind.TYPED and d.answers == ("Alexander Fleming",)]
    assert [d.prompt for d in typed] == [
        "Who was born in Scotland in 1881 and died in London in 1955?"
    ]
    assert not any(d.answers == ("United States",) for d in drafts)


def test_the_seed_documents_drafts_stand_alone_and_pass_the_citation_check(
    sources_dir: Path,
) -> None:
    for path in sorted(sources_dir.glob("*.txt")):
        for max_cards in (None, 40):
            deck = deck_of(path, max_cards)
            assert check_citations(deck, sources_dir) == [], path.name
            assert deck_warnings(deck) == [], path.name
            assert len({card.kind for card in deck.cards}) >= 3, path.name
            for card in deck.cards:
                assert card.kind is not Kind.CHOICE or len(card.choices) >= 3, card.prompt
                if card.kind is Kind.REVERSED:
                    continue
                question = card.kind not in (Kind.CLOZE, Kind.TRUE_FALSE) and not blank_sentence(
                    card.prompt
                )
                assert fragment_reason(shown(card), question=question) is None, shown(card)
                assert dangling_reason(shown(card)) is None, shown(card)


PAIR = (
    "Nordic Neighbours\n\n"
    "Norway and Sweden share a border of 1,630 kilometres. Norway and Sweden were joined in a "
    "union until 1905. Trade between Norway and Sweden is heavy.\n\n"
    "The two countries signed the Karlstad Convention in 1905 to end the union peacefully.\n"
    "Both nations joined the Nordic Passport Union in 1954.\n"
)


def test_the_two_countries_are_named_when_the_document_is_about_two() -> None:
    deck = parse_deck(draft_deck(PAIR, "n.txt", 50), Path("d"))
    shown_texts = " | ".join(shown(card) for card in deck.cards)
    assert "Norway and Sweden sign" in shown_texts  # "The two countries signed ..."
    assert "both Norway and Sweden join" in shown_texts.replace("Both", "both")
    assert "two countries" not in shown_texts and "Both nations" not in shown_texts
    assert "did Both" not in shown_texts


def test_the_noun_the_sentence_before_introduced_is_not_shown_alone() -> None:
    text = (
        "The Harbour Stone\n\n"
        "The Harbour Stone carries a decree issued in Skarn in 1402 by Queen Asta II. "
        "The decree appears in three scripts and names 40 ships. "
        "The stone is 90 centimetres tall and weighs about 300 kilograms.\n"
    )
    shown_texts = [shown(c) for c in parse_deck(draft_deck(text, "s.txt", 20), Path("d")).cards]
    assert not any(t.startswith("The decree") for t in shown_texts)
    assert any(t.startswith("The stone is") for t in shown_texts)  # the title's own subject
    assert any("Queen Asta II" in t or "1402" in t for t in shown_texts)


def test_no_card_shows_the_answer_of_another_on_the_same_sentence() -> None:
    from trainer.core.derive import document as drafting
    from trainer.core.derive.ranking import select

    for path in DOCUMENTS:
        text = path.read_text(encoding="utf-8")
        document = Document.read(text)
        sentence_of = drafting._sentence_finder(document)
        chosen = select(
            drafting.draft_cards(text, path.name, document),
            100,
            sentence_of,
            drafting.near_duplicates,
            drafting.answer_words,
        )
        for one in chosen:
            for other in chosen:
                if one is other or sentence_of(one) != sentence_of(other):
                    continue
                if Kind.REVERSED in (one.kind, other.kind):
                    continue
                for answer in [*other.answers[:1], *(t for t, ok in other.choices if ok)]:
                    assert answer not in one.prompt, (one.prompt, answer)
        answers = [drafting.answer_words(d) for d in chosen if d.kind is not Kind.TRUE_FALSE]
        assert len(answers) == len({frozenset(a) for a in answers}), path.name


def test_wrong_options_look_like_the_right_one() -> None:
    text = (
        "Field Notes\n\n"
        "The ferry company opened an office in Colorado Springs in 1990.\n\n"
        "The brigade trained in Poland for six weeks.\n\n"
        "The battle group based in Latvia has ten nations.\n\n"
        "Supplies were flown in from Washington D.C every month.\n\n"
        "A second team worked in Iraq for a year.\n\n"
        "The prize in Physiology or Medicine went to a surgeon.\n"
    )
    document = Document.read(text)
    pools = Pools(document)
    latvia = next(e for found in pools.by_sentence for e in found if e.text == "Latvia")
    assert latvia.kind == "place"
    # One-word places before "Colorado Springs", then in the document's order.
    assert pools.alternatives(latvia, "The battle group based in Latvia", 2) == ["Poland", "Iraq"]
    drafts = find_variants(document)
    assert not any(option == "Physiology" for d in drafts for option, _ in d.choices)
