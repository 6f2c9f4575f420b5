"""Indicator decisions from the learned classifier (alone, or combined with the rules' support).

Every sentence gets a calibrated probability per indicator; a sentence at or above the
indicator's threshold (chosen on the development split) becomes a piece of evidence quoting that
sentence. In the combined mode the model also sees the rules' support, and a rule hit at or above
`rule_trust` (a precise pattern, not negated) stands even where the model doubts it. The model
never names an indicator without the sentence that carries it.
"""

from __future__ import annotations

import numpy as np

from labourlens.classifier.features import bag_of_words, sentence_features
from labourlens.classifier.model import IndicatorModel
from labourlens.classifier.static import StaticEmbedder
from labourlens.knowledge import Knowledge
from labourlens.model import Evidence, IndicatorResult
from labourlens.pipeline.doc import AnalysisDoc, Attribution
from labourlens.pipeline.indicators import HEDGE_FACTOR, IndicatorDetector, noisy_or


class EnsembleDetector:
    """Applies one of the shipped models ("combined" uses the rules' support as features)."""

    def __init__(
        self,
        knowledge: Knowledge,
        model: IndicatorModel,
        embedder: StaticEmbedder,
        detector: IndicatorDetector,
        *,
        rule_trust: float | None = None,
        min_confidence: float = 0.0,
    ) -> None:
        self.knowledge = knowledge
        self.model = model
        self.embedder = embedder
        self.detector = detector
        self.model_only = model.name == "model_only"
        self.rule_trust = rule_trust
        self.min_confidence = min_confidence
        self.dimensions = knowledge.dimensions

    def __call__(self, doc: AnalysisDoc) -> None:
        if not doc.sentences:
            doc.indicators = []
            return
        features = sentence_features(doc, self.embedder, self.detector, model_only=self.model_only)
        bows = [bag_of_words(s.text) for s in doc.sentences]
        probs = self.model.probabilities(features, bows)
        k_count = len(self.model.keys)
        support = (
            features[:, 2 * self.embedder.dims : 2 * self.embedder.dims + k_count]
            if not self.model_only
            else np.zeros((len(doc.sentences), k_count), dtype=np.float32)
        )
        negated = (
            features[:, 2 * self.embedder.dims + k_count : 2 * self.embedder.dims + 2 * k_count]
            if not self.model_only
            else np.zeros_like(support)
        )
        trust = self.rule_trust if self.rule_trust is not None else np.inf
        indicators = {ind.key: ind for ind in self.knowledge.indicators}
        attributions = doc.attributions or [Attribution() for _ in doc.sentences]
        results: list[IndicatorResult] = []
        for k, key in enumerate(self.model.keys):
            threshold = float(self.model.thresholds[k])
            evidence: list[Evidence] = []
            for i, sent in enumerate(doc.sentences):
                p = float(probs[i, k])
                trusted_rule = bool(support[i, k] >= trust)
                if trusted_rule:
                    # a trusted rule hit (a precise, non-negated pattern) stands where the model doubts it
                    p = max(p, float(support[i, k]))
                elif p < threshold:
                    continue
                elif self.rule_trust is not None and (
                    negated[i, k] > 0 or self.detector.vetoed(indicators[key], sent.text)
                ):
                    continue  # the rules read a denial, a trap or a context here: the guess is not taken
                att = attributions[i]
                confidence = p * HEDGE_FACTOR if att.hedged else p
                if confidence < self.min_confidence:
                    continue
                evidence.append(
                    Evidence(
                        start=sent.start,
                        end=sent.end,
                        quote=sent.text,
                        confidence=confidence,
                        hedged=att.hedged,
                        speaker=att.speaker,
                        source=f"model:{self.model.name}" + (",rules" if trusted_rule else ""),
                    )
                )
            if evidence:
                results.append(
                    IndicatorResult(
                        indicator=key,
                        confidence=noisy_or([e.confidence for e in evidence]),
                        dimension=self.dimensions[key],
                        evidence=evidence,
                    )
                )
        order = {k: i for i, k in enumerate(self.dimensions)}
        doc.indicators = sorted(results, key=lambda r: order[r.indicator])
