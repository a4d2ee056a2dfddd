"""Multiple-choice, true-or-false and typed drafts built on a sentence's figures, years and names.

Only a sentence that stands alone is used: whole (or the opening clause of a long one), not a
fragment, and not leaning on the sentence before it (one opening with "It" or "This program"
takes the name the sentence before it opens with, and cites both). For each of its entities (see `entities`):

- multiple choice asks for it ("Which organisation is ...?", "In what year did ...?", or the
  sentence with a blank), the wrong options being other entities of the same kind from the
  same document;
- true or false shows the sentence, or the sentence with the figure, year or name swapped for
  another of the same document, so the cited line contradicts it (which of the two a card
  shows is decided when the deck is put together, so that about half are true);
- a typed answer asks for a figure, a date or a short name.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from trainer.core.cards import Kind
from trainer.core.derive.entities import Entity, Pools, normalise, pools_of
from trainer.core.derive.facts import Document, Draft
from trainer.core.derive.quality import problems
from trainer.core.derive.questions import date_question
from trainer.core.derive.resolving import name_pair
from trainer.core.derive.text import MAX_SENTENCE_WORDS, Role, Span, main_clause

BLANK = "___"
BLANK_PROMPT = "Fill in the blank: "
MIN_WORDS = 6
WRONG_OPTIONS = 3
MIN_WRONG_OPTIONS = 2
MAX_TYPED_NAME_WORDS = 4
_ASK_FOR = {"person": "Who", "organisation": "Which organisation", "operation": "Which operation"}
_SUBJECT_VERBS = frozenset("is was has had remains leads".split())
_PRECISIONS = {"year": "year", "month": "month", "date": "date"}
# Swapping these makes a statement false by the document's own words: a thing happened in one
# year, a figure has one value. A swapped place or listed item might still be true elsewhere.
_FALSE_BY_SWAP = frozenset("year month date percent money amount count".split())
_FALSE_BY_SUBJECT_SWAP = frozenset("person organisation operation".split())
ASIDE = re.compile(
    r"^(?:What['\u2019]s more|In fact|Moreover|However|Nonetheless|Furthermore|In addition"
    r"|Indeed|Still|Meanwhile|Likewise|Similarly),\s+(?=\S)"
)
# A list item's label before its sentence ("Cold War (1958): The U.S. and Canada created ...").
_LABEL = re.compile(r"^[^:.!?]{2,80}:\s+(?=[\"\u201c]?[A-Z])")


@dataclass(frozen=True)
class Standalone:
    """A sentence that can be shown alone, the lines it cites and its entities in its text."""

    span: Span
    """The sentence in the document."""
    text: str
    first_line: int
    last_line: int
    entities: tuple[tuple[Entity, int, int], ...]
    """Each entity with its start and end in `text`."""


def standalone_sentences(document: Document, pools: Pools) -> Iterator[Standalone]:
    """The document's sentences that stand alone as a card, with their entities."""
    for index, whole in enumerate(document.sentences):
        sentence: Span | None = whole
        if whole.words() > MAX_SENTENCE_WORDS:
            sentence = main_clause(whole)  # its opening clause, with a full stop
        if sentence is None or sentence.words() < MIN_WORDS or whole.text in document.leaning:
            continue
        text, shift, first = sentence.text, 0, sentence.lines[0]
        if sentence is not whole:
            text += "."
        aside = ASIDE.match(text)
        if aside is not None:  # "What's more, the CAF is ...": the aside needs what came before
            text = text[aside.end()].upper() + text[aside.end() + 1 :]
            shift = -aside.end()
        resolved = None if aside else _resolve(document, pools, index)
        if resolved is not None:
            cut, name, first = resolved
            text, shift = name + text[cut:], len(name) - cut
        label = _LABEL.match(text)
        if label is not None and resolved is None:
            text, shift = text[label.end() :], shift - label.end()
        entities = tuple(
            (entity, entity.start - sentence.start + shift, entity.end - sentence.start + shift)
            for entity in pools.by_sentence[index]
            if entity.end <= sentence.end
        )
        if resolved is not None:
            entities = tuple(e for e in entities if e[1] >= len(resolved[1]))
        entities = tuple(e for e in entities if e[1] >= 0)  # not in a cut label
        named = name_pair(text, pools.pair)
        if named is not None:
            text = named.text
            moved = [(e, named.moved(a), named.moved(b)) for e, a, b in entities]
            entities = tuple((e, a, b) for e, a, b in moved if a is not None and b is not None)
        if problems(text):
            continue
        yield Standalone(sentence, text, first, sentence.lines[1], entities)


