"""`trainer cards`, `suspend`, `unsuspend`, `bury` and `flag` as a person types them."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from trainer.cli import cli

NORAD = """
+++
name = "NORAD"
tags = ["defence"]
+++
Q: In what year was NORAD formed?
T: 1958

Q: Where is NORAD headquartered?
A: Colorado Springs
Tags: places

C: NORAD is a [binational] command.
"""


@pytest.fixture
def setup(tmp_path: Path, write_deck) -> tuple[Path, Path]:
    write_deck("norad.md", NORAD)
    return tmp_path / "decks", tmp_path / "progress.db"


def run(setup: tuple[Path, Path], *args: str) -> Result:
    decks, db = setup
    return CliRunner().invoke(cli, ["--db", str(db), "--decks", str(decks), *args])


def column(db: Path, name: str) -> list[int]:
    conn = sqlite3.connect(db)
    try:
        return [row[0] for row in conn.execute(f"SELECT {name} FROM cards ORDER BY id")]
    finally:
        conn.close()


def test_cards_lists_one_card_a_line(setup) -> None:
    result = run(setup, "cards")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "NORAD  typed  In what year was NORAD formed?  new  S -  D -  R -"
    assert len(lines) == 3


def test_cards_takes_a_query_and_a_limit(setup) -> None:
    assert run(setup, "cards", "tag:places").output.splitlines() == [
        "NORAD  basic  Where is NORAD headquartered?  new  S -  D -  R -"
    ]
    assert len(run(setup, "cards", "norad", "--limit", "2").output.splitlines()) == 2
    assert run(setup, "cards", "kind:cloze", "-binational").output == ""


def test_cards_json_has_the_documented_fields(setup) -> None:
    result = run(setup, "cards", "--json", "1958")
    (card,) = json.loads(result.output)
    documented = Path(__file__).resolve().parents[2].joinpath("docs", "search.md").read_text()
    for key in card:
        assert f"`{key}`" in documented, key
    assert card["question"] == "In what year was NORAD formed?"
    assert card["answer"] == "1958"
    assert card["state"] == "new" and card["due"] is None and card["tags"] == ["defence"]


def test_a_malformed_query_is_one_line_and_exit_1(setup) -> None:
    for args in (["cards", "norad ("], ["suspend", "is:lost"]):
        result = run(setup, *args)
        assert result.exit_code == 1
        assert "Traceback" not in result.output
        assert len(result.stderr.splitlines()) == 1
    assert run(setup, "cards", "norad (").stderr == "query:7: unclosed parenthesis\n"


def test_suspend_and_unsuspend_print_how_many_changed(setup) -> None:
    _, db = setup
    assert run(setup, "suspend", "norad", "-kind:cloze").output == "2 cards suspended (2 found).\n"
    assert column(db, "suspended") == [1, 1, 0]
    assert run(setup, "suspend", "norad").output == "1 card suspended (3 found).\n"
    assert run(setup, "cards", "is:suspended").output.count("suspended") == 3
    assert run(setup, "unsuspend", "is:suspended").output == "3 cards unsuspended (3 found).\n"
    assert column(db, "suspended") == [0, 0, 0]


def test_bury_and_flag(setup) -> None:
    _, db = setup
    assert run(setup, "bury", "1958").output == "1 card buried (1 found).\n"
    assert column(db, "suspended") == [2, 0, 0]
    assert run(setup, "flag", "colorado", "--color", "3").output == "1 card flagged (1 found).\n"
    assert column(db, "flag") == [0, 3, 0]
    assert "flag:3" in run(setup, "cards", "flag:3").output
    assert run(setup, "flag", "colorado", "--color", "0").output == "1 card unflagged (1 found).\n"


def test_changing_cards_needs_a_query(setup) -> None:
    result = run(setup, "suspend", "")
    assert result.exit_code == 1
    assert "give a search" in result.stderr


def test_a_bad_config_is_one_line_and_the_defaults_are_used(setup, isolated_home: Path) -> None:
    (isolated_home / "config.toml").write_text("[study]\nnew_per_day = -3\n")
    result = run(setup, "cards", "--limit", "1")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        f"{isolated_home / 'config.toml'}: study.new_per_day must be a whole number, 0 or more;"
        " using the default"
    ]
