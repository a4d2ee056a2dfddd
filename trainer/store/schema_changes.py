"""Every change to the database's schema, in the order they apply (`SCHEMA`).

Never edit a migration that has shipped: add a new one at the end. `tests/unit/test_migrations.py`
upgrades a database from every earlier point of this list. `trainer.store.migrations` checks and
applies them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from trainer.store.statements import run_statements as _run

if TYPE_CHECKING:
    from sqlite_utils import Database

SCHEMA: list[Callable[[Database], None]] = []
"""Every migration, in the order they apply."""


def _migration(function: Callable[[Database], None]) -> Callable[[Database], None]:
    SCHEMA.append(function)
    return function


@_migration
def m001_initial(db: Database) -> None:
    """Decks, cards with their scheduler state, and the review log."""
    from trainer.store.initial_schema import INITIAL

    _run(db, INITIAL)


@_migration
def m002_scheduler_parameters(db: Database) -> None:
    """Record which FSRS parameters each review was scheduled with."""
    _run(
        db,
        """
        CREATE TABLE parameters (
            id INTEGER PRIMARY KEY,
            weights TEXT NOT NULL,
            source TEXT NOT NULL,
            created INTEGER NOT NULL
        );
        ALTER TABLE reviews ADD COLUMN parameters_id INTEGER REFERENCES parameters(id);
        """,
    )


@_migration
def m003_append_only_reviews(db: Database) -> None:
    """The review log is history: refuse any update or delete of it."""
    _run(
        db,
        """
        CREATE TRIGGER reviews_no_update BEFORE UPDATE ON reviews
        BEGIN SELECT RAISE(ABORT, 'the review log is append-only'); END;
        CREATE TRIGGER reviews_no_delete BEFORE DELETE ON reviews
        BEGIN SELECT RAISE(ABORT, 'the review log is append-only'); END;
        """,
    )


@_migration
def m004_imported_decks(db: Database) -> None:
    """Mark decks that hold an imported review log (`trainer import-log`), not a deck file.

    Such a deck's path is `import:<file stem>`, never a file, so sync leaves it alone; it is kept
    `missing` so its cards, which have no questions, never reach the study list.
    """
    _run(db, "ALTER TABLE decks ADD COLUMN imported INTEGER NOT NULL DEFAULT 0;")


@_migration
def m005_statistics_indexes(db: Database) -> None:
    """Covering indexes for the statistics (`trainer.stats`).

    The figures scan every card and the whole review log; reading these narrow indexes instead
    of the wide rows (card texts, every before-state column) makes them about twice as fast.
    """
    _run(
        db,
        """
        CREATE INDEX reviews_stats ON reviews(
            reviewed_at, rating, due_before, last_review_before, card_id, duration_ms);
        CREATE INDEX cards_stats ON cards(
            retired, suspended, deck_id, tags, state, due, last_review, stability, difficulty,
            lapses, reps);
        """,
    )


@_migration
def m006_deck_file_stamps(db: Database) -> None:
    """Remember each deck file's size and modification time, so an unchanged file is not read."""
    _run(db, "ALTER TABLE decks ADD COLUMN file_stamp TEXT;")


@_migration
def m007_review_journal(db: Database) -> None:
    """What travels between devices (`trainer sync`): each review's id across devices, the
    reviews of cards this device has not got yet, and the devices seen."""
    _run(
        db,
        """
        CREATE TABLE journal (
            review_id INTEGER PRIMARY KEY REFERENCES reviews(id),
            uid TEXT NOT NULL UNIQUE,
            device TEXT NOT NULL,
            moves INTEGER NOT NULL
        );
        CREATE INDEX journal_by_device ON journal(device, review_id);
        CREATE TABLE journal_waiting (
            uid TEXT PRIMARY KEY,
            card_key TEXT NOT NULL,
            device TEXT NOT NULL,
            entry TEXT NOT NULL
        );
        CREATE INDEX journal_waiting_by_card ON journal_waiting(card_key);
        CREATE TABLE sync_devices (
            device TEXT PRIMARY KEY,
            reviews INTEGER NOT NULL DEFAULT 0,
            last_review INTEGER,
            last_sync INTEGER
        );
        """,
    )


