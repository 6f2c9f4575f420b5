"""The tables of the evidence base (SQLAlchemy Core), as the migrations create them.

documents      one row per distinct text (sha256 of its UTF-8), with where it came from
analyses       every analysis of a document (is_current marks the latest), with the pipeline,
               knowledge and model versions and the whole `labourlens.analysis/1` JSON
evidence       the current analysis's quotes, one row each (indicator, offsets, flags)
facts          the current analysis's normalised facts
entities       places, organisations, nationalities... keyed by (type, canonical name), so that
               "DPRK" and "North Korea" are one row across all documents
document_entities, mentions   which document names which entity, and where
cases, case_documents         named sets of documents: a query, plus documents added or removed by hand
reviews        a reviewer's decision on a quote: accept, reject, or relabel to another indicator
audit_log      who did what and when (ingest, reanalyze, case and review actions)

Full-text indexes live beside these and are made by the migrations only: on SQLite the FTS5
tables `documents_fts` (title, text) and `evidence_fts` (quote), on PostgreSQL the generated
`tsv` columns of documents and evidence with GIN indexes. Offsets are named start_char and
end_char (END is an SQL keyword).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

__all__ = [
    "DECISIONS",
    "STATUSES",
    "analyses",
    "api_tokens",
    "audit_log",
    "case_documents",
    "cases",
    "document_entities",
    "documents",
    "entities",
    "evidence",
    "facts",
    "mentions",
    "metadata",
    "missed_passages",
    "reviews",
    "users",
    "web_sessions",
]

DECISIONS: tuple[str, ...] = ("accept", "reject", "relabel")
STATUSES: tuple[str, ...] = ("indicated", "possible", "not_indicated")

# JSONB on PostgreSQL, JSON text elsewhere.
JSONType = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
Stamp = sa.DateTime(timezone=True)

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

documents = sa.Table(
    "documents",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sha256", sa.String(64), nullable=False, unique=True),
    sa.Column("external_id", sa.Text, index=True),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("format", sa.String(16), nullable=False),
    sa.Column("title", sa.Text),
    sa.Column("author", sa.Text),
    sa.Column("date", sa.String(10)),
    sa.Column("day", sa.Date, index=True),
    sa.Column("year", sa.Integer, index=True),
    sa.Column("language", sa.String(16), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("chars", sa.Integer, nullable=False),
    sa.Column("meta", JSONType, nullable=False),
    sa.Column("added_at", Stamp, nullable=False),
    sa.Column("added_by", sa.Text, nullable=False),
)

analyses = sa.Table(
    "analyses",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("document_id", sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    sa.Column("is_current", sa.Boolean, nullable=False),
    sa.Column("pipeline_version", sa.String(32), nullable=False),
    sa.Column("knowledge_version", sa.String(64), nullable=False),
    sa.Column("model_version", sa.String(64)),
    sa.Column("stages", sa.Text, nullable=False),
    sa.Column("forced_labour", sa.String(16), nullable=False),
    sa.Column("result", JSONType, nullable=False),
    sa.Column("created_at", Stamp, nullable=False),
    sa.Index("ix_analyses_document_id_is_current", "document_id", "is_current"),
    sa.Index("ix_analyses_forced_labour", "forced_labour"),
)

evidence = sa.Table(
    "evidence",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("analysis_id", sa.ForeignKey("analyses.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("document_id", sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("indicator", sa.String(48), nullable=False),
    sa.Column("dimension", sa.String(24), nullable=False),
    sa.Column("start_char", sa.Integer, nullable=False),
    sa.Column("end_char", sa.Integer, nullable=False),
    sa.Column("quote", sa.Text, nullable=False),
    sa.Column("confidence", sa.Float, nullable=False),
    sa.Column("negated", sa.Boolean, nullable=False),
    sa.Column("hedged", sa.Boolean, nullable=False),
    sa.Column("speaker", sa.Text),
    sa.Column("source", sa.Text, nullable=False),
    sa.Index("ix_evidence_indicator_document_id", "indicator", "document_id"),
)

facts = sa.Table(
    "facts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("analysis_id", sa.ForeignKey("analyses.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("document_id", sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("kind", sa.String(48), nullable=False, index=True),
    sa.Column("value", sa.Float),
    sa.Column("min", sa.Float),
    sa.Column("max", sa.Float),
    sa.Column("unit", sa.String(32)),
    sa.Column("per", sa.String(32)),
    sa.Column("currency", sa.String(8)),
    sa.Column("qualifier", sa.String(32)),
    sa.Column("start_char", sa.Integer, nullable=False),
    sa.Column("end_char", sa.Integer, nullable=False),
    sa.Column("quote", sa.Text, nullable=False),
    sa.Column("extra", JSONType, nullable=False),
)

entities = sa.Table(
    "entities",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("type", sa.String(16), nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("country", sa.String(2)),
    sa.UniqueConstraint("type", "name"),
    sa.Index("ix_entities_country_type", "country", "type"),
)

document_entities = sa.Table(
    "document_entities",
    metadata,
    sa.Column("document_id", sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("entity_id", sa.ForeignKey("entities.id"), primary_key=True),
    sa.Column("analysis_id", sa.ForeignKey("analyses.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("role", sa.String(32)),
    sa.Column("mentions", sa.Integer, nullable=False),
    sa.Index("ix_document_entities_entity_id", "entity_id"),
)

mentions = sa.Table(
    "mentions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("document_id", sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("entity_id", sa.ForeignKey("entities.id"), nullable=False, index=True),
    sa.Column("analysis_id", sa.ForeignKey("analyses.id", ondelete="CASCADE"), nullable=False),
    sa.Column("start_char", sa.Integer, nullable=False),
    sa.Column("end_char", sa.Integer, nullable=False),
)

cases = sa.Table(
    "cases",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.Text, nullable=False, unique=True),
    sa.Column("query", sa.Text),
    sa.Column("description", sa.Text),
    sa.Column("created_at", Stamp, nullable=False),
    sa.Column("created_by", sa.Text, nullable=False),
)

case_documents = sa.Table(
    "case_documents",
    metadata,
    sa.Column("case_id", sa.ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("document_id", sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("included", sa.Boolean, nullable=False),
    sa.Column("added_at", Stamp, nullable=False),
    sa.Column("added_by", sa.Text, nullable=False),
)

reviews = sa.Table(
    "reviews",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("document_id", sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("evidence_id", sa.ForeignKey("evidence.id", ondelete="SET NULL"), index=True),
    sa.Column("indicator", sa.String(48), nullable=False),
    sa.Column("start_char", sa.Integer, nullable=False),
    sa.Column("end_char", sa.Integer, nullable=False),
    sa.Column("quote", sa.Text, nullable=False),
    sa.Column("decision", sa.String(16), nullable=False),
    sa.Column("new_indicator", sa.String(48)),
    sa.Column("note", sa.Text),
    sa.Column("reviewer", sa.Text, nullable=False),
    sa.Column("created_at", Stamp, nullable=False),
    sa.CheckConstraint("decision IN ('accept', 'reject', 'relabel')", name="decision"),
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", Stamp, nullable=False, index=True),
    sa.Column("actor", sa.Text, nullable=False),
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("target", sa.Text),
    sa.Column("details", JSONType, nullable=False),
)

# Web access (revision 0002): users with roles, browser sessions, API tokens, missed passages.

users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(64), nullable=False, unique=True),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("created_at", Stamp, nullable=False),
    sa.Column("disabled", sa.Boolean, nullable=False),
)

web_sessions = sa.Table(
    "web_sessions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("csrf", sa.String(64), nullable=False),
    sa.Column("created_at", Stamp, nullable=False),
    sa.Column("expires_at", Stamp, nullable=False),
)

api_tokens = sa.Table(
    "api_tokens",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("label", sa.Text, nullable=False),
    sa.Column("created_at", Stamp, nullable=False),
)

missed_passages = sa.Table(
    "missed_passages",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("document_id", sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("indicator", sa.String(48), nullable=False),
    sa.Column("start_char", sa.Integer, nullable=False),
    sa.Column("end_char", sa.Integer, nullable=False),
    sa.Column("quote", sa.Text, nullable=False),
    sa.Column("note", sa.Text),
    sa.Column("reviewer", sa.Text, nullable=False),
    sa.Column("created_at", Stamp, nullable=False),
)
