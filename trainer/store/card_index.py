"""The indexes of `cards` as migration m016 makes them (`schema_changes.m016_one_card_index`).

`cards_by_deck` (the queue's due ranges, the forecast, the counts), `cards_stats` (the
statistics) and `cards_search` (the searches) held nearly the same columns in three orders, and
every answer rewrote its card's entry in all three. `cards_by_deck` now holds every column the
three held, in the queue's order (deck, retired, suspended, state, due; tags last): the queue
still seeks each deck's due range, a search still seeks each deck's cards, and the statistics of
all decks read the whole index. An answer rewrites one entry, not three, and the card side of
the database is about 9 MB smaller at 100,000 cards. `cards_new` (each deck's new cards in deck
order) holds the new cards only: an answer that moves a card from one studied state to another
rewrites nothing there, and the cards studied take no room.

`cards_text` is made again without the size of each card's columns (`columnsize=0`, 1 MB at
100,000 cards): only ranking reads them, and a search does not rank. It holds the same cards as
before (those up to `cards_text_upto`), so the same searches find the same cards, phrases
included (the positions of words are kept). The triggers of migration m011 keep it up to date.
"""

ONE_CARD_INDEX = """
DROP INDEX IF EXISTS cards_stats;
DROP INDEX IF EXISTS cards_search;
DROP INDEX IF EXISTS cards_by_deck;
CREATE INDEX cards_by_deck ON cards(
    deck_id, retired, suspended, state, due, last_review, stability, difficulty, reps, lapses,
    flag, leech, kind, created, tags);
DROP INDEX IF EXISTS cards_new;
CREATE INDEX cards_new ON cards(deck_id, position) WHERE state = 0;
DROP TABLE cards_text;
CREATE VIRTUAL TABLE cards_text USING fts5(
    prompt, answer, content='cards', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2', columnsize=0);
INSERT INTO cards_text (rowid, prompt, answer)
    SELECT id, prompt, answer FROM cards WHERE id <= (SELECT id FROM cards_text_upto);
"""
"""Run in the migration's transaction (`schema_changes._run`)."""
