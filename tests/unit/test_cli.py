"""The `trainer` command as a person types it: output, exit status and one-line errors."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from trainer.cli import COMMANDS, cli
from trainer.store import connection as connection_module

# A typed card and a cloze of two deletions (siblings: one is new today, the other waits).
NORAD = """
+++
name = "NORAD"
+++
Q: In what year was NORAD formed?
T: 1958

C: NORAD was formed in [1958] in [Colorado].
"""
BAD = """
Q: A question with no answer

Q: Pick one
- [ ] wrong
- [ ] also wrong
"""


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from the temporary folder, so paths print as a person would type them."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), prog_name="trainer")


def dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def assert_one_line_error(result: Result, *fragments: str) -> str:
    """A person's mistake: exit status 1, one line on stderr, nothing on stdout, no traceback."""
    assert result.exit_code == 1, (result.output, result.stderr)
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    for fragment in fragments:
        assert fragment in lines[0]
    assert result.stdout == ""
    return lines[0]


# -- what the commands print -------------------------------------------------------------------


def test_decks_lists_each_deck_with_its_counts(write_deck, in_tmp: Path) -> None:
    write_deck("norad.md", NORAD)
    write_deck("other.md", "Q: a\nA: b\n")
    result = run("--db", "p.db", "--decks", "decks", "decks")
    assert result.exit_code == 0, result.stderr
    header, *rows = result.stdout.splitlines()
    assert header.split() == ["Deck", "Due", "Learn", "New", "Total"]
    assert [row.split() for row in rows] == [
        # The cloze's two deletions are siblings: one of them is new today, the other tomorrow.
        ["NORAD", "0", "0", "2", "3"],
        ["Other", "0", "0", "1", "1"],
    ]


def test_due_sums_all_decks(write_deck, in_tmp: Path) -> None:
    write_deck("norad.md", NORAD)
    write_deck("other.md", "Q: a\nA: b\n")
    result = run("--db", "p.db", "--decks", "decks", "due")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "0 due, 0 learning, 3 new today across 2 decks.\n"


def test_empty_deck_folder_says_so(in_tmp: Path) -> None:
    (in_tmp / "empty").mkdir()
    result = run("--db", "p.db", "--decks", "empty", "decks")
    assert result.exit_code == 0
    assert result.stdout == "No decks found in empty.\n"


def test_default_database_lives_in_trainer_home(write_deck, in_tmp: Path, isolated_home) -> None:
    write_deck("norad.md", NORAD)
    assert run("--decks", "decks", "due").exit_code == 0
    assert (isolated_home / "progress.db").is_file()


def test_trainer_decks_environment_variable(write_deck, in_tmp: Path, monkeypatch) -> None:
    write_deck("norad.md", NORAD)
    monkeypatch.setenv("TRAINER_DECKS", str(in_tmp / "decks"))
    result = run("--db", "p.db", "due")
    assert result.stdout == "0 due, 0 learning, 2 new today across 1 deck.\n"


def test_check_prints_a_summary_line_per_deck(write_deck, in_tmp: Path) -> None:
    write_deck("norad.md", NORAD)
    write_deck("other.md", "Q: a\nA: b\n")
    result = run("check", "decks")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "decks/norad.md: NORAD, 3 cards (2 cloze, 1 typed)",
        "decks/other.md: Other, 1 card (1 basic)",
    ]


def test_check_reports_every_problem_as_path_line_message(write_deck, in_tmp: Path) -> None:
    write_deck("norad.md", NORAD)
    write_deck("bad.md", BAD)
    write_deck("worse.md", "M: what is this\n")
    result = run("check", "decks")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "decks/bad.md:1: question has no answer (add A:, T: or a - [x] choice list)",
        "decks/bad.md:3: multiple-choice card has no correct choice (mark one with - [x])",
        "decks/worse.md:1: unknown card kind M: (use Q:, C:, True: or False:)",
    ]
    assert "Traceback" not in result.output


def test_check_reports_a_file_that_is_not_utf8(write_deck, in_tmp: Path) -> None:
    path = write_deck("latin.md", "Q: a\nA: b\n")
    path.write_bytes(b"Q: Where?\nA: Montr\xe9al\n")
    assert_one_line_error(
        run("check", "decks"), "decks/latin.md:2: not UTF-8: byte 0xe9 cannot be decoded"
    )


def test_check_without_paths_checks_the_decks_the_app_reads(write_deck, in_tmp: Path) -> None:
    write_deck("norad.md", NORAD)
    result = run("--decks", "decks", "check")
    assert result.stdout == "decks/norad.md: NORAD, 3 cards (2 cloze, 1 typed)\n"


