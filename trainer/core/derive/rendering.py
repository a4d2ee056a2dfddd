"""Writing drafts out as deck text for `trainer derive`: card lines, a deck name, TOML strings."""

from __future__ import annotations

import json
import re
from pathlib import Path

from trainer.core.cards import Kind
from trainer.core.derive.facts import Draft

MAX_NAME = 60


def render(draft: Draft, document_name: str) -> str:
    """The draft as deck text: its card lines, its topic as a tag and its citation."""
    if draft.kind is Kind.CLOZE:
        body = [f"C: {cloze_text(draft.prompt, draft.deletions)}"]
    elif draft.kind is Kind.TRUE_FALSE and not draft.truth:
        body = [f"False: {draft.false_prompt}", f"Note: {draft.note or draft.prompt}"]
    elif draft.kind is Kind.TRUE_FALSE:
        body = [f"True: {draft.prompt}"]
    else:
        body = [f"Q: {draft.prompt}"]
    if draft.kind in (Kind.BASIC, Kind.REVERSED):
        body.append(f"A: {draft.answers[0]}")
    if draft.kind is Kind.REVERSED:
        body.append("Reverse: yes")
    if draft.kind is Kind.TYPED:
        body.extend(f"T: {answer}" for answer in draft.answers)
    body.extend(f"- [{'x' if correct else ' '}] {text}" for text, correct in draft.choices)
    lines = f"{draft.first_line}" + (
        f"-{draft.last_line}" if draft.last_line != draft.first_line else ""
    )
    body.append(f"Tags: {draft.topic}")
    body.append(f"Source: {document_name}:{lines}")
    return "\n".join(body)


def cloze_text(text: str, deletions: tuple[tuple[int, int, str], ...]) -> str:
    """`text` with each deletion in brackets (and its hint after `::`), other brackets escaped."""
    out, last = [], 0
    for start, end, hint in deletions:
        out.append(_escape(text[last:start]))
        out.append(f"[{text[start:end]}{'::' + hint if hint else ''}]")
        last = end
    out.append(_escape(text[last:]))
    return "".join(out)


def _escape(text: str) -> str:
    return text.replace("[", "\\[").replace("]", "\\]")


def deck_name(heading: str, document_name: str) -> str:
    """The deck's name: the document's title, cut to a name's length."""
    name = " ".join(heading.split()).strip(" .:;,")
    if not name:
        return Path(document_name).stem.replace("_", " ").replace("-", " ").strip().title()
    if len(name) > MAX_NAME:
        cut = name[:MAX_NAME].rsplit(" ", 1)[0]
        name = cut.rstrip(" ,;:") + "…"
    return name


def toml_string(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's; control characters are dropped)."""
    return json.dumps(re.sub(r"[\x00-\x1f\x7f]", " ", text), ensure_ascii=False)
