"""The evidence base keeps what it is given: migrations, round trips, dedupe, one transaction per document."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from labourlens.errors import InvalidInput, NotFound, StoreError
from labourlens.ingest import make_document
from labourlens.settings import Settings, default_db_url, resolve_db_url
from labourlens.store import Store, content_hash, ref_of
from labourlens.store.db import normalize_url
from labourlens.store.ingest import ingest
from labourlens.store.migrations import current_revision, head_revision, upgrade_to_head
from labourlens.store.tables import documents, evidence
from store_corpus import SPECS, build, fill

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from generate import generate


def _generated(n: int, seed: int = 11) -> list:
    settings = Settings()
    return [
        make_document(d.text, name=f"{d.id}.txt", format="txt", settings=settings, id=d.id, date="2024-02-29")
        for d in generate(n, seed=seed, target_words=220)
    ]


def test_store_migration_runs_on_a_fresh_database(store_url: str) -> None:
    with Store.open(store_url) as store:
        assert current_revision(store.engine) == head_revision()
        assert upgrade_to_head(store.engine) is False  # already at head: nothing runs
        names = set(sa.inspect(store.engine).get_table_names())
        assert {
            "documents",
            "analyses",
            "evidence",
            "facts",
            "entities",
            "mentions",
            "cases",
            "reviews",
        } <= names
        assert {"audit_log", "alembic_version", "case_documents", "document_entities"} <= names
        assert store.counts()["documents"] == 0


def test_store_round_trip_of_real_analyses(store: Store, pipeline) -> None:  # type: ignore[no-untyped-def]
    docs = _generated(6)
    originals = {}
    for doc in docs:
        analysis = pipeline.analyze(doc.text, id=doc.id)
        doc_id = store.add_document(doc, analysis, user="tester")
        assert doc_id is not None
        originals[doc_id] = analysis
    assert any(a.indicators for a in originals.values())
    for doc_id, original in originals.items():
        back = store.analysis(doc_id)
        assert back.to_dict() == original.to_dict()
        text = store.text(doc_id)
        assert text == original.text
        rows = store.evidence_rows(doc_id)
        assert len(rows) == sum(len(i.evidence) for i in original.indicators)
        for row in rows:
            assert row["quote"] == text[row["start"] : row["end"]]
        for fact in store.fact_rows(doc_id):
            assert fact["quote"] == text[fact["start"] : fact["end"]]
        mentions = store.mention_rows(doc_id)
        assert len(mentions) == len({(e.type, e.name, m) for e in original.entities for m in e.mentions})
        record = store.document(doc_id)
        assert record.sha256 == content_hash(text)
        assert record.status == original.assessment.forced_labour
        assert record.date == "2024-02-29"


def test_store_same_text_is_stored_once(store: Store) -> None:
    ids = fill(store)
    before = store.counts()
    hashes = store.content_hashes()
    for spec in SPECS:
        doc, analysis = build(spec)
        doc.source = "elsewhere/" + doc.source  # another file, the same text
        assert store.add_document(doc, analysis, user="someone else") is None
    assert store.counts() == before
    assert store.content_hashes() == hashes
    assert len(ids) == len(SPECS) == before["documents"]


def test_store_reingest_changes_nothing(store: Store) -> None:
    docs = _generated(5, seed=3)
    first = ingest(store, iter(docs), settings=Settings(), user="tester", jobs=1)
    assert first.added == 5 and first.duplicates == 0 and not first.failed
    counts = {k: v for k, v in store.counts().items() if k != "audit_log"}
    hashes = store.content_hashes()
    second = ingest(store, iter(docs + docs[:2]), settings=Settings(), user="tester", jobs=1)
    assert second.added == 0 and second.duplicates == 7 and not second.failed
    assert {k: v for k, v in store.counts().items() if k != "audit_log"} == counts
    assert store.content_hashes() == hashes
    assert [e["action"] for e in store.audit_entries()] == ["ingest", "ingest"]


def test_store_a_failed_write_leaves_nothing(store: Store) -> None:
    doc, analysis = build(SPECS[0])
    analysis.indicators[0].evidence[0].quote = None  # type: ignore[assignment]  # NOT NULL: the insert fails
    with pytest.raises(StoreError):
        store.add_document(doc, analysis, user="tester")
    counts = store.counts()
    assert counts["documents"] == counts["analyses"] == counts["evidence"] == counts["entities"] == 0
    assert store.add_document(*build(SPECS[0]), user="tester") is not None  # and the cache is not stale


def test_store_resolves_document_ids(store: Store) -> None:
    ids = fill(store, ["qa", "kp"])
    with store.read() as conn:
        sha = conn.execute(sa.select(documents.c.sha256).where(documents.c.id == ids["qa"])).scalar_one()
    assert store.resolve(ref_of(sha)) == ids["qa"]
    assert store.resolve("sha256:" + sha[:8]) == ids["qa"]
    assert store.resolve("kp") == ids["kp"]  # the document's own id
    with pytest.raises(NotFound):
        store.resolve("ffffffffffff")
    with pytest.raises(NotFound):
        store.resolve("'; DROP TABLE documents; --")
    assert store.counts()["documents"] == 2


def test_store_reviews_are_checked(store: Store) -> None:
    ids = fill(store, ["qa"])
    with store.read() as conn:
        ev_id = (
            conn.execute(sa.select(evidence.c.id).where(evidence.c.document_id == ids["qa"]))
            .scalars()
            .first()
        )
    assert ev_id is not None
    review = store.add_review(ev_id, "relabel", reviewer="ana", new_indicator="debt_bondage", note="a loan")
    assert (review.decision, review.new_indicator, review.reviewer) == ("relabel", "debt_bondage", "ana")
    with pytest.raises(InvalidInput):
        store.add_review(ev_id, "relabel", reviewer="ana", new_indicator="not_a_key")
    with pytest.raises(InvalidInput):
        store.add_review(ev_id, "maybe", reviewer="ana")
    with pytest.raises(NotFound):
        store.add_review(10**9, "accept", reviewer="ana")
    assert [r.id for r in store.reviews(ids["qa"])] == [review.id]
    assert store.audit_entries()[0]["action"] == "review"


def test_store_urls_and_default_location() -> None:
    env = {"HOME": "/home/ana", "XDG_DATA_HOME": "/data"}
    assert default_db_url(env) == "sqlite:////data/labourlens/labourlens.db"
    assert (
        default_db_url({"HOME": "/home/ana"}) == "sqlite:////home/ana/.local/share/labourlens/labourlens.db"
    )
    assert resolve_db_url(None, {"HOME": "/h", "LABOURLENS_DB": "sqlite:///x.db"}) == "sqlite:///x.db"
    assert resolve_db_url("postgresql://a@b/c", {"LABOURLENS_DB": "sqlite:///x.db"}) == "postgresql://a@b/c"
    assert normalize_url("postgresql://a@b/c").drivername == "postgresql+psycopg"
    assert normalize_url("postgres://a@b/c").drivername == "postgresql+psycopg"
    for bad in ("mysql://a@b/c", "not a url", "sqlite://", "sqlite:///:memory:"):
        with pytest.raises(StoreError):
            normalize_url(bad)


def test_store_unreachable_server_is_a_clear_error() -> None:
    with pytest.raises(StoreError) as info:
        Store.open("postgresql://nobody:secret@127.0.0.1:9/none")
    assert "secret" not in str(info.value)
    assert "Check that the database server is running" in str(info.value)
