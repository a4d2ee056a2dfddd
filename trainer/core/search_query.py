"""Reading a search query (a subset of Anki's syntax, see `docs/search.md`) into a tree.

Pure: no database here. `trainer.store.search` turns the tree into SQL. A malformed query raises
`QueryError`, whose message names the column where it goes wrong: `query:12: unclosed parenthesis`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from trainer.core.cards import Kind

IS_VALUES = ("new", "learn", "review", "due", "suspended", "buried", "flagged", "leech")
"""What `is:` can ask for."""
PROPERTIES = ("ivl", "due", "lapses", "reps", "s", "d", "r")
"""What `prop:` can compare: interval, days until due, lapses, reviews, stability,
difficulty, retrievability."""
OPERATORS = ("<=", ">=", "!=", "<", ">", "=")
FLAG_COLORS = ("none", "red", "orange", "green", "blue")
"""Flag numbers 0-4 and the colour each stands for, as in Anki."""

_FIELDS = ("deck", "tag", "is", "flag", "kind", "prop", "rated", "added")
_PROP = re.compile(r"^([a-z]+)(<=|>=|!=|<|>|=)(-?\d+(?:\.\d+)?)$")


class QueryError(ValueError):
    """A query that cannot be read; `column` is 1-based."""

    def __init__(self, column: int, message: str) -> None:
        super().__init__(f"query:{column}: {message}")
        self.column = column
        """Where in the query the problem is (1 for the first character)."""
        self.message = message
        """What is wrong, without the position."""


# -- the tree ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """Free text: a word (matching words that start with it) or an exact `"phrase"`."""

    text: str
    phrase: bool = False


@dataclass(frozen=True)
class Field:
    """`deck:`, `tag:`, `is:`, `flag:` or `kind:` with its value (`*` allowed in deck and tag)."""

    name: str
    value: str


@dataclass(frozen=True)
class Prop:
    """`prop:NAME OP NUMBER`, such as `prop:ivl>=30`."""

    name: str
    op: str
    value: float


@dataclass(frozen=True)
class Rated:
    """`rated:DAYS` or `rated:DAYS:RATING`: answered in the last DAYS study days."""

    days: int
    rating: int | None = None


@dataclass(frozen=True)
class Added:
    """`added:DAYS`: first seen in the last DAYS study days."""

    days: int


@dataclass(frozen=True)
class Not:
    """`-term`: cards the term does not match."""

    node: Node


@dataclass(frozen=True)
class And:
    """Terms side by side: cards every term matches."""

    nodes: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    """`a or b`: cards either term matches."""

    nodes: tuple[Node, ...]


Node = Text | Field | Prop | Rated | Added | Not | And | Or


@dataclass(frozen=True)
class Everything:
    """The empty query: every card."""


# -- reading -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Token:
    kind: str  # "(", ")", "or", "and", "term"
    column: int
    text: str = ""
    quoted: bool = False
    negated: bool = False


def parse_query(query: str) -> Node | Everything:
    """The tree of `query`; raise `QueryError` naming the column of the first problem."""
    tokens = _tokens(query)
    if not tokens:
        return Everything()
    parser = _Parser(tokens, len(query) + 1)
    node = parser.expression()
    if parser.position < len(tokens):
        token = tokens[parser.position]
        raise QueryError(token.column, "unmatched closing parenthesis")
    return node


def _tokens(query: str) -> list[_Token]:
    tokens: list[_Token] = []
    i = 0
    while i < len(query):
        char = query[i]
        if char.isspace():
            i += 1
            continue
        start = i
        negated = False
        if char == "-" and i + 1 < len(query) and not query[i + 1].isspace():
            negated = True
            i += 1
            char = query[i]
        if char in "()":
            if char == "(" and negated:
                tokens.append(_Token("-(", start + 1))
            else:
                if negated:
                    raise QueryError(start + 1, "'-' must come before a term or '('")
                tokens.append(_Token(char, start + 1))
            i += 1
            continue
        text, quoted, i = _word(query, i, start)
        if not quoted and not negated and text.lower() in ("or", "and"):
            tokens.append(_Token(text.lower(), start + 1))
        else:
            tokens.append(_Token("term", start + 1, text, quoted, negated))
    return tokens


def _word(query: str, i: int, start: int) -> tuple[str, bool, int]:
    """Read one term from `i`: bare, `"quoted"`, or `field:"quoted value"`; return it and the end."""
    out: list[str] = []
    quoted = False
    while i < len(query) and not query[i].isspace() and query[i] not in "()":
        if query[i] == '"':
            close = i + 1
            chunk: list[str] = []
            while close < len(query) and query[close] != '"':
                if query[close] == "\\" and close + 1 < len(query):
                    close += 1
                chunk.append(query[close])
                close += 1
            if close >= len(query):
                raise QueryError(i + 1, "unclosed quote")
            # A quote at the start of the term makes it a phrase; after `field:` it only lets
            # the value hold spaces.
            quoted = quoted or not out
            out.extend(chunk)
            i = close + 1
            continue
        out.append(query[i])
        i += 1
    return "".join(out), quoted, i


class _Parser:
    """Recursive descent: or binds looser than the implicit and, as in Anki."""

    def __init__(self, tokens: list[_Token], end: int) -> None:
        self.tokens = tokens
        self.position = 0
        self.end = end

    def peek(self) -> _Token | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def expression(self) -> Node:
        first = self.peek()
        if first is not None and first.kind in ("or", "and"):
            raise QueryError(first.column, f"'{first.kind}' needs a term before it")
        nodes = [self.conjunction()]
        while (token := self.peek()) is not None and token.kind == "or":
            self.position += 1
            if (after := self.peek()) is None or after.kind in (")", "or", "and"):
                raise QueryError(token.column, "'or' needs a term after it")
            nodes.append(self.conjunction())
        return nodes[0] if len(nodes) == 1 else Or(tuple(nodes))

    def conjunction(self) -> Node:
        nodes: list[Node] = []
        while (token := self.peek()) is not None and token.kind not in (")", "or"):
            if token.kind == "and":
                self.position += 1
                after = self.peek()
                if after is None or after.kind in (")", "or", "and"):
                    raise QueryError(token.column, "'and' needs a term after it")
                continue
            nodes.append(self.unit())
        if not nodes:
            token = self.peek()
            raise QueryError(token.column if token else self.end, "expected a search term")
        return nodes[0] if len(nodes) == 1 else And(tuple(nodes))

    def unit(self) -> Node:
        token = self.tokens[self.position]
        self.position += 1
        if token.kind in ("(", "-("):
            if (inner := self.peek()) is None:
                raise QueryError(token.column, "unclosed parenthesis")
            if inner.kind == ")":
                raise QueryError(inner.column, "empty parentheses")
            node = self.expression()
            close = self.peek()
            if close is None or close.kind != ")":
                raise QueryError(token.column, "unclosed parenthesis")
            self.position += 1
            return Not(node) if token.kind == "-(" else node
        node = _term(token)
        return Not(node) if token.negated else node


def _term(token: _Token) -> Node:
    text, column = token.text, token.column + int(token.negated)
    if token.quoted:
        # `"deck:My deck"` is a field too, as in Anki; any other quoted text is a phrase.
        name, colon, value = text.partition(":")
        if not colon or name.lower() not in _FIELDS:
            if not text.strip():
                raise QueryError(column, "empty phrase")
            return Text(text, phrase=True)
        return _field(name.lower(), value, column)
    name, colon, value = text.partition(":")
    if colon and re.fullmatch(r"[A-Za-z]+", name):
        if name.lower() not in _FIELDS:
            raise QueryError(
                column,
                f"unknown search field {name!r} (put the term in quotes to search for the text)",
            )
        return _field(name.lower(), value, column)
    return Text(text)


def _field(name: str, value: str, column: int) -> Node:
    where = column + len(name) + 1  # the value's column
    if not value:
        raise QueryError(where, f"'{name}:' needs a value")
    if name in ("deck", "tag"):
        return Field(name, value)
    if name == "is":
        if value.lower() not in IS_VALUES:
            raise QueryError(where, f"is:{value} is not one of {', '.join(IS_VALUES)}")
        return Field(name, value.lower())
    if name == "flag":
        if value not in ("0", "1", "2", "3", "4"):
            raise QueryError(where, "flag: takes 0 (no flag) to 4")
        return Field(name, value)
    if name == "kind":
        kinds = [str(kind) for kind in Kind]
        if value.lower() not in kinds:
            raise QueryError(where, f"kind:{value} is not one of {', '.join(kinds)}")
        return Field(name, value.lower())
    if name == "prop":
        match = _PROP.match(value.lower())
        if not match:
            raise QueryError(
                where, "prop: takes a property, a comparison and a number: prop:ivl>=30"
            )
        prop, op, number = match.groups()
        if prop not in PROPERTIES:
            raise QueryError(where, f"prop:{prop} is not one of {', '.join(PROPERTIES)}")
        return Prop(prop, op, float(number))
    days, _, rating = value.partition(":")
    if not days.isdigit() or not 1 <= int(days) <= 36500:
        raise QueryError(where, f"{name}: takes a number of days from 1, such as {name}:7")
    if name == "added":
        if rating:
            raise QueryError(where, "added: takes only a number of days")
        return Added(int(days))
    if rating and rating not in ("1", "2", "3", "4"):
        raise QueryError(where + len(days) + 1, "rated:DAYS:RATING takes a rating from 1 to 4")
    return Rated(int(days), int(rating) if rating else None)


def show_error(query: str, error: QueryError) -> str:
    """The query with a caret under the problem, then the message: for a screen or a terminal."""
    return f"{query}\n{' ' * (error.column - 1)}^ {error.message}"
