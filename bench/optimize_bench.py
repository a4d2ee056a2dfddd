"""`trainer optimize` against fsrs-rs's bare fit on the same items, and Anki's, in the same run.

On the bench collection (`bench/data/progress.db` of `bench/generate.py`: 100,000 cards,
1,000,000 reviews; copied first, never changed) or, with `--log FILE`, on a review log imported
into a temporary database. Times, in turn, `--runs` times each:

1. `FSRS(DEFAULT_PARAMETERS).compute_parameters(items)` alone, on the training items that
   `optimize` builds (built once, outside the timing): the bare fit;
2. `optimize(store, adopt=False)`: what `trainer optimize --dry-run` does once the database is
   open: read the log, build the items, fit, score both parameter sets on the held-out part;
3. `optimize(store)` on a fresh copy of the database: all of (2), then adopting the fitted
   parameters (if they do better) and recomputing and writing every card's state;
4. with Anki installed (`bench/requirements.txt`) and its copy of the collection built
   (`bench/anki_side.py`, as `bench/versus.py` builds it), Anki's `compute_fsrs_params` on
   the whole collection: its own "Optimize" (reading its revlog, building items, fitting and
   checking the result against the parameters in use).

It prints the median of each, the ratios to the bare fit (the goal: at most 1.5) and to
Anki's, the median processor time of each (all threads of the process: on a busy machine it
moves less than the wall-clock time; the fit's forked copy is counted too) and its ratio to the bare fit's, the machine and the load
average before and after, as a Markdown table.

    python bench/optimize_bench.py [--runs 5] [--no-anki] [--data DIR] [--log FILE [--copies N]]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
for folder in (ROOT, BENCH):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from fsrs_rs_python import DEFAULT_PARAMETERS, FSRS  # noqa: E402
from machine import cpu_model  # noqa: E402

from trainer.optimize import items, load_logs, optimize, split_time  # noqa: E402
from trainer.store.review_import import import_review_log  # noqa: E402
from trainer.store.store import Store  # noqa: E402

DATA = BENCH / "data"


def seconds(action: Callable[[], object], cpu: list[float] | None = None) -> float:
    """The wall-clock seconds `action` takes; its processor seconds (all threads of this
    process, and of the processes it started: the fit's copy) are appended to `cpu`."""
    start, processor = time.perf_counter(), processor_seconds()
    action()
    if cpu is not None:
        cpu.append(processor_seconds() - processor)
    return time.perf_counter() - start


def processor_seconds() -> float:
    """Processor seconds of this process and of its children that have ended."""
    spent = os.times()
    return time.process_time() + spent.children_user + spent.children_system


def fresh_copy(source: Path, target: Path) -> Path:
    shutil.copyfile(source, target)
    with open(target, "rb+") as handle:  # else the first checkpoint pays for the whole copy
        os.fsync(handle.fileno())
    return target


def prepared_database(args: argparse.Namespace, folder: Path) -> Path:
    """The database the runs read: a copy of the bench collection, or an imported log."""
    path = folder / "progress.db"
    if args.log is None:
        source = sqlite3.connect(args.data / "progress.db")
        source.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        source.close()
        fresh_copy(args.data / "progress.db", path)
        Store.open(path).close()  # any migration added since the data was built
        return path
    store = Store.open(path)
    for number in range(args.copies):
        copy = folder / f"{args.log.stem}-{number}.csv"
        copy.write_bytes(args.log.read_bytes())
        import_review_log(store, copy)
    store.close()
    return path


def anki_optimize(path: Path) -> Callable[[], object] | None:
    """Anki's own optimize on its copy of the collection, or None without one."""
    try:
        from anki.collection import Collection
    except ImportError:
        return None
    if not path.exists():
        return None
    col = Collection(str(path))

    def run() -> object:
        return col._backend.compute_fsrs_params(
            search="",
            current_params=list(DEFAULT_PARAMETERS),
            ignore_revlogs_before_ms=0,
            num_of_relearning_steps=1,
            health_check=False,
        )

    return run


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--log", type=Path, help="a review log CSV instead of the collection")
    parser.add_argument("--copies", type=int, default=1, help="import --log this many times")
    parser.add_argument("--no-anki", action="store_true")
    parser.add_argument(
        "--data", type=Path, default=DATA, help="a bench collection (bench/data-10k: 10,000 cards)"
    )
    args = parser.parse_args(argv)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        database = prepared_database(args, folder)
        store = Store.open(database)
        logs = load_logs(store)
        training, _ = items(logs, split_time(logs))
        anki = (
            None
            if args.no_anki or args.log
            else anki_optimize(args.data / "anki" / "collection.anki2")
        )
        times: dict[str, list[float]] = {"bare": [], "dry": [], "full": [], "anki": []}
        cpu: dict[str, list[float]] = {name: [] for name in times}
        adopted: list[int] = []
        for run in range(args.runs):
            times["bare"].append(
                seconds(
                    lambda: FSRS(list(DEFAULT_PARAMETERS)).compute_parameters(training),
                    cpu["bare"],
                )
            )
            times["dry"].append(seconds(lambda: optimize(store, adopt=False), cpu["dry"]))
            copy = Store.open(fresh_copy(database, folder / f"adopting-{run}.db"))
            times["full"].append(
                seconds(
                    lambda copy=copy: adopted.append(optimize(copy).recomputed_cards), cpu["full"]
                )
            )
            copy.close()
            (folder / f"adopting-{run}.db").unlink()
            if anki is not None:
                times["anki"].append(seconds(anki, cpu["anki"]))
        store.close()
    load_after = os.getloadavg()
    report(args, logs, training, times, cpu, adopted, load_before, load_after)


def report(args, logs, training, times, cpu, adopted, load_before, load_after) -> None:
    median = {name: statistics.median(spent) for name, spent in times.items() if spent}
    processor = {name: statistics.median(spent) for name, spent in cpu.items() if spent}
    reviews = sum(len(log.ratings) for log in logs)
    source = (
        f"the bench collection ({args.data.name})"
        if args.log is None
        else f"{args.log.name} x{args.copies}"
    )
    print(
        f"{source}: {reviews:,} answers of {len(logs):,} cards; {len(training):,} training"
        f" items; run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {os.cpu_count()} CPUs"
        f" ({cpu_model()}), Python {platform.python_version()}; load average"
        f" {load_before[0]:.2f} before, {load_after[0]:.2f} after; median of {args.runs}."
    )
    print(f"states recomputed on adopting: {json.dumps(adopted)}")
    print()
    print("| operation | median | / bare fit | / Anki | CPU | CPU / bare fit |")
    print("|---|---:|---:|---:|---:|---:|")
    rows = [
        ("bare", "fsrs-rs `compute_parameters`, same training items"),
        ("dry", "`optimize(adopt=False)` (`--dry-run`)"),
        ("full", "`optimize` adopting: states recomputed and written"),
        ("anki", "Anki `compute_fsrs_params`"),
    ]
    for name, label in rows:
        if name not in median:
            continue
        anki = f"{median[name] / median['anki']:.2f}" if "anki" in median else "—"
        print(
            f"| {label} | {median[name]:.2f} s | {median[name] / median['bare']:.2f} | {anki}"
            f" | {processor[name]:.2f} s | {processor[name] / processor['bare']:.2f} |"
        )


if __name__ == "__main__":
    main()
