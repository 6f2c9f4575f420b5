"""Reanalysis: run a newer pipeline over the stored documents, keep every reviewer's decision, and
report what changed.

A document is stale when its current analysis came from another labourlens version, other
knowledge files, another model or other stages than the pipeline now. Each reanalysed document
gets a new current analysis in one transaction: its evidence, facts and entity rows are
replaced, the old analysis is kept (no longer current), and its reviews stay attached to the
document and are linked to the new evidence with the same indicator and offsets where the new
analysis still finds it (a relabelled quote also matches its new indicator). Reviews whose quote
is no longer evidence keep their decision, with no evidence linked.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from labourlens.model import Analysis
from labourlens.settings import Settings
from labourlens.store.filters import Filters, select_documents
from labourlens.store.ingest import Analyzer, IngestFailure, Job
from labourlens.store.repository import Store, ref_of
from labourlens.store.rows import clear_current, pipeline_versions, write_analysis
from labourlens.store.tables import analyses, documents, evidence, reviews

__all__ = ["DocumentChange", "ReanalysisReport", "reanalyze", "stale_documents"]

_VERSION_COLUMNS = ("pipeline_version", "knowledge_version", "model_version", "stages")


@dataclass
class DocumentChange:
    """How one document's analysis changed."""

    document: str
    title: str | None
    added: list[str]
    removed: list[str]
    status_before: str
    status_after: str
    evidence_before: int
    evidence_after: int
    reviews_relinked: int = 0
    reviews_unlinked: int = 0

    @property
    def changed(self) -> bool:
        return (
            bool(self.added or self.removed)
            or self.status_before != self.status_after
            or (self.evidence_before != self.evidence_after)
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "title": self.title,
            "indicators_added": self.added,
            "indicators_removed": self.removed,
            "status_before": self.status_before,
            "status_after": self.status_after,
            "evidence_before": self.evidence_before,
            "evidence_after": self.evidence_after,
            "reviews_relinked": self.reviews_relinked,
            "reviews_unlinked": self.reviews_unlinked,
        }


@dataclass
class ReanalysisReport:
    """What a reanalysis did. up_to_date: documents already analysed by this pipeline (skipped)."""

    examined: int = 0
    up_to_date: int = 0
    changes: list[DocumentChange] = field(default_factory=list)
    failed: list[IngestFailure] = field(default_factory=list)
    seconds: float = 0.0
    pipeline: dict[str, Any] = field(default_factory=dict)

    @property
    def reanalysed(self) -> int:
        return len(self.changes)

    @property
    def changed(self) -> list[DocumentChange]:
        return [c for c in self.changes if c.changed]

    def to_dict(self) -> dict[str, Any]:
        return {
            "examined": self.examined,
            "up_to_date": self.up_to_date,
            "reanalysed": self.reanalysed,
            "changed": len(self.changed),
            "reviews_relinked": sum(c.reviews_relinked for c in self.changes),
            "reviews_unlinked": sum(c.reviews_unlinked for c in self.changes),
            "failed": [f.to_dict() for f in self.failed],
            "seconds": round(self.seconds, 3),
            "pipeline": self.pipeline,
            "changes": [c.to_dict() for c in self.changed],
        }


def stale_documents(
    store: Store, info: dict[str, Any], *, force: bool = False, filters: Filters | None = None
) -> tuple[list[int], int]:
    """The row ids of the documents to reanalyse, and how many documents were examined.

    info: the new pipeline's info (Pipeline.info); force: every document, stale or not;
    filters: only these documents.
    """
    versions = pipeline_versions(info)
    query = sa.select(documents.c.id, *[analyses.c[c] for c in _VERSION_COLUMNS]).select_from(
        documents.outerjoin(
            analyses, sa.and_(analyses.c.document_id == documents.c.id, analyses.c.is_current.is_(True))
        )
    )
    if filters is not None and not filters.empty:
        query = query.where(documents.c.id.in_(select_documents(filters, store.backend)))
    with store.read() as conn:
        rows = conn.execute(query.order_by(documents.c.id)).all()
    stale = [r.id for r in rows if force or any(getattr(r, c) != versions[c] for c in _VERSION_COLUMNS)]
    return stale, len(rows)


def _indicators(conn: sa.Connection, doc_id: int) -> tuple[set[str], int]:
    rows = conn.execute(
        sa.select(evidence.c.indicator, evidence.c.negated).where(evidence.c.document_id == doc_id)
    ).all()
    return {r.indicator for r in rows if not r.negated}, len(rows)


