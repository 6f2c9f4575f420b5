"""Facts: working hours per day and per week, stated or derived from clock times."""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest

from labourlens.model import Fact, Sentence
from labourlens.pipeline.facts import FactExtractor

FX = FactExtractor()


def _sentences(text: str) -> list[Sentence]:
    """Sentences split by a simple rule: after . ! ? before a capital letter, and at line breaks."""
    cuts = [0, *(m.end() for m in re.finditer(r"(?<=[.!?])\s+(?=[A-Z])|\n+", text)), len(text)]
    return [Sentence(a, b, 0, text[a:b]) for a, b in itertools.pairwise(cuts) if text[a:b].strip()]


def _extract(text: str) -> tuple[list[Fact], list[dict[str, Any]]]:
    facts, dropped = FX(text, _sentences(text))
    for f in facts:
        assert f.quote == text[f.start : f.end]
    return facts, dropped


def _kind(text: str, kind: str) -> list[Fact]:
    return [f for f in _extract(text)[0] if f.kind == kind]


@pytest.mark.parametrize(
    ("text", "quote", "value", "qualifier"),
    [
        ("On the trawler they worked more than 18 hours a day.", "more than 18 hours a day", 18, "more_than"),
        ("She sewed 16 hours per day in the back room.", "16 hours per day", 16, None),
        ("The kiln crews put in nearly 15 hours daily.", "nearly 15 hours daily", 15, "about"),
        ("Pickers said they toiled almost 19 hours a day.", "almost 19 hours a day", 19, "about"),
        ("Cooks stayed at least 13 hours each day.", "at least 13 hours each day", 13, "at_least"),
        ("Loaders often worked about twelve hours a day.", "about twelve hours a day", 12, "about"),
        ("The welders pulled 16-hour shifts all winter.", "16-hour shifts", 16, None),
        ("He described a 15-hour day in the quarry.", "15-hour day", 15, None),
        ("They faced eighteen-hour working days.", "eighteen-hour working days", 18, None),
        ("Each day they toiled for up to 20 hours with barely a pause.", "up to 20 hours", 20, "up_to"),
    ],
)
def test_facts_hours_per_day_stated(text: str, quote: str, value: float, qualifier: str | None) -> None:
    (fact,) = _kind(text, "hours_per_day")
    assert (fact.quote, fact.value, fact.qualifier) == (quote, value, qualifier)


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        ("The dishwashers worked 12 to 14 hours a day.", "12 to 14 hours a day"),
        ("Shifts ran 12-14 hours daily in the harvest.", "12-14 hours daily"),
        ("They were on their feet between 12 and 14 hours a day.", "between 12 and 14 hours a day"),
        ("The crew worked 12- to 14-hour shifts.", "12- to 14-hour shifts"),
    ],
)
def test_facts_hours_per_day_range(text: str, quote: str) -> None:
    (fact,) = _kind(text, "hours_per_day")
    assert (fact.quote, fact.min, fact.max, fact.value) == (quote, 12, 14, None)


@pytest.mark.parametrize(
    ("text", "value", "span", "quote"),
    [
        (
            "Work began at five in the morning and ended at one in the next morning, they said.",
            20,
            "05:00-01:00",
            "began at five in the morning and ended at one in the next morning",
        ),
        ("Guards kept the cooks working from 7am until 11pm.", 16, "07:00-23:00", "from 7am until 11pm"),
        ("The shifts ran from 6 a.m. to 11 p.m. at the plant.", 17, "06:00-23:00", "from 6 a.m. to 11 p.m."),
        ("Cleaners started work at 22:00 and finished at 06:30.", 8.5, "22:00-06:30", None),
        ("The pickers worked from seven in the evening until midnight.", 5, "19:00-00:00", None),
        ("The night crew worked from 10pm to 8am.", 10, "22:00-08:00", None),
        ("Staff worked from 9 o'clock in the morning to ten at night.", 13, "09:00-22:00", None),
    ],
)
def test_facts_hours_per_day_from_clock_span(text: str, value: float, span: str, quote: str | None) -> None:
    (fact,) = _kind(text, "hours_per_day")
    assert fact.value == value
    assert fact.extra["derived_from"] == span
    if quote:
        assert fact.quote == quote


def test_facts_hours_unclear_spans_are_dropped_not_invented() -> None:
    facts, dropped = _extract("They worked from dawn to dusk. Later they worked from 7 to 11pm.")
    assert not [f for f in facts if f.kind == "hours_per_day"]
    reasons = {d["quote"]: d["reason"] for d in dropped}
    assert set(reasons) == {"from dawn to dusk", "from 7 to 11pm"}
    assert all(d["stage"] == "facts" and d["kind"] == "hours_per_day" for d in dropped)


def test_facts_hours_impossible_day_is_dropped_with_reason() -> None:
    text = "The workers claimed 30 hours a day."
    facts, dropped = _extract(text)
    assert not facts
    assert dropped[0]["quote"] == "30 hours a day"
    assert dropped[0]["start"] == text.index("30")
    assert "24" in dropped[0]["reason"]


@pytest.mark.parametrize(
    ("text", "quote", "value"),
    [
        ("Many were on site 72 hours a week.", "72 hours a week", 72),
        ("Sixty-hour weeks were normal in the mill.", "Sixty-hour weeks", 60),
        ("They did 84 hours per week in peak season.", "84 hours per week", 84),
    ],
)
def test_facts_hours_per_week(text: str, quote: str, value: float) -> None:
    (fact,) = _kind(text, "hours_per_week")
    assert (fact.quote, fact.value, fact.per) == (quote, value, "week")
    assert not _kind(text, "hours_per_day")


@pytest.mark.parametrize(
    "text",
    [
        "The 24-hour news channel covered the raid.",
        "Inspectors arrived 48 hours later.",
        "The shelter opens from 9am to 5pm for visitors.",
        "Prices rose from 7 to 11 percent during the year.",
        "They worked 48 hours straight without sleep.",
    ],
)
def test_facts_hours_negatives(text: str) -> None:
    facts, dropped = _extract(text)
    assert not [f for f in facts if f.kind.startswith("hours")]
    assert not dropped
