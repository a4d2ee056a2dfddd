"""The review log keyed by time: the statements of migration `m015_reviews_keyed_by_time`.

Before it, a review's id counted the rows in the order they were written, and a covering index
(`reviews_stats`) kept the log in time order for the statistics and today's counts: 30 bytes a
review, and a page written on every answer. Keyed by time, as Anki's `revlog` is, the table is
its own time index: `id = reviewed_at << TIME_SHIFT` plus a count for answers of the same
millisecond (`trainer.store.review_log`). `reviewed_at` is computed from the id and `mode` from a
small `kind` (0-3 instead of up to six letters), so neither is stored.

Every review is kept, with its before-state; the ids change, so the undo rows' `undoes` and the
device journal's `review_id` are carried over to the new ids. The journal gets a sequence of its
own (`seq`, the old review id for the rows it holds): it used to send "the reviews after the last
one sent" by review id, which was the order reviews were written and is now their time, and an
imported old review would have been taken for sent.

A SQLite schema change that drops a referenced table is safe only if nothing points at it when it
goes: the new tables refer to each other under their new names, the old ones are dropped, then
the new ones take the old names (which renames the references too). Foreign keys are checked
when the migration's transaction commits.
"""

from __future__ import annotations

from trainer.store.review_log import MODE_KINDS

TIME_SHIFT = 14
"""The bits below a review's time in its id as m015 and m017 made them (m021 narrows them to
`review_log.TIME_SHIFT`)."""

_KIND_OF_MODE = " ".join(f"WHEN '{mode}' THEN {kind}" for mode, kind in MODE_KINDS.items())
MODE_OF_KIND = " ".join(f"WHEN {kind} THEN '{mode}'" for mode, kind in MODE_KINDS.items())

APPEND_ONLY = """
CREATE TRIGGER reviews_no_update BEFORE UPDATE ON reviews
BEGIN SELECT RAISE(ABORT, 'the review log is append-only'); END;
CREATE TRIGGER reviews_no_delete BEFORE DELETE ON reviews
BEGIN SELECT RAISE(ABORT, 'the review log is append-only'); END;
CREATE TRIGGER reviews_no_replace BEFORE INSERT ON reviews
WHEN EXISTS (SELECT 1 FROM reviews WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'the review log is append-only'); END;
"""
"""The triggers of migrations m003 and m010, as they are made again on the new table."""

KEYED_BY_TIME = f"""
PRAGMA defer_foreign_keys = ON;
CREATE TEMP TABLE review_keys (old INTEGER PRIMARY KEY, new INTEGER NOT NULL);
INSERT INTO temp.review_keys (old, new)
SELECT id, (reviewed_at << {TIME_SHIFT})
           + row_number() OVER (PARTITION BY reviewed_at ORDER BY id) - 1
FROM reviews;
CREATE TABLE reviews_keyed (
    id INTEGER PRIMARY KEY,
    card_id INTEGER NOT NULL REFERENCES cards(id),
    rating INTEGER,
    duration_ms INTEGER NOT NULL DEFAULT 0,
    kind INTEGER NOT NULL DEFAULT 0,
    undoes INTEGER REFERENCES reviews_keyed(id),
    state_before INTEGER NOT NULL,
    step_before INTEGER,
    stability_before REAL,
    difficulty_before REAL,
    due_before INTEGER,
    last_review_before INTEGER,
    parameters_id INTEGER REFERENCES parameters(id),
    reviewed_at INTEGER NOT NULL GENERATED ALWAYS AS (id >> {TIME_SHIFT}) VIRTUAL,
    mode TEXT NOT NULL GENERATED ALWAYS AS (CASE kind {MODE_OF_KIND} END) VIRTUAL
);
INSERT INTO reviews_keyed (id, card_id, rating, duration_ms, kind, undoes, state_before,
    step_before, stability_before, difficulty_before, due_before, last_review_before,
    parameters_id)
SELECT k.new, r.card_id, r.rating, r.duration_ms, CASE r.mode {_KIND_OF_MODE} END,
       (SELECT u.new FROM temp.review_keys u WHERE u.old = r.undoes), r.state_before,
       r.step_before, r.stability_before, r.difficulty_before, r.due_before,
       r.last_review_before, r.parameters_id
FROM reviews r JOIN temp.review_keys k ON k.old = r.id
ORDER BY k.new;
CREATE TABLE journal_keyed (
    seq INTEGER PRIMARY KEY,
    review_id INTEGER NOT NULL UNIQUE REFERENCES reviews_keyed(id),
    uid TEXT NOT NULL UNIQUE,
    device TEXT NOT NULL,
    moves INTEGER NOT NULL
);
INSERT INTO journal_keyed (seq, review_id, uid, device, moves)
SELECT j.review_id, k.new, j.uid, j.device, j.moves
FROM journal j JOIN temp.review_keys k ON k.old = j.review_id
ORDER BY j.review_id;
DROP TABLE journal;
DROP TRIGGER IF EXISTS reviews_no_update;
DROP TRIGGER IF EXISTS reviews_no_delete;
DROP TRIGGER IF EXISTS reviews_no_replace;
DROP TABLE reviews;
DROP TABLE temp.review_keys;
ALTER TABLE reviews_keyed RENAME TO reviews;
ALTER TABLE journal_keyed RENAME TO journal;
CREATE INDEX journal_by_device ON journal(device, seq);
CREATE INDEX reviews_by_card ON reviews(card_id, rating, due_before, last_review_before);
CREATE INDEX reviews_undone ON reviews(undoes) WHERE undoes IS NOT NULL;
{APPEND_ONLY}
"""
"""Migration m015: the review log and the device journal rebuilt, every row kept."""
