"""The statements of migration m001 (`schema_changes.m001_initial`): decks, cards with their
scheduler state, and the review log, as the first schema made them.

Kept beside `schema_changes` (as `card_index` and `lean_cards` are) so that it stays short.
Never edited: later migrations change what these made.
"""

INITIAL = """
CREATE TABLE decks (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '[]',
    settings TEXT NOT NULL DEFAULT '{}',
    content_hash TEXT,
    missing INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE cards (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    deck_id INTEGER NOT NULL REFERENCES decks(id),
    position INTEGER NOT NULL,
    line INTEGER NOT NULL,
    kind TEXT NOT NULL,
    prompt TEXT NOT NULL,
    answer TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '{}',
    tags TEXT NOT NULL DEFAULT '[]',
    retired INTEGER NOT NULL DEFAULT 0,
    suspended INTEGER NOT NULL DEFAULT 0,
    state INTEGER NOT NULL DEFAULT 0,
    step INTEGER,
    stability REAL,
    difficulty REAL,
    due INTEGER,
    last_review INTEGER,
    reps INTEGER NOT NULL DEFAULT 0,
    lapses INTEGER NOT NULL DEFAULT 0,
    created INTEGER NOT NULL
);
CREATE INDEX cards_due ON cards(due);
CREATE INDEX cards_by_deck ON cards(deck_id, retired, suspended, state, due);
CREATE INDEX cards_new ON cards(deck_id, state, position);
CREATE TABLE reviews (
    id INTEGER PRIMARY KEY,
    card_id INTEGER NOT NULL REFERENCES cards(id),
    rating INTEGER,
    reviewed_at INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL DEFAULT 0,
    mode TEXT NOT NULL,
    undoes INTEGER REFERENCES reviews(id),
    state_before INTEGER NOT NULL,
    step_before INTEGER,
    stability_before REAL,
    difficulty_before REAL,
    due_before INTEGER,
    last_review_before INTEGER
);
CREATE INDEX reviews_by_card ON reviews(card_id, reviewed_at);
CREATE INDEX reviews_by_time ON reviews(reviewed_at);
CREATE INDEX reviews_undone ON reviews(undoes) WHERE undoes IS NOT NULL;
"""
"""Run in the migration's transaction (`schema_changes._run`)."""
