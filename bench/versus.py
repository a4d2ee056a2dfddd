"""trainer against Anki's backend, side by side, on the same generated collection.

For each size (10,000 and 100,000 cards by default; 1,000,000 with `--million`) this builds the
trainer data (`bench/generate.py`) and the same collection in Anki (`bench/anki_side.py`), then
times each operation on both, alternating the two run by run so that a change in the machine's
load falls on both alike, and prints the medians and their ratio (trainer / Anki: below 1 is
trainer faster or smaller).

    python bench/versus.py                  # 10k and 100k cards
    python bench/versus.py --cards 100000   # one size
    python bench/versus.py --million        # 10k, 100k and 1M (building 1M takes long)
    python bench/versus.py --write          # also record the tables in bench/RESULTS.md

Needs the `anki` package (`bench/requirements.txt`; `make bench` installs it into `.venv`).
What each row compares is in bench/README.md, "Side by side with Anki".
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for place in (ROOT, BENCH):
    if str(place) not in sys.path:
        sys.path.insert(0, str(place))

import anki_side  # noqa: E402
import generate  # noqa: E402
from machine import cpu_model  # noqa: E402
from run import edit_deck  # noqa: E402

from trainer import schedule  # noqa: E402
from trainer.core.grading import Rating  # noqa: E402
from trainer.core.library import find_deck_files  # noqa: E402
from trainer.store import migrations  # noqa: E402
from trainer.store.store import Store  # noqa: E402

RESULTS = BENCH / "RESULTS.md"
STUDY_TIME = timedelta(hours=20)
"""The moment measured: the evening after the history ends, when a learner studies."""
EDITED_DECK = 17
# A user's install has byte-compiled modules; let the subprocesses write them.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


@dataclass
class Row:
    """One operation measured on both sides (seconds, or bytes when `unit` says so)."""

    label: str
    trainer: list[float]
    anki: list[float]
    unit: str = "s"
    note: str = ""
    p99: bool = False

    def value(self, samples: list[float]) -> str:
        if not samples:
            return "—"
        if self.unit == "MB":
            return f"{statistics.median(samples) / 1e6:.1f} MB"
        if self.unit == "MiB":
            return f"{statistics.median(samples) / 2**20:.0f} MiB"
        if self.unit == "B/review":
            return f"{statistics.median(samples):.0f} B"
        if self.unit == "x":
            return f"{statistics.median(samples):.2f}x"
        text = show(statistics.median(samples))
        if self.p99:
            text += f" / {show(percentile(samples, 0.99))}"
        return text

    def ratio(self) -> str:
        if not self.trainer or not self.anki:
            return "—"
        ratio = statistics.median(self.trainer) / statistics.median(self.anki)
        if self.p99:
            p99 = percentile(self.trainer, 0.99) / percentile(self.anki, 0.99)
            return f"{ratio:.2f} / {p99:.2f}"
        return f"{ratio:.2f}"


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * len(ordered)) - 1)]


def show(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 0.01:
        return f"{seconds * 1000:.0f} ms"
    if seconds >= 0.001:
        return f"{seconds * 1000:.1f} ms"
    return f"{seconds * 1000:.2f} ms"


def alternate(
    runs: int, ours: Callable[[], float], theirs: Callable[[], float]
) -> tuple[list[float], list[float]]:
    """Run the two measurements by turns, `runs` times each; each returns its own duration."""
    mine, anki = [], []
    for number in range(runs):
        # Who goes first alternates too: the second of a pair may find warmer caches.
        if number % 2:
            anki.append(theirs())
            mine.append(ours())
        else:
            mine.append(ours())
            anki.append(theirs())
    return mine, anki


def clock(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


# -- data ---------------------------------------------------------------------------------


def ensure_data(cards: int, log: Callable[[str], None]) -> tuple[datetime, Path]:
    """The trainer data of this size (built if missing) and its Anki twin; (history end, anki)."""
    generate.configure(cards)
    if not (generate.META.exists() and generate.DB.exists()):
        log(f"  building the trainer data for {cards:,} cards")
        generate.main(["--cards", str(cards)])
        generate.configure(cards)
    elif not _current(generate.DB):
        # A migration that rebuilds a table or an index leaves its pages packed full, and the
        # next few thousand answers split them (about twice the pages written per answer).
        # Anki's twin is built afresh, so ours is too: what trainer itself makes of the history.
        end = json.loads(generate.META.read_text())["end"]
        log(f"  rebuilding the trainer data for {cards:,} cards (built by an older schema)")
        generate.main(["--cards", str(cards), "--end", end])
        generate.configure(cards)
    meta = json.loads(generate.META.read_text())
    store = Store.open(generate.DB)  # applies any migration added since the data was built
    # Data copied from another checkout names that checkout's deck files: point it at these,
    # or `trainer decks` (the deck list's row) would sync them in as 50 decks more.
    point_at(store, generate.DECKS)
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    anki = generate.DATA / "anki" / "collection.anki2"
    anki_meta = anki.parent / "meta.json"
    # Anki's due dates are days from its own today: rebuild on another day or other data.
    wanted = {"end": meta["end"], "built_on": datetime.now().date().isoformat(), "layout": 2}
    if not anki.exists() or not anki_meta.exists() or _stale(anki_meta, wanted):
        log(f"  building the Anki collection for {cards:,} cards")
        anki.parent.mkdir(exist_ok=True)
        built = anki_side.build(anki, generate.DB, log)
        anki_meta.write_text(json.dumps({**wanted, **built}, indent=2) + "\n")
    return datetime.fromisoformat(meta["end"]), anki


def _current(path: Path) -> bool:
    """Whether the database at `path` was built by the schema of this code (no migration due)."""
    conn = sqlite3.connect(path)
    try:
        return migrations.is_current(conn)
    finally:
        conn.close()


def point_at(store: Store, folder: Path) -> None:
    """Name the deck files of `folder` in the store whose decks were synced from another folder
    holding the same files (a copy), so that a sync there finds them unchanged."""
    synced_from = {str(Path(path).parent) for (path,) in store.db.execute("SELECT path FROM decks")}
    here = str(folder.resolve())
    if len(synced_from) == 1 and synced_from != {here}:
        with store.db.atomic():
            store.db.execute(
                "UPDATE decks SET path = ? || substr(path, ?)", [here, len(synced_from.pop()) + 1]
            )


def _stale(path: Path, wanted: dict) -> bool:
    known = json.loads(path.read_text())
    return any(known.get(key) != value for key, value in wanted.items())


def fresh_copy(source: Path, target: Path) -> Path:
    shutil.copyfile(source, target)
    with open(target, "rb+") as handle:  # else the first checkpoint pays for the whole copy
        os.fsync(handle.fileno())
    return target


# -- the operations -----------------------------------------------------------------------


def bulk_add(scratch: Path, runs: int) -> Row:
    files = find_deck_files([generate.DECKS])
    roots = [generate.DECKS.resolve()]
    count = iter(range(1_000))

    def ours() -> float:
        store = Store.open(scratch / f"first-{next(count)}.db")
        spent = clock(lambda: store.sync(files, roots))
        store.close()
        return spent

    def theirs() -> float:
        col = anki_side.new_collection(scratch / f"first-{next(count)}.anki2")
        spent, _ = anki_side.bulk_add(col, generate.DB)
        col.close()
        return spent

    mine, anki = alternate(runs, ours, theirs)
    return Row("first sync / bulk add", mine, anki, note="parse + insert vs `col.add_notes`")


def open_and_queue(anki_path: Path, now: datetime, runs: int) -> Row:
    from anki.collection import Collection

    def ours() -> float:
        start = time.perf_counter()
        store = Store.open(generate.DB)
        store.study_queue(now)
        spent = time.perf_counter() - start
        store.close()
        return spent

    def theirs() -> float:
        start = time.perf_counter()
        col = Collection(str(anki_path))
        col.sched.get_queued_cards()
        spent = time.perf_counter() - start
        col.close()
        return spent

    mine, anki = alternate(runs, ours, theirs)
    return Row("open + queue", mine, anki)


ANKI_DECK_LIST = """
import sys
from anki.collection import Collection
col = Collection(sys.argv[1])
tree = col.sched.deck_due_tree()
for parent in tree.children:
    for node in parent.children:
        print(node.name, node.review_count, node.learn_count, node.new_count)
