"""The database engine from a URL: one SQLite file (WAL) by default, or a PostgreSQL server.

    engine = make_engine("sqlite:////home/me/.local/share/labourlens/labourlens.db")
    engine = make_engine("postgresql://analyst@db.example/labourlens")

SQLite connections get WAL journaling, foreign keys, a busy timeout and synchronous=NORMAL (a
commit survives a process crash; WAL keeps readers and the writer apart). The folder of a
SQLite file is created. `postgresql://` URLs use the psycopg 3 driver. Errors from the driver
become `StoreError`s that name the database (its password hidden) and say what to do.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, OperationalError, SQLAlchemyError

from labourlens.errors import StoreError

__all__ = [
    "BUSY_TIMEOUT_MS",
    "backend_of",
    "database_size",
    "make_engine",
    "normalize_url",
    "safe_url",
    "store_errors",
]

BUSY_TIMEOUT_MS = 30_000
_URL_HINT = "Give --db (or LABOURLENS_DB) as sqlite:///PATH or postgresql://USER@HOST:PORT/NAME."


def normalize_url(url: str) -> URL:
    """Parse a database URL, choosing the psycopg 3 driver for PostgreSQL.

    url: sqlite:///relative.db, sqlite:////absolute.db, postgresql://..., postgres://... or
         postgresql+psycopg://...
    Raises StoreError for anything else.
    """
    text = url.strip()
    if text.startswith("postgres://"):
        text = "postgresql://" + text[len("postgres://") :]
    try:
        parsed = make_url(text)
    except (ArgumentError, ValueError) as exc:
        raise StoreError(f"'{_mask(text)}' is not a database URL.", hint=_URL_HINT) from exc
    backend = parsed.get_backend_name()
    if backend == "postgresql":
        if parsed.get_driver_name() not in ("psycopg", "psycopg2") or "+" not in parsed.drivername:
            parsed = parsed.set(drivername="postgresql+psycopg")
        return parsed
    if backend == "sqlite":
        if parsed.drivername != "sqlite":
            raise StoreError(f"'{_mask(text)}': use the plain sqlite:/// scheme.", hint=_URL_HINT)
        if not parsed.database or parsed.database == ":memory:":
            raise StoreError(
                f"'{_mask(text)}' names no database file; an in-memory database would be lost at exit.",
                hint=_URL_HINT,
            )
        return parsed
    raise StoreError(f"'{_mask(text)}': the {backend!r} database is not supported.", hint=_URL_HINT)


def _mask(text: str) -> str:
    try:
        return make_url(text).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return text.split("@")[-1] if "@" in text else text


def safe_url(url: URL | str) -> str:
    """The URL as text with its password hidden, for messages and `db info`."""
    if isinstance(url, str):
        return _mask(url)
    return url.render_as_string(hide_password=True)


def backend_of(engine: Engine) -> str:
    """'sqlite' or 'postgresql'."""
    return engine.dialect.name


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    """Set up every new SQLite connection (an engine event).

    The driver's own transaction handling is turned off (it would run DDL outside any
    transaction); `_sqlite_begin` starts each transaction instead.
    """
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    try:
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.execute("PRAGMA foreign_keys = ON")
    finally:
        cur.close()


def _sqlite_begin(conn: sa.Connection) -> None:
    """Begin an SQLite transaction: IMMEDIATE (take the write lock now, waiting up to the busy
    timeout) unless the connection's execution option sqlite_begin says DEFERRED (readers)."""
    mode = conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")
    conn.exec_driver_sql("BEGIN DEFERRED" if mode == "DEFERRED" else "BEGIN IMMEDIATE")


def make_engine(url: str | URL) -> Engine:
    """An engine for the URL; for SQLite the file's folder is created and the pragmas are set.

    url: a database URL (see normalize_url).
    Raises StoreError when the URL is malformed or the SQLite folder can't be made.
    """
    parsed = normalize_url(url) if isinstance(url, str) else url
    if parsed.get_backend_name() == "sqlite":
        assert parsed.database is not None
        path = Path(parsed.database).expanduser()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"Can't create the folder '{path.parent}' for the database: {exc.strerror or exc}.",
                hint="Choose another place with --db sqlite:///PATH or LABOURLENS_DB.",
            ) from exc
        parsed = parsed.set(database=str(path))
        engine = sa.create_engine(parsed, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return sa.create_engine(
        parsed,
        pool_pre_ping=True,
        connect_args={"connect_timeout": 10, "application_name": "labourlens"},
    )


def database_size(engine: Engine) -> int:
    """The database's size on disk in bytes (the SQLite file with its WAL; pg_database_size)."""
    if backend_of(engine) == "sqlite":
        path = engine.url.database or ""
        return sum(os.path.getsize(p) for p in (path, path + "-wal") if os.path.exists(p))
    with engine.connect() as conn:
        return int(conn.execute(sa.text("SELECT pg_database_size(current_database())")).scalar_one())


def _reason(exc: SQLAlchemyError) -> str:
    """The driver's own message, first line only, without SQLAlchemy's decoration."""
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip()
    return (text.splitlines() or [type(exc).__name__])[0].rstrip(".")


@contextlib.contextmanager
def store_errors(url: URL | str, doing: str = "use") -> Iterator[None]:
    """Turn database errors raised inside the block into StoreErrors that name the database.

    url: the database; doing: what was being done, for the message ("open", "write to"...).
    """
    try:
        yield
    except StoreError:
        raise
    except OperationalError as exc:
        reason = _reason(exc)
        hint = "Check that the database server is running and that --db or LABOURLENS_DB is right."
        low = reason.lower()
        if "locked" in low or "busy" in low:
            hint = "Another labourlens process holds the database; wait for it to finish and run again."
        elif "unable to open" in low or "readonly" in low or "read-only" in low:
            hint = "Check that the database file and its folder exist and are writable."
        elif "does not exist" in low:
            hint = "Create the database first (createdb NAME), or point --db at one that exists."
        raise StoreError(f"Can't {doing} the database '{safe_url(url)}': {reason}.", hint=hint) from exc
    except IntegrityError as exc:
        raise StoreError(
            f"The database '{safe_url(url)}' refused a change: {_reason(exc)}.",
            hint="Another process may have changed the same records; run the command again.",
        ) from exc
    except (DBAPIError, SQLAlchemyError) as exc:
        raise StoreError(
            f"Database error on '{safe_url(url)}': {_reason(exc)}.",
            hint="Run `labourlens db info` to check the database; if it persists, report it with --debug.",
        ) from exc
