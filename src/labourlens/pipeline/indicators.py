"""Sentence-level decisions on the eleven ILO indicators, from the patterns in the knowledge files.

For each sentence and indicator: every trigger pattern that matches is a hit, unless a trap
overlaps it (a word-sense trap such as "withholding tax") or a context guard holds for the
sentence (a shelter, a settled dispute). A hit is negated when a negation guard overlaps it or a
negator ("no one was", "never") stands in its clause just before it. Facts in the sentence add
hits through the indicator's fact rules (hours_per_day >= 12 is excessive overtime). The hits
of one sentence combine into one piece of evidence whose quote is the sentence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from labourlens.knowledge import Indicator, Knowledge
from labourlens.knowledge.schema import FactRule
from labourlens.model import Evidence, Fact, IndicatorResult, Sentence
from labourlens.pipeline.doc import AnalysisDoc, Attribution

HEDGE_FACTOR = 0.9
MAX_CONFIDENCE = 0.99
_NEGATION_WINDOW_WORDS = 5


@dataclass(frozen=True, slots=True)
class Hit:
    """One trigger that fired in a sentence (offsets relative to the sentence)."""

    source: str
    start: int
    end: int
    confidence: float
    negated: bool


def noisy_or(confidences: Sequence[float]) -> float:
    """Combine independent pieces of support: 1 - prod(1 - c), capped below 1."""
    miss = 1.0
    for c in confidences:
        miss *= 1.0 - c
    return min(MAX_CONFIDENCE, 1.0 - miss)


class IndicatorDetector:
    """Runs every indicator's patterns over the sentences; built once per knowledge."""

    def __init__(self, knowledge: Knowledge, *, min_confidence: float = 0.5) -> None:
        self.knowledge = knowledge
        self.min_confidence = min_confidence
        cues = knowledge.cues
        words = sorted((re.escape(n).replace(r"\ ", r"\s+") for n in cues.negators), key=len, reverse=True)
        self._negator = re.compile(rf"(?:\b(?:{'|'.join(words)})\b|\w+n['’]t\b)", re.IGNORECASE)
        self._index = {ind.key: i for i, ind in enumerate(knowledge.indicators)}
        breakers = sorted((re.escape(b) for b in cues.negation_breakers), key=len, reverse=True)
        self._breaker = re.compile(rf"[,;:()—–\"“”]|\b(?:{'|'.join(breakers)})\b", re.IGNORECASE)

    def __call__(self, doc: AnalysisDoc) -> None:
        results: list[IndicatorResult] = []
        facts_by_sentence = _facts_by_sentence(doc.sentences, doc.facts)
        attributions = doc.attributions or [Attribution() for _ in doc.sentences]
        masks = [self.knowledge.gate.mask(s.text) for s in doc.sentences]
        for ind in self.knowledge.indicators:
            evidence: list[Evidence] = []
            for sent, att, facts, mask in zip(
                doc.sentences, attributions, facts_by_sentence, masks, strict=True
            ):
                ev = self._sentence_evidence(ind, sent, att, facts, mask)
                if ev is not None:
                    evidence.append(ev)
            positive = [e.confidence for e in evidence if not e.negated]
            if positive:
                results.append(
                    IndicatorResult(
                        indicator=ind.key,
                        confidence=noisy_or(positive),
                        dimension=ind.spec.dimension,
                        evidence=evidence,
                    )
                )
        doc.indicators = results

    def rule_scores(self, doc: AnalysisDoc) -> tuple[list[list[float]], list[list[float]]]:
        """Per sentence and indicator (knowledge order): the rules' positive and negated support, 0..1.

        Used as features by the learned classifier; no threshold is applied.
        """
        facts_by_sentence = _facts_by_sentence(doc.sentences, doc.facts)
        positive: list[list[float]] = []
        negated: list[list[float]] = []
        for sent, facts in zip(doc.sentences, facts_by_sentence, strict=True):
            pos_row: list[float] = []
            neg_row: list[float] = []
            mask = self.knowledge.gate.mask(sent.text)
            for ind in self.knowledge.indicators:
                hits = self.sentence_hits(ind, sent.text, facts, offset=sent.start, mask=mask)
                pos_row.append(noisy_or([h.confidence for h in hits if not h.negated]))
                neg_row.append(noisy_or([h.confidence for h in hits if h.negated]))
            positive.append(pos_row)
            negated.append(neg_row)
        return positive, negated

    def vetoed(self, ind: Indicator, text: str) -> bool:
        """A context, word-sense trap or negation of this indicator holds in the sentence ("unpaid
        leave", "withholding tax", a shelter's rules, "kept their own passports"): the learned
        model's guess is not taken there."""
        return any(g.regex.search(text) for g in (*ind.contexts, *ind.traps, *ind.negations))

    def sentence_hits(
        self, ind: Indicator, text: str, facts: Sequence[Fact] = (), offset: int = 0, mask: int | None = None
    ) -> list[Hit]:
        """All hits of one indicator in one sentence's text (facts carry document offsets).

        Triggers run first; the guards (contexts, traps, negations) only where a trigger fired,
        since most sentences fire none.
        """
        raw: list[tuple[str, int, int, float]] = []
        if mask is None:
            mask = self.knowledge.gate.mask(text)
        if mask >> self._index[ind.key] & 1:
            low = text.lower()
            raw = [
                (f"pattern:{pat.id}", m.start(), m.end(), pat.confidence)
                for pat in ind.patterns
                if pat.literals is None or any(lit in low for lit in pat.literals)
                for m in pat.regex.finditer(text)
                if m.end() > m.start()
            ]
        fact_hits = [
            Hit(f"fact:{rule.id}", fact.start - offset, fact.end - offset, rule.confidence, False)
            for rule in ind.spec.fact_rules
            for fact in facts
            if _rule_holds(rule, fact)
        ]
        if not raw and not fact_hits:
            return []
        if any(g.regex.search(text) for g in ind.contexts if g.scope == "sentence"):
            return []
        if any(g.regex.search(text) for g in ind.traps if g.scope == "sentence"):
            return []
        hits: list[Hit] = []
        if raw:
            trap_spans = [m.span() for g in ind.traps if g.scope == "match" for m in g.regex.finditer(text)]
            neg_spans = [m.span() for g in ind.negations for m in g.regex.finditer(text)]
            sentence_negated = any(g.scope == "sentence" and g.regex.search(text) for g in ind.negations)
            for source, s, e, confidence in raw:
                if any(_overlaps(s, e, t) for t in trap_spans):
                    continue
                negated = (
                    sentence_negated
                    or any(_overlaps(s, e, n) for n in neg_spans)
                    or self._negated_before(text, s)
                )
                hits.append(Hit(source, s, e, confidence, negated))
        return hits + fact_hits

    def _sentence_evidence(
        self, ind: Indicator, sent: Sentence, att: Attribution, facts: Sequence[Fact], mask: int
    ) -> Evidence | None:
        hits = self.sentence_hits(ind, sent.text, facts, offset=sent.start, mask=mask)
        if not hits:
            return None
        positive = [h for h in hits if not h.negated]
        chosen = positive or hits
        best: dict[str, float] = {}
        for h in chosen:
            best[h.source] = max(best.get(h.source, 0.0), h.confidence)
        confidence = noisy_or(list(best.values()))
        if att.hedged:
            confidence *= HEDGE_FACTOR
        if confidence < self.min_confidence:
            return None
        return Evidence(
            start=sent.start,
            end=sent.end,
            quote=sent.text,
            confidence=confidence,
            negated=not positive,
            hedged=att.hedged,
            speaker=att.speaker,
            source=",".join(sorted(best)),
        )

    def _negated_before(self, text: str, start: int) -> bool:
        """A negator in the same clause within a few words before the trigger."""
        window = text[max(0, start - 60) : start]
        cut = 0
        for m in self._breaker.finditer(window):
            cut = m.end()
        window = window[cut:]
        words = window.split()
        if len(words) > _NEGATION_WINDOW_WORDS:
            window = " ".join(words[-_NEGATION_WINDOW_WORDS:])
        return bool(self._negator.search(window))


def _overlaps(s: int, e: int, span: tuple[int, int]) -> bool:
    return s < span[1] and span[0] < e


def _rule_holds(rule: FactRule, fact: Fact) -> bool:
    if fact.kind != rule.kind:
        return False
    if rule.per is not None and fact.per != rule.per:
        return False
    value = fact.value if fact.value is not None else fact.max
    if value is None:
        return False
    low = fact.min if fact.min is not None else value
    if rule.min_value is not None and low < rule.min_value and value < rule.min_value:
        return False
    return not (rule.max_value is not None and value > rule.max_value)


def _facts_by_sentence(sentences: Sequence[Sentence], facts: Sequence[Fact]) -> list[list[Fact]]:
    out: list[list[Fact]] = [[] for _ in sentences]
    i = 0
    for fact in sorted(facts, key=lambda f: f.start):
        while i < len(sentences) and sentences[i].end <= fact.start:
            i += 1
        if i < len(sentences) and sentences[i].start <= fact.start:
            out[i].append(fact)
    return out
