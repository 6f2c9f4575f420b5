"""The learned indicator classifier: static embeddings, the shipped model, training."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from labourlens.classifier.features import bag_of_words
from labourlens.classifier.model import load_model_card, load_models
from labourlens.classifier.static import load_static_embedder
from labourlens.classifier.train import is_dev, read_training_files, train
from labourlens.pipeline import Pipeline
from labourlens.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
TRAIN = ROOT / "data" / "train"


def test_classifier_static_embeddings_are_normalised_and_meaningful() -> None:
    emb = load_static_embedder()
    v = emb.encode(
        [
            "The employer confiscated the workers' passports.",
            "Their identity documents were taken away by the company.",
            "The bakery sells fresh bread every morning.",
            "",
        ]
    )
    assert v.shape == (4, emb.dims)
    assert np.allclose(np.linalg.norm(v[:3], axis=1), 1.0, atol=1e-5)
    assert not v[3].any()
    assert float(v[0] @ v[1]) > float(v[0] @ v[2]) + 0.1


def test_classifier_bag_of_words_is_stable() -> None:
    a = bag_of_words("They took our passports.")
    assert np.array_equal(a, bag_of_words("they TOOK our passports"))
    assert np.all(np.diff(a) > 0)
    assert len(bag_of_words("")) == 0


def test_classifier_shipped_model_matches_its_card() -> None:
    models = load_models()
    card = load_model_card()
    assert set(models) == {"combined", "model_only"}
    for model in models.values():
        assert len(model.keys) == 11
        assert np.all((model.thresholds >= 0.2) & (model.thresholds <= 0.9))
    metrics = card["dev_metrics_sentence_level"]
    assert metrics["combined"]["macro_f1"] > metrics["rules"]["macro_f1"]
    assert metrics["combined"]["macro_f1"] > metrics["model_only"]["macro_f1"]


@pytest.mark.parametrize("mode", ["model", "combined"])
def test_classifier_evidence_is_whole_quoted_sentences(mode: str) -> None:
    text = (
        "Recruiters in Dhaka charged each man 4,000 dollars. On the site the foreman kept all our "
        "passports in his office. We worked from six in the morning until midnight. The town held a fair."
    )
    analysis = Pipeline(Settings(language_check=False, indicator_mode=mode)).analyze(text)
    assert analysis.indicators
    for ind in analysis.indicators:
        assert ind.evidence
        for ev in ind.evidence:
            assert ev.quote == text[ev.start : ev.end]
            assert ev.source.startswith("model:")
            assert 0.0 < ev.confidence <= 1.0


def test_classifier_loads_with_the_network_off(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: Any, **_kwargs: Any) -> Any:
        raise OSError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    load_static_embedder.cache_clear()
    load_models.cache_clear()
    analysis = Pipeline(Settings(language_check=False, indicator_mode="combined")).analyze(
        "The skipper took every phone before the boat left port."
    )
    assert analysis.id.startswith("sha256:")


def _small_training_set(tmp_path: Path) -> list[Path]:
    """The first documents of two training files, enough for a quick, real fit."""
    out = []
    for path in sorted(TRAIN.glob("*.jsonl"))[:2]:
        lines = path.read_text(encoding="utf-8").splitlines()
        docs: list[str] = []
        keep = []
        for line in lines:
            doc = json.loads(line)["doc"]
            if doc not in docs:
                docs.append(doc)
            if len(docs) > 40:
                break
            keep.append(line)
        target = tmp_path / path.name
        target.write_text("\n".join(keep) + "\n", encoding="utf-8")
        out.append(target)
    return out


def test_classifier_training_smoke_is_deterministic(tmp_path: Path) -> None:
    if not TRAIN.is_dir():
        pytest.skip("data/train is absent")
    files = _small_training_set(tmp_path)
    card1 = train(files, tmp_path / "one")
    card2 = train(files, tmp_path / "two")
    a = np.load(tmp_path / "one" / "indicator_model.npz")
    b = np.load(tmp_path / "two" / "indicator_model.npz")
    assert sorted(a.files) == sorted(b.files)
    for name in a.files:
        assert np.array_equal(a[name], b[name]), name
    assert card1["dev_metrics_sentence_level"] == card2["dev_metrics_sentence_level"]
    assert card1["data"]["dev_sentences"] > 0
    assert json.loads((tmp_path / "one" / "model_card.json").read_text())["files"]["indicator_model.npz"]


def test_classifier_split_is_by_document() -> None:
    if not TRAIN.is_dir():
        pytest.skip("data/train is absent")
    docs = read_training_files(sorted(TRAIN.glob("*.jsonl")))
    dev = [d for d in docs if is_dev(d)]
    assert 0.1 < len(dev) / len(docs) < 0.3
    assert is_dev(dev[0]) and all(is_dev(d) == is_dev(d) for d in docs)


def test_classifier_retraining_reproduces_the_shipped_metrics(tmp_path: Path) -> None:
    if not TRAIN.is_dir():
        pytest.skip("data/train is absent")
    card = train(sorted(TRAIN.glob("*.jsonl")), tmp_path)
    shipped = load_model_card()["dev_metrics_sentence_level"]
    for mode, metrics in card["dev_metrics_sentence_level"].items():
        assert abs(metrics["macro_f1"] - shipped[mode]["macro_f1"]) <= 0.01, mode
