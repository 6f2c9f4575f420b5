"""Hand-built analyses for the renderer and schema tests (texts written for these tests)."""

from __future__ import annotations

from typing import Any

from labourlens.model.analysis import (
    Analysis,
    Assessment,
    Entity,
    Evidence,
    Fact,
    IndicatorResult,
    LegalHook,
)

BRICKWORKS = (
    "Workers at the Lakeside brickworks\n\n"
    "The brickworks outside Tver employs about 300 migrant workers, most of them from Uzbekistan, "
    "according to a local union.\n\n"
    "One worker, Dilshod, said the manager collected every passport on the first day and locked them "
    'in a safe. "We could not leave the compound without a guard, and our phones were kept in the '
    'office," he said.\n\n'
    "Shifts ran from seven in the morning until eleven at night, with one day off a month. Pay of "
    "40,000 roubles a month was promised, but wages were held back until the end of the contract.\n\n"
    "The company denied the claims. A spokesperson said no worker had ever been beaten, and that staff "
    "were reportedly free to leave at weekends."
)


def span(text: str, quote: str, after: int = 0) -> tuple[int, int]:
    """Offsets of the first occurrence of quote in text at or after `after`."""
    start = text.find(quote, after)
    assert start >= 0, f"quote not in text: {quote!r}"
    return start, start + len(quote)


def ev(text: str, quote: str, confidence: float = 0.9, **kw: Any) -> Evidence:
    """Evidence for a quote of text, with its offsets found by str.find."""
    start, end = span(text, quote)
    return Evidence(start=start, end=end, quote=quote, confidence=confidence, **kw)


def fact(text: str, kind: str, quote: str, **kw: Any) -> Fact:
    """A fact for a quote of text."""
    start, end = span(text, quote)
    return Fact(kind=kind, start=start, end=end, quote=quote, **kw)


def entity(text: str, etype: str, name: str, *surfaces: str, **kw: Any) -> Entity:
    """An entity with one mention per surface form (or its name)."""
    mentions = [span(text, s) for s in (surfaces or (name,))]
    return Entity(type=etype, name=name, mentions=mentions, **kw)


def brickworks() -> Analysis:
    """An English report with seven indicators, overlapping and negated evidence."""
    t = BRICKWORKS
    indicators = [
        IndicatorResult(
            "retention_of_identity_documents",
            0.92,
            "coercion",
            [ev(t, "the manager collected every passport on the first day", 0.92, speaker="Dilshod")],
        ),
        IndicatorResult(
            "restriction_of_movement",
            0.88,
            "coercion",
            [
                ev(t, "We could not leave the compound without a guard", 0.88, speaker="Dilshod"),
                ev(
                    t,
                    "staff were reportedly free to leave at weekends",
                    0.6,
                    negated=True,
                    hedged=True,
                    speaker="A spokesperson",
                ),
            ],
        ),
        IndicatorResult(
            "isolation",
            0.8,
            "coercion",
            [ev(t, "without a guard, and our phones were kept in the office", 0.8, speaker="Dilshod")],
        ),
        IndicatorResult(
            "excessive_overtime",
            0.95,
            "involuntariness",
            [
                ev(
                    t,
                    "Shifts ran from seven in the morning until eleven at night, with one day off a month",
                    0.95,
                )
            ],
        ),
        IndicatorResult(
            "deception",
            0.7,
            "involuntariness",
            [ev(t, "40,000 roubles a month was promised, but wages were held back", 0.7, hedged=True)],
        ),
        IndicatorResult(
            "withholding_of_wages",
            0.9,
            "coercion",
            [ev(t, "wages were held back until the end of the contract", 0.9)],
        ),
    ]
    facts = [
        fact(t, "workers_count", "about 300 migrant workers", value=300, qualifier="about"),
        fact(
            t,
            "hours_per_day",
            "from seven in the morning until eleven at night",
            value=16,
            extra={"derived_from": "07:00-23:00"},
        ),
        fact(t, "rest_days", "one day off a month", value=1, per="month"),
        fact(t, "wage", "40,000 roubles a month", value=40000, currency="RUB", per="month"),
    ]
    entities = [
        entity(t, "place", "Tver", country="RU"),
        entity(t, "place", "Uzbekistan", country="UZ"),
        entity(t, "person", "Dilshod", role="worker"),
        entity(t, "organization", "Lakeside brickworks"),
        entity(t, "sector", "brickmaking", "brickworks"),
    ]
    assessment = Assessment(
        forced_labour="indicated",
        involuntariness=["excessive_overtime", "deception"],
        coercion=[
            "retention_of_identity_documents",
            "restriction_of_movement",
            "isolation",
            "withholding_of_wages",
        ],
        reasons=["Involuntary work (excessive overtime) under coercion (passports taken, confinement)."],
        legal=[
            LegalHook(
                instrument="ILO Forced Labour Convention, 1930 (No. 29)",
                id="ilo-c029",
                why="Work exacted under menace of penalty: documents held and movement restricted.",
                evidence=["retention_of_identity_documents", "restriction_of_movement"],
            )
        ],
    )
    return Analysis(
        id="sample:brickworks",
        language="en",
        text=t,
        indicators=indicators,
        facts=facts,
        entities=entities,
        assessment=assessment,
        metadata={
            "title": "Workers at the Lakeside brickworks",
            "source": "test fixture",
            "url": "https://example.org/b",
        },
        pipeline={"name": "test"},
        dropped=[
            {"stage": "facts", "kind": "wage", "quote": "a small bonus", "reason": "no amount"},
            {"stage": "facts", "kind": "wage", "quote": "some extra pay", "reason": "no amount"},
            {"stage": "facts", "kind": "date", "quote": "last spring", "reason": "no year"},
        ],
    )


