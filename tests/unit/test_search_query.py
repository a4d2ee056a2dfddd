"""The search query parser: every operator, and a one-line error for every malformed query."""

from __future__ import annotations

import pytest

from trainer.core.search_query import (
    Added,
    And,
    Everything,
    Field,
    Not,
    Or,
    Prop,
    QueryError,
    Rated,
    Text,
    parse_query,
    show_error,
)


@pytest.mark.parametrize(
    ("query", "tree"),
    [
        ("", Everything()),
        ("   ", Everything()),
        ("norad", Text("norad")),
        ("norad 1958", And((Text("norad"), Text("1958")))),
        ("norad and 1958", And((Text("norad"), Text("1958")))),
        ('"air defence"', Text("air defence", phrase=True)),
        ("-norad", Not(Text("norad"))),
        ("a or b", Or((Text("a"), Text("b")))),
        ("a OR b c", Or((Text("a"), And((Text("b"), Text("c")))))),
        ("(a or b) c", And((Or((Text("a"), Text("b"))), Text("c")))),
        ("-(a or b)", Not(Or((Text("a"), Text("b"))))),
        ("deck:norad", Field("deck", "norad")),
        ('deck:"Border security*"', Field("deck", "Border security*")),
        ('"deck:Border security"', Field("deck", "Border security")),
        ("tag:nato::air", Field("tag", "nato::air")),
        ("is:DUE", Field("is", "due")),
        ("flag:3", Field("flag", "3")),
        ("kind:TrueFalse", Field("kind", "truefalse")),
        ("prop:ivl>=30", Prop("ivl", ">=", 30.0)),
        ("prop:due<=3", Prop("due", "<=", 3.0)),
        ("prop:due=-1", Prop("due", "=", -1.0)),
        ("prop:lapses>3", Prop("lapses", ">", 3.0)),
        ("prop:s>10", Prop("s", ">", 10.0)),
        ("prop:d!=5", Prop("d", "!=", 5.0)),
        ("prop:r<0.8", Prop("r", "<", 0.8)),
        ("rated:7", Rated(7)),
        ("rated:1:1", Rated(1, 1)),
        ("added:30", Added(30)),
        ("-is:suspended", Not(Field("is", "suspended"))),
        ("12:30", Text("12:30")),
        ('"say \\"hi\\""', Text('say "hi"', phrase=True)),
        ("U.S.", Text("U.S.")),
        ("-", Text("-")),
    ],
)
def test_queries_read_as_anki_reads_them(query: str, tree: object) -> None:
    assert parse_query(query) == tree


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("(norad", "query:1: unclosed parenthesis"),
        ("norad (a or (b)", "query:7: unclosed parenthesis"),
        ("norad)", "query:6: unmatched closing parenthesis"),
        ("()", "query:2: empty parentheses"),
        ('"air defence', "query:1: unclosed quote"),
        ('deck:"My deck', "query:6: unclosed quote"),
        ('""', "query:1: empty phrase"),
        ("or norad", "query:1: 'or' needs a term before it"),
        ("norad or", "query:7: 'or' needs a term after it"),
        ("norad or or b", "query:7: 'or' needs a term after it"),
        ("a and", "query:3: 'and' needs a term after it"),
        ("(a or)", "query:4: 'or' needs a term after it"),
        (
            "colour:red",
            "query:1: unknown search field 'colour' (put the term in quotes to search for the text)",
        ),
        ("deck:", "query:6: 'deck:' needs a value"),
        (
            "is:lost",
            "query:4: is:lost is not one of new, learn, review, due, suspended, buried, flagged, leech",
        ),
        ("flag:5", "query:6: flag: takes 0 (no flag) to 4"),
        (
            "kind:essay",
            "query:6: kind:essay is not one of basic, reversed, cloze, typed, choice, truefalse",
        ),
        ("prop:ivl", "query:6: prop: takes a property, a comparison and a number: prop:ivl>=30"),
        ("prop:ivl>=x", "query:6: prop: takes a property, a comparison and a number: prop:ivl>=30"),
        ("prop:size>3", "query:6: prop:size is not one of ivl, due, lapses, reps, s, d, r"),
        ("rated:0", "query:7: rated: takes a number of days from 1, such as rated:7"),
        ("rated:week", "query:7: rated: takes a number of days from 1, such as rated:7"),
        ("rated:7:5", "query:9: rated:DAYS:RATING takes a rating from 1 to 4"),
        ("added:7:1", "query:7: added: takes only a number of days"),
        (
            "norad -is:lost",
            "query:11: is:lost is not one of new, learn, review, due, suspended, buried, flagged, leech",
        ),
        ("-)", "query:1: '-' must come before a term or '('"),
    ],
)
def test_a_malformed_query_is_one_line_naming_its_column(query: str, message: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse_query(query)
    assert str(caught.value) == message
    assert "\n" not in str(caught.value)


def test_the_caret_points_at_the_problem() -> None:
    with pytest.raises(QueryError) as caught:
        parse_query("norad (a or b")
    assert show_error("norad (a or b", caught.value) == (
        "norad (a or b\n      ^ unclosed parenthesis"
    )
