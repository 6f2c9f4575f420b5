"""Standalone HTML report: the document with its evidence highlighted, and a side panel.

The page has no external assets and no script. Every piece of text from the document or the
analysis goes through Jinja2's autoescaping; attributes built here hold only our own values
(palette colours, anchor ids made of numbers). Overlapping evidence is split into segments, so
the highlighted text, read in order, is exactly the document text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined, Template

from labourlens.model.analysis import INDICATOR_KEYS, Analysis, Evidence
from labourlens.render.common import (
    dropped_counts,
    entity_groups,
    fact_extra,
    fact_unit,
    fact_value,
    forced_labour_label,
    header_fields,
    indicator_colour,
    indicator_index,
    indicator_label,
    language_note,
    rgba,
    safe_text,
    shorten,
    word_count,
)

_BG_ALPHA = 0.3
_STRIPE_PX = 6


@dataclass(slots=True)
class Segment:
    """A stretch of the document text and the evidence that covers it.

    text: the characters, verbatim. anchors: ids of evidence that starts here.
    css: class list ("" for plain text). style: inline style for multi-indicator stripes.
    title: tooltip listing the covering evidence.
    """

    text: str
    anchors: list[str] = field(default_factory=list)
    css: str = ""
    style: str = ""
    title: str = ""


@dataclass(frozen=True, slots=True)
class _Span:
    start: int
    end: int
    key: str
    anchor: str
    evidence: Evidence


def anchor_id(indicator_pos: int, evidence_pos: int) -> str:
    """Anchor id of an evidence: its indicator's and its own position in the analysis."""
    return f"ev-{indicator_pos}-{evidence_pos}"


def _css_class(key: str) -> str:
    idx = indicator_index(key)
    return "ix" if idx is None else f"i{idx}"


def _describe(span: _Span) -> str:
    ev = span.evidence
    parts = [
        indicator_label(span.key),
        f"confidence {ev.confidence:.2f}",
        f"speaker: {ev.speaker or 'reporter'}",
    ]
    if ev.hedged:
        parts.append("hedged")
    text = " · ".join(parts)
    return f"NEGATED (not counted): {text}" if ev.negated else text


def segments(analysis: Analysis) -> list[Segment]:
    """Split the text at every evidence boundary; each piece knows which evidence covers it.

    Negated evidence is marked muted, never in an indicator's colour. Offsets outside the text
    are clipped; evidence that is empty after clipping still gets its anchor.
    """
    text = analysis.text
    n = len(text)
    spans: list[_Span] = []
    anchors_at: dict[int, list[str]] = {}
    for i, ind in enumerate(analysis.indicators):
        for j, ev in enumerate(ind.evidence):
            start = min(max(ev.start, 0), n)
            end = min(max(ev.end, start), n)
            anchor = anchor_id(i, j)
            anchors_at.setdefault(start, []).append(anchor)
            if end > start:
                spans.append(_Span(start, end, ind.indicator, anchor, ev))
    cuts = sorted({0, n, *anchors_at, *(s.start for s in spans), *(s.end for s in spans)})
    starting: dict[int, list[_Span]] = {}
    for s in spans:
        starting.setdefault(s.start, []).append(s)
    active: list[_Span] = []
    out: list[Segment] = []
    for a, b in zip(cuts, [*cuts[1:], n], strict=True):
        active = [s for s in active if s.end > a] + starting.get(a, [])
        seg = Segment(text=text[a:b], anchors=anchors_at.get(a, []))
        if active and b > a:
            _mark(seg, active)
        if seg.text or seg.anchors:
            out.append(seg)
    return out


def _mark(seg: Segment, active: list[_Span]) -> None:
    positive = [s for s in active if not s.evidence.negated]
    seg.title = "\n".join(_describe(s) for s in active)
    keys = list(dict.fromkeys(s.key for s in positive))
    if not keys:
        seg.css = "hl neg"
    elif len(keys) == 1:
        seg.css = f"hl {_css_class(keys[0])}"
    else:
        seg.css = "hl multi"
        colours = [indicator_colour(k) for k in keys]
        stripes = ", ".join(
            f"{rgba(c, _BG_ALPHA + 0.1)} {i * _STRIPE_PX}px {(i + 1) * _STRIPE_PX}px"
            for i, c in enumerate(colours)
        )
        underlines = ", ".join(f"inset 0 -{2 * (i + 1)}px 0 {c}" for i, c in enumerate(colours))
        seg.style = f"background: repeating-linear-gradient(135deg, {stripes}); box-shadow: {underlines};"


@lru_cache(maxsize=1)
def _template() -> Template:
    env = Environment(
        loader=PackageLoader("labourlens.render", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["shorten"] = shorten
    env.filters["safe_text"] = safe_text
    env.globals["indicator_label"] = indicator_label
    return env.get_template("report.html")


def _legend(analysis: Analysis) -> list[dict[str, object]]:
    found = {ind.indicator for ind in analysis.indicators}
    return [
        {"key": key, "label": indicator_label(key), "css": _css_class(key), "found": key in found}
        for key in INDICATOR_KEYS
    ]


def _palette_css() -> list[dict[str, str]]:
    return [
        {"css": f"i{i}", "colour": indicator_colour(key), "bg": rgba(indicator_colour(key), _BG_ALPHA)}
        for i, key in enumerate(INDICATOR_KEYS)
    ]


def _source_link(analysis: Analysis) -> str | None:
    url = analysis.metadata.get("url")
    if isinstance(url, str) and url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    return None


def render_html(analysis: Analysis) -> str:
    """Render an analysis as one standalone HTML page (no external assets, no script).

    analysis: the result to show; its `text` is shown in full with the evidence highlighted.
    """
    indicators = []
    for i, ind in enumerate(analysis.indicators):
        evidence = [
            {
                "anchor": anchor_id(i, j),
                "quote": shorten(ev.quote, 320),
                "ev": ev,
                "speaker": ev.speaker or "reporter",
            }
            for j, ev in enumerate(ind.evidence)
        ]
        indicators.append(
            {
                "key": ind.indicator,
                "label": indicator_label(ind.indicator),
                "css": _css_class(ind.indicator),
                "dimension": ind.dimension,
                "confidence": ind.confidence,
                "evidence": evidence,
            }
        )
    facts = [
        {
            "kind": f.kind,
            "value": fact_value(f),
            "unit": fact_unit(f),
            "extra": fact_extra(f),
            "quote": shorten(f.quote, 200),
            "start": f.start,
            "end": f.end,
        }
        for f in sorted(analysis.facts, key=lambda f: (f.start, f.kind))
    ]
    header = header_fields(analysis)
    title = analysis.metadata.get("title")
    page_title = safe_text(str(title)) if isinstance(title, str) and title.strip() else safe_text(analysis.id)
    a = analysis.assessment
    return _template().render(
        page_title=page_title,
        header=header,
        source_link=_source_link(analysis),
        language_note=language_note(analysis.language),
        words=word_count(analysis.text),
        segments=segments(analysis),
        legend=_legend(analysis),
        palette=_palette_css(),
        status=a.forced_labour,
        status_label=forced_labour_label(a.forced_labour),
        involuntariness=[(k, indicator_label(k), _css_class(k)) for k in a.involuntariness],
        coercion=[(k, indicator_label(k), _css_class(k)) for k in a.coercion],
        reasons=a.reasons,
        legal=a.legal,
        indicators=indicators,
        facts=facts,
        entity_groups=entity_groups(analysis.entities),
        dropped=dropped_counts(analysis.dropped),
        dropped_total=len(analysis.dropped),
    )
