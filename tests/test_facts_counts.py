"""Facts: counts of workers and other people, and ages; and what is not a count."""

from __future__ import annotations

import itertools
import re

import pytest

from labourlens.model import Fact, Sentence
from labourlens.pipeline.facts import FactExtractor

FX = FactExtractor()


def _facts(text: str) -> list[Fact]:
    cuts = [0, *(m.end() for m in re.finditer(r"(?<=[.!?])\s+(?=[A-Z])", text)), len(text)]
    facts, _ = FX(text, [Sentence(a, b, 0, text[a:b]) for a, b in itertools.pairwise(cuts)])
    for f in facts:
        assert f.quote == text[f.start : f.end]
    return facts


def _counts(text: str) -> list[Fact]:
    return [f for f in _facts(text) if f.kind == "workers_count"]


@pytest.mark.parametrize(
    ("text", "quote", "value", "qualifier", "noun"),
    [
        (
            "More than 12,000 workers arrived last spring.",
            "More than 12,000 workers",
            12000,
            "more_than",
            "workers",
        ),
        (
            "Officials said a total of around 40,000 North Koreans were abroad.",
            "a total of around 40,000 North Koreans",
            40000,
            "about",
            "north koreans",
        ),
        ("Some 3,000 Nepalis were recruited that year.", "Some 3,000 Nepalis", 3000, "about", "nepalis"),
        ("Officials expect 6,000 Uzbeks to be hired.", "6,000 Uzbeks", 6000, None, "uzbeks"),
        (
            "Over 900 Filipino domestic workers signed up.",
            "Over 900 Filipino domestic workers",
            900,
            "more_than",
            "workers",
        ),
        (
            "Hundreds of fishermen were stranded at sea.",
            "Hundreds of fishermen",
            100,
            "more_than",
            "fishermen",
        ),
        (
            "Tens of thousands of migrants moved north.",
            "Tens of thousands of migrants",
            10000,
            "more_than",
            "migrants",
        ),
        ("Twenty-five labourers slept in one shed.", "Twenty-five labourers", 25, None, "labourers"),
        ("Police freed a dozen children from the kiln.", "a dozen children", 12, None, "children"),
        ("The 10 000 migrants had no contracts.", "10 000 migrants", 10000, None, "migrants"),
        (
            "Up to 1.5 million people work in the sector.",
            "Up to 1.5 million people",
            1500000,
            "up_to",
            "people",
        ),
        ("About 300 Vietnamese were found in the hold.", "About 300 Vietnamese", 300, "about", "vietnamese"),
        ("The boat carried 40 crew members.", "40 crew members", 40, None, "crew members"),
        ("In 2019, 2000 workers went on strike.", "2000 workers", 2000, None, "workers"),
    ],
)
def test_facts_workers_count(text: str, quote: str, value: float, qualifier: str | None, noun: str) -> None:
    (fact,) = _counts(text)
    assert (fact.quote, fact.value, fact.qualifier, fact.extra["noun"]) == (quote, value, qualifier, noun)


def test_facts_workers_count_range() -> None:
    (fact,) = _counts("Between 5,000 and 8,000 workers were sent.")
    assert (fact.min, fact.max, fact.value) == (5000, 8000, None)


@pytest.mark.parametrize(
    "text",
    [
        "A 34-year-old worker died on the site.",
        "In 2019 workers went on strike.",
        "Only 40 percent of workers were paid.",
        "They sent 5,000 dollars to the workers' families.",
        "The 18 hours the workers spent there were the worst.",
        "She is 34 years old and has three children.",
        "They bought 300 Chinese phones for the crew.",
        "One of the workers spoke to us.",
    ],
)
def test_facts_workers_count_negatives(text: str) -> None:
    assert not _counts(text)


@pytest.mark.parametrize(
    ("text", "quote", "value", "minor"),
    [
        ("A 15-year-old girl sewed shirts at night.", "15-year-old", 15, True),
        ("A 34-year-old worker died on the site.", "34-year-old", 34, False),
        ("She is 16 years old.", "16 years old", 16, True),
        ("The boy, aged 13, worked the kiln.", "aged 13", 13, True),
        ("Children under the age of 14 picked cotton.", "under the age of 14", 14, True),
    ],
)
def test_facts_age(text: str, quote: str, value: float, minor: bool) -> None:
    (fact,) = [f for f in _facts(text) if f.kind == "age"]
    assert (fact.quote, fact.value, fact.extra["minor"]) == (quote, value, minor)


def test_facts_age_range_and_implausible_age() -> None:
    (fact,) = [f for f in _facts("The boys, aged between 13 and 16, worked the kilns.") if f.kind == "age"]
    assert (fact.min, fact.max, fact.extra["minor"]) == (13, 16, True)
    assert not [f for f in _facts("A 150-year-old building collapsed.") if f.kind == "age"]
