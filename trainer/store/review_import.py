"""Importing a review log from another app, to fit the scheduler to it and see its statistics.

The log is a CSV file with the columns `card_id`, `review_rating` (1-4), `review_time` (ISO 8601,
UTC) and `review_duration` (milliseconds). Its cards go into a deck of their own, `Imported:
<file stem>`, whose path `import:<file stem>` is no file, so syncing deck files never touches
it; the deck is kept out of the study list, as its cards have no questions.

Each card's reviews are replayed through `trainer.schedule.next_progress`, so every review is
logged with the state the card had before it, as if it had been studied here, and the card is
left in the state its last review gave it. Importing the same file again adds only the reviews
not yet imported; nothing at all is written unless the whole file is good.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from trainer import schedule
from trainer.core.cards import Schedule
from trainer.core.progress import from_millis
from trainer.importing.review_log import LoggedReview, ReviewLogError, read_review_log
from trainer.store import review_log

if TYPE_CHECKING:
    from sqlite_utils import Database

    from trainer.store.store import Store


@dataclass(frozen=True)
class ImportReport:
    """What an import did."""

    deck: str
    cards: int
    """Cards in the log."""
    new_cards: int
    reviews: int
    """Reviews added now."""
    already: int
    """Reviews of the log imported before, left as they were."""


def import_review_log(store: Store, path: Path) -> ImportReport:
    """Import the review log at `path` into `store` (see the module's docstring)."""
    reviews = read_review_log(path)
    stem = path.stem
    by_card: dict[str, list[LoggedReview]] = {}
    for review in reviews:
        by_card.setdefault(review.card, []).append(review)
    with store.reading():
        db = store.db
        parameters_id, weights = store.parameters()
        row = db.execute("SELECT id FROM decks WHERE path = ?", [f"import:{stem}"]).fetchone()
        deck_id = None if row is None else int(row[0])
        known, imported = _imported(db, deck_id)
        pending = _pending(path, stem, by_card, imported)
        if not pending:
            return ImportReport(f"Imported: {stem}", len(by_card), 0, 0, len(reviews))
        with db.atomic():
            if deck_id is None:
                deck_id = _add_deck(db, stem, f"Review log imported from {path.name}.")
            new_cards = 0
            for position, (card, rows) in enumerate(by_card.items()):
                key = _key(stem, card)
                if key not in known:
                    created = min(row.at for row in rows)
                    known[key] = _add_card(db, deck_id, key, position, rows[0].line, created)
                    new_cards += 1
            added = sum(
                _replay(store, known[_key(stem, card)], rows, parameters_id, weights)
                for card, rows in pending.items()
            )
    return ImportReport(f"Imported: {stem}", len(by_card), new_cards, added, len(reviews) - added)


def _key(stem: str, card: str) -> str:
    return f"import:{stem}:{card}"


def is_imported_key(key: str) -> bool:
    """Whether `key` is a card of an imported review log (`import:<file stem>:<card>`)."""
    return key.startswith("import:") and key.count(":") >= 2


def add_imported_card(db: Database, key: str, created: int) -> int:
    """Add the card `key` of an imported log that another device imported, with its deck.

    Such cards have no deck file: they exist only through their reviews, so a device that
    receives the reviews makes the card, as importing the log itself would have.
    """
    _, stem, card = key.split(":", 2)
    row = db.execute("SELECT id FROM decks WHERE path = ?", [f"import:{stem}"]).fetchone()
    deck_id = row[0] if row else _add_deck(db, stem, "Review log imported on another device.")
    (position,) = db.execute("SELECT count(*) FROM cards WHERE deck_id = ?", [deck_id]).fetchone()
    return _add_card(db, deck_id, key, position, 0, created)


def _add_card(db: Database, deck_id: int, key: str, position: int, line: int, created: int) -> int:
    card = key.split(":", 2)[2]
    cursor = db.execute(
        """
        INSERT INTO cards (key, deck_id, position, line, prompt, answer, created, entry_key)
        VALUES (?, ?, ?, ?, ?, '', ?, ?)
        """,
        # A basic card (`kind_code` 0), its own entry (its key holds `:`, `card_ties.ENTRY`).
        [key, deck_id, position, line, f"Imported card {card}", created, key],
    )
    assert cursor.lastrowid is not None  # an INSERT always sets it
    return cursor.lastrowid


def _imported(db: Database, deck_id: int | None) -> tuple[dict[str, int], dict[str, set[int]]]:
    """The import deck's cards (key -> id) and, per key, the times of their imported reviews."""
    if deck_id is None:
        return {}, {}
    known = dict(db.execute("SELECT key, id FROM cards WHERE deck_id = ?", [deck_id]).fetchall())
    keys = {card_id: key for key, card_id in known.items()}
    imported: dict[str, set[int]] = {key: set() for key in known}
    for card_id, at in db.execute(
        "SELECT r.card_id, r.reviewed_at FROM reviews r JOIN cards c ON c.id = r.card_id "
        "WHERE c.deck_id = ? AND r.mode = 'import'",
        [deck_id],
    ):
        imported[keys[card_id]].add(at)
    return known, imported


def _add_deck(db: Database, stem: str, description: str) -> int:
    """Add the deck that holds this log's cards: a path that is no file, out of the study list."""
    default = Schedule()
    settings = {
        "desired_retention": default.desired_retention,
        "new_per_day": default.new_per_day,
        "learning_steps": [step.total_seconds() for step in default.learning_steps],
        "relearning_steps": [step.total_seconds() for step in default.relearning_steps],
        "fuzz": default.fuzz,
        "strict": False,
    }
    cursor = db.execute(
        """
        INSERT INTO decks (path, name, description, settings, missing, imported)
        VALUES (?, ?, ?, ?, 1, 1)
        """,
        [f"import:{stem}", f"Imported: {stem}", description, json.dumps(settings)],
    )  # fmt: skip
    assert cursor.lastrowid is not None  # an INSERT always sets it
    return cursor.lastrowid


def _pending(
    path: Path, stem: str, by_card: dict[str, list[LoggedReview]], imported: dict[str, set[int]]
) -> dict[str, list[LoggedReview]]:
    """Each card's reviews not imported yet, in time order.

    The log only grows: a new review older than one already imported would need the history
    after it rewritten, and the review log is append-only.
    """
    pending: dict[str, list[LoggedReview]] = {}
    for card, rows in by_card.items():
        done = imported.get(_key(stem, card), set())
        latest = max(done, default=None)
        new = sorted((row for row in rows if row.at not in done), key=lambda row: row.at)
        if new and latest is not None and new[0].at < latest:
            raise ReviewLogError(
                f"{path}:{new[0].line}: this review is older than the card's reviews already "
                "imported; only reviews after them can be added"
            )
        if new:
            pending[card] = new
    return pending


def _replay(
    store: Store,
    card_id: int,
    rows: list[LoggedReview],
    parameters_id: int | None,
    weights: tuple[float, ...],
) -> int:
    """Log `rows` for the card, each with the state before it, and store the state after."""
    card = store.study_card(card_id)
    answers = [(row.rating, from_millis(row.at)) for row in rows]
    seed = schedule.card_seed(card.card.key)
    states = list(schedule.replay(seed, answers, card.schedule, weights, card.progress))
    for row, (_, at), (before, _) in zip(rows, answers, states):
        review_log.append_review(
            store.conn, card_id, int(row.rating), at, row.duration_ms, "import", before,
            parameters_id,
        )  # fmt: skip
    review_log.write_progress(store.conn, card_id, states[-1][1])
    return len(rows)
