"""Every command, fed every control character, prints none of them raw (nor crashes on markup)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hostile import CONTROLS, IN_A_LINE, MARKUP, hostile_deck, raw_characters

from trainer.cli import cli
from trainer.core.safe_text import printable, printable_line


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), prog_name="trainer")


def assert_safe(result: Result) -> None:
    """Neither stream holds a byte a terminal would obey, other than newline and tab."""
    for name, data in (("stdout", result.stdout_bytes), ("stderr", result.stderr_bytes)):
        raw = sorted(
            {byte for byte in data if (byte < 0x20 and byte not in b"\n\t") or byte == 0x7F}
        )
        assert not raw, f"{name} holds raw bytes {raw}"
        found = raw_characters(data.decode("utf-8"), allowed="\n\t")
        assert not found, f"{name} holds {found}"
    assert "Traceback" not in result.output


@pytest.fixture
def hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A decks folder holding the hostile deck, and a bad deck whose very name is hostile."""
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "evil.md").write_text(hostile_deck(), encoding="utf-8")
    return folder


def bad_deck(folder: Path) -> Path:
    name = "bad" + IN_A_LINE.replace("\x00", "").replace("/", "") + ".md"
    path = folder / name
    path.write_text(f"Q: question\nA: answer\nId: bad{IN_A_LINE}id\n", encoding="utf-8")
    return path


def test_check_prints_deck_text_and_file_names_as_escapes(hostile: Path) -> None:
    good = run("check", str(hostile))
    assert good.exit_code == 0, good.output
    assert_safe(good)
    assert f"Evil {MARKUP}\\x00\\x01" in good.stdout
    bad_deck(hostile)
    bad = run("check", str(hostile))
    assert bad.exit_code == 1
    assert_safe(bad)
    (line,) = bad.stderr.splitlines()
    assert line.startswith("decks/bad\\x01\\x02") and ":3: Id: 'bad\\x00" in line


def test_decks_and_stats_print_deck_names_as_escapes(hostile: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "progress.db")
    decks = run("--db", db, "--decks", str(hostile), "decks")
    assert decks.exit_code == 0, decks.output
    assert_safe(decks)
    assert f"Evil {MARKUP}\\x00" in decks.stdout
    stats = run("--db", db, "--decks", str(hostile), "stats")
    assert stats.exit_code == 0, stats.output
    assert_safe(stats)
    assert "Evil [/] [bold]bold" in stats.stdout
    as_json = run("--db", db, "--decks", str(hostile), "stats", "--json")
    assert as_json.exit_code == 0
    assert_safe(as_json)
    # A bad deck with a hostile name stops both with one safe line.
    bad_deck(hostile)
    for command in ("decks", "stats"):
        result = run("--db", db, "--decks", str(hostile), command)
        assert result.exit_code == 1
        assert_safe(result)
        assert len(result.stderr.splitlines()) == 1


def test_cards_and_card_management_print_card_text_as_escapes(
    hostile: Path, tmp_path: Path
) -> None:
    db = str(tmp_path / "progress.db")
    listed = run("--db", db, "--decks", str(hostile), "cards")
    assert listed.exit_code == 0, listed.output
    assert_safe(listed)
    assert f"Evil {MARKUP}\\x00" in listed.stdout
    as_json = run("--db", db, "--decks", str(hostile), "cards", "--json")
    assert as_json.exit_code == 0, as_json.output
    assert_safe(as_json)
    suspended = run("--db", db, "--decks", str(hostile), "suspend", "deck:Evil*")
    assert suspended.exit_code == 0, suspended.output
    assert_safe(suspended)