def _resolve(document: Document, pools: Pools, index: int) -> tuple[int, str, int] | None:
    """For a sentence opening "It ..." or "This program ...": the name standing for them.

    The name is the one the sentence before opens with (in the same paragraph, or in the list
    item just before); the result is how many characters of the sentence it replaces, the
    name, and the line the sentence before starts on, which the card must cite too.
    """
    sentence = document.sentences[index]
    pointer = re.match(r"(?:It|(?:This|These) ([a-z]+))\s", sentence.text)
    if pointer is None or index == 0:
        return None
    before: Span = document.sentences[index - 1]
    if before.block is not sentence.block and not (
        before.block.role is sentence.block.role is Role.ITEM
        and sentence.block.first_line - before.block.last_line <= 2
    ):
        return None
    noun = pointer.group(1)
    if noun is not None and not re.search(rf"\b{noun}\b", before.text):
        return None  # "This program" after a sentence that names no program
    offset = 4 if before.text.startswith("The ") else 0
    opening = [e for e in pools.by_sentence[index - 1] if e.start == before.start + offset]
    first_word = before.text.split()[0]
    if opening and opening[0].kind in ("organisation", "acronym", "operation", "name"):
        name = before.text[: offset + len(opening[0].text)]
    elif first_word.isupper() and len(first_word) >= 3:
        name = first_word  # "NORAD is ... It remains ..."
    else:
        return None
    if noun is not None and noun.endswith("s") != name.endswith("s"):
        return None  # "These efforts" cannot stand for one thing
    return pointer.end() - 1, name, before.lines[0]


def find_variants(document: Document) -> Iterator[Draft]:
    """Multiple-choice, true-or-false and typed drafts for every standalone sentence."""
    pools = pools_of(document)
    found = list(standalone_sentences(document, pools))
    # A "false" statement the document states elsewhere would be true: such swaps are dropped.
    stated = {normalise(sentence.text) for sentence in found}
    stated |= {normalise(sentence.text) for sentence in document.sentences}
    for sentence in found:
        for entity, start, end in sentence.entities:
            yield from _drafts_for(pools, sentence, entity, start, end, stated)


def _drafts_for(
    pools: Pools, sentence: Standalone, entity: Entity, start: int, end: int, stated: set[str]
) -> Iterator[Draft]:
    text = sentence.text
    position = (sentence.span.block.line_at(entity.start), entity.start)
    lines = (sentence.first_line, sentence.last_line)
    question = _question(text, entity, start, end, pools.document.sentence_case)
    wrong = pools.alternatives(entity, text, WRONG_OPTIONS)
    if len(wrong) >= MIN_WRONG_OPTIONS and not entity.listed and not _gives_away(question, entity):
        options = [(entity.text, True)] + [(option, False) for option in wrong]
        options.sort(key=lambda option: _shuffle(question, option[0]))
        yield Draft("choices", Kind.CHOICE, question, *lines, position, choices=tuple(options))
    subject = start == 0 or text[:start] in ("The ", "the ")
    figure = entity.kind in _FALSE_BY_SWAP or entity.kind.startswith("count of ")
    swappable = figure or (subject and entity.kind in _FALSE_BY_SUBJECT_SWAP)
    false = text[:start] + wrong[0] + text[end:] if wrong else ""
    if false and swappable and not entity.listed and normalise(false) not in stated:
        yield Draft(
            "statements", Kind.TRUE_FALSE, text, *lines, position, false_prompt=false, note=text
        )
    typed = figure or (entity.kind == "person" and len(entity.text.split()) <= MAX_TYPED_NAME_WORDS)
    if typed:
        yield Draft("typed", Kind.TYPED, question, *lines, position, answers=(entity.text,))


def _question(
    text: str, entity: Entity, start: int, end: int, sentence_case: Callable[[str], str]
) -> str:
    """Ask for the entity: by its kind when it is the subject, by its date, or with a blank."""
    rest = text[end:].strip().rstrip(".!")
    subject = start == 0 or text[:start] in ("The ", "the ")
    verb = rest.split()[0] if rest else ""
    if entity.kind in _ASK_FOR and subject and verb in _SUBJECT_VERBS:
        return f"{_ASK_FOR[entity.kind]} {rest}?"
    if entity.kind in _PRECISIONS:
        clause = sentence_case(text.rstrip("."))
        asked = date_question(clause, start, end, _PRECISIONS[entity.kind])
        if asked is not None and entity.text not in asked:
            return asked
    return BLANK_PROMPT + text[:start] + BLANK + text[end:]


def _gives_away(question: str, entity: Entity) -> bool:
    """Whether the question holds a word of the answer ("Which organisation is a coalition
    ...?" with "Media Freedom Coalition" the only coalition among the options)."""
    asked = {word.casefold() for word in re.findall(r"\w{4,}", question.replace(BLANK, " "))}
    return any(word.casefold() in asked for word in re.findall(r"\w{4,}", entity.text))


def _shuffle(question: str, option: str) -> bytes:
    """A fixed but unguessable order of the options, so the right one is not always first."""
    return hashlib.blake2b(f"{question}\0{option}".encode(), digest_size=8).digest()


def blank_sentence(prompt: str) -> str | None:
    """The sentence of a fill-in-the-blank prompt, for judging it as a clause; else None."""
    if not prompt.startswith(BLANK_PROMPT):
        return None
    return re.sub(re.escape(BLANK), "X", prompt.removeprefix(BLANK_PROMPT))
