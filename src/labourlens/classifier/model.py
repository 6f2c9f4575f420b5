"""The shipped indicator classifier: per-indicator linear weights, Platt calibration and thresholds."""

from __future__ import annotations

import functools
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np

from labourlens.classifier.linear import sigmoid
from labourlens.errors import PipelineError

MODEL_FILE = "indicator_model.npz"
CARD_FILE = "model_card.json"


@dataclass(frozen=True)
class IndicatorModel:
    """Weights for one feature set ("combined" or "model_only").

    keys: indicator keys, in column order; weights: (d, k) over the dense features;
    bow_weights: (2**HASH_BITS, k) over the hashed bag of words; bias, platt_a, platt_b,
    thresholds: (k,).
    """

    name: str
    keys: tuple[str, ...]
    weights: np.ndarray
    bow_weights: np.ndarray
    bias: np.ndarray
    platt_a: np.ndarray
    platt_b: np.ndarray
    thresholds: np.ndarray

    def raw_scores(self, features: np.ndarray, bows: Sequence[np.ndarray]) -> np.ndarray:
        """Uncalibrated scores, (n, k): dense features, bags of words (index arrays), bias."""
        raw = features @ self.weights + self.bias
        for i, idx in enumerate(bows):
            if len(idx):
                raw[i] += self.bow_weights[idx].sum(axis=0) / np.sqrt(len(idx))
        return raw

    def probabilities(self, features: np.ndarray, bows: Sequence[np.ndarray]) -> np.ndarray:
        """Calibrated probabilities, (n, k)."""
        return sigmoid(self.raw_scores(features, bows) * self.platt_a + self.platt_b)

    def to_arrays(self) -> dict[str, np.ndarray]:
        p = self.name
        return {
            f"{p}.weights": self.weights,
            f"{p}.bow_weights": self.bow_weights,
            f"{p}.bias": self.bias,
            f"{p}.platt_a": self.platt_a,
            f"{p}.platt_b": self.platt_b,
            f"{p}.thresholds": self.thresholds,
        }

    @classmethod
    def from_arrays(cls, name: str, keys: tuple[str, ...], arrays: Any) -> IndicatorModel:
        return cls(
            name,
            keys,
            np.asarray(arrays[f"{name}.weights"], dtype=np.float32),
            np.asarray(arrays[f"{name}.bow_weights"], dtype=np.float32),
            np.asarray(arrays[f"{name}.bias"], dtype=np.float32),
            np.asarray(arrays[f"{name}.platt_a"], dtype=np.float32),
            np.asarray(arrays[f"{name}.platt_b"], dtype=np.float32),
            np.asarray(arrays[f"{name}.thresholds"], dtype=np.float32),
        )


def save_models(models: list[IndicatorModel], target: Any) -> None:
    """Write the models to a .npz (target: path or binary file)."""
    arrays: dict[str, np.ndarray] = {"keys": np.asarray(models[0].keys)}
    for m in models:
        arrays.update(m.to_arrays())
    np.savez_compressed(target, **arrays)  # type: ignore[arg-type]


@functools.lru_cache(maxsize=1)
def load_models() -> dict[str, IndicatorModel]:
    """Load the shipped models ("combined", "model_only"); cached."""
    node = resources.files("labourlens.classifier") / MODEL_FILE
    try:
        data = np.load(io.BytesIO(node.read_bytes()), allow_pickle=False)
    except (OSError, ValueError) as exc:
        raise PipelineError(
            f"The indicator model labourlens/classifier/{MODEL_FILE} can't be loaded ({exc}).",
            hint="Run `labourlens train` to rebuild it, or use --set indicator_mode=rules.",
        ) from exc
    keys = tuple(str(k) for k in data["keys"])
    return {name: IndicatorModel.from_arrays(name, keys, data) for name in ("combined", "model_only")}


def load_model_card() -> dict[str, Any]:
    node = resources.files("labourlens.classifier") / CARD_FILE
    return dict(json.loads(node.read_text(encoding="utf-8")))
