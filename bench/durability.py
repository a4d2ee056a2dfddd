"""Durability benchmark: what flushing every answer to the disk costs, per answer.

SQLite in WAL mode with `synchronous = NORMAL` survives a killed process but may lose the last
answers in a power cut; `synchronous = FULL` flushes the log (fsync) at every commit, as Anki does
for every answer. This times `Store.record_review` under both, on the same collection, in
alternating blocks so that both see the same machine load.

    python bench/durability.py                  # 100,000 cards, 1,000,000 reviews (bench/data)
    python bench/durability.py --answers 2000
    python bench/durability.py --cards 20000    # a collection of that size, without history

With the default size it uses the data of `bench/generate.py` (built first if missing); another
`--cards` builds a collection of that many cards (no review history) in a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import generate  # noqa: E402

from trainer.core.grading import Rating  # noqa: E402
from trainer.core.library import find_deck_files  # noqa: E402
from trainer.store.store import Store  # noqa: E402

MODES = ("NORMAL", "FULL")
BLOCK = 100
"""Answers per block; the modes alternate block by block."""


def collection(scratch: Path, cards: int) -> tuple[Path, datetime]:
    """A database of `cards` cards to answer in, and the moment to answer at."""
    copy = scratch / "durability.db"
    if cards == generate.DECK_COUNT * generate.CARDS_PER_DECK:
        if not generate.DB.exists():
            generate.main([])
        shutil.copyfile(generate.DB, copy)
        now = datetime.now(UTC)
    else:
        decks = scratch / "decks"
        decks.mkdir()
        per_deck = max(1, cards // 50)
        for deck in range(0, cards, per_deck):
            text = "".join(
                f"Q: Question {n} of the benchmark?\nA: Answer {n}\n\n"
                for n in range(deck, min(cards, deck + per_deck))
            )
            (decks / f"deck{deck // per_deck:02}.md").write_text(text, encoding="utf-8")
        now = datetime(2025, 3, 14, 3, 0, tzinfo=UTC)
        store = Store.open(copy)
        store.sync(find_deck_files([decks]), roots=[decks], now=now)
        store.close()
    # Flush the copy now, else the first checkpoint's fsync pays for writing all of it.
    with open(copy, "rb+") as handle:
        os.fsync(handle.fileno())
    return copy, now


def measure(db: Path, now: datetime, answers: int) -> dict[str, list[float]]:
    """Seconds per `record_review` under each mode, over `answers` answers each."""
    stores = {}
    for mode in MODES:
        store = Store.open(db)
        store.conn.execute(f"PRAGMA synchronous = {mode}")
        stores[mode] = store
    card_ids = [row[0] for row in stores["FULL"].conn.execute("SELECT id FROM cards ORDER BY id")]
    ratings = [Rating.GOOD] * 7 + [Rating.AGAIN, Rating.HARD, Rating.EASY]
    durations: dict[str, list[float]] = {mode: [] for mode in MODES}
    number = 0
    while min(len(times) for times in durations.values()) < answers:
        for mode in MODES:
            store = stores[mode]
            for _ in range(BLOCK):
                card_id = card_ids[(number * 7919) % len(card_ids)]
                moment = now + timedelta(seconds=8 * number)
                start = time.perf_counter()
                store.record_review(card_id, ratings[number % len(ratings)], moment)
                durations[mode].append(time.perf_counter() - start)
                number += 1
    for store in stores.values():
        store.close()
    return {mode: times[:answers] for mode, times in durations.items()}


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.99 * len(ordered)) - 1)]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=generate.DECK_COUNT * generate.CARDS_PER_DECK)
    parser.add_argument("--answers", type=int, default=1000, help="answers per mode")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(dir=BENCH) as folder:
        db, now = collection(Path(folder), args.cards)
        load_before = os.getloadavg()[0]
        results = measure(db, now, args.answers)
        load_after = os.getloadavg()[0]
    print(
        f"{args.cards:,} cards, {args.answers:,} answers per mode, alternating blocks of {BLOCK}; "
        f"load average {load_before:.2f} before, {load_after:.2f} after"
    )
    print(f"{'synchronous':<12}{'median':>10}{'p99':>10}{'mean':>10}{'max':>10}")
    for mode, times in results.items():
        print(
            f"{mode:<12}{statistics.median(times) * 1000:>8.2f}ms{p99(times) * 1000:>8.2f}ms"
            f"{statistics.fmean(times) * 1000:>8.2f}ms{max(times) * 1000:>8.2f}ms"
        )


if __name__ == "__main__":
    main()
