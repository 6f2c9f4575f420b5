"""Search the evidence base: full text (SQLite FTS5, PostgreSQL tsvector) and facets, a page at a time.

    page = search(store, Filters(text=parse_query("passport"), countries=(("QA",),)), page=1)
    for hit in page.hits:
        print(hit.document.ref, [q.marked() for q in hit.quotes])

Documents are ranked by relevance (bm25; ts_rank_cd) when there is text to search for, else
newest first. Each hit carries up to `quotes` of its evidence quotes that match, with the
matched words marked; when no quote matches, a snippet of the text.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

import sqlalchemy as sa

from labourlens.errors import InvalidInput
from labourlens.store.filters import Filters, document_conditions, pg_tsquery
from labourlens.store.query import TextQuery
from labourlens.store.repository import Store, StoredDocument
from labourlens.store.tables import documents, evidence

__all__ = ["MAX_PER_PAGE", "Hit", "Quote", "SearchPage", "search", "split_marks"]

MAX_PER_PAGE = 500
# Marks around matched words, as the database returns them; control characters never occur in
# stored text (ingest removes them).
OPEN, CLOSE = "\x02", "\x03"
_PG_QUOTE_OPTS = f'StartSel="{OPEN}", StopSel="{CLOSE}", HighlightAll=true'
_PG_SNIPPET_OPTS = f'StartSel="{OPEN}", StopSel="{CLOSE}", MaxWords=30, MinWords=12, MaxFragments=2'
_SNIPPET_TOKENS = 28
_PG_HEADLINE_CHARS = 500_000


def split_marks(marked: str) -> tuple[str, list[tuple[int, int]]]:
    """Remove the OPEN/CLOSE marks from a string; return the plain string and the marked spans."""
    plain: list[str] = []
    marks: list[tuple[int, int]] = []
    pos = 0
    start: int | None = None
    for ch in marked:
        if ch == OPEN:
            start = pos
        elif ch == CLOSE:
            if start is not None and pos > start:
                marks.append((start, pos))
            start = None
        else:
            plain.append(ch)
            pos += 1
    return "".join(plain), marks


@dataclass
class Quote:
    """A passage shown in a hit: an evidence quote (evidence_id set) or a snippet of the text.

    marks: (start, end) of each matched word inside `text`; also: the other indicators the same
    passage is evidence of.
    """

    text: str
    marks: list[tuple[int, int]] = field(default_factory=list)
    evidence_id: int | None = None
    indicator: str | None = None
    also: list[str] = field(default_factory=list)
    start: int | None = None
    end: int | None = None
    negated: bool = False
    hedged: bool = False
    speaker: str | None = None

    def marked(self, open_mark: str = "**", close_mark: str = "**") -> str:
        """The text with each match between the marks."""
        out: list[str] = []
        pos = 0
        for s, e in self.marks:
            out.append(self.text[pos:s] + open_mark + self.text[s:e] + close_mark)
            pos = e
        out.append(self.text[pos:])
        return "".join(out)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "text": self.text,
            "marked": self.marked(),
            "marks": [list(m) for m in self.marks],
        }
        if self.evidence_id is not None:
            out.update(
                {
                    "evidence_id": self.evidence_id,
                    "indicator": self.indicator,
                    "also": self.also,
                    "start": self.start,
                    "end": self.end,
                    "negated": self.negated,
                    "hedged": self.hedged,
                    "speaker": self.speaker,
                }
            )
        return out


@dataclass
class Hit:
    """One document found, with the quotes that show why."""

    document: StoredDocument
    quotes: list[Quote]
    more_quotes: int = 0
    snippet: Quote | None = None
    score: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "document": self.document.to_dict(),
            "score": self.score,
            "quotes": [q.to_dict() for q in self.quotes],
            "more_quotes": self.more_quotes,
            "snippet": self.snippet.to_dict() if self.snippet else None,
        }


@dataclass
class SearchPage:
    """One page of results: `total` documents match; `hits` are those of page `page`."""

    total: int
    page: int
    per_page: int
    hits: list[Hit]
    query: str | None

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "total": self.total,
            "page": self.page,
            "pages": self.pages,
            "per_page": self.per_page,
            "hits": [h.to_dict() for h in self.hits],
        }


def _ranked_ids(
    conn: sa.Connection, filters: Filters, backend: str, limit: int, offset: int
) -> list[tuple[int, float | None]]:
    """The ids of one page of matching documents, best first, with their scores."""
    text = filters.text
    if text is None:
        conds = document_conditions(filters, backend)
        query = (
            sa.select(documents.c.id)
            .where(*conds)
            .order_by(documents.c.day.desc().nulls_last(), documents.c.id.desc())
            .limit(limit)
            .offset(offset)
        )
        return [(row.id, None) for row in conn.execute(query)]
    conds = document_conditions(replace(filters, text=None), backend)
    if backend == "postgresql":
        tsv: sa.ColumnClause[Any] = sa.literal_column("documents.tsv")
        rank = sa.func.ts_rank_cd(tsv, pg_tsquery(text)).label("score")
        query = (
            sa.select(documents.c.id, rank)
            .where(tsv.bool_op("@@")(pg_tsquery(text)), *conds)
            .order_by(sa.desc("score"), documents.c.id)
            .limit(limit)
            .offset(offset)
        )
        return [(row.id, float(row.score)) for row in conn.execute(query)]
    fts = sa.table("documents_fts", sa.column("rowid", sa.Integer))
    score: sa.Label[Any] = sa.literal_column("bm25(documents_fts, 3.0, 1.0)").label("score")
    query = (
        sa.select(documents.c.id, score)
        .select_from(documents.join(fts, fts.c.rowid == documents.c.id))
        .where(sa.literal_column("documents_fts").op("MATCH")(text.fts5()), *conds)
        .order_by(sa.asc("score"), documents.c.id)
        .limit(limit)
        .offset(offset)
    )
    # bm25 is lower for better matches; shown negated so that higher is better on both backends
    return [(row.id, -float(row.score)) for row in conn.execute(query)]


def _evidence_quote(row: Any, marked: str | None) -> Quote:
    marks: list[tuple[int, int]] = []
    if marked is not None:
        plain, found = split_marks(marked)
        if plain == row.quote:
            marks = found
    return Quote(
        text=row.quote,
        marks=marks,
        evidence_id=row.id,
        indicator=row.indicator,
        start=row.start_char,
        end=row.end_char,
        negated=bool(row.negated),
        hedged=bool(row.hedged),
        speaker=row.speaker,
    )


def _quotes(conn: sa.Connection, ids: list[int], filters: Filters, backend: str) -> dict[int, list[Quote]]:
    """The evidence quotes of these documents to show: those matching the text (marked), within the
    indicator facets, non-negated first, in text order."""
    wanted = sorted({k for group in filters.indicators for k in group})
    cols = [
        evidence.c.id,
        evidence.c.document_id,
        evidence.c.indicator,
        evidence.c.start_char,
        evidence.c.end_char,
        evidence.c.quote,
        evidence.c.negated,
        evidence.c.hedged,
        evidence.c.speaker,
    ]
    conds = [evidence.c.document_id.in_(ids)]
    if wanted:
        conds.append(evidence.c.indicator.in_(wanted))
    order = (evidence.c.document_id, evidence.c.negated, evidence.c.start_char, evidence.c.indicator)
    text = filters.text.any_term() if filters.text else None
    if text is None:
        query = sa.select(*cols, sa.null().label("marked")).where(*conds).order_by(*order)
    elif backend == "postgresql":
        tsq = pg_tsquery(text)
        marked = sa.func.ts_headline(sa.literal_column("'english'"), evidence.c.quote, tsq, _PG_QUOTE_OPTS)
        query = (
            sa.select(*cols, marked.label("marked"))
            .where(sa.literal_column("evidence.tsv").bool_op("@@")(tsq), *conds)
            .order_by(*order)
        )
    else:
        fts = sa.table("evidence_fts", sa.column("rowid", sa.Integer))
        marked_col: sa.ColumnClause[Any] = sa.literal_column(
            f"highlight(evidence_fts, 0, '{OPEN}', '{CLOSE}')"
        )
        query = (
            sa.select(*cols, marked_col.label("marked"))
            .select_from(evidence.join(fts, fts.c.rowid == evidence.c.id))
            .where(sa.literal_column("evidence_fts").op("MATCH")(text.fts5()), *conds)
            .order_by(*order)
        )
    out: dict[int, list[Quote]] = {}
    seen: dict[tuple[int, int, int], Quote] = {}
    for row in conn.execute(query):
        span = (row.document_id, row.start_char, row.end_char)
        if span in seen:  # one passage, evidence of several indicators: shown once
            if row.indicator != seen[span].indicator and row.indicator not in seen[span].also:
                seen[span].also.append(row.indicator)
            continue
        seen[span] = _evidence_quote(row, row.marked)
        out.setdefault(row.document_id, []).append(seen[span])
    return out


def _snippets(conn: sa.Connection, ids: list[int], text: TextQuery, backend: str) -> dict[int, Quote]:
    """A short passage of each document's text around the matched words."""
    if not ids:
        return {}
    if backend == "postgresql":
        body = sa.func.left(documents.c.text, _PG_HEADLINE_CHARS)
        headline = sa.func.ts_headline(
            sa.literal_column("'english'"), body, pg_tsquery(text), _PG_SNIPPET_OPTS
        )
        query = sa.select(documents.c.id, headline.label("marked")).where(documents.c.id.in_(ids))
    else:
        fts = sa.table("documents_fts", sa.column("rowid", sa.Integer))
        snip: sa.ColumnClause[Any] = sa.literal_column(
            f"snippet(documents_fts, 1, '{OPEN}', '{CLOSE}', '…', {_SNIPPET_TOKENS})"
        )
        query = sa.select(fts.c.rowid.label("id"), snip.label("marked")).where(
            sa.literal_column("documents_fts").op("MATCH")(text.fts5()), fts.c.rowid.in_(ids)
        )
    out: dict[int, Quote] = {}
    for row in conn.execute(query):
        plain, marks = split_marks(" ".join(str(row.marked or "").split()))
        out[row.id] = Quote(text=plain, marks=marks)
    return out


