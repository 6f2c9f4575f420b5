"""labourlens: find, structure and keep the evidence of forced labour in text, offline."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from labourlens.model import Analysis


def analyze(text: str, **kwargs: Any) -> Analysis:
    """Analyse one document's text and return its `Analysis` (see labourlens.pipeline.Pipeline.analyze)."""
    from labourlens.pipeline import analyze as _analyze

    return _analyze(text, **kwargs)


__all__ = ["__version__", "analyze"]
