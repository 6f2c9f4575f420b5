"""Train the indicator classifier from the project's data files (`labourlens train`).

Data: data/train/*.jsonl, one labelled sentence per line, grouped into mini-documents
(`{"doc", "n", "text", "labels"}`). The split is by document: a document whose sha256(doc id)
is 0 mod 5 is development data, the rest is training data; deterministic.

For each indicator, a logistic regression (numpy Newton fits, fixed L2) is fitted on the
training split, calibrated by Platt scaling on the development split, and given the
threshold with the best F1 there. Two models are fitted: "combined" (embeddings, context and the
rules' support) and "model_only" (embeddings and context). The rules alone are scored too.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from labourlens import __version__
from labourlens.classifier.features import HASH_BITS, bag_of_words, sentence_features
from labourlens.classifier.linear import best_threshold, fit_platt, sigmoid
from labourlens.classifier.model import CARD_FILE, MODEL_FILE, IndicatorModel, save_models
from labourlens.classifier.static import StaticEmbedder, load_static_embedder
from labourlens.errors import InvalidInput
from labourlens.model import Sentence
from labourlens.model.analysis import INDICATOR_KEYS
from labourlens.pipeline import Pipeline
from labourlens.pipeline.doc import AnalysisDoc
from labourlens.pipeline.indicators import IndicatorDetector
from labourlens.settings import Settings

C = 8.0
POSITIVE_WEIGHT = 2.0
# Training sentences are far richer in evidence than real reporting: a threshold below this
# would trade many false alarms on ordinary news for little recall.
THRESHOLD_FLOOR = 0.5
DEV_MODULUS = 5


@dataclass
class Corpus:
    """Feature matrices and labels of all sentences, with each sentence's document and split."""

    combined: np.ndarray
    model_only: np.ndarray
    bows: list[np.ndarray]
    rules: np.ndarray
    labels: np.ndarray
    dev: np.ndarray
    docs: list[str]


def is_dev(doc_id: str) -> bool:
    return int(hashlib.sha256(doc_id.encode("utf-8")).hexdigest()[:8], 16) % DEV_MODULUS == 0


def read_training_files(paths: Sequence[Path]) -> dict[str, list[dict[str, Any]]]:
    """Sentences grouped by document, in order; errors name the file and line."""
    docs: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for path in paths:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
                doc = f"{path.stem}:{rec['doc']}"
                text, labels = str(rec["text"]), list(rec.get("labels", []))
                pos = int(rec.get("n", len(docs[doc])))
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
                raise InvalidInput(f"'{path}' line {n}: not a training record ({exc}).") from exc
            unknown = set(labels) - set(INDICATOR_KEYS)
            if unknown:
                raise InvalidInput(f"'{path}' line {n}: unknown labels {sorted(unknown)}.")
            docs[doc].append({"n": pos, "text": text.strip(), "labels": labels})
    for sents in docs.values():
        sents.sort(key=lambda r: r["n"])
    return dict(sorted(docs.items()))


def dev_gold(paths: Sequence[Path]) -> list[dict[str, Any]]:
    """The development split's documents as gold passages ({"id", "text", "labels"}) for `evaluate`."""
    docs = read_training_files(paths)
    return [
        {
            "id": doc_id,
            "text": " ".join(s["text"] for s in sents),
            "labels": sorted({label for s in sents for label in s["labels"]}),
        }
        for doc_id, sents in docs.items()
        if is_dev(doc_id)
    ]


def make_doc(sentences: Sequence[str]) -> AnalysisDoc:
    """A document whose sentences are given: joined with spaces, offsets exact."""
    parts: list[Sentence] = []
    pos = 0
    for text in sentences:
        parts.append(Sentence(pos, pos + len(text), 0, text))
        pos += len(text) + 1
    return AnalysisDoc(text=" ".join(sentences), sentences=parts)


def annotate(pipeline: Pipeline, doc: AnalysisDoc) -> AnalysisDoc:
    """Run the stages that the classifier's features need (entities, facts, attribution)."""
    for stage in pipeline.stages:
        if stage.name.startswith(("entities.", "facts.", "attribution.")):
            stage.run(doc)
    return doc


