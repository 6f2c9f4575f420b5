"""The terminal report."""

from __future__ import annotations

import re

import pytest

from labourlens.errors import InvalidInput
from labourlens.model.analysis import INDICATOR_KEYS
from labourlens.render import RENDERERS, indicator_label, render, render_text
from labourlens.render.common import shorten
from render_samples import BRICKWORKS, brickworks, german, hostile


def _flat(report: str) -> str:
    """The report with its wrapping undone, so quotes can be searched whatever the width."""
    return re.sub(r"\s+", " ", report)


def test_render_text_shows_assessment_first_with_status() -> None:
    report = render_text(brickworks())
    assert "FORCED LABOUR INDICATED" in report
    assert (
        report.index("ASSESSMENT")
        < report.index("INDICATORS")
        < report.index("FACTS")
        < report.index("ENTITIES")
    )
    flat = _flat(report)
    assert "Involuntariness (2) Excessive overtime, Deception" in flat
    assert "Coercion (4) Retention of identity documents" in flat
    assert "ILO Forced Labour Convention, 1930 (No. 29)" in flat
    assert "menace of penalty" in flat


def test_render_text_header_has_metadata_language_and_words() -> None:
    report = render_text(brickworks())
    head = report.split("ASSESSMENT")[0]
    assert "sample:brickworks" in head
    assert "Workers at the Lakeside brickworks" in head
    assert "test fixture" in head
    assert re.search(r"language\s+en", head)
    assert re.search(rf"words\s+{len(BRICKWORKS.split())}\b", head)


@pytest.mark.parametrize("width", [60, 100, 160])
def test_render_text_contains_every_quote_and_label(width: int) -> None:
    analysis = brickworks()
    report = render_text(analysis, width=width)
    flat = _flat(report)
    assert max(len(line) for line in report.splitlines()) <= width
    for ind in analysis.indicators:
        assert indicator_label(ind.indicator) in flat
        for ev in ind.evidence:
            assert f"“{ev.quote}”" in flat
            assert f"{ev.start}–{ev.end}" in flat


def test_render_text_marks_speaker_hedged_and_negated() -> None:
    flat = _flat(render_text(brickworks(), width=200))
    assert "266–313 · confidence 0.88 · Dilshod" in flat
    assert "645–692 · confidence 0.60 · A spokesperson · hedged · NEGATED" in flat
    assert "459–520 · confidence 0.70 · reporter · hedged" in flat
    assert "500–550 · confidence 0.90 · reporter" in flat
    assert "500–550 · confidence 0.90 · reporter · hedged" not in flat


def test_render_text_facts_table_and_entities() -> None:
    flat = _flat(render_text(brickworks(), width=200))
    assert re.search(r"hours_per_day 16 “from seven in the morning until eleven at night”", flat)
    assert "derived from: 07:00-23:00" in flat
    assert re.search(r"wage 40,000 RUB per month “40,000 roubles a month”", flat)
    assert re.search(r"rest_days 1 per month “one day off a month”", flat)
    assert re.search(r"workers_count about 300 “about 300 migrant workers”", flat)
    assert "place: Tver (RU, ×1), Uzbekistan (UZ, ×1)" in flat
    assert "person: Dilshod (worker, ×1)" in flat


def test_render_text_notes_dropped_counts() -> None:
    flat = _flat(render_text(brickworks()))
    assert "3 values could not be normalised and were dropped (wage 2, date 1)" in flat
    assert "no values were dropped" in _flat(render_text(german()))


def test_render_text_non_english_says_not_analysed() -> None:
    flat = _flat(render_text(german()))
    assert "language is 'de', not English" in flat
    assert "not analysed" in flat
    assert "FORCED LABOUR NOT INDICATED" in flat
    assert "No indicator was looked for" in flat
    assert "not English" not in _flat(render_text(brickworks()))


def test_render_text_plain_has_no_escapes_and_color_has_ansi() -> None:
    plain = render_text(brickworks())
    coloured = render_text(brickworks(), color=True)
    assert "\x1b" not in plain
    assert "\x1b[" in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured).split() == plain.split()


def test_render_text_is_deterministic_and_ignores_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    first = render_text(brickworks())
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "40")
    assert render_text(brickworks()) == first


def test_render_text_hostile_document_cannot_drive_terminal() -> None:
    analysis = hostile()
    for color in (False, True):
        report = render_text(analysis, color=color)
        # The only escape sequences are rich's own SGR colour codes; the document's ESC is shown.
        leftover = re.sub(r"\x1b\[[0-9;]*m", "", report)
        assert "\x1b" not in leftover
        assert "\u202e" not in report
    flat = _flat(render_text(analysis, width=200))
    assert "[bold red]Not markup[/bold red] \\x1b[31mred\\x1b[0m \\u202eflipped\\u202c" in flat
    assert "<script>alert(1)</script>" in flat


def test_shorten_cuts_long_quotes_in_the_middle_at_words() -> None:
    long = " ".join(f"word{i}" for i in range(200))
    short = shorten(long, 120)
    assert len(short) <= 120
    assert short.startswith("word0 word1") and short.endswith("word198 word199")
    assert " … " in short
    assert all(re.fullmatch(r"word\d+", w) for w in short.replace(" … ", " ").split())
    assert shorten("a\n\n  b") == "a b"


def test_indicator_label_covers_every_key_and_falls_back() -> None:
    labels = [indicator_label(k) for k in INDICATOR_KEYS]
    assert len(set(labels)) == 11
    assert indicator_label("debt_bondage") == "Debt bondage"
    assert indicator_label("some_new_key") == "Some new key"


def test_render_dispatch_and_unknown_format() -> None:
    assert set(RENDERERS) == {"text", "html"}
    assert render(brickworks(), "text") == render_text(brickworks())
    with pytest.raises(InvalidInput, match="Unknown report format 'pdf'"):
        render(brickworks(), "pdf")
