"""Deck text turned into Textual `Content`: always literal, so `[bold]` in a card stays `[bold]`."""

from __future__ import annotations

from textual.content import Content

from trainer.core.grading import char_diff
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


def typed_diff(given: str, expected: str) -> Content:
    """What was typed against the right answer: extra characters struck, missing ones marked."""
    styles = {"same": "", "extra": "bold red strike", "missing": "bold green underline"}
    return Content.assemble(*((run, styles[kind]) for kind, run in char_diff(given, expected)))


def typed_answer(given: str, closest: str, answer: str) -> Content:
    """What was typed, marked against the accepted answer it came closest to, then the answer."""
    return Content.assemble(
        "You typed: ", typed_diff(given, closest), "\nAnswer:    ", (answer, "bold")
    )


def passage_text(passage: Passage) -> Content:
    """The cited lines with the answer highlighted."""
    text = Content(passage.text).stylize("italic")
    for start, end in passage.highlights:
        text = text.stylize("bold reverse", start, end)
    return text
