"""Indicator decisions from the learned classifier (alone, or combined with the rules' support).

Every sentence gets a calibrated probability per indicator; a sentence at or above the
indicator's threshold (chosen on the development split) becomes a piece of evidence quoting that
sentence. The model never names an indicator without the sentence that carries it.
"""

from __future__ import annotations

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
    ) -> None:
        self.knowledge = knowledge
        self.model = model
        self.embedder = embedder
        self.detector = detector
        self.model_only = model.name == "model_only"
        self.dimensions = knowledge.dimensions

    def __call__(self, doc: AnalysisDoc) -> None:
        if not doc.sentences:
            doc.indicators = []
            return
        features = sentence_features(doc, self.embedder, self.detector, model_only=self.model_only)
        bows = [bag_of_words(s.text) for s in doc.sentences]
        probs = self.model.probabilities(features, bows)
        attributions = doc.attributions or [Attribution() for _ in doc.sentences]
        results: list[IndicatorResult] = []
        for k, key in enumerate(self.model.keys):
            threshold = float(self.model.thresholds[k])
            evidence: list[Evidence] = []
            for i, sent in enumerate(doc.sentences):
                p = float(probs[i, k])
                if p < threshold:
                    continue
                att = attributions[i]
                confidence = p * HEDGE_FACTOR if att.hedged else p
                evidence.append(
                    Evidence(
                        start=sent.start,
                        end=sent.end,
                        quote=sent.text,
                        confidence=confidence,
                        hedged=att.hedged,
                        speaker=att.speaker,
                        source=f"model:{self.model.name}",
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
