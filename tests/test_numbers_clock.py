"""Clock times in digits and words, read into minutes after midnight."""

from __future__ import annotations

import re

import pytest

from labourlens.pipeline.numbers import ClockGrammar, UnitsFile, default_grammar, load_validated


@pytest.fixture(scope="module")
def clock() -> ClockGrammar:
    units = load_validated(UnitsFile, "units.yaml", "labourlens.units/1")
    return ClockGrammar(units.clock, default_grammar().units)


@pytest.mark.parametrize(
    ("raw", "minutes"),
    [
        ("7am", 7 * 60),
        ("7 a.m.", 7 * 60),
        ("11pm", 23 * 60),
        ("12pm", 12 * 60),
        ("12am", 0),
        ("7:30 pm", 19 * 60 + 30),
        ("19:30", 19 * 60 + 30),
        ("07:00", 7 * 60),
        ("six in the morning", 6 * 60),
        ("two in the next morning", 2 * 60),
        ("eight in the evening", 20 * 60),
        ("ten at night", 22 * 60),
        ("two at night", 2 * 60),
        ("9 o'clock in the morning", 9 * 60),
        ("midnight", 0),
        ("noon", 12 * 60),
    ],
)
def test_numbers_clock_minutes(clock: ClockGrammar, raw: str, minutes: int) -> None:
    assert clock.minutes(raw) == minutes
    assert re.fullmatch(clock.time, raw, re.IGNORECASE), "the TIME fragment matches what minutes() reads"


@pytest.mark.parametrize(
    "raw", ["7", "seven", "7:00", "9 o'clock", "13pm", "25:00", "thirteen in the morning"]
)
def test_numbers_clock_unsure_times_give_none(clock: ClockGrammar, raw: str) -> None:
    assert clock.minutes(raw) is None
