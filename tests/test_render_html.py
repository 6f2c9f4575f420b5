"""The standalone HTML report: highlighting, overlaps, escaping."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest

from labourlens.model.analysis import INDICATOR_KEYS, Analysis, Assessment, IndicatorResult
from labourlens.render import render_html
from labourlens.render.common import indicator_colour, indicator_label
from labourlens.render.html import segments
from render_samples import BRICKWORKS, HOSTILE, brickworks, ev, german, hostile

VOID = {"meta", "br", "img", "hr", "input", "link", "col", "area", "base", "embed", "source", "track", "wbr"}


@dataclass
class Mark:
    css: list[str]
    title: str
    style: str
    text: str = ""


@dataclass
class Page(HTMLParser):
    """What the tests look at: every tag and attribute, the document div's text, its marks."""

    tags: list[tuple[str, dict[str, str | None]]] = field(default_factory=list)
    doc_text: list[str] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    hrefs: list[str] = field(default_factory=list)
    _stack: list[str] = field(default_factory=list)
    _doc_depth: int | None = None

    def __post_init__(self) -> None:
        HTMLParser.__init__(self, convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append((tag, a))
        if a.get("id"):
            self.ids.append(str(a["id"]))
        if tag == "a" and a.get("href") is not None:
            self.hrefs.append(str(a["href"]))
        if tag in VOID:
            return
        self._stack.append(tag)
        if a.get("id") == "doc":
            self._doc_depth = len(self._stack)
        elif self._doc_depth is not None and tag == "mark":
            self.marks.append(
                Mark((a.get("class") or "").split(), a.get("title") or "", a.get("style") or "")
            )

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        assert self._stack and self._stack[-1] == tag, f"unbalanced </{tag}> after {self._stack[-3:]}"
        if self._doc_depth == len(self._stack):
            self._doc_depth = None
        self._stack.pop()

    def handle_data(self, data: str) -> None:
        if self._doc_depth is not None:
            self.doc_text.append(data)
            if self._stack[-1] == "mark":
                self.marks[-1].text += data


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


@pytest.fixture(scope="module")
def sample_page() -> tuple[Analysis, str, Page]:
    analysis = brickworks()
    html = render_html(analysis)
    return analysis, html, parse(html)


def test_render_html_document_text_is_complete(sample_page: tuple[Analysis, str, Page]) -> None:
    _, _, page = sample_page
    assert "".join(page.doc_text) == BRICKWORKS
    assert "\n\n" in "".join(page.doc_text), "paragraph breaks are kept"


def test_render_html_is_standalone(sample_page: tuple[Analysis, str, Page]) -> None:
    _, html, page = sample_page
    assert html.startswith("<!DOCTYPE html>")
    for tag, attrs in page.tags:
        assert tag not in ("script", "link", "iframe", "img", "object"), tag
        for name in ("src", "srcset"):
            assert name not in attrs
    assert "@import" not in html and "url(" not in html
    assert all(h.startswith("#") or h == "https://example.org/b" for h in page.hrefs)


def test_render_html_highlights_each_indicator_in_its_colour(sample_page: tuple[Analysis, str, Page]) -> None:
    analysis, html, page = sample_page
    classes = {c for m in page.marks for c in m.css}
    for ind in analysis.indicators:
        css = f"i{INDICATOR_KEYS.index(ind.indicator)}"
        assert css in classes or any(indicator_label(ind.indicator) in m.title for m in page.marks)
        assert indicator_colour(ind.indicator) in html
        # The quote is fully covered by marks that name the indicator.
        for e in ind.evidence:
            if e.negated:
                continue
            covered = "".join(m.text for m in page.marks if indicator_label(ind.indicator) in m.title)
            assert e.quote.replace(covered, "") == "" or e.quote in covered
    # Eleven distinct colours, each in the legend.
    assert len({indicator_colour(k) for k in INDICATOR_KEYS}) == 11
    legend_labels = html.split('class="legend"')[1].split("</ul>")[0]
    for key in INDICATOR_KEYS:
        assert indicator_label(key) in legend_labels


def test_render_html_overlap_is_split_and_striped(sample_page: tuple[Analysis, str, Page]) -> None:
    _, _, page = sample_page
    # "without a guard" is in both the restriction_of_movement and the isolation quotes.
    overlap = [m for m in page.marks if m.text == "without a guard"]
    assert len(overlap) == 1
    m = overlap[0]
    assert "multi" in m.css
    assert "Restriction of movement" in m.title and "Isolation" in m.title
    assert "repeating-linear-gradient" in m.style
    assert indicator_colour("restriction_of_movement") in m.style and indicator_colour("isolation") in m.style
    # Its neighbours carry one indicator each.
    texts = [x.text for x in page.marks]
    i = texts.index("without a guard")
    assert texts[i - 1] == "We could not leave the compound " and "i2" in page.marks[i - 1].css
    assert texts[i + 1] == ", and our phones were kept in the office" and "i3" in page.marks[i + 1].css
    # Deception and withholding of wages overlap on "wages were held back".
    held = next(x for x in page.marks if x.text == "wages were held back")
    assert "Deception" in held.title and "Withholding of wages" in held.title


def test_render_html_titles_give_indicator_confidence_speaker(
    sample_page: tuple[Analysis, str, Page],
) -> None:
    _, _, page = sample_page
    passport = next(
        m for m in page.marks if m.text == "the manager collected every passport on the first day"
    )
    assert passport.title == "Retention of identity documents · confidence 0.92 · speaker: Dilshod"
    hedged = next(m for m in page.marks if m.text.startswith("40,000"))
    assert "hedged" in hedged.title and "speaker: reporter" in hedged.title


def test_render_html_negated_evidence_is_muted(sample_page: tuple[Analysis, str, Page]) -> None:
    _, _, page = sample_page
    neg = next(m for m in page.marks if m.text == "staff were reportedly free to leave at weekends")
    assert neg.css == ["hl", "neg"]
    assert neg.title.startswith("NEGATED")
    assert not any(c.startswith("i") and c[1:].isdigit() for c in neg.css)


def test_render_html_anchor_per_evidence_linked_from_panel(sample_page: tuple[Analysis, str, Page]) -> None:
    analysis, _, page = sample_page
    n_evidence = sum(len(i.evidence) for i in analysis.indicators)
    anchors = [i for i in page.ids if i.startswith("ev-")]
    assert len(anchors) == len(set(anchors)) == n_evidence
    assert sorted(h[1:] for h in page.hrefs if h.startswith("#ev-")) == sorted(anchors)
    assert len(page.ids) == len(set(page.ids)), "ids are unique"


def test_render_html_side_panel_has_assessment_facts_entities(
    sample_page: tuple[Analysis, str, Page],
) -> None:
    _, html, _ = sample_page
    aside = html.split("<aside>")[1]
    assert "Forced labour indicated" in aside
    assert "ILO Forced Labour Convention, 1930 (No. 29)" in aside
    assert "40,000 roubles a month" in aside and "RUB per month" in aside
    assert "Dilshod" in aside and "Uzbekistan" in aside
    assert "3 values could not be normalised: wage 2, date 1." in aside


def test_render_html_non_english_notice() -> None:
    html = render_html(german())
    page = parse(html)
    assert "language is &#39;de&#39;, not English" in html
    assert "".join(page.doc_text) == german().text
    assert page.marks == []
    assert "brickworks" not in html


HOSTILE_MARKERS = ("onerror", "onload", "onclick", "onmouseover")


def test_render_html_hostile_text_is_inert() -> None:
    analysis = hostile()
    html = render_html(analysis)
    page = parse(html)
    assert "".join(page.doc_text) == HOSTILE
    tag_names = [t for t, _ in page.tags]
    assert "script" not in tag_names
    assert "img" not in tag_names and "svg" not in tag_names and "u" not in tag_names and "i" not in tag_names
    for tag, attrs in page.tags:
        assert not [a for a in attrs if a.lower().startswith("on")], (tag, attrs)
        assert not [v for v in attrs.values() if "javascript:" in (v or "").lower()], (tag, attrs)
    assert "<script" not in html.lower()
    assert "javascript:alert(7)" in html, "the non-http url is shown as text"
    assert not any("javascript" in h for h in page.hrefs)
    # Each evidence is still highlighted.
    texts = {m.text for m in page.marks}
    assert "<script>alert(1)</script>" in texts
    assert "<img src=x onerror=alert(1)>" in texts


def test_render_html_lxml_finds_no_active_content() -> None:
    lxml_html = pytest.importorskip("lxml.html")
    root = lxml_html.fromstring(render_html(hostile()))
    assert root.xpath("//script") == []
    assert [e.tag for e in root.iter() if any(a.lower().startswith("on") for a in e.attrib)] == []
    doc = root.get_element_by_id("doc")
    assert doc.text_content() == HOSTILE


def _with(text: str, evidence: dict[str, list[tuple[str, bool]]]) -> Analysis:
    inds = [
        IndicatorResult(key, 0.9, "coercion", [ev(text, q, 0.9, negated=neg) for q, neg in quotes])
        for key, quotes in evidence.items()
    ]
    return Analysis("x", "en", text, inds, [], [], Assessment("possible"))


@pytest.mark.parametrize(
    "evidence",
    [
        {"isolation": [("abc def", False)], "deception": [("abc def", False)]},  # identical spans
        {"isolation": [("a", False)], "deception": [("abc def ghi", False)]},  # nested at start
        {
            "isolation": [("ghi", False)],
            "deception": [("abc def ghi", False)],
            "debt_bondage": [("def g", False)],
        },
        {"isolation": [("abc", False), ("abc def", True)]},  # positive inside negated
        {"isolation": [("abc def ghi", False)], "deception": [("def", True)]},  # negated inside positive
    ],
)
def test_render_html_segments_never_lose_or_double_text(evidence: dict[str, list[tuple[str, bool]]]) -> None:
    text = "abc def ghi\n\njkl <mno>"
    analysis = _with(text, evidence)
    segs = segments(analysis)
    assert "".join(s.text for s in segs) == text
    page = parse(render_html(analysis))
    assert "".join(page.doc_text) == text
    n_ev = sum(len(q) for q in evidence.values())
    assert len([i for i in page.ids if i.startswith("ev-")]) == n_ev


def test_render_html_segments_cover_each_character_with_its_indicators() -> None:
    text = "abc def ghi"
    analysis = _with(text, {"isolation": [("abc def", False)], "deception": [("def ghi", False)]})
    segs = segments(analysis)
    assert [(s.text, s.css) for s in segs] == [
        ("abc ", "hl i3"),
        ("def", "hl multi"),
        (" ghi", "hl i1"),
    ]


def test_render_html_clips_bad_offsets() -> None:
    text = "short text"
    analysis = _with(text, {"isolation": [("text", False)]})
    analysis.indicators[0].evidence[0].end = 999
    segs = segments(analysis)
    assert "".join(s.text for s in segs) == text
    assert segs[-1].text == "text" and segs[-1].anchors == ["ev-0-0"]
