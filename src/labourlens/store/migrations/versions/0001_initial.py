"""The first schema: documents, analyses, evidence, facts, entities, cases, reviews, audit log, search.

Revision ID: 0001
Revises:
Create Date: 2026-11-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

JSONType = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
Stamp = sa.DateTime(timezone=True)

# Porter stemming over Unicode words, accents folded: "passports" finds "passport".
_FTS_TOKENIZE = "porter unicode61 remove_diacritics 2"
# PostgreSQL: a tsvector holds at most 1 MiB; the first 500,000 characters of a text are indexed.
_PG_TEXT_CHARS = 500_000


def _fk(column: str, target: str, ondelete: str | None = "CASCADE", **kw: object) -> sa.Column[int]:
    return sa.Column(column, sa.Integer, sa.ForeignKey(target, ondelete=ondelete), **kw)  # type: ignore[arg-type]


def upgrade() -> None:
    """Create every table and index, and the full-text search of the backend."""
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("external_id", sa.Text),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("format", sa.String(16), nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("author", sa.Text),
        sa.Column("date", sa.String(10)),
        sa.Column("day", sa.Date),
        sa.Column("year", sa.Integer),
        sa.Column("language", sa.String(16), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("chars", sa.Integer, nullable=False),
        sa.Column("meta", JSONType, nullable=False),
        sa.Column("added_at", Stamp, nullable=False),
        sa.Column("added_by", sa.Text, nullable=False),
        sa.UniqueConstraint("sha256", name="uq_documents_sha256"),
    )
    op.create_index("ix_documents_external_id", "documents", ["external_id"])
    op.create_index("ix_documents_day", "documents", ["day"])
    op.create_index("ix_documents_year", "documents", ["year"])

    op.create_table(
        "analyses",
        sa.Column("id", sa.Integer, primary_key=True),
        _fk("document_id", "documents.id", nullable=False),
        sa.Column("is_current", sa.Boolean, nullable=False),
        sa.Column("pipeline_version", sa.String(32), nullable=False),
        sa.Column("knowledge_version", sa.String(64), nullable=False),
        sa.Column("model_version", sa.String(64)),
        sa.Column("stages", sa.Text, nullable=False),
        sa.Column("forced_labour", sa.String(16), nullable=False),
        sa.Column("result", JSONType, nullable=False),
        sa.Column("created_at", Stamp, nullable=False),
    )
    op.create_index("ix_analyses_document_id_is_current", "analyses", ["document_id", "is_current"])
    op.create_index("ix_analyses_forced_labour", "analyses", ["forced_labour"])

    op.create_table(
        "evidence",
        sa.Column("id", sa.Integer, primary_key=True),
        _fk("analysis_id", "analyses.id", nullable=False),
        _fk("document_id", "documents.id", nullable=False),
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
    )
    op.create_index("ix_evidence_analysis_id", "evidence", ["analysis_id"])
    op.create_index("ix_evidence_document_id", "evidence", ["document_id"])
    op.create_index("ix_evidence_indicator_document_id", "evidence", ["indicator", "document_id"])

    op.create_table(
        "facts",
        sa.Column("id", sa.Integer, primary_key=True),
        _fk("analysis_id", "analyses.id", nullable=False),
        _fk("document_id", "documents.id", nullable=False),
        sa.Column("kind", sa.String(48), nullable=False),
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
    op.create_index("ix_facts_analysis_id", "facts", ["analysis_id"])
    op.create_index("ix_facts_document_id", "facts", ["document_id"])
    op.create_index("ix_facts_kind", "facts", ["kind"])

    op.create_table(
        "entities",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("country", sa.String(2)),
        sa.UniqueConstraint("type", "name", name="uq_entities_type_name"),
    )
    op.create_index("ix_entities_country_type", "entities", ["country", "type"])

    op.create_table(
        "document_entities",
        _fk("document_id", "documents.id", primary_key=True),
        _fk("entity_id", "entities.id", ondelete=None, primary_key=True),
        _fk("analysis_id", "analyses.id", nullable=False),
        sa.Column("role", sa.String(32)),
        sa.Column("mentions", sa.Integer, nullable=False),
    )
    op.create_index("ix_document_entities_analysis_id", "document_entities", ["analysis_id"])
    op.create_index("ix_document_entities_entity_id", "document_entities", ["entity_id"])

    op.create_table(
        "mentions",
        sa.Column("id", sa.Integer, primary_key=True),
        _fk("document_id", "documents.id", nullable=False),
        _fk("entity_id", "entities.id", ondelete=None, nullable=False),
        _fk("analysis_id", "analyses.id", nullable=False),
        sa.Column("start_char", sa.Integer, nullable=False),
        sa.Column("end_char", sa.Integer, nullable=False),
    )
    op.create_index("ix_mentions_document_id", "mentions", ["document_id"])
    op.create_index("ix_mentions_entity_id", "mentions", ["entity_id"])

    op.create_table(
        "cases",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("query", sa.Text),
        sa.Column("description", sa.Text),
        sa.Column("created_at", Stamp, nullable=False),
        sa.Column("created_by", sa.Text, nullable=False),
        sa.UniqueConstraint("name", name="uq_cases_name"),
    )
    op.create_table(
        "case_documents",
        _fk("case_id", "cases.id", primary_key=True),
        _fk("document_id", "documents.id", primary_key=True),
        sa.Column("included", sa.Boolean, nullable=False),
        sa.Column("added_at", Stamp, nullable=False),
        sa.Column("added_by", sa.Text, nullable=False),
    )

    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer, primary_key=True),
        _fk("document_id", "documents.id", nullable=False),
        _fk("evidence_id", "evidence.id", ondelete="SET NULL"),
        sa.Column("indicator", sa.String(48), nullable=False),
        sa.Column("start_char", sa.Integer, nullable=False),
        sa.Column("end_char", sa.Integer, nullable=False),
        sa.Column("quote", sa.Text, nullable=False),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("new_indicator", sa.String(48)),
        sa.Column("note", sa.Text),
        sa.Column("reviewer", sa.Text, nullable=False),
        sa.Column("created_at", Stamp, nullable=False),
        sa.CheckConstraint("decision IN ('accept', 'reject', 'relabel')", name="ck_reviews_decision"),
    )
    op.create_index("ix_reviews_document_id", "reviews", ["document_id"])
    op.create_index("ix_reviews_evidence_id", "reviews", ["evidence_id"])

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", Stamp, nullable=False),
        sa.Column("actor", sa.Text, nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("target", sa.Text),
        sa.Column("details", JSONType, nullable=False),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])

    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "ALTER TABLE documents ADD COLUMN tsv tsvector GENERATED ALWAYS AS (to_tsvector('english', "
            f"coalesce(title, '') || ' ' || left(text, {_PG_TEXT_CHARS}))) STORED"
        )
        op.execute("CREATE INDEX ix_documents_tsv ON documents USING gin (tsv)")
        op.execute(
            "ALTER TABLE evidence ADD COLUMN tsv tsvector "
            "GENERATED ALWAYS AS (to_tsvector('english', quote)) STORED"
        )
        op.execute("CREATE INDEX ix_evidence_tsv ON evidence USING gin (tsv)")
    else:
        op.execute(
            "CREATE VIRTUAL TABLE documents_fts USING fts5(title, text, content='documents', "
            f"content_rowid='id', tokenize='{_FTS_TOKENIZE}')"
        )
        op.execute(
            "CREATE VIRTUAL TABLE evidence_fts USING fts5(quote, content='evidence', "
            f"content_rowid='id', tokenize='{_FTS_TOKENIZE}')"
        )


def downgrade() -> None:
    """Drop everything (the data with it)."""
    if op.get_bind().dialect.name != "postgresql":
        op.execute("DROP TABLE IF EXISTS evidence_fts")
        op.execute("DROP TABLE IF EXISTS documents_fts")
    for table in (
        "audit_log",
        "reviews",
        "case_documents",
        "cases",
        "mentions",
        "document_entities",
        "entities",
        "facts",
        "evidence",
        "analyses",
        "documents",
    ):
        op.drop_table(table)
