"""Counts across the evidence base: documents by indicator, country, nationality, sector, year...,
co-occurrence of indicators, and summaries of facts (median hours per day by country...).

Every number comes with the documents behind it. A document counts once in each group it
belongs to: one that names places in Qatar and in Nepal counts for both countries. Places,
organisations and nationalities are counted by canonical name (and countries by ISO code), so
"DPRK" and "North Korea" are one. `by=("indicator", "indicator")` gives pairs of indicators
found in the same document (each pair once, in key order).
"""

from __future__ import annotations

import itertools
import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from labourlens.errors import InvalidInput
from labourlens.model.analysis import INDICATOR_KEYS
from labourlens.store.filters import Filters, select_documents
from labourlens.store.repository import Store, ref_of
from labourlens.store.tables import analyses, document_entities, documents, entities, evidence, facts

__all__ = ["DIMENSIONS", "FactRow", "FactSummary", "StatRow", "Stats", "fact_summary", "stats"]

# dimension -> (entity type, column) for entity dimensions
_ENTITY_DIMS: dict[str, tuple[str, str]] = {
    "country": ("place", "country"),
    "nationality": ("nationality", "country"),
    "sector": ("sector", "name"),
    "place": ("place", "name"),
    "organization": ("organization", "name"),
    "person": ("person", "name"),
}
DIMENSIONS: tuple[str, ...] = ("indicator", *_ENTITY_DIMS, "year", "status", "language")
Value = str | int | None


@dataclass
class StatRow:
    """One group: its values (one per dimension) and the documents in it."""

    values: tuple[Value, ...]
    documents: list[str]

    @property
    def count(self) -> int:
        return len(self.documents)


@dataclass
class Stats:
    """Document counts per group, largest first. total: the documents the filters select."""

    by: tuple[str, ...]
    rows: list[StatRow]
    total: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "by": list(self.by),
            "total_documents": self.total,
            "rows": [
                {**_named(self.by, r.values), "documents": r.count, "document_ids": r.documents}
                for r in self.rows
            ],
        }


@dataclass
class FactRow:
    """The values of one kind of fact in one group: how many, median, min, max, and the documents."""

    values: tuple[Value, ...]
    unit: str | None
    numbers: list[float] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.numbers)

    @property
    def median(self) -> float:
        return float(statistics.median(self.numbers))


@dataclass
class FactSummary:
    """A kind of fact summarised per group."""

    kind: str
    by: tuple[str, ...]
    rows: list[FactRow]
    total: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "by": list(self.by),
            "total_documents": self.total,
            "rows": [
                {
                    **_named(self.by, r.values),
                    "unit": r.unit,
                    "n": r.n,
                    "median": _num(r.median),
                    "min": _num(min(r.numbers)),
                    "max": _num(max(r.numbers)),
                    "documents": len(r.documents),
                    "document_ids": r.documents,
                }
                for r in self.rows
            ],
        }


def _num(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 3)


def _named(by: tuple[str, ...], values: tuple[Value, ...]) -> dict[str, Value]:
    """{dimension: value}; a repeated dimension gets a suffix (indicator, indicator_2)."""
    out: dict[str, Value] = {}
    for dim, value in zip(by, values, strict=True):
        key = dim
        n = 2
        while key in out:
            key = f"{dim}_{n}"
            n += 1
        out[key] = value
    return out


def check_dimensions(by: Sequence[str]) -> tuple[str, ...]:
    """Validate the dimensions; at most three, and only 'indicator' may repeat (co-occurrence)."""
    dims = tuple(d.strip().lower() for d in by if d.strip())
    if not dims:
        raise InvalidInput("Say what to count by.", hint=f"Use --by with some of: {', '.join(DIMENSIONS)}.")
    for dim in dims:
        if dim not in DIMENSIONS:
            raise InvalidInput(
                f"'{dim}' is not something to count by.", hint=f"Use some of: {', '.join(DIMENSIONS)}."
            )
    if len(dims) > 3:
        raise InvalidInput("Count by at most three dimensions at once.")
    repeated = {d for d in dims if dims.count(d) > 1}
    if repeated - {"indicator"} or dims.count("indicator") > 2:
        raise InvalidInput(
            "Only 'indicator' may be given twice (--by indicator,indicator counts pairs of indicators).",
        )
    return dims


def _pairs(conn: sa.Connection, dim: str, doc_ids: sa.Select[Any]) -> dict[int, set[Value]]:
    """document id -> its values of one dimension, among the selected documents."""
    query: sa.Select[Any]
    if dim == "indicator":
        query = sa.select(evidence.c.document_id, evidence.c.indicator).where(
            evidence.c.negated.is_(False), evidence.c.document_id.in_(doc_ids)
        )
    elif dim in _ENTITY_DIMS:
        etype, col = _ENTITY_DIMS[dim]
        query = (
            sa.select(document_entities.c.document_id, entities.c[col])
            .join(entities, entities.c.id == document_entities.c.entity_id)
            .where(
                entities.c.type == etype,
                entities.c[col].is_not(None),
                document_entities.c.document_id.in_(doc_ids),
            )
        )
    elif dim == "status":
        query = sa.select(analyses.c.document_id, analyses.c.forced_labour).where(
            analyses.c.is_current.is_(True), analyses.c.document_id.in_(doc_ids)
        )
    else:  # year, language: one value per document (None when unknown)
        query = sa.select(documents.c.id, documents.c[dim]).where(documents.c.id.in_(doc_ids))
    out: dict[int, set[Value]] = defaultdict(set)
    for row in conn.execute(query.distinct()):
        out[row[0]].add(row[1])
    return out


