"""Sentence and paragraph splitting (pipeline.segment): boundaries and exact offsets."""

from __future__ import annotations

import pytest

from labourlens.model import Sentence
from labourlens.pipeline.segment import paragraphs, sentences


def _split(text: str) -> list[Sentence]:
    """Sentences of text, after checking that each one's offsets give back its text."""
    out = sentences(text)
    for s in out:
        assert text[s.start : s.end] == s.text
        assert s.text == s.text.strip() and s.text
    return out


def _texts(text: str) -> list[str]:
    return [s.text for s in _split(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Mr. Okafor met Dr. Lindqvist in Warsaw. They spoke for an hour.",
            ["Mr. Okafor met Dr. Lindqvist in Warsaw.", "They spoke for an hour."],
        ),
        (
            "The U.S. Department of Labor listed the goods. Brazil was named too.",
            ["The U.S. Department of Labor listed the goods.", "Brazil was named too."],
        ),
        (
            "The contract began on Jan. 14 and ran to Sept. 30. Nobody was paid.",
            ["The contract began on Jan. 14 and ran to Sept. 30.", "Nobody was paid."],
        ),
        (
            "They lived in Block No. 7 near the port. It had no windows.",
            ["They lived in Block No. 7 near the port.", "It had no windows."],
        ),
        (
            "Workers from abroad, e.g. Kenya and Nepal, were hired. Others were local.",
            ["Workers from abroad, e.g. Kenya and Nepal, were hired.", "Others were local."],
        ),
        (
            "The agent, T. R. Haddad, kept the papers. He denied it.",
            ["The agent, T. R. Haddad, kept the papers.", "He denied it."],
        ),
        (
            "Each earned 3.5 dollars an hour. That was the legal minimum.",
            ["Each earned 3.5 dollars an hour.", "That was the legal minimum."],
        ),
    ],
)
def test_segment_abbreviations_do_not_end_sentences(text: str, expected: list[str]) -> None:
    assert _texts(text) == expected


def test_segment_quotes_stay_with_their_attribution() -> None:
    text = '"We had no choice," he said. "They kept everything." Then he walked away.'
    got = _split(text)
    assert [s.text for s in got] == [
        '"We had no choice," he said.',
        '"They kept everything."',
        "Then he walked away.",
    ]
    assert [(s.start, s.end) for s in got] == [(0, 28), (29, 52), (53, 73)]


def test_segment_curly_quotes_close_the_sentence() -> None:
    text = "\u201cWe were locked in.\u201d The manager denied it."
    assert _texts(text) == ["\u201cWe were locked in.\u201d", "The manager denied it."]


def test_segment_headline_without_full_stop_is_its_own_sentence() -> None:
    text = "Migrant crews stranded at sea\n\nThe boat had not docked for months. Food ran out."
    got = _split(text)
    assert [s.text for s in got] == [
        "Migrant crews stranded at sea",
        "The boat had not docked for months.",
        "Food ran out.",
    ]
    assert [s.paragraph for s in got] == [0, 1, 1]
    assert got[1].start == text.index("The boat")


def test_segment_headline_on_the_line_before_the_body() -> None:
    text = "Workers describe long shifts\nThe men said they rested one day a month."
    assert _texts(text) == ["Workers describe long shifts", "The men said they rested one day a month."]


def test_segment_bullets_are_one_sentence_each() -> None:
    text = "The union asked for:\n- wages paid monthly\n- two rest days\n* passports returned\n\nTalks go on."
    got = _split(text)
    assert [s.text for s in got] == [
        "The union asked for:",
        "- wages paid monthly",
        "- two rest days",
        "* passports returned",
        "Talks go on.",
    ]
    assert [s.paragraph for s in got] == [0, 0, 0, 0, 1]


def test_segment_numbered_list_items_split_even_in_lower_case() -> None:
    text = "Findings\n1. passports were held\n2. wages were late"
    assert _texts(text) == ["Findings", "1. passports were held", "2. wages were late"]


def test_segment_hard_wrapped_lines_join_into_one_sentence() -> None:
    text = (
        "The workers said that the company had\nkept their passports for the whole\n"
        "of the contract. They left."
    )
    got = _split(text)
    assert [s.text for s in got] == [
        "The workers said that the company had\nkept their passports for the whole\nof the contract.",
        "They left.",
    ]
    assert (got[0].start, got[0].end) == (0, 89)
    assert (got[1].start, got[1].end) == (90, 100)


def test_segment_sentence_broken_by_blank_line_continues_in_lower_case() -> None:
    text = "The men were locked in the\n\ndormitory every night. Nobody came.\n\nA new paragraph."
    assert paragraphs(text)[0].start == 0
    assert len(paragraphs(text)) == 2
    got = _split(text)
    assert [s.text for s in got] == [
        "The men were locked in the\n\ndormitory every night.",
        "Nobody came.",
        "A new paragraph.",
    ]
    assert [s.paragraph for s in got] == [0, 0, 1]


def test_segment_blank_line_after_full_stop_starts_a_paragraph_even_in_lower_case() -> None:
    text = "They were paid nothing.\n\nlater that year the site closed."
    got = _split(text)
    assert [s.text for s in got] == ["They were paid nothing.", "later that year the site closed."]
    assert [s.paragraph for s in got] == [0, 1]


def test_segment_offsets_skip_surrounding_whitespace() -> None:
    text = "  \n\n  First one.   Second one.  \n\n\n   Third one.\n  "
    got = _split(text)
    assert [(s.start, s.end, s.paragraph) for s in got] == [
        (6, 16, 0),
        (19, 30, 0),
        (38, 48, 1),
    ]


def test_segment_empty_and_blank_text_have_no_sentences() -> None:
    assert sentences("") == []
    assert sentences(" \n\n \t ") == []
    assert paragraphs("") == []


def test_segment_question_and_exclamation_end_sentences() -> None:
    text = "Who held the keys? Nobody would say! The gate stayed shut."
    assert _texts(text) == ["Who held the keys?", "Nobody would say!", "The gate stayed shut."]


def test_segment_lower_case_after_full_stop_does_not_split() -> None:
    text = "They were paid approx. three dollars a day. It was not enough."
    assert _texts(text) == ["They were paid approx. three dollars a day.", "It was not enough."]
