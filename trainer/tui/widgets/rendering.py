"""Deck text turned into Textual `Content`: always literal, so `[bold]` in a card stays `[bold]`."""

from __future__ import annotations

from textual.content import Content

from trainer.core.grading import Verdict, typed_marks
from trainer.core.sources import Passage

CLOZE_MASK = "[...]"


def cloze_question(prompt: str, hint: str) -> Content:
    """The cloze text with its deletion masked, showing the hint in the mask when there is one."""
    mask = f"[{hint}]" if hint else CLOZE_MASK
    before, _, after = prompt.partition(CLOZE_MASK)
    return Content.assemble(before, (mask, "bold $accent"), after)


def cloze_answer(prompt: str, answer: str) -> Content:
    """The cloze text with the deletion filled in and marked."""
    before, _, after = prompt.partition(CLOZE_MASK)
    return Content.assemble(before, (answer, "bold reverse"), after)


def typed_diff(given: str, expected: str, *, question: str = "", strict: bool = False) -> Content:
    """The typed answer marked against the right one: what does not belong struck, what is
    missing underlined, and only where the difference counts (`typed_marks`)."""
    return _marked(typed_marks(given, expected, question=question, strict=strict))


def _marked(runs: list[tuple[str, str]]) -> Content:
    styles = {"same": "", "extra": "bold red strike", "missing": "bold green underline"}
    return Content.assemble(*((run, styles[kind]) for kind, run in runs))


def typed_answer(
    given: str,
    closest: str,
    answer: str,
    *,
    question: str = "",
    strict: bool = False,
    verdict: Verdict | None = None,
) -> Content:
    """What was typed, exactly as typed; then, unless it was right, the differences that count,
    marked against the accepted answer it came closest to; then the answer.

    Pass the `verdict` the answer was given (and the `question` and `strict` it was checked with)
    so the marks agree with it; without them the answer is checked again, leniently.
    """
    lines = [Content.assemble("You typed: ", given)]
    if verdict is not Verdict.CORRECT:
        runs = typed_marks(given, closest, question=question, strict=strict)
        if any(kind != "same" for kind, _ in runs):
            lines.append(Content.assemble("Marked:    ", _marked(runs)))
    lines.append(Content.assemble("Answer:    ", (answer, "bold")))
    return Content("\n").join(lines)


def passage_text(passage: Passage) -> Content:
    """The cited lines with the answer highlighted."""
    text = Content(passage.text).stylize("italic")
    for start, end in passage.highlights:
        text = text.stylize("bold reverse", start, end)
    return text