def test_derive_prints_a_hostile_document_as_escapes(tmp_path: Path) -> None:
    document = tmp_path / "norad.txt"
    document.write_text(
        "NORAD\n\nThe North American Aerospace Defense Command (NORAD) was formed in 1958"
        f" {CONTROLS} by Canada and the United States.\n",
        encoding="utf-8",
    )
    printed = run("derive", str(document))
    assert printed.exit_code == 0, printed.output
    assert_safe(printed)
    written = run("derive", str(document), "-o", str(tmp_path / "draft.md"))
    assert written.exit_code == 0, written.output
    assert_safe(written)
    in_a_name = IN_A_LINE.replace("\x00", "")  # argv and file names cannot hold NUL
    for name in (f"gone{in_a_name}.txt", f"a b{in_a_name}"):
        hostile_name = tmp_path / name
        if "gone" not in name:
            hostile_name.write_text(document.read_text(encoding="utf-8"), encoding="utf-8")
        refused = run("derive", str(hostile_name))
        assert refused.exit_code == 1
        assert_safe(refused)


def test_import_log_prints_names_and_bad_values_as_escapes(tmp_path: Path) -> None:
    db = str(tmp_path / "progress.db")
    name = "log" + IN_A_LINE.replace("/", "").replace("\x00", "")
    good = tmp_path / f"{name}.csv"
    good.write_text(
        "card_id,review_rating,review_time,review_duration\n"
        f'"card{IN_A_LINE.replace(chr(34), "")}",3,2024-01-01T00:00:00,300\n',
        encoding="utf-8",
    )
    result = run("--db", db, "import-log", str(good))
    assert result.exit_code == 0, result.output
    assert_safe(result)
    assert 'into "Imported: log\\x01' in result.stdout
    bad = tmp_path / f"bad{IN_A_LINE.replace('/', '').replace(chr(0), '')}.csv"
    bad.write_text(
        "card_id,review_rating,review_time,review_duration\n"
        f'1,"3{IN_A_LINE.replace(chr(34), "")}",2024-01-01T00:00:00,300\n',
        encoding="utf-8",
    )
    result = run("--db", db, "import-log", str(bad))
    assert result.exit_code == 1
    assert_safe(result)
    assert len(result.stderr.splitlines()) == 1


def test_printable_shows_every_control_as_an_escape() -> None:
    shown = printable(CONTROLS)
    assert raw_characters(shown, allowed="\n\t") == []
    assert "\\x1b" in shown and "\\x9b" in shown and "\\x7f" in shown and "U+202E" in shown
    assert "\n" in shown and "\t" in shown  # kept for text of several lines
    line = printable_line(CONTROLS)
    assert raw_characters(line) == [] and "\\n" in line and "\\t" in line


def test_printable_leaves_ordinary_text_alone() -> None:
    for text in (
        "NORAD [bold] \\x1b literally",
        "Ελληνικά, العربية ١٢٣, עברית, 日本語",
        "👩\u200d👩\u200d👧 family, 🏳\ufe0f\u200d🌈 flag, 👍🏽",
        "Persian: می\u200cخواهم; soft hy\u00adphen",
        "England: \U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f",
    ):
        assert printable(text) == text


def test_printable_escapes_invisible_format_characters() -> None:
    import sys
    import unicodedata

    kept = {"\u00ad", "\u200c", "\u200d", "\u06dd", "\u070f", "\u0890", "\u0891", "\u08e2"}
    kept |= {chr(c) for c in range(0x600, 0x606)} | {"\U000110bd", "\U000110cd"}
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if unicodedata.category(char) in ("Cf", "Zl", "Zp", "Cc") and char not in kept:
            assert printable_line(char) != char, f"U+{code:04X} is shown raw"
    # Tag characters outside a flag hide text: shown.
    assert printable("a\U000e0041b") == "aU+E0041b"


def test_the_app_exits_non_zero_when_it_crashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """A crash inside the app (Textual prints the traceback) is exit status 1, not 0."""
    from trainer.commands import study_app
    from trainer.config import Settings

    class Crashed:
        store_ready = False
        failure: list[str] = []
        return_code = 1

        def run(self) -> None:
            """As Textual's `App.run` returns after an unhandled error in the app."""

        def close_store(self) -> None:
            """Nothing was opened."""

    monkeypatch.setattr("trainer.tui.app.make_app", lambda *args, **kwargs: Crashed())
    with pytest.raises(SystemExit) as exited:
        study_app.run_app(Settings(db_path=Path("unused.db"), deck_places=[], sources=None))
    assert exited.value.code == 1
