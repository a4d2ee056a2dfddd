"""`trainer check` warnings: decks that parse but teach badly are flagged, never refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from trainer.cli import cli
from trainer.core.checking import check_decks, deck_warnings
from trainer.core.deckfile import parse_deck

SHOWN = "decks/norad.md"


def warnings_for(text: str) -> list[str]:
    return deck_warnings(parse_deck(text, Path(SHOWN)), display_path=SHOWN)


def statements(true: int, false: int) -> str:
    cards = [f"True: NORAD fact number {n} holds." for n in range(true)]
    cards += [f"False: NORAD fact number {n} fails.\nNote: It holds." for n in range(false)]
    return "\n\n".join(cards) + "\n"


def test_a_well_made_deck_has_no_warnings() -> None:
    text = (
        "Q: In which year was NORAD formed?\n"
        "- [x] 1958\n"
        "- [ ] 1949\n"
        "- [ ] 1968\n"
        "- [ ] 1991\n"
        "\n"
        "Q: In which city did the 1957 plan put NORAD's headquarters?\n"
        "T: Colorado Springs\n"
        "\n" + statements(5, 5)
    )
    assert warnings_for(text) == []


def test_a_choice_card_with_two_options_is_warned_about_with_its_line() -> None:
    text = "Q: Was NORAD formed in 1958?\n- [x] yes\n- [ ] no\n\nQ: Three is enough\n"
    text += "- [x] a\n- [ ] b\n- [ ] c\n"
    assert warnings_for(text) == [
        f"{SHOWN}:1: warning: multiple-choice card has 2 options; give at least 3, all of one kind"
    ]


@pytest.mark.parametrize(("true", "false"), [(8, 2), (2, 8), (12, 4), (10, 0)])
def test_a_lopsided_true_share_is_warned_about_at_the_first_statement(
    true: int, false: int
) -> None:
    text = "Q: A question first\nA: An answer\n\n" + statements(true, false)
    share = round(100 * true / (true + false))
    assert warnings_for(text) == [
        f"{SHOWN}:4: warning: {true} of {true + false} true-or-false statements are true "
        f"({share}%); keep it between 30% and 70% so that one answer every time does not pay"
    ]


@pytest.mark.parametrize(("true", "false"), [(7, 3), (3, 7), (5, 5), (9, 0), (0, 9)])
def test_a_balanced_share_or_a_handful_of_statements_is_not_warned_about(
    true: int, false: int
) -> None:
    # 30% and 70% are inside the range; below ten statements the share is not judged at all.
    assert warnings_for(statements(true, false)) == []


@pytest.mark.parametrize(
    "card",
    [
        "Q: According to the document, when was NORAD formed?\nT: 1958",
        "Q: according to this page, when was NORAD formed?\nA: 1958",
        "True: According to the text, NORAD was formed in 1958.",
        "C: According to the documents, NORAD was formed in [1958].",
        "Q: According to the article, which year?\n- [x] 1958\n- [ ] 1968\n- [ ] 1949",
    ],
)
def test_a_question_about_the_document_is_warned_about(card: str) -> None:
    assert warnings_for("\n" + card + "\n") == [
        f'{SHOWN}:2: warning: question begins "According to the document"; '
        "ask about the subject itself"
    ]


def test_a_cloze_with_several_deletions_is_warned_about_once() -> None:
    text = "C: According to the page, NORAD was formed in [1958] in [Colorado Springs].\n"
    assert len(warnings_for(text)) == 1


def test_a_question_that_only_mentions_a_source_later_is_not_warned_about() -> None:
    # Only the opening is mechanical enough to flag; the rest is for the author to judge.
    text = "Q: According to NORAD, what did the document of 1958 set up?\nA: A command\n"
    assert warnings_for(text) == []


def test_warnings_come_before_the_summary_line_of_their_deck(tmp_path: Path) -> None:
    deck = tmp_path / "norad.md"
    deck.write_text("Q: Formed in 1958?\n- [x] yes\n- [ ] no\n", encoding="utf-8")
    result = check_decks([deck])
    assert result.problems == []
    assert len(result.summaries) == 2
    assert result.summaries[0].endswith(
        ":1: warning: multiple-choice card has 2 options; give at least 3, all of one kind"
    )
    assert result.summaries[1].endswith("norad.md: Norad, 1 card (1 choice)")


def test_trainer_check_prints_warnings_and_still_succeeds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "decks").mkdir()
    (tmp_path / "decks" / "norad.md").write_text(
        "Q: According to the document, when was NORAD formed?\nT: 1958\n", encoding="utf-8"
    )
    result = CliRunner().invoke(cli, ["check", "decks"], prog_name="trainer")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        'decks/norad.md:1: warning: question begins "According to the document"; '
        "ask about the subject itself",
        "decks/norad.md: Norad, 1 card (1 typed)",
    ]
    assert result.stderr == ""


def test_trainer_check_with_errors_prints_only_the_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "decks").mkdir()
    (tmp_path / "decks" / "warned.md").write_text(
        "Q: Formed in 1958?\n- [x] yes\n- [ ] no\n", encoding="utf-8"
    )
    (tmp_path / "decks" / "broken.md").write_text("Q: A question with no answer\n")
    result = CliRunner().invoke(cli, ["check", "decks"], prog_name="trainer")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "decks/broken.md:1: question has no answer (add A:, T: or a - [x] choice list)"
    ]
    assert result.stdout == ""
