"""Time searches and the card browser on 100,000 cards with 1,000,000 reviews.

Uses `bench/data/progress.db` from `bench/generate.py` (built first if missing), copied to a
temporary file so this checkout's migrations (the text index among them) never touch the shared
one. Each query is timed as the browser runs it: the count, then the first page of rows.
Results are printed and appended to `bench/SEARCH_RESULTS.md`.

    python bench/search_bench.py            # 10 runs of each query, 3 of the browser
    python bench/search_bench.py --runs 3 --no-record
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from machine import cpu_model  # noqa: E402  (bench/, the script's own folder)
from stats_bench import bench_database  # noqa: E402

from trainer.store.search import count_cards, find_card_ids, found_cards  # noqa: E402
from trainer.store.store import Store  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "SEARCH_RESULTS.md"
LIMIT_MS = 50.0
QUERIES = [
    "",
    "hound",
    "thark drivand",
    '"roswand clum"',
    "deck:*07*",
    "tag:deck0*",
    "is:due",
    "is:new",
    "is:suspended",
    "flag:1",
    "kind:cloze",
    "prop:ivl>=30",
    "prop:due<=3",
    "prop:lapses>3",
    "prop:s>30",
    "prop:r<0.8",
    "rated:7",
    "added:7",
    "-is:new prop:r<0.8 (kind:typed or kind:cloze)",
    "hound -deck:*1*",
    "hound or weacund or siol",
]
PAGE = 100


def time_query(store: Store, query: str, now: datetime, runs: int) -> tuple[float, float, int]:
    """Median and best milliseconds of a search as the browser runs it (count, then the first
    page of rows); and the count."""
    times = []
    count = 0
    for _ in range(runs + 1):
        began = time.perf_counter()
        count = count_cards(store, query, now)
        found_cards(store, find_card_ids(store, query, now, PAGE, total=count), now)
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times[1:]), min(times[1:]), count


async def browse_once(path: Path, now: datetime) -> tuple[float, float]:
    """Milliseconds until the browser shows its first rows, then until a typed search shows."""
    from textual.widgets import DataTable, Input

    from trainer.tui.app import make_app
    from trainer.tui.screens.browse import BrowseScreen

    store = Store.open(path)
    app = make_app(store, None, clock=lambda: now)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.app.workers.wait_for_complete()
        began = time.perf_counter()
        # Not awaited: Pilot's press returns only once the app is idle, well after the rows.
        pressing = asyncio.create_task(pilot.press("b"))
        while not (
            isinstance(app.screen, BrowseScreen)
            and app.screen.query_one("#browse-cards", DataTable).row_count
        ):
            await pilot.pause(0.001)
        opened = (time.perf_counter() - began) * 1000
        await pressing
        await pilot.app.workers.wait_for_complete()
        screen = app.screen
        assert isinstance(screen, BrowseScreen)
        began = time.perf_counter()
        screen.query_one("#browse-query", Input).value = "prop:r<0.8"
        while screen.query_text != "prop:r<0.8":  # set once the rows are in the table
            await pilot.pause(0.001)
        searched = (time.perf_counter() - began) * 1000
        while any(worker.is_running for worker in app.workers):  # none left using the store
            await pilot.pause(0.01)
    store.close()
    return opened, searched


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as folder:
        path = bench_database(Path(folder))
        now = datetime.now(UTC)
        store = Store.open(path)
        lines = ["| query | cards | ms (median) | ms (best) |", "|---|---:|---:|---:|"]
        slowest = 0.0
        for query in QUERIES:
            ms, best, count = time_query(store, query, now, args.runs)
            slowest = max(slowest, ms)
            shown = query or "(empty: every card)"
            lines.append(f"| `{shown}` | {count:,} | {ms:.1f} | {best:.1f} |")
            print(f"{shown:<50} {count:>7,} cards  {ms:6.1f} ms  (best {best:.1f})")
        store.close()
        browse = [asyncio.run(browse_once(path, now)) for _ in range(3)]
        opened = statistics.median(b[0] for b in browse)
        searched = statistics.median(b[1] for b in browse)
    print(f"browser: first rows {opened:.0f} ms, a typed search shown {searched:.0f} ms")
    print(f"slowest search {slowest:.1f} ms (limit {LIMIT_MS:.0f} ms)")
    if args.no_record:
        return
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    header = "" if RESULTS.exists() else "# Search and browse at 100,000 cards\n\n"
    with RESULTS.open("a", encoding="utf-8") as out:
        out.write(
            f"{header}## {stamp}\n\n{cpu_model()}, Python {platform.python_version()}, "
            f"load average {load:.2f} before. Each search: the count, then the first "
            f"{PAGE} rows, median of {args.runs} runs.\n\n"
            + "\n".join(lines)
            + f"\n\nBrowser (Pilot, median of 3): first rows shown {opened:.0f} ms after `b` is pressed; "
            f"a typed search (`prop:r<0.8`) shown {searched:.0f} ms after the keystroke.\n\n"
        )


if __name__ == "__main__":
    main()
