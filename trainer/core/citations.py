"""Checking that a card's `Source:` points at document lines that really hold its answer.

A citation passes when every piece of the card's evidence (see `answer_evidence`) is found in
the cited lines, both sides compared after `normalise`, so case, accents, punctuation and the way
a number is written do not matter. A piece must match whole words: it starts where a word
starts and ends where a word ends, so `1958` is not found inside `19580` and `us` not inside
`used`. One trailing `s` is allowed after it, because `normalise` turns `NATO's` into `natos`
and a document may use a plural or possessive where the card does not.
"""

from __future__ import annotations

import re
from pathlib import Path

from trainer.core.cards import Card, Citation, Deck, Kind
from trainer.core.deckfile import Problem
from trainer.core.grading import normalise

# A capitalised word or acronym (`Canada`, `NATO`, `U.S.`, `G8`), not the tail of a word such
# as `eFP`, which would otherwise yield `FP`.
_NAME = re.compile(r"(?<![\w'\u2019])[A-Z][\w'\u2019.&]*")
_POSSESSIVE = re.compile(r"['\u2019]s?$")

# What may come before a sentence's first word: nothing, or the end of the sentence before it,
# then any opening quotes or brackets.
_SENTENCE_START = re.compile(r"(?:^|[.!?])[\s\"'\u201c\u2018(\[]*$")

# Capitalised only because they open a sentence or a title; they name nothing, so requiring them
# in the cited lines would fail good citations.
_COMMON_WORDS = frozenset(
    [
        "a",
        "about",
        "according",
        "after",
        "against",
        "all",
        "also",
        "although",
        "among",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "because",
        "before",
        "between",
        "both",
        "but",
        "by",
        "during",
        "each",
        "either",
        "even",
        "every",
        "few",
        "for",
        "from",
        "had",
        "has",
        "have",
        "he",
        "her",
        "his",
        "how",
        "however",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "just",
        "many",
        "more",
        "most",
        "much",
        "neither",
        "no",
        "nor",
        "not",
        "of",
        "on",
        "once",
        "one",
        "only",
        "or",
        "our",
        "over",
        "per",
        "since",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "though",
        "through",
        "throughout",
        "thus",
        "to",
        "two",
        "under",
        "unlike",
        "until",
        "upon",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "whether",
        "which",
        "while",
        "who",
        "why",
        "with",
        "within",
        "without",
        "yes",
        "you",
        "your",
    ]
)


def answer_evidence(card: Card) -> list[str]:
    """The strings that the card's cited lines must contain (each checked after `normalise`).

    Basic and cloze cards: the answer (for a cloze card, its one deletion). Typed cards: the
    first accepted answer. Reversed cards: both sides. Multiple choice: every correct choice.
    True or false: the numbers and capitalised names or acronyms of the statement, or for a false
    statement those of its `Note:`, which says what is true; a word that only opens a sentence
    counts when it is an acronym. Numbers come back in the form `normalise` writes them
    (`1.8 million` as `1800000`, `2 percent` as `2%`).
    """
    if card.kind is Kind.TRUE_FALSE:
        return statement_evidence(card.note if card.answer == "false" else card.prompt)
    if card.kind is Kind.CHOICE:
        pieces = list(card.correct_choices)
    elif card.kind is Kind.TYPED:
        pieces = [card.accepted[0] if card.accepted else card.answer]
    elif card.kind is Kind.REVERSED:
        pieces = [card.answer, card.prompt]
    else:
        pieces = [card.answer]
    return list(dict.fromkeys(piece for piece in pieces if piece.strip()))