def count_documents(store: Store, filters: Filters) -> int:
    """How many documents the filters select."""
    with store.read() as conn:
        return int(
            conn.execute(
                sa.select(sa.func.count())
                .select_from(documents)
                .where(*document_conditions(filters, store.backend))
            ).scalar_one()
        )


def search(
    store: Store, filters: Filters, *, page: int = 1, per_page: int = 20, quotes: int = 3
) -> SearchPage:
    """One page of the documents that match the filters, best first, with their quotes.

    page: 1-based; per_page: 1..MAX_PER_PAGE; quotes: at most this many quotes per document.
    Raises InvalidInput for a bad page size or number.
    """
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise InvalidInput(f"--per-page must be from 1 to {MAX_PER_PAGE}, not {per_page}.")
    if page < 1:
        raise InvalidInput(f"--page starts at 1, not {page}.")
    total = count_documents(store, filters)
    with store.read() as conn:
        ranked = _ranked_ids(conn, filters, store.backend, per_page, (page - 1) * per_page)
        ids = [i for i, _ in ranked]
        found = _quotes(conn, ids, filters, store.backend) if ids else {}
        need_snippet = [i for i in ids if not found.get(i)]
        snippets = _snippets(conn, need_snippet, filters.text, store.backend) if filters.text else {}
    records = {d.id: d for d in store.documents_by_id(ids)}
    hits = []
    for doc_id, score in ranked:
        if doc_id not in records:
            continue  # removed meanwhile
        doc_quotes = found.get(doc_id, [])
        hits.append(
            Hit(
                document=records[doc_id],
                quotes=doc_quotes[:quotes],
                more_quotes=max(0, len(doc_quotes) - quotes),
                snippet=snippets.get(doc_id),
                score=round(score, 4) if score is not None else None,
            )
        )
    return SearchPage(
        total=total,
        page=page,
        per_page=per_page,
        hits=hits,
        query=filters.text.text if filters.text else None,
    )
