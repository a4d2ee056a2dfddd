"""The indexes of `cards`: the statements of migrations m011 (`CARD_MANAGEMENT`) and m018
(`ONE_CARD_INDEX`, `schema_changes.m018_one_card_index`).

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

CARD_MANAGEMENT = """
ALTER TABLE cards ADD COLUMN flag INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cards ADD COLUMN leech INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cards ADD COLUMN buried_until INTEGER;
CREATE INDEX cards_buried ON cards(buried_until) WHERE suspended = 2;
CREATE INDEX cards_flagged ON cards(flag) WHERE flag > 0;
CREATE INDEX cards_by_created ON cards(created);
CREATE INDEX cards_search ON cards(
    retired, deck_id, state, suspended, flag, leech, kind, created, due, last_review,
    stability, difficulty, reps, lapses, tags);
CREATE VIRTUAL TABLE cards_text USING fts5(
    prompt, answer, content='cards', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2');
CREATE TABLE cards_text_upto (id INTEGER NOT NULL);
INSERT INTO cards_text (rowid, prompt, answer) SELECT id, prompt, answer FROM cards;
INSERT INTO cards_text_upto (id) SELECT coalesce(max(id), 0) FROM cards;
CREATE TRIGGER cards_text_delete AFTER DELETE ON cards
WHEN old.id <= (SELECT id FROM cards_text_upto) BEGIN
    INSERT INTO cards_text (cards_text, rowid, prompt, answer)
    VALUES ('delete', old.id, old.prompt, old.answer);
    -- A new card may take the newest card's id again: it must be caught up.
    UPDATE cards_text_upto SET id = old.id - 1 WHERE id = old.id;
END;
CREATE TRIGGER cards_text_update AFTER UPDATE OF prompt, answer ON cards
WHEN (old.prompt IS NOT new.prompt OR old.answer IS NOT new.answer)
    AND old.id <= (SELECT id FROM cards_text_upto) BEGIN
    INSERT INTO cards_text (cards_text, rowid, prompt, answer)
    VALUES ('delete', old.id, old.prompt, old.answer);
    INSERT INTO cards_text (rowid, prompt, answer) VALUES (new.id, new.prompt, new.answer);
END;
"""
"""Migration m011: flags, leeches, burying, and the text index with its triggers
(`schema_changes.m011_card_management` says why each is there)."""

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

TEXT_WITHOUT_PLACES = """
DROP TABLE cards_text;
CREATE VIRTUAL TABLE cards_text USING fts5(
    prompt, answer, content='cards', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2', columnsize=0, detail=none);
INSERT INTO cards_text (rowid, prompt, answer)
    SELECT id, prompt, answer FROM cards WHERE id <= (SELECT id FROM cards_text_upto);
INSERT INTO cards_text (cards_text) VALUES ('optimize');
"""
"""Migration m021: `cards_text` without the places of words (`detail=none`: 2.6 MB at 100,000
cards where it took 7 MB); a phrase is checked on the cards' own texts (`store.text_match`).
The same cards are indexed, and the triggers of m011 keep it up to date as before."""
