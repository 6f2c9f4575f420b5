"""Score the pipeline against a gold JSONL file of passages and their indicator labels.

Each gold record is `{"id", "text", "labels": [indicator keys]}`; the labels are passage-level.
Reports per-indicator precision, recall and F1, micro and macro F1 (macro over the indicators
with gold support or predictions), and the share of label-free passages kept clean (no
indicator predicted).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from labourlens.errors import InvalidInput
from labourlens.model.analysis import INDICATOR_KEYS


@dataclass(slots=True)
class GoldRecord:
    id: str
    text: str
    labels: frozenset[str]


@dataclass(slots=True)
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(slots=True)
class Report:
    per_indicator: dict[str, Counts]
    passages: int
    negatives: int
    negatives_clean: int
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def micro(self) -> Counts:
        total = Counts()
        for c in self.per_indicator.values():
            total.tp += c.tp
            total.fp += c.fp
            total.fn += c.fn
        return total

    @property
    def macro_f1(self) -> float:
        scored = [c for c in self.per_indicator.values() if c.tp + c.fp + c.fn]
        return sum(c.f1 for c in scored) / len(scored) if scored else 0.0

    @property
    def clean_share(self) -> float:
        return self.negatives_clean / self.negatives if self.negatives else 1.0

    def to_dict(self) -> dict[str, Any]:
        micro = self.micro
        return {
            "passages": self.passages,
            "negatives": self.negatives,
            "negatives_clean_share": round(self.clean_share, 4),
            "micro": {
                "precision": round(micro.precision, 4),
                "recall": round(micro.recall, 4),
                "f1": round(micro.f1, 4),
            },
            "macro_f1": round(self.macro_f1, 4),
            "per_indicator": {
                k: {
                    "support": c.tp + c.fn,
                    "tp": c.tp,
                    "fp": c.fp,
                    "fn": c.fn,
                    "precision": round(c.precision, 4),
                    "recall": round(c.recall, 4),
                    "f1": round(c.f1, 4),
                }
                for k, c in self.per_indicator.items()
            },
        }


def read_gold(path: Path) -> list[GoldRecord]:
    """Read and check a gold JSONL file; errors name the file and line."""
    records: list[GoldRecord] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"Can't read gold file '{path}': {exc}.") from exc
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            labels = frozenset(obj.get("labels", []))
            rec = GoldRecord(str(obj["id"]), str(obj["text"]), labels)
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise InvalidInput(
                f"'{path}' line {n}: not a gold record ({exc}).",
                hint='Each line must be {"id": ..., "text": ..., "labels": [...]}.',
            ) from exc
        unknown = labels - set(INDICATOR_KEYS)
        if unknown:
            raise InvalidInput(f"'{path}' line {n}: unknown indicator labels {sorted(unknown)}.")
        records.append(rec)
    if not records:
        raise InvalidInput(f"Gold file '{path}' holds no records.")
    return records


def evaluate(records: Iterable[GoldRecord], predict: Callable[[str], set[str]]) -> Report:
    """Score `predict` (text -> set of indicator keys) on the gold records."""
    counts = {k: Counts() for k in INDICATOR_KEYS}
    passages = negatives = clean = 0
    errors: list[dict[str, Any]] = []
    for rec in records:
        passages += 1
        predicted = predict(rec.text)
        for key in INDICATOR_KEYS:
            gold, pred = key in rec.labels, key in predicted
            if gold and pred:
                counts[key].tp += 1
            elif pred:
                counts[key].fp += 1
            elif gold:
                counts[key].fn += 1
        if not rec.labels:
            negatives += 1
            clean += not predicted
        if predicted != rec.labels:
            errors.append(
                {
                    "id": rec.id,
                    "missed": sorted(rec.labels - predicted),
                    "spurious": sorted(predicted - rec.labels),
                    "text": rec.text,
                }
            )
    return Report(counts, passages, negatives, clean, errors)
