"""The decks that ship in `decks/`: they parse, cite their source documents truthfully, cover
every card kind, paraphrase rather than copy the documents, and keep the mechanical rules of
`docs/writing-cards.md` (balanced true-or-false statements, four options or more, questions
about the subject rather than the page).

The source documents live outside the repository, in `shared/seeds/` next to it. Where that
folder is absent the tests that need it are skipped, unless `TRAINER_REQUIRE_SOURCES=1` says
the documents must be there (then they fail).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from trainer.core.cards import Card, Deck, Kind
from trainer.core.citations import check_citations, contains_evidence, statement_evidence
from trainer.core.deckfile import load_deck
from trainer.core.grading import normalise

REPO = Path(__file__).resolve().parents[2]
DECKS_DIR = REPO / "decks"
DECK_FILES = sorted(DECKS_DIR.glob("*.md"))

MIN_CARDS, MAX_CARDS = 150, 250
COPY_RUN = 8
"""A card sharing this many consecutive words with a document has copied a sentence."""
TRUE_SHARE = (0.4, 0.6)
"""Each deck's share of true statements: always answering "true" (or "false") must not pay."""
MIN_CHOICES = 4
OPTIONS_NOTE = "> Options:"
"""How the author's note under a multiple-choice card begins."""
ABOUT_THE_PAGE = re.compile(
    r"\b(?:documents?|pages?|articles?|analysis|overview|publication|website)\b"
    r"|\b(?:the|this|that) (?:text|source)\b|\baccording to\b|\bdoes it (?:give|say)\b"
    r"|\bconnect2canada\b",
    re.IGNORECASE,
)
"""Wording that asks about what a page says instead of about the world it describes."""


@cache
def deck(path: Path) -> Deck:
    return load_deck(path)


def all_cards() -> list[tuple[Path, Card]]:
    return [(path, card) for path in DECK_FILES for card in deck(path).cards]


def where(path: Path, card: Card) -> str:
    return f"{path.relative_to(REPO)}:{card.line}"


def test_there_are_bundled_decks() -> None:
    # Guards against the parametrised tests below silently running zero cases.
    assert len(DECK_FILES) >= 5, DECK_FILES


@pytest.mark.parametrize("path", DECK_FILES, ids=lambda path: path.name)
def test_deck_parses_with_name_description_and_tags(path: Path) -> None:
    parsed = deck(path)
    assert parsed.name and parsed.name != path.stem.replace("-", " ").title(), "name not set"
    assert parsed.description
    assert parsed.tags
    assert parsed.sources
    assert parsed.cards


@pytest.mark.parametrize("path", DECK_FILES, ids=lambda path: path.name)
def test_every_card_cites_a_listed_source(path: Path) -> None:
    parsed = deck(path)
    uncited = [where(path, card) for card in parsed.cards if card.source is None]
    assert not uncited, "cards without Source:\n" + "\n".join(uncited)
    unlisted = [
        f"{where(path, card)}: {card.source.document}"
        for card in parsed.cards
        if card.source is not None and card.source.document not in parsed.sources
    ]
    assert not unlisted, "cited documents missing from the deck's sources:\n" + "\n".join(unlisted)


def test_false_statements_say_what_is_true() -> None:
    bare = [
        where(path, card)
        for path, card in all_cards()
        if card.kind is Kind.TRUE_FALSE and card.answer == "false" and not card.note.strip()
    ]
    assert not bare, "False: cards without a Note:\n" + "\n".join(bare)


def test_card_count_and_kinds() -> None:
    cards = [card for _, card in all_cards()]
    assert MIN_CARDS <= len(cards) <= MAX_CARDS, len(cards)
    kinds = Counter(card.kind for card in cards)
    assert set(kinds) == set(Kind), f"kinds present: {dict(kinds)}"


@pytest.mark.parametrize("path", DECK_FILES, ids=lambda path: path.name)
def test_true_and_false_statements_are_balanced_in_each_deck(path: Path) -> None:
    statements = [card for card in deck(path).cards if card.kind is Kind.TRUE_FALSE]
    assert statements, "no true-or-false statements"
    true = sum(card.answer == "true" for card in statements)
    low, high = TRUE_SHARE
    assert low <= true / len(statements) <= high, f"{true} of {len(statements)} are true"


