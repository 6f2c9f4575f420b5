"""Features of each sentence for the learned classifier.

For sentence i: its static embedding, the mean embedding of its neighbours (i-1, i+1), the rules'
positive and negated support for each indicator, and a few fact flags (long days, long weeks,
few rest days). `model_only=True` keeps only the embedding parts (the "model alone" baseline).
"""

from __future__ import annotations

import itertools
import re
import zlib
from collections.abc import Sequence

import numpy as np

from labourlens.classifier.static import StaticEmbedder
from labourlens.model import Fact, Sentence
from labourlens.pipeline.doc import AnalysisDoc
from labourlens.pipeline.indicators import IndicatorDetector

FACT_FLAGS = ("long_day", "long_week", "few_rest_days", "wage", "deduction")
HASH_BITS = 16
_TOKEN = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")


def bag_of_words(text: str) -> np.ndarray:
    """Hashed word unigrams and bigrams (crc32 into 2**HASH_BITS buckets), unique, sorted.

    With weight 1/sqrt(count) each, they form the sentence's L2-normalised binary bag of words.
    """
    tokens = _TOKEN.findall(text.lower())
    grams = tokens + [f"{a} {b}" for a, b in itertools.pairwise(tokens)]
    mask = (1 << HASH_BITS) - 1
    return np.unique(np.asarray([zlib.crc32(g.encode("utf-8")) & mask for g in grams], dtype=np.int64))


def fact_flags(sentences: Sequence[Sentence], facts: Sequence[Fact]) -> np.ndarray:
    flags = np.zeros((len(sentences), len(FACT_FLAGS)), dtype=np.float32)
    starts = [s.start for s in sentences]
    for f in facts:
        i = int(np.searchsorted(starts, f.start, side="right")) - 1
        if i < 0 or f.start >= sentences[i].end:
            continue
        value = f.value if f.value is not None else f.max
        if f.kind == "hours_per_day" and value is not None and value >= 12:
            flags[i, 0] = 1.0
        elif f.kind == "hours_per_week" and value is not None and value >= 60:
            flags[i, 1] = 1.0
        elif (
            f.kind == "rest_days"
            and value is not None
            and (
                (f.per == "year" and value <= 24)
                or (f.per == "month" and value <= 2)
                or (f.per == "week" and value == 0)
            )
        ):
            flags[i, 2] = 1.0
        elif f.kind == "wage":
            flags[i, 3] = 1.0
        elif f.kind in ("wage_deduction", "wage_share_withheld", "recruitment_fee"):
            flags[i, 4] = 1.0
    return flags


def sentence_features(
    doc: AnalysisDoc, embedder: StaticEmbedder, detector: IndicatorDetector, *, model_only: bool = False
) -> np.ndarray:
    """One feature row per sentence of the doc (which must have sentences, facts set)."""
    n = len(doc.sentences)
    emb = embedder.encode([s.text for s in doc.sentences])
    ctx = np.zeros_like(emb)
    if n > 1:
        prev = np.vstack([np.zeros((1, emb.shape[1]), dtype=np.float32), emb[:-1]])
        nxt = np.vstack([emb[1:], np.zeros((1, emb.shape[1]), dtype=np.float32)])
        count = np.full((n, 1), 2.0, dtype=np.float32)
        count[0] = count[-1] = 1.0
        ctx = (prev + nxt) / count
    if model_only:
        return np.hstack([emb, ctx])
    pos, neg = detector.rule_scores(doc)
    k = len(detector.knowledge.indicators)
    return np.hstack(
        [
            emb,
            ctx,
            np.asarray(pos, dtype=np.float32).reshape(n, k),
            np.asarray(neg, dtype=np.float32).reshape(n, k),
            fact_flags(doc.sentences, doc.facts),
        ]
    )
