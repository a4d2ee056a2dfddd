"""Hostile and mistaken input: one line saying what and where, never a traceback or a hang."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from trainer.cli import cli
from trainer.core.cards import Kind
from trainer.core.deckfile import DeckError, parse_deck
from trainer.core.grading import Rating
from trainer.core.library import find_deck_files
from trainer.core.stamp import stamp_ids
from trainer.store.store import Store

PATH = Path("deck.md")


def problems(text: str) -> list[str]:
    """Every problem `parse_deck` finds in `text`, as `deck.md:LINE: message`."""
    with pytest.raises(DeckError) as caught:
        parse_deck(text, PATH)
    return [str(problem) for problem in caught.value.problems]


def timed_problems(text: str) -> tuple[list[str], float]:
    start = time.perf_counter()
    try:
        parse_deck(text, PATH)
        found: list[str] = []
    except DeckError as error:
        found = [str(problem) for problem in error.problems]
    return found, time.perf_counter() - start


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("C: " + "[" * 200_000 + "\n", "deck.md:1: cloze deletions cannot nest"),
        ("C: a " + "[x" * 100_000 + "\n", "deck.md:1: cloze deletions cannot nest"),
        ("C: " + "[x]" * 100_000 + "\n", "deck.md:1: cloze has 100000 deletions"),
        ("C: " + "\\[" * 100_000 + " [x]\n", None),
        ("Q: " + "[" * 200_000 + "\nA: a\n", None),
        ("[" * 200_000 + "\n", None),
        ("Q: q\nA: a\nSource: " + "a:" * 100_000 + "1x\n", "deck.md:3: Source: 'a:a:"),
        (
            "Q: q\nA: a\nSource: doc.txt:" + "9" * 5000 + "\n",
            "deck.md:3: Source: a line number of 5000 digits",
        ),
        ("Q: q\n" + "- [ ] " * 50_000 + "\n- [x] b\n", None),
    ],
    ids=lambda value: value[:24] if isinstance(value, str) else str(value),
)
def test_the_parser_takes_linear_time(text: str, expected: str | None) -> None:
    found, seconds = timed_problems(text)
    # A few tenths of a second on an idle machine; the quadratic expressions replaced took hours.
    assert seconds < 2.0, f"{seconds:.2f} s"
    if expected is None:
        assert all("Traceback" not in p for p in found)
    else:
        assert found and found[0].startswith(expected), found


def test_a_huge_line_number_is_one_problem() -> None:
    assert problems(f"Q: q\nA: a\nSource: doc.txt:1-{'9' * 5000}\n") == [
        "deck.md:3: Source: a line number of 5000 digits is past the end of any document"
    ]


def test_nested_deletions_are_refused_and_escaped_brackets_are_text() -> None:
    assert problems("Q: x\nA: y\n\nC: a [b [c] d] e\n") == [
        "deck.md:4: cloze deletions cannot nest: a [ inside the deletion opened before it "
        "(write \\[ for a bracket in the text)"
    ]
    deck = parse_deck("C: the list \\[1, 2\\] holds [two] numbers, see [docs](http://x)\n", PATH)
    (card,) = deck.cards
    assert card.prompt == "the list [1, 2] holds [...] numbers, see [docs](http://x)"
    assert card.answer == "two"


def test_an_unclosed_bracket_in_a_cloze_is_reported_on_its_line() -> None:
    assert problems("C: NORAD was formed in\n[1958 and is binational.\n") == [
        "deck.md:2: cloze has a [ that is never closed (close it with ], or write \\[)"
    ]


def test_a_choice_card_past_key_9_is_refused() -> None:
    choices = "".join(f"- [ ] wrong {n}\n" for n in range(9)) + "- [x] right\n"
    assert problems(f"Q: Which?\n{choices}") == [
        "deck.md:1: multiple-choice card has 10 choices; keys 1-9 answer at most 9"
    ]
    nine = "".join(f"- [ ] wrong {n}\n" for n in range(8)) + "- [x] right\n"
    assert parse_deck(f"Q: Which?\n{nine}", PATH).cards[0].kind is Kind.CHOICE


@pytest.mark.parametrize("separator", ["\x0c", "\u2028", "\u2029", "\x0b", "\x1c", "\x85", "\r"])
def test_line_numbers_count_newlines_only(separator: str) -> None:
    text = f"Q: one{separator}still line one\nA: a\n\nQ: no answer\n"
    assert problems(text) == [
        "deck.md:4: question has no answer (add A:, T: or a - [x] choice list)"
    ]
    deck = parse_deck(f"Q: one{separator}two\nA: a\n", PATH)
    assert deck.cards[0].prompt == f"one{separator}two"
    stamped, count = stamp_ids(f"Q: one{separator}two\nA: a\n", deck)
    assert count == 1 and stamped.startswith(f"Q: one{separator}two\nA: a\nId: ")


def test_crlf_decks_still_read() -> None:
    deck = parse_deck("Q: one\r\nA: a\r\n\r\nQ: two\r\nA: b\r\n", PATH)
    assert [card.answer for card in deck.cards] == ["a", "b"]


@pytest.mark.parametrize(
    ("line", "written", "meant"),
    [
        ("Tag: arctic", "Tag", "Tags"),
        ("tags: arctic", "tags", "Tags"),
        ("Sources: doc.txt:3", "Sources", "Source"),
        ("Soruce: doc.txt:3", "Soruce", "Source"),
        ("Notes: read this", "Notes", "Note"),
        ("ID: abc", "ID", "Id"),
        ("a: another answer", "a", "A"),
        ("Reversed: yes", "Reversed", "Reverse"),
    ],
)
def test_a_misspelt_key_is_reported_not_folded_into_the_answer(
    line: str, written: str, meant: str
) -> None:
    assert problems(f"Q: What?\nA: This.\n{line}\n") == [
        f"deck.md:3: {written}: is not a card key; did you mean {meant}:? "
        "(indent the line to keep it as text)"
    ]
    # Indented, the same words are text of the answer.
    deck = parse_deck(f"Q: What?\nA: This.\n {line}\n", PATH)
    assert deck.cards[0].answer == f"This.\n {line}"


def test_ordinary_answer_lines_are_not_taken_for_keys() -> None:
    deck = parse_deck("Q: What?\nA: This.\nExample: more\nTree: oak\nNo: never\n", PATH)
    assert deck.cards[0].answer == "This.\nExample: more\nTree: oak\nNo: never"


@pytest.mark.parametrize("other_cards", [0, 60])
def test_two_deck_files_of_the_same_name_keep_their_own_cards_and_progress(
    tmp_path: Path, other_cards: int
) -> None:
    # With many other cards, a sync looks keys up one by one instead of reading every card.
    now = datetime(2025, 3, 14, 3, 0, tzinfo=UTC)
    if other_cards:
        (tmp_path / "other.md").write_text(
            "".join(f"Q: Other {n}?\nA: {n}\n\n" for n in range(other_cards)), encoding="utf-8"
        )
    folders = [tmp_path / name for name in ("french", "spanish", "german")]
    for folder in folders[:2]:
        folder.mkdir()
        (folder / "vocab.md").write_text(f"Q: Hello?\nA: in {folder.name}\n", encoding="utf-8")
    store = Store.open(tmp_path / "progress.db")

    def sync() -> None:
        store.sync(find_deck_files([tmp_path]), roots=[tmp_path], now=now)

    def answers() -> dict[str, tuple[str, int]]:
        rows = store.conn.execute(
            "SELECT d.path, c.answer, c.reps FROM cards c JOIN decks d ON d.id = c.deck_id "
            "WHERE c.retired = 0"
        )
        return {
            Path(path).parent.name: (answer, reps)
            for path, answer, reps in rows
            if Path(path).name == "vocab.md"
        }

    sync()
    spanish = store.conn.execute("SELECT id FROM cards WHERE answer = 'in spanish'").fetchone()[0]
    store.record_review(spanish, Rating.GOOD, now)
    # A third file of the same name, then edits to the others: each keeps its own card.
    folders[2].mkdir()
    (folders[2] / "vocab.md").write_text("Q: Hello?\nA: in german\n", encoding="utf-8")
    sync()
    (folders[0] / "vocab.md").write_text("Q: Goodbye?\nA: in french\n", encoding="utf-8")
    sync()
    (folders[1] / "vocab.md").write_text("Q: Hello?\nA: in spanish!\n", encoding="utf-8")
    sync()
    assert answers() == {
        "french": ("in french", 0),
        "spanish": ("in spanish!", 1),
        "german": ("in german", 0),
    }
    assert store.study_card(spanish).card.answer == "in spanish!"
    store.close()


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), prog_name="trainer")


def test_an_unreadable_deck_folder_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    locked = tmp_path / "decks" / "locked"
    locked.mkdir(parents=True)
    (locked / "hidden.md").write_text("Q: a?\nA: b\n", encoding="utf-8")
    (tmp_path / "decks" / "open.md").write_text("Q: c?\nA: d\n", encoding="utf-8")
    real_scandir = os.scandir

    def scandir(path: object = ".") -> object:
        # Running as root, a chmod 000 folder is still readable: refuse it here instead.
        if Path(str(path)).resolve() == locked.resolve():
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    for args in (["check", "decks"], ["--decks", "decks", "decks"]):
        result = run(*args)
        assert result.exit_code == 1, result.output
        assert result.stderr.splitlines() == [
            "decks/locked: cannot read deck folder: Permission denied"
        ]


LOG_HEADER = "card_id,review_rating,review_time,review_duration\n"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            "1,3,9999-12-31T23:59:59,100",
            "log.csv:2: review_time is in the future: '9999-12-31T23:59:59'",
        ),
        (
            "1,3,2024-01-01T00:00:00," + "9" * 30,
            f"log.csv:2: review_duration is longer than a day: '{'9' * 30}' milliseconds",
        ),
        (
            "1,3,2024-01-01T00:00:00,\u0663",
            "log.csv:2: review_duration must be whole milliseconds, not '\u0663'",
        ),
        (
            "1,3,2024-01-01T00:00:00,\u00b2",
            "log.csv:2: review_duration must be whole milliseconds, not '\u00b2'",
        ),
        (
            "1,\u0663,2024-01-01T00:00:00,5",
            "log.csv:2: review_rating must be 1, 2, 3 or 4, not '\u0663'",
        ),
        (
            "1,3,\u0662\u0660\u0662\u0664-01-01,5",
            "log.csv:2: review_time is not an ISO 8601 time: '\u0662\u0660\u0662\u0664-01-01'",
        ),
    ],
)
def test_import_log_refuses_impossible_values_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, row: str, message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "log.csv").write_text(LOG_HEADER + row + "\n", encoding="utf-8")
    result = run("--db", "progress.db", "import-log", "log.csv")
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == [message]


def test_import_log_reads_a_csv_with_a_byte_order_mark(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "log.csv").write_text(
        "\ufeff" + LOG_HEADER + "1,3,2024-01-01T00:00:00,300\n", encoding="utf-8"
    )
    result = run("--db", "progress.db", "import-log", "log.csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Imported 1 reviews of 1 cards")