HOSTILE = (
    "Notes <script>alert(1)</script> from a site.\n\n"
    'An image <img src=x onerror=alert(1)> and a link <a href="javascript:alert(2)">here</a> '
    "were pasted in. [bold red]Not markup[/bold red] \x1b[31mred\x1b[0m \u202eflipped\u202c.\n\n"
    "The guards beat the workers <b onmouseover=alert(3)>every night</b>."
)


def hostile() -> Analysis:
    """A document full of markup, script and terminal escapes, quoted as evidence."""
    t = HOSTILE
    speaker = '"><img src=y onerror=alert(4)>'
    indicators = [
        IndicatorResult(
            "physical_sexual_violence",
            0.9,
            "coercion",
            [
                ev(
                    t,
                    "The guards beat the workers <b onmouseover=alert(3)>every night</b>",
                    0.9,
                    speaker=speaker,
                )
            ],
        ),
        IndicatorResult(
            "intimidation_threats",
            0.6,
            "coercion",
            [ev(t, "<script>alert(1)</script>", 0.6), ev(t, "<img src=x onerror=alert(1)>", 0.6)],
        ),
        IndicatorResult(
            "abusive_working_living_conditions",
            0.5,
            "involuntariness",
            [ev(t, "[bold red]Not markup[/bold red] \x1b[31mred\x1b[0m \u202eflipped\u202c", 0.5)],
        ),
        IndicatorResult(
            "deception",
            0.55,
            "involuntariness",
            [ev(t, '<a href="javascript:alert(2)">here</a>', 0.55)],
        ),
    ]
    return Analysis(
        id="<script>alert('id')</script>",
        language="en",
        text=t,
        indicators=indicators,
        facts=[fact(t, "<i onclick=x>", "every night", value=1, unit="<script>", per="night")],
        entities=[entity(t, "organization", "<svg onload=alert(5)>", "guards", country="XX", role="<u>")],
        assessment=Assessment(
            forced_labour="possible",
            coercion=["physical_sexual_violence", "intimidation_threats"],
            reasons=["<script>alert('reason')</script>"],
            legal=[LegalHook(instrument="<b>Law</b>", id="x", why="<img src=z onerror=alert(6)>")],
        ),
        metadata={"title": "<script>alert('title')</script>", "url": "javascript:alert(7)"},
        dropped=[{"kind": "<script>x</script>"}],
    )


GERMAN = (
    "Arbeiter auf der Baustelle\n\n"
    "Die Männer arbeiten an sechs Tagen in der Woche und schlafen in Containern neben dem Gelände."
)


def german() -> Analysis:
    """A German document: not analysed, so empty."""
    return Analysis(
        id="sample:de",
        language="de",
        text=GERMAN,
        indicators=[],
        facts=[],
        entities=[],
        assessment=Assessment(forced_labour="not_indicated", reasons=["Not analysed: language 'de'."]),
        metadata={"title": "Arbeiter auf der Baustelle"},
    )