@pytest.mark.parametrize("command", [[], *([name] for name in sorted(COMMANDS))])
def test_every_command_has_help(command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Usage: trainer")
    assert run(*command, "-h").stdout == result.stdout


def test_the_commands_users_rely_on_exist() -> None:
    assert {"check", "decks", "due"} <= set(COMMANDS)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_listed_command_is_the_command_of_that_name(name: str) -> None:
    # Commands are imported by name when run: a wrong entry would only show when typed.
    command = cli.get_command(click.Context(cli), name)
    assert command is not None and command.name == name
    assert name in run("--help").stdout


# -- mistakes a person can make ----------------------------------------------------------------


@pytest.fixture
def synced(write_deck, in_tmp: Path) -> Iterator[Path]:
    """A database already synced with one good deck; yields its path."""
    write_deck("norad.md", NORAD)
    assert run("--db", "p.db", "--decks", "decks", "due").exit_code == 0
    yield in_tmp / "p.db"


@pytest.mark.parametrize("command", ["decks", "due"])
def test_malformed_deck_is_reported_and_changes_nothing(synced: Path, command: str) -> None:
    before = dump(synced)
    norad = synced.parent / "decks" / "norad.md"
    norad.write_text(NORAD.replace("T: 1958", "T: 1958\nT: nineteen fifty-eight"))
    (synced.parent / "decks" / "bad.md").write_text("Q: no answer\n")
    result = run("--db", "p.db", "--decks", "decks", command)
    assert_one_line_error(result, "decks/bad.md:1: question has no answer")
    assert dump(synced) == before


def test_missing_deck_folder(synced: Path) -> None:
    before = dump(synced)
    result = run("--db", "p.db", "--decks", "no-such-folder", "decks")
    assert_one_line_error(result, "no-such-folder", "no such deck file or folder")
    assert dump(synced) == before


def test_check_of_a_missing_path(in_tmp: Path) -> None:
    assert_one_line_error(run("check", "nowhere.md"), "nowhere.md", "no such deck file or folder")


def test_check_with_a_missing_sources_folder(write_deck, in_tmp: Path) -> None:
    write_deck("norad.md", NORAD)
    assert_one_line_error(
        run("check", "--sources", "no-sources", "decks"), "no-sources", "no such sources folder"
    )


def test_db_option_pointing_at_a_folder(write_deck, in_tmp: Path) -> None:
    write_deck("norad.md", NORAD)
    folder = in_tmp / "a-folder"
    folder.mkdir()
    result = run("--db", str(folder), "--decks", "decks", "decks")
    assert_one_line_error(result, "a-folder", "cannot open the progress database")
    assert list(folder.iterdir()) == []


def test_default_database_path_that_is_a_folder(write_deck, in_tmp: Path, isolated_home) -> None:
    write_deck("norad.md", NORAD)
    (isolated_home / "progress.db").mkdir()
    result = run("--decks", "decks", "due")
    assert_one_line_error(result, "progress.db", "cannot open the progress database")
    assert list((isolated_home / "progress.db").iterdir()) == []


def test_db_that_is_not_a_sqlite_file(write_deck, in_tmp: Path) -> None:
    write_deck("norad.md", NORAD)
    junk = in_tmp / "notes.db"
    content = b"These are my notes, not a database.\n" * 50
    junk.write_bytes(content)
    result = run("--db", str(junk), "--decks", "decks", "decks")
    assert_one_line_error(result, "notes.db", "not a database")
    assert junk.read_bytes() == content
    assert sorted(path.name for path in in_tmp.iterdir()) == ["decks", "notes.db"]


@pytest.fixture
def locked(synced: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The database with another connection holding its exclusive (write) lock."""
    monkeypatch.setattr(connection_module, "BUSY_TIMEOUT_MS", 100)
    other = sqlite3.connect(synced, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        yield synced
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_locked_database_when_there_is_something_to_write(locked: Path) -> None:
    (locked.parent / "decks" / "more.md").write_text("Q: a\nA: b\n")
    before = dump(locked)
    result = run("--db", "p.db", "--decks", "decks", "decks")
    assert_one_line_error(result, "p.db", "database is locked")
    assert dump(locked) == before


def test_locked_database_can_still_be_read(locked: Path) -> None:
    # Nothing changed on disk, so nothing to write: the counts are shown while another writes.
    result = run("--db", "p.db", "--decks", "decks", "due")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "0 due, 0 learning, 2 new today across 1 deck.\n"


# -- as a real process -------------------------------------------------------------------------


def trainer(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "trainer", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_process_check_reports_problems_and_exits_1(write_deck, tmp_path: Path) -> None:
    write_deck("bad.md", BAD)
    done = trainer("check", "decks", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        "decks/bad.md:1: question has no answer (add A:, T: or a - [x] choice list)",
        "decks/bad.md:3: multiple-choice card has no correct choice (mark one with - [x])",
    ]


def test_process_with_a_garbage_database(write_deck, tmp_path: Path) -> None:
    write_deck("norad.md", NORAD)
    (tmp_path / "junk.db").write_bytes(b"\x00garbage" * 100)
    done = trainer("--db", "junk.db", "--decks", "decks", "due", cwd=tmp_path)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr == "junk.db: cannot open the progress database: file is not a database\n"
    assert (tmp_path / "junk.db").read_bytes() == b"\x00garbage" * 100


def test_process_due_and_decks(write_deck, tmp_path: Path) -> None:
    write_deck("norad.md", NORAD)
    done = trainer("--db", "p.db", "--decks", "decks", "due", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (0, "0 due, 0 learning, 2 new today across 1 deck.\n")
    done = trainer("--db", "p.db", "--decks", "decks", "decks", cwd=tmp_path)
    assert done.returncode == 0
    assert done.stdout.splitlines()[1].split() == ["NORAD", "0", "0", "2", "3"]
