"""Users with roles, argon2 password hashes, browser sessions with CSRF tokens, and API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from labourlens.errors import InvalidInput
from labourlens.store import Store
from labourlens.store.rows import inserted_id, utcnow
from labourlens.store.tables import api_tokens, users, web_sessions

__all__ = [
    "ROLES",
    "SESSION_HOURS",
    "User",
    "authenticate",
    "create_session",
    "create_token",
    "create_user",
    "end_session",
    "list_users",
    "new_password",
    "session_user",
    "token_user",
]

ROLES: tuple[str, ...] = ("admin", "analyst", "viewer")
SESSION_HOURS = 12
MIN_PASSWORD = 8
_HASHER = PasswordHasher()
# A hash to verify against when the user does not exist, so that both paths take as long.
_DUMMY_HASH = _HASHER.hash("not a password of anyone")


@dataclass(frozen=True)
class User:
    """A signed-in user: name and role (admin, analyst or viewer)."""

    id: int
    name: str
    role: str

    @property
    def can_write(self) -> bool:
        """Whether this user may change anything (analysts and admins)."""
        return self.role in ("admin", "analyst")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_password() -> str:
    """A random one-time password (16 URL-safe characters)."""
    return secrets.token_urlsafe(12)


def create_user(store: Store, name: str, role: str, password: str) -> User:
    """Add a user. Raises InvalidInput for an unknown role, a short password or a name already taken."""
    name = name.strip()
    if not name or len(name) > 64:
        raise InvalidInput("A user name needs 1 to 64 characters.")
    if role not in ROLES:
        raise InvalidInput(f"'{role}' is not a role.", hint=f"Use one of: {', '.join(ROLES)}.")
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"A password needs at least {MIN_PASSWORD} characters.")
    with store.write("add a user to") as conn:
        taken = conn.execute(sa.select(users.c.id).where(users.c.name == name)).first()
        if taken is not None:
            raise InvalidInput(f"There is already a user '{name}'.", hint="Choose another name.")
        user_id = inserted_id(
            conn.execute(
                users.insert().values(
                    name=name,
                    role=role,
                    password_hash=_HASHER.hash(password),
                    created_at=utcnow(),
                    disabled=False,
                )
            )
        )
        store.audit(conn, "user_add", "labourlens", name, {"role": role})
    return User(user_id, name, role)


def list_users(store: Store) -> list[dict[str, object]]:
    """Every user: name, role, when added."""
    with store.read() as conn:
        rows = conn.execute(sa.select(users).order_by(users.c.name)).all()
    return [{"name": r.name, "role": r.role, "created_at": r.created_at.isoformat()} for r in rows]


def authenticate(store: Store, name: str, password: str) -> User | None:
    """The user when the name and password match (and the user is not disabled), else None."""
    with store.read() as conn:
        row = conn.execute(sa.select(users).where(users.c.name == name.strip())).first()
    try:
        _HASHER.verify(row.password_hash if row is not None else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if row is None or row.disabled:
        return None
    return User(row.id, row.name, row.role)


def create_session(store: Store, user: User) -> tuple[str, str]:
    """Start a browser session: (session token for the cookie, CSRF token). Only hashes are stored."""
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(24)
    now = utcnow()
    with store.write() as conn:
        conn.execute(
            web_sessions.insert().values(
                token_hash=_digest(token),
                user_id=user.id,
                csrf=csrf,
                created_at=now,
                expires_at=now + dt.timedelta(hours=SESSION_HOURS),
            )
        )
        store.audit(conn, "login", user.name, None, {})
    return token, csrf


def session_user(store: Store, token: str) -> tuple[User, str] | None:
    """The user and CSRF token of a live session, else None."""
    query = (
        sa.select(users.c.id, users.c.name, users.c.role, users.c.disabled, web_sessions.c.csrf)
        .join(users, users.c.id == web_sessions.c.user_id)
        .where(web_sessions.c.token_hash == _digest(token), web_sessions.c.expires_at > utcnow())
    )
    with store.read() as conn:
        row = conn.execute(query).first()
    if row is None or row.disabled:
        return None
    return User(row.id, row.name, row.role), row.csrf


def end_session(store: Store, token: str) -> None:
    """Sign out: forget the session."""
    with store.write() as conn:
        conn.execute(web_sessions.delete().where(web_sessions.c.token_hash == _digest(token)))


def create_token(store: Store, name: str, label: str = "api") -> str:
    """A new API token for the user `name` (shown once; only its hash is stored). Raises InvalidInput."""
    token = "ll_" + secrets.token_urlsafe(32)
    with store.write() as conn:
        user_id = conn.execute(sa.select(users.c.id).where(users.c.name == name)).scalar_one_or_none()
        if user_id is None:
            raise InvalidInput(f"No user '{name}'.", hint="`labourlens user add` makes one.")
        conn.execute(
            api_tokens.insert().values(
                token_hash=_digest(token), user_id=user_id, label=label, created_at=utcnow()
            )
        )
        store.audit(conn, "token_add", "labourlens", name, {"label": label})
    return token


def token_user(store: Store, token: str) -> User | None:
    """The user an API token belongs to, else None."""
    query = (
        sa.select(users.c.id, users.c.name, users.c.role, users.c.disabled)
        .join(users, users.c.id == api_tokens.c.user_id)
        .where(api_tokens.c.token_hash == _digest(token))
    )
    with store.read() as conn:
        row = conn.execute(query).first()
    if row is None or row.disabled:
        return None
    return User(row.id, row.name, row.role)