@_migration
def m008_study_day_states(db: Database) -> None:
    """Recompute every studied card's state with time between answers in study days.

    States were computed counting whole 24-hour periods; the scheduler now counts study days,
    as Anki does. Each card's answers that moved its schedule are replayed with the parameters
    in use; the review log is left as it is. A card whose state its answers do not account for
    (a different count of reviews, or another last review) is left as it is.
    """
    import json

    from trainer.core.progress import to_millis
    from trainer.recompute import final_states
    from trainer.schedule import DEFAULT_PARAMETERS, card_seed
    from trainer.store.history import scheduling_answers

    conn = db.conn
    row = conn.execute("SELECT weights FROM parameters ORDER BY id DESC LIMIT 1").fetchone()
    weights = tuple(json.loads(row[0])) if row else DEFAULT_PARAMETERS
    stored = {
        card_id: (reps, last_review)
        for card_id, reps, last_review in conn.execute(
            "SELECT id, reps, last_review FROM cards WHERE last_review IS NOT NULL"
        )
    }
    answered = [
        card
        for card in scheduling_answers(conn)
        if stored.get(card.card_id) == (len(card.reviews), card.reviews[-1].at)
    ]
    cards = [(card_seed(card.key), card.schedule, card.reviews) for card in answered]
    for card, after in zip(answered, final_states(cards, weights)):
        conn.execute(
            "UPDATE cards SET state = ?, step = ?, stability = ?, difficulty = ?, due = ?, "
            "last_review = ?, reps = ?, lapses = ? WHERE id = ?",
            [int(after.state), after.step, after.stability, after.difficulty,
             to_millis(after.due), to_millis(after.last_review), after.reps, after.lapses,
             card.card_id],
        )  # fmt: skip


@_migration
def m009_card_entries(db: Database) -> None:
    """Which entry of its deck each card came from: the cards of one entry are siblings.

    Filled here from the keys, which name the entry for every card stored so far; a sync keeps
    it from then on (`Card.entry_key`).
    """
    from trainer.core.identity import sibling_group

    _run(db, "ALTER TABLE cards ADD COLUMN entry_key TEXT NOT NULL DEFAULT '';")
    rows = db.execute("SELECT id, key FROM cards").fetchall()
    db.conn.executemany(
        "UPDATE cards SET entry_key = ? WHERE id = ?",
        [(sibling_group(key), card_id) for card_id, key in rows],
    )


@_migration
def m010_no_replacing_reviews(db: Database) -> None:
    """Refuse `REPLACE INTO reviews` and `INSERT OR REPLACE` of an existing review.

    A replace deletes the old row and inserts the new one without firing the DELETE trigger
    (SQLite fires it only with `recursive_triggers` on, which each connection would have to set;
    the sqlite3 shell does not). Refusing any insert of an id already in the log closes that
    door for every connection.
    """
    _run(
        db,
        """
        CREATE TRIGGER reviews_no_replace BEFORE INSERT ON reviews
        WHEN EXISTS (SELECT 1 FROM reviews WHERE id = NEW.id)
        BEGIN SELECT RAISE(ABORT, 'the review log is append-only'); END;
        """,
    )


@_migration
def m011_card_management(db: Database) -> None:
    """Flags, leeches and burying, kept in the database so deck files stay clean; a text index.

    A buried card has `suspended = 2` until `buried_until` (the start of the next study day):
    every query that keeps suspended cards out of study (`suspended = 0`) keeps buried ones out
    too, through the same indexes, and `store.card_flags.unbury_expired` returns them once the
    day rolls over. `cards_text` is a full-text index of questions and answers that ignores
    case and accents, for `trainer.store.search`: new cards are added to it in bulk
    (`store.text_index`: a trigger per card made a first sync of 100,000 cards a third slower),
    edits and deletions by triggers, for the cards it holds (`cards_text_upto`); `cards_search`
    holds every other column a search tests, so a search that reads every card reads this narrow
    index instead of the wide rows (5-10x faster at 100,000 cards).
    """
    from trainer.store.card_index import CARD_MANAGEMENT

    _run(db, CARD_MANAGEMENT)


@_migration
def m012_leaner_review_indexes(db: Database) -> None:
    """Index the review log twice, not three times, each index covering what reads it.

    - `reviews_by_time` goes: `reviews_stats` begins with the same column (17 bytes a review on
      disk, and a page written on every answer).
    - `reviews_stats` (by time: the statistics of all decks, today's counts) keeps only what
      the figures of a time range read; card and duration are read for today's few rows only.
    - `reviews_by_card` (a card's history) also covers the statistics of one deck, which read
      its cards' reviews card by card instead of filtering a year of the log.
    """
    _run(
        db,
        """
        DROP INDEX IF EXISTS reviews_by_time;
        DROP INDEX IF EXISTS reviews_stats;
        CREATE INDEX reviews_stats ON reviews(reviewed_at, rating, due_before, last_review_before);
        DROP INDEX IF EXISTS reviews_by_card;
        CREATE INDEX reviews_by_card ON reviews(
            card_id, reviewed_at, rating, due_before, last_review_before);
        """,
    )


