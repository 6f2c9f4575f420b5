"""The analysis pipeline: a document's text in, an `Analysis` out.

`Pipeline` loads the knowledge and builds the stages once; `Pipeline.analyze(text)` is a pure
function of the text, the settings and the knowledge files, so the same input gives the same
output. `analyze(text)` uses a default pipeline built on first use.
"""

from __future__ import annotations

import functools
import hashlib
from typing import Any

from labourlens import __version__
from labourlens.errors import InvalidInput
from labourlens.knowledge import Knowledge, load_knowledge
from labourlens.model import Analysis, Assessment
from labourlens.pipeline.doc import AnalysisDoc
from labourlens.pipeline.stages import DEFAULT_STAGES, StageFactory, build_stages
from labourlens.settings import Settings


class Pipeline:
    """Knowledge, settings and stages, built once and reused for every document."""

    def __init__(
        self,
        settings: Settings | None = None,
        knowledge: Knowledge | None = None,
        stages: tuple[StageFactory, ...] = DEFAULT_STAGES,
    ) -> None:
        self.settings = settings or Settings()
        self.knowledge = knowledge or load_knowledge()
        self.stages = build_stages(self.knowledge, self.settings, stages)

    @property
    def info(self) -> dict[str, Any]:
        return {
            "version": __version__,
            "knowledge": self.knowledge.version,
            "stages": [s.name for s in self.stages],
        }

    def analyze(
        self,
        text: str,
        *,
        id: str | None = None,
        metadata: dict[str, Any] | None = None,
        language: str | None = None,
    ) -> Analysis:
        """Analyse one document.

        text: the document text; it should already be normalised (ingest.normalize_text), since
              every offset in the result points into it.
        id: the caller's id; by default sha256:<hex of the UTF-8 text>.
        metadata: title, source, date... carried into the result unchanged.
        language: the ISO 639-1 code if known; otherwise it is identified (when language_check is on).
        """
        if not isinstance(text, str):
            raise InvalidInput(f"analyze() takes a str, not {type(text).__name__}.")
        if len(text) > self.settings.max_text_chars:
            raise InvalidInput(
                f"The text has {len(text):,} characters, over the limit of {self.settings.max_text_chars:,}.",
                hint="Split the document or raise max_text_chars.",
            )
        doc_id = id or "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()
        lang = language or self._language(text)
        meta = dict(metadata or {})
        if lang != "en":
            return self._not_analysed(doc_id, lang, text, meta)
        doc = AnalysisDoc(text=text, id=doc_id, language=lang, metadata=meta)
        for stage in self.stages:
            stage.run(doc)
        assert doc.assessment is not None
        return Analysis(
            id=doc_id,
            language=lang,
            text=text,
            indicators=doc.indicators,
            facts=doc.facts,
            entities=doc.entities,
            assessment=doc.assessment,
            metadata=meta,
            pipeline=self.info,
            dropped=doc.dropped,
        )

    def _language(self, text: str) -> str:
        if not self.settings.language_check:
            return "en"
        from labourlens.ingest import detect_language

        lang = detect_language(text)
        return "en" if lang == "und" else lang

    def _not_analysed(self, doc_id: str, lang: str, text: str, meta: dict[str, Any]) -> Analysis:
        reason = (
            f"The document's language was identified as '{lang}'; only English is analysed, "
            "so no indicator, fact or entity was extracted."
        )
        return Analysis(
            id=doc_id,
            language=lang,
            text=text,
            indicators=[],
            facts=[],
            entities=[],
            assessment=Assessment("not_indicated", reasons=[reason]),
            metadata=meta,
            pipeline=self.info,
            dropped=[{"stage": "language", "reason": reason}],
        )


@functools.lru_cache(maxsize=1)
def default_pipeline() -> Pipeline:
    return Pipeline()


def analyze(text: str, **kwargs: Any) -> Analysis:
    """Analyse one text with the default pipeline (see Pipeline.analyze)."""
    return default_pipeline().analyze(text, **kwargs)
