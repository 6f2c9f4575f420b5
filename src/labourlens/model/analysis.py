"""Result types of one document's analysis, and their JSON form.

Every offset points into `Analysis.text`, the normalised text; every quote equals
`text[start:end]`. `to_dict()` gives the `labourlens.analysis/1` contract, whose JSON Schema
ships beside this module (`analysis-1.schema.json`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SCHEMA_ID = "labourlens.analysis/1"

INDICATOR_KEYS: tuple[str, ...] = (
    "abuse_of_vulnerability",
    "deception",
    "restriction_of_movement",
    "isolation",
    "physical_sexual_violence",
    "intimidation_threats",
    "retention_of_identity_documents",
    "withholding_of_wages",
    "debt_bondage",
    "abusive_working_living_conditions",
    "excessive_overtime",
)


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of the text: start and end character offsets (end exclusive)."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence with its offsets and the index of the paragraph that holds it."""

    start: int
    end: int
    paragraph: int
    text: str


@dataclass(slots=True)
class Evidence:
    """One quoted passage that supports (or, when negated, denies) an indicator.

    start, end: offsets of the quote in the text.
    quote: exactly text[start:end].
    confidence: 0..1, how sure the pipeline is that this passage is evidence of the indicator.
    negated: the passage states the indicator did not occur ("no one was beaten").
    hedged: the passage is reported with a hedge ("allegedly", "reportedly").
    speaker: who says it, where the text tells ("Jin", "a South Korean official"); None for the reporter.
    source: how it was found, e.g. "pattern:passport_taken".
    """

    start: int
    end: int
    quote: str
    confidence: float
    negated: bool = False
    hedged: bool = False
    speaker: str | None = None
    source: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "quote": self.quote,
            "confidence": round(self.confidence, 3),
            "negated": self.negated,
            "hedged": self.hedged,
            "speaker": self.speaker,
            "source": self.source,
        }


@dataclass(slots=True)
class IndicatorResult:
    """An ILO indicator with its evidence. confidence: the strongest non-negated evidence."""

    indicator: str
    confidence: float
    dimension: str
    evidence: list[Evidence] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "indicator": self.indicator,
            "confidence": round(self.confidence, 3),
            "dimension": self.dimension,
            "evidence": [e.to_dict() for e in self.evidence],
        }


@dataclass(slots=True)
class Fact:
    """A normalised hard fact with its quote.

    kind: hours_per_day, hours_per_week, rest_days, wage, workers_count, duration, year, date,
          fall_height, pay_ratio, group_size_rule, ...
    value / min / max: numbers; unit, per, currency, qualifier: their normalised qualifiers.
    extra: any further kind-specific keys (derived_from, deduction, equivalent, ...).
    """

    kind: str
    start: int
    end: int
    quote: str
    value: float | None = None
    min: float | None = None
    max: float | None = None
    unit: str | None = None
    per: str | None = None
    currency: str | None = None
    qualifier: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind}
        for key in ("value", "min", "max", "unit", "per", "currency", "qualifier"):
            val = getattr(self, key)
            if val is not None:
                out[key] = _num(val) if key in ("value", "min", "max") else val
        out.update(self.extra)
        out.update({"start": self.start, "end": self.end, "quote": self.quote})
        return out


@dataclass(slots=True)
class Entity:
    """A named thing, with every mention's offsets.

    type: person, organization, place, nationality, sector, role.
    name: the canonical name ("North Korea" for "DPRK").
    country: ISO 3166-1 alpha-2 code for places and nationalities, where known.
    role: for persons, worker / employer / witness / official / perpetrator where the text tells.
    """

    type: str
    name: str
    mentions: list[tuple[int, int]] = field(default_factory=list)
    country: str | None = None
    role: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.type, "name": self.name}
        if self.country:
            out["country"] = self.country
        if self.role:
            out["role"] = self.role
        out.update(self.extra)
        out["mentions"] = [list(m) for m in self.mentions]
        return out


@dataclass(slots=True)
class LegalHook:
    """A legal instrument the findings touch, and why."""

    instrument: str
    id: str
    why: str
    evidence: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "instrument": self.instrument, "why": self.why, "evidence": self.evidence}


@dataclass(slots=True)
class Assessment:
    """The ICLS 2018 test over the document's indicators, and the legal hooks."""

    forced_labour: str  # indicated | possible | not_indicated
    involuntariness: list[str] = field(default_factory=list)
    coercion: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    legal: list[LegalHook] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "forced_labour": self.forced_labour,
            "involuntariness": self.involuntariness,
            "coercion": self.coercion,
            "reasons": self.reasons,
            "legal": [h.to_dict() for h in self.legal],
        }


@dataclass(slots=True)
class Analysis:
    """The whole result for one document."""

    id: str
    language: str
    text: str
    indicators: list[IndicatorResult]
    facts: list[Fact]
    entities: list[Entity]
    assessment: Assessment
    metadata: dict[str, Any] = field(default_factory=dict)
    pipeline: dict[str, Any] = field(default_factory=dict)
    dropped: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self, *, include_text: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {"schema": SCHEMA_ID, "id": self.id, "language": self.language}
        if include_text:
            out["text"] = self.text
        out["metadata"] = self.metadata
        out["indicators"] = [i.to_dict() for i in self.indicators]
        out["facts"] = [f.to_dict() for f in self.facts]
        out["entities"] = [e.to_dict() for e in self.entities]
        out["assessment"] = self.assessment.to_dict()
        out["dropped"] = self.dropped
        out["pipeline"] = self.pipeline
        return out


def _num(value: float) -> float | int:
    """Whole numbers print as ints (18, not 18.0)."""
    return int(value) if float(value).is_integer() else value
