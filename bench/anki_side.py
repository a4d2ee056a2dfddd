"""The same collection in Anki: what `bench/versus.py` measures Anki's backend on.

Anki (the `anki` package of `bench/requirements.txt`, its Rust backend behind a thin Python
layer) gets the generated collection as faithfully as its model allows:

- one deck per deck file (the same names, under a parent deck that is selected, so that its queue
  is every deck's, as trainer's is), FSRS on, a review limit high enough never to bind
  (as trainer has none) and each deck's new cards a day as its file says;
- one "Basic" note per trainer card, its question in Front and its answer in Back, added in one
  `col.add_notes` call per deck (Anki's own bulk add);
- the review log copied into `revlog` with `col.db.executemany`, one row per standing answer
  (undone answers and undo rows are not in Anki's log; quiz answers have no Anki counterpart
  and are left out), intervals in days, rating as ease;
- each card's state (type, queue, due day, interval, reps, lapses, FSRS memory state in `data`)
  as the trainer database holds it, so the same cards are due.

Nothing here is timed except `add_notes` (the bulk add); building the rest takes a minute.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

DAY_MS = 86_400_000
LIMIT = 9_999
"""A daily limit that never binds: Anki's largest (a larger one falls back to its default)."""
PARENT = "All"
"""The decks are children of this one, which is selected: Anki studies one deck and its
children, and trainer's queue is every deck's."""


def new_collection(path: Path) -> Any:
    """An empty Anki collection at `path` with FSRS on."""
    from anki.collection import Collection

    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    col = Collection(str(path))
    col.set_config("fsrs", True)
    return col


def bulk_add(col: Any, trainer_db: Path) -> tuple[float, dict[int, int]]:
    """Add one note per card of `trainer_db`, deck by deck; return the seconds `add_notes`
    took, and the Anki card id of each trainer card id."""
    from anki.collection import AddNoteRequest

    source = sqlite3.connect(trainer_db)
    model = col.models.by_name("Basic")
    decks = source.execute(
        "SELECT id, name, settings FROM decks WHERE missing = 0 ORDER BY id"
    ).fetchall()
    configs: dict[int, int] = {}
    spent = 0.0
    card_ids: dict[int, int] = {}
    for deck_id, name, settings in decks:
        anki_deck = col.decks.id(f"{PARENT}::{name}")
        new_per_day = json.loads(settings).get("new_per_day", 20)
        _deck_limits(col, anki_deck, new_per_day, configs)
        rows = source.execute(
            "SELECT id, prompt, answer FROM cards WHERE deck_id = ? ORDER BY position", [deck_id]
        ).fetchall()
        requests = []
        start = time.perf_counter()
        for _, prompt, answer in rows:
            note = col.new_note(model)
            note["Front"] = prompt
            note["Back"] = answer
            requests.append(AddNoteRequest(note, anki_deck))
        col.add_notes(requests)
        spent += time.perf_counter() - start
        for (card_id, _, _), request in zip(rows, requests):
            card_ids[card_id] = request.note.id  # placeholder: note id, mapped to cards below
    parent = col.decks.id(PARENT)
    col.decks.select(parent)
    # The parent's own limits would cap its children's sum (Anki's defaults: 20 new cards and
    # 200 reviews a day): lift them, so each deck's own limits are the ones that count.
    conf = col.decks.config_dict_for_deck_id(parent)
    conf["new"]["perDay"] = conf["rev"]["perDay"] = LIMIT
    col.decks.update_config(conf)
    by_note = dict(col.db.all("SELECT nid, id FROM cards"))
    source.close()
    return spent, {card_id: by_note[note_id] for card_id, note_id in card_ids.items()}


def _deck_limits(col: Any, deck_id: int, new_per_day: int, configs: dict[int, int]) -> None:
    """Give the deck a configuration with its new-card limit and no binding review limit."""
    if new_per_day not in configs:
        config = col.decks.add_config_returning_id(f"new {new_per_day}")
        conf = col.decks.get_config(config)
        conf["new"]["perDay"] = new_per_day
        conf["rev"]["perDay"] = LIMIT
        col.decks.update_config(conf)
        configs[new_per_day] = config
    deck = col.decks.get(deck_id)
    deck["conf"] = configs[new_per_day]
    col.decks.save(deck)


