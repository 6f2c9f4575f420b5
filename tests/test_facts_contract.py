"""Facts: the contract every result keeps (quotes, order, sentences, dropped), the knowledge
files' own examples, and typed errors for malformed knowledge."""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from labourlens.errors import InvalidKnowledge
from labourlens.model import Fact, Sentence
from labourlens.pipeline import facts as facts_module
from labourlens.pipeline.facts import FactExtractor, PatternFile, pattern_examples

FX = FactExtractor()

POOL = (
    "The pickers worked more than 17 hours a day in the greenhouses.",
    "Shifts started at five in the morning and finished at midnight.",
    "They had one day off a month, and sometimes no day off at all.",
    "Each received a monthly allowance of the equivalent of 90 to 160 dollars.",
    "The broker took $1,200 for the visa and deducted 300 dollars for food.",
    "More than 8,000 workers were sent abroad in 2021; around 30,000 Nepalis followed.",
    "A 15-year-old boy fell six meters from the roof on 4 May 2022.",
    "Locals were paid three times more for half the work.",
    "They could leave only in groups of four or more.",
    "The company won 3 contracts and opened a 24-hour hotline.",
    "Farmhands made 9,000 pesos a month, they worked from dawn to dusk.",
    "Mr. Rahman signed a two-year contract on Jan. 5, 2020.",
    "Nothing in this sentence is a number.",
    "“We worked 12-14 hours daily,” she said — “for 18 months.”",
)


def _sentences(text: str) -> list[Sentence]:
    cuts = [0, *(m.end() for m in re.finditer(r"(?<=[.!?”])\s+(?=[A-Z“])|\n+", text)), len(text)]
    return [Sentence(a, b, 0, text[a:b]) for a, b in itertools.pairwise(cuts) if a < b]


def _check(text: str, sents: list[Sentence], found: list[Fact], dropped: list[dict[str, Any]]) -> None:
    for f in found:
        assert f.quote == text[f.start : f.end] and f.quote.strip() == f.quote and f.quote
        assert any(s.start <= f.start and f.end <= s.end for s in sents), "a quote stays within one sentence"
    assert found == sorted(found, key=lambda f: (f.start, f.kind, f.end))
    by_kind: dict[str, list[Fact]] = {}
    for f in found:
        for g in by_kind.setdefault(f.kind, []):
            assert g.end <= f.start, f"two {f.kind} facts overlap: {g.quote!r} / {f.quote!r}"
        by_kind[f.kind].append(f)
    for d in dropped:
        assert set(d) == {"stage", "kind", "quote", "start", "reason"}
        assert d["stage"] == "facts" and d["kind"] and d["reason"]
        assert text[d["start"] : d["start"] + len(d["quote"])] == d["quote"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(POOL), min_size=1, max_size=8),
    st.lists(st.sampled_from([" ", "  ", "\n", "\n\n", " \n"]), min_size=8, max_size=8),
)
def test_facts_contract_on_composed_documents(parts: list[str], seps: list[str]) -> None:
    text = "".join(p + sep for p, sep in zip(parts, seps, strict=False)).strip()
    sents = _sentences(text)
    found, dropped = FX(text, sents)
    _check(text, sents, found, dropped)
    assert FX(text, sents) == (found, dropped), "the same input gives the same output"


@settings(max_examples=80, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abcdefghij ,.-$€%'0123456789ADMT\n")), max_size=200))
def test_facts_contract_on_noise(text: str) -> None:
    sents = _sentences(text)
    found, dropped = FX(text, sents)
    _check(text, sents, found, dropped)


def test_facts_contract_offsets_point_into_the_whole_text() -> None:
    head = "Headline without facts\n\n"
    body = "The crew worked 16 hours a day. They had no day off."
    text = head + body
    found, _ = FX(text, _sentences(text))
    assert [(f.kind, f.quote) for f in found] == [
        ("hours_per_day", "16 hours a day"),
        ("rest_days", "no day off"),
    ]
    assert found[0].start == text.index("16 hours")


def test_facts_contract_sentence_bounds_are_respected() -> None:
    text = "They worked 16 hours. A day later they left."
    found, _ = FX(text, _sentences(text))
    assert not [f for f in found if f.kind == "hours_per_day"], "no quote runs across two sentences"
    found, _ = FX("They worked 16 hours a day.", [])
    assert [f.value for f in found] == [16], "with no sentences the whole text counts as one"


def test_facts_contract_to_dict_matches_the_output_contract() -> None:
    text = "They were only given two days off a year."
    (fact,) = FX(text, _sentences(text))[0]
    assert fact.to_dict() == {
        "kind": "rest_days",
        "value": 2,
        "per": "year",
        "start": text.index("two"),
        "end": text.index(" a year") + len(" a year"),
        "quote": "two days off a year",
    }


@pytest.mark.parametrize(("pattern_id", "kind", "example"), pattern_examples())
def test_facts_knowledge_examples_find_their_kind(pattern_id: str, kind: str, example: str) -> None:
    found, dropped = FX(example, _sentences(example))
    kinds = {f.kind for f in found} | {d["kind"] for d in dropped}
    rules = {r.spec.id: r.spec for r in facts_module._load_rules().rules}
    wanted = set(rules[pattern_id].kind_by_per.values()) or {kind}
    if rules[pattern_id].handler == "money":
        wanted = {"wage", "wage_deduction", "recruitment_fee", "debt", "money"}
    assert kinds & wanted, f"{pattern_id}: {example!r} gave {kinds}"


def _patched_rules(monkeypatch: pytest.MonkeyPatch, change: dict[str, Any]) -> None:
    real = facts_module.load_validated

    def fake(model: Any, name: str, fmt: str) -> Any:
        got = real(model, name, fmt)
        if model is PatternFile:
            data = got.model_dump()
            data["patterns"][0].update(change)
            return PatternFile.model_validate(data)
        return got

    monkeypatch.setattr(facts_module, "load_validated", fake)
    facts_module._load_rules.__wrapped__()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"regex": "{NUM} {NOPE}"}, r"patterns.yaml: pattern 'hours_per_period': unknown macro \{NOPE\}"),
        ({"regex": "(unclosed"}, r"patterns.yaml: pattern 'hours_per_period': bad regular expression"),
        ({"requires": ["weather"]}, r"patterns.yaml: pattern 'hours_per_period': unknown cue 'weather'"),
        ({"trigger": ["{NOPE}"]}, r"patterns.yaml: pattern 'hours_per_period': trigger: unknown word list"),
    ],
)
def test_facts_knowledge_errors_name_file_and_pattern(
    monkeypatch: pytest.MonkeyPatch, change: dict[str, Any], message: str
) -> None:
    with pytest.raises(InvalidKnowledge, match=message):
        _patched_rules(monkeypatch, change)


def test_facts_knowledge_schema_errors_name_the_key() -> None:
    from labourlens.pipeline.numbers import load_validated

    with pytest.raises(InvalidKnowledge, match=r"knowledge/facts/units.yaml: format"):
        load_validated(PatternFile, "units.yaml", "labourlens.units/1")
