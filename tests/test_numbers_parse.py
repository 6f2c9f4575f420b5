"""parse_number: numbers in digits and words, with qualifiers, and the regex fragments built for them."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from labourlens.errors import InvalidKnowledge
from labourlens.pipeline.numbers import NumberGrammar, NumberValue, default_grammar, parse_number

ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def _words(n: int) -> str:
    """English words for 0 <= n < 1,000,000 ("twenty-five thousand and twelve"), written for this test."""
    if n < 20:
        return ONES[n]
    if n < 100:
        return TENS[n // 10] + ("" if n % 10 == 0 else "-" + ONES[n % 10])
    if n < 1000:
        head = ONES[n // 100] + " hundred"
        return head if n % 100 == 0 else f"{head} and {_words(n % 100)}"
    head = _words(n // 1000) + " thousand"
    if n % 1000 == 0:
        return head
    return f"{head} {_words(n % 1000)}" if n % 1000 >= 100 else f"{head} and {_words(n % 1000)}"


@pytest.mark.parametrize(
    ("text", "value", "qualifier"),
    [
        ("five", 5, None),
        ("Five", 5, None),
        ("5", 5, None),
        ("5,000", 5000, None),
        ("10,000", 10000, None),
        ("10 000", 10000, None),
        ("10\u00a0000", 10000, None),
        ("10\u202f000", 10000, None),
        ("1.5 million", 1500000, None),
        ("2.3 million", 2300000, None),
        ("4.50", 4.5, None),
        ("twenty-five", 25, None),
        ("twenty five", 25, None),
        ("ninety-nine", 99, None),
        ("a hundred", 100, None),
        ("one hundred and fifty", 150, None),
        ("two thousand five hundred", 2500, None),
        ("a dozen", 12, None),
        ("two dozen", 24, None),
        ("a thousand", 1000, None),
        ("three million", 3000000, None),
        ("5 thousand", 5000, None),
        ("5m", 5000000, None),
        ("30k", 30000, None),
        ("tens of thousands", 10000, "more_than"),
        ("Tens of thousands", 10000, "more_than"),
        ("hundreds", 100, "more_than"),
        ("hundreds of thousands", 100000, "more_than"),
        ("thousands", 1000, "more_than"),
        ("dozens", 12, "more_than"),
        ("several thousand", 3000, "at_least"),
        ("a few hundred", 200, "at_least"),
        ("more than 18", 18, "more_than"),
        ("over 5,000", 5000, "more_than"),
        ("at least three", 3, "at_least"),
        ("about 50", 50, "about"),
        ("around 50,000", 50000, "about"),
        ("nearly 20", 20, "about"),
        ("almost 19", 19, "about"),
        ("up to 20", 20, "up_to"),
        ("as many as 300", 300, "up_to"),
        ("less than 10", 10, "less_than"),
        ("fewer than ten", 10, "less_than"),
        ("a total of around 50,000", 50000, "about"),
        ("a total of 7", 7, None),
        ("five or more", 5, "at_least"),
        ("18+", 18, "more_than"),
        ("ten or so", 10, "about"),
        ("twice", 2, None),
        ("half", 0.5, None),
        ("third", 3, None),
        ("a", 1, None),
    ],
)
def test_numbers_parse_values(text: str, value: float, qualifier: str | None) -> None:
    got = parse_number(text)
    assert got is not None, text
    assert got.value == value
    assert got.qualifier == qualifier


@pytest.mark.parametrize(
    "text", ["", "workers", "twenty eleven", "five six", "hundred", "a an", "$5", "one two three", "x5"]
)
def test_numbers_parse_rejects(text: str) -> None:
    assert parse_number(text) is None


def test_numbers_parse_unpacks_and_gives_whole_numbers_as_int() -> None:
    value, qualifier = parse_number("more than 10,000")  # type: ignore[misc]
    assert (value, qualifier) == (10000, "more_than")
    assert isinstance(value, int)
    assert parse_number("1.5 million") == NumberValue(1500000, None)
    assert isinstance(parse_number("4.50").value, float)  # type: ignore[union-attr]


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=999_999))
def test_numbers_parse_digits_and_words_round_trip(n: int) -> None:
    assert parse_number(f"{n:,}").value == n  # type: ignore[union-attr]
    assert parse_number(str(n)).value == n  # type: ignore[union-attr]
    assert parse_number(_words(n)).value == n, _words(n)  # type: ignore[union-attr]


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=999_999))
def test_numbers_regex_fragment_matches_whole_number(n: int) -> None:
    """The `num` fragment matches the whole of a number written either way, inside a sentence."""
    rx = re.compile(default_grammar().num, re.IGNORECASE)
    for written in (f"{n:,}", _words(n)):
        m = rx.search(f"They said {written} people came.")
        assert m is not None and m.group(0) == written


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("in COVID-19 wards", None),
        ("a B52 bomber", None),
        ("version 3.5.2", None),
        ("paid $800", "800"),
        ("the 18-hour day", "18"),
    ],
)
def test_numbers_regex_fragment_bounds(text: str, found: str | None) -> None:
    m = re.search(default_grammar().num, text, re.IGNORECASE)
    assert (m.group(0) if m else None) == found


def test_numbers_grammar_rejects_malformed_vocabulary() -> None:
    with pytest.raises(InvalidKnowledge, match=r"number_words\.yaml: 'units'"):
        NumberGrammar({"units": []})
    data = {
        "units": {"one": 1},
        "tens": {"twenty": 20},
        "scales": {"hundred": 100},
        "groups": {"dozen": 12},
        "articles": {"a": 1},
        "suffixes": {"k": 1000},
        "vague": {"tens": 10},
        "vague_quantifiers": {"several": 3},
        "multipliers": {"twice": 2},
        "ordinals": {"first": 1},
        "qualifiers": {"about": "about"},
        "post_qualifiers": {"or more": "at_least"},
        "range_separators": "to",
    }
    with pytest.raises(InvalidKnowledge, match="range_separators"):
        NumberGrammar(data)
    data["range_separators"] = ["to"]
    assert NumberGrammar(data).parse("about twenty-one") == NumberValue(21, "about")
