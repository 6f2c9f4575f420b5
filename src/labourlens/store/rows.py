"""Write one analysis as rows (analysis, evidence, facts, entities, mentions, search index), and clear them.

These run inside the caller's transaction: a document and everything about it commit together
or not at all.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from labourlens.model import Analysis, Entity
from labourlens.store.tables import (
    analyses,
    document_entities,
    entities,
    evidence,
    facts,
    mentions,
)

__all__ = ["EntityCache", "clear_current", "inserted_id", "pipeline_versions", "utcnow", "write_analysis"]

EntityKey = tuple[str, str]


def inserted_id(result: sa.CursorResult[Any]) -> int:
    """The primary key of the row an INSERT made."""
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def utcnow() -> dt.datetime:
    """The current time in UTC, to the second."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def pipeline_versions(info: dict[str, Any]) -> dict[str, Any]:
    """The version columns of an analysis row, from Analysis.pipeline (Pipeline.info).

    pipeline_version: labourlens's version; knowledge_version: the knowledge files' hash;
    model_version: the indicator model's version where the pipeline names one ("model" or
    "model_version" in its info); stages: the stage names, comma-separated.
    """
    model = info.get("model_version", info.get("model"))
    if isinstance(model, dict):
        model = model.get("version") or json.dumps(model, sort_keys=True)[:64]
    return {
        "pipeline_version": str(info.get("version", "unknown"))[:32],
        "knowledge_version": str(info.get("knowledge", "unknown"))[:64],
        "model_version": str(model)[:64] if model is not None else None,
        "stages": ",".join(str(s) for s in info.get("stages", [])),
    }


@dataclass
class EntityCache:
    """Entity ids by (type, canonical name), filled as entities are looked up or created.

    Ids found inside a transaction go to `pending` and join the cache only once it commits
    (`commit`), so that a rolled-back insert never leaves a stale id behind.
    """

    ids: dict[EntityKey, int] = field(default_factory=dict)
    pending: dict[EntityKey, int] = field(default_factory=dict)

    def commit(self) -> None:
        """The transaction committed: keep what it found."""
        self.ids.update(self.pending)
        self.pending.clear()

    def rollback(self) -> None:
        """The transaction rolled back: forget what it found."""
        self.pending.clear()

    def resolve(self, conn: sa.Connection, wanted: dict[EntityKey, str | None]) -> dict[EntityKey, int]:
        """The ids of these entities, creating the missing ones.

        wanted: (type, name) -> country code (or None).
        """
        found = {k: self.ids[k] for k in wanted if k in self.ids}
        missing = [k for k in wanted if k not in found]
        if not missing:
            return found
        rows = [{"type": t, "name": n, "country": wanted[(t, n)]} for t, n in missing]
        insert = pg_insert(entities) if conn.dialect.name == "postgresql" else sqlite_insert(entities)
        conn.execute(insert.on_conflict_do_nothing(index_elements=["type", "name"]), rows)
        for start in range(0, len(missing), 200):
            part = missing[start : start + 200]
            query = sa.select(entities.c.id, entities.c.type, entities.c.name).where(
                sa.tuple_(entities.c.type, entities.c.name).in_(part)
            )
            for row in conn.execute(query):
                key = (row.type, row.name)
                found[key] = row.id
                self.pending[key] = row.id
        return found


def _merge_entities(items: Iterable[Entity]) -> dict[EntityKey, Entity]:
    """One entity per (type, name): mentions joined, the first country and role kept."""
    merged: dict[EntityKey, Entity] = {}
    for ent in items:
        key = (ent.type, ent.name)
        have = merged.get(key)
        if have is None:
            merged[key] = Entity(ent.type, ent.name, list(ent.mentions), ent.country, ent.role)
        else:
            have.mentions.extend(m for m in ent.mentions if m not in have.mentions)
            have.country = have.country or ent.country
            have.role = have.role or ent.role
    return merged


def write_analysis(
    conn: sa.Connection,
    document_id: int,
    analysis: Analysis,
    cache: EntityCache,
    *,
    now: dt.datetime | None = None,
) -> int:
    """Insert an analysis of a document as its current one, with all its rows; return the analysis id.

    The document must have no current rows (a new document, or after clear_current).
    """
    stamp = now or utcnow()
    result = conn.execute(
        analyses.insert(),
        {
            "document_id": document_id,
            "is_current": True,
            "forced_labour": analysis.assessment.forced_labour,
            "result": analysis.to_dict(include_text=False),
            "created_at": stamp,
            **pipeline_versions(analysis.pipeline),
        },
    )
    analysis_id = inserted_id(result)
    base = {"analysis_id": analysis_id, "document_id": document_id}
    ev_rows = [
        {
            **base,
            "indicator": ind.indicator,
            "dimension": ind.dimension,
            "start_char": ev.start,
            "end_char": ev.end,
            "quote": ev.quote,
            "confidence": ev.confidence,
            "negated": ev.negated,
            "hedged": ev.hedged,
            "speaker": ev.speaker,
            "source": ev.source,
        }
        for ind in analysis.indicators
        for ev in ind.evidence
    ]
    if ev_rows:
        conn.execute(evidence.insert(), ev_rows)
        if conn.dialect.name == "sqlite":
            conn.execute(
                sa.text(
                    "INSERT INTO evidence_fts(rowid, quote) "
                    "SELECT id, quote FROM evidence WHERE analysis_id = :a"
                ),
                {"a": analysis_id},
            )
    fact_rows = [
        {
            **base,
            "kind": f.kind,
            "value": f.value,
            "min": f.min,
            "max": f.max,
            "unit": f.unit,
            "per": f.per,
            "currency": f.currency,
            "qualifier": f.qualifier,
            "start_char": f.start,
            "end_char": f.end,
            "quote": f.quote,
            "extra": f.extra,
        }
        for f in analysis.facts
    ]
    if fact_rows:
        conn.execute(facts.insert(), fact_rows)
    merged = _merge_entities(analysis.entities)
    if merged:
        ids = cache.resolve(conn, {k: e.country for k, e in merged.items()})
        conn.execute(
            document_entities.insert(),
            [
                {**base, "entity_id": ids[k], "role": e.role, "mentions": len(e.mentions)}
                for k, e in merged.items()
            ],
        )
        mention_rows = [
            {**base, "entity_id": ids[k], "start_char": s, "end_char": t}
            for k, e in merged.items()
            for s, t in e.mentions
        ]
        if mention_rows:
            conn.execute(mentions.insert(), mention_rows)
    return analysis_id


def clear_current(conn: sa.Connection, document_id: int) -> None:
    """Remove a document's current rows (evidence, facts, entity links, mentions, their search index)
    and mark its current analysis as superseded; the analyses themselves are kept."""
    if conn.dialect.name == "sqlite":
        conn.execute(
            sa.text(
                "INSERT INTO evidence_fts(evidence_fts, rowid, quote) "
                "SELECT 'delete', id, quote FROM evidence WHERE document_id = :d"
            ),
            {"d": document_id},
        )
    for table in (mentions, document_entities, facts, evidence):
        conn.execute(table.delete().where(table.c.document_id == document_id))
    conn.execute(
        analyses.update()
        .where(analyses.c.document_id == document_id, analyses.c.is_current.is_(True))
        .values(is_current=False)
    )