def statement_evidence(text: str) -> list[str]:
    """The numbers and capitalised names or acronyms a true-or-false statement rests on."""
    # Numbers are taken from the normalised text so `9,000` and `1.8 million` are read the way
    # the cited lines will be.
    numbers = [word for word in normalise(text).split() if any(ch.isdigit() for ch in word)]
    names = []
    for match in _NAME.finditer(text):
        word = _POSSESSIVE.sub("", match.group().rstrip(".")) or match.group()
        if word.casefold() in _COMMON_WORDS:
            continue
        # A sentence's first word is capitalised whatever it is ("Working with ..."), so there
        # only an acronym (`NORAD`, `U.S.`) or a word with a digit (`G8`) is taken as a name.
        if _SENTENCE_START.search(text[: match.start()]) and not _looks_like_acronym(word):
            continue
        names.append(word)
    # `G8` is both a name and a word with a digit: keep one piece per normalised form.
    pieces: dict[str, str] = {}
    for piece in numbers + names:
        pieces.setdefault(normalise(piece), piece)
    return list(pieces.values())


def _looks_like_acronym(word: str) -> bool:
    return sum(ch.isupper() for ch in word) >= 2 or any(ch.isdigit() for ch in word)


def contains_evidence(cited: str, piece: str) -> bool:
    """Whether `piece` occurs in the text `cited` as whole words, after normalising both."""
    needle = normalise(piece)
    if not needle:
        return True  # nothing checkable is left (a bare punctuation mark): nothing can be missing
    pattern = r"(?<!\S)" + re.escape(needle) + r"s?(?!\S)"
    return re.search(pattern, normalise(cited)) is not None


def missing_evidence(card: Card, cited: str) -> list[str]:
    """The pieces of `answer_evidence(card)` that the text `cited` does not contain."""
    return [piece for piece in answer_evidence(card) if not contains_evidence(cited, piece)]


def check_citations(
    deck: Deck, sources_dir: Path, *, display_path: str | None = None
) -> list[Problem]:
    """Check every cited card of `deck` against the documents in `sources_dir`.

    Returns one problem per card whose citation fails: the document is not in `sources_dir`,
    the cited lines are not in it, or they do not contain the card's answer evidence. The two
    sides of a reversed entry fail alike, so the same problem is reported once. Cards without a
    `Source:` are not checked.
    """
    shown = display_path or str(deck.path)
    documents = _Documents(sources_dir)
    problems: list[Problem] = []
    for card in deck.cards:
        if card.source is None:
            continue
        message = _citation_problem(card, card.source, documents)
        if message:
            problems.append(Problem(shown, card.line, message))
    return list(dict.fromkeys(problems))


def _citation_problem(card: Card, citation: Citation, documents: _Documents) -> str | None:
    """What is wrong with the card's citation, or None when it holds."""
    lines = documents.lines(citation.document)
    if isinstance(lines, str):
        return lines
    if citation.last_line > len(lines):
        return (
            f"Source: {citation} is past the end of {citation.document}, "
            f"which has {len(lines)} lines"
        )
    if card.kind is Kind.TRUE_FALSE and card.answer == "false" and not card.note.strip():
        return f"Source: {citation}: a false statement needs a Note: saying what is true"
    cited = " ".join(lines[citation.first_line - 1 : citation.last_line])
    missing = missing_evidence(card, cited)
    if not missing:
        return None
    listed = ", ".join(repr(piece) for piece in missing)
    return f"Source: {citation} does not contain {listed}"


class _Documents:
    """The cited documents, each read once: its lines, or why it cannot be used."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.cache: dict[str, list[str] | str] = {}

    def lines(self, name: str) -> list[str] | str:
        if name not in self.cache:
            self.cache[name] = self._read(name)
        return self.cache[name]

    def _read(self, name: str) -> list[str] | str:
        # A citation names a file in the sources folder, never a path that leads out of it.
        if not name or Path(name).name != name or name in (".", ".."):
            return f"Source: {name!r} is not a plain document file name"
        path = self.folder / name
        try:
            text = path.read_text(encoding="utf-8")
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            return f"Source: document {name} is not in {self.folder}"
        except UnicodeDecodeError:
            return f"Source: document {name} is not UTF-8"
        except OSError as error:
            return f"Source: cannot read document {name}: {error.strerror or error}"
        # Lines are counted as an editor numbers them: by newline, the last one optional.
        lines = text.replace("\r\n", "\n").split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        return lines
