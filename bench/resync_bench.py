"""How a re-sync of one edited deck grows with the deck: the same edit in decks of 500 to
32,000 cards.

Each deck is one file written by `generate.py`'s deck writer, synced into a store of its own;
then three answers are edited and restored in turn (`Store.sync` each time, two turns untimed
first), once near the file's start and once in its middle. The table gives the medians, and
what each card more in the deck adds (from one size to the next): a re-sync that reads only
what changed grows with the bytes it hashes, not with the cards it parses.

    python bench/resync_bench.py             # 500, 2,000, 8,000 and 32,000 cards
    python bench/resync_bench.py --runs 400

Anki's `update_notes` of three notes does not depend on the deck, so it has no column here: the
side-by-side row is `versus.py`'s re-sync.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for place in (ROOT, BENCH):
    if str(place) not in sys.path:
        sys.path.insert(0, str(place))

import generate  # noqa: E402
from machine import cpu_model  # noqa: E402

from trainer.store.search import find_card_ids  # noqa: E402
from trainer.store.store import Store  # noqa: E402

SIZES = (500, 2_000, 8_000, 32_000)


def edited(text: str, where: float) -> str:
    """Three answers edited, from the answer at `where` (0: the first, 0.5: the middle) on."""
    lines = text.split("\n")
    answers = [number for number, line in enumerate(lines) if line.startswith("A: ")]
    first = int(len(answers) * where)
    for number in answers[first : first + 3]:
        lines[number] += " (edited)"
    return "\n".join(lines)


def timed_resyncs(
    folder: Path, cards: int, runs: int
) -> tuple[int, list[float], list[float], list[float]]:
    """The deck's size in bytes, the re-sync times (seconds) of an edit at its start and in its
    middle, and the times of the first search after the latter."""
    generate.CARDS_PER_DECK = cards
    rng = random.Random(generate.SEED)
    writer = generate._Writer(rng, generate._vocabulary(rng))
    deck = folder / "deck.md"
    original = generate.deck_text(writer, 3)
    deck.write_text(original, encoding="utf-8")
    store = Store.open(folder / "progress.db")
    try:
        store.sync([deck], [folder])
        times, searches = [], []
        for where in (0.0, 0.5):
            text, spent = edited(original, where), []
            for turn in range(-2, runs):
                deck.write_text(text if turn % 2 == 0 else original, encoding="utf-8")
                start = time.perf_counter()
                store.sync([deck], [folder])
                if turn >= 0:
                    spent.append(time.perf_counter() - start)
                if where and turn >= 0:
                    start = time.perf_counter()
                    find_card_ids(store, "edited", datetime.now(UTC), limit=50)
                    searches.append(time.perf_counter() - start)
            times.append(spent)
    finally:
        store.close()
    return len(original.encode()), times[0], times[1], searches


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=200, help="re-syncs per size and edit")
    args = parser.parse_args(argv)
    print(
        f"run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {cpu_model()}, "
        f"Python {sys.version.split()[0]}, {args.runs} re-syncs per row\n"
    )
    print(
        "| cards in the deck | file | edit at the start | edit in the middle | per card more "
        "| first search after |"
    )
    print("|---:|---:|---:|---:|---:|---:|")
    before: tuple[int, float] | None = None
    for cards in SIZES:
        folder = Path(tempfile.mkdtemp(prefix="trainer-resync-"))
        try:
            size, start, middle, searches = timed_resyncs(folder, cards, args.runs)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        at_start, in_middle = statistics.median(start), statistics.median(middle)
        more = "—"
        if before is not None:
            more = f"{(in_middle - before[1]) / (cards - before[0]) * 1e9:.0f} ns"
        print(
            f"| {cards:,} | {size / 1e3:,.0f} KB | {at_start * 1e3:.2f} ms | "
            f"{in_middle * 1e3:.2f} ms | {more} | {statistics.median(searches) * 1e3:.2f} ms |"
        )
        before = (cards, in_middle)


if __name__ == "__main__":
    main()
