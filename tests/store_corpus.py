"""Documents written for the store tests, with analyses built by hand (no pipeline), so that the
tests of search, stats, cases and reanalysis pin what the store does whatever the pipeline finds."""

from __future__ import annotations

from dataclasses import dataclass, field

from labourlens.ingest import Document
from labourlens.model import Analysis, Assessment, Entity, Evidence, Fact, IndicatorResult
from labourlens.store import Store

DIMENSION = {
    "abuse_of_vulnerability": "coercion",
    "deception": "involuntariness",
    "restriction_of_movement": "coercion",
    "isolation": "coercion",
    "physical_sexual_violence": "coercion",
    "intimidation_threats": "coercion",
    "retention_of_identity_documents": "coercion",
    "withholding_of_wages": "coercion",
    "debt_bondage": "coercion",
    "abusive_working_living_conditions": "involuntariness",
    "excessive_overtime": "involuntariness",
}


@dataclass
class Spec:
    """A document and what its hand-made analysis holds: (indicator, phrase), (type, name, country,
    phrase) and (kind, value, phrase); each phrase must occur in the text."""

    key: str
    title: str
    date: str | None
    text: str
    evidence: list[tuple[str, str]] = field(default_factory=list)
    entities: list[tuple[str, str, str | None, str]] = field(default_factory=list)
    facts: list[tuple[str, float, str]] = field(default_factory=list)
    negated: list[tuple[str, str]] = field(default_factory=list)


def _span(text: str, phrase: str) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


def status_of(indicators: list[str]) -> str:
    dims = {DIMENSION[k] for k in indicators}
    if len(dims) == 2:
        return "indicated"
    return "possible" if dims else "not_indicated"


def build(spec: Spec, *, pipeline: dict[str, object] | None = None) -> tuple[Document, Analysis]:
    """The Document and the hand-made Analysis of a spec."""
    text = spec.text
    results: dict[str, IndicatorResult] = {}
    for key, phrase, negated in [(k, p, False) for k, p in spec.evidence] + [
        (k, p, True) for k, p in spec.negated
    ]:
        s, e = _span(text, phrase)
        res = results.setdefault(key, IndicatorResult(key, 0.0, DIMENSION[key], []))
        res.evidence.append(Evidence(s, e, text[s:e], 0.9, negated=negated, source="test"))
        if not negated:
            res.confidence = 0.9
    indicators = [r for r in results.values() if any(not ev.negated for ev in r.evidence)]
    ents: list[Entity] = []
    for etype, name, country, phrase in spec.entities:
        ents.append(Entity(etype, name, [_span(text, phrase)], country))
    facts = [
        Fact(kind, *_span(text, phrase), text[slice(*_span(text, phrase))], value=value)
        for kind, value, phrase in spec.facts
    ]
    keys = [r.indicator for r in indicators]
    status = status_of(keys)
    assessment = Assessment(
        status,
        [k for k in keys if DIMENSION[k] == "involuntariness"],
        [k for k in keys if DIMENSION[k] == "coercion"],
        [f"test: {status}"],
    )
    info = pipeline or {"version": "0.1.0", "knowledge": "test-knowledge", "stages": ["test.v1"]}
    analysis = Analysis(
        id=spec.key,
        language="en",
        text=text,
        indicators=indicators,
        facts=facts,
        entities=ents,
        assessment=assessment,
        metadata={"title": spec.title, "source": f"{spec.key}.txt"},
        pipeline=dict(info),
    )
    doc = Document(
        id=spec.key, text=text, source=f"{spec.key}.txt", format="txt", title=spec.title, date=spec.date
    )
    return doc, analysis


