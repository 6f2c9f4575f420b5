"""Search: full text with facets, highlighting, pagination, and hostile input that never breaks it."""

from __future__ import annotations

import datetime as dt

import pytest

from labourlens.errors import InvalidInput, LabourLensError
from labourlens.store import Filters, Store, parse_query, search
from labourlens.store.names import Resolver
from labourlens.store.query import require_query
from labourlens.store.where import Condition, build_filters
from store_corpus import fill

HOSTILE = [
    '"',
    "'",
    "'; DROP TABLE documents; --",
    "passport'; DROP TABLE evidence; --",
    "NEAR(",
    "NEAR(passport wages, 2)",
    "*",
    "AND OR",
    "passport AND OR",
    "OR passport",
    "((passport",
    "passport)) OR (",
    "",
    "   ",
    '"unclosed phrase',
    "col:passport",
    "^passport",
    "passport -",
    "-passport",
    "NOT",
    "\x00\x01",
    "%_%",
    "passport* wage*",
    "{documents}",
    "a" * 500,
    "ü' OR 1=1 --",
]


def _keys(page: object, ids: dict[str, int]) -> set[str]:
    back = {v: k for k, v in ids.items()}
    return {back[h.document.id] for h in page.hits}  # type: ignore[attr-defined]


def test_store_search_full_text_by_stem(store: Store) -> None:
    ids = fill(store)
    page = search(store, Filters(text=parse_query("passport")))
    assert _keys(page, ids) == {"qa", "kp", "plain", "co"}
    assert page.total == 4
    hit = next(h for h in page.hits if h.document.id == ids["qa"])
    quote = hit.quotes[0]
    assert quote.indicator == "retention_of_identity_documents"
    assert [quote.text[s:e] for s, e in quote.marks] == ["passports"]
    assert quote.marked() == "their employer confiscated their **passports**"
    plain = next(h for h in page.hits if h.document.id == ids["plain"])
    assert plain.quotes == [] and plain.snippet is not None  # no evidence: a snippet of the text
    assert "passport" in [plain.snippet.text[s:e].lower() for s, e in plain.snippet.marks]


def test_store_search_phrases_or_and_exclusion(store: Store) -> None:
    ids = fill(store)
    assert _keys(search(store, Filters(text=parse_query('"locked shed"'))), ids) == {"kp2"}
    assert _keys(search(store, Filters(text=parse_query('"shed locked"'))), ids) == set()
    assert _keys(search(store, Filters(text=parse_query("sawmill OR stadium"))), ids) == {"kp2", "qa"}
    assert _keys(search(store, Filters(text=parse_query("passports -Kathmandu -Dhaka"))), ids) == {"qa", "kp"}
    assert _keys(search(store, Filters(text=parse_query("recruit*"))), ids) == {"co"}
    assert _keys(search(store, Filters(text=parse_query("Doha passports wages"))), ids) == {"qa"}


def test_store_search_facets(store: Store) -> None:
    ids = fill(store)
    resolver = Resolver(store)

    def keys(*conditions: Condition, text: str | None = None) -> set[str]:
        filters = build_filters(conditions, resolver)
        if text:
            filters = filters.merged(Filters(text=require_query(text)))
        return _keys(search(store, filters, per_page=50), ids)

    assert keys(Condition("indicator", ("retention_of_identity_documents",))) == {"qa", "kp", "co"}
    assert keys(
        Condition("indicator", ("retention_of_identity_documents",)), Condition("country", ("QA",))
    ) == {"qa"}
    assert keys(Condition("country", ("Qatar",)), text="passport") == {"qa"}  # a name found in the base
    assert keys(Condition("country", ("RU", "QA"))) == {"qa", "kp", "kp2"}  # commas: any of them
    assert keys(Condition("country", ("RU",)), Condition("country", ("KP",))) == {
        "kp",
        "kp2",
    }  # repeated: all
    assert keys(Condition("nationality", ("KP",))) == {"kp"}
    assert keys(Condition("nationality", ("Nepali",))) == {"qa"}
    assert keys(Condition("sector", ("Garment",))) == {"ot", "co"}
    assert keys(Condition("entity", ("north korea",))) == {"kp", "kp2"}
    assert keys(Condition("since", ("2022",))) == {"qa", "kp2", "plain"}
    assert keys(Condition("since", ("2022-01-01",)), Condition("until", ("2022-12",))) == {"kp2", "plain"}
    assert keys(Condition("status", ("indicated",))) == {"kp"}
    assert keys(Condition("status", ("possible",))) == {"qa", "kp2", "ot", "co"}
    assert keys(Condition("status", ("not_indicated",))) == {"plain"}
    assert keys(Condition("review", ("unreviewed",))) == set(ids)
    assert keys(Condition("review", ("reviewed",))) == set()
    # a negated quote is no evidence of its indicator
    assert keys(Condition("indicator", ("physical_sexual_violence",))) == set()
    assert keys(Condition("indicator", ("excessive_overtime",)), text="passport") == {"kp"}


