"""What a quiz reads: the cards it asks, drawn from the decks, and the wrong options of their
decks.

A quiz asks about 20 cards, but drew them from every card of its decks read whole: 2.2 s at
100,000 cards before the first question. Now it draws from the cards' ids, reads only the
drawn cards whole (`rows.study_cards`), and takes the wrong options of their decks
from the columns they come from (`core.quiz.candidates`: kind, question, answer, choices, cited
document), the details' parts read in SQL. The draw and the pools are the ones
`core.quiz.build_quiz` makes of the same cards (both go by card id), so a quiz of the same
seed asks the same questions.
"""

from __future__ import annotations

import json
import random
import sqlite3
from collections.abc import Iterable

from trainer.core.cards import Kind, Schedule
from trainer.core.distractors import Candidate
from trainer.core.quiz import QuizCard, candidates, pool_sample
from trainer.store.card_codes import KIND_CODES
from trainer.store.rows import study_cards

_IN_PLAY = "c.retired = 0 AND c.suspended = 0 AND d.missing = 0"
"""The cards a quiz asks about: neither retired nor suspended, of a deck whose file is there."""
_POOLS = (
    "SELECT c.deck_id, c.kind, c.prompt, c.answer, json_extract(c.detail, '$.source[0]'), "
    f"CASE WHEN c.kind_code = {KIND_CODES[Kind.CHOICE.value]} "
    "THEN json_extract(c.detail, '$.choices') END FROM cards c"
)
"""What a pooled card offers as wrong options (`core.quiz.candidates`), before its WHERE."""


def draw(
    conn: sqlite3.Connection,
    deck_ids: Iterable[int] | None,
    count: int,
    rng: random.Random,
    defaults: Schedule,
) -> tuple[list[QuizCard], dict[int, list[Candidate]]]:
    """Up to `count` cards in play of these decks (or of all), drawn with `rng` as
    `build_quiz` draws them, and the wrong options of their decks (`pool_sample`, by deck id)."""
    query = f"SELECT c.id, c.deck_id FROM cards c JOIN decks d ON d.id = c.deck_id WHERE {_IN_PLAY}"
    params = [] if deck_ids is None else list(deck_ids)
    if deck_ids is not None:
        query += f" AND c.deck_id IN ({','.join('?' * len(params))})"
    deck_of = dict(conn.execute(query + " ORDER BY c.id", params).fetchall())
    chosen = rng.sample(list(deck_of), min(count, len(deck_of)))
    by_deck: dict[int, list[int]] = {}
    for card_id, deck in deck_of.items():
        by_deck.setdefault(deck, []).append(card_id)
    pooled = {
        deck: [by_deck[deck][index] for index in pool_sample(len(by_deck[deck]), rng)]
        for deck in dict.fromkeys(deck_of[card_id] for card_id in chosen)
    }
    cards = [
        QuizCard(card.id, card.deck_id, card.card, card.strict_answers)
        for card in study_cards(conn, chosen, defaults)
    ]
    return cards, _pools(conn, pooled)


def _pools(conn: sqlite3.Connection, pooled: dict[int, list[int]]) -> dict[int, list[Candidate]]:
    """The wrong options of each deck's pooled cards (their ids), card by card in id order."""
    found: dict[int, list[Candidate]] = {deck: [] for deck in pooled}
    card_ids = sorted(card_id for ids in pooled.values() for card_id in ids)
    for start in range(0, len(card_ids), 500):
        chunk = card_ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        rows = conn.execute(f"{_POOLS} WHERE c.id IN ({marks}) ORDER BY c.id", chunk)
        for deck, kind, prompt, answer, topic, choices in rows:
            texts = [text for text, _correct in json.loads(choices)] if choices else []
            found[deck].extend(candidates(Kind(kind), prompt, answer, texts, topic or ""))
    return found
