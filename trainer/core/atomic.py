"""Writing a file so that it is either wholly the old version or wholly the new one.

Rewriting a file in place loses it when the writer is killed halfway (a deck left at 0 bytes) or
the disk fills (half its cards gone). `write_atomically` writes a temporary file in the same
folder, flushes it to the disk, renames it over the old one (a rename within a folder is atomic)
and flushes the folder, so the rename itself survives a power cut.

Used for every file trainer writes: `check --stamp`, `derive -o`, imports and exports.
"""

from __future__ import annotations

import os
import stat
import tempfile
from contextlib import suppress
from pathlib import Path


def write_atomically(path: Path, data: bytes | str) -> None:
    """Replace (or create) the file at `path` with `data` (text is written as UTF-8).

    On any failure, `OSError` included, the old file is untouched and no temporary file is
    left behind. A link is followed: the file it points to is the one replaced.
    """
    target = Path(path).resolve() if Path(path).is_symlink() else Path(path)
    content = data.encode("utf-8") if isinstance(data, str) else data
    folder = target.parent
    try:
        mode: int | None = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        mode = None
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        # mkstemp makes the file private (0600): the new version keeps the old one's mode, and a
        # new file gets the usual 0644 (reading the umask would change it for every thread).
        os.chmod(temporary, mode if mode is not None else 0o644)
        os.replace(temporary, target)
    except BaseException:
        with suppress(OSError):
            os.unlink(temporary)
        raise
    _sync_folder(folder)


def _sync_folder(folder: Path) -> None:
    """Flush the folder's entry for the renamed file (not possible on every system)."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass  # some file systems cannot flush a folder; the file itself is flushed already
    finally:
        os.close(handle)
