"""Facets shared by search, stats and cases: which documents a set of conditions selects.

Each facet is a tuple of groups; every group must hold and, inside a group, any value will do:
`countries=(("RU", "CN"), ("KP",))` is "(RU or CN) and KP". Countries and nationalities are
ISO 3166-1 alpha-2 codes (a document is "in" a country when it names a place there);
sectors, entities: canonical names, matched without regard to case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from labourlens.errors import InvalidInput
from labourlens.model.analysis import INDICATOR_KEYS
from labourlens.store.query import TextQuery
from labourlens.store.tables import (
    STATUSES,
    analyses,
    document_entities,
    documents,
    entities,
    evidence,
    reviews,
)

__all__ = [
    "REVIEW_STATES",
    "Filters",
    "Groups",
    "document_conditions",
    "pg_tsquery",
    "select_documents",
    "text_condition",
]

Groups = tuple[tuple[str, ...], ...]
REVIEW_STATES: tuple[str, ...] = ("reviewed", "unreviewed", "accepted", "rejected", "relabelled")
_REVIEW_DECISION = {"accepted": "accept", "rejected": "reject", "relabelled": "relabel"}


@dataclass(frozen=True)
class Filters:
    """Conditions on documents; empty fields do not filter.

    text: a parsed full-text query; since/until: the document's date (its first day, for a
    partial date such as "2022"); statuses, reviews: any of the values; documents: row ids.
    """

    text: TextQuery | None = None
    indicators: Groups = ()
    countries: Groups = ()
    nationalities: Groups = ()
    sectors: Groups = ()
    entities: Groups = ()
    since: dt.date | None = None
    until: dt.date | None = None
    statuses: tuple[str, ...] = ()
    reviews: tuple[str, ...] = ()
    documents: tuple[int, ...] | None = None
    extra: tuple[ColumnElement[bool], ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        for group in self.indicators:
            for key in group:
                if key not in INDICATOR_KEYS:
                    raise InvalidInput(
                        f"'{key}' is not an indicator key.", hint=f"Use one of: {', '.join(INDICATOR_KEYS)}."
                    )
        for status in self.statuses:
            if status not in STATUSES:
                raise InvalidInput(
                    f"'{status}' is not a forced-labour status.", hint=f"Use one of: {', '.join(STATUSES)}."
                )
        for state in self.reviews:
            if state not in REVIEW_STATES:
                raise InvalidInput(
                    f"'{state}' is not a review state.", hint=f"Use one of: {', '.join(REVIEW_STATES)}."
                )
        if self.since and self.until and self.since > self.until:
            raise InvalidInput(
                f"The date range {self.since} to {self.until} is empty.", hint="Swap the dates."
            )

    def merged(self, other: Filters) -> Filters:
        """Both sets of conditions at once."""
        if self.text and other.text:
            text: TextQuery | None = TextQuery(
                self.text.clauses + other.text.clauses,
                self.text.excluded + other.text.excluded,
                f"{self.text.text} {other.text.text}",
            )
        else:
            text = self.text or other.text
        docs = self.documents
        if other.documents is not None:
            docs = other.documents if docs is None else tuple(d for d in docs if d in set(other.documents))
        return replace(
            self,
            text=text,
            indicators=self.indicators + other.indicators,
            countries=self.countries + other.countries,
            nationalities=self.nationalities + other.nationalities,
            sectors=self.sectors + other.sectors,
            entities=self.entities + other.entities,
            since=max(d for d in (self.since, other.since) if d) if (self.since or other.since) else None,
            until=min(d for d in (self.until, other.until) if d) if (self.until or other.until) else None,
            statuses=tuple(s for s in self.statuses if not other.statuses or s in other.statuses)
            if self.statuses
            else other.statuses,
            reviews=self.reviews + tuple(r for r in other.reviews if r not in self.reviews),
            documents=docs,
            extra=self.extra + other.extra,
        )

    @property
    def empty(self) -> bool:
        """True when nothing is filtered."""
        return self == Filters()


def pg_tsquery(query: TextQuery) -> ColumnElement[object]:
    """to_tsquery('english', <the query, bound as a parameter>)."""
    return sa.func.to_tsquery(sa.literal_column("'english'"), sa.bindparam(None, query.tsquery(), sa.Text))


def text_condition(query: TextQuery, backend: str) -> ColumnElement[bool]:
    """A condition on `documents`: its title or text match the full-text query."""
    if backend == "postgresql":
        return sa.literal_column("documents.tsv").bool_op("@@")(pg_tsquery(query))
    fts = sa.table("documents_fts", sa.column("rowid", sa.Integer))
    matching = sa.select(fts.c.rowid).where(sa.literal_column("documents_fts").op("MATCH")(query.fts5()))
    return documents.c.id.in_(matching)


def _entity_exists(types: tuple[str, ...], value: Callable[[], ColumnElement[bool]]) -> ColumnElement[bool]:
    return sa.exists(
        sa.select(1)
        .select_from(document_entities.join(entities, entities.c.id == document_entities.c.entity_id))
        .where(document_entities.c.document_id == documents.c.id, entities.c.type.in_(types), value())
    )


def _any_code(values: tuple[str, ...]) -> Callable[[], ColumnElement[bool]]:
    return lambda: entities.c.country.in_([v.upper() for v in values])


def _any_name(values: tuple[str, ...]) -> Callable[[], ColumnElement[bool]]:
    return lambda: sa.func.lower(entities.c.name).in_([v.lower() for v in values])


def document_conditions(filters: Filters, backend: str) -> list[ColumnElement[bool]]:
    """SQL conditions on `documents` (correlated on documents.id) for the filters."""
    conds: list[ColumnElement[bool]] = []
    if filters.text is not None:
        conds.append(text_condition(filters.text, backend))
    for group in filters.indicators:
        conds.append(
            sa.exists(
                sa.select(1).where(
                    evidence.c.document_id == documents.c.id,
                    evidence.c.indicator.in_(group),
                    evidence.c.negated.is_(False),
                )
            )
        )
    for group in filters.countries:
        conds.append(_entity_exists(("place",), _any_code(group)))
    for group in filters.nationalities:
        conds.append(_entity_exists(("nationality",), _any_code(group)))
    for group in filters.sectors:
        conds.append(_entity_exists(("sector",), _any_name(group)))
    for group in filters.entities:
        conds.append(
            _entity_exists(
                ("person", "organization", "place", "nationality", "sector", "role"), _any_name(group)
            )
        )
    if filters.since is not None:
        conds.append(documents.c.day >= filters.since)
    if filters.until is not None:
        conds.append(documents.c.day <= filters.until)
    if filters.statuses:
        conds.append(
            sa.exists(
                sa.select(1).where(
                    analyses.c.document_id == documents.c.id,
                    analyses.c.is_current.is_(True),
                    analyses.c.forced_labour.in_(filters.statuses),
                )
            )
        )
    if filters.reviews:
        states: list[ColumnElement[bool]] = []
        for state in filters.reviews:
            has = sa.select(1).where(reviews.c.document_id == documents.c.id)
            if state == "unreviewed":
                states.append(~sa.exists(has))
            elif state == "reviewed":
                states.append(sa.exists(has))
            else:
                states.append(sa.exists(has.where(reviews.c.decision == _REVIEW_DECISION[state])))
        conds.append(sa.or_(*states))
    if filters.documents is not None:
        conds.append(documents.c.id.in_(filters.documents) if filters.documents else sa.false())
    conds.extend(filters.extra)
    return conds


def select_documents(filters: Filters, backend: str) -> sa.Select[Any]:
    """SELECT documents.id for the documents the filters select."""
    return sa.select(documents.c.id).where(*document_conditions(filters, backend))
