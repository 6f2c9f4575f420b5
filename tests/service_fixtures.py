"""Shared by the service tests: an app over a small stored corpus, with one user per role."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from labourlens.store import Store

PASSWORD = "correct horse battery"


@dataclass
class Site:
    """An app, its store, the users' names and API tokens, and the stored documents (key -> row id)."""

    app: object
    store: Store
    names: dict[str, str]
    tokens: dict[str, str]
    docs: dict[str, int]


def make_site(store: Store) -> Site:
    """Fill the store with the hand-made corpus; add an admin, an analyst and a viewer with tokens."""
    from labourlens.service import create_app
    from labourlens.service.accounts import create_token, create_user
    from store_corpus import fill

    docs = fill(store)
    suffix = uuid.uuid4().hex[:6]
    names, tokens = {}, {}
    for role in ("admin", "analyst", "viewer"):
        name = f"{role}-{suffix}"
        create_user(store, name, role, PASSWORD)
        names[role] = name
        tokens[role] = create_token(store, name)
    return Site(create_app(store, secret="test-secret"), store, names, tokens, docs)


@pytest.fixture
def site(tmp_path: object) -> Iterator[Site]:
    """A site over a temporary SQLite base."""
    url = f"sqlite:///{tmp_path}/web.db"
    with Store.open(url) as store:
        yield make_site(store)
