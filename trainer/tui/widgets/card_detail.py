"""The browser's detail pane: a card, its standing, its source passage and its history."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from textual.content import Content

from trainer.core.cards import Kind
from trainer.core.library import shown_path
from trainer.core.progress import format_interval
from trainer.core.sources import Passage
from trainer.store.card_history import PastAnswer
from trainer.store.rows import StudyCard
from trainer.store.search import FoundCard
from trainer.tui.widgets.rendering import cloze_answer, passage_text

FLAG_NAMES = {1: "red", 2: "orange", 3: "green", 4: "blue"}
RATING_NAMES = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}


def marks(card: FoundCard) -> str:
    """What sets the card apart: suspended, buried, leech, its flag."""
    words = [
        word
        for word, on in (
            ("suspended", card.suspended),
            ("buried", card.buried),
            ("leech", card.leech),
        )
        if on
    ]
    if card.flag:
        words.append(f"{FLAG_NAMES[card.flag]} flag")
    return ", ".join(words)


def due_text(card: FoundCard, now: datetime) -> str:
    """When the card is due, as the table shows it: `new`, `now`, `in 3d`, `2d ago`."""
    due = card.progress.due
    if due is None:
        return "new"
    if due <= now:
        return "now" if now - due < timedelta(days=1) else f"{format_interval(now - due)} ago"
    return f"in {format_interval(due - now)}"


def memory(card: FoundCard) -> tuple[str, str, str]:
    """Stability (days), difficulty and retrievability as short texts ("-" for a new card)."""
    progress = card.progress
    if progress.stability is None or progress.difficulty is None:
        return "-", "-", "-"
    recall = f"{card.retrievability:.0%}" if card.retrievability is not None else "-"
    return f"{progress.stability:.1f}d", f"{progress.difficulty:.1f}", recall


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'s' if number != 1 else ''}"


def detail(
    card: FoundCard,
    study: StudyCard,
    history: list[PastAnswer],
    passage: Passage | None,
    now: datetime,
) -> Content:
    """Everything the detail pane shows about one card (deck text kept literal)."""
    shown = study.card
    answer: Content | str = shown.answer
    if shown.kind is Kind.CLOZE:
        answer = cloze_answer(shown.prompt, shown.answer)
    parts: list[Content | str | tuple[str, str]] = [
        (shown.prompt, "bold"),
        "\n\n",
    ]
    if shown.choices:
        for choice in shown.choices:
            parts += [("  [x] " if choice.correct else "  [ ] "), choice.text, "\n"]
        parts.append("\n")
    parts += [("Answer: ", "$text-muted"), answer, "\n"]
    if shown.note:
        parts += [("Note: ", "$text-muted"), shown.note, "\n"]
    stability, difficulty, recall = memory(card)
    parts += [
        "\n",
        ("Deck: ", "$text-muted"),
        f"{card.deck}  ({shown_path(Path(card.deck_path))}:{card.line})\n",
        ("Kind: ", "$text-muted"),
        f"{card.kind}    ",
        ("Tags: ", "$text-muted"),
        f"{' '.join(card.tags) or '-'}\n",
        ("State: ", "$text-muted"),
        (
            "new, never answered\n"
            if card.progress.due is None
            else f"{card.state}, due {due_text(card, now)}   S {stability}  D {difficulty}  "
            f"R {recall}   {_count(card.progress.reps, 'review')}, "
            f"{_count(card.progress.lapses, 'lapse')}\n"
        ),
    ]
    if marks(card):
        parts += [("Marked: ", "$text-muted"), (marks(card), "bold $warning"), "\n"]
    if shown.source is not None:
        parts += ["\n", ("Source: ", "$text-muted"), f"{shown.source}\n"]
        if passage is not None:
            parts += [passage_text(passage), "\n"]
    parts += ["\n", ("History", "bold"), "\n"]
    if not history:
        parts.append("Never answered.\n")
    for past in reversed(history):
        interval = format_interval(past.interval) if past.interval is not None else "-"
        recall = f"{past.retrievability:.0%}" if past.retrievability is not None else "-"
        stability = f"{past.stability:.1f}d" if past.stability is not None else "-"
        difficulty = f"{past.difficulty:.1f}" if past.difficulty is not None else "-"
        line = (
            f"{past.at.astimezone():%Y-%m-%d %H:%M}  {RATING_NAMES.get(past.rating, '?'):<5}  "
            f"ivl {interval:>5}  S {stability:>6}  D {difficulty:>4}  R {recall:>4}"
        )
        if past.mode != "review":
            line += f"  ({past.mode})"
        if past.undone:
            line += "  (undone)"
        parts += [line, "\n"]
    return Content.assemble(*parts)