def test_false_statements_are_contradicted_by_a_figure_or_name() -> None:
    # A false statement is false by the cited line's own words: its Note gives the year, figure
    # or name the line states (the citation test checks the line holds them), one the statement
    # does not have. "Canada joined NATO after it was founded", with the Note "Canada is a
    # founding member of NATO", names nothing new: it only restates a true card the other way.
    vague = [
        where(path, card)
        for path, card in all_cards()
        if card.kind is Kind.TRUE_FALSE
        and card.answer == "false"
        and all(contains_evidence(card.prompt, piece) for piece in statement_evidence(card.note))
    ]
    assert not vague, "False: cards whose Note names nothing the statement lacks:\n" + "\n".join(
        vague
    )


def test_multiple_choice_cards_offer_four_options_or_more() -> None:
    few = [
        f"{where(path, card)}: {len(card.choices)} options"
        for path, card in all_cards()
        if card.kind is Kind.CHOICE and len(card.choices) < MIN_CHOICES
    ]
    assert not few, f"multiple-choice cards with fewer than {MIN_CHOICES} options:\n" + "\n".join(
        few
    )


def test_multiple_choice_cards_say_which_options_the_documents_support() -> None:
    # Learners never see it: an author's note after the card (past a `---` line, which the
    # trainer skips) says which options the cited line supports and why the others are wrong.
    unmarked = []
    for path in DECK_FILES:
        lines = path.read_text(encoding="utf-8").splitlines()
        starts = sorted({card.line for card in deck(path).cards}) + [len(lines) + 1]
        for card in deck(path).cards:
            if card.kind is not Kind.CHOICE:
                continue
            following = next(start for start in starts if start > card.line)
            if not any(line.startswith(OPTIONS_NOTE) for line in lines[card.line : following - 1]):
                unmarked.append(where(path, card))
    assert not unmarked, f"multiple-choice cards without a '{OPTIONS_NOTE}' note:\n" + "\n".join(
        unmarked
    )


def test_cards_ask_about_the_world_not_about_the_page() -> None:
    # The learner studies NORAD, not a web page: no "the document says", "the page mentions",
    # "what year does it give?", in anything the learner reads.
    about_the_page = sorted(
        {
            f"{where(path, card)}: {found.group()!r}"
            for path, card in all_cards()
            for text in _card_texts(card)
            for found in ABOUT_THE_PAGE.finditer(text)
        }
    )
    assert not about_the_page, "cards worded about the documents:\n" + "\n".join(about_the_page)


def test_acronyms_that_are_initials_are_asked_one_way() -> None:
    # From "Airborne Warning and Control System", AWACS is only the initials: a card asking for it
    # tests nothing. NORAD, which is not the initials of its name, may be studied both ways.
    both_ways = {
        where(path, card): card.prompt
        for path, card in all_cards()
        if card.kind is Kind.REVERSED and _initials_of(card.prompt, card.answer)
    }
    assert not both_ways, "acronyms studied both ways:\n" + "\n".join(
        f"{place}: {acronym}" for place, acronym in both_ways.items()
    )


def _initials_of(acronym: str, name: str) -> bool:
    """Whether `acronym` is the initials of `name`, of all its words or of its capitalised ones."""
    words = re.findall(r"[^\W\d_]+", name)
    initials = {
        "".join(word[0] for word in words),
        "".join(word[0] for word in words if word[0].isupper()),
    }
    return " " not in acronym.strip() and acronym.strip().casefold() in {
        found.casefold() for found in initials
    }


def test_citations_hold(sources_dir: Path) -> None:
    problems = [
        problem for path in DECK_FILES for problem in check_citations(deck(path), sources_dir)
    ]
    assert not problems, f"{len(problems)} citation problems:\n" + "\n".join(map(str, problems))


def _runs(text: str) -> set[str]:
    words = normalise(text).split()
    return {" ".join(words[i : i + COPY_RUN]) for i in range(len(words) - COPY_RUN + 1)}


def _card_texts(card: Card) -> list[str]:
    # Each field on its own: runs spanning two fields are not text the author wrote.
    return [card.prompt, card.answer, card.note, card.text, *(c.text for c in card.choices)]


def test_no_card_copies_a_run_of_words_from_the_documents(sources_dir: Path) -> None:
    document_runs: dict[str, str] = {}
    for document in sorted(sources_dir.glob("*.txt")):
        for run in _runs(document.read_text(encoding="utf-8")):
            document_runs.setdefault(run, document.name)
    assert document_runs, f"no documents found in {sources_dir}"
    copied = sorted(
        {
            f"{where(path, card)}: '{run}' (from {document_runs[run]})"
            for path, card in all_cards()
            for text in _card_texts(card)
            for run in _runs(text)
            if run in document_runs
        }
    )
    assert not copied, f"{COPY_RUN}+ words copied from the documents:\n" + "\n".join(copied)