def build_corpus(
    docs: dict[str, list[dict[str, Any]]],
    pipeline: Pipeline,
    embedder: StaticEmbedder,
    detector: IndicatorDetector,
) -> Corpus:
    keys = [i.key for i in pipeline.knowledge.indicators]
    combined, model_only, rules, labels, dev, names = [], [], [], [], [], []
    bows: list[np.ndarray] = []
    for doc_id, sents in docs.items():
        doc = annotate(pipeline, make_doc([s["text"] for s in sents]))
        feats = sentence_features(doc, embedder, detector)
        combined.append(feats)
        model_only.append(feats[:, : 2 * embedder.dims])
        bows.extend(bag_of_words(s["text"]) for s in sents)
        pos, _neg = detector.rule_scores(doc)
        rules.append(np.asarray(pos, dtype=np.float32).reshape(len(sents), len(keys)))
        labels.append(np.asarray([[1.0 if k in s["labels"] else 0.0 for k in keys] for s in sents]))
        dev.extend([is_dev(doc_id)] * len(sents))
        names.extend([doc_id] * len(sents))
    return Corpus(
        np.vstack(combined),
        np.vstack(model_only),
        bows,
        np.vstack(rules),
        np.vstack(labels),
        np.asarray(dev),
        names,
    )


def design_matrix(dense: np.ndarray, bows: Sequence[np.ndarray]) -> Any:
    """Dense features beside the L2-normalised hashed bag of words, as one sparse matrix."""
    from scipy.sparse import csr_matrix, hstack

    indptr = np.cumsum([0] + [len(b) for b in bows])
    indices = np.concatenate(bows) if bows else np.zeros(0, dtype=np.int64)
    values = np.concatenate([np.full(len(b), 1.0 / np.sqrt(len(b))) if len(b) else np.zeros(0) for b in bows])
    bag = csr_matrix((values, indices, indptr), shape=(len(bows), 1 << HASH_BITS))
    return hstack([csr_matrix(dense), bag]).tocsr()


def fit_model(
    name: str, keys: Sequence[str], x: np.ndarray, bows: Sequence[np.ndarray], y: np.ndarray, dev: np.ndarray
) -> IndicatorModel:
    """One L2 logistic regression per indicator (liblinear, deterministic), Platt-calibrated on dev."""
    from sklearn.linear_model import LogisticRegression

    design = design_matrix(x, bows)
    train_rows = np.flatnonzero(~dev)
    k, d = len(keys), x.shape[1]
    weights = np.zeros((d, k), dtype=np.float32)
    bow_weights = np.zeros((1 << HASH_BITS, k), dtype=np.float32)
    bias = np.zeros(k, dtype=np.float32)
    pa, pb, thr = np.ones(k, np.float32), np.zeros(k, np.float32), np.full(k, 0.5, np.float32)
    dev_bows = [b for b, is_dev_row in zip(bows, dev, strict=True) if is_dev_row]
    for j in range(k):
        clf = LogisticRegression(
            C=C, solver="liblinear", class_weight={0: 1.0, 1: POSITIVE_WEIGHT}, max_iter=5000, random_state=0
        )
        clf.fit(design[train_rows], y[train_rows, j])
        coef = clf.coef_[0]
        weights[:, j], bow_weights[:, j], bias[j] = coef[:d], coef[d:], clf.intercept_[0]
    model = IndicatorModel(name, tuple(keys), weights, bow_weights, bias, pa, pb, thr)
    raw = model.raw_scores(x[dev], dev_bows)
    for j in range(k):
        a, c = fit_platt(raw[:, j], y[dev, j])
        pa[j], pb[j] = a, c
        thr[j], _ = best_threshold(sigmoid(raw[:, j] * a + c), y[dev, j], floor=THRESHOLD_FLOOR)
    return model


