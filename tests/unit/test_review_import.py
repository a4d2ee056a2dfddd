"""Importing another app's review log: replayed states, idempotence, and errors that change nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from trainer import schedule
from trainer.cli import cli
from trainer.core.cards import Schedule
from trainer.core.grading import Rating
from trainer.core.progress import Progress, to_millis
from trainer.importing.review_log import ReviewLogError, read_review_log
from trainer.stats.figures import deck_choices
from trainer.store.review_import import import_review_log
from trainer.store.store import Store

HEADER = "card_id,review_rating,review_time,review_duration\n"
LOG = (
    HEADER
    + "100,3,2024-03-29T20:32:32.250000+00:00,25060\n"
    + "200,1,2024-03-29T20:33:00+00:00,7000\n"
    + "100,3,2024-03-30T19:00:00+00:00,4000\n"
    + "200,3,2024-03-29T20:45:00Z,3000\n"
    + "100,1,2024-04-05T08:00:00+00:00,9000\n"
)


def write(tmp_path: Path, text: str, name: str = "log.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def table_sizes(store: Store) -> tuple[int, int, int]:
    return store.db["decks"].count, store.db["cards"].count, store.db["reviews"].count


def replay(key: str, answers: list[tuple[int, str]]) -> tuple[list[Progress], Progress]:
    """The before-states and the final state the scheduler gives these answers to card `key`."""
    progress, befores = Progress(), []
    for rating, moment in answers:
        befores.append(progress)
        at = datetime.fromisoformat(moment).astimezone(UTC)
        progress = schedule.next_progress(
            schedule.card_seed(key), progress, Rating(rating), at, Schedule()
        )
    return befores, progress


def test_import_replays_each_card_through_the_scheduler(store: Store, tmp_path: Path) -> None:
    report = import_review_log(store, write(tmp_path, LOG))
    assert (report.deck, report.cards, report.new_cards, report.reviews, report.already) == (
        "Imported: log", 2, 2, 5, 0,
    )  # fmt: skip
    deck = store.db.execute("SELECT id, path, missing, imported FROM decks").fetchone()
    assert deck[1:] == ("import:log", 1, 1)
    cards = dict(store.db.execute("SELECT key, id FROM cards").fetchall())
    assert set(cards) == {"import:log:100", "import:log:200"}
    card = cards["import:log:100"]
    befores, final = replay(
        "import:log:100",
        [
            (3, "2024-03-29T20:32:32.250000+00:00"),
            (3, "2024-03-30T19:00:00+00:00"),
            (1, "2024-04-05T08:00:00+00:00"),
        ],
    )
    rows = store.db.execute(
        "SELECT rating, mode, duration_ms, state_before, stability_before, due_before "
        "FROM reviews WHERE card_id = ? ORDER BY reviewed_at",
        [card],
    ).fetchall()
    assert [row[:3] for row in rows] == [
        (3, "import", 25060),
        (3, "import", 4000),
        (1, "import", 9000),
    ]
    assert [(row[3], row[4], row[5]) for row in rows] == [
        (int(b.state), b.stability, to_millis(b.due)) for b in befores
    ]
    assert store.study_card(card).progress == final
    assert final.lapses == 1


def test_importing_the_same_file_again_adds_nothing(store: Store, tmp_path: Path) -> None:
    path = write(tmp_path, LOG)
    import_review_log(store, path)
    before = table_sizes(store)
    report = import_review_log(store, path)
    assert (report.reviews, report.already, report.new_cards) == (0, 5, 0)
    assert table_sizes(store) == before


def test_a_longer_log_adds_only_the_new_reviews(store: Store, tmp_path: Path) -> None:
    import_review_log(store, write(tmp_path, LOG))
    longer = LOG + "100,3,2024-04-06T08:00:00+00:00,5000\n300,4,2024-04-06T09:00:00+00:00,1000\n"
    report = import_review_log(store, write(tmp_path, longer))
    assert (report.reviews, report.new_cards, report.already) == (2, 1, 5)
    card = store.db.execute("SELECT id FROM cards WHERE key = 'import:log:100'").fetchone()[0]
    _, final = replay(
        "import:log:100",
        [
            (3, "2024-03-29T20:32:32.250000+00:00"),
            (3, "2024-03-30T19:00:00+00:00"),
            (1, "2024-04-05T08:00:00+00:00"),
            (3, "2024-04-06T08:00:00+00:00"),
        ],
    )
    assert store.study_card(card).progress == final


def test_a_review_older_than_those_imported_is_refused(store: Store, tmp_path: Path) -> None:
    import_review_log(store, write(tmp_path, LOG))
    before = table_sizes(store)
    path = write(tmp_path, LOG + "100,3,2024-03-31T08:00:00+00:00,5000\n")
    with pytest.raises(ReviewLogError, match=r"log\.csv:7: this review is older"):
        import_review_log(store, path)
    assert table_sizes(store) == before


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "log.csv:1: the review log is empty"),
        ("card_id,review_rating,review_time\n1,3,2024-01-01T00:00:00Z\n",
         "log.csv:1: missing column review_duration (need card_id, review_rating, review_time, review_duration)"),
        (HEADER + "1,3,2024-01-01T00:00:00Z,10\n1,5,2024-01-02T00:00:00Z,10\n",
         "log.csv:3: review_rating must be 1, 2, 3 or 4, not '5'"),
        (HEADER + "1,3,yesterday,10\n", "log.csv:2: review_time is not an ISO 8601 time: 'yesterday'"),
        (HEADER + "1,3,2024-01-01T00:00:00Z,-4\n",
         "log.csv:2: review_duration must be whole milliseconds, not '-4'"),
        (HEADER + ",3,2024-01-01T00:00:00Z,10\n", "log.csv:2: card_id is empty"),
        (HEADER + "1,3,2024-01-01T00:00:00Z\n", "log.csv:2: expected 4 fields, found 3"),
        (HEADER + "1,3,2024-01-01T00:00:00Z,10\n\n1,2,2024-01-01T00:00:00+00:00,10\n",
         "log.csv:4: the same review as line 2"),
    ],
)  # fmt: skip
def test_a_bad_log_is_one_line_and_changes_nothing(
    store: Store, tmp_path: Path, text: str, message: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ReviewLogError) as caught:
        import_review_log(store, path)
    assert str(caught.value) == f"{tmp_path}/{message}"
    assert table_sizes(store) == (0, 0, 0)


def test_times_without_an_offset_are_utc(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "1,3,2024-01-01T12:00:00,10\n")
    assert read_review_log(path)[0].at == to_millis(datetime(2024, 1, 1, 12, tzinfo=UTC))


def test_the_import_deck_stays_out_of_study_and_sync(
    store: Store, tmp_path: Path, write_deck, now: datetime
) -> None:
    import_review_log(store, write(tmp_path, LOG))
    deck_file = write_deck("capitals.md", "Q: Capital of Canada?\nA: Ottawa\n")
    store.sync([deck_file], roots=[deck_file.parent], now=now)
    assert [summary.name for summary in store.deck_summaries(now)] == ["Capitals"]
    assert store.study_queue(now) == [store.db.execute(
        "SELECT id FROM cards WHERE key NOT LIKE 'import:%'").fetchone()[0]]  # fmt: skip
    imported = store.db.execute(
        "SELECT count(*) FROM cards WHERE key LIKE 'import:%' AND retired = 0"
    ).fetchone()[0]
    assert imported == 2
    assert "Imported: log" in [name for _, name in deck_choices(store)]


def test_cli_reports_and_fails_in_one_line(tmp_path: Path) -> None:
    runner = CliRunner()
    db = str(tmp_path / "progress.db")
    good = write(tmp_path, LOG)
    result = runner.invoke(cli, ["--db", db, "import-log", str(good)])
    assert result.exit_code == 0, result.output
    assert result.output == (
        'Imported 5 reviews of 2 cards into "Imported: log" (2 new cards, 0 reviews already there).\n'
    )
    result = runner.invoke(cli, ["--db", db, "import-log", str(good)])
    assert result.output.startswith("Nothing new: the 5 reviews of log.csv")
    bad = write(tmp_path, HEADER + "1,9,2024-01-01T00:00:00Z,10\n", "bad.csv")
    result = runner.invoke(cli, ["--db", db, "import-log", str(bad)])
    assert result.exit_code == 1
    assert result.output == f"{bad}:2: review_rating must be 1, 2, 3 or 4, not '9'\n"
    result = runner.invoke(cli, ["--db", db, "import-log", str(tmp_path / "absent.csv")])
    assert result.exit_code == 1
    assert result.output.startswith(f"{tmp_path}/absent.csv: cannot read the review log")
