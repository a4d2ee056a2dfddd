"""Deck text turned into Textual `Content`: always literal, so `[bold]` in a card stays `[bold]`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.content import Content, Span

from trainer.core.safe_text import printable, printable_line

if TYPE_CHECKING:
    from trainer.core.grading import Verdict
    from trainer.core.sources import Passage

# Grading is imported where an answer is marked: the home screen, which paints first, uses only
# `shown` and `cell`.

CLOZE_MASK = "[...]"


def shown(value: Content | str, *, one_line: bool = False) -> Content:
    """Deck or database text as safe, literal `Content`: never markup, no terminal controls.

    A string becomes `Content` as it is (so `[/]` in a deck name is text, not a closing tag),
    with every control character shown as a visible escape (see `trainer.core.safe_text`);
    `Content` built from deck text keeps its styles, moved to where the escaped text puts them.
    `one_line` shows newlines and tabs as escapes too, for titles and table cells.
    """
    clean = printable_line if one_line else printable
    if isinstance(value, str):
        return Content(clean(value))
    plain = value.plain
    if clean(plain) == plain:
        return value
    # Escaping lengthens the text: clean it piece by piece between span edges, so each style
    # still covers the characters it covered.
    edges = sorted({0, len(plain), *(e for span in value.spans for e in (span.start, span.end))})
    moved = {0: 0}
    pieces = []
    for start, end in zip(edges, edges[1:]):
        pieces.append(clean(plain[start:end]))
        moved[end] = moved[start] + len(pieces[-1])
    spans = [Span(moved[span.start], moved[span.end], span.style) for span in value.spans]
    return Content("".join(pieces), spans)


def cell(text: str) -> Text:
    """Deck or database text for one cell of a table: literal, on one line, no controls."""
    return Text(printable_line(text))


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
    from trainer.core.grading import typed_marks

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
    from trainer.core.grading import Verdict, typed_marks

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