def scores(pred: np.ndarray, y: np.ndarray, keys: Sequence[str]) -> dict[str, Any]:
    per: dict[str, dict[str, float]] = {}
    for j, key in enumerate(keys):
        tp = float(np.sum(pred[:, j] & (y[:, j] > 0.5)))
        fp = float(np.sum(pred[:, j] & (y[:, j] < 0.5)))
        fn = float(np.sum(~pred[:, j] & (y[:, j] > 0.5)))
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        per[key] = {
            "precision": round(p, 4),
            "recall": round(r, 4),
            "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4),
        }
    negatives = y.sum(axis=1) == 0
    clean = float(np.mean(pred[negatives].sum(axis=1) == 0)) if negatives.any() else 1.0
    return {
        "macro_f1": round(float(np.mean([v["f1"] for v in per.values()])), 4),
        "negatives_clean_share": round(clean, 4),
        "per_indicator": per,
    }


def train(
    data_paths: Sequence[Path],
    out_dir: Path,
    *,
    progress: Callable[[str], None] = lambda _msg: None,
) -> dict[str, Any]:
    """Fit, evaluate on the dev split, and write the model and its card into out_dir."""
    if not data_paths:
        raise InvalidInput("No training files given.", hint="Pass data/train/*.jsonl.")
    settings = Settings(language_check=False, indicator_mode="rules", min_confidence=0.0)
    pipeline = Pipeline(settings)
    embedder = load_static_embedder()
    detector = IndicatorDetector(pipeline.knowledge, min_confidence=0.0)
    docs = read_training_files(data_paths)
    progress(f"{len(docs)} documents, {sum(len(s) for s in docs.values())} sentences")
    corpus = build_corpus(docs, pipeline, embedder, detector)
    keys = [i.key for i in pipeline.knowledge.indicators]
    progress("fitting")
    combined = fit_model("combined", keys, corpus.combined, corpus.bows, corpus.labels, corpus.dev)
    model_only = fit_model("model_only", keys, corpus.model_only, corpus.bows, corpus.labels, corpus.dev)
    dev, y = corpus.dev, corpus.labels[corpus.dev]
    dev_bows = [b for b, is_dev_row in zip(corpus.bows, dev, strict=True) if is_dev_row]
    p_model = model_only.probabilities(corpus.model_only[dev], dev_bows)
    p_combined = combined.probabilities(corpus.combined[dev], dev_bows)
    metrics = {
        "rules": scores(corpus.rules[dev] >= 0.5, y, keys),
        "model_only": scores(p_model >= model_only.thresholds, y, keys),
        "combined": scores(p_combined >= combined.thresholds, y, keys),
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    save_models([combined, model_only], out_dir / MODEL_FILE)
    data_hashes = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(data_paths)}
    card = {
        "format": "labourlens.model-card/1",
        "model": "indicators.combined.v1",
        "labourlens_version": __version__,
        "trained": _dt.date.today().isoformat(),
        "method": (
            f"Per-indicator L2 logistic regression (liblinear, C={C}, positive weight {POSITIVE_WEIGHT}) "
            "over static MiniLM-distilled sentence embeddings (256-d), the mean embedding of the "
            f"neighbouring sentences, a hashed bag of word unigrams and bigrams (2**{HASH_BITS} buckets), "
            "the rules' positive and negated support per indicator and five fact flags; "
            "Platt-calibrated and thresholded per indicator on the development split."
        ),
        "data": {
            "files": data_hashes,
            "documents": len(docs),
            "sentences": len(corpus.labels),
            "train_sentences": int((~corpus.dev).sum()),
            "dev_sentences": int(corpus.dev.sum()),
            "positives_per_indicator": {k: int(corpus.labels[:, j].sum()) for j, k in enumerate(keys)},
            "split": f"by document: sha256(file stem + ':' + doc id) mod {DEV_MODULUS} == 0 is dev",
        },
        "thresholds": {k: float(combined.thresholds[j]) for j, k in enumerate(keys)},
        "dev_metrics_sentence_level": metrics,
        "files": {MODEL_FILE: hashlib.sha256((out_dir / MODEL_FILE).read_bytes()).hexdigest()},
        "embeddings": embedder.config,
    }
    (out_dir / CARD_FILE).write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return card
