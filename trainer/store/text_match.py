"""Free text of a search as SQL: `cards_text` finds the cards with the words, and a phrase is
checked on those cards' own texts.

`cards_text` keeps no places of words (`detail=none`, migration m021: 2.6 MB at 100,000 cards
where it took 7 MB), so it cannot tell "border enforcement" from "enforcement of the border".
A search whose text has a phrase of two words or more asks it for the cards holding every word
of it, then puts their questions and answers in a small full-text index in memory that keeps
places, with the same tokenizer, and runs the search's own expression there: each card is
matched on its own words as the index with places matched it, so the same cards are found.
"""

from __future__ import annotations

import functools
import json
import re
import sqlite3
import threading
from collections.abc import Sequence

Phrase = tuple[str, bool]
"""A word or phrase of a search: its words (as the query gave them, joined by spaces) and
whether the last one is a prefix (a word matches the words that start with it)."""

TOKENIZER = "unicode61 remove_diacritics 2"
"""How `cards_text` cuts texts into words (case and accents ignored)."""
_lock = threading.Lock()
_places: sqlite3.Connection | None = None


def expression(phrases: Sequence[Phrase]) -> str:
    """The full-text expression that every one of `phrases` matches."""
    return " AND ".join(_quoted(words, prefix) for words, prefix in phrases)


def text_clause(conn: sqlite3.Connection, phrases: Sequence[Phrase]) -> tuple[str, list]:
    """SQL (over `cards c`) for the cards matching every one of `phrases`, and its parameters."""
    loose = [_loose(words, prefix) for words, prefix in phrases]
    if all(part is None for part in loose):
        sql = "c.id IN (SELECT rowid FROM cards_text WHERE cards_text MATCH ?)"
        return sql, [expression(phrases)]
    terms = [part or _quoted(*phrase) for part, phrase in zip(loose, phrases)]
    rows = conn.execute(
        "SELECT id, prompt, answer FROM cards WHERE id IN "
        "(SELECT rowid FROM cards_text WHERE cards_text MATCH ?)",
        [" AND ".join(terms)],
    ).fetchall()
    found = _matching(rows, phrases) if rows else []
    return "c.id IN (SELECT value FROM json_each(?))", [json.dumps(found)]


def _quoted(words: str, prefix: bool) -> str:
    return f'"{words}"*' if prefix else f'"{words}"'


def _loose(words: str, prefix: bool) -> str | None:
    """Every word of a phrase of several, each by itself (the last as a prefix, if it is
    one); None for a phrase of one word or none, which `cards_text` matches itself."""
    # The tokenizer cuts ASCII text at what is not a letter or a digit, as the query did.
    tokens = words.split() if words.isascii() else _words_of(words)
    if len(tokens) < 2:
        return None
    return " AND ".join(_quoted(token, prefix and last) for last, token in _marked(tokens))


def _marked(tokens: list[str]) -> list[tuple[bool, str]]:
    return [(number == len(tokens) - 1, token) for number, token in enumerate(tokens)]


def _words_of(text: str) -> list[str]:
    """The words the tokenizer makes of `text`, in order."""
    with _lock:
        places = _memory()
        try:
            places.execute("INSERT INTO texts (rowid, prompt, answer) VALUES (1, ?, '')", [text])
            return [term for (term,) in places.execute("SELECT term FROM words ORDER BY offset")]
        finally:
            places.execute(_EMPTY)


def _matching(rows: list[tuple[int, str, str]], phrases: Sequence[Phrase]) -> list[int]:
    """The ids of `rows` (id, question, answer) whose texts hold every one of `phrases`,
    words in place: ASCII texts checked by `_ascii_pattern` (the tokenizer cuts them at what
    is not a letter or a digit, and folds only their case), any other text by the index."""
    patterns = [pattern for words, prefix in phrases if (pattern := _ascii_pattern(words, prefix))]
    if len(patterns) < len(phrases):
        return _placed(rows, expression(phrases))
    found, others = [], []
    for row in rows:
        # The two texts as one, at a character no phrase's pattern goes past.
        texts = f"{row[1]}\0{row[2]}"
        if not texts.isascii() or texts.count("\0") > 1:
            others.append(row)
            continue
        texts = texts.lower()
        if all(pattern.search(texts) for pattern in patterns):
            found.append(row[0])
    if others:
        found = sorted(found + _placed(others, expression(phrases)))
    return found


@functools.lru_cache(maxsize=64)
def _ascii_pattern(words: str, prefix: bool) -> re.Pattern[str] | None:
    """What ASCII texts (lower-cased, a question and its answer joined by a NUL) hold where
    one of them has the phrase `words` (the last word as a prefix if `prefix`); None if the
    phrase is not ASCII."""
    if not words.isascii():
        return None
    tokens = re.findall("[a-z0-9]+", words.lower())
    end = "" if prefix else "(?![a-z0-9])"
    return re.compile("(?<![a-z0-9])" + "[^a-z0-9\0]+".join(tokens) + end)


def _placed(rows: list[tuple[int, str, str]], match: str) -> list[int]:
    """The ids of `rows` (id, question, answer) whose texts `match` finds, words in place."""
    with _lock:
        places = _memory()
        places.execute("BEGIN")
        try:
            places.executemany("INSERT INTO texts (rowid, prompt, answer) VALUES (?, ?, ?)", rows)
            return [row for (row,) in places.execute(_FIND, [match])]
        finally:
            places.execute(_EMPTY)  # nothing of one search is left for the next
            places.execute("COMMIT")


_EMPTY = "INSERT INTO texts (texts) VALUES ('delete-all')"
_FIND = "SELECT rowid FROM texts WHERE texts MATCH ? ORDER BY rowid"


def _memory() -> sqlite3.Connection:
    """The in-memory index with places (made on first use; callers hold `_lock`)."""
    global _places
    if _places is None:
        _places = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        _places.execute(
            "CREATE VIRTUAL TABLE texts USING fts5(prompt, answer, content='', columnsize=0, "
            f"tokenize='{TOKENIZER}')"
        )
        _places.execute("CREATE VIRTUAL TABLE words USING fts5vocab(texts, instance)")
    return _places
