"""The decks that ship in `decks/`: they parse, cite their source documents truthfully, cover
every card kind, and paraphrase rather than copy the documents.

The source documents live outside the repository, in `shared/seeds/` next to it. Where that
folder is absent the tests that need it are skipped, unless `TRAINER_REQUIRE_SOURCES=1` says
the documents must be there (then they fail).
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from trainer.core.cards import Card, Deck, Kind
from trainer.core.citations import check_citations
from trainer.core.deckfile import load_deck
from trainer.core.grading import normalise

REPO = Path(__file__).resolve().parents[2]
DECKS_DIR = REPO / "decks"
DECK_FILES = sorted(DECKS_DIR.glob("*.md"))

MIN_CARDS, MAX_CARDS = 150, 250
COPY_RUN = 8
"""A card sharing this many consecutive words with a document has copied a sentence."""


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
    statements = [card for card in cards if card.kind is Kind.TRUE_FALSE]
    false_share = sum(card.answer == "false" for card in statements) / len(statements)
    # Roughly 40% false, so "true" is not a safe guess.
    assert 0.3 <= false_share <= 0.5, f"{false_share:.0%} of statements are false"


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
