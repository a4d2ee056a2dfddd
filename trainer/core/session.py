"""One sitting of study: which card comes next, and the tallies the summary shows.

The store gives the queue as it stands when the session starts. Cards answered into a learning
step come back in the same session when their step is due, as in Anki; when nothing else is
left, a learning card due within `LEARN_AHEAD` is shown early rather than ending the session.

Two rules keep one card from giving another away. Once a card is answered, its siblings (the
other side of a reversed card, the other deletions of a cloze) leave the session, as Anki buries
them; and a card is not shown right after one citing the same source lines when another card
could come first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from trainer.core.grading import Rating
from trainer.core.progress import Progress, State
from trainer.core.study_order import LEARN_AHEAD, NO_TIES, CardTies

__all__ = ["LEARN_AHEAD", "Answer", "StudySession"]


@dataclass
class Answer:
    """One answer given in this session, kept so it can be undone."""

    card_id: int
    rating: Rating
    seconds: float
    requeued: bool
    order: tuple[int, ...] = ()
    """The order the card's choices were shown in, so undoing shows them the same way."""
    buried: list[tuple[int, int]] = field(default_factory=list)
    """Siblings this answer took out of the queue, with the place each had."""


@dataclass
class StudySession:
    """The cards of one study sitting and what the learner did with them."""

    queue: list[int]
    """Card ids still to show, in order."""
    started: datetime
    learning: dict[int, datetime] = field(default_factory=dict)
    """Cards waiting for their next learning step, with the time it is due."""
    answers: list[Answer] = field(default_factory=list)
    ties: dict[int, CardTies] = field(default_factory=dict)
    """Siblings and citations of the session's cards (cards without any are left out)."""

    def next_card(self, now: datetime) -> int | None:
        """The card to show now, or None when the session is over."""
        waiting = sorted(self.learning.items(), key=lambda item: item[1])
        due = [card_id for card_id, at in waiting if at <= now]
        ahead = [card_id for card_id, at in waiting if now < at <= now + LEARN_AHEAD]
        first = [*due, *self.queue]
        choice = self._apart(first) or self._apart(ahead)
        if choice is not None:
            return choice
        return first[0] if first else (ahead[0] if ahead else None)

    def _apart(self, candidates: list[int]) -> int | None:
        """The first candidate not citing what the last answered card cited."""
        if not self.answers:
            return candidates[0] if candidates else None
        last = self.ties.get(self.answers[-1].card_id, NO_TIES)
        for card_id in candidates:
            if not self.ties.get(card_id, NO_TIES).same_source(last):
                return card_id
        return None

    def record(
        self,
        card_id: int,
        rating: Rating,
        after: Progress,
        seconds: float,
        now: datetime,
        order: tuple[int, ...] = (),
    ) -> None:
        """Note an answer; a card still in (re)learning comes back when its step is due.

        Its siblings still waiting in the queue leave the session.
        """
        if card_id in self.learning:
            del self.learning[card_id]
        elif self.queue and self.queue[0] == card_id:
            self.queue.pop(0)
        elif card_id in self.queue:
            self.queue.remove(card_id)
        due = after.due
        requeue = after.state in (State.LEARNING, State.RELEARNING) and due is not None
        if due is not None and requeue and due - now < timedelta(days=1):
            self.learning[card_id] = due
        answer = Answer(card_id, rating, seconds, requeue and card_id in self.learning, order)
        answer.buried = self._bury_siblings(card_id)
        self.answers.append(answer)

    def _bury_siblings(self, card_id: int) -> list[tuple[int, int]]:
        group = self.ties.get(card_id, NO_TIES).siblings
        if group is None:
            return []
        buried = [
            (place, other)
            for place, other in enumerate(self.queue)
            if other != card_id and self.ties.get(other, NO_TIES).siblings == group
        ]
        taken = {other for _, other in buried}
        self.queue = [other for other in self.queue if other not in taken]
        return buried

    def undo_answer(self) -> Answer | None:
        """Forget the last answer and put its card first again (its siblings back in place)."""
        if not self.answers:
            return None
        last = self.answers.pop()
        self.learning.pop(last.card_id, None)
        for place, other in last.buried:
            self.queue.insert(place, other)
        self.queue.insert(0, last.card_id)
        return last

    def undo(self) -> int | None:
        """Forget the last answer in the tallies and put its card first again; returns its id."""
        last = self.undo_answer()
        return last.card_id if last else None

    @property
    def done(self) -> int:
        """Answers given so far."""
        return len(self.answers)

    @property
    def left(self) -> int:
        """Cards still to show, learning steps included."""
        return len(self.queue) + len(self.learning)

    @property
    def correct_share(self) -> float:
        """Share of answers that were not Again (0 before any answer)."""
        if not self.answers:
            return 0.0
        return sum(answer.rating is not Rating.AGAIN for answer in self.answers) / len(self.answers)

    @property
    def cards_studied(self) -> int:
        """Distinct cards answered at least once."""
        return len({answer.card_id for answer in self.answers})

    @property
    def seconds_answering(self) -> float:
        """Time spent on answered cards."""
        return sum(answer.seconds for answer in self.answers)
