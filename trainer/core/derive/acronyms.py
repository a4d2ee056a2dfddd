"""The acronym finder of `trainer derive`: `Long Name (ACRO)` and `ACRO (Long Name)`.

A long form is accepted by Schwartz and Hearst's rule (each letter of the acronym found, from
the last, further back in the words before it), so a parenthesis that only happens to hold
capitals gives no card.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from trainer.core.cards import Kind
from trainer.core.derive.facts import Document, Draft
from trainer.core.derive.text import Block, Role

_PARENTHESIS = re.compile(r"\(([^()]{1,100})\)")
_ACRONYM = re.compile(r"^[A-Za-z][A-Za-z0-9&.\-]{1,9}$")
_QUOTES = "\"'\u201c\u201d\u2018\u2019"


def _is_acronym(word: str) -> bool:
    return bool(_ACRONYM.match(word)) and sum(ch.isupper() for ch in word) >= 2


def long_form(short: str, candidate: str) -> str | None:
    """The end of `candidate` that `short` abbreviates, or None.

    Schwartz and Hearst's rule: each letter of the acronym, from the last, is found further
    back in the candidate, and the first letter must open a word.
    """
    letters = [ch.lower() for ch in short if ch.isalnum()]
    s, c = len(letters) - 1, len(candidate) - 1
    while s >= 0:
        while c >= 0 and (
            candidate[c].lower() != letters[s] or (s == 0 and c > 0 and candidate[c - 1].isalnum())
        ):
            c -= 1
        if c < 0:
            return None
        c -= 1
        s -= 1
    start = candidate.rfind(" ", 0, c + 1) + 1
    found = candidate[start:].strip(_QUOTES + " ")
    words = found.split()
    if not 2 <= len(words) <= len(letters) + 4 or any(ch in found for ch in "()[],;:"):
        return None
    if found.lower().startswith(("the ", "a ", "an ")):
        return None
    return found


def find_acronyms(document: Document) -> Iterator[Draft]:
    """`Long Name (ACRO)` and `ACRO (Long Name)` -> a reversed card per acronym.

    An acronym spelled out twice gets one card, from a sentence rather than a heading where it
    can, because a sentence shows the reader what the name is about.
    """
    found: dict[str, tuple[bool, Draft]] = {}
    for block in document.blocks:
        if block.role is Role.SKIP:
            continue
        for match in _PARENTHESIS.finditer(block.text):
            pair = _acronym_pair(block, match)
            if pair is None:
                continue
            short, long, start = pair
            end = match.end()
            draft = Draft(
                "acronyms",
                Kind.REVERSED,
                short,
                block.line_at(start),
                block.line_at(end - 1),
                (block.line_at(start), start),
                answers=(long,),
            )
            from_heading = block.role is Role.HEADING
            key = short.casefold()
            if key not in found or (found[key][0] and not from_heading):
                found[key] = (from_heading, draft)
    yield from (draft for _, draft in found.values())


def _acronym_pair(block: Block, match: re.Match[str]) -> tuple[str, str, int] | None:
    """The acronym, its long form and where the pair starts in the block, or None."""
    inner = match.group(1).strip()
    before = block.text[: match.start()].rstrip()
    if _is_acronym(inner):
        # "North Atlantic Treaty Organization's (NATO)": the possessive is not part of the name.
        before = re.sub(r"['\u2019]s$", "", before).rstrip(_QUOTES + " ")
        window = " ".join(before.split()[-(len(inner) + 5) :])
        long = long_form(inner, window)
        if long is None:
            return None
        return inner, long, block.text.rfind(long, 0, match.start())
    words = before.split()
    if words and _is_acronym(words[-1].strip(_QUOTES)) and len(inner.split()) >= 2:
        short = words[-1].strip(_QUOTES)
        long = long_form(short, inner)
        if long is None or long != inner.strip(_QUOTES + " "):
            return None
        return short, long, block.text.rfind(words[-1], 0, match.start())
    return None
