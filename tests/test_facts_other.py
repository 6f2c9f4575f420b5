"""Facts: fall heights, pay ratios and group-size rules."""

from __future__ import annotations

from typing import Any

import pytest

from facts_helpers import extract, of_kind

_extract = extract
_kind = of_kind


@pytest.mark.parametrize(
    ("text", "quote", "value"),
    [
        ("A welder fell four meters from the scaffold.", "fell four meters", 4),
        ("He fell from a height of 12 metres.", "fell from a height of 12 metres", 12),
        ("One roofer fell 6m onto concrete.", "fell 6m", 6),
        ("She survived a 10-metre fall.", "10-metre fall", 10),
    ],
)
def test_facts_fall_height(text: str, quote: str, value: float) -> None:
    (fact,) = _kind(text, "fall_height")
    assert (fact.quote, fact.value, fact.unit) == (quote, value, "m")


def test_facts_fall_height_in_feet_is_converted() -> None:
    (fact,) = _kind("He fell 12 feet from a ladder.", "fall_height")
    assert (fact.value, fact.unit, fact.extra["stated"]) == (3.66, "m", "12 ft")


def test_facts_fall_from_a_floor_is_dropped() -> None:
    facts, dropped = _extract("A cleaner fell from the third floor.")
    assert not facts
    assert [(d["kind"], d["quote"]) for d in dropped] == [("fall_height", "fell from the third floor")]


@pytest.mark.parametrize(
    ("text", "value", "extra"),
    [
        (
            "Others were being paid five times more for three times less work.",
            5,
            {"direction": "more", "work_ratio": 3, "work_direction": "less"},
        ),
        ("Local hires earned three times more than them.", 3, {"direction": "more"}),
        ("They were paid only half as much as local staff.", 0.5, {"direction": "as_much"}),
    ],
)
def test_facts_pay_ratio(text: str, value: float, extra: dict[str, Any]) -> None:
    (fact,) = _kind(text, "pay_ratio")
    assert (fact.value, fact.extra) == (value, extra)


@pytest.mark.parametrize(
    ("text", "quote", "value", "qualifier"),
    [
        ("They may go out only in groups of four or more.", "only in groups of four or more", 4, "at_least"),
        (
            "Workers were allowed to leave in groups of at least three.",
            "in groups of at least three",
            3,
            "at_least",
        ),
        ("Before that, they were allowed out in pairs.", "in pairs", 2, None),
    ],
)
def test_facts_group_size_rule(text: str, quote: str, value: float, qualifier: str | None) -> None:
    (fact,) = _kind(text, "group_size_rule")
    assert (fact.quote, fact.value, fact.qualifier) == (quote, value, qualifier)


def test_facts_group_size_needs_a_rule_about_moving() -> None:
    assert not _kind("The pickers worked in groups of five.", "group_size_rule")
