"""The built-in stages, each a callable over an AnalysisDoc that declares what it needs and sets.

`DEFAULT_STAGES` lists them in order; `build_stages` checks that every stage's `requires` is
assigned by an earlier one and that no name repeats.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from labourlens.errors import PipelineError
from labourlens.knowledge import Knowledge
from labourlens.pipeline import segment
from labourlens.pipeline.assess import assess
from labourlens.pipeline.attribution import Attributor
from labourlens.pipeline.doc import AnalysisDoc
from labourlens.pipeline.indicators import IndicatorDetector
from labourlens.settings import Settings


@dataclass(frozen=True, slots=True)
class Stage:
    """A named step: run(doc) reads `requires` and sets `assigns` on the doc."""

    name: str
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    run: Callable[[AnalysisDoc], None]


def _segment(doc: AnalysisDoc) -> None:
    doc.paragraphs = segment.paragraphs(doc.text)
    doc.sentences = segment.sentences(doc.text, doc.paragraphs)


def make_segment(knowledge: Knowledge, settings: Settings) -> Stage:
    return Stage("segment.rules.v1", ("text",), ("paragraphs", "sentences"), _segment)


def make_entities(knowledge: Knowledge, settings: Settings) -> Stage:
    from labourlens.pipeline.entities import EntityExtractor, Gazetteer

    extractor = EntityExtractor(Gazetteer.load())

    def run(doc: AnalysisDoc) -> None:
        doc.entities = extractor(doc.text, doc.sentences)

    return Stage("entities.gazetteer.v1", ("sentences",), ("entities",), run)


def make_facts(knowledge: Knowledge, settings: Settings) -> Stage:
    from labourlens.pipeline.facts import FactExtractor

    extractor = FactExtractor()

    def run(doc: AnalysisDoc) -> None:
        facts, dropped = extractor(doc.text, doc.sentences)
        doc.facts = facts
        doc.dropped.extend(dropped)

    return Stage("facts.rules.v1", ("sentences",), ("facts",), run)


def make_attribution(knowledge: Knowledge, settings: Settings) -> Stage:
    attributor = Attributor(knowledge.cues)

    def run(doc: AnalysisDoc) -> None:
        doc.attributions = attributor(doc.text, doc.sentences, doc.entities)

    return Stage("attribution.cues.v1", ("sentences", "entities"), ("attributions",), run)


def make_indicators(knowledge: Knowledge, settings: Settings) -> Stage:
    detector = IndicatorDetector(knowledge, min_confidence=settings.min_confidence)
    mode = settings.indicator_mode
    requires = ("sentences", "facts", "attributions")
    if mode == "rules":
        return Stage("indicators.patterns.v1", requires, ("indicators",), detector.__call__)
    if mode not in ("model", "combined"):
        raise PipelineError(f"Unknown indicator_mode {mode!r}.", hint="Use one of: rules, model, combined.")
    from labourlens.classifier.model import load_models
    from labourlens.classifier.static import load_static_embedder
    from labourlens.pipeline.ensemble import EnsembleDetector

    model = load_models()["combined" if mode == "combined" else "model_only"]
    ensemble = EnsembleDetector(
        knowledge,
        model,
        load_static_embedder(),
        detector,
        rule_trust=settings.rule_trust if mode == "combined" else None,
        min_confidence=settings.min_confidence,
    )
    return Stage(f"indicators.{model.name}.v1", requires, ("indicators",), ensemble.__call__)


def make_assess(knowledge: Knowledge, settings: Settings) -> Stage:
    def run(doc: AnalysisDoc) -> None:
        doc.assessment = assess(knowledge, doc.text, doc.indicators, doc.entities)

    return Stage("assess.icls2018.v1", ("indicators", "entities"), ("assessment",), run)


StageFactory = Callable[[Knowledge, Settings], Stage]

DEFAULT_STAGES: tuple[StageFactory, ...] = (
    make_segment,
    make_entities,
    make_facts,
    make_attribution,
    make_indicators,
    make_assess,
)


def build_stages(
    knowledge: Knowledge, settings: Settings, factories: tuple[StageFactory, ...] = DEFAULT_STAGES
) -> list[Stage]:
    """Instantiate the stages and check their order."""
    stages = [f(knowledge, settings) for f in factories]
    assigned = {"text"}
    names: set[str] = set()
    for st in stages:
        if st.name in names:
            raise PipelineError(f"Stage {st.name!r} appears twice in the pipeline.")
        names.add(st.name)
        missing = [r for r in st.requires if r not in assigned]
        if missing:
            raise PipelineError(
                f"Stage {st.name!r} requires {missing}, which no earlier stage assigns.",
                hint="Reorder the stages.",
            )
        assigned.update(st.assigns)
    return stages
