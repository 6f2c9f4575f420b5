"""Shared helpers of the facts tests: run the extractor over a text split at sentence ends."""

from __future__ import annotations

import itertools
import re
from typing import Any

from labourlens.model import Fact, Sentence
from labourlens.pipeline.facts import FactExtractor

FX = FactExtractor()


def extract(text: str) -> tuple[list[Fact], list[dict[str, Any]]]:
    """Facts and dropped values of `text`; every quote is checked against its offsets."""
    cuts = [0, *(m.end() for m in re.finditer(r"(?<=[.!?])\s+(?=[A-Z])", text)), len(text)]
    facts, dropped = FX(text, [Sentence(a, b, 0, text[a:b]) for a, b in itertools.pairwise(cuts)])
    for f in facts:
        assert f.quote == text[f.start : f.end]
    return facts, dropped


def of_kind(text: str, kind: str) -> list[Fact]:
    return [f for f in extract(text)[0] if f.kind == kind]
