"""Time every statistics figure on 100,000 cards and 1,000,000 reviews, and the statistics screen
until it is painted. Reference: Anki's Rust backend computes its graphs for 100,000 cards with
about 900,000 reviews in 0.36 s.

Uses `bench/data/progress.db` from `bench/generate.py` (built first if missing), copied to a
temporary file so the migrations this checkout adds never touch the shared one. Results are
printed and appended to `bench/STATS_RESULTS.md`.

    python bench/stats_bench.py            # 7 runs of each figure, 3 of the screen
    python bench/stats_bench.py --runs 3 --no-record
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from machine import cpu_model  # noqa: E402  (bench/, the script's own folder)

from trainer.core.progress import ROLLOVER_HOUR, study_day_start, to_millis  # noqa: E402
from trainer.stats import cards as stats_cards  # noqa: E402
from trainer.stats import figures as stats  # noqa: E402
from trainer.stats import hours as stats_hours  # noqa: E402
from trainer.stats import reviews as stats_reviews  # noqa: E402
from trainer.stats.forecast import due_forecast  # noqa: E402
from trainer.store.store import Store  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"
SHARED_DB = DATA / "progress.db"
RESULTS = Path(__file__).resolve().parent / "STATS_RESULTS.md"
ANKI_SECONDS = 0.36


def bench_database(folder: Path) -> Path:
    """A private copy of the generated benchmark database (generated first if need be)."""
    if not SHARED_DB.exists():
        print("bench/data/progress.db is missing: running bench/generate.py (a few minutes)")
        subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py")], check=True)
    copy = folder / "progress.db"
    source = sqlite3.connect(f"file:{SHARED_DB}?mode=ro", uri=True)
    with closing(source), closing(sqlite3.connect(copy)) as target:
        source.backup(target)
    Store.open(copy).close()  # apply this checkout's migrations to the copy
    with closing(sqlite3.connect(copy)) as conn:
        conn.execute("ANALYZE")
    return copy


def timed(function: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median and best wall time of `runs` calls, in seconds (after one warm-up call)."""
    function()
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        function()
        times.append(time.perf_counter() - began)
    return statistics.median(times), min(times)


def figure_timings(path: Path, now: datetime, runs: int) -> list[tuple[str, float, float]]:
    """Each group of figures alone, then all of them, for all decks and for one deck."""
    store = Store.open(path)
    _, weights = store.parameters()
    today = study_day_start(now).astimezone().date()
    starts = [
        stats_hours.local_ms(today + timedelta(days=k), ROLLOVER_HOUR) for k in range(-364, 31)
    ]
    conn = stats._reader(str(path))
    params = {
        "now": to_millis(now),
        "day_end": starts[365],
        "deck": None,
        **stats_cards._study_days(now),
    }
    curve = stats_cards._Curve(weights)
    deck_id = store.db.execute("SELECT min(id) FROM decks WHERE missing = 0").fetchone()[0]
    cases: list[tuple[str, Callable[[], object]]] = [
        (
            "review log: today, true retention, calendar, buttons, hours",
            lambda: stats_reviews.review_figures(conn, today, starts[:366], None),
        ),
        ("card counts by state, leeches", lambda: stats_cards._counts(conn, params, "")),
        (
            "stability, difficulty, retrievability",
            lambda: stats_cards._distributions(conn, curve, params, ""),
        ),
        (
            "mastery and due per deck and tag",
            lambda: stats_cards._mastery(
                conn, curve, params, "", stats_cards.due_today(conn, now, None)
            ),
        ),
        ("forecast, 30 days", lambda: due_forecast(conn, starts[364:], params, "")),
        (
            "hardest cards",
            lambda: stats_cards._hardest(conn, params, ""),
        ),
        ("all figures, all decks (compute_stats)", lambda: stats.compute_stats(store, now)),
        ("all figures, one deck (compute_stats)", lambda: stats.compute_stats(store, now, deck_id)),
    ]
    results = [(name, *timed(function, runs)) for name, function in cases]
    conn.close()
    store.close()
    return results


def screen_timings(path: Path, now: datetime, runs: int) -> tuple[float, float]:
    """From pushing the statistics screen until its figures are painted, in a 120x50 terminal."""
    from textual.app import App

    from trainer.tui.screens.stats import StatsScreen

    store = Store.open(path)

    class Bench(App[None]):
        def __init__(self) -> None:
            super().__init__()
            self.painted = asyncio.Event()

        def on_stats_screen_shown(self, event: StatsScreen.Shown) -> None:
            self.painted.set()

    async def once() -> float:
        app = Bench()
        async with app.run_test(size=(120, 50)) as pilot:
            await pilot.pause()
            began = time.perf_counter()
            await app.push_screen(StatsScreen(store, clock=lambda: now))
            await app.painted.wait()
            return time.perf_counter() - began

    times = [asyncio.run(once()) for _ in range(runs + 1)][1:]
    store.close()
    return statistics.median(times), min(times)


def machine() -> str:
    return f"{cpu_model()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}"


def load() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs of each figure")
    parser.add_argument("--no-record", action="store_true", help="do not append to the results")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        path = bench_database(Path(folder))
        with closing(sqlite3.connect(path)) as conn:
            cards, reviews = (conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                              for t in ("cards", "reviews"))  # fmt: skip
        now = datetime.now(UTC)
        before = load()
        figures = figure_timings(path, now, args.runs)
        screen = screen_timings(path, now, max(1, args.runs // 2))
        after = load()
    lines = [
        f"## {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}",
        "",
        f"- machine: {machine()}",
        f"- load before: `{before}`",
        f"- load after: `{after}`",
        f"- data: {cards:,} cards, {reviews:,} reviews (bench/generate.py)",
        f"- runs: {args.runs} per figure after a warm-up, {max(1, args.runs // 2)} for the screen",
        "",
        "| figure | median | best |",
        "|---|---:|---:|",
        *(
            f"| {name} | {median * 1000:.0f} ms | {best * 1000:.0f} ms |"
            for name, median, best in figures
        ),  # fmt: skip
        f"| statistics screen, push to painted | {screen[0] * 1000:.0f} ms | {screen[1] * 1000:.0f} ms |",
        "",
        f"Anki's reference: {ANKI_SECONDS * 1000:.0f} ms for its graphs on 100,000 cards and about "
        "900,000 reviews.",
        "",
    ]
    print("\n".join(lines))
    if not args.no_record:
        if not RESULTS.exists():
            RESULTS.write_text(
                "# Statistics benchmark results\n\nAppended by `python bench/stats_bench.py`.\n\n"
            )
        with RESULTS.open("a", encoding="utf-8") as file:
            file.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
