"""Import benchmark: `trainer import` of an Anki package with 10,000 notes and 100,000 reviews.

The package is made with genanki (10,000 Basic notes in 10 decks, legacy layout); its revlog
then gets ten answers a card over a year, written into the package's SQLite with Anki's revlog
columns. Each run imports it into a fresh data folder, as `trainer import` does whole: read and
check the package, write the deck files, sync them, replay and log the 100,000 reviews.

    python bench/import_bench.py            # print the figure
    python bench/import_bench.py --write    # ... and record it in bench/IMPORT_RESULTS.md
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import zipfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

NOTES, REVIEWS_PER_CARD, RUNS = 10_000, 10, 3


def make_package(path: Path) -> Path:
    """Write the benchmark package at `path` (genanki, then the revlog added by hand)."""
    import genanki

    model = genanki.BASIC_MODEL
    decks = [genanki.Deck(1_000_000 + index, f"Bench::Deck {index}") for index in range(10)]
    for number in range(NOTES):
        decks[number % 10].add_note(
            genanki.Note(model=model, fields=[f"Question {number} about <b>x</b>?", f"Answer {number}"],
                         tags=["bench"])
        )  # fmt: skip
    raw = path.with_suffix(".raw.apkg")
    genanki.Package(decks).write_to_file(str(raw))
    work = Path(tempfile.mkdtemp())
    with zipfile.ZipFile(raw) as archive:
        archive.extractall(work)
    rng = random.Random(7)
    start = int(datetime(2025, 1, 1, tzinfo=UTC).timestamp() * 1000)
    with sqlite3.connect(work / "collection.anki2") as conn:
        card_ids = [row[0] for row in conn.execute("SELECT id FROM cards")]
        rows = []
        for card_id in card_ids:
            at = start + rng.randrange(0, 86_400_000)
            for review in range(REVIEWS_PER_CARD):
                ease = rng.choices((1, 2, 3, 4), weights=(1, 2, 12, 2))[0]
                rows.append((at, card_id, -1, ease, 1, 0, 2500, rng.randrange(2000, 20000), 1))
                at += (2**review) * 86_400_000 + rng.randrange(0, 3_600_000)
        conn.executemany("INSERT OR IGNORE INTO revlog VALUES (?,?,?,?,?,?,?,?,?)", rows)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in work.iterdir():
            archive.write(member, member.name)
    shutil.rmtree(work)
    raw.unlink()
    return path


def _cpu_seconds() -> float:
    """Processor time of this process and its finished worker processes: unlike the wall
    clock, it does not grow when other programs share the processors."""
    import resource

    own, workers = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def run_once(package: Path) -> tuple[float, float, str]:
    from click.testing import CliRunner

    from trainer.cli import cli

    home = Path(tempfile.mkdtemp())
    try:
        decks = home / "decks"
        decks.mkdir()
        started = time.perf_counter()
        cpu_before = _cpu_seconds()
        result = CliRunner().invoke(
            cli, ["--db", str(home / "p.db"), "--decks", str(decks), "import", str(package),
                  "--into", str(decks)],
        )  # fmt: skip
        elapsed = time.perf_counter() - started
        cpu = _cpu_seconds() - cpu_before
        assert result.exit_code == 0, result.output
        return elapsed, cpu, result.output.strip()
    finally:
        shutil.rmtree(home)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="record the figure")
    args = parser.parse_args()
    package = Path(tempfile.gettempdir()) / "trainer-import-bench.apkg"
    if not package.exists():
        make_package(package)
    times, cpus, output = [], [], ""
    load_before = os.getloadavg()[0]
    for _ in range(RUNS):
        elapsed, cpu, output = run_once(package)
        times.append(elapsed)
        cpus.append(cpu)
    load_after = os.getloadavg()[0]
    import platform

    from bench.machine import cpu_model

    machine = (
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {os.cpu_count()} CPUs ({cpu_model()}), "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}; load average "
        f"{load_before:.2f} before, {load_after:.2f} after."
    )
    line = (
        f"| import 10,000 notes, 100,000 reviews (.apkg) | {statistics.median(times):.2f} s | "
        f"{statistics.median(cpus):.2f} s | {RUNS} | {min(times):.2f} s - {max(times):.2f} s | "
        "aim: under 5 s |"
    )
    print(output)
    print(line)
    if args.write:
        (ROOT / "bench" / "IMPORT_RESULTS.md").write_text(
            "# Import benchmark\n\n`python bench/import_bench.py --write` (see its docstring).\n\n"
            "Processor time counts this process and its replay workers; on a busy machine the "
            "wall clock grows with the other programs' load, processor time barely does. With "
            "free processors the replay is shared among them, so the wall clock can fall below "
            "the processor time.\n\n"
            f"{machine}\n\n| Measurement | median (wall clock) | processor time | runs | spread (wall clock) | |\n|---|---:|---:|---:|---|---|\n"
            f"{line}\n\nLast summary line:\n\n    {output}\n"
        )


if __name__ == "__main__":
    main()
