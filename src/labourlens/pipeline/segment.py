"""Paragraphs and sentences with character offsets into the normalised text.

Paragraphs are runs of non-blank lines; a block that ends without terminal punctuation and is
followed by one that starts in lower case continues the same paragraph (text broken by a bad
extraction). Inside a paragraph, a newline ends a sentence when the line is a headline or a
bullet, or ends with terminal punctuation; otherwise (a hard-wrapped line) the sentence goes on.
Sentences end at . ! ? (with closing quotes or brackets) before whitespace and a capital,
digit or opening quote, except after known abbreviations, initials and decimals.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from labourlens.model import Sentence, Span

_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof st sr jr gen col lt sgt capt cpt maj rev gov sen rep hon pres
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thurs fri sat sun
    no nos art arts vol vols p pp para paras fig figs ch sec approx appx est etc vs cf al e.g i.e
    inc ltd co corp bros dept univ assn ave blvd rd mt ft km kg lb oz min max av ca""".split()
)

_BREAK = re.compile(r"""[.!?]+['"’”)\]]*(?=\s+['"‘“(\[]?[A-Z0-9À-ÖØ-Þ])""")
_BULLET = re.compile(r"^\s*(?:[-*•‣◦–—]|\d{1,3}[.)]|[a-z][.)])\s+")
_TERMINAL = re.compile(r"""[.!?:;…]['"’”)\]]*\s*$""")
_BLANK = re.compile(r"\n[ \t]*\n+")


def paragraphs(text: str) -> list[Span]:
    """Paragraph spans: blank-line separated blocks, re-joined where a sentence runs across a gap."""
    blocks: list[Span] = []
    pos = 0
    for m in _BLANK.finditer(text):
        blocks.append(Span(pos, m.start()))
        pos = m.end()
    blocks.append(Span(pos, len(text)))
    merged: list[Span] = []
    for block in blocks:
        start, end = _strip(text, block.start, block.end)
        if start >= end:
            continue
        if merged:
            prev = merged[-1]
            prev_text = text[prev.start : prev.end]
            if not _TERMINAL.search(prev_text) and text[start].islower():
                merged[-1] = Span(prev.start, end)
                continue
        merged.append(Span(start, end))
    return merged


def sentences(text: str, paras: list[Span] | None = None) -> list[Sentence]:
    """Sentences of every paragraph, in order, with offsets into text."""
    out: list[Sentence] = []
    for index, para in enumerate(paras if paras is not None else paragraphs(text)):
        for start, end in _lines(text, para.start, para.end):
            for s, e in _split_line(text, start, end):
                s, e = _strip(text, s, e)
                if s < e:
                    out.append(Sentence(s, e, index, text[s:e]))
    return out


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _lines(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Units within a paragraph that a newline closes: headlines, bullets, finished lines."""
    unit_start = start
    pos = start
    while True:
        nl = text.find("\n", pos, end)
        if nl < 0:
            break
        line = text[pos:nl]
        nxt_start = nl + 1
        if not line.strip():  # a blank line inside a re-joined paragraph: the sentence goes on
            pos = nxt_start
            continue
        nxt = text[nxt_start:end]
        ends_sentence = bool(_TERMINAL.search(line))
        next_is_new = bool(_BULLET.match(nxt)) or bool(_BULLET.match(line))
        next_lower = bool(nxt.lstrip()[:1].islower())
        if ends_sentence or next_is_new or not next_lower:
            yield unit_start, nl
            unit_start = nxt_start
        pos = nxt_start
    yield unit_start, end


def _split_line(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    chunk = text[start:end]
    last = 0
    for m in _BREAK.finditer(chunk):
        if _is_abbreviation(chunk, m.start()):
            continue
        yield start + last, start + m.end()
        last = m.end()
    yield start + last, end


def _is_abbreviation(chunk: str, dot: int) -> bool:
    """True when the period at `dot` closes an abbreviation or an initial rather than a sentence."""
    if chunk[dot] != ".":
        return False
    m = re.search(r"([A-Za-z][A-Za-z.]*)$", chunk[:dot])
    if not m:
        return False
    word = m.group(1)
    if len(word) == 1 and word.isupper():
        return True  # an initial: "J. Smith"
    if "." in word:
        return True  # "U.S.", "e.g."
    return word.lower() in _ABBREVIATIONS
