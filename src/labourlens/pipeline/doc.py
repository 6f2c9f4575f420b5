"""The working state of one document as it passes through the pipeline stages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from labourlens.model import Assessment, Entity, Fact, IndicatorResult, Sentence, Span


@dataclass(slots=True)
class Attribution:
    """Who a sentence's claim comes from, and how it is reported.

    speaker: a name or description ("Jin", "a South Korean official"), or None for the reporter.
    hedged: the claim carries a hedge ("allegedly", "reportedly", "according to").
    """

    speaker: str | None = None
    hedged: bool = False


@dataclass(slots=True)
class AnalysisDoc:
    """What the stages read and write.

    text: the normalised text that every offset points into.
    paragraphs: paragraph spans; sentences: sentence spans with their paragraph index.
    entities, facts, indicators, assessment: what the stages found.
    attributions: one per sentence (same index), filled by the attribution stage.
    dropped: values a stage saw but could not normalise, counted, never silently lost.
    """

    text: str
    id: str = ""
    language: str = "en"
    metadata: dict[str, Any] = field(default_factory=dict)
    paragraphs: list[Span] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    indicators: list[IndicatorResult] = field(default_factory=list)
    attributions: list[Attribution] = field(default_factory=list)
    assessment: Assessment | None = None
    dropped: list[dict[str, Any]] = field(default_factory=list)
