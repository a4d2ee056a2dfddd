"""Searching cards: a query tree (`trainer.core.search_query`) as SQL, and the rows found.

Free text goes through `cards_text`, the full-text index (case and accents ignored; phrases
checked by `text_match`); the other terms are plain conditions on the cards table. Retired cards
and cards of decks no longer on disk are never found. Shared by `trainer cards` (and the
commands that change cards) and the browser.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from fnmatch import fnmatchcase
from typing import Any

from trainer import schedule
from trainer.core.cards import Kind
from trainer.core.progress import (
    ROLLOVER_HOUR,
    Progress,
    State,
    from_millis,
    study_day_start,
    to_millis,
)
from trainer.core.search_query import (
    And,
    Everything,
    Field,
    Node,
    Not,
    Or,
    Prop,
    Rated,
    Text,
    parse_query,
)
from trainer.store.card_codes import KIND_CODES, TAGS
from trainer.store.card_flags import CardStore, unbury_expired
from trainer.store.card_places import SHOWN_LINE
from trainer.store.review_log import time_key
from trainer.store.text_index import catch_up
from trainer.store.text_match import Phrase, text_clause

DAY_MS = 86_400_000
_TOKEN = re.compile(r"[^\W_]+")
_SQL_OPERATORS = {"=": "=", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
_REVERSED = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=", "!=": "!="}


@dataclass
class _Compiler:
    """Turns one query tree into a WHERE clause with its parameters."""

    conn: sqlite3.Connection
    """Where free text finds its cards (`text_match`)."""
    now: datetime
    weights: Sequence[float]
    params: list[Any] = field(default_factory=list)

    def param(self, value: Any) -> str:
        self.params.append(value)
        return "?"

    def node(self, node: Node) -> str:
        if isinstance(node, And):
            return self.conjunction(node.nodes)
        if isinstance(node, Or):
            return "(" + " OR ".join(self.node(child) for child in node.nodes) + ")"
        if isinstance(node, Not):
            # coalesce: a condition on a missing value (a new card's stability) is NULL, and
            # NOT NULL would find nothing where "not that" should find the card.
            return f"NOT coalesce({self.node(node.node)}, 0)"
        if isinstance(node, Text):
            return self.text([node])
        if isinstance(node, Field):
            return self.field(node)
        if isinstance(node, Prop):
            return self.prop(node)
        if isinstance(node, Rated):
            return self.rated(node)
        # Cards added lately are few: said so, SQLite seeks them in `cards_by_created` where it
        # has statistics (ANALYZE), rather than read every card's entry of `cards_by_deck`.
        return f"unlikely(c.created >= {self.param(self.day_start(node.days))})"

    def conjunction(self, nodes: Sequence[Node]) -> str:
        # Every plain word of an "and" asks the text index once, not once per word.
        words = [node for node in nodes if isinstance(node, Text) and _phrase_of(node)]
        parts = [self.text(words)] if words else []
        parts += [self.node(node) for node in nodes if node not in words]
        return "(" + " AND ".join(parts) + ")"

    def text(self, nodes: Sequence[Text]) -> str:
        phrases = [_phrase_of(node) for node in nodes]
        if all(phrases):
            sql, params = text_clause(self.conn, [phrase for phrase in phrases if phrase])
            self.params.extend(params)
            return sql
        # Only punctuation ("?", "&"): nothing the index holds, so look in the texts themselves.
        (node,) = nodes
        pattern = "%" + _like_escape(node.text) + "%"
        return (
            f"(c.prompt LIKE {self.param(pattern)} ESCAPE '\\' "
            f"OR c.answer LIKE {self.param(pattern)} ESCAPE '\\')"
        )

    def field(self, node: Field) -> str:
        value = node.value
        if node.name == "deck":
            pattern = _glob_to_like(value)
            return (
                "c.deck_id IN (SELECT id FROM decks WHERE name LIKE "
                f"{self.param(pattern)} ESCAPE '\\' OR replace(path, '\\', '/') LIKE "
                f"{self.param('%/' + pattern + '.md')} ESCAPE '\\')"
            )
        if node.name == "tag":
            sql = self.tag(value)
            if fnmatchcase("leech", value.lower()):
                sql = f"({sql} OR c.leech = 1)"
            return sql
        if node.name == "flag":
            return f"c.flag = {int(value)}"  # a literal: the partial index of flags applies
        if node.name == "kind":
            return f"c.kind_code = {KIND_CODES[Kind(value).value]}"  # a literal, as for flags
        return self.state(value)

    def tag(self, value: str) -> str:
        """Tags are hierarchical as in Anki: tag:nato also finds nato::air.

        The tag sets are read as the JSON text they are (non-ASCII letters escaped, as
        `json.dumps` writes them): a quote opens every tag, so `%"nato"%` is exact. A `*` inside
        the name could match across two tags, so then `json_each` checks each candidate. Each
        set is tested once (`store.card_codes`), and the cards' sets read from the index.
        """
        return f"c.tag_set IN (SELECT id FROM tag_sets WHERE {self.tag_sets(value)})"

    def tag_sets(self, value: str) -> str:
        """What a row of `tag_sets` with tag `value` (or a child of it) passes."""
        opened = '%"' + _glob_to_like(json.dumps(value)[1:-1])
        like = "tags LIKE {} ESCAPE '\\'"
        if "*" not in value.rstrip("*"):
            if value.endswith("*"):
                return like.format(self.param(opened))
            exact, child = (
                like.format(self.param(opened + '"%')),
                like.format(self.param(opened + "::%")),
            )
            return f"({exact} OR {child})"
        pattern = _glob_to_like(value)
        candidates = like.format(self.param(opened + "%"))
        return (
            f"({candidates} AND EXISTS (SELECT 1 FROM json_each(tags) WHERE json_each.value "
            f"LIKE {self.param(pattern)} ESCAPE '\\' OR json_each.value LIKE "
            f"{self.param(pattern + '::%')} ESCAPE '\\'))"
        )

    def state(self, value: str) -> str:
        now = to_millis(self.now)
        if value == "new":
            return "c.state = 0"
        if value == "learn":
            return "c.state IN (1, 3)"
        if value == "review":
            return "c.state IN (2, 3)"
        if value == "due":
            # As the study queue counts them: reviews due now, learning steps due today.
            day_end = to_millis(study_day_start(self.now)) + DAY_MS
            return (
                f"(c.suspended = 0 AND ((c.state = 2 AND c.due <= {self.param(now)}) "
                f"OR (c.state IN (1, 3) AND c.due <= {self.param(day_end)})))"
            )
        return {
            "suspended": "c.suspended = 1",
            "buried": "c.suspended = 2",
            "flagged": "c.flag > 0",
            "leech": "c.leech = 1",
        }[value]

    def prop(self, node: Prop) -> str:
        if node.name == "r":
            return self.retrievability(node)
        op = _SQL_OPERATORS[node.op]
        studied = "c.state != 0 AND c.due IS NOT NULL AND c.last_review IS NOT NULL"
        if node.name == "due":
            # Whole study days from today (0 today, negative overdue), floored for past days.
            start = self.param(to_millis(study_day_start(self.now)))
            shift = 100_000 * DAY_MS
            value = self.param(node.value)
            return f"({studied} AND (c.due - {start} + {shift}) / {DAY_MS} - 100000 {op} {value})"
        # Placeholders are filled in the order they appear: the value's is always the last.
        value = self.param(node.value)
        if node.name == "ivl":
            return f"({studied} AND round((c.due - c.last_review) / {DAY_MS}.0) {op} {value})"
        if node.name in ("lapses", "reps"):
            return f"c.{node.name} {op} {value}"
        if node.name in ("s", "d"):
            column = "c.stability" if node.name == "s" else "c.difficulty"
            return f"({studied} AND {column} {op} {value})"
        raise AssertionError(node.name)  # the parser knows no other property

    def retrievability(self, node: Prop) -> str:
        """`prop:r`, through the scheduler's forgetting curve, without a power per card.

        R falls as time passes, so R OP x holds exactly when the study days since the last
        review compare the other way to the days it takes R to fall to x (stability * reach).
        Study days are counted as `schedule.elapsed_days` counts them (and the statistics in
        SQL): local time shifted back to the 4 a.m. rollover, in whole days.
        """
        decay, factor = schedule.forgetting_curve(self.weights)
        target = min(1.0, max(node.value, 1e-9))
        reach = (target ** (1 / decay) - 1) / factor
        op = _SQL_OPERATORS[_REVERSED[node.op]]
        offset = self.now.astimezone().utcoffset() or timedelta(0)
        shift = (offset - timedelta(hours=ROLLOVER_HOUR)) // timedelta(milliseconds=1)
        today = (to_millis(self.now) + shift) // DAY_MS
        elapsed = f"max(0, {self.param(today)} - (c.last_review + {self.param(shift)}) / {DAY_MS})"
        return (
            "(c.state != 0 AND c.stability > 0 AND c.last_review IS NOT NULL AND "
            f"{elapsed} {op} c.stability * {self.param(reach)})"
        )

    def rated(self, node: Rated) -> str:
        start = self.param(time_key(self.day_start(node.days)))
        rating = f"AND rating = {self.param(node.rating)}" if node.rating else ""
        return (
            "c.id IN (SELECT card_id FROM reviews WHERE id >= "
            f"{start} AND rating IS NOT NULL {rating} AND mode != 'undo' "
            "AND id NOT IN (SELECT undoes FROM reviews WHERE undoes IS NOT NULL))"
        )

    def day_start(self, days: int) -> int:
        """The start of the study day `days - 1` days ago (1: today), in milliseconds."""
        return to_millis(study_day_start(self.now) - timedelta(days=days - 1))


def _phrase_of(node: Text) -> Phrase | None:
    """The words of a word (matching words that start with it) or a phrase, for the text
    index; None if the text has no letters or digits."""
    tokens = _TOKEN.findall(node.text)
    if not tokens:
        return None
    return " ".join(tokens), not node.phrase


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _glob_to_like(pattern: str) -> str:
    return _like_escape(pattern).replace("*", "%")


def where_clause(
    conn: sqlite3.Connection,
    query: str,
    now: datetime,
    weights: Sequence[float] = schedule.DEFAULT_PARAMETERS,
) -> tuple[str, list[Any]]:
    """SQL (over `cards c`) for the cards `query` finds, and its parameters.

    Raises `QueryError` for a malformed query.
    """
    tree = parse_query(query)
    base = "c.retired = 0 AND c.deck_id IN (SELECT id FROM decks WHERE missing = 0)"
    if isinstance(tree, Everything):
        return base, []
    compiler = _Compiler(conn, now, weights)
    # The query's own conditions first: given two lists of decks to seek in the card index
    # (`deck:` and the decks on disk), SQLite seeks the first it is given, and the decks on
    # disk are every deck (a search of one deck read all 100,000 cards' entries).
    return f"{compiler.node(tree)} AND {base}", compiler.params


def find_card_ids(
    store: CardStore,
    query: str,
    now: datetime,
    limit: int | None = None,
    offset: int = 0,
    total: int | None = None,
) -> list[int]:
    """The ids of the cards `query` finds, in the order they were added (deck file order),
    from the `offset`-th on; raises `QueryError`.

    A page at a time (`limit`) for a screen: handing 100,000 ids to Python alone takes longer
    than the search itself. `total`, the search's count when the caller has it, picks how a
    page is read.
    """
    with store.reading() as conn:
        unbury_expired(conn, now)
        catch_up(conn)
        where, params = where_clause(conn, query, now, _weights(conn))
        broad = False
        if total is not None and limit is not None:
            cards = conn.execute("SELECT max(id) FROM cards").fetchone()[0] or 0
            broad = total * 20 >= cards
        # A page of a broad search is found soonest walking the table in order; any other is
        # found by the narrow index the conditions pick, then sorted (`+c.id` keeps SQLite
        # from walking the wide table in order for it: 4-40x slower on a narrow search).
        order = "c.id" if broad else "+c.id"
        sql = f"SELECT c.id FROM cards c WHERE {where} ORDER BY {order}"
        if limit is not None or offset:
            sql += " LIMIT ? OFFSET ?"
            params += [-1 if limit is None else limit, offset]
        return [row[0] for row in conn.execute(sql, params)]


def count_cards(store: CardStore, query: str, now: datetime) -> int:
    """How many cards `query` finds; raises `QueryError`."""
    with store.reading() as conn:
        unbury_expired(conn, now)
        catch_up(conn)
        where, params = where_clause(conn, query, now, _weights(conn))
        sql = f"SELECT COUNT(*) FROM cards c WHERE {where}"
        return int(conn.execute(sql, params).fetchone()[0])


def _weights(conn: Any) -> tuple[float, ...]:
    row = conn.execute("SELECT weights FROM parameters ORDER BY id DESC LIMIT 1").fetchone()
    if row is None:
        return schedule.DEFAULT_PARAMETERS

    return tuple(json.loads(row[0]))


@dataclass(frozen=True)
class FoundCard:
    """One card as a search lists it: where it is, what it asks, and how it stands."""

    id: int
    deck: str
    deck_path: str
    kind: str
    question: str
    answer: str
    line: int
    tags: tuple[str, ...]
    progress: Progress
    retrievability: float | None
    """The chance of recalling it now (None for a new card)."""
    flag: int
    suspended: bool
    buried: bool
    leech: bool

    @property
    def state(self) -> str:
        """new, learning, review or relearning."""
        return self.progress.state.name.lower()


def found_cards(store: CardStore, ids: Sequence[int], now: datetime) -> list[FoundCard]:
    """The cards with these ids, in the order given (a page of a search's results)."""

    found: dict[int, FoundCard] = {}
    with store.reading() as conn:
        weights = _weights(conn)
        for start in range(0, len(ids), 500):
            chunk = list(ids[start : start + 500])
            rows = conn.execute(
                f"SELECT c.id, d.name, d.path, c.kind, c.prompt, c.answer, {SHOWN_LINE}, {TAGS}, "
                "c.state, c.step, c.stability, c.difficulty, c.due, c.last_review, c.reps, "
                "c.lapses, c.flag, c.suspended, c.leech FROM cards c JOIN decks d ON "
                f"d.id = c.deck_id WHERE c.id IN ({','.join('?' * len(chunk))})",
                chunk,
            )
            for row in rows:
                (card_id, deck, path, kind, prompt, answer, line, tags, state, step, stability,
                 difficulty, due, last, reps, lapses, flag, suspended, leech) = row  # fmt: skip
                progress = Progress(
                    State(state), step, stability, difficulty, from_millis(due),
                    from_millis(last), reps, lapses,
                )  # fmt: skip
                recall = (
                    schedule.retrievability(progress, now, weights)
                    if progress.state is not State.NEW
                    else None
                )
                found[card_id] = FoundCard(
                    card_id, deck, path, kind, prompt, answer, line, tuple(json.loads(tags)),
                    progress, recall, flag, suspended == 1, suspended == 2, bool(leech),
                )  # fmt: skip
    return [found[card_id] for card_id in ids if card_id in found]
