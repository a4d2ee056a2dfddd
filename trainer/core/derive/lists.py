"""Bullet lists -> multiple-choice drafts for `trainer derive`.

A list a sentence introduces ("... working cooperatively to:") becomes one cloze card, the
sentence and its items, each item deleted. A list under a heading asks "Which of these is listed
under <heading>?": one of its items is the right choice and the wrong ones come from the
document's other lists, so every option is a plausible phrase from the same document; with no
other list to draw from it gives no card.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from rapidfuzz import fuzz

from trainer.core.cards import Kind
from trainer.core.derive.facts import Document, Draft
from trainer.core.derive.text import Block, Role, sentences
from trainer.core.grading import normalise

MAX_CHOICE_WORDS = 10
MAX_LABEL_WORDS = 8
WRONG_CHOICES = 3
MAX_CLOZE_ITEMS = 6
MIN_WRONG_CHOICES = 2
# Lists of where to read more are not facts about the subject.
_SKIPPED_HEADINGS = frozenset(
    [
        "links",
        "related links",
        "see also",
        "references",
        "related",
        "resources",
        "further reading",
        "sources",
        "contents",
        "table of contents",
        "share",
        "navigation",
        "menu",
        "footnotes",
        "notes",
    ]
)
_TRAILING_JOINER = re.compile(r"(?:[;,.]?\s+(?:and|or))?\s*[;,.:]*$")


@dataclass(frozen=True)
class BulletList:
    """A list's items under what introduces them."""

    heading: str
    heading_line: int
    intro: bool
    """True when a sentence ending in `:` introduces the list, rather than a heading."""
    items: tuple[Block, ...]

    @cached_property
    def choices(self) -> list[tuple[str, int]]:
        """The items short enough to be choices, with their lines."""
        found: list[tuple[str, int]] = []
        for item in self.items:
            text = choice_text(item.text)
            if text and all(normalise(text) != normalise(seen) for seen, _ in found):
                found.append((text, item.first_line))
        return found


def choice_text(item: str) -> str | None:
    """An item as a choice: its label (`Label: details`) or the whole item when it is short."""
    text = " ".join(item.split()).replace(" ,", ",")
    label, colon, _ = text.partition(": ")
    if not colon and text.endswith(":"):
        label, colon = text[:-1], ":"
    if colon and 1 <= len(label.split()) <= MAX_LABEL_WORDS and not re.search(r"[.!?]", label):
        text = label
    text = _TRAILING_JOINER.sub("", text).strip()
    if len(text.split()) > MAX_CHOICE_WORDS or len(re.sub(r"\W", "", text)) < 3:
        return None
    return text


def bullet_lists(blocks: list[Block]) -> list[BulletList]:
    """Every list of the document, nested lists under their parent item's label."""
    found: list[BulletList] = []
    index = 0
    while index < len(blocks):
        if blocks[index].role is not Role.ITEM:
            index += 1
            continue
        run = [blocks[index]]
        end = index + 1
        # Items a blank line apart still form one list; a wider gap starts another.
        while (
            end < len(blocks)
            and blocks[end].role is Role.ITEM
            and blocks[end].first_line - run[-1].last_line <= 2
        ):
            run.append(blocks[end])
            end += 1
        top = min(item.indent for item in run)
        heading = _heading_before(blocks, index)
        if heading is not None:
            found.append(BulletList(*heading, tuple(i for i in run if i.indent == top)))
        for position, item in enumerate(run):
            if item.indent != top:
                continue
            children = []
            for child in run[position + 1 :]:
                if child.indent == top:
                    break
                children.append(child)
            label = choice_text(item.text)
            if children and label:
                level = min(child.indent for child in children)
                nested = tuple(child for child in children if child.indent == level)
                found.append(BulletList(label, item.first_line, False, nested))
        index = end
    return [
        bullet_list
        for bullet_list in found
        if bullet_list.heading.strip(" :").lower() not in _SKIPPED_HEADINGS
    ]


def _heading_before(blocks: list[Block], index: int) -> tuple[str, int, bool] | None:
    """The heading or introducing sentence right before the list at `index`, if any."""
    if index == 0:
        return None
    previous = blocks[index - 1]
    if previous.role is Role.HEADING:
        return previous.text.rstrip(":").strip(), previous.first_line, False
    if previous.role is Role.TEXT and previous.text.rstrip().endswith(":"):
        last = list(sentences(previous))[-1]
        return last.text.rstrip(":").strip(), last.lines[1], True
    return None


def find_lists(document: Document) -> Iterator[Draft]:
    """A cloze card per list a sentence introduces, deleting each item; a multiple-choice draft
    per list under a heading, its wrong options from the other lists."""
    lists = [bullet_list for bullet_list in bullet_lists(document.blocks)]
    usable = [bullet_list for bullet_list in lists if len(bullet_list.choices) >= 2]
    for bullet_list in usable:
        choices = bullet_list.choices
        if bullet_list.intro:
            if len(choices) <= MAX_CLOZE_ITEMS:
                yield _list_cloze(bullet_list)
            continue
        others = [other.choices for other in usable if other is not bullet_list]
        wrong = _wrong_choices([text for text, _ in choices], others)
        where = _where(bullet_list)
        if len(wrong) >= MIN_WRONG_CHOICES:  # three options at least, as a fair question has
            text, line = choices[0]
            question = f"Which of these is listed {where}?"
            options = [(text, True)] + [(option, False) for option in wrong]
            yield Draft(
                "lists",
                Kind.CHOICE,
                question,
                bullet_list.heading_line,
                line,
                (bullet_list.heading_line, 0),
                choices=tuple(sorted(options, key=lambda option: _shuffle(question, option[0]))),
            )
            continue


def _list_cloze(bullet_list: BulletList) -> Draft:
    """The introducing sentence and its items as one cloze card: "... working cooperatively to:
    [Address threats early]; [Facilitate trade, economic growth and jobs]; ..."."""
    prompt, deletions = f"{bullet_list.heading}: ", []
    for index, (text, _) in enumerate(bullet_list.choices):
        if index:
            prompt += "; "
        deletions.append((len(prompt), len(prompt) + len(text), ""))
        prompt += text
    return Draft(
        "lists",
        Kind.CLOZE,
        prompt + ".",
        bullet_list.heading_line,
        bullet_list.choices[-1][1],
        (bullet_list.heading_line, 0),
        deletions=tuple(deletions),
    )


def _where(bullet_list: BulletList) -> str:
    if not bullet_list.intro:
        return f"under {bullet_list.heading}"
    words = bullet_list.heading.split()
    shown = " ".join(words[-10:])
    return f'after "{"…" if len(words) > 10 else ""}{shown}"'


def _wrong_choices(right: list[str], others: list[list[tuple[str, int]]]) -> list[str]:
    """Up to three items of other lists, taken in turn from each, unlike every right item."""
    wrong: list[str] = []
    depth = 0
    while len(wrong) < WRONG_CHOICES and any(depth < len(other) for other in others):
        for other in others:
            if depth < len(other) and len(wrong) < WRONG_CHOICES:
                text = other[depth][0]
                if all(fuzz.ratio(normalise(text), normalise(seen)) < 85 for seen in right + wrong):
                    wrong.append(text)
        depth += 1
    return wrong


def _shuffle(question: str, option: str) -> bytes:
    """A fixed but unguessable order of the options, so the right one is not always first."""
    return hashlib.blake2b(f"{question}\0{option}".encode(), digest_size=8).digest()
