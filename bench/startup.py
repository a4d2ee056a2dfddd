"""Time from process start to the first painted home screen, against a minimal Textual app.

Each probe is a whole Python process, started afresh: the minimal app paints one label and exits;
the trainer probe opens the store, syncs the decks, and exits as soon as the home screen has
painted its deck list. Both run headless so no terminal is needed.

    python bench/startup.py                      # bundled decks, a fresh database
    python bench/startup.py --decks bench/data/decks --db bench/data/progress.db
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def probe_minimal() -> None:
    from textual.app import App
    from textual.widgets import Label

    class Minimal(App[None]):
        def compose(self):
            yield Label("hello")

        def on_mount(self) -> None:
            self.call_after_refresh(self.exit)

    Minimal().run(headless=True)


def probe_trainer(db: Path, decks: Path) -> None:
    from trainer.commands.common import open_store
    from trainer.config import Settings
    from trainer.tui.app import make_app
    from trainer.tui.screens.home import HomeScreen

    app = make_app(lambda: open_store(Settings(db, [decks], None)), deck_places=[decks])
    show_decks = HomeScreen.show_decks

    def show_then_exit(self: HomeScreen, summaries) -> None:
        show_decks(self, summaries)
        self.app.call_after_refresh(self.app.exit)

    HomeScreen.show_decks = show_then_exit  # type: ignore[method-assign]
    app.run(headless=True)


# An installed app runs from byte-compiled modules; let Python write them even where the
# environment says not to, so both probes start as they would for a learner.
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def timed(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, __file__, *args], check=True, env=ENV)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--probe", choices=["minimal", "trainer"])
    parser.add_argument("--db", type=Path)
    parser.add_argument("--decks", type=Path, default=ROOT / "decks")
    parser.add_argument("--runs", type=int, default=10)
    options = parser.parse_args()
    if options.probe == "minimal":
        probe_minimal()
        return
    if options.probe == "trainer":
        probe_trainer(options.db, options.decks)
        return
    with tempfile.TemporaryDirectory() as scratch:
        db = options.db or Path(scratch) / "progress.db"
        trainer_args = ["--probe", "trainer", "--db", str(db), "--decks", str(options.decks)]
        subprocess.run(
            [sys.executable, __file__, *trainer_args], check=True
        )  # first sync, not timed
        # Alternated run by run, so a change in the machine's load falls on both alike.
        minimal_runs, trainer_runs = [], []
        for _ in range(options.runs):
            minimal_runs.append(timed(["--probe", "minimal"]))
            trainer_runs.append(timed(trainer_args))
        minimal = statistics.median(minimal_runs)
        trainer = statistics.median(trainer_runs)
    print(f"decks: {options.decks}")
    print(f"minimal Textual app, one label:   {minimal * 1000:7.0f} ms (median of {options.runs})")
    print(f"trainer, home screen with decks:  {trainer * 1000:7.0f} ms (median of {options.runs})")
    print(f"ratio: {trainer / minimal:.2f}")


if __name__ == "__main__":
    main()