@_migration
def m013_no_due_index(db: Database) -> None:
    """Drop `cards_due`: every answer moved its card in it (two pages written an answer), and
    the one reader left, the next due time, seeks `cards_by_deck` per deck and state instead."""
    _run(db, "DROP INDEX IF EXISTS cards_due;")


@_migration
def m014_deck_entries(db: Database) -> None:
    """Each deck file's entries as last synced (`store.deck_entries`): a re-sync parses only the
    entries whose bytes changed. Filled by the next sync of each deck; no history is touched."""
    from trainer.store.entry_rows import ENTRIES_IN_ONE_ROW

    _run(db, ENTRIES_IN_ONE_ROW)


@_migration
def m015_reviews_keyed_by_time(db: Database) -> None:
    """Key the review log by time, as Anki's `revlog` is, so the table is its own time index.

    `reviews_stats` goes (the time-ordered reads range over the ids), `reviewed_at` and `mode`
    are computed instead of stored, and the device journal gets a sequence of its own; every
    review, undo and journal row is kept. See `trainer.store.log_layout`.
    """
    from trainer.store.log_layout import KEYED_BY_TIME

    _run(db, KEYED_BY_TIME)


@_migration
def m017_leaner_review_log(db: Database) -> None:
    """Store the state before each answer in fewer bytes, every value kept exactly (see
    `trainer.store.log_lean`); `reviews_by_card` holds the narrow columns."""
    from trainer.store.log_codec import encode_float
    from trainer.store.log_lean import ENCODE_FLOAT, LEAN_LOG

    db.conn.create_function(ENCODE_FLOAT, 1, encode_float, deterministic=True)
    _run(db, LEAN_LOG)


@_migration
def m018_one_card_index(db: Database) -> None:
    """One covering index of the cards' study columns where there were three, `cards_new` of
    the new cards only, and the text index without column sizes (`trainer.store.card_index`).
    Every card, review and its progress is kept; only indexes are made again."""
    from trainer.store.card_index import ONE_CARD_INDEX

    _run(db, ONE_CARD_INDEX)


@_migration
def m019_line_shifts(db: Database) -> None:
    """Cards' lines and stored entries kept so that a re-sync writes what changed only:
    `line_shifts`, per deck the lines to add to `cards.line` from a position on (empty until
    then: every line reads as stored; `store.card_places`), and each deck's entries in rows of
    chunks (`store.entry_rows`), the layouts stored before moved there. No card, review or
    journal row is touched."""
    from trainer.store.entry_rows import ENTRIES_IN_ROWS, layouts_in_one_row, store_in_rows

    layouts = layouts_in_one_row(db.conn)
    _run(db, ENTRIES_IN_ROWS)
    store_in_rows(db.conn, layouts)


@_migration
def m020_lean_cards(db: Database) -> None:
    """Cards' rows without what is stored twice or follows from other columns, every value kept
    (`trainer.store.lean_cards`); no review or progress is touched."""
    from trainer.store.lean_cards import LEAN_CARDS, TAG_SETS, lean_details, number_tag_sets

    _run(db, TAG_SETS)
    number_tag_sets(db.conn)
    _run(db, LEAN_CARDS)
    lean_details(db.conn)


@_migration
def m021_smaller_store(db: Database) -> None:
    """Every card, review, journal row, state and stored layout kept in less room: the text
    index without places (`card_index`), packed entries (`entry_rows`), narrower log ids."""
    from trainer.store import card_index, entry_rows, log_ids

    _run(db, card_index.TEXT_WITHOUT_PLACES)
    entry_rows.pack_rows(db.conn)
    _run(db, log_ids.NARROW_IDS)


@_migration
def m022_reviews_set_apart(db: Database) -> None:
    """Index the quiz answers and undos, found before optimize reads the log (no scan)."""
    from trainer.store.answer_timeline import SET_APART_INDEX

    _run(db, SET_APART_INDEX)


@_migration
def m023_text_edits_queued(db: Database) -> None:
    """Edits of indexed cards queued for the text index's next catch-up (`text_index`)."""
    from trainer.store.text_index import EDITS_QUEUED

    _run(db, EDITS_QUEUED)
