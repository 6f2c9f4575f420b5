"""Each indicator's anchor is a speed gate: it must hold wherever one of the indicator's patterns matches.

Checked over every sentence the project has: the examples in the indicator files, the development
passages and the training sentences.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from labourlens.knowledge import load_knowledge
from labourlens.pipeline.segment import sentences

ROOT = Path(__file__).resolve().parents[1]


def _corpus() -> list[str]:
    texts: list[str] = []
    for path in sorted((ROOT / "data" / "train").glob("*.jsonl")):
        texts += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line]
    for path in sorted((ROOT / "data" / "dev").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line:
                texts += [s.text for s in sentences(json.loads(line)["text"])]
    for ind in load_knowledge().indicators:
        texts += list(ind.spec.examples.positive) + list(ind.spec.examples.negative)
    seed = ROOT.parent / "shared" / "seed" / "north-korean-workers-russia.txt"
    if seed.is_file():
        texts += [s.text for s in sentences(seed.read_text(encoding="utf-8"))]
    return texts


CORPUS = _corpus()


def test_knowledge_gate_masks_words() -> None:
    knowledge = load_knowledge()
    keys = [i.key for i in knowledge.indicators]
    mask = knowledge.gate.mask("The agent kept my PASSPORT.")
    assert mask >> keys.index("retention_of_identity_documents") & 1
    assert (
        not knowledge.gate.mask("Rain is expected tomorrow.") >> keys.index("retention_of_identity_documents")
        & 1
    )


@pytest.mark.parametrize("index", range(11))
def test_knowledge_anchor_covers_every_pattern_match(index: int) -> None:
    knowledge = load_knowledge()
    ind = knowledge.indicators[index]
    key = ind.key
    assert ind.anchors, f"{key} has no anchors"
    assert len(CORPUS) > 1000
    uncovered = [
        t
        for t in CORPUS
        if not knowledge.gate.mask(t) >> index & 1 and any(p.regex.search(t) for p in ind.patterns)
    ]
    assert not uncovered, f"{key}: the anchor misses sentences its patterns match: {uncovered[:3]}"


def test_knowledge_required_literals_of_small_patterns() -> None:
    from labourlens.knowledge.literals import required_literals

    assert required_literals(r"\bpassports?\b") == {"passport"}
    # the most selective required part wins: "passport" (8 letters) over {"took", "confiscat"}
    assert required_literals(r"\b(?:took|confiscat\w*) (?:the )?passports?") == {"passport"}
    assert required_literals(r"\b(?:took|confiscat\w*)\b") == {"took", "confiscat"}
    assert required_literals(r"\b(?:no|without) (?:helmets?|gloves)") == {"helmet", "gloves"}
    assert required_literals(r"\b(?:a|b)\b") is None  # too short to help
    assert required_literals(r"\w+ing") == {"ing"}
    assert required_literals(r"\w+") is None
    assert required_literals(r"(?:x)?abc|def") == {"abc", "def"}


def test_knowledge_literal_prefilter_never_rejects_a_match() -> None:
    for ind in load_knowledge().indicators:
        for pat in ind.patterns:
            if pat.literals is None:
                continue
            for text in CORPUS:
                if pat.regex.search(text):
                    low = text.lower()
                    assert any(lit in low for lit in pat.literals), (ind.key, pat.id, text)
