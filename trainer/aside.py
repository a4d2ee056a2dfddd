"""Work in a forked copy of the process: fsrs-rs holds the interpreter's lock while it works,
so no thread can run beside it, but a copy of the process can (`work_aside`, `Aside`)."""

from __future__ import annotations

import os
import signal
import struct
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress

_EARLY = struct.Struct("<q")
"""The size of what a copy made first (`Aside.early`), sent once it is in the file."""


class Aside:
    """`compute()` in a forked copy of the process, its numbers read from a pipe as doubles
    (which hold fsrs-rs's 32-bit floats exactly). With `first`, the copy first makes some
    bytes and puts them in a file (`early`), so that this process can work with them while
    the copy computes."""

    def __init__(
        self,
        compute: Callable[[], Sequence[float]],
        packed: str,
        here: Callable[[], Sequence[float]] | None = None,
        first: Callable[[], bytes] | None = None,
    ) -> None:
        self.compute, self.packed = compute, packed
        self.here = compute if here is None else here
        self.early_file = None if first is None else tempfile.TemporaryFile()  # noqa: SIM115
        """Where the copy puts what `first` makes (`early`), before it computes its numbers."""
        reading, writing = os.pipe()
        try:
            self.pid = os.fork()
        except OSError:
            os.close(reading)
            os.close(writing)
            if self.early_file is not None:
                self.early_file.close()
            raise
        if self.pid == 0:  # the copy: compute, send, and leave without running any clean-up
            try:
                os.close(reading)
                if first is not None and self.early_file is not None:
                    made = first()
                    self.early_file.write(made)
                    self.early_file.flush()
                    os.write(writing, _EARLY.pack(len(made)))
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
        self.made: bytes | None = None
        self.early_read = self.early_file is None

    def early(self) -> bytes | None:
        """What the copy's `first` made, waited for; None if the copy failed before that."""
        if not self.early_read:
            self.early_read = True
            header = self._read(_EARLY.size)
            if len(header) == _EARLY.size and self.early_file is not None:
                (size,) = _EARLY.unpack(header)
                made = os.pread(self.early_file.fileno(), size, 0)
                self.made = made if len(made) == size else None
        return self.made

    def result(self) -> tuple[float, ...]:
        self.early()  # what comes first in the pipe, if anything
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
        if self.early_file is not None:
            self.early_file.close()

    def _read(self, size: int) -> bytes:
        """Up to `size` bytes from the copy, fewer only where it ended first."""
        data = b""
        while self.pipe is not None and len(data) < size:
            chunk = os.read(self.pipe, size - len(data))
            if not chunk:
                break
            data += chunk
        return data

    def _close_pipe(self) -> None:
        if self.pipe is not None:
            os.close(self.pipe)
            self.pipe = None


@contextmanager
def work_aside(
    first: Callable[[], bytes], compute: Callable[[], Sequence[float]], size: int
) -> Iterator[tuple[Callable[[], bytes], Callable[[], tuple[float, ...]]]]:
    """`first()`, then `compute()` (`size` numbers), in a forked copy of this process, which
    shares all that this one holds, and a function that waits for each: what `first` made is
    ready while the copy goes on to `compute`. Without `os.fork` (or where no process may be
    started), each runs here when waited for; what a failed copy did not give is worked out
    here (which raises its error). Leaving the block ends a copy still working."""
    try:
        aside = Aside(compute, f"<{size}d", first=first) if hasattr(os, "fork") else None
    except OSError:
        aside = None
    if aside is None:
        yield first, lambda: tuple(compute())
        return

    def early() -> bytes:
        made = aside.early()
        return first() if made is None else made

    try:
        yield early, aside.result
    finally:
        aside.close()
