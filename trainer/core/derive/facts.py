"""The fact finders of `trainer derive` for figures: dates and amounts (acronyms: `acronyms`).

Each finder reads the document's sentences and returns `Draft`s: cards not yet written out,
each knowing the lines it came from. None of them needs more than patterns and word lists, so
the same document always gives the same drafts. Statements ("X is Y", enumerations) are found in
`statements`, lists in `lists`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from trainer.core.cards import Kind
from trainer.core.derive.questions import date_question
from trainer.core.derive.text import (
    Block,
    Role,
    Span,
    clip,
    read_blocks,
    sentences,
    title,
)


@dataclass(frozen=True)
class Draft:
    """A drafted card: what it asks, its answer and the document lines that hold the answer."""

    topic: str
    """Which finder made it (`acronyms`, `dates`, `numbers`, `definitions`, `lists`)."""
    kind: Kind
    prompt: str
    """The question, the statement, or for a cloze card its text without brackets."""
    first_line: int
    last_line: int
    position: tuple[int, int]
    """Where the fact stands (line, offset), to keep the deck in the document's order."""
    answers: tuple[str, ...] = ()
    """The answer (basic, reversed) or every accepted answer (typed), the canonical first."""
    choices: tuple[tuple[str, bool], ...] = ()
    deletions: tuple[tuple[int, int, str], ...] = ()
    """Cloze cards: each deletion's start and end in `prompt`, and its hint."""
    false_prompt: str = ""
    """True-or-false drafts: the statement made false by swapping one figure, year or name."""
    truth: bool = True
    """True-or-false drafts: whether the card shows `prompt` (true) or `false_prompt`."""
    note: str = ""
    """Shown after the answer: for a false statement, the true one."""


@dataclass
class Document:
    """A document read into blocks and sentences."""

    blocks: list[Block]
    sentences: list[Span] = field(default_factory=list)

    @classmethod
    def read(cls, text: str) -> Document:
        """Read a document's text."""
        blocks = read_blocks(text)
        found = [
            sentence
            for block in blocks
            if block.role in (Role.TEXT, Role.ITEM)
            for sentence in sentences(block)
            if len(sentence.text.split()) >= 4
        ]
        return cls(blocks, found)

    @cached_property
    def _words(self) -> dict[str, set[int]]:
        """For each word, the sentences holding it: mentions are counted in these alone."""
        index: dict[str, set[int]] = {}
        for number, sentence in enumerate(self.sentences):
            for word in re.findall(r"\w+", sentence.text):
                index.setdefault(word, set()).add(number)
        return index

    @cached_property
    def _block_words(self) -> dict[str, set[int]]:
        index: dict[str, set[int]] = {}
        for number, block in enumerate(self.blocks):
            for word in re.findall(r"\w+", block.text):
                index.setdefault(word, set()).add(number)
        return index

    @cached_property
    def title_words(self) -> frozenset[str]:
        """The words of the document's title: a name among them is what the document is about.

        Only a heading is a title here; a document opening with a sentence has none.
        """
        first = next((block for block in self.blocks if block.role is not Role.SKIP), None)
        if first is None or first.role is not Role.HEADING:
            return frozenset()
        return frozenset(re.findall(r"\w+", title(self.blocks).casefold()))

    def in_title(self, name: str) -> bool:
        """Whether every word of `name` is in the document's title ("United States" in "United
        States-Canada Military Partnership"): asking for it would be a guess, not a fact."""
        words = re.findall(r"\w+", name.casefold())
        return bool(words) and all(word in self.title_words for word in words)

    @cached_property
    def leaning(self) -> frozenset[str]:
        """Sentences opening with "The <noun>" for a noun the sentence before it introduced
        ("... a decree issued in Memphis. The decree appears in three scripts"): alone, a card
        would not say which. A noun of the title ("The stone" of "The Rosetta Stone") is the
        document's subject, and is clear."""
        found = set()
        for before, sentence in zip(self.sentences, self.sentences[1:], strict=False):
            opening = re.match(r"The ([a-z]+)\s", sentence.text)
            if opening is None or before.block is not sentence.block:
                continue
            noun = opening.group(1)
            if noun in self.title_words or noun.rstrip("s") in self.title_words:
                continue
            if re.search(rf"\b{noun}\b", before.text):
                found.add(sentence.text)
        return frozenset(found)

    def sentence_case(self, clause: str) -> str:
        """`clause` with its first word in lower case when that word is a common one, so that a
        question can put it after its opening: "Production rose" -> "production rose" (the
        document writes "production" elsewhere), but "Fleming published" stays."""
        first, _, rest = clause.partition(" ")
        lower = first.lower()
        if first == lower or not lower.isalpha() or lower not in self._block_words:
            return clause
        return f"{lower} {rest}" if rest else lower

    def occurrences(self, name: str) -> int:
        """How many times `name` occurs as whole words anywhere in the document."""
        pattern = _whole_words(name)
        return sum(
            len(pattern.findall(self.blocks[number].text))
            for number in _holding(self._block_words, name)
        )

    def mentions(self, name: str) -> int:
        """In how many sentences `name` occurs as whole words."""
        pattern = _whole_words(name)
        return sum(
            1
            for number in _holding(self._words, name)
            if pattern.search(self.sentences[number].text)
        )


