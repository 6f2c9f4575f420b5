"""The evidence base: documents with their analyses in SQLite (default) or PostgreSQL.

    from labourlens.store import Store, Filters, parse_query, search
    with Store.open("sqlite:///base.db") as store:
        page = search(store, Filters(text=parse_query("passport"), countries=(("QA",),)))

Modules: db (engine from URL), tables (the schema), migrations (Alembic, run on open),
repository (Store: add, read, review, audit), query (the safe full-text query language),
filters (facets), search, aggregate (stats), cases, ingest (batch ingest in parallel),
reanalyze.
"""

from labourlens.store.filters import REVIEW_STATES, Filters
from labourlens.store.query import TextQuery, parse_query, require_query
from labourlens.store.repository import Review, Store, StoredDocument, content_hash, ref_of
from labourlens.store.search import Hit, Quote, SearchPage, search

__all__ = [
    "REVIEW_STATES",
    "Filters",
    "Hit",
    "Quote",
    "Review",
    "SearchPage",
    "Store",
    "StoredDocument",
    "TextQuery",
    "content_hash",
    "parse_query",
    "ref_of",
    "require_query",
    "search",
]