col.close()
"""


def deck_list(anki_path: Path, runs: int) -> Row:
    script = Path(sys.executable).parent / "trainer"
    start = [str(script)] if script.exists() else [sys.executable, "-m", "trainer"]
    ours = [*start, "--db", str(generate.DB), "--decks", str(generate.DECKS), "decks"]
    theirs = [sys.executable, "-c", ANKI_DECK_LIST, str(anki_path)]

    def run(command: list[str]) -> float:
        return clock(
            lambda: subprocess.run(command, env=ENV, check=True, stdout=subprocess.DEVNULL)
        )

    for _ in range(2):  # warm the page cache, write the .pyc files
        run(ours)
        run(theirs)
    mine, anki = alternate(runs, lambda: run(ours), lambda: run(theirs))
    return Row("deck list, whole process", mine, anki, note="`trainer decks` vs `deck_due_tree`")


def answers(scratch: Path, anki_path: Path, now: datetime, count: int) -> Row:
    from anki.cards import Card
    from anki.collection import Collection
    from anki.scheduler_pb2 import CardAnswer

    store = Store.open(fresh_copy(generate.DB, scratch / "answers.db"))
    col = Collection(str(fresh_copy(anki_path, scratch / "answers.anki2")))
    queue = store.study_queue(now)
    ratings = [Rating.GOOD] * 7 + [Rating.AGAIN, Rating.HARD, Rating.EASY]
    anki_ratings = [CardAnswer.GOOD] * 7 + [CardAnswer.AGAIN, CardAnswer.HARD, CardAnswer.EASY]
    number = 0

    def ours() -> float:
        # The study screen's cycle: read the card to show and work out its buttons, as Anki's
        # queue gives its card's states, then record the answer, which takes them.
        card_id = queue[number % len(queue)]
        moment = now + timedelta(seconds=8 * number)
        start = time.perf_counter()
        shown = store.study_card(card_id)
        weights = shown.weights or schedule.DEFAULT_PARAMETERS
        seed = schedule.card_seed(shown.card.key)
        pressed = schedule.buttons(seed, shown.progress, moment, shown.schedule, weights)
        store.record_review(card_id, ratings[number % 10], moment, shown=shown, buttons=pressed)
        return time.perf_counter() - start

    def theirs() -> float:
        # Anki's reviewer: the next queued card with its states, then the answer.
        start = time.perf_counter()
        queued = col.sched.get_queued_cards().cards[0]
        card = Card(col, backend_card=queued.card)
        card.start_timer()
        answer = col.sched.build_answer(
            card=card, states=queued.states, rating=anki_ratings[number % 10]
        )
        col.sched.answer_card(answer)
        return time.perf_counter() - start

    mine, anki = [], []
    for number in range(count):  # noqa: B007 (read by the two closures)
        mine.append(ours())
        anki.append(theirs())
    store.close()
    col.close()
    return Row("one answer, full cycle, median / p99", mine, anki, p99=True)


def statistics_rows(anki_path: Path, now: datetime, runs: int) -> list[Row]:
    from anki.collection import Collection

    from trainer.stats.figures import compute_stats

    store = Store.open(generate.DB)
    col = Collection(str(anki_path))
    deck_id, name = store.conn.execute(
        "SELECT id, name FROM decks ORDER BY id LIMIT 1 OFFSET ?", [EDITED_DECK]
    ).fetchone()
    rows = []
    for label, ours, search in (
        ("all statistics", None, "deck:*"),
        ("statistics of one deck", deck_id, f'"deck:{anki_side.PARENT}::{name}"'),
    ):
        mine, anki = alternate(
            runs,
            lambda deck=ours: clock(lambda: compute_stats(store, now, deck)),
            lambda search=search: clock(lambda: col._backend.graphs(search=search, days=365)),
        )
        rows.append(Row(label, mine, anki, note="`compute_stats` vs `graphs` (365 days)"))
    store.close()
    col.close()
    return rows


def resync(scratch: Path, anki_path: Path, runs: int) -> list[Row]:
    from anki.collection import Collection

    decks = scratch / "decks"
    shutil.copytree(generate.DECKS, decks)
    files = find_deck_files([decks])
    roots = [decks.resolve()]
    store = Store.open(fresh_copy(generate.DB, scratch / "resync.db"))
    point_at(store, decks)  # the copied files are the collection's, not 50 decks more
    report = store.sync(files, roots)
    assert not report.added_cards, "the copied deck files were synced in as new decks"
    target = files[EDITED_DECK]
    original = target.read_text(encoding="utf-8")
    three = _three_answers(original)
    wider = edit_deck(original)
    col = Collection(str(fresh_copy(anki_path, scratch / "resync.anki2")))
    name = store.conn.execute(
        "SELECT name FROM decks ORDER BY id LIMIT 1 OFFSET ?", [EDITED_DECK]
    ).fetchone()[0]
    notes = [col.get_note(nid) for nid in col.find_notes(f'"deck:{anki_side.PARENT}::{name}"')[:3]]
    turn = 0

    def ours(text: str) -> Callable[[], float]:
        def sync() -> float:
            target.write_text(text if turn % 2 == 0 else original, encoding="utf-8")
            return clock(lambda: store.sync(files, roots))

        return sync

    def theirs() -> float:
        for note in notes:
            note["Back"] = note["Back"] + " (edited)" if turn % 2 == 0 else note["Back"][:-9]
        return clock(lambda: col.update_notes(notes))

    rows = []
    for label, text in (
        ("re-sync after editing 3 answers of one deck", three),
        ("re-sync, same deck, 3 answers edited, 1 card added, 1 removed", wider),
    ):
        mine, anki = [], []
        # Two turns untimed first (an edit and its undoing): the first calls of either side pay
        # for what is made once (Anki's first `update_notes` in a collection took 2-3 ms).
        for turn in range(-2, runs):  # noqa: B007 (read by the closures)
            ours_spent, anki_spent = ours(text)(), theirs()
            if turn >= 0:
                mine.append(ours_spent)
                anki.append(anki_spent)
        rows.append(Row(label, mine, anki, note="Anki: `update_notes` of 3 notes"))
    store.close()
    col.close()
    return rows


def _three_answers(text: str) -> str:
    lines = text.split("\n")
    changed = 0
    for number, line in enumerate(lines):
        if line.startswith("A: ") and changed < 3:
            lines[number] = line + " (edited)"
            changed += 1
    return "\n".join(lines)


def database_size(scratch: Path, anki_path: Path) -> list[Row]:
    # Both compacted the same way (`VACUUM INTO`), so that neither counts the free pages its
    # history of writes left, such as those of an index a migration dropped.
    sizes, counts = [], []
    for source, table in ((generate.DB, "reviews"), (anki_path, "revlog")):
        conn = sqlite3.connect(source)
        conn.create_collation(
            "unicase", lambda a, b: (a.lower() > b.lower()) - (a.lower() < b.lower())
        )
        target = scratch / f"compact-{table}.db"
        conn.execute("VACUUM INTO ?", [str(target)])
        counts.append(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
        conn.close()
        sizes.append(target.stat().st_size)
    return [
        Row("database size", [sizes[0]], [sizes[1]], unit="MB",
            note=f"{counts[0]:,} reviews vs {counts[1]:,} revlog rows, both vacuumed"),
        Row("database size per review", [sizes[0] / counts[0]], [sizes[1] / counts[1]],
            unit="B/review"),
    ]  # fmt: skip


def first_paint(scratch: Path, runs: int) -> list[Row]:
    rows = []
    db = fresh_copy(generate.DB, scratch / "paint.db")
    for label, args in (
        ("TUI first paint vs a minimal Textual app, bundled decks", []),
        ("TUI first paint vs a minimal Textual app, this collection",
         ["--decks", str(generate.DECKS), "--db", str(db)]),
    ):  # fmt: skip
        result = subprocess.run(
            [sys.executable, str(BENCH / "startup.py"), "--runs", str(runs), *args],
            env=ENV, check=True, capture_output=True, text=True,
        )  # fmt: skip
        ratio = float(re.search(r"ratio: ([\d.]+)", result.stdout).group(1))
        counts = re.search(r"counts ratio: ([\d.]+)", result.stdout).group(1)
        rows.append(Row(label, [ratio], [], unit="x", note=f"goal 1.2x; deck counts {counts}x"))
    return rows


# The peak resident size of this process since it started (`ru_maxrss` would carry over the
# benchmark's own from before the exec on Linux).
PEAK = """
def PEAK():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
"""
MEMORY_TRAINER = (
    PEAK
    + """
