"""Static sentence embeddings: mean of per-token vectors, distilled once from all-MiniLM-L6-v2.

The files in `static/` (tokenizer.json, embeddings.npy, config.json) ship in the package and are
read with `tokenizers` and numpy alone: no torch, no model hub, no network.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from importlib import resources
from typing import Any

import numpy as np
from tokenizers import Tokenizer

from labourlens.errors import PipelineError


class StaticEmbedder:
    """Encodes sentences into L2-normalised mean token embeddings."""

    def __init__(self, embeddings: np.ndarray, tokenizer: Tokenizer, config: dict[str, Any]) -> None:
        self.embeddings = embeddings.astype(np.float32)
        self.tokenizer = tokenizer
        self.config = config
        self.max_tokens = int(config.get("max_tokens", 512))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(self.max_tokens)
        unk = config.get("unk_token", "[UNK]")
        self.unk_id = tokenizer.token_to_id(unk)

    @property
    def dims(self) -> int:
        return int(self.embeddings.shape[1])

    def encode(self, sentences: Sequence[str]) -> np.ndarray:
        """One row per sentence; an empty or all-unknown sentence gives a zero row."""
        out = np.zeros((len(sentences), self.dims), dtype=np.float32)
        if not sentences:
            return out
        encodings = self.tokenizer.encode_batch(list(sentences), add_special_tokens=False)
        for row, enc in enumerate(encodings):
            ids = [i for i in enc.ids if i != self.unk_id]
            if not ids:
                continue
            vec = self.embeddings[ids].mean(axis=0)
            norm = float(np.linalg.norm(vec))
            if norm > 0:
                out[row] = vec / norm
        return out


@functools.lru_cache(maxsize=1)
def load_static_embedder() -> StaticEmbedder:
    """Load the shipped static model (cached)."""
    root = resources.files("labourlens.classifier") / "static"
    try:
        config = json.loads((root / "config.json").read_text(encoding="utf-8"))
        with resources.as_file(root / "embeddings.npy") as path:
            embeddings = np.load(path)
        tokenizer = Tokenizer.from_str((root / "tokenizer.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PipelineError(
            f"The static embedding model in labourlens/classifier/static can't be loaded ({exc}).",
            hint="Reinstall labourlens, or rebuild it with tools/distill_static.py.",
        ) from exc
    return StaticEmbedder(embeddings, tokenizer, config)