SPECS: list[Spec] = [
    Spec(
        "qa",
        "Nepali builders in Doha describe confiscated passports",
        "2023-03-14",
        "Nepali construction workers in Doha said their employer confiscated their passports when they "
        "arrived in Qatar. They worked 14 hours a day on the stadium site, and several said their wages "
        "had been withheld for three months. A foreman threatened to have them deported if they complained.",
        evidence=[
            ("retention_of_identity_documents", "their employer confiscated their passports"),
            ("withholding_of_wages", "their wages had been withheld for three months"),
            ("intimidation_threats", "A foreman threatened to have them deported"),
        ],
        entities=[
            ("nationality", "Nepali", "NP", "Nepali"),
            ("place", "Doha", "QA", "Doha"),
            ("place", "Qatar", "QA", "Qatar"),
            ("sector", "construction", None, "construction"),
        ],
        facts=[("hours_per_day", 14, "14 hours a day")],
    ),
    Spec(
        "kp",
        "North Korean crews on Russian building sites",
        "2021-08-02",
        "North Korean labourers sent to Vladivostok worked on building projects for up to 18 hours a day. "
        "A defector said the DPRK minders kept the workers' passports and took most of their pay. The men "
        "were not allowed to leave the dormitory without a minder.",
        evidence=[
            ("excessive_overtime", "for up to 18 hours a day"),
            ("retention_of_identity_documents", "the DPRK minders kept the workers' passports"),
            ("withholding_of_wages", "took most of their pay"),
            ("restriction_of_movement", "were not allowed to leave the dormitory without a minder"),
        ],
        entities=[
            ("nationality", "North Korean", "KP", "North Korean"),
            ("place", "North Korea", "KP", "DPRK"),
            ("place", "Vladivostok", "RU", "Vladivostok"),
            ("sector", "construction", None, "building projects"),
        ],
        facts=[("hours_per_day", 18, "up to 18 hours a day")],
    ),
    Spec(
        "kp2",
        "Crews from North Korea at a sawmill",
        "2022-05",
        "Workers from North Korea were seen at a sawmill near Khabarovsk in Russia last winter. Local "
        "residents said the crews worked 12 hours a day and slept in a locked shed on the site.",
        evidence=[
            ("excessive_overtime", "worked 12 hours a day"),
            ("abusive_working_living_conditions", "slept in a locked shed on the site"),
        ],
        entities=[
            ("place", "North Korea", "KP", "North Korea"),
            ("place", "Khabarovsk", "RU", "Khabarovsk"),
            ("place", "Russia", "RU", "Russia"),
            ("sector", "logging", None, "sawmill"),
        ],
        facts=[("hours_per_day", 12, "12 hours a day")],
    ),
    Spec(
        "plain",
        "Tea exports rise again",
        "2022-11-20",
        "Exports of tea rose for the third month in a row, the trade ministry said. In Kathmandu, the "
        "passport office extended its opening hours to cope with demand from students planning to study "
        "abroad.",
        entities=[("place", "Kathmandu", "NP", "Kathmandu")],
    ),
    Spec(
        "ot",
        "Long days in Dhaka's garment season",
        "2020-06-01",
        "Garment workers in Dhaka said they regularly worked 16 hours a day during the export season. "
        "Nobody at the factory was beaten, they added.",
        evidence=[("excessive_overtime", "regularly worked 16 hours a day")],
        negated=[("physical_sexual_violence", "Nobody at the factory was beaten")],
        entities=[("place", "Dhaka", "BD", "Dhaka"), ("sector", "garment", None, "Garment")],
        facts=[("hours_per_day", 16, "16 hours a day")],
    ),
    Spec(
        "co",
        "A recruiter who keeps passports",
        None,
        "A recruiter in Dhaka kept the passports of the garment workers he had placed in the factory.",
        evidence=[("retention_of_identity_documents", "kept the passports of the garment workers")],
        entities=[("place", "Dhaka", "BD", "Dhaka"), ("sector", "garment", None, "garment")],
    ),
]
BY_KEY = {s.key: s for s in SPECS}


def fill(store: Store, keys: list[str] | None = None) -> dict[str, int]:
    """Store the hand-made corpus (or some of it); return key -> row id."""
    out: dict[str, int] = {}
    for spec in SPECS:
        if keys is not None and spec.key not in keys:
            continue
        doc, analysis = build(spec)
        doc_id = store.add_document(doc, analysis, user="tester")
        assert doc_id is not None
        out[spec.key] = doc_id
    return out
