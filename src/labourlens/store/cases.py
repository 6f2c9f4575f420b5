"""Cases: named sets of documents, by query (`--where`) and by hand, assessed together.

A case's documents are those its query selects, plus those added by hand, less those removed
by hand; a query case takes in new documents as they are ingested. The case assessment
applies the ICLS 2018 test to the evidence of all its documents together: the function that
does it is passed in (pipeline.assess with the knowledge), so the store does not run the
pipeline itself. Reviewers' decisions count: a rejected quote is left out, a relabelled quote
counts for its new indicator.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from labourlens.errors import InvalidInput, NotFound, StoreError
from labourlens.model import Assessment, Entity, Evidence, IndicatorResult
from labourlens.model.analysis import INDICATOR_KEYS
from labourlens.store.filters import Filters, select_documents
from labourlens.store.names import Resolver
from labourlens.store.repository import Store, StoredDocument, ref_of
from labourlens.store.rows import inserted_id, utcnow
from labourlens.store.tables import (
    case_documents,
    cases,
    document_entities,
    documents,
    entities,
    evidence,
    reviews,
)
from labourlens.store.where import build_filters, parse_where

__all__ = [
    "AssessFn",
    "Case",
    "CaseQuote",
    "CaseReport",
    "add_to_case",
    "assess_case",
    "case_members",
    "create_case",
    "delete_case",
    "get_case",
    "list_cases",
    "remove_from_case",
]

# (all texts joined, indicators, entities) -> Assessment: pipeline.assess.assess with its knowledge.
AssessFn = Callable[[str, list[IndicatorResult], list[Entity]], Assessment]
MAX_CASE_NAME = 200


@dataclass(frozen=True)
class Case:
    """A case: its name, query (the --where text, or None), and who made it when."""

    id: int
    name: str
    query: str | None
    description: str | None
    created_at: dt.datetime
    created_by: str
    added: int = 0
    removed: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "where": self.query,
            "description": self.description,
            "created_at": self.created_at.isoformat(),
            "created_by": self.created_by,
            "added_by_hand": self.added,
            "removed_by_hand": self.removed,
        }


@dataclass
class CaseQuote:
    """A quote behind a case assessment, with its document."""

    document: str
    title: str | None
    evidence_id: int
    indicator: str
    dimension: str
    start: int
    end: int
    quote: str
    confidence: float
    hedged: bool
    speaker: str | None
    review: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "title": self.title,
            "evidence_id": self.evidence_id,
            "indicator": self.indicator,
            "dimension": self.dimension,
            "start": self.start,
            "end": self.end,
            "quote": self.quote,
            "confidence": round(self.confidence, 3),
            "hedged": self.hedged,
            "speaker": self.speaker,
            "review": self.review,
        }


@dataclass
class CaseReport:
    """A case assessed: its documents, the ICLS test over their evidence, and every quote behind it."""

    case: Case
    documents: list[StoredDocument]
    assessment: Assessment
    quotes: list[CaseQuote]
    rejected: int = 0
    statuses: dict[str, int] = field(default_factory=dict)

    def indicator_rows(self) -> list[dict[str, Any]]:
        """Per indicator: its dimension, how many quotes and documents support it."""
        rows: dict[str, dict[str, Any]] = {}
        for q in self.quotes:
            row = rows.setdefault(
                q.indicator, {"indicator": q.indicator, "dimension": q.dimension, "quotes": 0, "docs": set()}
            )
            row["quotes"] += 1
            row["docs"].add(q.document)
        order = {k: i for i, k in enumerate(INDICATOR_KEYS)}
        out = []
        for key in sorted(rows, key=lambda k: order.get(k, 99)):
            row = rows[key]
            out.append({**row, "documents": len(row.pop("docs"))})
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "case": self.case.to_dict(),
            "documents": [d.to_dict() for d in self.documents],
            "document_statuses": self.statuses,
            "assessment": self.assessment.to_dict(),
            "indicators": self.indicator_rows(),
            "quotes": [q.to_dict() for q in self.quotes],
            "quotes_rejected_by_review": self.rejected,
        }


def _case(row: Any, added: int = 0, removed: int = 0) -> Case:
    return Case(row.id, row.name, row.query, row.description, row.created_at, row.created_by, added, removed)


def _check_name(name: str) -> str:
    text = " ".join(name.split())
    if not text:
        raise InvalidInput(
            "A case needs a name.", hint='e.g. labourlens case create "DPRK workers in Russia".'
        )
    if len(text) > MAX_CASE_NAME:
        raise InvalidInput(f"A case name may have at most {MAX_CASE_NAME} characters.")
    return text


def create_case(
    store: Store,
    name: str,
    *,
    where: str | None,
    resolver: Resolver,
    user: str,
    description: str | None = None,
) -> Case:
    """Create a case; its query (`where`) is checked now and evaluated whenever the case is read.

    Raises InvalidInput for a bad name or query, or when a case of that name exists.
    """
    label = _check_name(name)
    if where is not None:
        build_filters(parse_where(where), resolver)  # refuse a bad query now, not at every read
    try:
        with store.write() as conn:
            case_id = inserted_id(
                conn.execute(
                    cases.insert().values(
                        name=label, query=where, description=description, created_at=utcnow(), created_by=user
                    )
                )
            )
            store.audit(conn, "case_create", user, label, {"where": where})
            row = conn.execute(sa.select(cases).where(cases.c.id == case_id)).one()
    except StoreError as exc:
        if isinstance(exc.__cause__, IntegrityError):
            raise InvalidInput(
                f"A case named '{label}' already exists.", hint="Choose another name."
            ) from exc
        raise
    return _case(row)


def get_case(store: Store, name: str) -> Case:
    """The case with this name (exactly, else without regard to case). Raises NotFound."""
    label = " ".join(name.split())
    with store.read() as conn:
        row = conn.execute(sa.select(cases).where(cases.c.name == label)).one_or_none()
        if row is None:
            found = conn.execute(sa.select(cases).where(sa.func.lower(cases.c.name) == label.lower())).all()
            row = found[0] if len(found) == 1 else None
        if row is None:
            raise NotFound(f"No case named '{name}'.", hint="`labourlens case list` shows the cases.")
        counts = Counter(
            bool(v)
            for v in conn.execute(
                sa.select(case_documents.c.included).where(case_documents.c.case_id == row.id)
            ).scalars()
        )
    return _case(row, counts[True], counts[False])


def list_cases(store: Store) -> list[Case]:
    """Every case, by name."""
    with store.read() as conn:
        rows = conn.execute(sa.select(cases).order_by(cases.c.name)).all()
    return [get_case(store, r.name) for r in rows]


def delete_case(store: Store, case: Case, *, user: str) -> None:
    """Delete a case (its documents stay)."""
    with store.write() as conn:
        conn.execute(cases.delete().where(cases.c.id == case.id))
        store.audit(conn, "case_delete", user, case.name, {"where": case.query})


def _set_membership(store: Store, case: Case, doc_ids: Iterable[int], included: bool, user: str) -> int:
    ids = list(dict.fromkeys(doc_ids))
    now = utcnow()
    with store.write() as conn:
        conn.execute(
            case_documents.delete().where(
                case_documents.c.case_id == case.id, case_documents.c.document_id.in_(ids)
            )
        )
        if ids:
            conn.execute(
                case_documents.insert(),
                [
                    {
                        "case_id": case.id,
                        "document_id": d,
                        "included": included,
                        "added_at": now,
                        "added_by": user,
                    }
                    for d in ids
                ],
            )
        refs = [
            ref_of(s)
            for s in conn.execute(sa.select(documents.c.sha256).where(documents.c.id.in_(ids))).scalars()
        ]
        store.audit(conn, "case_add" if included else "case_remove", user, case.name, {"documents": refs})
    return len(ids)


def add_to_case(store: Store, case: Case, doc_ids: Iterable[int], *, user: str) -> int:
    """Add documents to a case by hand (undoing an earlier removal); return how many."""
    return _set_membership(store, case, doc_ids, True, user)


def remove_from_case(store: Store, case: Case, doc_ids: Iterable[int], *, user: str) -> int:
    """Remove documents from a case by hand (they stay out even when its query selects them)."""
    return _set_membership(store, case, doc_ids, False, user)


def case_filters(case: Case, resolver: Resolver) -> Filters | None:
    """The Filters of a case's query; None for a case without one."""
    if case.query is None:
        return None
    return build_filters(parse_where(case.query), resolver)


