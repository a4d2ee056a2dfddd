"""The end of a quiz: the score, each missed question with its right answer, and a way to study them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from trainer.core.grading import Verdict
from trainer.core.quiz import QuizQuestion
from trainer.tui.context import trainer
from trainer.tui.widgets.rendering import shown
from trainer.tui.widgets.session_bar import format_elapsed


@dataclass(frozen=True)
class QuizResult:
    """How a quiz went."""

    title: str
    asked: int
    right: int
    missed: tuple[QuizQuestion, ...]
    seconds: float

    @classmethod
    def of(
        cls,
        title: str,
        questions: Sequence[QuizQuestion],
        verdicts: Sequence[Verdict],
        seconds: float,
    ) -> QuizResult:
        """Score the answered questions; an almost-right typed answer counts as right."""
        missed = tuple(q for q, v in zip(questions, verdicts) if v is Verdict.WRONG)
        return cls(title, len(verdicts), len(verdicts) - len(missed), missed, seconds)


class QuizResultScreen(Screen[None]):
    """Score and missed questions; `s` studies the missed cards now."""

    BINDINGS = [
        Binding("s", "study_missed", "Study missed cards"),
        Binding("enter,escape", "home", "Home"),
    ]

    def __init__(self, result: QuizResult) -> None:
        super().__init__()
        self.result = result
        """The quiz's outcome."""

    def compose(self) -> ComposeResult:
        result = self.result
        share = result.right / result.asked if result.asked else 0
        with VerticalScroll(id="quiz-result"):
            yield Static(shown(f"Quiz over: {result.title}", one_line=True), id="summary-title")
            yield Static(
                f"Score  {result.right} / {result.asked}  ({share:.0%})   in {format_elapsed(result.seconds)}",
                classes="figure",
            )
            if not result.missed:
                yield Static("No mistakes.", classes="figure")
            else:
                yield Static("Missed:", classes="figure")
            for question in result.missed:
                yield Static(
                    Content.assemble(
                        ("• ", "bold"),
                        shown(question.prompt),
                        "\n  ",
                        ("→ ", "bold $success"),
                        shown(question.answer).stylize("bold $success"),
                    ),
                    classes="missed",
                )
            hint = "s studies the missed cards now; " if result.missed else ""
            yield Static(f"{hint}enter goes back to your decks.", id="summary-hint")
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action != "study_missed" or bool(self.result.missed)

    def action_study_missed(self) -> None:
        if not self.result.missed:
            return
        card_ids = list(dict.fromkeys(q.card_id for q in self.result.missed))
        self.app.switch_screen(
            trainer(self).study_screen(f"Missed in quiz: {self.result.title}", None, card_ids)
        )

    def action_home(self) -> None:
        self.app.pop_screen()
