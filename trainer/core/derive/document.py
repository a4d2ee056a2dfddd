"""Drafting a deck from a plain-text document (`trainer derive`), offline and deterministically.

The fact finders (`facts`, `names`, `statements`, `lists`, `variants`, `claims`) propose
cards; this module keeps the ones that hold up, `ranking` keeps the best of them, and they are
written out as a deck. A draft is kept only when it parses on its own, its cited lines contain
its answer (checked with the same code as `trainer check --sources`, so a drafted deck always
passes that check), and what the learner reads is a whole sentence or its opening clause that
leans on no other (`quality`). Of duplicates and near duplicates (the same answer in much the
same words) one stays: the more specific finder's, then the first in the document.

Nothing here depends on the clock, the machine or Python's hash seed: the same document always
gives the same deck, byte for byte.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz

from trainer.core.cards import Card, Kind
from trainer.core.citations import missing_evidence
from trainer.core.deckfile import DeckError, parse_deck
from trainer.core.derive.acronyms import find_acronyms
from trainer.core.derive.claims import find_claims
from trainer.core.derive.facts import Document, Draft, find_dates, find_figures
from trainer.core.derive.lists import find_lists
from trainer.core.derive.names import find_names
from trainer.core.derive.quality import problems
from trainer.core.derive.ranking import default_limit, select
from trainer.core.derive.rendering import deck_name, render, toml_string
from trainer.core.derive.resolving import document_pair, name_pair
from trainer.core.derive.statements import find_definitions, find_enumerations
from trainer.core.derive.text import Role, Span, main_clause, title
from trainer.core.derive.variants import ASIDE, blank_sentence, find_variants
from trainer.core.grading import normalise

FINDERS: tuple[Callable[[Document], Iterator[Draft]], ...] = (
    find_acronyms,
    find_definitions,
    find_dates,
    find_figures,
    find_names,
    find_enumerations,
    find_lists,
)
"""The fact finders, in the order their drafts win a tie for the same place."""
TOPICS = ("acronyms", "dates", "numbers", "definitions", "names", "enumerations", "lists")
"""What each finder tags its drafts with, the most specific first: it wins over a duplicate."""
CHOOSERS: tuple[Callable[[Document], Iterator[Draft]], ...] = (find_variants, find_claims)
"""Finders that ask about a fact in another way (choices, true or false, typed, why): their
drafts do not push out the others', since the ranking keeps one card per sentence anyway."""
NEAR_DUPLICATE = 90
"""Drafts sharing an answer are duplicates when their words match this well (rapidfuzz, 0-100)."""


def draft_deck(text: str, document_name: str, max_cards: int | None = None) -> str:
    """The text of a draft deck for the document `text`, whose file is called `document_name`.

    It holds the best `max_cards` drafts (by default about one per 60 words of the document).
    Every card cites `document_name` and the lines its answer stands on. The same text and name
    always give the same deck, byte for byte. Raises ValueError for a name a citation cannot
    hold (one with spaces, or a path) or a `max_cards` below 1.
    """
    _check_name(document_name)
    if max_cards is not None and max_cards < 1:
        raise ValueError(f"cannot keep {max_cards} cards: ask for at least 1")
    document = Document.read(text)
    limit = max_cards if max_cards is not None else default_limit(text)
    drafts = _distinct(
        select(
            draft_cards(text, document_name, document),
            limit,
            _sentence_finder(document),
            near_duplicates,
            answer_words,
        ),
        document_name,
    )
    name = deck_name(title(document.blocks), document_name)
    description = (
        f"A draft drawn from {document_name} by trainer derive: check each card against the "
        "document, reword it in your own words and delete what is not worth learning."
    )
    parts = [
        "+++\n"
        f"name = {toml_string(name)}\n"
        f"description = {toml_string(description)}\n"
        'tags = ["draft"]\n'
        f"sources = [{toml_string(document_name)}]\n"
        "+++",
        f"Drafted from {document_name}, {len(drafts)} card{'s' if len(drafts) != 1 else ''}. "
        "Each cites the line it came from.",
    ]
    headings = [
        (block.first_line, block.text) for block in document.blocks if block.role is Role.HEADING
    ]
    section = None
    for draft in drafts:
        heading = _section(headings, draft.first_line)
        if heading is not None and heading != section:
            parts.append(f"# {heading}")
            section = heading
        parts.append(render(draft, document_name))
    return "\n\n".join(parts) + "\n"