def case_members(store: Store, case: Case, resolver: Resolver) -> list[int]:
    """The row ids of a case's documents: query matches and hand additions, less hand removals."""
    filters = case_filters(case, resolver)
    with store.read() as conn:
        manual = {
            row.document_id: bool(row.included)
            for row in conn.execute(
                sa.select(case_documents.c.document_id, case_documents.c.included).where(
                    case_documents.c.case_id == case.id
                )
            )
        }
        found: set[int] = set()
        if filters is not None:
            found = set(conn.execute(select_documents(filters, store.backend)).scalars())
    members = (found | {d for d, inc in manual.items() if inc}) - {d for d, inc in manual.items() if not inc}
    return sorted(members)


def _latest_reviews(conn: sa.Connection, doc_ids: list[int]) -> dict[int, Any]:
    """evidence id -> the newest review of it."""
    out: dict[int, Any] = {}
    for start in range(0, len(doc_ids), 500):
        part = doc_ids[start : start + 500]
        rows = conn.execute(
            sa.select(reviews)
            .where(reviews.c.document_id.in_(part), reviews.c.evidence_id.is_not(None))
            .order_by(reviews.c.id)
        )
        for row in rows:
            out[row.evidence_id] = row
    return out


def assess_case(
    store: Store,
    case: Case,
    resolver: Resolver,
    assess: AssessFn,
    *,
    dimensions: Mapping[str, str] | None = None,
) -> CaseReport:
    """Assess a case: the ICLS 2018 test over the non-negated evidence of all its documents.

    assess: (texts, indicators, entities) -> Assessment; dimensions: indicator -> dimension, for
    quotes relabelled to an indicator the base holds no other evidence of.
    """
    member_ids = case_members(store, case, resolver)
    docs = store.documents_by_id(member_ids)
    by_id = {d.id: d for d in docs}
    quotes: list[CaseQuote] = []
    rejected = 0
    texts: list[str] = []
    ents: dict[tuple[str, str], Entity] = {}
    dims = dict(dimensions or {})
    with store.read() as conn:
        decided = _latest_reviews(conn, member_ids)
        for start in range(0, len(member_ids), 500):
            part = member_ids[start : start + 500]
            for row in conn.execute(
                sa.select(evidence.c.indicator, evidence.c.dimension)
                .where(evidence.c.document_id.in_(part))
                .distinct()
            ):
                dims.setdefault(row.indicator, row.dimension)
            rows = conn.execute(
                sa.select(evidence)
                .where(evidence.c.document_id.in_(part), evidence.c.negated.is_(False))
                .order_by(evidence.c.document_id, evidence.c.start_char, evidence.c.indicator)
            )
            for row in rows:
                review = decided.get(row.id)
                indicator = row.indicator
                if review is not None and review.decision == "reject":
                    rejected += 1
                    continue
                if review is not None and review.decision == "relabel" and review.new_indicator:
                    indicator = review.new_indicator
                doc = by_id[row.document_id]
                quotes.append(
                    CaseQuote(
                        document=doc.ref,
                        title=doc.title,
                        evidence_id=row.id,
                        indicator=indicator,
                        dimension=row.dimension,
                        start=row.start_char,
                        end=row.end_char,
                        quote=row.quote,
                        confidence=row.confidence,
                        hedged=bool(row.hedged),
                        speaker=row.speaker,
                        review=review.decision if review is not None else None,
                    )
                )
            texts.extend(
                conn.execute(
                    sa.select(documents.c.text).where(documents.c.id.in_(part)).order_by(documents.c.id)
                ).scalars()
            )
            for ent in conn.execute(
                sa.select(entities.c.type, entities.c.name, entities.c.country)
                .join(document_entities, document_entities.c.entity_id == entities.c.id)
                .where(document_entities.c.document_id.in_(part))
                .distinct()
            ):
                ents.setdefault((ent.type, ent.name), Entity(ent.type, ent.name, [], ent.country))
        unknown = sorted({q.indicator for q in quotes} - set(dims))
        if unknown:  # relabelled to an indicator none of the case's documents has: any evidence of it tells
            for row in conn.execute(
                sa.select(evidence.c.indicator, evidence.c.dimension)
                .where(evidence.c.indicator.in_(unknown))
                .distinct()
            ):
                dims.setdefault(row.indicator, row.dimension)
    for q in quotes:
        q.dimension = dims.get(q.indicator, q.dimension)
    grouped: dict[str, IndicatorResult] = {}
    for q in quotes:
        result = grouped.setdefault(q.indicator, IndicatorResult(q.indicator, 0.0, q.dimension, []))
        result.confidence = max(result.confidence, q.confidence)
        result.evidence.append(
            Evidence(q.start, q.end, q.quote, q.confidence, hedged=q.hedged, speaker=q.speaker)
        )
    order = {k: i for i, k in enumerate(INDICATOR_KEYS)}
    indicators = [grouped[k] for k in sorted(grouped, key=lambda k: order.get(k, 99))]
    assessment = assess("\n\n".join(texts), indicators, list(ents.values()))
    statuses = Counter(d.status or "none" for d in docs)
    return CaseReport(case, docs, assessment, quotes, rejected, dict(statuses))
