"""The ICLS 2018 test over a document's indicators, and the legal instruments it touches.

ICLS 2018: forced labour is work that is both involuntary and under coercion. `indicated` needs
at least one indicator on each side; `possible` means evidence on one side only; with no
indicator the status is `not_indicated`. Legal hooks come from knowledge/legal/instruments.yaml:
an instrument applies when every condition under its `when` holds.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from labourlens.knowledge import Knowledge
from labourlens.knowledge.schema import Condition, InstrumentSpec
from labourlens.model import Assessment, Entity, IndicatorResult, LegalHook


def assess(
    knowledge: Knowledge, text: str, indicators: Sequence[IndicatorResult], entities: Sequence[Entity]
) -> Assessment:
    """Apply the ICLS 2018 test, then the legal conditions."""
    labels = knowledge.labels
    involuntary = [i.indicator for i in indicators if i.dimension == "involuntariness"]
    coercion = [i.indicator for i in indicators if i.dimension == "coercion"]
    reasons: list[str] = []
    if involuntary:
        reasons.append("Involuntary work: " + _describe(involuntary, indicators, labels) + ".")
    if coercion:
        reasons.append("Coercion (menace of penalty): " + _describe(coercion, indicators, labels) + ".")
    if involuntary and coercion:
        status = "indicated"
        reasons.append(
            "Both ICLS 2018 dimensions hold: the text gives evidence of involuntary work and of coercion."
        )
    elif involuntary or coercion:
        status = "possible"
        missing = "coercion" if involuntary else "involuntary work"
        reasons.append(f"Only one ICLS 2018 dimension holds; the text gives no evidence of {missing}.")
    else:
        status = "not_indicated"
        reasons.append("No indicator of forced labour was found in the text.")
    if len(indicators) >= 3:
        reasons.append(
            f"{len(indicators)} of the 11 ILO indicators co-occur; "
            "several together point more strongly to forced labour."
        )
    legal = [
        hook
        for inst in knowledge.legal.instruments
        if (hook := _apply(inst, status, text, indicators, entities)) is not None
    ]
    return Assessment(status, involuntary, coercion, reasons, legal)


def _describe(keys: list[str], indicators: Sequence[IndicatorResult], labels: dict[str, str]) -> str:
    counts = {i.indicator: sum(1 for e in i.evidence if not e.negated) for i in indicators}
    return ", ".join(
        f"{labels.get(k, k).lower()} ({counts[k]} quote{'s' if counts[k] != 1 else ''})" for k in keys
    )


def _apply(
    inst: InstrumentSpec,
    status: str,
    text: str,
    indicators: Sequence[IndicatorResult],
    entities: Sequence[Entity],
) -> LegalHook | None:
    cond: Condition = inst.when
    evidence: list[str] = []
    nationalities = {e.country for e in entities if e.type == "nationality" and e.country}
    places = [e for e in entities if e.type == "place" and e.country]
    if cond.nationality_any is not None:
        hit = [e.name for e in entities if e.type == "nationality" and e.country in cond.nationality_any]
        if not hit:
            return None
        evidence.append("nationality: " + ", ".join(sorted(set(hit))))
    if cond.worked_abroad is not None:
        home = set(cond.nationality_any or nationalities)
        abroad = sorted({p.name for p in places if p.country not in home})
        if bool(abroad) != cond.worked_abroad:
            return None
        if abroad:
            evidence.append("places abroad: " + ", ".join(abroad))
    if cond.forced_labour_in is not None:
        if status not in cond.forced_labour_in:
            return None
        evidence.append(f"forced labour: {status}")
    if cond.mentions_any is not None:
        found = [w for w in cond.mentions_any if re.search(rf"\b{re.escape(w)}\b", text, re.IGNORECASE)]
        if not found:
            return None
        evidence.append("mentions: " + ", ".join(found))
    if cond.indicators_any is not None:
        found = [i.indicator for i in indicators if i.indicator in cond.indicators_any]
        if not found:
            return None
        evidence.append("indicators: " + ", ".join(found))
    if cond.sectors_any is not None:
        wanted = {s.lower() for s in cond.sectors_any}
        found = sorted({e.name for e in entities if e.type == "sector" and e.name.lower() in wanted})
        if not found:
            return None
        evidence.append("sectors: " + ", ".join(found))
    if cond.place_country_any is not None:
        found = sorted({p.name for p in places if p.country in cond.place_country_any})
        if not found:
            return None
        evidence.append("places: " + ", ".join(found))
    return LegalHook(instrument=inst.instrument, id=inst.id, why=inst.why, evidence=evidence)
