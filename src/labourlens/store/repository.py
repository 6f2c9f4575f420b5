"""The evidence base: open it, add documents with their analyses, read them back, review, audit.

    store = Store.open("sqlite:///base.db")            # migrates a new or older database first
    doc_id = store.add_document(document, analysis, user="ana")   # None: the text is already there
    analysis = store.analysis(store.resolve("3fa9c2"))

A document is keyed by the sha256 of its UTF-8 text, so the same text is stored once whatever
its file name. `add_document` writes the document, its analysis and every row about it in one
transaction.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from alembic.util import CommandError
from sqlalchemy.engine import URL, Engine
from sqlalchemy.exc import IntegrityError

from labourlens.errors import InvalidInput, NotFound, StoreError
from labourlens.ingest import Document
from labourlens.ingest.document import iso_date
from labourlens.model import Analysis
from labourlens.model.analysis import INDICATOR_KEYS
from labourlens.store.convert import analysis_from_dict
from labourlens.store.db import backend_of, database_size, make_engine, normalize_url, safe_url, store_errors
from labourlens.store.migrations import current_revision, head_revision, upgrade_to_head
from labourlens.store.rows import EntityCache, inserted_id, utcnow, write_analysis
from labourlens.store.tables import (
    DECISIONS,
    analyses,
    audit_log,
    case_documents,
    cases,
    document_entities,
    documents,
    entities,
    evidence,
    facts,
    mentions,
    reviews,
)

__all__ = ["REF_LENGTH", "Review", "Store", "StoredDocument", "content_hash", "ref_of"]

# Documents are shown by the first REF_LENGTH hex digits of their sha256; any unique prefix of
# at least MIN_REF_LENGTH digits finds one.
REF_LENGTH = 12
MIN_REF_LENGTH = 4
_HEX_RE = re.compile(r"[0-9a-f]{4,64}")
COUNTED_TABLES = (
    documents,
    analyses,
    evidence,
    facts,
    entities,
    mentions,
    cases,
    reviews,
    audit_log,
)


def content_hash(text: str) -> str:
    """The sha256 (hex) of a text's UTF-8, the document's identity in the base."""
    return hashlib.sha256(text.encode("utf-8", errors="surrogatepass")).hexdigest()


def ref_of(sha256: str) -> str:
    """The short id shown for a document: the first REF_LENGTH hex digits of its sha256."""
    return sha256[:REF_LENGTH]


def _day(date: str | None) -> dt.date | None:
    """The first day of an ISO date that may be partial ("2022" -> 2022-01-01)."""
    if not date:
        return None
    parts = [int(p) for p in date.split("-")]
    return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


@dataclass(frozen=True)
class StoredDocument:
    """A stored document's record, without its text.

    id: the row id; ref: the short id shown to people; status: the current analysis's
    forced_labour; indicators: the indicators of its current (non-negated) evidence.
    """

    id: int
    ref: str
    sha256: str
    external_id: str | None
    source: str
    format: str
    title: str | None
    author: str | None
    date: str | None
    language: str
    chars: int
    meta: dict[str, Any]
    added_at: dt.datetime
    added_by: str
    status: str | None
    indicators: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.ref,
            "sha256": self.sha256,
            "external_id": self.external_id,
            "source": self.source,
            "format": self.format,
            "title": self.title,
            "author": self.author,
            "date": self.date,
            "language": self.language,
            "chars": self.chars,
            "metadata": self.meta,
            "added_at": self.added_at.isoformat(),
            "added_by": self.added_by,
            "forced_labour": self.status,
            "indicators": list(self.indicators),
        }


@dataclass(frozen=True)
class Review:
    """A reviewer's decision on a quote. evidence_id is None when a reanalysis no longer finds the quote."""

    id: int
    document_id: int
    evidence_id: int | None
    indicator: str
    start: int
    end: int
    quote: str
    decision: str
    new_indicator: str | None
    note: str | None
    reviewer: str
    created_at: dt.datetime

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "evidence_id": self.evidence_id,
            "indicator": self.indicator,
            "start": self.start,
            "end": self.end,
            "quote": self.quote,
            "decision": self.decision,
            "new_indicator": self.new_indicator,
            "note": self.note,
            "reviewer": self.reviewer,
            "created_at": self.created_at.isoformat(),
        }


