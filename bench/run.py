"""Scale benchmark: 50 decks, 100,000 cards, 1,000,000 reviews, against Anki's published figures.

Measures, on the data `bench/generate.py` writes (built first if missing):

1. the first sync of all 50 decks into an empty database;
2. a re-sync when nothing changed;
3. a re-sync after one deck was edited (three answers changed, a card added, a card removed);
4. `Store.open` plus `study_queue` for all decks, on the database with 1M reviews;
5. `trainer decks` as a whole process, and `python -c pass` on the same machine for reference;
6. recording one answer (`record_review`), median and p99 over 1,000 answers.

    python bench/run.py            # print the table
    python bench/run.py --write    # ... and record it in bench/RESULTS.md
    python bench/run.py --explain  # the query plan of every statement the hot paths run
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import generate  # noqa: E402
from machine import cpu_model  # noqa: E402

from trainer.core.grading import Rating  # noqa: E402
from trainer.core.library import find_deck_files  # noqa: E402
from trainer.store.store import Store  # noqa: E402

RESULTS = BENCH / "RESULTS.md"
EDITED_DECK = 17
"""Which deck file (by position) the edit scenario changes."""


@dataclass
class Figure:
    """One measured figure, with its Anki reference when there is one."""

    key: str
    label: str
    seconds: list[float]
    anki: float | None = None
    anki_label: str = ""
    p99: bool = False

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def p99_value(self) -> float:
        ordered = sorted(self.seconds)
        return ordered[min(len(ordered) - 1, round(0.99 * len(ordered)) - 1)]

    @property
    def mean(self) -> float:
        return statistics.fmean(self.seconds)


def timed(action: Callable[[], object], runs: int, setup: Callable[[], object] | None = None):
    """Run `action` `runs` times (after `setup`, untimed, each time) and return the durations."""
    durations = []
    for _ in range(runs):
        if setup is not None:
            setup()
        start = time.perf_counter()
        action()
        durations.append(time.perf_counter() - start)
    return durations


def show(seconds: float) -> str:
    """A duration in the unit that reads best."""
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 0.01:
        return f"{seconds * 1000:.0f} ms"
    if seconds >= 0.001:
        return f"{seconds * 1000:.1f} ms"
    return f"{seconds * 1000:.2f} ms"


# -- data ---------------------------------------------------------------------------------


def ensure_data() -> datetime:
    """Generate the data if missing; migrate the database untimed; return the history's end."""
    if not (generate.META.exists() and generate.DB.exists() and generate.DECKS.is_dir()):
        print("bench data missing: generating it (about a minute)", flush=True)
        generate.main([])
    meta = json.loads(generate.META.read_text())
    end = datetime.fromisoformat(meta["end"])
    store = Store.open(generate.DB)  # applies any migration added since the data was built
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    age = datetime.now(UTC) - end
    if age > timedelta(days=3):
        print(
            f"note: the history ends {age.days} days ago; `trainer decks` counts more due cards "
            "than a learner would see (python bench/generate.py refreshes it)",
            flush=True,
        )
    return end


# -- 1-3: syncing -------------------------------------------------------------------------


def sync_figures(scratch: Path, runs_first: int, runs_again: int) -> list[Figure]:
    decks = scratch / "decks"
    shutil.copytree(generate.DECKS, decks)
    files = find_deck_files([decks])
    roots = [decks.resolve()]
    databases = iter(range(1_000))
    store: Store | None = None

    def fresh_store() -> None:
        nonlocal store
        if store is not None:
            store.close()
        store = Store.open(scratch / f"first-{next(databases)}.db")

    first = timed(lambda: store.sync(files, roots), runs_first, setup=fresh_store)
    assert store is not None
    report = store.sync(files, roots)
    assert report.unchanged == len(files), report
    unchanged = timed(lambda: store.sync(files, roots), runs_again)

    target = files[EDITED_DECK]
    original = target.read_text(encoding="utf-8")
    edited = edit_deck(original)
    versions = iter([edited, original] * runs_again)

    def edit() -> None:
        target.write_text(next(versions), encoding="utf-8")

    reports = []
    one_deck = timed(lambda: reports.append(store.sync(files, roots)), runs_again, setup=edit)
    assert all(r.updated and r.retired_cards == 1 for r in reports), reports[:2]
    store.close()
    return [
        Figure("first_sync", "First sync: 50 decks, 100,000 cards, empty database", first,
               anki=3.9, anki_label="add 100,000 notes: 3.9 s"),
        Figure("resync", "Re-sync, nothing changed", unchanged),
        Figure("edit_sync", "Re-sync after one deck edited (3 answers, +1 card, -1 card)", one_deck),
    ]  # fmt: skip


