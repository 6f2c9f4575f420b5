"""Extract the main text and metadata of an HTML page, safely (no script, style or handlers)."""

from __future__ import annotations

import codecs
import copy
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import lxml.html
from lxml import etree

from labourlens.ingest.text import decode_bytes

__all__ = ["HtmlText", "decode_html", "html_to_text"]

_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_XML_DECLARATION_RE = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)

# Below this many characters trafilatura's main extractor "rescues" the page with a baseline
# that joins all paragraphs into one line; the short page is then read both ways (see below).
_SHORT_TEXT = 250
# The rescue is taken only when it finds this much more text than the structured reading.
_RESCUE_GAIN = 1.5

# Elements that end a line of text in the plain (fallback) extraction.
_BLOCK_TAGS = (
    "p",
    "div",
    "section",
    "article",
    "header",
    "footer",
    "main",
    "aside",
    "nav",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "table",
    "tr",
    "td",
    "th",
    "blockquote",
    "pre",
    "figure",
    "figcaption",
    "address",
    "hr",
)


@dataclass
class HtmlText:
    """What was read from an HTML page.

    text: paragraphs separated by blank lines (not yet normalised); title, date, author: from the
    page's metadata when found; metadata: site name, URL, description, the extractor used.
    """

    text: str
    title: str | None = None
    date: str | None = None
    author: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)


@lru_cache(maxsize=1)
def _cleaner() -> Any:
    """The HTML cleaner (built once; lxml_html_clean is imported on first use).

    It drops script and style elements and their content, comments, processing instructions,
    on* handler attributes, javascript: links, embedded objects and frames, and inert markup
    (noscript, template, svg, math) whose text is not part of the page as read.
    """
    from lxml_html_clean import Cleaner

    return Cleaner(
        scripts=True,
        javascript=True,
        comments=True,
        style=True,
        inline_style=True,
        links=True,
        meta=False,
        page_structure=False,
        processing_instructions=True,
        embedded=True,
        frames=True,
        forms=False,
        annoying_tags=False,
        remove_unknown_tags=False,
        safe_attrs_only=False,
        kill_tags=["noscript", "template", "svg", "math", "object", "iframe", "button", "select"],
    )


@lru_cache(maxsize=1)
def _structured_config() -> Any:
    """trafilatura's settings without the one-line rescue for short pages (built once)."""
    from trafilatura.settings import DEFAULT_CONFIG

    config = copy.deepcopy(DEFAULT_CONFIG)
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "1")
    return config


def decode_html(data: bytes, name: str) -> tuple[str, str]:
    """Decode HTML bytes: byte order mark or UTF-8 first, then the page's <meta charset>, then detection.

    Returns (text, encoding). name: for messages.
    """
    try:
        return data.decode("utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    match = _META_CHARSET_RE.search(data, 0, 8192)
    if match and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        declared = match.group(1).decode("ascii").lower()
        try:
            codec = codecs.lookup(declared).name
        except LookupError:
            codec = None
        if codec is not None and codec not in ("utf-8", "utf-16", "utf-32"):
            # Browsers read latin-1 pages as cp1252; so do we.
            codec = "cp1252" if codec in ("latin-1", "iso8859-1", "ascii") else codec
            return data.decode(codec, errors="replace"), codec
    return decode_bytes(data, name)


def _parse(html: str) -> Any | None:
    """Parse and clean HTML; None when there is no document to parse."""
    html = _XML_DECLARATION_RE.sub("", html, count=1)
    if not html.strip():
        return None
    try:
        tree = lxml.html.document_fromstring(html)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None
    return _cleaner().clean_html(tree)


def _paragraphs(text: str | None) -> str:
    """Put a blank line between the lines (paragraphs) trafilatura returns."""
    return "\n\n".join(line.strip() for line in (text or "").splitlines() if line.strip())


def _trafilatura(tree: Any, structured: bool) -> Any:
    """Run trafilatura on a copy of the cleaned tree; returns its Document or None."""
    import trafilatura

    options: dict[str, Any] = {"config": _structured_config()} if structured else {}
    return trafilatura.bare_extraction(
        copy.deepcopy(tree),
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        with_metadata=True,
        **options,
    )


def _plain_text(tree: Any) -> str:
    """Text of the cleaned tree's body, with a blank line around each block element."""
    body = tree.find("body")
    root = copy.deepcopy(body if body is not None else tree)
    for el in root.iter(*_BLOCK_TAGS):
        el.text = "\n\n" + (el.text or "")
        el.tail = "\n\n" + (el.tail or "")
    for el in root.iter("br"):
        el.tail = "\n" + (el.tail or "")
    title = root.find(".//title")
    if title is not None:
        title.drop_tree()
    return str(root.text_content())


def html_to_text(html: str) -> HtmlText:
    """Extract the main text of a page with trafilatura, else all of its visible text with lxml.

    The page is cleaned first (scripts, styles, comments, handlers, javascript: links and embedded
    content removed), so no script text can reach the output. Comments sections are left out.
    html: the page as text.
    """
    tree = _parse(html)
    if tree is None:
        return HtmlText(text="", metadata={"extractor": "none"})
    found = _trafilatura(tree, structured=True)
    text = _paragraphs(found.text if found is not None else None)
    if len(text) < _SHORT_TEXT:
        rescued = _trafilatura(tree, structured=False)
        rescued_text = _paragraphs(rescued.text if rescued is not None else None)
        if len("".join(rescued_text.split())) > _RESCUE_GAIN * len("".join(text.split())):
            found, text = rescued, rescued_text
    if text:
        meta = {
            key: getattr(found, key)
            for key in ("sitename", "url", "hostname", "description")
            if getattr(found, key, None)
        }
        meta["extractor"] = "trafilatura"
        return HtmlText(text=text, title=found.title, date=found.date, author=found.author, metadata=meta)
    title = tree.findtext(".//title")
    return HtmlText(text=_plain_text(tree), title=title, metadata={"extractor": "lxml"})
