"""One question on screen: the prompt, choices or an answer box, then the answer and its source.

Everything a card shows passes through `shown` here, so no deck text reaches the terminal raw,
whichever screen (study or quiz) built it.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Input, Static

from trainer.tui.widgets.rendering import shown


class CardFace(VerticalScroll):
    """Shows a question and, once answered, the answer, a verdict, a note and the cited passage."""

    def compose(self) -> ComposeResult:
        yield Static("", id="kind", markup=False)
        yield Static("", id="prompt", markup=False)
        yield Static("", id="choices", markup=False)
        yield Input(placeholder="Type your answer, then press enter", id="answer-input")
        yield Static("", id="verdict", markup=False)
        yield Static("", id="answer", markup=False)
        yield Static("", id="note", markup=False)
        yield Static("", id="citation", markup=False)
        yield Static("", id="passage", markup=False)

    def ask(
        self,
        kind: str,
        prompt: Content | str,
        *,
        options: Sequence[str] = (),
        typing: bool = False,
        hint: str = "",
    ) -> None:
        """Show a fresh question; `options` numbers the choices, `typing` shows the answer box."""
        self.query_one("#kind", Static).update(kind)
        self.query_one("#prompt", Static).update(shown(prompt))
        self._options = list(options)
        self.mark_choices(set())
        box = self.query_one("#answer-input", Input)
        box.value = ""
        box.disabled = False
        box.display = typing
        for part in ("verdict", "answer", "note", "citation", "passage"):
            self.query_one(f"#{part}", Static).update("")
        self.query_one("#passage", Static).display = False
        self.set_class(False, "-revealed")
        self.scroll_home(animate=False)
        if typing:
            box.focus()
        if hint:
            self.query_one("#note", Static).update(shown(f"Hint: {hint}"))

    def mark_choices(
        self, selected: set[int], correct: frozenset[int] | set[int] | None = None
    ) -> None:
        """Number the choices and mark the selected ones; once answered, mark right and wrong."""
        lines = []
        for index, option in enumerate(self._options):
            box = "[x]" if index in selected else "[ ]"
            style, said = "", ""
            if correct is not None:
                # Said in words too: without colour (NO_COLOR) the marks alone must tell.
                if index in correct:
                    style, said = "bold $success", "  <- right"
                elif index in selected:
                    style, said = "$error strike", "  <- wrong"
                else:
                    style = "dim"
            lines.append(
                Content.assemble(
                    f" {index + 1}. {box} ", shown(option, one_line=True).stylize(style), said
                )
            )
        choices = self.query_one("#choices", Static)
        choices.update(Content("\n").join(lines))
        choices.display = bool(lines)

    def reveal(
        self,
        answer: Content | str,
        *,
        verdict: Content | str = "",
        note: str = "",
        citation: str = "",
        passage: Content | str = "",
    ) -> None:
        """Show the answer and what goes with it."""
        box = self.query_one("#answer-input", Input)
        box.disabled = True
        self.query_one("#verdict", Static).update(shown(verdict))
        self.query_one("#answer", Static).update(shown(answer))
        self.query_one("#note", Static).update(shown(note))
        self.query_one("#citation", Static).update(
            shown(f"Source: {citation}", one_line=True) if citation else ""
        )
        passage_box = self.query_one("#passage", Static)
        passage_box.update(shown(passage))
        passage_box.display = bool(passage)
        self.set_class(True, "-revealed")

    @property
    def typed(self) -> str:
        """What is in the answer box."""
        return self.query_one("#answer-input", Input).value