def copy_history(col: Any, trainer_db: Path, card_ids: dict[int, int]) -> int:
    """Copy the review log and the cards' states; return the revlog rows written."""
    source = sqlite3.connect(trainer_db)
    today = col.sched.today
    day_start = (col.sched.day_cutoff - 86_400) * 1000  # when Anki's study day began
    # The interval an answer gave is the time to the card's next due date: the next review's
    # `due_before`, or the card's own due date after its last answer.
    rows = source.execute(
        """
        SELECT r.card_id, r.rating, r.reviewed_at, r.duration_ms, r.state_before,
               r.due_before, r.last_review_before,
               lead(r.due_before) OVER (PARTITION BY r.card_id ORDER BY r.reviewed_at, r.id),
               c.due
        FROM reviews r JOIN cards c ON c.id = r.card_id
        WHERE r.mode = 'review' AND r.rating IS NOT NULL
          AND r.id NOT IN (SELECT undoes FROM reviews WHERE undoes IS NOT NULL)
        ORDER BY r.reviewed_at, r.id
        """
    )
    revlog = []
    last_id = 0
    kind = {0: 0, 1: 0, 2: 1, 3: 2}
    for card_id, rating, at, duration, state, due_before, last_before, next_due, due in rows:
        revlog_id = max(at, last_id + 1)  # revlog ids are unique epoch milliseconds
        last_id = revlog_id
        after = next_due if next_due is not None else due
        interval = _days(after - at) if after else 0
        last_interval = _days(due_before - last_before) if due_before and last_before else 0
        revlog.append(
            (revlog_id, card_ids[card_id], -1, rating, interval, last_interval, 0,
             min(duration, 60_000), kind[state])
        )  # fmt: skip
    # One transaction (`transact`): alone, each row would be a commit of its own.
    col.db.transact(
        lambda: col.db.executemany("INSERT INTO revlog VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", revlog)
    )
    cards = []
    for card_id, state, stability, difficulty, due, last_review, reps, lapses in source.execute(
        "SELECT id, state, stability, difficulty, due, last_review, reps, lapses FROM cards "
        "WHERE state > 0"
    ):
        card_type, queue = {1: (1, 1), 2: (2, 2), 3: (3, 1)}[state]
        # A review card is due on a day (both count one due at any time of today's study day
        # as due today); a learning card at an epoch second.
        anki_due = today + (due - day_start) // DAY_MS if state == 2 else due // 1000
        interval = max(1, _days(due - last_review)) if state == 2 else 0
        data = json.dumps(
            {"s": round(stability, 4), "d": round(difficulty, 4), "lrt": last_review // 1000}
        )
        cards.append((card_type, queue, anki_due, interval, reps, lapses, data, card_ids[card_id]))
    col.db.transact(
        lambda: col.db.executemany(
            "UPDATE cards SET type = ?, queue = ?, due = ?, ivl = ?, reps = ?, lapses = ?, "
            "factor = 2500, left = 1001, data = ? WHERE id = ?",
            cards,
        )
    )
    source.close()
    return len(revlog)


def _days(millis: int) -> int:
    return max(0, round(millis / DAY_MS))


def build(path: Path, trainer_db: Path, log: Callable[[str], None]) -> dict:
    """Build the Anki collection at `path` from `trainer_db`; return what it holds."""
    col = new_collection(path)
    began = time.perf_counter()
    added, card_ids = bulk_add(col, trainer_db)
    log(f"    Anki: {len(card_ids):,} notes added ({added:.1f} s in add_notes)")
    reviews = copy_history(col, trainer_db, card_ids)
    col.close()
    log(f"    Anki: {reviews:,} revlog rows copied ({time.perf_counter() - began:.0f} s in all)")
    return {"cards": len(card_ids), "reviews": reviews, "bulk_add": added}