def _relink(conn: sa.Connection, doc_id: int) -> tuple[int, int]:
    """Link the document's reviews to its new evidence with the same indicator and offsets; (linked, not)."""
    new = {
        (r.indicator, r.start_char, r.end_char): r.id
        for r in conn.execute(
            sa.select(evidence.c.id, evidence.c.indicator, evidence.c.start_char, evidence.c.end_char).where(
                evidence.c.document_id == doc_id
            )
        )
    }
    linked = unlinked = 0
    for review in conn.execute(sa.select(reviews).where(reviews.c.document_id == doc_id)).all():
        target = new.get((review.indicator, review.start_char, review.end_char))
        if target is None and review.new_indicator:
            target = new.get((review.new_indicator, review.start_char, review.end_char))
        conn.execute(reviews.update().where(reviews.c.id == review.id).values(evidence_id=target))
        if target is None:
            unlinked += 1
        else:
            linked += 1
    return linked, unlinked


def _jobs(
    store: Store, ids: list[int], window: int = 64
) -> Iterator[tuple[tuple[int, str, str | None], Job]]:
    """(doc id, ref, title) with the analysis job, reading the texts a window at a time."""
    for start in range(0, len(ids), window):
        part = ids[start : start + window]
        with store.read() as conn:
            rows = conn.execute(
                sa.select(
                    documents.c.id, documents.c.sha256, documents.c.title, documents.c.text, analyses.c.result
                )
                .select_from(
                    documents.outerjoin(
                        analyses,
                        sa.and_(analyses.c.document_id == documents.c.id, analyses.c.is_current.is_(True)),
                    )
                )
                .where(documents.c.id.in_(part))
                .order_by(documents.c.id)
            ).all()
        for r in rows:
            old = dict(r.result or {})
            yield (r.id, ref_of(r.sha256), r.title), (r.text, old.get("id"), dict(old.get("metadata") or {}))


def reanalyze(
    store: Store,
    *,
    settings: Settings,
    user: str,
    jobs: int = 1,
    batch_size: int = 8,
    force: bool = False,
    filters: Filters | None = None,
    progress: Callable[[str, str], None] | None = None,
    on_start: Callable[[int], None] | None = None,
) -> ReanalysisReport:
    """Reanalyse the stale documents (every selected one with force) and report what changed.

    settings: the new pipeline's settings; jobs, batch_size: as for ingest; filters: only these
    documents; progress: called per document with ("changed" | "unchanged" | "failed", ref);
    on_start: called once with the number of documents to reanalyse.
    """
    started = time.perf_counter()
    report = ReanalysisReport()
    with Analyzer[tuple[int, str, str | None]](settings, jobs=jobs, chunk=batch_size) as analyzer:
        report.pipeline = analyzer.pipeline.info
        ids, report.examined = stale_documents(store, report.pipeline, force=force, filters=filters)
        report.up_to_date = report.examined - len(ids)
        if on_start is not None:
            on_start(len(ids))
        for (doc_id, ref, title), result in analyzer.map(_jobs(store, ids)):
            if isinstance(result, IngestFailure):
                result.source = ref
                report.failed.append(result)
                if progress:
                    progress("failed", ref)
                continue
            change = _replace(store, doc_id, ref, title, result)
            report.changes.append(change)
            if progress:
                progress("changed" if change.changed else "unchanged", ref)
    report.seconds = time.perf_counter() - started
    summary = report.to_dict()
    summary["changes"] = summary["changes"][:200]
    store.record("reanalyze", user, None, summary)
    return report


def _replace(store: Store, doc_id: int, ref: str, title: str | None, analysis: Analysis) -> DocumentChange:
    """Make `analysis` the document's current analysis, in one transaction, and say what changed."""
    with store.write() as conn:
        before, n_before = _indicators(conn, doc_id)
        status_before = conn.execute(
            sa.select(analyses.c.forced_labour).where(
                analyses.c.document_id == doc_id, analyses.c.is_current.is_(True)
            )
        ).scalar_one_or_none()
        clear_current(conn, doc_id)
        write_analysis(conn, doc_id, analysis, store.entity_cache)
        after, n_after = _indicators(conn, doc_id)
        linked, unlinked = _relink(conn, doc_id)
    return DocumentChange(
        document=ref,
        title=title,
        added=sorted(after - before),
        removed=sorted(before - after),
        status_before=status_before or "none",
        status_after=analysis.assessment.forced_labour,
        evidence_before=n_before,
        evidence_after=n_after,
        reviews_relinked=linked,
        reviews_unlinked=unlinked,
    )
