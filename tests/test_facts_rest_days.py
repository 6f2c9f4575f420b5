"""Facts: rest days (days off), stated, denied ("no day off") or derived ("seven days a week")."""

from __future__ import annotations

import itertools
import re

import pytest

from labourlens.model import Fact, Sentence
from labourlens.pipeline.facts import FactExtractor

FX = FactExtractor()


def _rest(text: str) -> list[Fact]:
    cuts = [0, *(m.end() for m in re.finditer(r"(?<=[.!?])\s+(?=[A-Z])", text)), len(text)]
    facts, _ = FX(text, [Sentence(a, b, 0, text[a:b]) for a, b in itertools.pairwise(cuts)])
    for f in facts:
        assert f.quote == text[f.start : f.end]
    return [f for f in facts if f.kind == "rest_days"]


@pytest.mark.parametrize(
    ("text", "quote", "value", "per"),
    [
        ("The fishermen got only two days off a year.", "only two days off a year", 2, "year"),
        ("She had one day off a month at the farm.", "one day off a month", 1, "month"),
        ("The contract promised one rest day per week.", "one rest day per week", 1, "week"),
        ("The crew had two rest days a year.", "two rest days a year", 2, "year"),
        ("They were given a day off each week.", "a day off each week", 1, "week"),
        ("Maids get three days of rest a month.", "three days of rest a month", 3, "month"),
        ("There was no day off.", "no day off", 0, "week"),
        ("They had no rest days at all.", "no rest days", 0, "week"),
        ("He worked for months without a single day off.", "without a single day off", 0, "week"),
        ("She said she never had a day off in a year.", "never had a day off in a year", 0, "year"),
        ("Not a single day off was allowed.", "Not a single day off", 0, "week"),
    ],
)
def test_facts_rest_days(text: str, quote: str, value: float, per: str) -> None:
    (fact,) = _rest(text)
    assert (fact.quote, fact.value, fact.per) == (quote, value, per)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("They worked seven days a week.", 0),
        ("The packers worked six days a week.", 1),
        ("Miners faced seven-day weeks underground.", 0),
    ],
)
def test_facts_rest_days_derived_from_working_week(text: str, value: float) -> None:
    (fact,) = _rest(text)
    assert (fact.value, fact.per) == (value, "week")
    assert "derived_from" in fact.extra


def test_facts_rest_days_every_two_weeks() -> None:
    (fact,) = _rest("She had one day off every two weeks.")
    assert (fact.value, fact.per, fact.extra["per_count"]) == (1, "week", 2)


def test_facts_rest_days_range() -> None:
    (fact,) = _rest("The men had one or two days off a month.")
    assert (fact.min, fact.max, fact.per) == (1, 2, "month")


@pytest.mark.parametrize(
    "text",
    [
        "The office is open seven days a week.",
        "Workers were allowed to leave the site once a month.",
        "Two days later the inspectors came back.",
    ],
)
def test_facts_rest_days_negatives(text: str) -> None:
    assert not _rest(text)
