"""Time from process start to the first painted home screen, against a minimal Textual app.

Each probe is a whole Python process, started afresh in a pseudo-terminal of the same size
(80x24 unless `--size` says otherwise), so both draw through Textual's real terminal driver as
they would for a learner. The minimal app paints one label; the trainer probe runs the `trainer`
command itself (`trainer --db DB --decks DECKS`: the CLI, the store opened and synced in the home
screen's worker). The moment of a frame is taken the same way in both: right after Textual has
written a screen update to the terminal (`App._display`), read from the system's monotonic clock
and compared with the moment the process was started; beside it, the processor time the
process had used by then (all its threads), which the machine's load hardly changes. Two
figures for the trainer:

- first frame: the home screen's first painted frame ("Loading decks..." where the counts go);
- deck counts: the first frame painted after the deck list was filled with its counts.

The probes alternate run by run; each figure is a median. `ratio:` is the first frame's.

    python bench/startup.py                      # bundled decks, a fresh database
    python bench/startup.py --decks bench/data/decks --db bench/data/progress.db
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def watch_frames(report: Path, *, until_counts: bool) -> None:
    """Write the monotonic and processor time of the first frame (and of the first with deck
    counts) to `report`, then stop the app."""
    from textual.app import App

    display = App._display
    times: list[tuple[float, float]] = []
    counts_shown = [not until_counts]

    def timed_display(app: App[Any], screen: Any, renderable: Any) -> None:
        display(app, screen, renderable)
        if renderable is None or (times and not counts_shown[0]):
            return
        times.append((time.monotonic(), time.process_time()))
        if counts_shown[0]:
            report.write_text("\n".join(f"{wall!r} {cpu!r}" for wall, cpu in times))
            App._display = display  # type: ignore[method-assign]
            app.exit()

    App._display = timed_display  # type: ignore[method-assign]
    if until_counts:
        from trainer.tui.screens.home import HomeScreen

        show_decks = HomeScreen.show_decks

        def show_then_mark(screen: HomeScreen, *args: Any, **kwargs: Any) -> None:
            show_decks(screen, *args, **kwargs)
            counts_shown[0] = True

        HomeScreen.show_decks = show_then_mark  # type: ignore[method-assign]


def probe_minimal(report: Path) -> None:
    from textual.app import App
    from textual.widgets import Label

    class Minimal(App[None]):
        def compose(self):
            yield Label("hello")

    watch_frames(report, until_counts=False)
    Minimal().run()


def probe_trainer(report: Path, db: Path, decks: Path) -> None:
    watch_frames(report, until_counts=True)
    from trainer.cli import main

    sys.argv = ["trainer", "--db", str(db), "--decks", str(decks)]
    main()


# An installed app runs from byte-compiled modules; let Python write them even where the
# environment says not to, so both probes start as they would for a learner.
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def timed(args: list[str], size: tuple[int, int], home: Path) -> list[tuple[float, float]]:
    """Run one probe in a fresh pseudo-terminal; for each frame noted, the seconds from its
    start and the processor time it had used by then."""
    report = home / "frames"
    report.unlink(missing_ok=True)
    leader, follower = pty.openpty()
    columns, rows = size
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    env = {**ENV, "TERM": "xterm-256color", "TRAINER_HOME": str(home)}
    # What the app writes is read and dropped, so it never waits on a full terminal.
    drain = threading.Thread(target=_drain, args=(leader,), daemon=True)
    drain.start()
    start = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, __file__, *args, "--report", str(report)],
        stdin=follower, stdout=follower, stderr=follower, env=env, start_new_session=True,
    )  # fmt: skip
    os.close(follower)
    code = process.wait(timeout=120)
    drain.join(timeout=5)
    os.close(leader)
    if code != 0 or not report.exists():
        raise SystemExit(f"probe {args[1]} failed (exit status {code})")
    frames = (map(float, line.split()) for line in report.read_text().splitlines())
    return [(wall - start, cpu) for wall, cpu in frames]


def _drain(leader: int) -> None:
    try:
        while os.read(leader, 65536):
            pass
    except OSError:
        pass  # the probe has closed the terminal


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--probe", choices=["minimal", "trainer"])
    parser.add_argument("--report", type=Path)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--decks", type=Path, default=ROOT / "decks")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--size", default="80x24", help="terminal COLUMNSxROWS (default 80x24)")
    options = parser.parse_args()
    if options.probe == "minimal":
        probe_minimal(options.report)
        return
    if options.probe == "trainer":
        probe_trainer(options.report, options.db, options.decks)
        return
    columns, rows = map(int, options.size.split("x"))
    with tempfile.TemporaryDirectory() as scratch:
        home = Path(scratch)
        db = options.db or home / "progress.db"
        trainer_args = ["--probe", "trainer", "--db", str(db), "--decks", str(options.decks)]
        timed(trainer_args, (columns, rows), home)  # the first sync (or a migration), not timed
        # Alternated run by run, so a change in the machine's load falls on both alike.
        minimal_runs, first_frames, counts = [], [], []
        for _ in range(options.runs):
            minimal_runs.append(timed(["--probe", "minimal"], (columns, rows), home)[0])
            frames = timed(trainer_args, (columns, rows), home)
            first_frames.append(frames[0])
            counts.append(frames[-1])
    print(f"decks: {options.decks}")
    print(f"median of {options.runs}, {columns}x{rows}: wall clock (processor time)")
    minimal, first, filled = (
        [statistics.median(run[part] for run in runs) for part in (0, 1)]
        for runs in (minimal_runs, first_frames, counts)
    )
    for label, (wall, cpu) in (
        ("minimal Textual app, one label:  ", minimal),
        ("trainer, home screen first frame:", first),
        ("trainer, deck counts painted:    ", filled),
    ):
        print(f"{label} {wall * 1000:5.0f} ms ({cpu * 1000:4.0f} ms)")
    print(f"ratio: {first[0] / minimal[0]:.2f} (processor time {first[1] / minimal[1]:.2f})")
    print(
        f"counts ratio: {filled[0] / minimal[0]:.2f} (processor time {filled[1] / minimal[1]:.2f})"
    )


if __name__ == "__main__":
    main()