def _review(row: Any) -> Review:
    return Review(
        id=row.id,
        document_id=row.document_id,
        evidence_id=row.evidence_id,
        indicator=row.indicator,
        start=row.start_char,
        end=row.end_char,
        quote=row.quote,
        decision=row.decision,
        new_indicator=row.new_indicator,
        note=row.note,
        reviewer=row.reviewer,
        created_at=row.created_at,
    )


class Store:
    """An open evidence base (a SQLAlchemy engine), migrated to the newest schema."""

    def __init__(self, engine: Engine, url: URL) -> None:
        self.engine = engine
        self.url = url
        self.entity_cache = EntityCache()

    @classmethod
    def open(cls, url: str, *, upgrade: bool = True) -> Store:
        """Open the database at `url` (see store.db.normalize_url), migrating it unless upgrade is False.

        Raises StoreError when it can't be reached or migrated.
        """
        parsed = normalize_url(url)
        engine = make_engine(parsed)
        store = cls(engine, engine.url)
        if upgrade:
            with store_errors(parsed, "open"):
                try:
                    upgrade_to_head(engine)
                except (
                    CommandError
                ) as exc:  # a revision this version does not know: a newer labourlens made it
                    engine.dispose()
                    raise StoreError(
                        f"Can't open the database '{safe_url(parsed)}': its schema is newer than "
                        f"this labourlens knows ({str(exc).strip()}).",
                        hint="Upgrade labourlens, or point --db at another database.",
                    ) from exc
        return store

    @property
    def backend(self) -> str:
        """'sqlite' or 'postgresql'."""
        return backend_of(self.engine)

    @property
    def display_url(self) -> str:
        """The URL with its password hidden."""
        return safe_url(self.url)

    def close(self) -> None:
        """Release the connections."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def write(self, doing: str = "write to") -> Iterator[sa.Connection]:
        """A connection in one transaction, committed at the end of the block (rolled back on error)."""
        with store_errors(self.url, doing):
            try:
                with self.engine.begin() as conn:
                    yield conn
            except BaseException:
                self.entity_cache.rollback()
                raise
            self.entity_cache.commit()

    @contextlib.contextmanager
    def read(self) -> Iterator[sa.Connection]:
        """A connection for reading (a deferred transaction on SQLite, so writers are not held up)."""
        with store_errors(self.url, "read"), self.engine.connect() as raw:
            conn = raw.execution_options(sqlite_begin="DEFERRED")
            with conn.begin():
                yield conn

    # ------------------------------------------------------------------ schema and state

    def info(self) -> dict[str, Any]:
        """Backend, URL, schema revision, size on disk and row counts."""
        with store_errors(self.url, "read"):
            revision = current_revision(self.engine)
            size = database_size(self.engine)
        return {
            "url": self.display_url,
            "backend": self.backend,
            "revision": revision,
            "head": head_revision(),
            "size_bytes": size,
            "counts": self.counts(),
        }

    def counts(self) -> dict[str, int]:
        """Rows per table."""
        with self.read() as conn:
            return {
                t.name: int(conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one())
                for t in COUNTED_TABLES
            }

    def content_hashes(self) -> list[str]:
        """The sha256 of every stored document, sorted."""
        with self.read() as conn:
            return list(conn.execute(sa.select(documents.c.sha256).order_by(documents.c.sha256)).scalars())

    def existing_hashes(self, hashes: Iterable[str]) -> set[str]:
        """Which of these content hashes are already stored."""
        wanted = sorted(set(hashes))
        found: set[str] = set()
        with self.read() as conn:
            for start in range(0, len(wanted), 500):
                part = wanted[start : start + 500]
                found.update(
                    conn.execute(sa.select(documents.c.sha256).where(documents.c.sha256.in_(part))).scalars()
                )
        return found

    def audit(
        self, conn: sa.Connection, action: str, user: str, target: str | None, details: dict[str, Any]
    ) -> None:
        """Record an action in the audit log, inside the caller's transaction."""
        conn.execute(
            audit_log.insert().values(at=utcnow(), actor=user, action=action, target=target, details=details)
        )

    def record(self, action: str, user: str, target: str | None, details: dict[str, Any]) -> None:
        """Record an action in the audit log in a transaction of its own."""
        with self.write() as conn:
            self.audit(conn, action, user, target, details)

    def audit_entries(self, limit: int = 50) -> list[dict[str, Any]]:
        """The newest audit log entries, newest first."""
        with self.read() as conn:
            rows = conn.execute(sa.select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)).all()
        return [
            {
                "at": r.at.isoformat(),
                "user": r.actor,
                "action": r.action,
                "target": r.target,
                "details": r.details,
            }
            for r in rows
        ]

    # ------------------------------------------------------------------ documents

    def add_document(
        self, document: Document, analysis: Analysis, *, user: str, sha256: str | None = None
    ) -> int | None:
        """Store a document with its analysis in one transaction; return its row id, or None when
        the same text is already stored (nothing is changed then).

        document: what ingest read; analysis: Pipeline.analyze of document.text; user: who adds it;
        sha256: content_hash(document.text) when already computed.
        """
        digest = sha256 or content_hash(document.text)
        date = iso_date(document.date) if document.date else None
        day = _day(date)
        now = utcnow()
        try:
            with self.write() as conn:
                doc_id = inserted_id(
                    conn.execute(
                        documents.insert(),
                        {
                            "sha256": digest,
                            "external_id": document.id,
                            "source": document.source,
                            "format": document.format,
                            "title": document.title,
                            "author": document.author,
                            "date": date,
                            "day": day,
                            "year": day.year if day else None,
                            "language": analysis.language,
                            "text": document.text,
                            "chars": len(document.text),
                            "meta": document.metadata,
                            "added_at": now,
                            "added_by": user,
                        },
                    )
                )
                if conn.dialect.name == "sqlite":
                    conn.execute(
                        sa.text(
                            "INSERT INTO documents_fts(rowid, title, text) "
                            "SELECT id, coalesce(title, ''), text FROM documents WHERE id = :d"
                        ),
                        {"d": doc_id},
                    )
                write_analysis(conn, doc_id, analysis, self.entity_cache, now=now)
        except StoreError as exc:
            if isinstance(exc.__cause__, IntegrityError) and digest in self.existing_hashes([digest]):
                return None  # another process stored the same text meanwhile
            raise
        return doc_id

    def resolve(self, ref: str) -> int:
        """The row id of the document that `ref` names: its external id, or a prefix of its sha256
        (at least 4 hex digits; "sha256:" may lead).

        Raises NotFound, or InvalidInput when the prefix fits several documents.
        """
        text = ref.strip()
        with self.read() as conn:
            ids = list(
                conn.execute(
                    sa.select(documents.c.id).where(documents.c.external_id == text).limit(3)
                ).scalars()
            )
            if len(ids) == 1:
                return ids[0]
            hexpart = text.removeprefix("sha256:").lower()
            if not ids and _HEX_RE.fullmatch(hexpart):
                upper = hexpart + "g"  # every hex string with this prefix sorts before it
                query = (
                    sa.select(documents.c.id, documents.c.sha256)
                    .where(documents.c.sha256 >= hexpart, documents.c.sha256 < upper)
                    .limit(5)
                )
                rows = conn.execute(query).all()
                if len(rows) == 1:
                    return int(rows[0].id)
                if rows:
                    shown = ", ".join(ref_of(r.sha256) for r in rows)
                    raise InvalidInput(
                        f"'{ref}' fits several documents ({shown}).", hint="Give more digits of the id."
                    )
            elif len(ids) > 1:
                shas = conn.execute(sa.select(documents.c.sha256).where(documents.c.id.in_(ids))).scalars()
                raise InvalidInput(
                    f"Several documents have the id '{ref}' ({', '.join(ref_of(s) for s in shas)}).",
                    hint="Give the sha256 id shown by `labourlens search`.",
                )
        raise NotFound(
            f"No document '{ref}' in the evidence base.",
            hint="`labourlens search` lists the documents with their ids.",
        )

    def documents_by_id(self, ids: Iterable[int]) -> list[StoredDocument]:
        """The records of these documents, in the order given (missing ids are left out)."""
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return []
        out: dict[int, StoredDocument] = {}
        with self.read() as conn:
            for start in range(0, len(wanted), 500):
                part = wanted[start : start + 500]
                query = (
                    sa.select(
                        *[c for c in documents.c if c.name != "text"],
                        analyses.c.forced_labour,
                    )
                    .select_from(
                        documents.outerjoin(
                            analyses,
                            sa.and_(
                                analyses.c.document_id == documents.c.id, analyses.c.is_current.is_(True)
                            ),
                        )
                    )
                    .where(documents.c.id.in_(part))
                )
                found = conn.execute(query).all()
                inds: dict[int, set[str]] = {}
                query2 = (
                    sa.select(evidence.c.document_id, evidence.c.indicator)
                    .where(evidence.c.document_id.in_(part), evidence.c.negated.is_(False))
                    .distinct()
                )
                for row in conn.execute(query2):
                    inds.setdefault(row.document_id, set()).add(row.indicator)
                for r in found:
                    out[r.id] = StoredDocument(
                        id=r.id,
                        ref=ref_of(r.sha256),
                        sha256=r.sha256,
                        external_id=r.external_id,
                        source=r.source,
                        format=r.format,
                        title=r.title,
                        author=r.author,
                        date=r.date,
                        language=r.language,
                        chars=r.chars,
                        meta=dict(r.meta or {}),
                        added_at=r.added_at,
                        added_by=r.added_by,
                        status=r.forced_labour,
                        indicators=tuple(k for k in INDICATOR_KEYS if k in inds.get(r.id, set())),
                    )
        return [out[i] for i in wanted if i in out]

    def document(self, doc_id: int) -> StoredDocument:
        """One document's record. Raises NotFound."""
        found = self.documents_by_id([doc_id])
        if not found:
            raise NotFound(f"No document with row id {doc_id} in the evidence base.")
        return found[0]

    def text(self, doc_id: int) -> str:
        """A document's normalised text. Raises NotFound."""
        with self.read() as conn:
            text = conn.execute(
                sa.select(documents.c.text).where(documents.c.id == doc_id)
            ).scalar_one_or_none()
        if text is None:
            raise NotFound(f"No document with row id {doc_id} in the evidence base.")
        return str(text)

    def analysis(self, doc_id: int) -> Analysis:
        """A document's current analysis, rebuilt from the stored JSON over its text. Raises NotFound."""
        with self.read() as conn:
            row = conn.execute(
                sa.select(analyses.c.result, documents.c.text)
                .join(documents, documents.c.id == analyses.c.document_id)
                .where(analyses.c.document_id == doc_id, analyses.c.is_current.is_(True))
            ).one_or_none()
        if row is None:
            raise NotFound(f"The document with row id {doc_id} has no analysis in the evidence base.")
        return analysis_from_dict(dict(row.result), row.text)

    def history(self, doc_id: int) -> list[dict[str, Any]]:
        """Every analysis of a document, oldest first: versions, status, when, and whether current."""
        with self.read() as conn:
            rows = conn.execute(
                sa.select(analyses).where(analyses.c.document_id == doc_id).order_by(analyses.c.id)
            ).all()
        return [
            {
                "analysis": r.id,
                "current": bool(r.is_current),
                "pipeline_version": r.pipeline_version,
                "knowledge_version": r.knowledge_version,
                "model_version": r.model_version,
                "forced_labour": r.forced_labour,
                "created_at": r.created_at.isoformat(),
            }
            for r in rows
        ]

    def evidence_rows(self, doc_id: int) -> list[dict[str, Any]]:
        """A document's current evidence rows (id, indicator, offsets, quote, flags), in text order."""
        with self.read() as conn:
            rows = conn.execute(
                sa.select(evidence)
                .where(evidence.c.document_id == doc_id)
                .order_by(evidence.c.start_char, evidence.c.indicator)
            ).all()
        return [
            {
                "id": r.id,
                "indicator": r.indicator,
                "dimension": r.dimension,
                "start": r.start_char,
                "end": r.end_char,
                "quote": r.quote,
                "confidence": r.confidence,
                "negated": bool(r.negated),
                "hedged": bool(r.hedged),
                "speaker": r.speaker,
            }
            for r in rows
        ]

    def fact_rows(self, doc_id: int) -> list[dict[str, Any]]:
        """A document's current fact rows, in text order."""
        with self.read() as conn:
            rows = conn.execute(
                sa.select(facts).where(facts.c.document_id == doc_id).order_by(facts.c.start_char)
            ).all()
        return [
            {
                "kind": r.kind,
                "value": r.value,
                "min": r.min,
                "max": r.max,
                "start": r.start_char,
                "end": r.end_char,
                "quote": r.quote,
            }
            for r in rows
        ]

    def mention_rows(self, doc_id: int) -> list[dict[str, Any]]:
        """A document's entity mentions: type, canonical name, country and offsets."""
        with self.read() as conn:
            rows = conn.execute(
                sa.select(
                    entities.c.type,
                    entities.c.name,
                    entities.c.country,
                    mentions.c.start_char,
                    mentions.c.end_char,
                )
                .join(entities, entities.c.id == mentions.c.entity_id)
                .where(mentions.c.document_id == doc_id)
                .order_by(mentions.c.start_char)
            ).all()
        return [
            {"type": r.type, "name": r.name, "country": r.country, "start": r.start_char, "end": r.end_char}
            for r in rows
        ]

    def entity_count(self, doc_id: int) -> int:
        """How many distinct entities a document names."""
        with self.read() as conn:
            return int(
                conn.execute(
                    sa.select(sa.func.count()).where(document_entities.c.document_id == doc_id)
                ).scalar_one()
            )

    def case_ids_of(self, doc_id: int) -> list[int]:
        """The cases a document was added to by hand."""
        with self.read() as conn:
            return list(
                conn.execute(
                    sa.select(case_documents.c.case_id).where(
                        case_documents.c.document_id == doc_id, case_documents.c.included.is_(True)
                    )
                ).scalars()
            )

    # ------------------------------------------------------------------ reviews

    def add_review(
        self,
        evidence_id: int,
        decision: str,
        *,
        reviewer: str,
        new_indicator: str | None = None,
        note: str | None = None,
    ) -> Review:
        """Record a reviewer's decision on a quote (an evidence row of a current analysis).

        decision: accept, reject or relabel; new_indicator: the indicator key a relabel moves the
        quote to (required for relabel, refused otherwise); note: free text.
        Raises InvalidInput for a bad decision or key, NotFound for an unknown evidence id.
        """
        if decision not in DECISIONS:
            raise InvalidInput(
                f"'{decision}' is not a review decision.", hint=f"Use one of: {', '.join(DECISIONS)}."
            )
        if decision == "relabel":
            if new_indicator not in INDICATOR_KEYS:
                raise InvalidInput(
                    f"Relabel needs an indicator key to move the quote to, not {new_indicator!r}.",
                    hint=f"Use one of: {', '.join(INDICATOR_KEYS)}.",
                )
        elif new_indicator is not None:
            raise InvalidInput(
                "Only a relabel takes a new indicator.", hint="Leave out --to, or use --relabel."
            )
        with self.write() as conn:
            row = conn.execute(sa.select(evidence).where(evidence.c.id == evidence_id)).one_or_none()
            if row is None:
                raise NotFound(
                    f"No quote with evidence id {evidence_id} in the evidence base.",
                    hint="`labourlens show DOC_ID` lists each quote with its evidence id.",
                )
            if decision == "relabel" and new_indicator == row.indicator:
                raise InvalidInput(
                    f"The quote is already evidence of {row.indicator}.", hint="Choose another key."
                )
            values = {
                "document_id": row.document_id,
                "evidence_id": row.id,
                "indicator": row.indicator,
                "start_char": row.start_char,
                "end_char": row.end_char,
                "quote": row.quote,
                "decision": decision,
                "new_indicator": new_indicator,
                "note": note,
                "reviewer": reviewer,
                "created_at": utcnow(),
            }
            review_id = inserted_id(conn.execute(reviews.insert().values(**values)))
            sha = conn.execute(
                sa.select(documents.c.sha256).where(documents.c.id == row.document_id)
            ).scalar_one()
            self.audit(
                conn,
                "review",
                reviewer,
                ref_of(sha),
                {
                    "review": review_id,
                    "evidence": evidence_id,
                    "decision": decision,
                    "new_indicator": new_indicator,
                },
            )
            stored = conn.execute(sa.select(reviews).where(reviews.c.id == review_id)).one()
        return _review(stored)

    def reviews(self, doc_id: int | None = None) -> list[Review]:
        """Reviews, oldest first: of one document, or all of them."""
        query = sa.select(reviews).order_by(reviews.c.id)
        if doc_id is not None:
            query = query.where(reviews.c.document_id == doc_id)
        with self.read() as conn:
            return [_review(r) for r in conn.execute(query)]


def describe_url(url: str) -> str:
    """The URL with its password hidden (for messages before a Store exists)."""
    try:
        return safe_url(normalize_url(url))
    except StoreError:
        return safe_url(url)
