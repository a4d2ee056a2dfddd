"""Narrower review ids: the statements of migration m021's part for the review log.

A review's id was its time shifted left 14 bits (m015): 55 bits, 8 bytes in the table's keys
and in every index entry that points at a review, where Anki's millisecond ids take 6. Shifted 5
bits (`review_log.TIME_SHIFT`: 32 answers in one millisecond), an id takes 7 bytes in the table
and 6 in an index until the year 2109: 3 bytes a review, 3 MB at 1,000,000 reviews.

Each review keeps its place in the log's order and its time: the new id is its millisecond
shifted 5 bits plus its count in that millisecond. An answer beyond the 32nd of one millisecond
(only a log imported with coarse times holds so many) takes the next free id, a millisecond
later per 32, its due time and last review kept (they are stored relative to the answer's time,
`log_codec`). The undo rows'
`undoes` and the device journal's `review_id` follow their reviews to their new ids; the
journal's `uid`s, which other devices know, stay as they are. The table is made again (its
computed columns read the time from the id) as m017 made it.
"""

from __future__ import annotations

from trainer.store import log_layout
from trainer.store.log_codec import encode_span_sql
from trainer.store.log_lean import journal_table, log_table, renamed
from trainer.store.review_log import TIME_SHIFT

_OLD = log_layout.TIME_SHIFT
_MOVED = f"((k.new >> {TIME_SHIFT}) - (r.id >> {_OLD}))"
"""How many milliseconds later an answer's new id puts it (0 but past a full millisecond)."""
_SPAN = encode_span_sql(f"((r.id >> {_OLD}) + {_MOVED} - r.last_review_before)")
_STORED = (
    "card_id, rating, duration_ms, kind, undoes, state_before, step_before, stability_code, "
    "difficulty_code, late_ms, interval_code, parameters_id"
)

NARROW_IDS = f"""
PRAGMA defer_foreign_keys = ON;
CREATE TEMP TABLE review_ids (old INTEGER PRIMARY KEY, new INTEGER NOT NULL);
INSERT INTO temp.review_ids (old, new)
SELECT id, place + max(((id >> {_OLD}) << {TIME_SHIFT}) + (id & {(1 << _OLD) - 1}) - place)
    OVER (ORDER BY id ROWS UNBOUNDED PRECEDING)
FROM (SELECT id, row_number() OVER (ORDER BY id) AS place FROM reviews);
{log_table("reviews_narrow", TIME_SHIFT)}
INSERT INTO reviews_narrow (id, {_STORED})
SELECT k.new, r.card_id, r.rating, r.duration_ms, r.kind,
       (SELECT u.new FROM temp.review_ids u WHERE u.old = r.undoes), r.state_before,
       r.step_before, r.stability_code, r.difficulty_code, r.late_ms + {_MOVED},
       CASE WHEN r.late_ms IS NULL AND {_MOVED} != 0 THEN {_SPAN} ELSE r.interval_code END,
       r.parameters_id
FROM reviews r JOIN temp.review_ids k ON k.old = r.id
ORDER BY k.new;
{journal_table("journal_narrow", "reviews_narrow")}
INSERT INTO journal_narrow (seq, review_id, uid, device, moves)
SELECT j.seq, k.new, j.uid, j.device, j.moves
FROM journal j JOIN temp.review_ids k ON k.old = j.review_id
ORDER BY j.seq;
DROP TABLE temp.review_ids;
{renamed("reviews_narrow", "journal_narrow")}
"""
"""Migration m021, the log's part: every review and journal row kept, under narrower ids."""
