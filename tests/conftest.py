"""Shared fixtures: `store` (an empty evidence base, on SQLite and on PostgreSQL), `store_url`, `pipeline`.

PostgreSQL: LABOURLENS_TEST_PG names a server database to connect to (default
postgresql+psycopg://postgres@127.0.0.1:5432/postgres); a fresh database with a unique name is
created there for the test session and dropped at its end, and emptied between tests. Where the
server can't be reached the PostgreSQL tests are skipped, or fail when CI is set.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
BACKENDS = ["sqlite", "postgresql"]
_TABLES = (
    "documents, analyses, evidence, facts, entities, document_entities, mentions, "
    "cases, case_documents, reviews, audit_log"
)


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """The URL of a PostgreSQL database made for this test session (migrated on first open)."""
    admin_url = os.environ.get("LABOURLENS_TEST_PG", PG_DEFAULT)
    from labourlens.store.db import normalize_url

    admin = sa.create_engine(normalize_url(admin_url), isolation_level="AUTOCOMMIT")
    name = f"labourlens_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as exc:
        admin.dispose()
        message = f"PostgreSQL at {admin_url} can't be reached: {str(exc.orig).strip().splitlines()[0]}"
        if os.environ.get("CI"):
            pytest.fail(message + " (CI is set, so this is an error; .ci/run starts the server)")
        pytest.skip(message)
    url = normalize_url(admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of an empty, migrated evidence base on each backend."""
    from labourlens.store import Store

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('store') / 'base.db'}"
        with Store.open(url):
            pass
        yield url
        return
    url = request.getfixturevalue("pg_url")
    with Store.open(url) as store, store.engine.begin() as conn:
        conn.execute(sa.text(f"TRUNCATE TABLE {_TABLES} RESTART IDENTITY CASCADE"))
    yield url


@pytest.fixture
def store(store_url: str) -> Iterator[object]:
    """An open, empty evidence base (labourlens.store.Store) on each backend."""
    from labourlens.store import Store

    with Store.open(store_url) as opened:
        yield opened


@pytest.fixture(scope="session")
def pipeline() -> object:
    """The default pipeline, built once for the session."""
    from labourlens.settings import Settings
    from labourlens.store.ingest import pipeline_for

    return pipeline_for(Settings())