@lru_cache(maxsize=4096)
def _whole_words(name: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")


def _holding(index: dict[str, set[int]], name: str) -> list[int]:
    """The places (sentences or blocks) holding every word of `name`, in order."""
    words = re.findall(r"\w+", name)
    if not words:
        return []
    found = set.intersection(*(index.get(word, set()) for word in words))
    return sorted(found)


def cloze(topic: str, span: Span, facts: list[tuple[int, int, str]]) -> Draft:
    """A cloze draft deleting each fact (block offsets and hint) from the clause `span`."""
    first, last = span.lines
    deletions = tuple((start - span.start, end - span.start, hint) for start, end, hint in facts)
    start = facts[0][0]
    return Draft(
        topic,
        Kind.CLOZE,
        span.text,
        first,
        last,
        (span.block.line_at(start), start),
        deletions=deletions,
    )


# -- dates ------------------------------------------------------------------------------------

_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_YEAR = r"(?:1[6-9]\d\d|20\d\d)"
_DATE = re.compile(
    rf"(?<![\w$.,])(?:(?P<date>{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+{_YEAR}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+{_YEAR})"
    rf"|(?P<month>{_MONTH}\s+(?:of\s+)?{_YEAR})"
    rf"|(?P<year>{_YEAR}))(?![\w%]|[.,]\d)"
)
# A four-digit number after these words is an amount ("over 2000 troops"), not a year.
_QUANTITY_CUES = frozenset(
    "over about around approximately nearly almost roughly some than top exceeds exceeding "
    "up".split()
)
AS_OF = re.compile(r"\bas of (?:the (?:end|start|beginning) of )?$", re.IGNORECASE)
_HINTS = {"year": "year", "month": "month and year", "date": "date"}


def date_matches(text: str) -> Iterator[tuple[re.Match[str], str]]:
    """Each date or year in `text`, with its precision (`date`, `month` or `year`)."""
    for match in _DATE.finditer(text):
        previous = text[: match.start()].split()[-1:]
        if previous and previous[0].lower().strip("(") in _QUANTITY_CUES:
            continue
        precision = next(name for name in ("date", "month", "year") if match.group(name))
        yield match, precision


def find_dates(document: Document) -> Iterator[Draft]:
    """Years and dates -> "In what year ...?" typed cards, or cloze cards with the date deleted."""
    for sentence in document.sentences:
        for match, precision in date_matches(sentence.text):
            if AS_OF.search(sentence.text[: match.start()]):
                continue  # "as of the end of 2024": when the page was written, not a fact
            start, end = sentence.start + match.start(), sentence.start + match.end()
            span = clip(sentence, start, end)
            fact = match.group()
            question = None
            # A clause cut out of a longer sentence may have lost what the date belongs to.
            if (span.start, span.end) == (sentence.start, sentence.end):
                clause = document.sentence_case(span.text)
                question = date_question(clause, start - span.start, end - span.start, precision)
            if question is None or _contains(question, fact):
                yield cloze("dates", span, [(start, end, _HINTS[precision])])
                continue
            first, last = span.lines
            yield Draft(
                "dates",
                Kind.TYPED,
                question,
                first,
                last,
                (sentence.block.line_at(start), start),
                answers=_date_forms(fact, precision),
            )


def _contains(question: str, fact: str) -> bool:
    digits = re.findall(r"\d+", fact)
    return any(re.search(rf"(?<!\d){d}(?!\d)", question) for d in digits)


def _date_forms(fact: str, precision: str) -> tuple[str, ...]:
    """The date as written, then the other common order (`May 12, 1958` / `12 May 1958`)."""
    fact = " ".join(fact.split())
    if precision != "date":
        return (fact,)
    us = re.match(r"^([A-Za-z]+\.?)\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$", fact)
    if us:
        return fact, f"{us.group(2)} {us.group(1)} {us.group(3)}"
    day_first = re.match(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+\.?),?\s+(\d{4})$", fact)
    if day_first:
        return fact, f"{day_first.group(2)} {day_first.group(1)}, {day_first.group(3)}"
    return (fact,)


# -- figures ----------------------------------------------------------------------------------

_FIGURE = re.compile(
    r"(?<![\w$\u20ac\u00a3.,\-])"
    r"(?P<currency>(?:US|CA|C|A)?[$\u20ac\u00a3]\s?)?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
    r"(?P<scale>\s(?:thousand|million|billion|trillion)\b)?"
    r"(?P<percent>\s?%|\s(?:per\s?cent|percent)\b)?"
    r"(?![\w\u2019']|[.,]\d)"
)
_WORD_NUMBER = re.compile(
    r"(?<![\w-])(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
    r"(?:-(?:one|two|three|four|five|six|seven|eight|nine))?"
    r"|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen"
    r"|sixteen|seventeen|eighteen|nineteen)(?![\w-])"
)
_NEXT_WORD = re.compile(r"^\s+([A-Za-z][\w\-]*)")
# Words that cannot be what a figure counts: "in 52 of them", "5 and 6".
_NOT_UNITS = frozenset(
    "a an the and or of to in on at by for from with as is are was were be been has have had "
    "that which who this these those its their it than then per".split()
)


def figure_matches(text: str) -> Iterator[tuple[int, int]]:
    """Where `text` states an amount: a number with its unit, a percentage or a sum of money."""
    dates = [match.span() for match, _ in date_matches(text)]
    candidates = [(m, True) for m in _FIGURE.finditer(text)]
    candidates += [(m, False) for m in _WORD_NUMBER.finditer(text)]
    for match, digits in sorted(candidates, key=lambda item: item[0].start()):
        start, end = match.span()
        if any(a < end and start < b for a, b in dates):
            continue
        if digits and (match.group("currency") or match.group("scale") or match.group("percent")):
            yield start, end
            continue
        unit = _NEXT_WORD.match(text[end:])
        previous = text[:start].split()[-1:]
        cue = bool(previous) and previous[0].lower().strip("(") in _QUANTITY_CUES
        counted = unit is not None and unit.group(1).lower() not in _NOT_UNITS
        if not digits and unit is not None and counted and not unit.group(1).islower():
            counted = False  # "Five Eyes" is a name, not five of something
        if counted or (digits and cue):
            yield start, end


def find_figures(document: Document) -> Iterator[Draft]:
    """Numbers with their unit, percentages and money -> cloze cards deleting the figure."""
    for sentence in document.sentences:
        for start, end in figure_matches(sentence.text):
            start, end = sentence.start + start, sentence.start + end
            yield cloze("numbers", clip(sentence, start, end), [(start, end, "")])
