"""Stats: document counts by facet, co-occurrence, fact summaries, and the documents behind every number."""

from __future__ import annotations

import pytest

from labourlens.errors import InvalidInput
from labourlens.store import Filters, Store, ref_of
from labourlens.store.aggregate import fact_summary, stats
from store_corpus import fill


def _refs(store: Store, ids: dict[str, int], *keys: str) -> list[str]:
    return sorted(d.ref for d in store.documents_by_id([ids[k] for k in keys]))


def _rows(result: object) -> dict[tuple[object, ...], list[str]]:
    return {r.values: r.documents for r in result.rows}  # type: ignore[attr-defined]


def test_store_stats_by_indicator(store: Store) -> None:
    ids = fill(store)
    result = stats(store, ["indicator"])
    rows = _rows(result)
    assert result.total == 6
    assert rows[("retention_of_identity_documents",)] == _refs(store, ids, "qa", "kp", "co")
    assert rows[("excessive_overtime",)] == _refs(store, ids, "kp", "kp2", "ot")
    assert ("physical_sexual_violence",) not in rows  # only negated evidence
    assert result.rows[0].count == 3  # largest first


def test_store_stats_resolve_names_across_documents(store: Store) -> None:
    ids = fill(store)
    # "DPRK" in one document and "North Korea" in another are one country and one place
    by_country = _rows(stats(store, ["country"]))
    assert by_country[("KP",)] == _refs(store, ids, "kp", "kp2")
    assert by_country[("RU",)] == _refs(store, ids, "kp", "kp2")
    assert by_country[("NP",)] == _refs(store, ids, "plain")
    assert _rows(stats(store, ["place"]))[("North Korea",)] == _refs(store, ids, "kp", "kp2")
    assert _rows(stats(store, ["nationality"])) == {
        ("KP",): _refs(store, ids, "kp"),
        ("NP",): _refs(store, ids, "qa"),
    }


def test_store_stats_two_dimensions_and_cooccurrence(store: Store) -> None:
    ids = fill(store)
    rows = _rows(stats(store, ["indicator", "country"]))
    assert rows[("excessive_overtime", "RU")] == _refs(store, ids, "kp", "kp2")
    assert rows[("excessive_overtime", "BD")] == _refs(store, ids, "ot")
    assert ("intimidation_threats", "RU") not in rows
    pairs = _rows(stats(store, ["indicator", "indicator"]))
    assert pairs[("retention_of_identity_documents", "withholding_of_wages")] == _refs(store, ids, "qa", "kp")
    assert pairs[("abusive_working_living_conditions", "excessive_overtime")] == _refs(store, ids, "kp2")
    assert all(a != b for a, b in pairs)
    assert ("withholding_of_wages", "retention_of_identity_documents") not in pairs  # each pair once
    years = _rows(stats(store, ["year", "status"]))
    assert years[(2022, "possible")] == _refs(store, ids, "kp2")
    assert years[(None, "possible")] == _refs(store, ids, "co")


def test_store_stats_with_filters_and_min_count(store: Store) -> None:
    ids = fill(store)
    result = stats(store, ["sector"], Filters(countries=(("BD",),)), min_count=2)
    assert result.total == 2
    assert _rows(result) == {("garment",): _refs(store, ids, "ot", "co")}


def test_store_fact_summary(store: Store) -> None:
    ids = fill(store)
    by_country = fact_summary(store, "hours_per_day", ["country"])
    rows = {r.values: r for r in by_country.rows}
    ru = rows[("RU",)]
    assert sorted(ru.numbers) == [12, 18] and ru.median == 15
    assert ru.documents == _refs(store, ids, "kp", "kp2")
    overall = fact_summary(store, "hours_per_day")
    assert overall.rows[0].median == 15 and overall.rows[0].n == 4
    assert overall.to_dict()["rows"][0]["document_ids"] == _refs(store, ids, "qa", "kp", "kp2", "ot")
    with pytest.raises(InvalidInput, match="hours_per_day"):
        fact_summary(store, "hours_per_fortnight")


def test_store_stats_refuse_bad_dimensions(store: Store) -> None:
    fill(store, ["qa"])
    for bad in (
        ["colour"],
        [],
        ["country", "country"],
        ["indicator"] * 3,
        ["indicator", "country", "sector", "year"],
    ):
        with pytest.raises(InvalidInput):
            stats(store, bad)
    assert ref_of("ab" * 32) == "ab" * 6
