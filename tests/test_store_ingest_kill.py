"""An ingest killed with SIGKILL midway leaves only whole documents, and running it again completes it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import sqlalchemy as sa

from labourlens.store import Store
from labourlens.store.db import normalize_url
from labourlens.store.tables import analyses, document_entities, documents, evidence, facts, mentions

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from generate import generate

N_DOCS = 60


def _corpus(path: Path) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for doc in generate(N_DOCS, seed=9, target_words=300):
            fh.write(json.dumps({"id": doc.id, "text": doc.text, "title": doc.text.split("\n", 1)[0]}) + "\n")
    return path


def _ingest(url: str, corpus: Path, *extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "labourlens", "ingest", str(corpus), "--db", url, "--no-progress", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "LABOURLENS_DB": ""},
    )


def _count(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(documents)).scalar_one())


def _assert_complete(url: str) -> int:
    """Every stored document has one current analysis and all of its rows; return how many there are."""
    with Store.open(url) as store, store.engine.connect() as conn:
        docs = conn.execute(sa.select(documents.c.id, documents.c.text)).all()
        for doc_id, text in docs:
            current = conn.execute(
                sa.select(analyses.c.result).where(
                    analyses.c.document_id == doc_id, analyses.c.is_current.is_(True)
                )
            ).all()
            assert len(current) == 1, doc_id
            result = current[0].result
            ev_rows = conn.execute(sa.select(evidence).where(evidence.c.document_id == doc_id)).all()
            assert len(ev_rows) == sum(len(i["evidence"]) for i in result["indicators"])
            assert all(r.quote == text[r.start_char : r.end_char] for r in ev_rows)
            fact_rows = conn.execute(sa.select(facts.c.id).where(facts.c.document_id == doc_id)).all()
            assert len(fact_rows) == len(result["facts"])
            keys = {(e["type"], e["name"]) for e in result["entities"]}
            spans = {(e["type"], e["name"], tuple(m)) for e in result["entities"] for m in e["mentions"]}
            linked = conn.execute(sa.select(sa.func.count()).where(document_entities.c.document_id == doc_id))
            assert linked.scalar_one() == len(keys)
            n_mentions = conn.execute(sa.select(sa.func.count()).where(mentions.c.document_id == doc_id))
            assert n_mentions.scalar_one() == len(spans)
        orphans = conn.execute(
            sa.select(sa.func.count()).where(~analyses.c.document_id.in_(sa.select(documents.c.id)))
        ).scalar_one()
        assert orphans == 0
        if store.backend == "sqlite":
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar_one() == "ok"
            for table in ("documents_fts", "evidence_fts"):  # the search index matches the rows exactly
                conn.exec_driver_sql(f"INSERT INTO {table}({table}) VALUES ('integrity-check')")
        else:
            assert conn.exec_driver_sql("SELECT count(*) FROM documents WHERE tsv IS NULL").scalar_one() == 0
        return len(docs)


def test_store_ingest_survives_sigkill(store_url: str, tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus.jsonl")
    engine = sa.create_engine(normalize_url(store_url))
    try:
        proc = _ingest(store_url, corpus, "--jobs", "1", "--batch-size", "1")
        deadline = time.monotonic() + 60
        stored = 0
        while time.monotonic() < deadline and proc.poll() is None:
            stored = _count(engine)
            if stored >= 5:
                break
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        engine.dispose()
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read() if proc.stderr else ""
    killed_at = _assert_complete(store_url)
    assert 5 <= killed_at < N_DOCS, f"the ingest was not killed midway ({killed_at} documents stored)"

    rerun = _ingest(store_url, corpus, "--jobs", "2", "--batch-size", "4")
    _out, err = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, err.decode()
    assert f"{N_DOCS - killed_at} document(s) added, {killed_at} already stored" in err.decode()
    assert _assert_complete(store_url) == N_DOCS
    with Store.open(store_url) as store:
        hashes = store.content_hashes()
        assert len(hashes) == len(set(hashes)) == N_DOCS
        counts = store.counts()
        with store.read() as conn:
            ids = sorted(conn.execute(sa.select(documents.c.external_id)).scalars())
        assert ids == sorted(f"bench-9-{i:05d}" for i in range(N_DOCS))  # each exactly once
        assert counts["analyses"] == N_DOCS
