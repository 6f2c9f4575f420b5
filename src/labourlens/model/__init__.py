"""Result types of the analysis (the `labourlens.analysis/1` contract)."""

from labourlens.model.analysis import (
    SCHEMA_ID,
    Analysis,
    Assessment,
    Entity,
    Evidence,
    Fact,
    IndicatorResult,
    LegalHook,
    Sentence,
    Span,
)

__all__ = [
    "SCHEMA_ID",
    "Analysis",
    "Assessment",
    "Entity",
    "Evidence",
    "Fact",
    "IndicatorResult",
    "LegalHook",
    "Sentence",
    "Span",
]
