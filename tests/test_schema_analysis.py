"""The JSON Schema of labourlens.analysis/1 against hand-built analyses."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from labourlens.model.analysis import INDICATOR_KEYS, SCHEMA_ID
from labourlens.model.schema import load_schema
from render_samples import brickworks, german, hostile

jsonschema = pytest.importorskip("jsonschema")


@pytest.fixture(scope="module")
def validator() -> Any:
    schema = load_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def _errors(validator: Any, data: dict[str, Any]) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]


def test_schema_load_is_draft_2020_12_and_names_contract() -> None:
    schema = load_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["properties"]["schema"] == {"const": SCHEMA_ID}
    assert tuple(schema["$defs"]["indicatorKey"]["enum"]) == INDICATOR_KEYS


def test_schema_load_returns_a_fresh_copy() -> None:
    first = load_schema()
    first["properties"].clear()
    assert load_schema()["properties"], "a caller's change must not leak into later loads"


@pytest.mark.parametrize("make", [brickworks, german, hostile])
@pytest.mark.parametrize("include_text", [True, False])
def test_schema_accepts_hand_built_analysis(validator: Any, make: Any, include_text: bool) -> None:
    data = json.loads(json.dumps(make().to_dict(include_text=include_text)))
    assert ("text" in data) is include_text
    assert _errors(validator, data) == []


def _sample() -> dict[str, Any]:
    return json.loads(json.dumps(brickworks().to_dict()))


def _mutations() -> list[tuple[str, Any]]:
    def wrong_key(d: dict[str, Any]) -> None:
        d["indicators"][0]["indicator"] = "forced_overtime"

    def missing_quote(d: dict[str, Any]) -> None:
        del d["indicators"][0]["evidence"][0]["quote"]

    def wrong_status(d: dict[str, Any]) -> None:
        d["assessment"]["forced_labour"] = "likely"

    def wrong_schema(d: dict[str, Any]) -> None:
        d["schema"] = "labourlens.analysis/2"

    def only_negated(d: dict[str, Any]) -> None:
        for e in d["indicators"][0]["evidence"]:
            e["negated"] = True

    def fact_without_offsets(d: dict[str, Any]) -> None:
        del d["facts"][0]["start"]

    def entity_without_mentions(d: dict[str, Any]) -> None:
        del d["entities"][0]["mentions"]

    def bad_mention(d: dict[str, Any]) -> None:
        d["entities"][0]["mentions"] = [[1, 2, 3]]

    def unknown_coercion_key(d: dict[str, Any]) -> None:
        d["assessment"]["coercion"].append("slavery")

    def confidence_above_one(d: dict[str, Any]) -> None:
        d["indicators"][0]["evidence"][0]["confidence"] = 1.5

    def missing_speaker(d: dict[str, Any]) -> None:
        del d["indicators"][0]["evidence"][0]["speaker"]

    def unknown_top_level(d: dict[str, Any]) -> None:
        d["verdict"] = "guilty"

    return [
        (f.__name__, f)
        for f in (
            wrong_key,
            missing_quote,
            wrong_status,
            wrong_schema,
            only_negated,
            fact_without_offsets,
            entity_without_mentions,
            bad_mention,
            unknown_coercion_key,
            confidence_above_one,
            missing_speaker,
            unknown_top_level,
        )
    ]


@pytest.mark.parametrize(("name", "mutate"), _mutations(), ids=[n for n, _ in _mutations()])
def test_schema_rejects_broken_analysis(validator: Any, name: str, mutate: Any) -> None:
    data = _sample()
    assert _errors(validator, data) == []
    broken = copy.deepcopy(data)
    mutate(broken)
    assert _errors(validator, broken), f"{name} should be rejected"


def test_schema_allows_extra_keys_on_facts_and_metadata(validator: Any) -> None:
    data = _sample()
    data["facts"][0]["equivalent"] = {"currency": "USD", "value": 3}
    data["metadata"]["fetched"] = "2024-05-01"
    assert _errors(validator, data) == []


def test_schema_accepts_contract_example_shapes(validator: Any) -> None:
    """The shapes shown in ARCHITECTURE.md section 4 (speaker null, no hedged/source, no dimension)."""
    data = _sample()
    data["indicators"] = [
        {
            "indicator": "excessive_overtime",
            "confidence": 0.97,
            "evidence": [
                {
                    "start": 812,
                    "end": 905,
                    "quote": "x" * 93,
                    "confidence": 0.95,
                    "negated": False,
                    "speaker": None,
                }
            ],
        }
    ]
    data["assessment"]["legal"] = [
        {"instrument": "UNSC resolution 2397 (2017), para 8", "why": "DPRK workers"}
    ]
    assert _errors(validator, data) == []
