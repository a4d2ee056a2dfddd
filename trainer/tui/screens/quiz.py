"""A quiz: N questions in mixed formats, scored at the end.

Answers are logged with mode `quiz` and leave the schedule alone, so a quiz never disturbs
spaced repetition. Questions are built (and answers logged) in thread workers.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Input

from trainer.core.grading import Verdict
from trainer.core.quiz import DEFAULT_QUESTIONS, Format, QuizQuestion, ask
from trainer.store.errors import StoreError
from trainer.tui.context import trainer
from trainer.tui.screens.quiz_result import QuizResult, QuizResultScreen
from trainer.tui.screens.shown_card import VERDICT_LINES
from trainer.tui.widgets.card_face import CardFace
from trainer.tui.widgets.rendering import typed_answer
from trainer.tui.widgets.session_bar import SessionBar

FORMAT_LABELS = {
    Format.CHOICE: "Multiple choice",
    Format.TRUE_FALSE: "True or false?  (t / f)",
    Format.TYPED: "Type the answer",
}


@dataclass
class QuizRun:
    """The questions of one quiz and how each was answered."""

    questions: list[QuizQuestion]
    started: datetime
    verdicts: list[Verdict] = field(default_factory=list)
    selected: set[int] = field(default_factory=set)
    answered: bool = False
    shown_at: datetime | None = None

    @property
    def current(self) -> QuizQuestion | None:
        index = len(self.verdicts) - (1 if self.answered else 0)
        return self.questions[index] if index < len(self.questions) else None


class QuizScreen(Screen[None]):
    """Answer a quiz of questions drawn from some decks."""

    BINDINGS = [
        *(Binding(str(n), f"choose({n})", "Choose", show=n == 1) for n in range(1, 10)),
        Binding("t", "truth(True)", "True"),
        Binding("f", "truth(False)", "False"),
        Binding("enter,space", "next", "Next"),
        Binding("escape", "finish", "End quiz"),
    ]

    def __init__(
        self, title: str, deck_ids: list[int] | None, count: int = DEFAULT_QUESTIONS
    ) -> None:
        super().__init__()
        self.quiz_title = title
        """What the quiz is on."""
        self.deck_ids = deck_ids
        """The decks questions come from (None: every deck)."""
        self.count = count
        """How many questions to ask."""
        self.run: QuizRun | None = None

    def compose(self) -> ComposeResult:
        yield SessionBar()
        yield CardFace()
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(SessionBar).show(f"Quiz: {self.quiz_title}", 0, self.count)
        self.set_interval(1, self.tick)
        self.prepare()

    def tick(self) -> None:
        """Show the time since the quiz began, every second."""
        if self.run is not None:
            seconds = (self.now - self.run.started).total_seconds()
            self.query_one(SessionBar).show_elapsed(seconds)

    @property
    def now(self) -> datetime:
        return trainer(self).clock()

    @work(thread=True, exclusive=True, group="quiz")
    def prepare(self) -> None:
        app = trainer(self)
        rng = random.Random(app.seed)
        try:
            cards, pools = app.store.quiz_draw(self.deck_ids, self.count, rng)
        except StoreError as error:
            self.app.call_from_thread(self.app.notify, str(error), severity="error")
            return
        questions = ask(cards, pools, rng)
        self.app.call_from_thread(self._begin, QuizRun(questions, self.now))

    def _begin(self, run: QuizRun) -> None:
        if not run.questions:
            self.notify("These decks have no cards to quiz on yet.", severity="warning")
            self.app.pop_screen()
            return
        self.run = run
        self._ask()

    def _ask(self) -> None:
        run = self.run
        assert run is not None
        question = run.current
        if question is None:
            self._show_result()
            return
        run.selected = set()
        run.shown_at = self.now
        self.query_one(SessionBar).show(
            f"Quiz: {self.quiz_title}", len(run.verdicts), len(run.questions) - len(run.verdicts)
        )
        face = self.query_one(CardFace)
        label = FORMAT_LABELS[question.format]
        prompt: Content | str = question.prompt
        if question.format is Format.TRUE_FALSE and question.claim:
            prompt = Content.assemble(question.prompt, "\n\nAnswer: ", (question.claim, "bold"))
        if question.format is Format.CHOICE and len(question.correct) > 1:
            label += "  (pick all that apply, then enter)"
        face.ask(label, prompt, options=question.options, typing=question.format is Format.TYPED)
        self.refresh_bindings()
        if question.format is not Format.TYPED:
            self.set_focus(None)

    def _answer(self, verdict: Verdict, given: str = "", closest: str = "") -> None:
        run = self.run
        assert run is not None
        question = run.current
        assert question is not None
        run.verdicts.append(verdict)
        run.answered = True
        face = self.query_one(CardFace)
        if question.format is Format.CHOICE:
            face.mark_choices(run.selected, question.correct)
        answer: Content | str = Content.assemble("Answer: ", (question.answer, "bold"))
        if question.format is Format.TRUE_FALSE:
            answer = _true_false_answer(question)
        elif question.format is Format.TYPED and given:
            answer = typed_answer(
                given,
                closest or question.answer,
                question.answer,
                question=question.prompt,
                strict=question.strict,
                verdict=verdict,
            )
        face.reveal(answer, verdict=Content.styled(*VERDICT_LINES[verdict]))
        self.set_focus(None)
        self.refresh_bindings()
        seconds = (self.now - (run.shown_at or self.now)).total_seconds()
        self.log_answer(question.card_id, verdict, int(seconds * 1000))

    @work(thread=True, group="quiz-log")
    def log_answer(self, card_id: int, verdict: Verdict, duration_ms: int) -> None:
        """Log the answer as a quiz review; the schedule moves only if the learner asked for it."""
        app = trainer(self)
        try:
            app.store.record_review(
                card_id,
                verdict.proposed_rating,
                self.now,
                duration_ms=duration_ms,
                mode="quiz",
                reschedule=app.quiz_reschedules,
            )
        except StoreError as error:
            self.app.call_from_thread(self.app.notify, str(error), severity="error")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer only the keys that fit the question on screen."""
        run = self.run
        question = run.current if run else None
        if run is None or question is None or action in ("finish", "next"):
            return True
        if action == "choose":
            return not run.answered and question.format is Format.CHOICE
        if action == "truth":
            return not run.answered and question.format is Format.TRUE_FALSE
        return True

    def action_choose(self, number: int) -> None:
        run = self.run
        question = run.current if run else None
        if run is None or question is None or run.answered or question.format is not Format.CHOICE:
            return
        index = number - 1
        if index >= len(question.options):
            return
        if len(question.correct) == 1:
            run.selected = {index}
            self._answer(question.check({index}))
            return
        run.selected ^= {index}
        self.query_one(CardFace).mark_choices(run.selected)

    def action_truth(self, value: bool) -> None:
        run = self.run
        question = run.current if run else None
        if run and question and not run.answered and question.format is Format.TRUE_FALSE:
            self._answer(question.check(value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        run = self.run
        question = run.current if run else None
        if run and question and not run.answered:
            check = question.check_typed(event.value)
            self._answer(check.verdict, event.value, check.expected)

    def action_next(self) -> None:
        run = self.run
        if run is None:
            return
        question = run.current
        if not run.answered:
            if question is not None and question.format is Format.CHOICE and run.selected:
                self._answer(question.check(set(run.selected)))
            return
        run.answered = False
        self._ask()

    def action_finish(self) -> None:
        if self.run is None or not self.run.verdicts:
            self.app.pop_screen()
            return
        self.run.questions = self.run.questions[: len(self.run.verdicts)]
        self.run.answered = False
        self._show_result()

    def _show_result(self) -> None:
        run = self.run
        assert run is not None
        result = QuizResult.of(
            self.quiz_title, run.questions, run.verdicts, (self.now - run.started).total_seconds()
        )
        self.app.switch_screen(QuizResultScreen(result))


def _true_false_answer(question: QuizQuestion) -> Content:
    """Which of true and false was right, in words (not only colour), and what the answer is."""
    truth = ("true" if question.claim_is_true else "false", "bold")
    if question.claim:
        said = Content.assemble("The answer shown is ", truth, ".")
        if not question.claim_is_true:
            said = Content.assemble(said, "\nAnswer: ", (question.answer, "bold"))
        return said
    said = Content.assemble("The statement is ", truth, ".")
    if question.answer not in ("true", "false"):
        said = Content.assemble(said, "\n", question.answer)  # the note says what is true
    return said
