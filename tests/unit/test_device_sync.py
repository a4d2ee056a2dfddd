"""Two devices, one shared folder: every order of syncing ends with the same card states."""

from __future__ import annotations

import csv
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from trainer.cli import cli
from trainer.core.grading import Rating
from trainer.journal import JournalEntry, append_entries, read_journal
from trainer.store.device_sync import sync_with_folder
from trainer.store.review_import import import_review_log
from trainer.store.store import Store

DECK = """
+++
name = "Capitals"
+++

Q: What is the capital of Canada?
A: Ottawa

Q: What is the capital of France?
A: Paris

Q: NORAD
A: North American Aerospace Defense Command
Reverse: yes
"""
OTHER_DECK = """
Q: What is the capital of Italy?
A: Rome
"""
STATE = "state, step, stability, difficulty, due, last_review, reps, lapses"


class Device:
    """One device: its own database, the shared deck folder, a name."""

    def __init__(self, name: str, root: Path, decks: list[Path]) -> None:
        self.name = name
        self.store = Store.open(root / f"{name}.db")
        self.decks = decks
        self.store.sync(decks)

    def card(self, prompt: str) -> int:
        (card_id,) = self.store.conn.execute(
            "SELECT id FROM cards WHERE prompt = ?", [prompt]
        ).fetchone()
        return card_id

    def answer(self, prompt: str, rating: Rating, at: datetime) -> None:
        self.store.record_review(self.card(prompt), rating, at)

    def states(self) -> dict[str, tuple]:
        return {
            key: tuple(rest)
            for key, *rest in self.store.conn.execute(f"SELECT key, {STATE} FROM cards")
        }


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shared = tmp_path / "shared"
    shared.mkdir()
    return shared


@pytest.fixture
def deck(write_deck) -> Path:
    return write_deck("capitals.md", DECK)


def two_devices(tmp_path: Path, deck: Path, now: datetime) -> tuple[Device, Device]:
    laptop, desktop = Device("laptop", tmp_path, [deck]), Device("desktop", tmp_path, [deck])
    laptop.answer("What is the capital of Canada?", Rating.GOOD, now)
    laptop.answer("What is the capital of France?", Rating.AGAIN, now + timedelta(seconds=5))
    # The same card on both devices, a second apart.
    laptop.answer("NORAD", Rating.GOOD, now + timedelta(seconds=10))
    desktop.answer("NORAD", Rating.HARD, now + timedelta(seconds=11))
    desktop.answer("What is the capital of Canada?", Rating.EASY, now + timedelta(days=3))
    laptop.answer("What is the capital of France?", Rating.GOOD, now + timedelta(days=1))
    return laptop, desktop


@pytest.mark.parametrize(
    # Any order in which each device syncs once more after the other's first sync.
    "order",
    ["LDL", "DLD", "LDLD", "DLDL", "LLDL", "DDLD", "LDDL", "DLLD"],
)
def test_every_sync_order_ends_with_identical_states(
    tmp_path: Path, folder: Path, deck: Path, now: datetime, order: tuple[str, ...]
) -> None:
    laptop, desktop = two_devices(tmp_path, deck, now)
    devices = {"L": laptop, "D": desktop}
    for letter in order:
        device = devices[letter]
        sync_with_folder(device.store, folder, device.name, now + timedelta(days=4))
    assert laptop.states() == desktop.states()
    norad = laptop.states()[laptop.store.study_card(laptop.card("NORAD")).card.key]
    assert norad[6] == 2  # both answers of the same card count, the laptop's first
    reviews = laptop.store.conn.execute("SELECT count(*) FROM reviews").fetchone()[0]
    assert reviews == 6


def test_a_second_sync_changes_nothing(
    tmp_path: Path, folder: Path, deck: Path, now: datetime
) -> None:
    laptop, desktop = two_devices(tmp_path, deck, now)
    for device in (laptop, desktop, laptop):
        sync_with_folder(device.store, folder, device.name, now)
    before = (laptop.states(), (folder / "laptop.jsonl").read_bytes())
    again = sync_with_folder(laptop.store, folder, "laptop", now)
    assert (again.sent, again.received) == (0, 0)
    assert (laptop.states(), (folder / "laptop.jsonl").read_bytes()) == before