def test_store_search_quotes_follow_the_indicator_facet(store: Store) -> None:
    ids = fill(store, ["kp"])
    filters = Filters(indicators=(("withholding_of_wages",),))
    page = search(store, filters)
    assert [h.document.id for h in page.hits] == [ids["kp"]]
    assert [q.indicator for q in page.hits[0].quotes] == ["withholding_of_wages"]
    assert page.hits[0].quotes[0].marks == []  # no text searched: nothing marked


def test_store_search_pages(store: Store) -> None:
    fill(store)
    filters = Filters(text=parse_query("workers"))
    first = search(store, filters, per_page=2, page=1)
    second = search(store, filters, per_page=2, page=2)
    last = search(store, filters, per_page=2, page=first.pages)
    assert first.total == second.total == 5
    assert first.pages == 3 and len(first.hits) == len(second.hits) == 2 and len(last.hits) == 1
    seen = [h.document.id for p in (first, second, last) for h in p.hits]
    assert len(set(seen)) == 5
    assert search(store, filters, per_page=2, page=9).hits == []
    with pytest.raises(InvalidInput):
        search(store, filters, per_page=0)
    # without text: newest first, undated documents last
    dates = [h.document.date for h in search(store, Filters(), per_page=10).hits]
    assert dates == ["2023-03-14", "2022-11-20", "2022-05", "2021-08-02", "2020-06-01", None]


def test_store_search_hostile_input(store: Store) -> None:
    fill(store, ["qa", "plain"])
    before = store.counts()
    outcomes = set()
    for text in HOSTILE:
        try:
            query = parse_query(text)
            page = search(store, Filters(text=query), per_page=5)
        except InvalidInput as exc:
            assert exc.message and "sqlite" not in str(exc).lower(), (
                text
            )  # a clear message, not a database error
            outcomes.add("refused")
        else:
            assert page.total == len(page.hits) <= 2, text
            if query is not None and [w.lower() for w in query.words] == ["passport"] and not query.excluded:
                assert page.total == 2, text  # the word itself is still found
            outcomes.add("searched")
        assert store.counts() == before, text
    assert outcomes == {"refused", "searched"}


def test_store_query_language_is_never_passed_through() -> None:
    query = parse_query('NEAR(a b) "x y" -z OR w*')
    assert query is not None
    assert query.fts5() == '(("NEAR") AND ("a") AND ("b") AND ("x y") AND ("w"*)) NOT ("z")'
    assert query.tsquery() == "('near') & ('a') & ('b') & (('x' <-> 'y')) & ('w':*) & !'z'"
    assert parse_query("a OR -b").fts5() == '(("a")) NOT ("b")'  # type: ignore[union-attr]
    assert parse_query("debt OR loan fee").fts5() == '("debt" OR "loan") AND ("fee")'  # type: ignore[union-attr]
    assert parse_query("sixteen-hour").fts5() == '("sixteen hour")'  # type: ignore[union-attr]
    assert parse_query("*") is None and parse_query("AND OR") is None and parse_query("") is None
    for bad in ("-only -excluded", "x" * 2000, " ".join(f"w{i}" for i in range(40))):
        with pytest.raises(InvalidInput):
            parse_query(bad)


def test_store_filters_refuse_unknown_values(store: Store) -> None:
    resolver = Resolver(store)
    for cond in (
        Condition("indicator", ("passport_theft",)),
        Condition("status", ("maybe",)),
        Condition("review", ("pending",)),
        Condition("country", ("Atlantis",)),
        Condition("since", ("last tuesday",)),
    ):
        with pytest.raises(LabourLensError):
            build_filters([cond], resolver)
    with pytest.raises(InvalidInput):
        Filters(since=dt.date(2024, 1, 1), until=dt.date(2023, 1, 1))
