"""The review journal: how reviews travel between devices through a folder both can see.

Each device appends its own reviews to its own file, `<device id>.jsonl`, one JSON object a
line, and never rewrites what is there: two devices never write the same file, so a git merge,
Syncthing or a network drive never sees a conflict. Reading another device's file skips a last
line cut short (a copy still in progress: it is read next time) and reports a malformed line with
its file and line, keeping every other line.

This module knows files, not the database: `trainer.store.device_sync` applies what it reads.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import BinaryIO

SUFFIX = ".jsonl"
MODES = ("review", "quiz", "import", "undo")


class JournalError(Exception):
    """A journal file that cannot be read or written, as one line: `file[:line]: message`."""


@dataclass(frozen=True)
class JournalEntry:
    """One review as it travels: everything needed to replay it on another device."""

    id: str
    """Unique across devices: the device id and the review's number there."""
    card: str
    """The card's stable identity (its key, derived from the question or its `Id:`)."""
    rating: int | None
    """1-4; None for an undo."""
    at: int
    """When, in epoch milliseconds."""
    duration_ms: int
    mode: str
    """`review`, `quiz`, `import` or `undo`."""
    moves: bool
    """Whether the answer moved the card's schedule (a quiz answer may leave it alone)."""
    undoes: str | None = None
    """For an undo: the id of the review it takes back."""


def device_id(data_folder: Path) -> str:
    """This device's id, made once and kept in the data folder."""
    path = data_folder / "device-id"
    try:
        existing = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        existing = ""
    except OSError as error:
        raise JournalError(f"{path}: cannot read the device id: {error.strerror}") from None
    if existing:
        return existing
    made = uuid.uuid4().hex[:16]
    try:
        data_folder.mkdir(parents=True, exist_ok=True)
        path.write_text(made + "\n", encoding="utf-8")
    except OSError as error:
        raise JournalError(f"{path}: cannot write the device id: {error.strerror}") from None
    return made


def journal_files(folder: Path) -> dict[str, Path]:
    """Every device's journal in `folder`, by device id."""
    try:
        paths = sorted(folder.iterdir())
    except FileNotFoundError:
        raise JournalError(f"{folder}: no such folder") from None
    except NotADirectoryError:
        raise JournalError(f"{folder}: is not a folder") from None
    except OSError as error:
        raise JournalError(f"{folder}: cannot read the folder: {error.strerror}") from None
    return {path.name[: -len(SUFFIX)]: path for path in paths if path.name.endswith(SUFFIX)}


def read_journal(path: Path) -> tuple[list[JournalEntry], list[str]]:
    """The entries of one device's journal, and a `file:line: message` for each bad line.

    A last line without its newline is a write still in progress elsewhere: it is left for the
    next sync, not reported.
    """
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise JournalError(f"{path}: cannot read the journal: {error.strerror}") from None
    entries: list[JournalEntry] = []
    problems: list[str] = []
    lines = raw.split(b"\n")
    complete = lines[:-1]  # whatever follows the last newline is unfinished (or empty)
    for number, line in enumerate(complete, start=1):
        if not line.strip():
            continue
        try:
            entries.append(_entry(json.loads(line.decode("utf-8"))))
        except (ValueError, TypeError, KeyError, UnicodeDecodeError) as error:
            problems.append(f"{path}:{number}: not a review ({_reason(error)}); line skipped")
    return entries, problems


def last_entry(path: Path) -> JournalEntry | None:
    """The last good entry of a journal, read from its end (None for none or no file)."""
    try:
        with path.open("rb") as file:
            size = file.seek(0, os.SEEK_END)
            chunk = 4096
            while True:
                start = max(0, size - chunk)
                file.seek(start)
                lines = file.read(size - start).split(b"\n")[:-1]  # the last is unfinished
                if start:
                    lines = lines[1:]  # the first may be the end of a longer line
                for line in reversed(lines):
                    entry = _parsed(line)
                    if entry is not None:
                        return entry
                if not start:
                    return None
                chunk *= 4
    except FileNotFoundError:
        return None
    except OSError as error:
        raise JournalError(f"{path}: cannot read the journal: {error.strerror}") from None


def _parsed(line: bytes) -> JournalEntry | None:
    try:
        return _entry(json.loads(line.decode("utf-8"))) if line.strip() else None
    except (ValueError, TypeError, KeyError, UnicodeDecodeError):
        return None


def append_entries(path: Path, entries: Iterable[JournalEntry]) -> int:
    """Append `entries` to this device's journal and flush them to disk; how many were written.

    A previous write of this device cut short (a last line with no newline) is dropped first:
    its reviews are written again, whole, because they come after the last complete entry.
    """
    lines = [json.dumps(asdict(entry), separators=(",", ":")) + "\n" for entry in entries]
    try:  # made even when empty: the other devices then list this one
        with path.open("a+b") as file:
            _drop_unfinished_line(file)
            if lines:
                file.write("".join(lines).encode("utf-8"))
                file.flush()
                os.fsync(file.fileno())
    except OSError as error:
        raise JournalError(f"{path}: cannot write the journal: {error.strerror}") from None
    return len(lines)


def _drop_unfinished_line(file: BinaryIO) -> None:
    size = file.seek(0, os.SEEK_END)
    if not size:
        return
    file.seek(size - 1)
    if file.read(1) == b"\n":
        return
    position = size
    while position > 0:
        start = max(0, position - 4096)
        file.seek(start)
        chunk = file.read(position - start)
        newline = chunk.rfind(b"\n")
        if newline >= 0:
            file.truncate(start + newline + 1)
            return
        position = start
    file.truncate(0)


def _entry(data: dict) -> JournalEntry:
    if not isinstance(data, dict):
        raise TypeError("not an object")
    rating = data["rating"]
    mode = data["mode"]
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}")
    if rating is not None and rating not in (1, 2, 3, 4):
        raise ValueError(f"rating must be 1-4, not {rating!r}")
    if (rating is None) != (mode == "undo"):
        raise ValueError("only an undo has no rating")
    at, duration = data["at"], data.get("duration_ms", 0)
    if not isinstance(at, int) or not 0 <= at < 253_402_300_800_000:  # up to the year 9999
        raise ValueError(f"bad time {at!r}")
    if not isinstance(duration, int) or not 0 <= duration < 2**53:
        raise ValueError(f"bad duration {duration!r}")
    ident, card, undoes = data["id"], data["card"], data.get("undoes")
    if not isinstance(ident, str) or not isinstance(card, str) or not ident or not card:
        raise ValueError("id and card must be text")
    if mode == "undo" and not isinstance(undoes, str):
        raise ValueError("an undo must name the review it undoes")
    return JournalEntry(
        id=ident,
        card=card,
        rating=rating,
        at=at,
        duration_ms=duration,
        mode=mode,
        moves=bool(data.get("moves", mode != "undo")),
        undoes=undoes if mode == "undo" else None,
    )


def _reason(error: Exception) -> str:
    if isinstance(error, KeyError):
        return f"missing {error.args[0]!r}"
    if isinstance(error, json.JSONDecodeError):
        return f"bad JSON at column {error.colno}"
    return str(error)
