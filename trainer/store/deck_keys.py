"""Which key a deck's card is stored under, when other decks hold the same question.

A key is derived from the question (`core.identity`); two decks asking the same question, or two
files of the same name in different folders, must still keep their own progress.
"""

from __future__ import annotations

from collections.abc import Container

from trainer.core.cards import Card, Deck


def candidate_keys(card: Card, deck: Deck) -> list[str]:
    """The keys a card may be stored under, in order of preference.

    Its own key first; when another deck holds the same question, the key with the deck file's
    name (`key@vocab`), then with its folders as well (`key@french/vocab`, ...): two files of
    the same name in different folders each get a key of their own.
    """
    parts = deck.path.with_suffix("").parts
    return [card.key] + [
        f"{card.key}@{'/'.join(parts[-depth:])}" for depth in range(1, len(parts) + 1)
    ]


def key_in_deck(
    db,
    card: Card,
    deck: Deck,
    deck_id: int,
    owners,
    claimed: dict[str, int],
    unchanged: Container[int],
    suffixed: set[str],
) -> str:
    """The key this deck's card is stored under.

    A key the deck already holds, and no other deck has taken in this sync, stays its own:
    its progress stays with it whatever other decks hold the same question. Otherwise the first
    key no other deck holds (a card that left one file for another follows its key there).
    `suffixed` holds the questions this deck stores under a longer key (`key@vocab`).
    """
    key = card.key
    if claimed.get(key, deck_id) == deck_id and (
        owners[key][1] == deck_id if key in owners else key not in suffixed
    ):
        # The common case, decided without building the other keys: no other deck holds the
        # question, and the card is this deck's already or the deck has no other key for it.
        return key
    candidates = candidate_keys(card, deck)
    for key in candidates:
        if key in owners and owners[key][1] == deck_id and claimed.get(key, deck_id) == deck_id:
            return key
    for depth, key in enumerate(candidates):
        if depth >= 2 and key not in owners:
            # Only `key` and `key@stem` were looked up in advance: a third deck of the same name
            # holding the question is rare enough to ask about its keys one at a time.
            row = db.execute(
                "SELECT id, deck_id, retired FROM cards WHERE key = ?", [key]
            ).fetchone()
            if row is not None:
                owners[key] = (row[0], row[1])
                if row[1] in unchanged and not row[2]:
                    claimed.setdefault(key, row[1])
        if claimed.get(key, deck_id) == deck_id:
            return key
    return candidates[-1]  # the whole path: no other deck can hold it
