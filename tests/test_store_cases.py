"""Cases (the --where language, membership, the ICLS 2018 test at case level); reanalysis keeps reviews."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from labourlens.errors import InvalidInput, NotFound
from labourlens.knowledge import load_knowledge
from labourlens.model import Assessment, Entity, IndicatorResult
from labourlens.pipeline.assess import assess
from labourlens.settings import Settings
from labourlens.store import Store
from labourlens.store.cases import (
    add_to_case,
    assess_case,
    case_members,
    create_case,
    delete_case,
    get_case,
    list_cases,
    remove_from_case,
)
from labourlens.store.names import Resolver
from labourlens.store.reanalyze import reanalyze
from labourlens.store.tables import analyses, evidence, reviews
from labourlens.store.where import Condition, build_filters, parse_where
from store_corpus import BY_KEY, fill, status_of

KNOWLEDGE = load_knowledge()


def _assess(text: str, indicators: list[IndicatorResult], entities: list[Entity]) -> Assessment:
    return assess(KNOWLEDGE, text, indicators, entities)


def test_store_where_language() -> None:
    assert parse_where("nationality=KP and country=RU") == [
        Condition("nationality", ("KP",)),
        Condition("country", ("RU",)),
    ]
    assert parse_where("country = 'Russia, China' AND sector:construction") == [
        Condition("country", ("Russia", "China")),
        Condition("sector", ("construction",)),
    ]
    assert parse_where('text="passports and phones" and since=2022') == [
        Condition("text", ("passports and phones",)),
        Condition("since", ("2022",)),
    ]
    for bad in (
        "",
        "nationality",
        "colour=red",
        "country=",
        "country='RU",
        "country=RU and",
        "country='RU' sector=x",
        "x" * 3000,
    ):
        with pytest.raises(InvalidInput):
            parse_where(bad)
    # values are checked when they are resolved: an unknown country is refused there
    assert parse_where("country=RU; DROP TABLE cases") == [Condition("country", ("RU; DROP TABLE cases",))]


def test_store_where_values_are_resolved(store: Store) -> None:
    fill(store, ["kp"])
    resolver = Resolver(store)
    filters = build_filters(
        parse_where("country=north korea and nationality='North Korean' and since=2021-08"), resolver
    )
    assert filters.countries == (("KP",),) and filters.nationalities == (("KP",),)
    assert str(filters.since) == "2021-08-01"
    for bad in (
        "country=RU; DROP TABLE cases",
        "indicator=slavery",
        "status=bad",
        "since=yesterday",
        "text=*",
    ):
        with pytest.raises(InvalidInput):
            build_filters(parse_where(bad), resolver)


def test_store_case_assessment_combines_documents(store: Store) -> None:
    ids = fill(store)
    resolver = Resolver(store)
    # each document alone is "possible": one has only involuntary work, the other only coercion
    assert status_of([k for k, _ in BY_KEY["ot"].evidence]) == "possible"
    assert status_of([k for k, _ in BY_KEY["co"].evidence]) == "possible"
    case = create_case(
        store,
        "Dhaka garment recruiters",
        where="country=BD and sector=garment",
        resolver=resolver,
        user="ana",
    )
    assert sorted(case_members(store, case, resolver)) == sorted([ids["ot"], ids["co"]])
    report = assess_case(store, case, resolver, _assess)
    assert report.assessment.forced_labour == "indicated"
    assert report.assessment.involuntariness == ["excessive_overtime"]
    assert report.assessment.coercion == ["retention_of_identity_documents"]
    assert report.statuses == {"possible": 2}
    refs = {d.id: d.ref for d in report.documents}
    quotes = {(q.document, q.indicator, q.quote) for q in report.quotes}
    assert quotes == {
        (refs[ids["ot"]], "excessive_overtime", "regularly worked 16 hours a day"),
        (refs[ids["co"]], "retention_of_identity_documents", "kept the passports of the garment workers"),
    }  # every quote behind it, with its document; the negated one is not evidence
    data = report.to_dict()
    assert data["assessment"]["forced_labour"] == "indicated"
    assert {r["indicator"]: r["documents"] for r in data["indicators"]} == {
        "excessive_overtime": 1,
        "retention_of_identity_documents": 1,
    }

    # a reviewer rejects the coercion quote: the case is no longer indicated
    co_quote = next(q for q in report.quotes if q.indicator == "retention_of_identity_documents")
    store.add_review(co_quote.evidence_id, "reject", reviewer="ben")
    after = assess_case(store, case, resolver, _assess)
    assert after.assessment.forced_labour == "possible" and after.rejected == 1
    # ... and relabels the overtime quote as debt bondage (coercion): the case has coercion only
    ot_quote = next(q for q in report.quotes if q.indicator == "excessive_overtime")
    store.add_review(ot_quote.evidence_id, "relabel", reviewer="ben", new_indicator="debt_bondage")
    relabelled = assess_case(store, case, resolver, _assess, dimensions=KNOWLEDGE.dimensions)
    assert relabelled.assessment.coercion == ["debt_bondage"] and relabelled.assessment.involuntariness == []
    assert relabelled.quotes[0].review == "relabel"


def test_store_case_membership_by_hand(store: Store) -> None:
    ids = fill(store)
    resolver = Resolver(store)
    case = create_case(
        store, "DPRK workers in Russia", where="nationality=KP and country=RU", resolver=resolver, user="ana"
    )
    assert case_members(store, case, resolver) == [ids["kp"]]
    add_to_case(store, case, [ids["kp2"]], user="ana")  # no nationality named, added by hand
    assert case_members(store, case, resolver) == sorted([ids["kp"], ids["kp2"]])
    remove_from_case(store, case, [ids["kp"]], user="ana")  # stays out though the query selects it
    assert case_members(store, case, resolver) == [ids["kp2"]]
    assert get_case(store, "dprk workers in russia").removed == 1
    manual = create_case(store, "Hand picked", where=None, resolver=resolver, user="ana")
    assert case_members(store, manual, resolver) == []
    add_to_case(store, manual, [ids["qa"], ids["qa"]], user="ana")
    assert case_members(store, manual, resolver) == [ids["qa"]]
    assert [c.name for c in list_cases(store)] == ["DPRK workers in Russia", "Hand picked"]
    with pytest.raises(InvalidInput, match="already exists"):
        create_case(store, "Hand picked", where=None, resolver=resolver, user="ana")
    with pytest.raises(InvalidInput):
        create_case(store, "Bad", where="planet=Mars", resolver=resolver, user="ana")
    delete_case(store, manual, user="ana")
    with pytest.raises(NotFound):
        get_case(store, "Hand picked")
    actions = [e["action"] for e in store.audit_entries()]
    assert actions[0] == "case_delete" and "case_create" in actions and "case_remove" in actions


def test_store_reanalysis_keeps_reviews(store: Store) -> None:
    ids = fill(store, ["qa", "kp", "plain"])  # hand-made analyses from an "older pipeline"
    first = reanalyze(store, settings=Settings(), user="ana", jobs=1)
    assert (first.examined, first.up_to_date, first.reanalysed) == (3, 0, 3)
    for change in first.changes:  # the report says what changed, document by document
        key = next(k for k, v in ids.items() if store.document(v).ref == change.document)
        before = {k for k, _ in BY_KEY[key].evidence}
        after = set(store.document(ids[key]).indicators)
        assert (set(change.added), set(change.removed)) == (after - before, before - after)
    assert store.document(ids["plain"]).ref not in {c.document for c in first.changed}
    again = reanalyze(store, settings=Settings(), user="ana", jobs=1)
    assert (again.up_to_date, again.reanalysed) == (3, 0)  # nothing is stale now

    rows = store.evidence_rows(ids["qa"]) + store.evidence_rows(ids["kp"])
    assert len(rows) >= 3
    kept = [
        store.add_review(rows[0]["id"], "accept", reviewer="ana"),
        store.add_review(rows[1]["id"], "reject", reviewer="ben"),
    ]
    gone = store.add_review(rows[2]["id"], "accept", reviewer="cy", note="a quote the new pipeline drops")
    with store.write() as conn:  # this quote was found only by the old pipeline
        conn.execute(reviews.update().where(reviews.c.id == gone.id).values(start_char=0, end_char=1))
        conn.execute(analyses.update().values(knowledge_version="older"))  # a pipeline upgrade
    third = reanalyze(store, settings=Settings(), user="ana", jobs=1)
    assert third.reanalysed == 3
    after = {r.id: r for r in store.reviews()}
    assert len(after) == 3
    assert [after[r.id].decision for r in kept] == ["accept", "reject"]
    assert after[gone.id].evidence_id is None and after[gone.id].note == "a quote the new pipeline drops"
    with store.read() as conn:
        for old in kept:
            new = after[old.id]
            assert new.evidence_id is not None and new.evidence_id != old.evidence_id  # linked to the new row
            row = conn.execute(sa.select(evidence).where(evidence.c.id == new.evidence_id)).one()
            assert (row.indicator, row.start_char, row.end_char) == (old.indicator, old.start, old.end)
    assert sum(c.reviews_relinked for c in third.changes) == 2
    assert sum(c.reviews_unlinked for c in third.changes) == 1
    history = store.history(ids["qa"])
    assert [h["current"] for h in history] == [False, False, True]  # the hand-made one, then two reanalyses
    assert store.audit_entries()[0]["action"] == "reanalyze"
