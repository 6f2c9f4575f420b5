"""Properties of the whole pipeline over generated documents (hypothesis).

Documents are composed from sentences written for this test, some with forced-labour evidence
and some without, in random order, joined by random whitespace and line breaks, with straight
or curly quotes, abbreviations and headlines. Whatever the document: every quote is exactly
text[start:end], every mention lies inside the text, sentences are in order and do not overlap,
the result is the same on a second run and it validates against the published JSON Schema.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from labourlens.model.schema import load_schema
from labourlens.pipeline.segment import paragraphs, sentences

jsonschema = pytest.importorskip("jsonschema")

EVIDENCE = (
    "On the first day the site manager took their passports and put them in a safe.",
    "We were not paid for four months, and the boss said the money would come when we went home.",
    "The shifts ran from 6 a.m. to 11 p.m., seven days a week.",
    "Dr. Mensah said the crew worked 18 hours a day with two rest days a year.",
    "Guards locked the dormitory door at night so nobody could leave.",
    "The recruiter charged each of them $3,000, and the debt grew every month.",
    '"If you complain, we will call the police and have you deported," the foreman told them.',
    "One of the cooks said she was beaten after asking to see a doctor.",
    "Their phones were taken away, so they could not call home.",
    "Forty women slept on the floor of a single room with no running water.",
    "They were promised jobs in a hotel but were put to work on a farm instead.",
)
ORDINARY = (
    "Mr. Castillo, the trade minister, opened the new port on Jan. 12.",
    "Exports rose 4.5 percent in the third quarter, e.g. in steel and rice.",
    "The U.S. and Canada signed the agreement in Ottawa on Tuesday.",
    "Wages in the sector are paid on time, the union said.",
    "The company employs 2,400 people at No. 3 plant near Busan.",
    "She took unpaid leave in Sept. to care for her mother.",
    "The finance ministry raised the withholding tax on dividends.",
    '"We expect a better year," said Ms. Tanaka, an analyst at the bank.',
    "Rents in the capital went up by about a fifth, i.e. faster than pay.",
    "Prof. Walsh and Gen. Abebe spoke at the conference in St. Petersburg.",
    "About 5,000 workers from Nepal were sent to the site, according to the U.N. report.",
)
HEADLINES = (
    "Workers say passports were taken",
    "Exports climb for third month",
    "Inside the camp: 16-hour days and locked gates",
)
SEPARATORS = (" ", "  ", "\n", "\n\n", "\n\n\n", " \n", "\n \n", "\t", "\n- ", "\n1. ")


def _curly(text: str) -> str:
    """Straight quotes to typographic ones (opening after a space or at the start)."""
    out: list[str] = []
    for i, ch in enumerate(text):
        opening = i == 0 or text[i - 1] in " \n\t("
        if ch == '"':
            out.append("\u201c" if opening else "\u201d")
        elif ch == "'":
            out.append("\u2018" if opening else "\u2019")
        else:
            out.append(ch)
    return "".join(out)


@st.composite
def documents(draw: st.DrawFn) -> str:
    """A document made of our sentences in random order with random separators."""
    pool = st.sampled_from(EVIDENCE + ORDINARY)
    chosen = draw(st.lists(pool, min_size=1, max_size=14))
    parts: list[str] = []
    if draw(st.booleans()):
        parts.append(draw(st.sampled_from(HEADLINES)) + draw(st.sampled_from(("\n", "\n\n"))))
    for sentence in chosen:
        parts.append(sentence)
        parts.append(draw(st.sampled_from(SEPARATORS)))
    text = draw(st.sampled_from(("", "  ", "\n"))) + "".join(parts)
    if draw(st.booleans()):
        text = _curly(text)
    if draw(st.booleans()):  # a sentence broken by a bad extraction, continuing in lower case
        text = text.replace("in a single room", "in a single\n\nroom")
    return text


@pytest.fixture(scope="module")
def pipeline() -> Any:
    from labourlens.pipeline import Pipeline

    return Pipeline()


@pytest.fixture(scope="module")
def validator() -> Any:
    return jsonschema.Draft202012Validator(load_schema())


def _check_spans(text: str, data: dict[str, Any]) -> None:
    n = len(text)
    for ind in data["indicators"]:
        assert ind["evidence"], ind["indicator"]
        for ev in ind["evidence"]:
            assert 0 <= ev["start"] < ev["end"] <= n
            assert ev["quote"] == text[ev["start"] : ev["end"]]
    for fact in data["facts"]:
        assert 0 <= fact["start"] < fact["end"] <= n, fact
        assert fact["quote"] == text[fact["start"] : fact["end"]]
    for ent in data["entities"]:
        assert ent["mentions"], ent
        for start, end in ent["mentions"]:
            assert 0 <= start < end <= n, ent
            assert text[start:end].strip(), ent


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=documents())
def test_properties_analysis_offsets_determinism_schema(pipeline: Any, validator: Any, text: str) -> None:
    first = pipeline.analyze(text, language="en").to_dict()
    assert first["text"] == text
    _check_spans(text, first)
    second = pipeline.analyze(text, language="en").to_dict()
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)
    errors = [
        f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(json.loads(json.dumps(first)))
    ]
    assert errors == []


@settings(max_examples=50, deadline=None)
@given(text=documents())
def test_properties_sentences_in_order_and_cover_the_text(text: str) -> None:
    paras = paragraphs(text)
    sents = sentences(text, paras)
    prev_end = 0
    prev_para = 0
    for s in sents:
        assert prev_end <= s.start < s.end <= len(text)
        assert s.text == text[s.start : s.end]
        assert s.text == s.text.strip()
        assert prev_para <= s.paragraph < len(paras)
        para = paras[s.paragraph]
        assert para.start <= s.start and s.end <= para.end
        prev_end, prev_para = s.end, s.paragraph
    covered = [False] * len(text)
    for s in sents:
        covered[s.start : s.end] = [True] * (s.end - s.start)
    lost = [i for i, ch in enumerate(text) if not ch.isspace() and not covered[i]]
    assert lost == [], f"characters outside every sentence: {[text[i] for i in lost]}"


def test_properties_evidence_sentences_are_flagged(pipeline: Any) -> None:
    """The strategy's material holds evidence that the pipeline finds, so the spans above are exercised."""
    flagged = [s for s in EVIDENCE if pipeline.analyze(s, language="en").indicators]
    assert len(flagged) >= len(EVIDENCE) - 2, (
        f"evidence sentences not flagged: {set(EVIDENCE) - set(flagged)}"
    )