def edit_deck(text: str) -> str:
    """Three answers reworded, the first typed card removed, a new card added at the end."""
    lines = text.split("\n")
    changed = 0
    for number, line in enumerate(lines):
        if line.startswith("A: ") and changed < 3:
            lines[number] = line + " (edited)"
            changed += 1
    edited = "\n".join(lines)
    # The whole entry goes: its question, answers and field lines, up to the blank line.
    edited, removed = re.subn(r"\n\nQ: [^\n]*\nT: [^\n]*\n(?:[^\n]+\n)*", "\n\n", edited, count=1)
    assert changed == 3 and removed == 1
    return edited + "\nQ: Which card did the benchmark add?\nA: This one.\n"


# -- 4: the queue -------------------------------------------------------------------------


def queue_figures(now: datetime, runs: int) -> list[Figure]:
    def open_and_queue() -> None:
        store = Store.open(generate.DB)
        store.study_queue(now)
        store.close()

    open_queue = timed(open_and_queue, runs)
    store = Store.open(generate.DB)
    queue_only = timed(lambda: store.study_queue(now), runs)
    deck_list = timed(lambda: store.deck_summaries(now), runs)
    size = len(store.study_queue(now))
    store.close()
    return [
        Figure("open_queue", f"Store.open + study_queue, all decks ({size:,} cards queued)",
               open_queue, anki=0.027, anki_label="build the queue: 27 ms"),
        Figure("queue", "study_queue alone, store already open", queue_only),
        Figure("deck_list", "deck_summaries (the deck list), in process", deck_list,
               anki=0.018, anki_label="deck list: 18 ms"),
    ]  # fmt: skip


# -- 5: whole processes -------------------------------------------------------------------


def process_figures(runs: int) -> list[Figure]:
    # A user's install has byte-compiled modules; let this run write them (the sandbox may not).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    python = sys.executable
    # The installed `trainer` script, as a learner starts it (`python -m` would add runpy).
    script = Path(python).parent / "trainer"
    start = [str(script)] if script.exists() else [python, "-m", "trainer"]
    trainer = [*start, "--db", str(generate.DB), "--decks", str(generate.DECKS)]
    commands = {
        "decks": [*trainer, "decks"],
        "pass": [python, "-c", "pass"],
        "imports": [python, "-c", "import trainer.cli, trainer.store.store, trainer.store.sync"],
    }

    def run(command: list[str]) -> None:
        subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)

    for command in commands.values():  # warm the page cache and write the .pyc files
        run(command)
        run(command)
    results = {name: timed(lambda c=command: run(c), runs) for name, command in commands.items()}
    return [
        Figure("trainer_decks", "`trainer decks`, whole process (start, sync check, list)",
               results["decks"], anki=0.018, anki_label="deck list: 18 ms (in process)"),
        Figure("imports", "   of which: Python start + imports only", results["imports"]),
        Figure("python", "   for reference: `python -c pass`", results["pass"]),
    ]  # fmt: skip


# -- 6: answering -------------------------------------------------------------------------


def answer_figures(scratch: Path, now: datetime, answers: int) -> list[Figure]:
    copy = scratch / "answers.db"
    shutil.copyfile(generate.DB, copy)
    # Flush the copy now: else the first checkpoint's fsync pays for writing all 150 MB of it.
    with open(copy, "rb+") as handle:
        os.fsync(handle.fileno())
    store = Store.open(copy)
    queue = store.study_queue(now)
    ratings = [Rating.GOOD] * 7 + [Rating.AGAIN, Rating.HARD, Rating.EASY]
    durations = []
    for number in range(answers):
        card_id = queue[number % len(queue)]
        rating = ratings[number % len(ratings)]
        moment = now + timedelta(seconds=8 * number)
        start = time.perf_counter()
        store.record_review(card_id, rating, moment, duration_ms=6_000)
        durations.append(time.perf_counter() - start)
    store.close()
    return [
        Figure("answer", f"record_review, one answer ({answers:,} answers)", durations,
               anki=0.0003, anki_label="answer a card: 0.3 ms", p99=True),
    ]  # fmt: skip


# -- query plans --------------------------------------------------------------------------


def explain(now: datetime) -> None:
    """Print the plan of every statement the hot paths run, flagging full scans."""
    scratch = Path(tempfile.mkdtemp(prefix="trainer-bench-"))
    try:
        copy = scratch / "explain.db"
        shutil.copyfile(generate.DB, copy)
        store = Store.open(copy)
        statements: list[str] = []
        store.db.conn.set_trace_callback(statements.append)
        queue = store.study_queue(now)  # the whole gathering (today, decks, due, new) runs inside
        store.study_card(queue[0])
        store.record_review(queue[0], Rating.GOOD, now)
        store.db.conn.set_trace_callback(None)
        seen = set()
        for sql in statements:
            text = " ".join(sql.split())
            if not re.match(r"(SELECT|INSERT|UPDATE|DELETE)\b", text, re.I):
                continue
            shape = re.sub(r"\b\d+(\.\d+)?\b", "?", text)
            if shape in seen:
                continue
            seen.add(shape)
            plan = [row[3] for row in store.db.execute("EXPLAIN QUERY PLAN " + sql)]
            # A scan of the 50-row decks table, or of `parameters` in rowid order for its
            # last row, is fine; a scan of cards or reviews is not.
            scans = [step for step in plan if re.match(r"SCAN (cards|reviews|c|r)\b", step)]
            print(("!! " if scans else "ok ") + text[:110])
            for step in plan:
                print(f"       {step}")
        store.close()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


