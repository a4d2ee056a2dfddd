"""`trainer optimize` against fsrs-rs's bare fit on the same items, in the same run.

Imports the real sample review log (`shared/data/review-log-sample.csv`, next to the repository,
or `--log FILE`) into a temporary database, then times, alternately, `--runs` times each:

1. `optimize(store, adopt=False)`: what `trainer optimize --dry-run` does after opening the
   database: read the log, build the items, fit, score both parameter sets on the held-out part;
2. `FSRS(DEFAULT_PARAMETERS).compute_parameters(items)` alone, on the training items that (1)
   builds (built once, outside the timing).

It prints the median of each and their ratio (the goal: at most 1.5), and the time of adopting
(recomputing every card's state with the fitted parameters) and of replaying the whole log.

    python bench/optimize_bench.py [--runs 5] [--log FILE] [--copies N]

`--copies N` imports the log N times over (as N learners' worth of cards), to see how the
figures grow with the log.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from fsrs_rs_python import DEFAULT_PARAMETERS, FSRS  # noqa: E402

from trainer.optimize import items, load_logs, optimize, recompute_states, split_time  # noqa: E402
from trainer.store.review_import import import_review_log  # noqa: E402
from trainer.store.store import Store  # noqa: E402

DEFAULT_LOG = ROOT.parent / "shared" / "data" / "review-log-sample.csv"


def seconds(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--log", type=Path, default=DEFAULT_LOG)
    parser.add_argument("--copies", type=int, default=1)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(Path(folder) / "progress.db")
        copies = [args.log]
        for number in range(1, args.copies):
            copy = Path(folder) / f"{args.log.stem}-{number}.csv"
            copy.write_bytes(args.log.read_bytes())
            copies.append(copy)
        imported = sum(seconds(lambda path=path: import_review_log(store, path)) for path in copies)
        logs = load_logs(store)
        training, _ = items(logs, split_time(logs))
        ours, bare = [], []
        for _ in range(args.runs):
            ours.append(seconds(lambda: optimize(store, adopt=False)))
            bare.append(seconds(lambda: FSRS(DEFAULT_PARAMETERS).compute_parameters(training)))
        fitted = optimize(store, adopt=False).fitted
        adopt = seconds(lambda: recompute_states(store, load_logs(store), fitted))
        store.close()
    reviews = sum(len(log.reviews) for log in logs)
    print(f"log: {reviews:,} reviews of {len(logs):,} cards; {len(training):,} training items")
    print(f"import-log: {imported:.2f} s")
    print(f"optimize (dry run), median of {args.runs}: {statistics.median(ours):.3f} s")
    print(f"bare compute_parameters, median of {args.runs}: {statistics.median(bare):.3f} s")
    print(f"ratio: {statistics.median(ours) / statistics.median(bare):.2f}")
    print(f"adopting (replay of every card, states written): {adopt:.3f} s")


if __name__ == "__main__":
    main()