def test_undo_travels(tmp_path: Path, folder: Path, deck: Path, now: datetime) -> None:
    laptop, desktop = Device("laptop", tmp_path, [deck]), Device("desktop", tmp_path, [deck])
    laptop.answer("What is the capital of Canada?", Rating.AGAIN, now)
    laptop.store.undo_last(now + timedelta(seconds=3))
    laptop.answer("What is the capital of Canada?", Rating.GOOD, now + timedelta(seconds=4))
    sync_with_folder(laptop.store, folder, "laptop", now)
    sync_with_folder(desktop.store, folder, "desktop", now)
    assert desktop.states() == laptop.states()
    modes = [row[0] for row in desktop.store.conn.execute("SELECT mode FROM reviews ORDER BY id")]
    assert modes == ["review", "undo", "review"]
    canada = desktop.states()[
        desktop.store.study_card(desktop.card("What is the capital of Canada?")).card.key
    ]
    assert canada[6] == 1  # reps: the undone Again does not count


def test_a_cut_short_line_waits_and_a_bad_line_is_named(
    tmp_path: Path, folder: Path, deck: Path, now: datetime
) -> None:
    laptop, desktop = two_devices(tmp_path, deck, now)
    sync_with_folder(laptop.store, folder, "laptop", now)
    journal = folder / "laptop.jsonl"
    whole = journal.read_bytes()
    lines = whole.splitlines(keepends=True)
    # The desktop sees the file while the laptop's last line is still being copied.
    journal.write_bytes(b"".join(lines[:-1]) + lines[-1][:20])
    first = sync_with_folder(desktop.store, folder, "desktop", now)
    assert first.received == len(lines) - 1 and not first.problems
    journal.write_bytes(whole + b"{not json}\n")
    second = sync_with_folder(desktop.store, folder, "desktop", now)
    assert second.received == 1
    assert second.problems == [
        f"{journal}:{len(lines) + 1}: not a review (bad JSON at column 2); line skipped"
    ]
    sync_with_folder(laptop.store, folder, "laptop", now)
    assert laptop.states() == desktop.states()


def test_own_unfinished_line_is_rewritten_whole(tmp_path: Path, folder: Path) -> None:
    journal = folder / "me.jsonl"
    entry = JournalEntry("me-1", "k", 3, 1000, 0, "review", True)
    append_entries(journal, [entry])
    journal.write_bytes(journal.read_bytes() + b'{"id": "me-2", "ca')
    append_entries(journal, [JournalEntry("me-2", "k", 3, 2000, 0, "review", True)])
    entries, problems = read_journal(journal)
    assert [e.id for e in entries] == ["me-1", "me-2"] and not problems


def test_reviews_of_a_deck_this_device_lacks_wait_for_it(
    tmp_path: Path, folder: Path, deck: Path, write_deck, now: datetime
) -> None:
    italy = write_deck("italy.md", OTHER_DECK)
    laptop = Device("laptop", tmp_path, [deck, italy])
    desktop = Device("desktop", tmp_path, [deck])
    laptop.answer("What is the capital of Italy?", Rating.GOOD, now)
    sync_with_folder(laptop.store, folder, "laptop", now)
    report = sync_with_folder(desktop.store, folder, "desktop", now)
    assert (report.received, report.waiting) == (0, 1)
    desktop.store.sync([deck, italy])
    report = sync_with_folder(desktop.store, folder, "desktop", now)
    assert (report.received, report.waiting) == (1, 0)
    assert desktop.states() == laptop.states()


