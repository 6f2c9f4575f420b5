"""Who says each sentence: named witnesses, descriptions, pronouns, quotations, hedges."""

from __future__ import annotations

import pytest

from labourlens.knowledge import load_knowledge
from labourlens.model import Entity
from labourlens.pipeline.attribution import Attributor
from labourlens.pipeline.segment import sentences


def _speakers(text: str, persons: tuple[str, ...] = ()) -> list[tuple[str | None, bool]]:
    entities = []
    for name in persons:
        mentions = []
        start = text.find(name)
        while start >= 0:
            mentions.append((start, start + len(name)))
            start = text.find(name, start + 1)
        entities.append(Entity("person", name, mentions))
    sents = sentences(text)
    atts = Attributor(load_knowledge().cues)(text, sents, entities)
    return [(a.speaker, a.hedged) for a in atts]


@pytest.mark.parametrize(
    ("text", "persons", "expected"),
    [
        ("One of the workers, Asel, said the gate was locked.", ("Asel",), ["Asel"]),
        ("Then Asel's foreman told him he would not be paid.", ("Asel",), ["Asel's foreman"]),
        (
            "A Kenyan nurse who had worked in three households said her papers were kept.",
            (),
            ["A Kenyan nurse"],
        ),
        ("The money came late, a practice that inspectors say is common.", (), ["inspectors"]),
        ("Wages were cut, according to the union.", (), ["the union"]),
        ("The dormitory was locked at night.", (), [None]),
    ],
)
def test_attribution_speaker(text: str, persons: tuple[str, ...], expected: list[str | None]) -> None:
    assert [s for s, _ in _speakers(text, persons)] == expected


def test_attribution_follows_a_testimony_and_its_quotation() -> None:
    text = (
        'Bilal said the agent took his passport. "I borrowed the fee from my uncle. '
        'I still owe him most of it." He said the boss shouted at them every day.\n\n'
        "The company did not answer questions."
    )
    assert [s for s, _ in _speakers(text, ("Bilal",))] == ["Bilal", "Bilal", "Bilal", "Bilal", None]


def test_attribution_hedges() -> None:
    got = _speakers("The recruiter allegedly kept the passports. Pay was late.")
    assert [h for _, h in got] == [True, False]
