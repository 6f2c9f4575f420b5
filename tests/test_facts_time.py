"""Facts: durations of work and contracts, years and dates."""

from __future__ import annotations

import pytest

from facts_helpers import extract, of_kind

_extract = extract
_kind = of_kind


@pytest.mark.parametrize(
    ("text", "quote", "value", "unit", "of"),
    [
        ("He signed a three-year contract with the firm.", "three-year contract", 3, "year", "contract"),
        ("Crew members were hired on two-year contracts.", "two-year contracts", 2, "year", "contracts"),
        ("She took an 18-month posting abroad.", "18-month posting", 18, "month", "posting"),
        ("They were hired on contracts of two years.", "contracts of two years", 2, "year", "contracts"),
        ("She worked on the farm for 18 months.", "for 18 months", 18, "month", None),
        ("He worked there for two years before fleeing.", "for two years", 2, "year", None),
        ("He spent five years at sea on the trawler.", "spent five years", 5, "year", None),
        ("After six years of unpaid work he fled.", "six years of unpaid work", 6, "year", None),
        ("They worked for more than three months unpaid.", "for more than three months", 3, "month", None),
    ],
)
def test_facts_duration(text: str, quote: str, value: float, unit: str, of: str | None) -> None:
    (fact,) = _kind(text, "duration")
    assert (fact.quote, fact.value, fact.unit, fact.extra.get("of")) == (quote, value, unit, of)


@pytest.mark.parametrize(
    "text",
    [
        "They worked for two days a week.",
        "The ban lasted for two years.",
        "She is 16 years old.",
        "He had two days off a month.",
    ],
)
def test_facts_duration_negatives(text: str) -> None:
    assert not _kind(text, "duration")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("In 2019 the ban came into force.", 2019),
        ("Since 2023 the rules have tightened.", 2023),
        ("The 1998 report said little.", 1998),
        ("In 2000 workers struck across the region.", 2000),
    ],
)
def test_facts_year(text: str, value: int) -> None:
    (fact,) = _kind(text, "year")
    assert (fact.value, fact.quote) == (value, str(value))
    assert not _kind(text, "workers_count")


@pytest.mark.parametrize(
    "text",
    ["It cost $2019 in fees.", "They counted 2019 workers.", "Some 2050 metres of pipe.", "Call 20195."],
)
def test_facts_year_negatives(text: str) -> None:
    assert not _kind(text, "year")


@pytest.mark.parametrize(
    ("text", "quote", "iso"),
    [
        ("The ship left port on 22 December 2017.", "22 December 2017", "2017-12-22"),
        ("The ship left port on December 22, 2017.", "December 22, 2017", "2017-12-22"),
        ("The log says 2017-12-22 at the top.", "2017-12-22", "2017-12-22"),
        ("The raid took place on the 3rd of March 2021.", "3rd of March 2021", "2021-03-03"),
        ("The raid took place in March 2021.", "March 2021", "2021-03"),
        ("It was signed on Sept. 9, 2015.", "Sept. 9, 2015", "2015-09-09"),
    ],
)
def test_facts_date(text: str, quote: str, iso: str) -> None:
    (fact,) = _kind(text, "date")
    assert (fact.quote, fact.extra["date"]) == (quote, iso)
    assert not _kind(text, "year"), "a date's year is not reported again as a year"


def test_facts_date_impossible_is_dropped() -> None:
    _, dropped = _extract("The boat left on 31 February 2020.")
    assert [(d["kind"], d["quote"], d["reason"]) for d in dropped] == [
        ("date", "31 February 2020", "no such date")
    ]