import sys
from datetime import datetime, timedelta
import trainer.tui.app  # the app's libraries are loaded when the stats screen shows
from trainer.stats.figures import compute_stats
from trainer.store.store import Store
store = Store.open(sys.argv[1])
compute_stats(store, datetime.fromisoformat(sys.argv[2]), None)
print(PEAK())
"""
)
MEMORY_ANKI = (
    PEAK
    + """
import sys
from anki.collection import Collection
col = Collection(sys.argv[1])
col._backend.graphs(search="deck:*", days=365)
print(PEAK())
"""
)


def memory(anki_path: Path, now: datetime) -> Row:
    def peak(script: str, *args: str) -> float:
        result = subprocess.run(
            [sys.executable, "-c", script, *args], env=ENV, check=True, capture_output=True,
            text=True,
        )  # fmt: skip
        return int(result.stdout.split()[-1]) * 1024.0

    mine, anki = alternate(
        3,
        lambda: peak(MEMORY_TRAINER, str(generate.DB), now.isoformat()),
        lambda: peak(MEMORY_ANKI, str(anki_path)),
    )
    return Row("statistics, peak resident memory", mine, anki, unit="MiB",
               note="compute_stats with the app loaded vs `graphs`")  # fmt: skip


# -- report -------------------------------------------------------------------------------


def measure(
    cards: int, runs: int, log: Callable[[str], None], only: Sequence[str] = ()
) -> list[Row]:
    import anki.collection  # noqa: F401 (first: anki's other modules import it circularly)

    end, anki_path = ensure_data(cards, log)
    now = end + STUDY_TIME
    scratch = Path(tempfile.mkdtemp(prefix="trainer-versus-"))
    big = cards >= 1_000_000
    steps: list[tuple[str, Callable[[], Any]]] = [
        ("bulk add", lambda: [bulk_add(scratch, 1 if big else 3)]),
        ("open + queue", lambda: [open_and_queue(anki_path, now, 3 * runs)]),
        ("deck list", lambda: [deck_list(anki_path, runs)]),
        ("answers", lambda: [answers(scratch, anki_path, now, 1_000)]),
        ("statistics", lambda: statistics_rows(anki_path, now, runs)),
        ("re-sync", lambda: resync(scratch, anki_path, 2 * runs)),
        ("database size", lambda: database_size(scratch, anki_path)),
        ("first paint", lambda: first_paint(scratch, runs)),
        ("memory", lambda: [memory(anki_path, now)]),
    ]
    rows: list[Row] = []
    try:
        for what, step in steps:
            if only and what not in only:
                continue
            log(f"  {cards:,} cards: {what}...")
            rows.extend(step())
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return rows


def table(rows: list[Row]) -> list[str]:
    lines = ["| operation | trainer | Anki | ratio | compared |", "|---|---:|---:|---:|---|"]
    for row in rows:
        lines.append(
            f"| {row.label} | {row.value(row.trainer)} | {row.value(row.anki)} | "
            f"{row.ratio()} | {row.note} |"
        )
    return lines


def heading(cards: int, load: tuple[float, float]) -> str:
    import platform

    return (
        f"{cards:,} cards, run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {os.cpu_count()} CPUs "
        f"({cpu_model()}), Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"Anki {_anki_version()}; load average {load[0]:.2f} before, {load[1]:.2f} after."
    )


def _anki_version() -> str:
    from anki.buildinfo import version

    return version


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog=__doc__.split("\n\n", 2)[2],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--cards", type=int, action="append", choices=sorted(generate.SIZES))
    parser.add_argument("--million", action="store_true", help="also 1,000,000 cards")
    parser.add_argument("--runs", type=int, default=10, help="repeats of the quick measurements")
    parser.add_argument("--write", action="store_true", help="record the tables in RESULTS.md")
    parser.add_argument(
        "--only", action="append", default=[], metavar="STEP",
        help="measure only this step (repeatable): bulk add, open + queue, deck list, answers, "
        "statistics, re-sync, database size, first paint, memory",
    )  # fmt: skip
    options = parser.parse_args()
    sizes = options.cards or [10_000, 100_000]
    if options.million and 1_000_000 not in sizes:
        sizes.append(1_000_000)
    blocks = []
    for cards in sizes:
        before = os.getloadavg()[0]
        rows = measure(cards, options.runs, lambda text: print(text, flush=True), options.only)
        block = [heading(cards, (before, os.getloadavg()[0])), "", *table(rows)]
        print("\n" + "\n".join(block) + "\n", flush=True)
        blocks.append("\n".join(block))
    if options.write:
        text = RESULTS.read_text()
        recorded = "<!-- versus:start (bench/versus.py --write adds here) -->\n"
        text = text.replace(recorded, recorded + "\n" + "\n\n".join(blocks) + "\n\n")
        RESULTS.write_text(text)
        print(f"recorded in {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
