"""Where one `optimize` spends its time: when each of its steps starts and ends, in seconds from
the call, on a copy of the bench collection (`bench/data`, never changed), adopting or dry.

Each step is timed by wrapping the function that does it. The fit itself cannot be wrapped
(`optimize` fits in a forked copy only with `fitting.fit_parameters` itself), so the copy is
timed from its start to the moment its parameters arrive, and the line says from when this
process waited for them: if it waited, the copy was still building its items or fitting until
then. The same holds for the copy that, on adopting, works out a share of the states and then
scores the fitted parameters, while this process works out and writes its own share. Steps on the fit's path are marked; the others run while the copy fits.

    python bench/optimize_phases.py [--dry-run] [--runs 3] [--data DIR]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

from optimize_bench import DATA, prepared_database  # noqa: E402

from trainer import adopting, fitting, recompute  # noqa: E402
from trainer import optimize as optimizing  # noqa: E402
from trainer.store.state_writes import StateWriter  # noqa: E402
from trainer.store.store import Store  # noqa: E402


class Steps:
    """The steps timed in one run: (what, start, end, waited from), in seconds from `start`."""

    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.seen: list[tuple[str, float, float, float | None]] = []

    def now(self) -> float:
        return time.perf_counter() - self.start

    def timed(self, what: str | tuple[str, ...], action: Callable[..., Any]) -> Callable[..., Any]:
        """`action`, timed as `what` (with names for successive calls, as the last for later
        ones)."""
        names = (what,) if isinstance(what, str) else what
        calls = 0

        def run(*args: Any, **named: Any) -> Any:
            nonlocal calls
            began, calls = self.now(), calls + 1
            try:
                return action(*args, **named)
            finally:
                self.seen.append((names[min(calls, len(names)) - 1], began, self.now(), None))

        return run

    def aside(self, what: tuple[str, str], context: Callable[..., Any]) -> Callable[..., Any]:
        """A forked copy's context (`aside.work_aside`), timed from its start to the arrival of
        what it makes first and of its numbers."""

        @contextmanager
        def timed(*args: Any) -> Iterator[tuple[Callable[[], Any], ...]]:
            began = self.now()
            with context(*args) as waits:
                yield tuple(self._waited(name, began, wait) for name, wait in zip(what, waits))

        return timed

    def _waited(self, what: str, began: float, wait: Callable[[], Any]) -> Callable[[], Any]:
        def waited() -> Any:
            asked = self.now()
            found = wait()
            self.seen.append((what, began, self.now(), asked))
            return found

        return waited

    def sent(self, what: str) -> Callable[[Any], Any]:
        """The fit's copy (`fitting.SentFit.parameters`), timed from when it was made."""

        def timed(parameters: Callable[..., Any]) -> Callable[..., Any]:
            def waited(fit: fitting.SentFit) -> Any:
                asked = self.now()
                found = parameters(fit)
                self.seen.append((what, fit.began, self.now(), asked))
                return found

            return waited

        return timed


HERE, THERE = "this process's share", "the copy's share"
ON_PATH = {"the answers to leave out", "the parts read and sent", "the fit's copy",
           f"the states worked out: {HERE}", f"the states worked out: {THERE}",
           "the fitted parameters scored", f"the states written: {HERE}",
           f"the states written: {THERE}"}  # fmt: skip


@contextmanager
def wrapped(steps: Steps) -> Iterator[None]:
    """`optimize`'s steps timed into `steps` while the block runs."""
    replaced: list[tuple[object, str, object]] = []

    def swap(owner: object, name: str, make: Callable[[Any], Any]) -> None:
        original = getattr(owner, name)
        replaced.append((owner, name, original))
        setattr(owner, name, make(original))

    swap(optimizing, "TimelineParts", lambda f: steps.timed("the answers to leave out", f))
    swap(optimizing, "joined", lambda f: steps.timed("the parts read and sent", f))
    swap(
        fitting.SentFit,
        "__init__",
        lambda f: lambda fit: (setattr(fit, "began", steps.now()), f(fit))[1],
    )
    swap(fitting.SentFit, "parameters", steps.sent("the fit's copy"))
    swap(optimizing, "studied_cards", lambda f: steps.timed("the studied cards", f))
    swap(fitting, "timeline_held_out", lambda f: steps.timed("the held-out items", f))
    scores = ("the parameters in use scored", "the fitted parameters scored")
    swap(optimizing, "_score", lambda f: steps.timed(scores, f))
    swap(optimizing, "_timeline_plan", lambda f: steps.timed("the states' plan", f))
    swap(optimizing, "StoredStates", lambda f: steps.timed("the stored states", f))
    # On adopting, a copy works out a share of the states, then scores the fitted parameters.
    copy = (f"the states worked out: {THERE}", "the fitted parameters scored")
    swap(adopting, "work_aside", lambda f: steps.aside(copy, f))
    swap(recompute, "state_rows", lambda f: steps.timed(f"the states worked out: {HERE}", f))
    written = (f"the states written: {HERE}", f"the states written: {THERE}")
    swap(StateWriter, "write", lambda f: steps.timed(written, f))
    try:
        yield
    finally:
        for owner, name, original in reversed(replaced):
            setattr(owner, name, original)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dry-run", action="store_true", help="fit and score, adopt nothing")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--data", type=Path, default=DATA, help="a bench collection")
    args = parser.parse_args(argv)
    mode = "dry run" if args.dry_run else "adopting"
    for run in range(1, args.runs + 1):
        with tempfile.TemporaryDirectory() as folder:
            copy = argparse.Namespace(log=None, data=args.data)
            store = Store.open(prepared_database(copy, Path(folder)))
            try:
                steps = Steps()
                with wrapped(steps):
                    outcome = optimizing.optimize(store, adopt=not args.dry_run)
                total = steps.now()
            finally:
                store.close()
        print(f"\n{mode}, run {run}: {total:.2f} s; adopted: {outcome.adopted}\n")
        print("| step | from | to | waited from | on the fit's path |")
        print("|---|---:|---:|---:|---|")
        for what, began, ended, asked in sorted(steps.seen, key=lambda step: step[1]):
            waited = "" if asked is None else f"{asked:.2f} s"
            path = "yes" if what in ON_PATH else ""
            print(f"| {what} | {began:.2f} s | {ended:.2f} s | {waited} | {path} |")


if __name__ == "__main__":
    main()
