"""The passage behind a card: the cited lines of its document, with the answer marked."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from trainer.core.cards import Citation


@dataclass(frozen=True)
class Passage:
    """Cited lines and where in them the answer stands (character spans in `text`)."""

    citation: Citation
    text: str
    highlights: tuple[tuple[int, int], ...]


def find_passage(sources: Path | None, citation: Citation, answers: list[str]) -> Passage | None:
    """Read the cited lines from `sources`; None when the document or the lines are not there.

    Each answer is marked where it occurs, ignoring case; an answer that does not occur literally
    (a number written another way, say) is simply not marked.
    """
    if sources is None:
        return None
    document = sources / citation.document
    try:
        # Newlines only, as citations are checked and drafted: a form feed starts no line.
        lines = document.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError):
        return None
    if citation.last_line > len(lines):
        return None
    text = "\n".join(line.strip() for line in lines[citation.first_line - 1 : citation.last_line])
    spans: list[tuple[int, int]] = []
    for answer in answers:
        if answer.strip():
            spans.extend(
                m.span() for m in re.finditer(re.escape(answer.strip()), text, re.IGNORECASE)
            )
    return Passage(citation, text, tuple(sorted(set(spans))))