def draft_cards(text: str, document_name: str, document: Document | None = None) -> list[Draft]:
    """Every draft worth keeping, in document order: checked, merged and without duplicates.

    A draft is kept when it parses, its cited lines hold its answer, and what the learner reads
    is no fragment and leans on no sentence it does not show (see `quality`).
    """
    document = document or Document.read(text)
    lines = text.replace("\r\n", "\n").split("\n")
    openings = {opening.text for s in document.sentences if (opening := main_clause(s)) is not None}
    whole = {s.text for s in document.sentences if s.text not in document.leaning}
    whole |= {f"{o}." for o in openings}
    whole |= {_without_aside(text) for text in whole}
    pair = document_pair(document)
    whole |= {named.text for text in whole if (named := name_pair(text, pair)) is not None}
    proposed = [
        draft
        for finder in FINDERS
        for draft in map(lambda d: _as_shown(d, openings, pair), finder(document))
        if stands_alone(draft, whole)
    ]
    # Where two drafts ask for the same fact, the more specific finder's stays (a figure's cloze
    # over the enumeration that holds the figure); then the document's order, which the stable
    # sorts keep.
    proposed = sorted(_merge_clozes(proposed), key=lambda draft: draft.position)
    proposed = sorted(proposed, key=_priority)
    kept: list[Draft] = []
    keys: set[str] = set()
    # Drafts can only be near duplicates when their answers share a word: compare those alone,
    # so a long document does not cost a comparison of every pair.
    by_word: dict[str, list[int]] = {}
    for draft in proposed:
        cards = _cards(render(draft, document_name))
        if not cards or not all(_cited_truly(card, lines) for card in cards):
            continue
        card_keys = {card.key for card in cards}
        words = {word for answer in _normalised_answers(draft) for word in answer.split()}
        rivals = sorted({index for word in words for index in by_word.get(word, [])})
        if card_keys & keys or any(near_duplicates(draft, kept[index]) for index in rivals):
            continue
        for word in words:
            by_word.setdefault(word, []).append(len(kept))
        kept.append(draft)
        keys |= card_keys
    for finder in CHOOSERS:
        for draft in finder(document):
            cards = _cards(render(draft, document_name))
            false = _cards(render(replace(draft, truth=False), document_name))
            checked = cards + (false if draft.false_prompt else [])
            if not cards or not stands_alone(draft, whole) or {card.key for card in cards} & keys:
                continue
            if all(_cited_truly(card, lines) for card in checked):
                kept.append(draft)
                keys |= {card.key for card in cards}
    return sorted(kept, key=lambda draft: draft.position)


def _as_shown(draft: Draft, openings: set[str], pair: str | None) -> Draft:
    """A cloze draft's text as a card shows it alone.

    The opening clause of a long sentence ends with a full stop; a sentence opening with an
    aside ("Nonetheless, ...") starts after it, since the aside needs what came before; "the two
    countries" becomes the pair the document is about (see `resolving`).
    """
    if draft.kind is not Kind.CLOZE:
        return draft
    if draft.prompt in openings:
        draft = replace(draft, prompt=draft.prompt + ".")
    aside = ASIDE.match(draft.prompt)
    if aside is not None and all(start >= aside.end() for start, _, _ in draft.deletions):
        cut = aside.end()
        draft = replace(
            draft,
            prompt=draft.prompt[cut].upper() + draft.prompt[cut + 1 :],
            deletions=tuple((start - cut, end - cut, hint) for start, end, hint in draft.deletions),
        )
    named = name_pair(draft.prompt, pair)
    if named is None:
        return draft
    moved = [(named.moved(start), named.moved(end), hint) for start, end, hint in draft.deletions]
    if any(start is None or end is None for start, end, _ in moved):
        return draft  # a deletion inside the phrase: left as it is, and turned away
    return replace(
        draft,
        prompt=named.text,
        deletions=tuple((start or 0, end or 0, hint) for start, end, hint in moved),
    )


def _without_aside(text: str) -> str:
    aside = ASIDE.match(text)
    return text if aside is None else text[aside.end()].upper() + text[aside.end() + 1 :]


def _distinct(drafts: list[Draft], document_name: str) -> list[Draft]:
    """The drafts without one whose card repeats an earlier card's question (a statement made
    false can read like another true one), which `trainer check` would refuse."""
    kept: list[Draft] = []
    keys: set[str] = set()
    for draft in drafts:
        card_keys = {card.key for card in _cards(render(draft, document_name))}
        if card_keys and not card_keys & keys:
            kept.append(draft)
            keys |= card_keys
    return kept


def stands_alone(draft: Draft, whole: set[str]) -> bool:
    """Whether what the learner reads is a whole clause that needs no sentence before it.

    A cloze card must show one of the document's sentences (`whole`) entire: a clause cut out
    of a longer one loses its subject or its end.
    """
    if draft.kind is Kind.REVERSED or (draft.topic == "lists" and draft.kind is Kind.CHOICE):
        return True  # a name and its acronym; a list's question is written here, whole
    if draft.topic == "lists":
        return not problems(draft.prompt)  # the introducing sentence and its items
    if draft.kind is Kind.CLOZE and draft.prompt not in whole:
        return False
    sentence = blank_sentence(draft.prompt)
    if sentence is not None:
        return not problems(sentence)
    question = draft.kind not in (Kind.CLOZE, Kind.TRUE_FALSE)
    if draft.false_prompt and problems(draft.false_prompt):
        return False
    return not problems(draft.prompt, question=question)


