"""Facts: wages (amount or range, ISO 4217 currency, period), deductions, fees and withheld shares."""

from __future__ import annotations

from typing import Any

import pytest

from facts_helpers import extract
from labourlens.model import Fact

MONEY_KINDS = ("wage", "wage_deduction", "recruitment_fee", "debt", "money", "wage_share_withheld")


def _extract(text: str) -> tuple[list[Fact], list[dict[str, Any]]]:
    facts, dropped = extract(text)
    return [f for f in facts if f.kind in MONEY_KINDS], dropped


def _one(text: str) -> Fact:
    facts, _ = _extract(text)
    assert len(facts) == 1, facts
    return facts[0]


@pytest.mark.parametrize(
    ("text", "value", "currency", "per"),
    [
        ("They earned $800 a month on the site.", 800, "USD", "month"),
        ("The job paid 50,000 roubles per month.", 50000, "RUB", "month"),
        ("Migrants were paid 1,200 ringgit a month.", 1200, "MYR", "month"),
        ("Cleaners earned €300 a month.", 300, "EUR", "month"),
        ("She earned £4.50 an hour.", 4.5, "GBP", "hour"),
        ("The wage was Rs 9,000 a month.", 9000, "INR", "month"),
        ("Sewers were paid 8,000 taka monthly.", 8000, "BDT", "month"),
        ("The daily wage was 200,000 dong.", 200000, "VND", "day"),
        ("Drivers earned 1,500 riyals a month.", 1500, "SAR", "month"),
        ("Porters got 1,200 Qatari riyals a month in pay.", 1200, "QAR", "month"),
        ("Builders were paid 2,000 dirhams monthly.", 2000, "AED", "month"),
        ("Seamstresses earned 3,000 yuan a month.", 3000, "CNY", "month"),
        ("Packers earned 2,800 RMB a month.", 2800, "CNY", "month"),
        ("Welders earned 2,500,000 won a month in Ulsan.", 2500000, "KRW", "month"),
        ("Deckhands earned 9,000 baht a month.", 9000, "THB", "month"),
        ("Guards earned 1.5 million won a year.", 1500000, "KRW", "year"),
        ("He was promised a salary of USD 1,500.", 1500, "USD", None),
        ("Nurses earned 1,500 USD a month.", 1500, "USD", "month"),
        ("Cooks were paid 700 Philippine pesos a day.", 700, "PHP", "day"),
        ("The weekly wage was $120.", 120, "USD", "week"),
    ],
)
def test_facts_wages(text: str, value: float, currency: str, per: str | None) -> None:
    fact = _one(text)
    assert (fact.kind, fact.value, fact.currency, fact.per) == ("wage", value, currency, per)


def test_facts_wage_range_equivalent() -> None:
    text = "Each got a monthly allowance of the equivalent of 150 to 250 dollars."
    fact = _one(text)
    assert fact.quote == "monthly allowance of the equivalent of 150 to 250 dollars"
    assert (fact.kind, fact.min, fact.max, fact.value) == ("wage", 150, 250, None)
    assert (fact.currency, fact.per, fact.extra) == ("USD", "month", {"equivalent": True})


def test_facts_wage_range_between_and_promised() -> None:
    fact = _one("Recruiters promised wages of between $300 and $400 a month.")
    assert (fact.kind, fact.min, fact.max, fact.per, fact.extra.get("promised")) == (
        "wage",
        300,
        400,
        "month",
        True,
    )


def test_facts_wage_deduction() -> None:
    fact = _one("The boss deducted 300 dollars for food.")
    assert fact.quote == "deducted 300 dollars for food"
    assert (fact.kind, fact.value, fact.currency, fact.extra["for"]) == ("wage_deduction", 300, "USD", "food")


def test_facts_recruitment_fee_is_not_a_wage() -> None:
    fact = _one("He had to pay $50 for the visa.")
    assert (fact.kind, fact.value, fact.currency, fact.extra["for"]) == ("recruitment_fee", 50, "USD", "visa")
    assert _one("The recruiter charged each of them $3,000.").kind == "recruitment_fee"
    assert _one("They paid fees of up to $4,000.").kind == "recruitment_fee"


def test_facts_debt_and_plain_money() -> None:
    assert _one("She owed the agency $4,500.").kind == "debt"
    fact = _one("The scheme earned millions of euros for the state.")
    assert (fact.kind, fact.value, fact.qualifier, fact.currency) == ("money", 1000000, "more_than", "EUR")
    assert _one("He paid $10 a day for a bed.").kind == "money"


def test_facts_amounts_in_one_sentence_keep_their_own_cues() -> None:
    facts, _ = _extract("He paid $10 a day for a bed, earned $20 a day and was charged $5 a day for water.")
    assert [(f.kind, f.value) for f in facts] == [("money", 10), ("wage", 20), ("wage_deduction", 5)]


@pytest.mark.parametrize(
    ("text", "quote", "value"),
    [
        ("The agency kept 70 percent of their wages.", "kept 70 percent of their wages", 70),
        ("The agency took 30% of each worker's salary.", "took 30% of each worker's salary", 30),
        ("About 80% of their pay was sent to the state.", "About 80% of their pay was sent to", 80),
    ],
)
def test_facts_wage_share_withheld(text: str, quote: str, value: float) -> None:
    fact = _one(text)
    assert (fact.kind, fact.quote, fact.value, fact.unit) == ("wage_share_withheld", quote, value, "percent")


def test_facts_ambiguous_currency_is_dropped_with_reason() -> None:
    text = "Farmhands made 9,000 pesos a month."
    facts, dropped = _extract(text)
    assert not facts
    (drop,) = dropped
    assert drop["quote"] == text[drop["start"] : drop["start"] + len(drop["quote"])]
    assert drop["stage"] == "facts" and drop["kind"] == "wage" and "ambiguous currency" in drop["reason"]


@pytest.mark.parametrize(
    "text",
    [
        "The company won 3 contracts in the region.",
        "Their team of 11 won a match against the guards.",
        "He won 2,000 votes in the union ballot.",
        "They carried 20 pounds of rice to the camp.",
        "Only 2 percent of workers complained.",
    ],
)
def test_facts_money_negatives(text: str) -> None:
    facts, dropped = _extract(text)
    assert not facts
    assert not dropped
