"""Rebuild an `Analysis` from its stored `labourlens.analysis/1` JSON and the document's text."""

from __future__ import annotations

from typing import Any

from labourlens.errors import StoreError
from labourlens.model import Analysis, Assessment, Entity, Evidence, Fact, IndicatorResult
from labourlens.model.analysis import LegalHook

__all__ = ["analysis_from_dict"]

_FACT_KEYS = ("kind", "start", "end", "quote", "value", "min", "max", "unit", "per", "currency", "qualifier")
_ENTITY_KEYS = ("type", "name", "mentions", "country", "role")


def _evidence(raw: dict[str, Any]) -> Evidence:
    return Evidence(
        start=int(raw["start"]),
        end=int(raw["end"]),
        quote=str(raw["quote"]),
        confidence=float(raw["confidence"]),
        negated=bool(raw.get("negated", False)),
        hedged=bool(raw.get("hedged", False)),
        speaker=raw.get("speaker"),
        source=str(raw.get("source", "")),
    )


def _fact(raw: dict[str, Any]) -> Fact:
    numbers = {k: (float(raw[k]) if raw.get(k) is not None else None) for k in ("value", "min", "max")}
    return Fact(
        kind=str(raw["kind"]),
        start=int(raw["start"]),
        end=int(raw["end"]),
        quote=str(raw["quote"]),
        value=numbers["value"],
        min=numbers["min"],
        max=numbers["max"],
        unit=raw.get("unit"),
        per=raw.get("per"),
        currency=raw.get("currency"),
        qualifier=raw.get("qualifier"),
        extra={k: v for k, v in raw.items() if k not in _FACT_KEYS},
    )


def _entity(raw: dict[str, Any]) -> Entity:
    return Entity(
        type=str(raw["type"]),
        name=str(raw["name"]),
        mentions=[(int(s), int(e)) for s, e in raw.get("mentions", [])],
        country=raw.get("country"),
        role=raw.get("role"),
        extra={k: v for k, v in raw.items() if k not in _ENTITY_KEYS},
    )


def _assessment(raw: dict[str, Any]) -> Assessment:
    return Assessment(
        forced_labour=str(raw["forced_labour"]),
        involuntariness=list(raw.get("involuntariness", [])),
        coercion=list(raw.get("coercion", [])),
        reasons=list(raw.get("reasons", [])),
        legal=[
            LegalHook(
                instrument=h["instrument"], id=h["id"], why=h["why"], evidence=list(h.get("evidence", []))
            )
            for h in raw.get("legal", [])
        ],
    )


def analysis_from_dict(data: dict[str, Any], text: str) -> Analysis:
    """The Analysis that `data` (Analysis.to_dict(include_text=False)) describes, over `text`.

    data: the stored JSON; text: the document's normalised text that every offset points into.
    Raises StoreError when the JSON is not a labourlens.analysis/1 object.
    """
    try:
        return Analysis(
            id=str(data["id"]),
            language=str(data["language"]),
            text=text,
            indicators=[
                IndicatorResult(
                    indicator=str(i["indicator"]),
                    confidence=float(i["confidence"]),
                    dimension=str(i["dimension"]),
                    evidence=[_evidence(e) for e in i.get("evidence", [])],
                )
                for i in data.get("indicators", [])
            ],
            facts=[_fact(f) for f in data.get("facts", [])],
            entities=[_entity(e) for e in data.get("entities", [])],
            assessment=_assessment(data["assessment"]),
            metadata=dict(data.get("metadata", {})),
            pipeline=dict(data.get("pipeline", {})),
            dropped=list(data.get("dropped", [])),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise StoreError(
            f"A stored analysis of '{data.get('id', '?')}' is malformed ({type(exc).__name__}: {exc}).",
            hint="Run `labourlens reanalyze --all` to analyse the stored documents afresh.",
        ) from exc
