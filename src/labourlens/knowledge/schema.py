"""Pydantic models of the knowledge files; validation errors name the file and the key."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PatternSpec(_Strict):
    """A trigger: a regular expression (with {MACRO} references to the lexicon) and its confidence."""

    id: str
    pattern: str
    confidence: float = Field(ge=0.0, le=1.0)
    note: str | None = None


class GuardSpec(_Strict):
    """A pattern that cancels or negates a trigger.

    scope: "match" cancels a trigger whose span overlaps the guard's span (word-sense traps);
           "sentence" applies to every trigger in the sentence (contexts such as a shelter).
    """

    id: str
    pattern: str
    scope: Literal["match", "sentence"] = "match"
    note: str | None = None


class FactRule(_Strict):
    """Evidence from a normalised fact (e.g. hours_per_day >= 12 is excessive overtime)."""

    id: str
    kind: str
    min_value: float | None = None
    max_value: float | None = None
    per: str | None = None
    confidence: float = Field(ge=0.0, le=1.0)


class Examples(_Strict):
    positive: list[str] = Field(min_length=1)
    negative: list[str] = Field(min_length=1)


class IndicatorSpec(_Strict):
    """One ILO indicator, as defined in knowledge/indicators/<key>.yaml.

    anchors: word prefixes (or whole words, ending in "$"); a sentence with none of them is not
    tried against the patterns. A speed gate: every pattern match must contain an anchor word,
    which tests/test_knowledge_anchors.py checks over all the project's sentences.
    """

    format: Literal["labourlens.indicator/1"]
    key: str
    label: str
    dimension: Literal["involuntariness", "coercion"]
    source: str
    description: str
    anchors: list[str] = Field(default_factory=list)
    patterns: list[PatternSpec] = Field(min_length=1)
    traps: list[GuardSpec] = Field(default_factory=list)
    negations: list[GuardSpec] = Field(default_factory=list)
    contexts: list[GuardSpec] = Field(default_factory=list)
    fact_rules: list[FactRule] = Field(default_factory=list)
    examples: Examples


class Condition(_Strict):
    """When a legal instrument applies; every key given must hold."""

    nationality_any: list[str] | None = None
    worked_abroad: bool | None = None
    forced_labour_in: list[Literal["indicated", "possible", "not_indicated"]] | None = None
    mentions_any: list[str] | None = None
    indicators_any: list[str] | None = None
    sectors_any: list[str] | None = None
    place_country_any: list[str] | None = None


class InstrumentSpec(_Strict):
    id: str
    instrument: str
    summary: str
    why: str
    when: Condition


class LegalFile(_Strict):
    format: Literal["labourlens.legal/1"]
    instruments: list[InstrumentSpec] = Field(min_length=1)


class CueFile(_Strict):
    """Attribution, hedging and negation cues (knowledge/cues.yaml)."""

    format: Literal["labourlens.cues/1"]
    speech_verbs: list[str]
    hedges: list[str]
    negators: list[str]
    negation_breakers: list[str]
    speaker_nouns: list[str]
    pronouns: list[str]
