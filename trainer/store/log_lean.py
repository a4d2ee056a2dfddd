"""A leaner review log: the statements of migration `m017_leaner_review_log`.

The state before each answer is what an undo restores and what the statistics and the optimizer
read, so every value is kept exactly, in fewer bytes (`trainer.store.log_codec`): stability and
difficulty as 32-bit floats' bit patterns (4 bytes each instead of 8), the due time and the last
review relative to the answer's own time (`late_ms`, `interval_code`: a few bytes instead of 12).
The old names are computed columns, for the readers that read the table row anyway; the readers
that go through `reviews_by_card` name the stored columns (`log_codec.last_review_sql`,
`interval_sql`), which is all that index now holds besides the card and the rating.

The ids do not change. The device journal is rebuilt as it is, because it refers to the log: a
dropped table that is still referred to leaves a foreign-key violation behind (see
`trainer.store.log_layout`).
"""

from __future__ import annotations

from trainer.store.log_codec import due_sql, encode_span_sql, float_sql, last_review_sql
from trainer.store.log_layout import APPEND_ONLY, MODE_OF_KIND, TIME_SHIFT

ENCODE_FLOAT = "trainer_encode_float"
"""The SQL function the migration registers for `log_codec.encode_float` (SQL has no way to
read a float's bits)."""

_AT = f"(id >> {TIME_SHIFT})"


def log_table(name: str, shift: int) -> str:
    """The review log's table as m017 made it, named `name`, its ids `shift` bits below their
    times (m021 makes it again with fewer)."""
    at = f"(id >> {shift})"
    return f"""CREATE TABLE {name} (
    id INTEGER PRIMARY KEY,
    card_id INTEGER NOT NULL REFERENCES cards(id),
    rating INTEGER,
    duration_ms INTEGER NOT NULL DEFAULT 0,
    kind INTEGER NOT NULL DEFAULT 0,
    undoes INTEGER REFERENCES {name}(id),
    state_before INTEGER NOT NULL,
    step_before INTEGER,
    stability_code,  -- no type: a REAL must stay a REAL and an INTEGER an INTEGER
    difficulty_code,
    late_ms INTEGER,
    interval_code INTEGER,
    parameters_id INTEGER REFERENCES parameters(id),
    reviewed_at INTEGER NOT NULL GENERATED ALWAYS AS {at} VIRTUAL,
    mode TEXT NOT NULL GENERATED ALWAYS AS (CASE kind {MODE_OF_KIND} END) VIRTUAL,
    stability_before REAL GENERATED ALWAYS AS ({float_sql("stability_code")}) VIRTUAL,
    difficulty_before REAL GENERATED ALWAYS AS ({float_sql("difficulty_code")}) VIRTUAL,
    due_before INTEGER GENERATED ALWAYS AS {due_sql(at)} VIRTUAL,
    last_review_before INTEGER GENERATED ALWAYS AS {last_review_sql(at)} VIRTUAL
);
"""


def journal_table(name: str, reviews: str) -> str:
    """The device journal's table, named `name`, referring to the log's table `reviews`."""
    return f"""CREATE TABLE {name} (
    seq INTEGER PRIMARY KEY,
    review_id INTEGER NOT NULL UNIQUE REFERENCES {reviews}(id),
    uid TEXT NOT NULL UNIQUE,
    device TEXT NOT NULL,
    moves INTEGER NOT NULL
);
"""


def renamed(reviews: str, journal: str) -> str:
    """The statements that put the new log and journal in the old ones' place."""
    return f"""DROP TABLE journal;
DROP TRIGGER IF EXISTS reviews_no_update;
DROP TRIGGER IF EXISTS reviews_no_delete;
DROP TRIGGER IF EXISTS reviews_no_replace;
DROP TABLE reviews;
ALTER TABLE {reviews} RENAME TO reviews;
ALTER TABLE {journal} RENAME TO journal;
CREATE INDEX journal_by_device ON journal(device, seq);
CREATE INDEX reviews_by_card ON reviews(card_id, rating, interval_code, late_ms);
CREATE INDEX reviews_undone ON reviews(undoes) WHERE undoes IS NOT NULL;
{APPEND_ONLY}
"""


LEAN_LOG = f"""
PRAGMA defer_foreign_keys = ON;
{log_table("reviews_lean", TIME_SHIFT)}INSERT INTO reviews_lean (id, card_id, rating, duration_ms, kind, undoes, state_before,
    step_before, stability_code, difficulty_code, late_ms, interval_code, parameters_id)
SELECT id, card_id, rating, duration_ms, kind, undoes, state_before, step_before,
       {ENCODE_FLOAT}(stability_before), {ENCODE_FLOAT}(difficulty_before),
       {_AT} - due_before,
       {encode_span_sql(f"(ifnull(due_before, {_AT}) - last_review_before)")},
       parameters_id
FROM reviews ORDER BY id;
{journal_table("journal_lean", "reviews_lean")}INSERT INTO journal_lean (seq, review_id, uid, device, moves)
SELECT seq, review_id, uid, device, moves FROM journal ORDER BY seq;
{renamed("reviews_lean", "journal_lean")}"""
"""Migration m017: the review log rebuilt with its before-state in fewer bytes, every row kept
(run with `ENCODE_FLOAT` registered)."""
