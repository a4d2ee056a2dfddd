"""Files trainer writes are wholly old or wholly new: killed mid-write or on a full disk, never half."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from trainer.cli import cli
from trainer.core import atomic
from trainer.core.atomic import write_atomically
from trainer.core.deckfile import parse_deck_bytes

CARDS = 20_000


def large_deck(path: Path) -> bytes:
    """A deck of many cards without ids, so `check --stamp` rewrites all of it."""
    text = "".join(f"Q: Question number {n}?\nA: Answer {n}\n\n" for n in range(CARDS))
    path.write_text(text, encoding="utf-8")
    return path.read_bytes()


def stamp_in_a_process(
    deck: Path, limit: int, *, ignore_signal: bool
) -> subprocess.CompletedProcess:
    """`trainer check --stamp` in a child that may write at most `limit` bytes to any file.

    Past the limit the kernel kills the writer with SIGXFSZ mid-write, or (with the signal
    ignored) fails the write with EFBIG, as a full disk fails it with ENOSPC.
    """
    script = (
        "import resource, signal, sys\n"
        f"resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))\n"
        # Python ignores SIGXFSZ at startup; the default action kills the process.
        + ("" if ignore_signal else "signal.signal(signal.SIGXFSZ, signal.SIG_DFL)\n")
        + "from trainer.cli import main\n"
        f"sys.argv = ['trainer', 'check', '--stamp', {str(deck)!r}]\n"
        "main()\n"
    )
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )


def test_a_writer_killed_mid_write_leaves_the_deck_as_it_was(tmp_path: Path) -> None:
    deck = tmp_path / "big.md"
    original = large_deck(deck)
    result = stamp_in_a_process(deck, len(original) // 2, ignore_signal=False)
    assert result.returncode == -signal.SIGXFSZ, result.stderr
    assert deck.read_bytes() == original
    assert len(parse_deck_bytes(deck.read_bytes(), deck).cards) == CARDS


def test_a_full_disk_is_one_line_and_leaves_the_deck_as_it_was(tmp_path: Path) -> None:
    deck = tmp_path / "big.md"
    original = large_deck(deck)
    result = stamp_in_a_process(deck, len(original) // 2, ignore_signal=True)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"{deck}: cannot write the ids: File too large"]
    assert deck.read_bytes() == original
    assert [path.name for path in tmp_path.iterdir()] == ["big.md"]  # no temporary file left


def test_once_written_the_deck_is_whole(tmp_path: Path) -> None:
    deck = tmp_path / "big.md"
    large_deck(deck)
    mode = 0o640
    deck.chmod(mode)
    result = stamp_in_a_process(deck, 100 * 1024 * 1024, ignore_signal=False)
    assert result.returncode == 0, result.stderr
    stamped = parse_deck_bytes(deck.read_bytes(), deck)
    assert len(stamped.cards) == CARDS
    assert deck.read_text(encoding="utf-8").count("\nId: ") == CARDS
    assert deck.stat().st_mode & 0o777 == mode


def test_a_failed_rename_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "deck.md"
    path.write_text("old", encoding="utf-8")

    def broken(*args: object) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(atomic.os, "replace", broken)
    with pytest.raises(OSError):
        write_atomically(path, "new")
    assert path.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["deck.md"]


def test_no_space_when_flushing_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = tmp_path / "deck.md"
    deck.write_text("Q: One?\nA: 1\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)

    def no_space(handle: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(atomic.os, "fsync", no_space)
    result = CliRunner().invoke(cli, ["check", "--stamp", "deck.md"], prog_name="trainer")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == ["deck.md: cannot write the ids: No space left on device"]
    assert deck.read_text(encoding="utf-8") == "Q: One?\nA: 1\n"
    assert [p.name for p in tmp_path.iterdir()] == ["deck.md"]

    document = tmp_path / "doc.txt"
    document.write_text("NORAD was formed in 1958 by Canada and the United States.\n")
    draft = tmp_path / "draft.md"
    draft.write_text("my earlier draft", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["derive", "doc.txt", "-o", "draft.md", "--force"], prog_name="trainer"
    )
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "draft.md: cannot write the deck: No space left on device"
    ]
    assert draft.read_text(encoding="utf-8") == "my earlier draft"


def test_writing_through_a_link_replaces_the_file_it_points_to(tmp_path: Path) -> None:
    target = tmp_path / "real.md"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(target)
    write_atomically(link, "new")
    assert link.is_symlink() and target.read_text(encoding="utf-8") == "new"
