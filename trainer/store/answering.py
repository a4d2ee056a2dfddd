"""Recording one answer: the card's state read, its next state worked out, both written.

All of it runs in the caller's immediate transaction (`Store.record_review`), so no other
process's answer to the same card can come between the state read and the state written: that
answer would be lost. A card the screen has shown (`StudyCard`, read with its deck's schedule and
the weights in use) need not be read again: its new state is written only where the card is
still as it was shown, with the same weights in use (`_WRITE_IF_AS_SHOWN`). Where it is not
(another process answered it, or adopted new weights, since), it is read again and the answer
worked out anew, as for a card that was not shown. An answer is scheduled with the settings of
its deck as they were when the card was shown: the intervals its buttons showed.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import TYPE_CHECKING

from trainer.core.cards import Schedule
from trainer.core.progress import Progress
from trainer.store import card_flags, review_log
from trainer.store.rows import StudyCard, card_to_answer

if TYPE_CHECKING:
    from trainer.core.grading import Rating  # loaded by the screens that answer

_AS_SHOWN = (
    " AND state = ? AND step IS ? AND stability IS ? AND difficulty IS ? AND due IS ?"
    " AND last_review IS ? AND reps = ? AND lapses = ?"
    " AND (SELECT max(id) FROM parameters) IS ?"
)
"""The card's stored progress is the one shown, and the weights in use are the ones shown."""
_WRITE_IF_AS_SHOWN = {
    True: review_log.WRITE_PROGRESS_SAME_STATE + _AS_SHOWN,
    False: review_log.WRITE_PROGRESS + _AS_SHOWN,
}
"""By whether the card's state stays the one it had (`review_log.write_progress`)."""


def record_answer(
    conn: sqlite3.Connection,
    card_id: int,
    rating: Rating,
    now: datetime,
    duration_ms: int,
    mode: str,
    reschedule: bool,
    defaults: Schedule,
    shown: StudyCard | None = None,
) -> Progress:
    """Log an answer to the card and store its next state (unless not `reschedule`: a quiz's);
    a lapse that makes the card a leech suspends it. Returns the card's progress afterwards.
    `shown`: the card as the screen showed it, if it did."""
    # fsrs loads only when an answer is recorded.
    from trainer.schedule import DEFAULT_PARAMETERS, card_seed, next_progress

    if reschedule and shown is not None and shown.id == card_id:
        before, schedule, parameters_id = shown.progress, shown.schedule, shown.parameters_id
        after = next_progress(
            card_seed(shown.card.key), before, rating, now, schedule,
            shown.weights or DEFAULT_PARAMETERS,
        )  # fmt: skip
        if not _write_if_as_shown(conn, card_id, after, before, parameters_id):
            shown = None  # changed since: read again
    else:
        shown = None
    if shown is None:
        key, before, schedule, parameters_id, weights = card_to_answer(conn, card_id, defaults)
        after = before
        if reschedule:
            after = next_progress(
                card_seed(key), before, rating, now, schedule, weights or DEFAULT_PARAMETERS
            )
            review_log.write_progress(conn, card_id, after, before.state)
    review_log.append_review(
        conn, card_id, int(rating), now, duration_ms, mode, before, parameters_id
    )
    if after.lapses > before.lapses and card_flags.is_leech_lapse(
        after.lapses, schedule.leech_lapses
    ):
        card_flags.mark_leech(conn, card_id)
    return after


def _write_if_as_shown(
    conn: sqlite3.Connection,
    card_id: int,
    after: Progress,
    before: Progress,
    parameters_id: int | None,
) -> bool:
    """Store the card's state `after`, if its stored state is still `before` and the weights in
    use still `parameters_id`'s; whether it was."""
    same = after.state == before.state
    row = review_log.progress_row(card_id, after)
    shown = review_log.progress_row(card_id, before)[:-1]  # its columns, without the id
    cursor = conn.execute(
        _WRITE_IF_AS_SHOWN[same], (*(row[1:] if same else row), *shown, parameters_id)
    )
    return cursor.rowcount == 1