def _sentence_finder(document: Document) -> Callable[[Draft], object]:
    """Which sentence of the document a draft stands on, from where its fact is."""
    by_line: dict[int, list[Span]] = {}
    for sentence in document.sentences:
        first, last = sentence.block.first_line, sentence.block.last_line
        for line in range(first, last + 1):
            by_line.setdefault(line, []).append(sentence)

    def sentence_of(draft: Draft) -> object:
        line, offset = draft.position
        for sentence in by_line.get(line, []):
            if sentence.start <= offset <= sentence.end:
                return (sentence.block.first_line, sentence.start)
        return (line, offset)

    return sentence_of


def _priority(draft: Draft) -> int:
    """The rank of the most specific finder behind the draft (merged clozes have several)."""
    return min(TOPICS.index(topic) for topic in draft.topic.split(", "))


def _merge_clozes(drafts: list[Draft]) -> list[Draft]:
    """Cloze drafts of the very same clause become one card with several deletions."""
    merged: list[Draft] = []
    by_clause: dict[tuple[str, int, int], int] = {}
    for draft in drafts:
        if draft.kind is not Kind.CLOZE:
            merged.append(draft)
            continue
        clause = (draft.prompt, draft.first_line, draft.last_line)
        if clause not in by_clause:
            by_clause[clause] = len(merged)
            merged.append(draft)
            continue
        earlier = merged[by_clause[clause]]
        deletions = list(earlier.deletions)
        for deletion in draft.deletions:
            overlapping = [d for d in deletions if d[0] < deletion[1] and deletion[0] < d[1]]
            # Of two overlapping deletions the wider stays: "[World Wars I and II]", not
            # "[World Wars] I and II".
            if all(d[1] - d[0] < deletion[1] - deletion[0] for d in overlapping):
                deletions = [d for d in deletions if d not in overlapping] + [deletion]
        topics = list(dict.fromkeys(earlier.topic.split(", ") + draft.topic.split(", ")))
        merged[by_clause[clause]] = Draft(
            ", ".join(topics),
            Kind.CLOZE,
            earlier.prompt,
            earlier.first_line,
            earlier.last_line,
            min(earlier.position, draft.position),
            deletions=tuple(sorted(deletions)),
        )
    return merged


def near_duplicates(one: Draft, other: Draft) -> bool:
    """Whether two drafts ask for the same fact: a shared answer, in much the same words.

    Answers are shared when one holds the other as whole words (`top 20 global customers` and
    `20`), since a card asking for either teaches the same fact.
    """
    mine, theirs = _normalised_answers(one), _normalised_answers(other)
    if not any(_holds(a, b) or _holds(b, a) for a in mine for b in theirs):
        return False
    return fuzz.token_set_ratio(_words(one), _words(other)) >= NEAR_DUPLICATE


@lru_cache(maxsize=8192)
def _normalised_answers(draft: Draft) -> tuple[str, ...]:
    return tuple(normalise(answer) for answer in answers(draft))


def answer_words(draft: Draft) -> set[str]:
    """The words of what the draft asks for: two drafts sharing none cannot be duplicates."""
    return {word for answer in _normalised_answers(draft) for word in answer.split()}


def _holds(text: str, part: str) -> bool:
    return bool(part) and f" {part} " in f" {text} "


def answers(draft: Draft) -> list[str]:
    """What the draft asks the learner to recall."""
    if draft.kind is Kind.CLOZE:
        return [draft.prompt[start:end] for start, end, _ in draft.deletions]
    if draft.kind is Kind.CHOICE:
        return [text for text, correct in draft.choices if correct]
    if draft.kind is Kind.TRUE_FALSE:
        return [draft.prompt]
    if draft.kind is Kind.REVERSED:
        return [draft.prompt, *draft.answers[:1]]
    return list(draft.answers[:1])


@lru_cache(maxsize=8192)
def _words(draft: Draft) -> str:
    shown = [draft.prompt, *draft.answers[:1]]
    shown += [text for text, correct in draft.choices if correct]
    return normalise(" ".join(shown))


def _cards(entry: str) -> list[Card]:
    """The cards one rendered draft parses to, or none when it does not parse."""
    try:
        return list(parse_deck(entry, Path("draft.md")).cards)
    except DeckError:
        return []


def _cited_truly(card: Card, lines: list[str]) -> bool:
    """Whether the card's cited lines hold its answer, as `trainer check --sources` sees it."""
    source = card.source
    if source is None or source.last_line > len(lines):
        return False
    cited = " ".join(lines[source.first_line - 1 : source.last_line])
    return not missing_evidence(card, cited)


def _section(headings: list[tuple[int, str]], line: int) -> str | None:
    """The heading the document line falls under, if any."""
    index = bisect_right([first for first, _ in headings], line) - 1
    return headings[index][1] if index >= 0 else None


def _check_name(document_name: str) -> None:
    if not document_name or Path(document_name).name != document_name:
        raise ValueError(f"{document_name!r} is not a plain file name")
    if re.search(r"\s", document_name):
        raise ValueError(
            "a citation cannot name a document whose file name has spaces; rename the file"
        )
