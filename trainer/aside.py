"""Work in a forked copy of the process: fsrs-rs holds the interpreter's lock while it works,
so no thread can run beside it, but a copy of the process can (`work_aside`, `Aside`)."""

from __future__ import annotations

import os
import signal
import struct
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress


@contextmanager
def work_aside(
    compute: Callable[[], Sequence[float]], size: int
) -> Iterator[Callable[[], tuple[float, ...]]]:
    """`compute()` (`size` numbers) started in a forked copy of this process, which shares
    all that this one holds and sends back only the numbers, and a function that waits for
    them. Without `os.fork` (or where no process may be started), `compute` runs here when
    waited for; a copy that fails is waited for, and `compute` is run here again (to raise its
    error). Leaving the block ends a copy still computing."""
    try:
        aside = Aside(compute, f"<{size}d") if hasattr(os, "fork") else None
    except OSError:
        aside = None
    if aside is None:
        yield lambda: tuple(compute())
        return
    try:
        yield aside.result
    finally:
        aside.close()


class Aside:
    """`compute()` in a forked copy of the process, its numbers read from a pipe as doubles
    (which hold fsrs-rs's 32-bit floats exactly)."""

    def __init__(
        self,
        compute: Callable[[], Sequence[float]],
        packed: str,
        here: Callable[[], Sequence[float]] | None = None,
    ) -> None:
        self.compute, self.packed = compute, packed
        self.here = compute if here is None else here
        reading, writing = os.pipe()
        try:
            self.pid = os.fork()
        except OSError:
            os.close(reading)
            os.close(writing)
            raise
        if self.pid == 0:  # the copy: compute, send, and leave without running any clean-up
            try:
                os.close(reading)
                data = struct.pack(packed, *compute())
                while data:
                    data = data[os.write(writing, data) :]
                # Sent: the pipe is closed now, as ending a large process takes a while (its
                # memory is released before its files are closed).
                os.close(writing)
            finally:
                os._exit(0)
        os.close(writing)
        self.pipe: int | None = reading
        self.numbers: tuple[float, ...] | None = None

    def result(self) -> tuple[float, ...]:
        if self.numbers is None:
            chunks = []
            while self.pipe is not None and (chunk := os.read(self.pipe, 4096)):
                chunks.append(chunk)
            self._close_pipe()  # the copy, done, is reaped on leaving the block (`close`)
            data = b"".join(chunks)
            if len(data) == struct.calcsize(self.packed):
                self.numbers = struct.unpack(self.packed, data)
            else:  # the copy failed or was ended: compute here
                self.numbers = tuple(self.here())
        return self.numbers

    def close(self) -> None:
        if self.pid:
            with suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)  # it has sent all it will send, or is unwanted
            os.waitpid(self.pid, 0)
            self._close_pipe()
            self.pid = 0

    def _close_pipe(self) -> None:
        if self.pipe is not None:
            os.close(self.pipe)
            self.pipe = None
