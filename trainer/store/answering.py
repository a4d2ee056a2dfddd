"""Recording one answer: the card's state read, its next state worked out, both written.

All of it runs in the caller's immediate transaction (`Store.record_review`), so no other
process's answer to the same card can come between the state read and the state written: that
answer would be lost. A card the screen has shown (`StudyCard`, read with its deck's schedule and
the weights in use) need not be read again: its new state is written only where the card is
still as it was shown, with the same weights in use (`_WRITE_IF_AS_SHOWN`). Where it is not
(another process answered it, or adopted new weights, since), it is read again and the answer
worked out anew, as for a card that was not shown. An answer is scheduled with the settings of
its deck as they were when the card was shown: the intervals its buttons showed, which the screen
hands in as they were worked out for the buttons (`schedule.Buttons`), so the answer does not
work them out again (unless a study day began meanwhile).
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Sequence
from datetime import datetime
from types import ModuleType
from typing import TYPE_CHECKING, Any

from trainer.core.cards import Schedule
from trainer.core.progress import Progress
from trainer.store import card_flags, review_log
from trainer.store.rows import PROGRESS_COLUMNS, StudyCard, card_to_answer

if TYPE_CHECKING:
    from trainer.core.grading import Rating  # loaded by the screens that answer
    from trainer.schedule import Buttons

_AS_SHOWN = (
    "".join(f" AND {name} IS ?" for name in PROGRESS_COLUMNS)
    + " AND (SELECT max(id) FROM parameters) IS ?"
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
    buttons: Buttons | None = None,
) -> Progress:
    """Log an answer to the card and store its next state (unless not `reschedule`: a quiz's);
    a lapse that makes the card a leech suspends it. Returns the card's progress afterwards.
    `shown`: the card as the screen showed it, if it did; `buttons`, what its buttons showed
    (`schedule.buttons` of it), taken as they are while they hold (`schedule.taken`)."""
    scheduler = _scheduler()
    if reschedule and shown is not None and shown.id == card_id:
        before, schedule, parameters_id = shown.progress, shown.schedule, shown.parameters_id
        after = _answered(scheduler, shown, buttons, rating, now)
        if not _write_if_as_shown(conn, card_id, after, shown.stored, parameters_id):
            shown = None  # changed since: read again
    else:
        shown = None
    if shown is None:
        key, before, schedule, parameters_id, weights = card_to_answer(conn, card_id, defaults)
        after = before
        if reschedule:
            after = scheduler.next_progress(
                scheduler.card_seed(key), before, rating, now, schedule,
                weights or scheduler.DEFAULT_PARAMETERS,
            )  # fmt: skip
            review_log.write_progress(conn, card_id, after, before.state)
    review_log.append_review(
        conn, card_id, int(rating), now, duration_ms, mode, before, parameters_id
    )
    if after.lapses > before.lapses and card_flags.is_leech_lapse(
        after.lapses, schedule.leech_lapses
    ):
        card_flags.mark_leech(conn, card_id)
    return after


def _answered(
    scheduler: ModuleType, shown: StudyCard, buttons: Buttons | None, rating: Rating, now: datetime
) -> Progress:
    """The shown card's state after the answer: as its `buttons` said, while they hold for it
    and for `now`, else worked out anew."""
    weights = shown.weights or scheduler.DEFAULT_PARAMETERS
    if buttons is not None:
        after = scheduler.taken(buttons, shown.progress, rating, now, shown.schedule, weights)
        if after is not None:
            return after
    seed = scheduler.card_seed(shown.card.key)
    return scheduler.next_progress(seed, shown.progress, rating, now, shown.schedule, weights)


@functools.cache
def _scheduler() -> ModuleType:
    """`trainer.schedule`, imported at the first answer (with fsrs), not with the store."""
    from trainer import schedule

    return schedule


def _write_if_as_shown(
    conn: sqlite3.Connection,
    card_id: int,
    after: Progress,
    shown: Sequence[Any],
    parameters_id: int | None,
) -> bool:
    """Store the card's state `after`, if its progress columns still hold `shown` (as read,
    `StudyCard.stored`) and the weights in use are still `parameters_id`'s; whether they were."""
    same = after.state == shown[0]
    row = review_log.progress_row(card_id, after)
    cursor = conn.execute(
        _WRITE_IF_AS_SHOWN[same], (*(row[1:] if same else row), *shown, parameters_id)
    )
    return cursor.rowcount == 1
