"""One sitting of study: which card comes next, and the tallies the summary shows.

The store gives the queue as it stands when the session starts. Cards answered into a learning
step come back in the same session when their step is due, as in Anki; when nothing else is
left, a learning card due within `LEARN_AHEAD` is shown early rather than ending the session.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from trainer.core.grading import Rating
from trainer.core.progress import Progress, State

LEARN_AHEAD = timedelta(minutes=20)
"""How far ahead a waiting learning card may be shown when nothing else is due (Anki's default)."""


@dataclass
class Answer:
    """One answer given in this session, kept so it can be undone."""

    card_id: int
    rating: Rating
    seconds: float
    requeued: bool


@dataclass
class StudySession:
    """The cards of one study sitting and what the learner did with them."""

    queue: list[int]
    """Card ids still to show, in order."""
    started: datetime
    learning: dict[int, datetime] = field(default_factory=dict)
    """Cards waiting for their next learning step, with the time it is due."""
    answers: list[Answer] = field(default_factory=list)

    def next_card(self, now: datetime) -> int | None:
        """The card to show now, or None when the session is over."""
        if self.learning:
            card_id, due = min(self.learning.items(), key=lambda item: item[1])
            if due <= now or (not self.queue and due <= now + LEARN_AHEAD):
                return card_id
        return self.queue[0] if self.queue else None

    def record(
        self, card_id: int, rating: Rating, after: Progress, seconds: float, now: datetime
    ) -> None:
        """Note an answer; a card still in (re)learning comes back when its step is due."""
        if card_id in self.learning:
            del self.learning[card_id]
        elif self.queue and self.queue[0] == card_id:
            self.queue.pop(0)
        else:
            self.queue.remove(card_id)
        due = after.due
        requeue = after.state in (State.LEARNING, State.RELEARNING) and due is not None
        if due is not None and requeue and due - now < timedelta(days=1):
            self.learning[card_id] = due
        self.answers.append(Answer(card_id, rating, seconds, requeue and card_id in self.learning))

    def undo(self) -> int | None:
        """Forget the last answer in the tallies and put its card first again; returns its id."""
        if not self.answers:
            return None
        last = self.answers.pop()
        self.learning.pop(last.card_id, None)
        self.queue.insert(0, last.card_id)
        return last.card_id

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