# -- report -------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus": str(os.cpu_count()),
        "cpu": cpu_model(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
    }


def verdict(figure: Figure) -> str:
    if figure.anki is None:
        return ""
    ratio = figure.anki / figure.median
    if ratio >= 1:
        return f"{ratio:.{2 if ratio < 1.1 else 1}f}x faster"
    return f"{1 / ratio:.{2 if ratio > 0.9 else 1}f}x slower"


def table(figures: list[Figure]) -> list[str]:
    rows = [
        "| Measurement | trainer (median) | runs | spread (min-max) | Anki's Rust backend | |",
        "|---|---:|---:|---|---|---|",
    ]
    for figure in figures:
        value = show(figure.median)
        if figure.p99:
            value += f"; p99 {show(figure.p99_value)}; mean {show(figure.mean)}"
        spread = f"{show(min(figure.seconds))} - {show(max(figure.seconds))}"
        rows.append(
            f"| {figure.label} | {value} | {len(figure.seconds)} | {spread} | "
            f"{figure.anki_label} | {verdict(figure)} |"
        )
    return rows


def write_results(figures: list[Figure], info: dict[str, str], loads: tuple) -> None:
    block = [
        "<!-- results:start (bench/run.py --write replaces this block) -->",
        f"Run {info['date']} on {info['cpus']} CPUs ({info['cpu']}), Python {info['python']}, "
        f"SQLite {info['sqlite']}; load average {loads[0]:.2f} before, {loads[1]:.2f} after.",
        "",
        *table(figures),
        "<!-- results:end -->",
    ]
    by_key = {figure.key: figure for figure in figures}
    history_row = (
        f"| {info['date']} | {loads[0]:.2f} | {show(by_key['first_sync'].median)} | "
        f"{show(by_key['resync'].median)} | {show(by_key['edit_sync'].median)} | "
        f"{show(by_key['open_queue'].median)} | {show(by_key['trainer_decks'].median)} | "
        f"{show(by_key['answer'].median)} / {show(by_key['answer'].p99_value)} |"
    )
    text = RESULTS.read_text() if RESULTS.exists() else _skeleton()
    text = re.sub(r"<!-- results:start.*?<!-- results:end -->", "\n".join(block), text, flags=re.S)
    text = text.replace("<!-- history:end -->", history_row + "\n<!-- history:end -->")
    RESULTS.write_text(text)
    print(f"\nrecorded in {RESULTS.relative_to(ROOT)}")


def _skeleton() -> str:
    return (
        "# Scale benchmark results\n\n"
        "<!-- results:start -->\n<!-- results:end -->\n\n## History\n\n"
        "| date | load | first sync | re-sync | one deck edited | open + queue | "
        "`trainer decks` | answer median / p99 |\n|---|---|---|---|---|---|---|---|\n"
        "<!-- history:end -->\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog=__doc__.split("\n\n", 2)[2] if __doc__ else None,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--write", action="store_true", help="record the figures in RESULTS.md")
    parser.add_argument("--explain", action="store_true", help="print the hot queries' plans")
    parser.add_argument("--runs", type=int, default=10, help="repeats of the quick measurements")
    options = parser.parse_args()
    end = ensure_data()
    now = end + timedelta(hours=20)  # the evening after the history ends, when a learner studies
    if options.explain:
        explain(now)
        return
    loads = [os.getloadavg()[0]]
    info = machine()
    print(
        f"{info['cpus']} CPUs ({info['cpu']}), Python {info['python']}, SQLite {info['sqlite']}, "
        f"load {loads[0]:.2f}",
        flush=True,
    )
    scratch = Path(tempfile.mkdtemp(prefix="trainer-bench-"))
    figures: list[Figure] = []
    try:
        steps = [
            ("syncing", lambda: sync_figures(scratch, 5, 2 * options.runs)),
            ("building the queue", lambda: queue_figures(now, 3 * options.runs)),
            ("starting processes", lambda: process_figures(options.runs)),
            ("answering", lambda: answer_figures(scratch, now, 1_000)),
        ]
        for what, step in steps:
            print(f"  {what}...", flush=True)
            figures.extend(step())
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    loads.append(os.getloadavg()[0])
    print()
    print("\n".join(table(figures)))
    print(f"\nload average: {loads[0]:.2f} before, {loads[1]:.2f} after")
    if options.write:
        write_results(figures, info, tuple(loads))


if __name__ == "__main__":
    main()