def test_the_sample_log_in_two_halves_converges_to_one_import(
    tmp_path: Path, folder: Path, deck: Path, now: datetime, sample_log: Path
) -> None:
    with sample_log.open(newline="", encoding="utf-8") as file:
        rows = list(csv.reader(file))
    header, body = rows[0], rows[1:]
    halves = [tmp_path / "a" / "log.csv", tmp_path / "b" / "log.csv"]
    for half, part in zip(halves, (body[: len(body) // 2], body[len(body) // 2 :])):
        half.parent.mkdir()
        with half.open("w", newline="", encoding="utf-8") as file:
            csv.writer(file).writerows([header, *part])
    whole, laptop, desktop = (
        Device(name, tmp_path, [deck]) for name in ("whole", "laptop", "desktop")
    )
    # The same file name as the halves: an imported log's cards are keyed by its name.
    import_review_log(whole.store, _copy(sample_log, tmp_path / "log.csv"))
    import_review_log(laptop.store, halves[0])
    import_review_log(desktop.store, halves[1])
    for device in (laptop, desktop, laptop):
        sync_with_folder(device.store, folder, device.name, now)
    assert laptop.states() == desktop.states()
    expected = {key: state for key, state in whole.states().items() if key.startswith("import:")}
    got = {key: state for key, state in laptop.states().items() if key.startswith("import:")}
    assert len(expected) > 100
    assert got.keys() == expected.keys()
    differing = [key for key in expected if not _close(got[key], expected[key])]
    assert differing == []


def _copy(source: Path, target: Path) -> Path:
    target.write_bytes(source.read_bytes())
    return target


def _close(a: tuple, b: tuple) -> bool:
    return all(
        x == y or (isinstance(x, float) and isinstance(y, float) and abs(x - y) <= 1e-9 * abs(y))
        for x, y in zip(a, b)
    )


def test_status_and_command(tmp_path: Path, folder: Path, deck: Path) -> None:
    runner = CliRunner()
    homes = {name: tmp_path / f"home-{name}" for name in ("laptop", "desktop")}
    for home in homes.values():
        result = runner.invoke(
            cli, ["--db", str(home / "progress.db"), "--decks", str(deck), "sync", str(folder)]
        )
        assert result.exit_code == 0, result.output
        assert result.output.startswith("Sent 0 reviews, received 0")
    ids = {name: (home / "device-id").read_text().strip() for name, home in homes.items()}
    assert ids["laptop"] != ids["desktop"]
    status = runner.invoke(
        cli,
        [
            "--db",
            str(homes["laptop"] / "progress.db"),
            "--decks",
            str(deck),
            "sync",
            "--status",
            str(folder),
        ],
    )
    assert status.exit_code == 0, status.output
    lines = status.output.splitlines()
    assert lines[0].startswith(f"{ids['laptop']} (this device)")
    assert any(line.startswith(ids["desktop"]) for line in lines[1:])
    missing = runner.invoke(
        cli, ["--db", str(homes["laptop"] / "p.db"), "sync", str(tmp_path / "nowhere")]
    )
    assert missing.exit_code == 1
    assert missing.output.strip() == f"{tmp_path / 'nowhere'}: no such folder"


def test_an_answer_older_than_the_last_one_sent_still_travels(
    tmp_path: Path, folder: Path, deck: Path, now: datetime
) -> None:
    # The log is kept in time order; what was sent is remembered in the order reviews were
    # registered, so an answer logged after a sync with an earlier time (a clock set back, an
    # imported history) is sent with the next sync all the same.
    laptop, desktop = Device("laptop", tmp_path, [deck]), Device("desktop", tmp_path, [deck])
    laptop.answer("What is the capital of Canada?", Rating.GOOD, now)
    sync_with_folder(laptop.store, folder, "laptop", now)
    laptop.answer("What is the capital of France?", Rating.GOOD, now - timedelta(days=1))
    sent = sync_with_folder(laptop.store, folder, "laptop", now)
    assert sent.sent == 1
    sync_with_folder(desktop.store, folder, "desktop", now)
    assert desktop.states() == laptop.states()
    assert len(read_journal(folder / "laptop.jsonl")[0]) == 2
