"""How long a quiz takes to start: drawing its 20 cards and their wrong options
(`Store.quiz_draw`), then putting the questions (`core.quiz.ask`), as the quiz screen's worker
does before the first question shows.

Runs on the generated collections (`generate.py`: `bench/data` for 100,000 cards,
`bench/data-1m` for 1,000,000, each used if built), for a quiz of one deck (2,000 or 20,000
cards) and of all 50 decks, each with its own seed a run; prints the medians.

    python bench/quiz_bench.py
    python bench/quiz_bench.py --runs 20
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for place in (ROOT, BENCH):
    if str(place) not in sys.path:
        sys.path.insert(0, str(place))

from machine import cpu_model  # noqa: E402

from trainer.core.quiz import ask  # noqa: E402
from trainer.store.store import Store  # noqa: E402

COLLECTIONS = {"100,000 cards": BENCH / "data", "1,000,000 cards": BENCH / "data-1m"}


def start(store: Store, deck_ids: list[int] | None, seed: int) -> tuple[float, float]:
    """Seconds to draw the quiz and to put its questions."""
    rng = random.Random(seed)
    began = time.perf_counter()
    cards, pools = store.quiz_draw(deck_ids, 20, rng)
    drawn = time.perf_counter()
    assert len(ask(cards, pools, rng)) == 20
    return drawn - began, time.perf_counter() - drawn


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    runs = parser.parse_args().runs
    print(f"{cpu_model()}; medians of {runs} runs\n")
    print("| collection | quiz of | draw | questions | in all |")
    print("|---|---|---:|---:|---:|")
    for label, folder in COLLECTIONS.items():
        if not (folder / "progress.db").exists():
            continue
        store = Store.open(folder / "progress.db")
        (deck,) = store.conn.execute("SELECT min(id) FROM decks").fetchone()
        for scope, deck_ids in (("one deck", [deck]), ("all decks", None)):
            times = [start(store, deck_ids, seed) for seed in range(runs)]
            draw = statistics.median(t[0] for t in times)
            questions = statistics.median(t[1] for t in times)
            both = statistics.median(t[0] + t[1] for t in times)
            print(
                f"| {label} | {scope} | {draw * 1e3:.0f} ms | {questions * 1e3:.0f} ms "
                f"| {both * 1e3:.0f} ms |"
            )
        store.close()


if __name__ == "__main__":
    main()