def _groups(per_dim: list[dict[int, set[Value]]], dims: tuple[str, ...]) -> dict[tuple[Value, ...], set[int]]:
    """Group key -> documents, over the documents that have a value in every dimension."""
    groups: dict[tuple[Value, ...], set[int]] = defaultdict(set)
    common = set(per_dim[0]).intersection(*per_dim[1:]) if per_dim else set()
    order = {k: i for i, k in enumerate(INDICATOR_KEYS)}
    for doc_id in common:
        choices = [sorted(d[doc_id], key=lambda v: (v is None, str(v))) for d in per_dim]
        for combo in itertools.product(*choices):
            if dims.count("indicator") == 2:
                first, second = (i for i, d in enumerate(dims) if d == "indicator")
                a, b = combo[first], combo[second]
                if order.get(str(a), 99) >= order.get(str(b), 99):
                    continue  # each pair once, in key order; no indicator with itself
            groups[combo].add(doc_id)
    return groups


def _refs(conn: sa.Connection, ids: set[int]) -> dict[int, str]:
    out: dict[int, str] = {}
    wanted = sorted(ids)
    for start in range(0, len(wanted), 500):
        part = wanted[start : start + 500]
        for doc_id, sha in conn.execute(
            sa.select(documents.c.id, documents.c.sha256).where(documents.c.id.in_(part))
        ):
            out[doc_id] = ref_of(sha)
    return out


def _total(conn: sa.Connection, doc_ids: sa.Select[Any]) -> int:
    return int(conn.execute(sa.select(sa.func.count()).select_from(doc_ids.subquery())).scalar_one())


def stats(store: Store, by: Sequence[str], filters: Filters | None = None, *, min_count: int = 1) -> Stats:
    """Documents per group of the dimensions `by`, largest groups first.

    by: dimensions from DIMENSIONS; filters: which documents count; min_count: leave out
    smaller groups. Raises InvalidInput for an unknown dimension.
    """
    dims = check_dimensions(by)
    doc_ids = select_documents(filters or Filters(), store.backend)
    with store.read() as conn:
        total = _total(conn, doc_ids)
        per_dim = [_pairs(conn, dim, doc_ids) for dim in dims]
        groups = _groups(per_dim, dims)
        refs = _refs(conn, set().union(*groups.values()) if groups else set())
    rows = [
        StatRow(values=key, documents=sorted(refs[d] for d in docs))
        for key, docs in groups.items()
        if len(docs) >= min_count
    ]
    rows.sort(key=lambda r: (-r.count, tuple((v is None, str(v)) for v in r.values)))
    return Stats(by=dims, rows=rows, total=total)


def _fact_number(value: float | None, low: float | None, high: float | None) -> float | None:
    """A fact's number: its value, else the middle of its range, else whichever bound it has."""
    if value is not None:
        return value
    if low is not None and high is not None:
        return (low + high) / 2
    return low if low is not None else high


def fact_summary(
    store: Store, kind: str, by: Sequence[str] = (), filters: Filters | None = None
) -> FactSummary:
    """Median, min and max of one kind of fact (hours_per_day, wage...) per group, with the documents.

    kind: the fact kind; by: dimensions (may be empty: one row for everything). Facts with
    different units, currencies or periods ("per") are never mixed: they get rows of their own.
    A range ("12 to 14 hours") counts as its middle.
    """
    dims = check_dimensions(by) if by else ()
    doc_ids = select_documents(filters or Filters(), store.backend)
    with store.read() as conn:
        known = conn.execute(sa.select(facts.c.id).where(facts.c.kind == kind).limit(1)).first()
        if known is None:
            kinds = sorted(conn.execute(sa.select(facts.c.kind).distinct()).scalars())
            raise InvalidInput(
                f"No fact of kind '{kind}' in the evidence base.",
                hint=f"Kinds found: {', '.join(kinds)}." if kinds else "Ingest some documents first.",
            )
        total = _total(conn, doc_ids)
        rows = conn.execute(
            sa.select(
                facts.c.document_id,
                facts.c.value,
                facts.c.min,
                facts.c.max,
                facts.c.unit,
                facts.c.per,
                facts.c.currency,
            ).where(facts.c.kind == kind, facts.c.document_id.in_(doc_ids))
        ).all()
        per_dim = [_pairs(conn, dim, doc_ids) for dim in dims]
        grouped = _groups(per_dim, dims) if dims else {(): {r.document_id for r in rows}}
        refs = _refs(conn, {r.document_id for r in rows})
    by_doc: dict[int, list[tuple[float, str | None]]] = defaultdict(list)
    for r in rows:
        number = _fact_number(r.value, r.min, r.max)
        if number is None:
            continue
        per = r.per if r.per and not kind.endswith(f"_per_{r.per}") else None  # hours_per_day per day
        unit = " ".join(p for p in (r.currency, r.unit, f"per {per}" if per else None) if p) or None
        by_doc[r.document_id].append((number, unit))
    out: dict[tuple[tuple[Value, ...], str | None], FactRow] = {}
    for key, docs in grouped.items():
        for doc_id in sorted(docs):
            for number, unit in by_doc.get(doc_id, []):
                row = out.setdefault((key, unit), FactRow(values=key, unit=unit))
                row.numbers.append(number)
                if refs[doc_id] not in row.documents:
                    row.documents.append(refs[doc_id])
    result = sorted(
        out.values(), key=lambda r: (-len(r.documents), tuple(str(v) for v in r.values), r.unit or "")
    )
    for row in result:
        row.documents.sort()
    return FactSummary(kind=kind, by=dims, rows=result, total=total)
