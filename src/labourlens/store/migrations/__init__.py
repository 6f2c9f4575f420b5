"""Alembic migrations of the evidence base, run from code: `upgrade_to_head(engine)` on every open.

The script directory is this package (env.py, versions/); there is no alembic.ini. To write a
new revision, add a file to versions/ with `revision` and `down_revision` set, by hand or with
`alembic -x ... revision` pointed at this folder.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

__all__ = ["SCRIPT_LOCATION", "alembic_config", "current_revision", "head_revision", "upgrade_to_head"]

SCRIPT_LOCATION = Path(__file__).resolve().parent
# pg_advisory_xact_lock key, so that two processes opening a new database do not both migrate it.
_PG_LOCK_KEY = 0x6C6C6462  # "lldb"


def alembic_config(connection: sa.Connection | None = None) -> Config:
    """An Alembic Config for this package's scripts, bound to a connection when one is given."""
    cfg = Config()
    cfg.set_main_option("script_location", str(SCRIPT_LOCATION))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    """The newest revision in versions/."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: sa.Engine) -> str | None:
    """The revision the database is at; None for a database labourlens has not set up."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade_to_head(engine: sa.Engine) -> bool:
    """Bring the database to the newest revision, in one transaction; True when anything ran.

    Raises sqlalchemy errors (the caller turns them into StoreErrors).
    """
    head = head_revision()
    if current_revision(engine) == head:
        return False
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
        if MigrationContext.configure(conn).get_current_revision() == head:
            return False  # another process migrated it while this one waited
        command.upgrade(alembic_config(conn), "head")
    return True
